"""Recordings for copy-detection tests: eSpeak NG takes, and copies perturbed as an attacker
(or a converter, or a browser) would: bytes appended, an LSB flipped, gain, resampling,
MP3 and Opus re-encodes with PyAV, trims."""

from __future__ import annotations

import io
from collections.abc import Callable

import av
import numpy as np

from engines._espeak import Espeak, EspeakVoice
from engines.audio import encode_wav

MIC_RATE = 48_000  # originals are made at a microphone's rate, so 22.05/44.1 kHz are resamplings
TRIM_S = 0.5


def take(text: str, variant: str = "m3", rate_wpm: int = 160, pitch: int = 50) -> np.ndarray:
    """eSpeak NG speech as float32 at MIC_RATE."""
    voice = EspeakVoice("en", variant, rate_wpm=rate_wpm, pitch=pitch)
    speech = Espeak().synthesise(text, voice).astype(np.float32) / 32768
    return resample(speech, Espeak.sample_rate, MIC_RATE)


def resample(samples: np.ndarray, source: int, target: int) -> np.ndarray:
    resampler = av.AudioResampler(format="flt", layout="mono", rate=target)
    frame = av.AudioFrame.from_ndarray(samples[None, :], format="flt", layout="mono")
    frame.sample_rate = source
    out = [*resampler.resample(frame), *resampler.resample(None)]
    return np.concatenate([f.to_ndarray().reshape(-1) for f in out]).astype(np.float32)


def wav(samples: np.ndarray, rate: int = MIC_RATE) -> bytes:
    return encode_wav(samples, rate)


def encoded(samples: np.ndarray, container: str, codec: str, rate: int, bit_rate: int) -> bytes:
    """``samples`` (at MIC_RATE) encoded with PyAV: libmp3lame or libopus (as browsers do)."""
    audio = resample(samples, MIC_RATE, rate) if rate != MIC_RATE else samples
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = "mono"
        stream.bit_rate = bit_rate
        size = 960 if codec == "libopus" else 1152
        for start in range(0, len(audio), size):
            frame = av.AudioFrame.from_ndarray(
                audio[None, start : start + size], format="flt", layout="mono"
            )
            frame.sample_rate, frame.pts = rate, start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buffer.getvalue()


def webm_opus(samples: np.ndarray) -> bytes:
    """What Chromium's MediaRecorder gives: audio/webm;codecs=opus at 48 kHz."""
    return encoded(samples, "webm", "libopus", 48_000, 64_000)


def ogg_opus(samples: np.ndarray) -> bytes:
    return encoded(samples, "ogg", "libopus", 48_000, 32_000)


def _lsb_flipped(samples: np.ndarray) -> bytes:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    pcm[len(pcm) // 2] ^= 1
    return encode_wav(pcm, MIC_RATE)


_TRIM = int(TRIM_S * MIC_RATE)
COPIES: dict[str, Callable[[np.ndarray], bytes]] = {
    "byte appended": lambda x: wav(x) + b"\0",
    "lsb flipped": _lsb_flipped,
    "gain +3 dB": lambda x: wav(x * 10 ** (3 / 20)),
    "gain -3 dB": lambda x: wav(x * 10 ** (-3 / 20)),
    "resampled to 22.05 kHz": lambda x: wav(resample(x, MIC_RATE, 22_050), 22_050),
    "resampled to 44.1 kHz": lambda x: wav(resample(x, MIC_RATE, 44_100), 44_100),
    "mp3": lambda x: encoded(x, "mp3", "libmp3lame", 44_100, 64_000),
    "opus webm": webm_opus,
    "opus ogg 16 kbit/s": lambda x: encoded(x, "ogg", "libopus", 48_000, 16_000),
    "trimmed at the start": lambda x: wav(x[_TRIM:]),
    "trimmed at the end": lambda x: wav(x[:-_TRIM]),
}
