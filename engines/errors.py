"""Errors of the engines package.

EngineError
 ├── ModelUnknown          (model_unknown)       the request names a model that is not configured
 ├── EngineUnavailable     (engine_unavailable)  the model could not be loaded
 ├── GenerationCancelled   (generation_cancelled)
 ├── EngineFailed          (engine_failed)       the engine raised something unexpected
 ├── EngineOutOfMemory     (engine_out_of_memory)
 └── EngineTimedOut        (engine_timed_out)    past its time limit; it may still hold its slot
"""

from __future__ import annotations


class EngineError(Exception):
    code = "engine_error"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ModelUnknown(EngineError):
    code = "model_unknown"


class EngineUnavailable(EngineError):
    code = "engine_unavailable"


class GenerationCancelled(EngineError):
    code = "generation_cancelled"


class EngineFailed(EngineError):
    code = "engine_failed"


class EngineOutOfMemory(EngineError):
    code = "engine_out_of_memory"


class EngineTimedOut(EngineError):
    code = "engine_timed_out"
