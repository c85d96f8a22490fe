"""PCM in and out of the engines: WAV encoding, and decoding references to mono float32."""

from __future__ import annotations

import io
import wave

import av
import numpy as np


def encode_wav(samples: np.ndarray, sample_rate: int) -> bytes:
    """16-bit mono WAV; float input is clipped to [-1, 1]."""
    if samples.dtype != np.int16:
        samples = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(samples.astype("<i2").tobytes())
    return buffer.getvalue()


def decode_mono(data: bytes, sample_rate: int) -> np.ndarray:
    """Any audio file PyAV reads, as mono float32 at ``sample_rate``. Raises av errors."""
    resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
    chunks: list[np.ndarray] = []
    with av.open(io.BytesIO(data), mode="r") as source:
        for frame in source.decode(audio=0):
            chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(frame))
        chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
    return np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
