"""Rules that reload when their files change, without a restart, and fail closed."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Generic, TypeVar

from policies.errors import PolicyUnavailable

_log = logging.getLogger(__name__)

T = TypeVar("T")


class WatchedRules(Generic[T]):
    """Holds what ``load`` built from ``paths``; rebuilds it when a file's mtime or size changes.

    A file that fails to load makes ``current()`` raise PolicyUnavailable until it is fixed:
    running on with rules nobody can read back would be failing open.
    """

    def __init__(self, paths: Sequence[Path], load: Callable[[], T], name: str) -> None:
        self._paths = list(paths)
        self._load = load
        self._name = name
        self._lock = threading.Lock()
        self._stamp: tuple[tuple[int, int], ...] | None = None
        self._value: T | None = None
        self._error: str | None = None

    def _current_stamp(self) -> tuple[tuple[int, int], ...]:
        stamps = []
        for path in self._paths:
            try:
                stat = path.stat()
                stamps.append((stat.st_mtime_ns, stat.st_size))
            except OSError:
                stamps.append((-1, -1))
        return tuple(stamps)

    def current(self) -> T:
        """The rules as the files say now. Raises PolicyUnavailable if they cannot be loaded."""
        stamp = self._current_stamp()
        if stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    self._reload(stamp)
        if self._error is not None or self._value is None:
            raise PolicyUnavailable(f"{self._name} could not be loaded: {self._error}")
        return self._value

    def _reload(self, stamp: tuple[tuple[int, int], ...]) -> None:
        try:
            self._value = self._load()
            self._error = None
            _log.info("loaded %s", self._name)
        except Exception as exc:  # any parse failure must deny, whatever raised it
            self._value = None
            self._error = f"{type(exc).__name__}: {exc}"
            _log.error("%s could not be loaded; denying until fixed: %s", self._name, exc)
        self._stamp = stamp
