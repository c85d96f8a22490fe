"""Music from a text prompt with MusicGen, through transformers.

audiocraft (Meta's own MusicGen package) cannot be installed beside any current torch: its
1.3.0 release pins torch 2.1.0, xformers < 0.0.23 and an ``av`` that does not build here. The
transformers implementation is the same architecture and loads the same checkpoints
(``facebook/musicgen-small``). Sources: ``tiny-musicgen:<seed>`` (see ``_tiny_music``), a local
directory or a hub id. An optional audio prompt (a melody) is continued by the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from engines.audio import decode_mono, encode_wav
from engines.base import CancelFlag, Cost, Engine, EngineKind, EngineOutput, ProgressCallback
from engines.errors import EngineUnavailable, GenerationCancelled, ModelUnknown
from engines.loader import ModelLoader

BYTES_PER_SECOND = 10_000_000  # decoder caches and EnCodec decode; tiny profile on a CPU: 40 s
# measured 348-379 MiB of the request's own (bench/memory.py)
MAX_PROMPT_CHARS = 1000
MIN_DURATION_S = 1.0
MAX_DURATION_S = 30.0  # musicgen-small was trained on 30 s clips; longer needs windowing
MAX_MELODY_S = 10.0  # the prompt is continued, so it counts against the model's context
TINY_PREFIX = "tiny-musicgen:"


@dataclass(frozen=True)
class MusicRequest:
    model: str
    prompt: str
    duration_s: float
    melody: bytes | None = None  # an audio file to continue
    seed: int = 0
    guidance_scale: float = 3.0


def _load(source: str, device: str, hub_downloads: bool) -> tuple[Any, Any]:
    if source.startswith(TINY_PREFIX):
        from engines._tiny_music import build_tiny_musicgen

        return build_tiny_musicgen(int(source.removeprefix(TINY_PREFIX)), device)
    from transformers import AutoProcessor, MusicgenForConditionalGeneration

    local_only = Path(source).is_dir() or not hub_downloads
    try:
        processor = AutoProcessor.from_pretrained(source, local_files_only=local_only)
        model = MusicgenForConditionalGeneration.from_pretrained(
            source, local_files_only=local_only
        )
    except (OSError, ValueError) as exc:
        raise EngineUnavailable(f"music model could not be loaded from {source!r}") from exc
    return model.eval().to(device), processor


class _StepWatch:
    """A stopping criterion, called once per generated step: reports progress, and aborts when
    cancelled. (MusicGen's generate() feeds no streamer per step, and stopping it early breaks
    its codebook delay pattern, so cancelling raises instead of stopping.)"""

    def __init__(self, total: int, progress: ProgressCallback | None, cancel: CancelFlag | None):
        self.total, self.step = total, 0
        self._progress, self._cancel = progress, cancel

    def __call__(self, input_ids: torch.Tensor, _scores: Any, **_kwargs: Any) -> torch.Tensor:
        self.step = min(self.step + 1, self.total)
        if self._progress is not None:
            self._progress(self.step, self.total)
        if self._cancel is not None and self._cancel.cancelled:
            raise GenerationCancelled("music generation was cancelled")
        return torch.zeros((input_ids.shape[0],), dtype=torch.bool, device=input_ids.device)


class MusicEngine(Engine):
    kind = EngineKind.MUSIC

    def __init__(self, models: Mapping[str, str], loader: ModelLoader) -> None:
        self._models = dict(models)
        self._loader = loader

    def model_ids(self) -> list[str]:
        return sorted(self._models)

    def estimate(self, request: MusicRequest) -> Cost:
        """Seconds of audio to generate (a melody's seconds count as if generated too)."""
        seconds = request.duration_s + (MAX_MELODY_S if request.melody is not None else 0.0)
        return Cost(seconds, "seconds", int(seconds * BYTES_PER_SECOND))

    def generate(
        self,
        request: MusicRequest,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelFlag | None = None,
    ) -> EngineOutput:
        """A WAV of about ``duration_s`` (plus the melody it continues, at most MAX_MELODY_S
        of it: only that much is decoded). Raises ModelUnknown, EngineUnavailable,
        GenerationCancelled, AudioUndecodable."""
        from transformers import StoppingCriteriaList

        source = self._models.get(request.model)
        if source is None:
            raise ModelUnknown(f"music model {request.model!r} is not configured")
        downloads = self._loader.hub_downloads
        model, processor = self._loader.get(
            f"music:{source}", lambda d: _load(source, d, downloads)
        )
        rate = int(model.config.audio_encoder.sampling_rate)
        frame_rate = int(model.config.audio_encoder.frame_rate)
        steps = max(1, round(request.duration_s * frame_rate))
        inputs: dict[str, Any] = {"text": [request.prompt], "padding": True, "return_tensors": "pt"}
        if request.melody is not None:
            melody = decode_mono(request.melody, rate, max_seconds=MAX_MELODY_S)
            inputs.update(audio=melody, sampling_rate=rate)
        encoded = {k: v.to(self._loader.device) for k, v in processor(**inputs).items()}
        watch = _StepWatch(steps, progress, cancel)
        torch.manual_seed(request.seed)  # sampling draws from the global generator
        with self._loader.device_slot(), torch.inference_mode():
            audio = model.generate(
                **encoded,
                max_new_tokens=steps,
                do_sample=True,
                guidance_scale=request.guidance_scale,
                stopping_criteria=StoppingCriteriaList([watch]),
            )
        samples = audio[0, 0].float().cpu().numpy()
        return EngineOutput(
            data=encode_wav(samples, rate),
            mime_type="audio/wav",
            engine=self.kind,
            model_id=request.model,
            device=self._loader.device,
            details={"seconds": round(len(samples) / rate, 2), "sample_rate": rate},
        )
