"""eSpeak NG through ctypes, from the library and data that the espeakng-loader wheel ships.

eSpeak NG keeps global state and is not thread-safe: every call holds one process-wide lock.
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_CHARS_UTF8 = 1
_RATE, _PITCH, _RANGE = 1, 3, 4
_EE_OK = 0

_SYNTH_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class VoiceMissing(ValueError):
    """This eSpeak NG has no such voice."""


class SynthesisError(RuntimeError):
    """eSpeak NG could not speak a text."""


@dataclass(frozen=True)
class EspeakVoice:
    """An eSpeak NG voice: language voice, variant (e.g. ``f3``), and prosody settings."""

    language: str
    variant: str | None = None
    rate_wpm: int = 160
    pitch: int = 50  # 0-100
    pitch_range: int = 50  # 0-100

    @property
    def name(self) -> str:
        return self.language if self.variant is None else f"{self.language}+{self.variant}"


class Espeak:
    """Speaks text to 16-bit mono PCM at the library's sample rate (22,050 Hz)."""

    _lock = threading.Lock()
    _library: ctypes.CDLL | None = None
    sample_rate: int = 0

    def __init__(self) -> None:
        with Espeak._lock:
            if Espeak._library is None:
                Espeak._library = self._load()

    @staticmethod
    def _load() -> ctypes.CDLL:
        import espeakng_loader

        library = ctypes.CDLL(espeakng_loader.get_library_path())
        library.espeak_Initialize.restype = ctypes.c_int
        library.espeak_Initialize.argtypes = [
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
        ]
        library.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        library.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        library.espeak_Synth.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        data_path = espeakng_loader.get_data_path().encode()
        rate = library.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path, 0)
        if rate <= 0:
            raise RuntimeError("eSpeak NG failed to initialise")
        Espeak.sample_rate = rate
        return library

    def synthesise(self, text: str, voice: EspeakVoice) -> np.ndarray:
        """Return int16 samples. Raises VoiceMissing for a voice eSpeak NG does not have,
        SynthesisError when the library fails or the text holds a NUL (which would end the C
        string early, and silently drop the rest)."""
        if "\0" in text:
            raise SynthesisError("a text to speak may not hold a NUL character")
        chunks: list[np.ndarray] = []

        def collect(samples: Any, count: int, _events: int) -> int:  # samples: short*
            if count > 0:
                chunks.append(np.ctypeslib.as_array(samples, shape=(count,)).copy())
            return 0  # 0 = continue

        callback = _SYNTH_CALLBACK(collect)
        encoded = text.encode("utf-8") + b"\0"
        with Espeak._lock:
            library = Espeak._library
            assert library is not None
            if library.espeak_SetVoiceByName(voice.name.encode()) != _EE_OK:
                raise VoiceMissing(f"eSpeak NG has no voice {voice.name!r}")
            library.espeak_SetParameter(_RATE, voice.rate_wpm, 0)
            library.espeak_SetParameter(_PITCH, voice.pitch, 0)
            library.espeak_SetParameter(_RANGE, voice.pitch_range, 0)
            library.espeak_SetSynthCallback(callback)
            result = library.espeak_Synth(encoded, len(encoded), 0, 0, 0, _CHARS_UTF8, None, None)
            library.espeak_Synchronize()
        if result != _EE_OK:
            raise SynthesisError(f"eSpeak NG synthesis failed ({result})")
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
