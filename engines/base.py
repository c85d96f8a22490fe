"""The one small interface every engine family implements.

An engine turns a typed request into bytes of one media type. It knows nothing of users,
consent or audit: the gateway decides whether a request may run before it reaches here.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar


class EngineKind(StrEnum):
    IMAGE = "image"
    SPEECH = "speech"
    VOICE_CLONE = "voice_clone"
    MUSIC = "music"
    VIDEO = "video"


ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(step, total)`` after each step of a generation."""


class CancelFlag:
    """Set from another thread; an engine checks it between steps and stops."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


@dataclass(frozen=True)
class Cost:
    """What a request will take, estimated before it runs, for admission control.

    ``work`` is in the engine's own unit (``unit``: pixel-steps, frame-pixel-steps, seconds of
    audio, characters); ``memory_bytes`` is the estimated peak memory the generation adds.
    """

    work: float
    unit: str
    memory_bytes: int


@dataclass(frozen=True)
class EngineOutput:
    """What an engine produced: the media bytes and how they were made."""

    data: bytes
    mime_type: str
    engine: EngineKind
    model_id: str
    device: str
    details: dict[str, Any] = field(default_factory=dict)


class Engine(ABC):
    """Base of every engine family.

    Subclasses set ``kind`` and implement ``generate``; model loading goes through
    ``engines.ModelLoader`` so that a process loads each model once.
    """

    kind: ClassVar[EngineKind]

    @abstractmethod
    def model_ids(self) -> list[str]:
        """The model ids this engine can serve, as configured."""

    @abstractmethod
    def estimate(self, request: Any) -> Cost:
        """The request's cost, from its parameters alone (no model is loaded)."""

    @abstractmethod
    def generate(
        self,
        request: Any,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelFlag | None = None,
    ) -> EngineOutput:
        """Run one generation.

        Raises:
            ModelUnknown: the request names a model this engine does not serve.
            EngineUnavailable: the model could not be loaded (e.g. weights not reachable).
            GenerationCancelled: ``cancel`` was set while running.
        """
