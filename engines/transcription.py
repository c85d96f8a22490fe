"""Speech recognition for the consent check: did the owner speak the challenge's phrase?

Optional: configured with ``CONSENTGATE_ASR_MODEL`` (a Whisper checkpoint, hub id or local
directory, run with the transformers ASR pipeline). Without it, enrolment records that the
phrase was not verified. No offline test model exists for it here: the loading code is real
and untested without weights.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engines.errors import EngineUnavailable
from engines.loader import ModelLoader

SAMPLE_RATE = 16_000
# Whisper's language names for the statement languages.
WHISPER_LANGUAGES = {
    "en": "english",
    "zh-Hant": "chinese",
    "zh-Hans": "chinese",
    "vi": "vietnamese",
    "th": "thai",
}


class WhisperTranscriber:
    """Implements ``consent.Transcriber`` with a Whisper checkpoint."""

    def __init__(self, source: str, loader: ModelLoader) -> None:
        self.name = f"whisper ({source})"
        self._source = source
        self._loader = loader

    def _load(self, device: str) -> Any:
        from transformers import pipeline

        try:
            options = {} if self._loader.hub_downloads else {"local_files_only": True}
            return pipeline(
                "automatic-speech-recognition",
                model=self._source,
                device=device,
                model_kwargs=options,
            )
        except (OSError, ValueError) as exc:
            raise EngineUnavailable(f"ASR model could not be loaded from {self._source!r}") from exc

    def transcribe(self, samples: np.ndarray, language: str) -> str:
        """Text heard in 16 kHz mono ``samples``. Raises EngineUnavailable."""
        recogniser = self._loader.get(f"asr:{self._source}", self._load)
        options = {}
        if language in WHISPER_LANGUAGES:
            options = {"generate_kwargs": {"language": WHISPER_LANGUAGES[language]}}
        with self._loader.device_slot():
            result = recogniser({"raw": samples, "sampling_rate": SAMPLE_RATE}, **options)
        return str(result["text"])


def _words(text: str) -> list[str]:
    return "".join(ch if ch.isalnum() else " " for ch in text.casefold()).split()


def phrase_in_order(heard: str, phrase: str) -> bool:
    """True when every word of ``phrase`` appears in ``heard``, in order (punctuation, case
    and words between them ignored: recognisers punctuate and mishear fillers)."""
    remaining = iter(_words(heard))
    return all(word in remaining for word in _words(phrase))


class WhisperPhraseVerifier:
    """A phrase verifier (``consent.PhraseVerifier``) from a Whisper transcript: verified
    when the challenge's phrase words were heard in order. Standard profile (needs weights)."""

    def __init__(self, source: str, loader: ModelLoader) -> None:
        self._transcriber = WhisperTranscriber(source, loader)
        self.name = f"asr: {self._transcriber.name}"

    def verify(
        self, samples: np.ndarray, statement: str, phrase: str, language: str
    ) -> tuple[bool, float]:
        """(verified, share of phrase words heard in order). Raises EngineUnavailable."""
        heard = self._transcriber.transcribe(samples, language)
        words = _words(phrase)
        if not words:
            return False, 0.0
        verified = phrase_in_order(heard, phrase)
        heard_words = set(_words(heard))
        return verified, sum(word in heard_words for word in words) / len(words)
