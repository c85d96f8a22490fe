"""Text-to-image with diffusers.

A model comes from configuration as ``tiny:<seed>`` (built locally, see ``_tiny_image``), a
local directory holding a diffusers pipeline, or a hub id (used when the weights are
reachable). The pipeline is loaded once per process through the shared ``ModelLoader``.

Requests for the same model, size, steps and guidance that arrive together run as one batch
(``engines.batching``), each with its own seed's generator, so each image is the one it would
have been alone (up to the rounding of batched kernels). The device is held for the pipeline
only: each caller encodes its own image (PNG, JPEG or WebP) on its own thread while the next
batch runs.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from engines.base import CancelFlag, Cost, Engine, EngineKind, EngineOutput, ProgressCallback
from engines.batching import Abandoned, Batcher
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
# A batch's pixels at most: eight 512² images, or two 1024² ones (memory grows with both).
BATCH_PIXELS = 8 * 512 * 512

TINY_PREFIX = "tiny:"

# Output formats: Pillow's name, the media type, and the encoder's options. JPEG and WebP are
# lossy (quality 92 and 90): a choice for size, PNG the default.
IMAGE_FORMATS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "png": ("PNG", "image/png", {}),
    "jpeg": ("JPEG", "image/jpeg", {"quality": 92}),
    "webp": ("WEBP", "image/webp", {"quality": 90}),
}


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
    format: str = "png"  # a key of IMAGE_FORMATS


@dataclass(frozen=True)
class _Job:
    """One caller's request inside a batch."""

    request: ImageRequest
    progress: ProgressCallback | None
    cancel: CancelFlag | None

    @property
    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.cancelled


def _load_pipeline(source: str, device: str, hub_downloads: bool) -> Any:
    if source.startswith(TINY_PREFIX):
        from engines._tiny_image import build_tiny_sd_pipeline

        return build_tiny_sd_pipeline(int(source.removeprefix(TINY_PREFIX)), device)
    from diffusers import AutoPipelineForText2Image

    return load_diffusers(AutoPipelineForText2Image, source, device, hub_downloads)


class ImageEngine(Engine):
    """Serves the configured text-to-image models."""

    kind = EngineKind.IMAGE

    def __init__(
        self,
        models: Mapping[str, str],
        loader: ModelLoader,
        batch_max: int = 1,
        batch_wait_s: float = 0.0,
    ) -> None:
        """``models`` maps a public model id to its source (``tiny:<seed>``, path or hub id);
        up to ``batch_max`` requests that arrive within ``batch_wait_s`` share a run."""
        self._models = dict(models)
        self._loader = loader
        self._batcher: Batcher[_Job, Any] = Batcher(self._run_batch, batch_max, batch_wait_s)

    @property
    def batch_max(self) -> int:
        return self._batcher.max_batch

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
        """Generate one image, batched with others like it.

        Raises:
            ModelUnknown, EngineUnavailable, GenerationCancelled; ValueError for a format
            that is not one of ``IMAGE_FORMATS`` (the gateway validates it first).
        """
        source = self._models.get(request.model)
        if source is None:
            raise ModelUnknown(f"image model {request.model!r} is not configured")
        pillow_format, mime_type, options = IMAGE_FORMATS[request.format]
        key = (source, request.width, request.height, request.steps, request.guidance_scale)
        limit = BATCH_PIXELS // (request.width * request.height)
        job = _Job(request, progress, cancel)
        try:
            image, batch_size = self._batcher.submit(key, job, limit, lambda: job.cancelled)
        except Abandoned as exc:  # cancelled while others' images were made: leave at once
            raise GenerationCancelled("image generation was cancelled") from exc
        if cancel is not None and cancel.cancelled:
            raise GenerationCancelled("image generation was cancelled")
        buffer = io.BytesIO()
        image.save(buffer, format=pillow_format, **options)
        return EngineOutput(
            data=buffer.getvalue(),
            mime_type=mime_type,
            engine=self.kind,
            model_id=request.model,
            device=self._loader.device,
            details={
                "width": request.width,
                "height": request.height,
                "steps": request.steps,
                "batch_size": batch_size,
            },
        )

    def _run_batch(self, jobs: Sequence[_Job]) -> list[tuple[Any, int]]:
        """One pipeline call for ``jobs`` (same source, size, steps, guidance): each job's
        image, with the batch's size. Holds the device for the call only."""
        first = jobs[0].request
        source = self._models[first.model]
        downloads = self._loader.hub_downloads
        pipeline = self._loader.get(
            f"image:{source}", lambda device: _load_pipeline(source, device, downloads)
        )

        def on_step_end(pipe: Any, step: int, _timestep: Any, kwargs: dict) -> dict:
            for job in jobs:
                if job.progress is not None:
                    job.progress(step + 1, first.steps)
            if all(job.cancelled for job in jobs):
                pipe._interrupt = True  # diffusers checks this flag before the next step
            return kwargs

        # One generator per image: the latents each seed draws are the ones it draws alone.
        generators = [torch.Generator(device="cpu").manual_seed(j.request.seed) for j in jobs]
        negatives = [j.request.negative_prompt for j in jobs]
        with self._loader.device_slot(), torch.inference_mode():
            result = pipeline(
                prompt=[job.request.prompt for job in jobs],
                # None and "" are the same unconditional prompt to the pipeline.
                negative_prompt=None if not any(negatives) else [n or "" for n in negatives],
                width=first.width,
                height=first.height,
                num_inference_steps=first.steps,
                guidance_scale=first.guidance_scale,
                generator=generators,
                callback_on_step_end=on_step_end,
            )
        return [(image, len(jobs)) for image in result.images]
