"""Speech in an enrolled person's voice, with Coqui TTS (the maintained ``coqui-tts``).

Sources: ``tiny-vits:<seed>`` builds a small random-weight multi-speaker VITS conditioned on
the voice's 256-d d-vector (see ``_tiny_vits``); anything else is an XTTS-v2 checkpoint, as a
local directory (config.json, model.pth, vocab.json) or a hub id, conditioned on the owner's
reference recordings. The caller (the gateway) has already checked consent; this module never
sees who is asking.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from engines.audio import decode_mono, encode_wav
from engines.base import CancelFlag, Cost, Engine, EngineKind, EngineOutput, ProgressCallback
from engines.errors import EngineUnavailable, GenerationCancelled, ModelUnknown
from engines.loader import ModelLoader
from engines.text import SynthesisFailed, check_speakable

_log = logging.getLogger(__name__)

BYTES_PER_CHAR = 200_000  # decoder activations per character of text; tiny VITS, CPU
MAX_TEXT_CHARS = 1000  # bounded: a clone request is short, and the audit row stays small
MAX_TINY_TOKENS = 600
# Coqui's VITS inference fails when the decoder gets exactly one frame (its attention mask
# loses a dimension in ``squeeze(1)``): one token can be given one frame, two tokens cannot.
MIN_TINY_TOKENS = 2
# Enrolment keeps recordings of at most a minute (consent.MAX_SECONDS); the engine may not
# import consent, so it bounds its own decoding of them again.
MAX_REFERENCE_S = 60.0
# What torch and Coqui raise on an input they cannot handle: shape errors, tokenizer lookups,
# asserts on lengths. Turned into a coded SynthesisFailed; anything else propagates.
_MODEL_FAILURES = (RuntimeError, ValueError, IndexError, KeyError, AssertionError)
TINY_PREFIX = "tiny-vits:"
XTTS_SAMPLE_RATE = 24_000
XTTS_REFERENCE_RATE = 22_050
XTTS_LANGUAGES = {"en": "en", "zh": "zh-cn", "zh-Hans": "zh-cn", "zh-Hant": "zh-cn", "vi": "vi"}


@dataclass(frozen=True)
class VoiceCloneRequest:
    model: str
    text: str
    language: str
    speaker_embedding: np.ndarray  # resemblyzer d-vector, unit length, 256-d
    reference_audio: tuple[bytes, ...] = ()
    seed: int = 0


def source_uses_reference_audio(source: str) -> bool:
    """XTTS conditions on the owner's recordings; the tiny VITS only on the d-vector."""
    return not source.startswith(TINY_PREFIX)


def _load(source: str, device: str, hub_downloads: bool) -> Any:
    if source.startswith(TINY_PREFIX):
        from engines._tiny_vits import build_tiny_vits

        return build_tiny_vits(int(source.removeprefix(TINY_PREFIX)), device)
    return _load_xtts(source, device, hub_downloads)


def _load_xtts(source: str, device: str, hub_downloads: bool) -> Any:
    from TTS.tts.configs.xtts_config import XttsConfig
    from TTS.tts.models.xtts import Xtts

    try:
        if Path(source).is_dir():
            directory = Path(source)
        else:
            from huggingface_hub import snapshot_download

            directory = Path(snapshot_download(source, local_files_only=not hub_downloads))
        config = XttsConfig()
        config.load_json(str(directory / "config.json"))
        model = Xtts.init_from_config(config)
        model.load_checkpoint(config, checkpoint_dir=str(directory), eval=True)
    except (OSError, ValueError, KeyError) as exc:
        raise EngineUnavailable(f"voice-clone model could not be loaded from {source!r}") from exc
    return model.to(device)


class VoiceCloneEngine(Engine):
    kind = EngineKind.VOICE_CLONE

    def __init__(self, models: Mapping[str, str], loader: ModelLoader) -> None:
        self._models = dict(models)
        self._loader = loader

    def model_ids(self) -> list[str]:
        return sorted(self._models)

    def estimate(self, request: VoiceCloneRequest) -> Cost:
        """Characters to speak in the cloned voice."""
        return Cost(len(request.text), "characters", len(request.text) * BYTES_PER_CHAR)

    def uses_reference_audio(self, model_id: str) -> bool:
        return source_uses_reference_audio(self._models.get(model_id, ""))

    def generate(
        self,
        request: VoiceCloneRequest,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelFlag | None = None,
    ) -> EngineOutput:
        """Speak ``request.text`` in the voice. Raises ModelUnknown, EngineUnavailable,
        GenerationCancelled, TextUnspeakable, SynthesisFailed (the model failed on this text),
        AudioUndecodable (a reference recording), torch.OutOfMemoryError."""
        source = self._models.get(request.model)
        if source is None:
            raise ModelUnknown(f"voice-clone model {request.model!r} is not configured")
        check_speakable(request.text)
        downloads = self._loader.hub_downloads
        model = self._loader.get(
            f"voice_clone:{source}", lambda device: _load(source, device, downloads)
        )
        if cancel is not None and cancel.cancelled:
            raise GenerationCancelled("voice clone was cancelled")
        try:
            with self._loader.device_slot(), torch.inference_mode():
                if source.startswith(TINY_PREFIX):
                    samples, rate = self._tiny(model, request), 16_000
                else:
                    samples, rate = self._xtts(model, request), XTTS_SAMPLE_RATE
        except torch.OutOfMemoryError:
            raise  # not this text's fault: the caller tells it apart from a failure
        except _MODEL_FAILURES as exc:
            _log.warning("voice-clone model %s failed: %s", request.model, type(exc).__name__)
            raise SynthesisFailed("the voice-clone model could not speak this text") from exc
        if progress is not None:
            progress(1, 1)
        return EngineOutput(
            data=encode_wav(samples, rate),
            mime_type="audio/wav",
            engine=self.kind,
            model_id=request.model,
            device=self._loader.device,
            details={"seconds": round(len(samples) / rate, 2), "sample_rate": rate},
        )

    def _tiny(self, model: Any, request: VoiceCloneRequest) -> np.ndarray:
        from engines._tiny_vits import text_ids

        torch.manual_seed(request.seed)  # VITS samples noise; a seed makes output repeatable
        device = self._loader.device
        d_vector = torch.from_numpy(request.speaker_embedding.astype(np.float32))[None].to(device)
        ids = text_ids(request.text, MAX_TINY_TOKENS)
        if ids.shape[1] < MIN_TINY_TOKENS:
            ids = text_ids(request.text + " " * MIN_TINY_TOKENS, MIN_TINY_TOKENS)  # then a pause
        outputs = model.inference(
            ids.to(device),
            aux_input={"d_vectors": d_vector, "speaker_ids": None, "language_ids": None},
        )
        return outputs["model_outputs"].squeeze().float().cpu().numpy()

    def _xtts(self, model: Any, request: VoiceCloneRequest) -> np.ndarray:
        if not request.reference_audio:
            raise EngineUnavailable("XTTS needs the owner's reference recordings")
        language = XTTS_LANGUAGES.get(request.language, request.language)
        references = [self._reference(data) for data in request.reference_audio]
        speaker = torch.stack(
            [model.get_speaker_embedding(audio, XTTS_REFERENCE_RATE) for audio in references]
        ).mean(dim=0)
        latents = model.get_gpt_cond_latents(torch.cat(references, dim=-1), XTTS_REFERENCE_RATE)
        result = model.inference(request.text, language, latents, speaker)
        return np.asarray(result["wav"], dtype=np.float32)

    def _reference(self, data: bytes) -> torch.Tensor:
        """One recording as a [1, samples] tensor at XTTS's rate. Raises AudioUndecodable."""
        samples = decode_mono(data, XTTS_REFERENCE_RATE, max_seconds=MAX_REFERENCE_S)
        return torch.from_numpy(samples)[None].to(self._loader.device)
