"""Engine families behind one small interface, and the one place that loads models."""

from engines.base import CancelFlag, Cost, Engine, EngineKind, EngineOutput, ProgressCallback
from engines.errors import (
    EngineError,
    EngineFailed,
    EngineOutOfMemory,
    EngineTimedOut,
    EngineUnavailable,
    GenerationCancelled,
    ModelUnknown,
)
from engines.image import ImageEngine, ImageRequest
from engines.loader import ModelLoader, pick_device

__all__ = [
    "CancelFlag",
    "Cost",
    "Engine",
    "EngineError",
    "EngineFailed",
    "EngineKind",
    "EngineOutOfMemory",
    "EngineOutput",
    "EngineTimedOut",
    "EngineUnavailable",
    "GenerationCancelled",
    "ImageEngine",
    "ImageRequest",
    "ModelLoader",
    "ModelUnknown",
    "ProgressCallback",
    "pick_device",
]
