"""Text to speech with built-in voices (no consent needed: nobody's voice is imitated).

The default engine is eSpeak NG, from the espeakng-loader wheel (library and data inside):
robotic but intelligible, offline, and it speaks the workforce's languages — Mandarin,
Cantonese, English, Thai, Vietnamese and many more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from engines._espeak import Espeak, EspeakVoice, SynthesisError, VoiceMissing
from engines.audio import encode_wav
from engines.base import CancelFlag, Cost, Engine, EngineKind, EngineOutput, ProgressCallback
from engines.errors import EngineUnavailable, GenerationCancelled, ModelUnknown
from engines.text import SynthesisFailed, TextUnspeakable, check_speakable

BYTES_PER_CHAR = 10_000  # ~0.07 s of 22 kHz float audio per character, with headroom
MAX_TEXT_CHARS = 2000  # about two minutes of speech
ESPEAK_MODEL = "espeak-ng"

# Language tags a caller may use → eSpeak NG language voice.
LANGUAGES = {
    "en": "en",
    "zh": "cmn",
    "cmn": "cmn",
    "zh-Hans": "cmn",
    "zh-Hant": "cmn",
    "yue": "yue",
    "th": "th",
    "vi": "vi",
}

BUILTIN_VOICES: Mapping[str, EspeakVoice] = {
    f"{tag}-{gender}": EspeakVoice(language, variant, pitch=pitch)
    for tag, language in (("en", "en"), ("cmn", "cmn"), ("yue", "yue"), ("th", "th"), ("vi", "vi"))
    for gender, variant, pitch in (("female", "f3", 62), ("male", "m3", 45))
}


class VoiceUnknown(ModelUnknown):
    code = "voice_unknown"


@dataclass(frozen=True)
class SpeechRequest:
    model: str
    text: str
    language: str
    voice: str | None = None


def resolve_voice(language: str, voice: str | None) -> EspeakVoice:
    """The built-in voice for a request. Raises VoiceUnknown for an unknown language or voice,
    or a voice that speaks another language."""
    if language not in LANGUAGES:
        raise VoiceUnknown(f"language {language!r} is not spoken (known: {sorted(LANGUAGES)})")
    wanted = LANGUAGES[language]
    name = voice or f"{wanted}-female"
    chosen = BUILTIN_VOICES.get(name)
    if chosen is None:
        raise VoiceUnknown(f"no built-in voice {name!r} (known: {sorted(BUILTIN_VOICES)})")
    if chosen.language != wanted:
        raise VoiceUnknown(f"voice {name!r} does not speak {language!r}")
    return chosen


class SpeechEngine(Engine):
    kind = EngineKind.SPEECH

    def __init__(self) -> None:
        self._espeak: Espeak | None = None

    def model_ids(self) -> list[str]:
        return [ESPEAK_MODEL]

    def estimate(self, request: SpeechRequest) -> Cost:
        """Characters to speak; eSpeak NG needs little memory (a few MB per minute of audio)."""
        return Cost(len(request.text), "characters", len(request.text) * BYTES_PER_CHAR)

    def generate(
        self,
        request: SpeechRequest,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelFlag | None = None,
    ) -> EngineOutput:
        """Speak ``request.text``. Raises ModelUnknown, VoiceUnknown, GenerationCancelled,
        TextUnspeakable (nothing to speak, or eSpeak NG spoke nothing), SynthesisFailed,
        EngineUnavailable (this eSpeak NG lacks the voice)."""
        if request.model != ESPEAK_MODEL:
            raise ModelUnknown(f"speech model {request.model!r} is not configured")
        voice = resolve_voice(request.language, request.voice)
        check_speakable(request.text)
        if cancel is not None and cancel.cancelled:
            raise GenerationCancelled("speech generation was cancelled")
        self._espeak = self._espeak or Espeak()
        samples = self._synthesise(self._espeak, request.text, voice)
        if progress is not None:
            progress(1, 1)
        return EngineOutput(
            data=encode_wav(samples, Espeak.sample_rate),
            mime_type="audio/wav",
            engine=self.kind,
            model_id=request.model,
            device="cpu",
            details={"voice": voice.name, "seconds": round(len(samples) / Espeak.sample_rate, 2)},
        )

    @staticmethod
    def _synthesise(espeak: Espeak, text: str, voice: EspeakVoice) -> np.ndarray:
        """Raises TextUnspeakable, SynthesisFailed, EngineUnavailable."""
        try:
            samples = espeak.synthesise(text, voice)
        except VoiceMissing as exc:
            raise EngineUnavailable(f"eSpeak NG here has no voice {voice.name!r}") from exc
        except SynthesisError as exc:
            raise SynthesisFailed("eSpeak NG could not speak this text") from exc
        if not len(samples):
            raise TextUnspeakable("eSpeak NG found nothing to speak in this text")
        return samples
