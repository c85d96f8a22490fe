"""One place that loads models: device chosen once, each model loaded once per process.

A semaphore bounds how many generations use the device at a time, so one GPU is not
oversubscribed by concurrent requests.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import torch

_log = logging.getLogger(__name__)


def load_diffusers(
    pipeline_class: Any,
    source: str,
    device: str,
    hub_downloads: bool,
    cuda_dtype: torch.dtype = torch.float16,
) -> Any:
    """A diffusers pipeline from a local directory, or a hub id (only from the local cache
    when ``hub_downloads`` is off); ``cuda_dtype`` on CUDA, float32 on the CPU.

    Raises:
        EngineUnavailable: the weights are not there.
    """
    from engines.errors import EngineUnavailable

    dtype = cuda_dtype if device.startswith("cuda") else torch.float32
    local_only = Path(source).is_dir() or not hub_downloads
    try:
        pipeline = pipeline_class.from_pretrained(source, dtype=dtype, local_files_only=local_only)
    except (OSError, ValueError) as exc:
        raise EngineUnavailable(f"model could not be loaded from {source!r}") from exc
    pipeline.set_progress_bar_config(disable=True)
    return pipeline.to(device)


def pick_device(preferred: str | None = None) -> str:
    """``cuda`` when a GPU is visible, else ``cpu``; ``preferred`` overrides."""
    if preferred:
        return preferred
    return "cuda" if torch.cuda.is_available() else "cpu"


class ModelLoader:
    """Caches loaded models by key and serialises their first load."""

    def __init__(
        self, device: str | None = None, max_concurrent: int = 1, hub_downloads: bool = True
    ) -> None:
        self.device = pick_device(device)
        # False: hub ids resolve only from the local cache, so a machine without network
        # answers "unavailable" at once instead of retrying the hub for half a minute.
        self.hub_downloads = hub_downloads
        self._models: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}
        self._slots = threading.BoundedSemaphore(max_concurrent)

    def get(self, key: str, build: Callable[[str], Any]) -> Any:
        """Return the model cached under ``key``, building it with ``build(device)`` once.

        Raises whatever ``build`` raises; a failed build is not cached, so a later call retries.
        """
        if key in self._models:
            return self._models[key]
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            if key not in self._models:
                _log.info("loading model %s on %s", key, self.device)
                self._models[key] = build(self.device)
            return self._models[key]

    def is_loaded(self, key: str) -> bool:
        return key in self._models

    @contextmanager
    def device_slot(self) -> Iterator[None]:
        """Hold one of the device's generation slots for the duration of the block."""
        with self._slots:
            yield
