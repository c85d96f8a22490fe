"""Text to video with diffusers, encoded to H.264 MP4 with PyAV.

Sources: ``tiny-t2v:<seed>`` (see ``_tiny_video``), or a diffusers text-to-video pipeline as a
local directory or hub id (e.g. ``Wan-AI/Wan2.1-T2V-1.3B-Diffusers``), loaded with
``DiffusionPipeline``. Callers may write the structured prompt video users write (subject,
action, scene, lighting, camera, style, technical); ``compose_prompt`` joins it.
"""

from __future__ import annotations

import inspect
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import av
import numpy as np
import torch

from engines.base import CancelFlag, Cost, Engine, EngineKind, EngineOutput, ProgressCallback
from engines.errors import GenerationCancelled, ModelUnknown
from engines.loader import ModelLoader, load_diffusers

BYTES_PER_FRAME_PIXEL = 950  # VAE decode of each frame; tiny profile on a CPU, measured 800-940
# bytes per frame-pixel over 5 runs at 256²×16 (bench/memory.py)
MAX_PROMPT_CHARS = 2000
MAX_FRAMES = 64  # about 8 s at 8 fps; longer clips need a GPU and a job of their own
MAX_FPS = 30
MIN_SIDE, MAX_SIDE, SIDE_MULTIPLE = 64, 1024, 16  # H.264 wants even sides; latents want /16
MAX_STEPS = 50
TINY_PREFIX = "tiny-t2v:"
PROMPT_PARTS = ("subject", "action", "scene", "lighting", "camera", "style", "technical")


def compose_prompt(parts: Mapping[str, str | None]) -> str:
    """Join the structured prompt in a fixed order, e.g. subject, action, scene, … ."""
    return ", ".join(str(parts[name]).strip() for name in PROMPT_PARTS if parts.get(name))


@dataclass(frozen=True)
class VideoRequest:
    model: str
    prompt: str
    frames: int = 8
    fps: int = 8
    width: int = 64
    height: int = 64
    steps: int = 10
    seed: int = 0
    negative_prompt: str | None = None


def _load(source: str, device: str, hub_downloads: bool) -> Any:
    if source.startswith(TINY_PREFIX):
        from engines._tiny_video import build_tiny_t2v_pipeline

        return build_tiny_t2v_pipeline(int(source.removeprefix(TINY_PREFIX)), device)
    from diffusers import DiffusionPipeline

    # Current video transformers (Wan, CogVideoX) are meant for bfloat16, not float16.
    return load_diffusers(DiffusionPipeline, source, device, hub_downloads, torch.bfloat16)


def encode_mp4(frames: np.ndarray, fps: int) -> bytes:
    """H.264 MP4 (yuv420p) from uint8 RGB frames shaped (n, height, width, 3)."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height = int(frames.shape[2]), int(frames.shape[1])
        stream.pix_fmt = "yuv420p"
        for index, pixels in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(pixels), format="rgb24")
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


def _as_uint8(frames: Any) -> np.ndarray:
    array = np.asarray(frames)
    if array.dtype != np.uint8:
        array = (np.clip(array, 0.0, 1.0) * 255).round().astype(np.uint8)
    return array


class VideoEngine(Engine):
    kind = EngineKind.VIDEO

    def __init__(self, models: Mapping[str, str], loader: ModelLoader) -> None:
        self._models = dict(models)
        self._loader = loader

    def model_ids(self) -> list[str]:
        return sorted(self._models)

    def estimate(self, request: VideoRequest) -> Cost:
        """Frame-pixel-steps; memory grows with frames × pixels (the VAE decodes every frame)."""
        frame_pixels = request.frames * request.width * request.height
        return Cost(
            frame_pixels * request.steps, "frame-pixel-steps", frame_pixels * BYTES_PER_FRAME_PIXEL
        )

    def generate(
        self,
        request: VideoRequest,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelFlag | None = None,
    ) -> EngineOutput:
        """An MP4. Raises ModelUnknown, EngineUnavailable, GenerationCancelled."""
        source = self._models.get(request.model)
        if source is None:
            raise ModelUnknown(f"video model {request.model!r} is not configured")
        downloads = self._loader.hub_downloads
        pipeline = self._loader.get(f"video:{source}", lambda d: _load(source, d, downloads))
        kwargs = self._step_hooks(pipeline, request.steps, progress, cancel)
        generator = torch.Generator(device="cpu").manual_seed(request.seed)
        with self._loader.device_slot(), torch.inference_mode():
            result = pipeline(
                prompt=request.prompt,
                negative_prompt=request.negative_prompt,
                num_frames=request.frames,
                width=request.width,
                height=request.height,
                num_inference_steps=request.steps,
                generator=generator,
                output_type="np",
                **kwargs,
            )
        if cancel is not None and cancel.cancelled:
            raise GenerationCancelled("video generation was cancelled")
        frames = _as_uint8(result.frames[0])
        return EngineOutput(
            data=encode_mp4(frames, request.fps),
            mime_type="video/mp4",
            engine=self.kind,
            model_id=request.model,
            device=self._loader.device,
            details={
                "frames": len(frames),
                "fps": request.fps,
                "seconds": len(frames) / request.fps,
            },
        )

    @staticmethod
    def _step_hooks(
        pipeline: Any, total: int, progress: ProgressCallback | None, cancel: CancelFlag | None
    ) -> dict[str, Any]:
        # Newer pipelines take callback_on_step_end (and an interrupt flag); older ones callback.
        if "callback_on_step_end" in inspect.signature(pipeline.__call__).parameters:

            def on_step_end(pipe: Any, step: int, _timestep: Any, kwargs: dict) -> dict:
                if progress is not None:
                    progress(step + 1, total)
                if cancel is not None and cancel.cancelled:
                    pipe._interrupt = True
                return kwargs

            return {"callback_on_step_end": on_step_end}

        def on_step(step: int, _timestep: Any, _latents: Any) -> None:
            if progress is not None:
                progress(step + 1, total)
            if cancel is not None and cancel.cancelled:
                raise GenerationCancelled("video generation was cancelled")

        return {"callback": on_step, "callback_steps": 1}
