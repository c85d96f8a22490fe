"""PCM in and out of the engines: WAV encoding, and decoding references to mono float32.

Decoding stops once the caller's duration is reached: a 96 KB FLAC can hold an hour of
silence, which decoded whole at 32 kHz is about 460 MB of float32 before any copy. Durations
are counted from the decoded stream, never taken from container metadata.
"""

from __future__ import annotations

import io
import wave

import av
import numpy as np

from engines.errors import EngineError

MAX_DECODE_S = 60.0  # no engine conditions on more than a minute of audio; the default bound
# Source rates outside these bounds are refused before resampling: a WAV header claiming 1 Hz
# would make the resampler write tens of thousands of samples for each one read; 8 kHz is
# telephone speech, 384 kHz the highest rate studio converters record.
MIN_SOURCE_RATE = 8_000
MAX_SOURCE_RATE = 384_000


class AudioUndecodable(EngineError):
    """An audio input (a melody, a reference recording) that cannot be decoded."""

    code = "audio_undecodable"


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


def decode_mono(data: bytes, sample_rate: int, *, max_seconds: float = MAX_DECODE_S) -> np.ndarray:
    """The first ``max_seconds`` of any audio file PyAV reads, as mono float32 at
    ``sample_rate``. Decoding stops there, so what the file would decode to beyond that costs
    nothing.

    Raises:
        AudioUndecodable: not audio PyAV can decode, no audio stream, or a source sample rate
            outside [MIN_SOURCE_RATE, MAX_SOURCE_RATE].
    """
    try:
        return _decode_head(data, sample_rate, int(max_seconds * sample_rate))
    except (av.error.FFmpegError, ValueError) as exc:
        raise AudioUndecodable("the audio input could not be decoded") from exc


def _decode_head(data: bytes, sample_rate: int, wanted: int) -> np.ndarray:
    """Raises AudioUndecodable, av.error.FFmpegError, ValueError."""
    resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
    chunks: list[np.ndarray] = []
    have = 0
    with av.open(io.BytesIO(data), mode="r") as source:
        if not source.streams.audio:
            raise AudioUndecodable("the input holds no audio stream")
        for frame in source.decode(audio=0):
            if not MIN_SOURCE_RATE <= frame.sample_rate <= MAX_SOURCE_RATE:
                raise AudioUndecodable(f"a sample rate of {frame.sample_rate} Hz is not accepted")
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1))
                have += len(chunks[-1])
            if have >= wanted:
                break
        else:  # the whole file fit: flush what the resampler still holds
            chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
    if not chunks:
        return np.zeros(0, np.float32)
    return np.concatenate(chunks)[:wanted].astype(np.float32)
