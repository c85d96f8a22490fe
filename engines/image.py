"""Text-to-image with diffusers.

A model comes from configuration as ``tiny:<seed>`` (built locally, see ``_tiny_image``), a
local directory holding a diffusers pipeline, or a hub id (used when the weights are
reachable). The pipeline is loaded once per process through the shared ``ModelLoader``.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import torch

from engines.base import CancelFlag, Cost, Engine, EngineKind, EngineOutput, ProgressCallback
from engines.errors import GenerationCancelled, ModelUnknown
from engines.loader import ModelLoader, load_diffusers

_log = logging.getLogger(__name__)

# Bounds on what a caller may ask for: a 1024² image in 50 steps is the most a request may
# cost; anything above would let one caller hold the device for minutes.
BYTES_PER_PIXEL = 1500  # VAE decode activations dominate; measured on the tiny profile, CPU
MAX_PROMPT_CHARS = 2000  # bounded so the audit row and the prompt record stay small
MIN_SIDE = 64
MAX_SIDE = 1024
SIDE_MULTIPLE = 8  # the VAE downsamples by 8
MAX_STEPS = 50
MAX_GUIDANCE = 30.0
MAX_SEED = 2**32 - 1

TINY_PREFIX = "tiny:"


@dataclass(frozen=True)
class ImageRequest:
    """One text-to-image generation; the gateway validates bounds before building it."""

    model: str
    prompt: str
    negative_prompt: str | None = None
    width: int = 512
    height: int = 512
    steps: int = 20
    guidance_scale: float = 7.5
    seed: int = 0


def _load_pipeline(source: str, device: str, hub_downloads: bool) -> Any:
    if source.startswith(TINY_PREFIX):
        from engines._tiny_image import build_tiny_sd_pipeline

        return build_tiny_sd_pipeline(int(source.removeprefix(TINY_PREFIX)), device)
    from diffusers import AutoPipelineForText2Image

    return load_diffusers(AutoPipelineForText2Image, source, device, hub_downloads)


class ImageEngine(Engine):
    """Serves the configured text-to-image models."""

    kind = EngineKind.IMAGE

    def __init__(self, models: Mapping[str, str], loader: ModelLoader) -> None:
        """``models`` maps a public model id to its source (``tiny:<seed>``, path or hub id)."""
        self._models = dict(models)
        self._loader = loader

    def model_ids(self) -> list[str]:
        return sorted(self._models)

    def estimate(self, request: ImageRequest) -> Cost:
        """Pixel-steps (guidance doubles the UNet batch); memory grows with the pixels."""
        pixels = request.width * request.height
        batch = 2 if request.guidance_scale > 1.0 else 1
        return Cost(pixels * request.steps * batch, "pixel-steps", pixels * BYTES_PER_PIXEL)

    def generate(
        self,
        request: ImageRequest,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelFlag | None = None,
    ) -> EngineOutput:
        """Generate one PNG.

        Raises:
            ModelUnknown, EngineUnavailable, GenerationCancelled.
        """
        source = self._models.get(request.model)
        if source is None:
            raise ModelUnknown(f"image model {request.model!r} is not configured")
        downloads = self._loader.hub_downloads
        pipeline = self._loader.get(
            f"image:{source}", lambda device: _load_pipeline(source, device, downloads)
        )

        def on_step_end(pipe: Any, step: int, _timestep: Any, kwargs: dict) -> dict:
            if progress is not None:
                progress(step + 1, request.steps)
            if cancel is not None and cancel.cancelled:
                pipe._interrupt = True  # diffusers checks this flag before the next step
            return kwargs

        generator = torch.Generator(device="cpu").manual_seed(request.seed)
        with self._loader.device_slot(), torch.inference_mode():
            result = pipeline(
                prompt=request.prompt,
                negative_prompt=request.negative_prompt,
                width=request.width,
                height=request.height,
                num_inference_steps=request.steps,
                guidance_scale=request.guidance_scale,
                generator=generator,
                callback_on_step_end=on_step_end,
            )
        if cancel is not None and cancel.cancelled:
            raise GenerationCancelled("image generation was cancelled")
        buffer = io.BytesIO()
        result.images[0].save(buffer, format="PNG")
        return EngineOutput(
            data=buffer.getvalue(),
            mime_type="image/png",
            engine=self.kind,
            model_id=request.model,
            device=self._loader.device,
            details={"width": request.width, "height": request.height, "steps": request.steps},
        )
