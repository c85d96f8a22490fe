"""Errors of the engines package.

EngineError
 ├── ModelUnknown          (model_unknown)       the request names a model that is not configured
 ├── EngineUnavailable     (engine_unavailable)  the model could not be loaded
 └── GenerationCancelled   (generation_cancelled)
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
