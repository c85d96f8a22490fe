"""Uploaded recordings: recognised by their bytes (not the declared type), bounded, decoded.

Accepted: WAV, FLAC, MP3 and OGG (Vorbis or Opus), decoded with PyAV to 16 kHz mono float32,
the rate the speaker encoder works at.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import av
import numpy as np

from consent.errors import AudioInvalid, AudioTooLarge, AudioUnsupported

MAX_AUDIO_BYTES = 10 * 1024 * 1024  # a minute of 16-bit 48 kHz stereo WAV is ~11 MB
MIN_SECONDS = 1.0  # shorter clips give unreliable speaker embeddings
MAX_SECONDS = 60.0  # bounds decode time and what is kept per recording
SAMPLE_RATE = 16_000

_FORMATS = {"wav": "audio/wav", "flac": "audio/flac", "mp3": "audio/mpeg", "ogg": "audio/ogg"}


@dataclass(frozen=True)
class AudioClip:
    """A decoded recording and the bytes it came from."""

    data: bytes
    format: str
    mime_type: str
    samples: np.ndarray  # float32 mono at SAMPLE_RATE
    sha256: str

    @property
    def seconds(self) -> float:
        return len(self.samples) / SAMPLE_RATE


def sniff_format(data: bytes) -> str | None:
    """The container named by the file's first bytes, or None."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data[:4] == b"fLaC":
        return "flac"
    if data[:4] == b"OggS":
        return "ogg"
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def _decode(data: bytes, container: str) -> np.ndarray:
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    chunks: list[np.ndarray] = []
    max_samples = int(MAX_SECONDS * SAMPLE_RATE) + SAMPLE_RATE
    with av.open(io.BytesIO(data), mode="r", format=container) as source:
        if not source.streams.audio:
            raise AudioInvalid("the file holds no audio stream")
        for frame in source.decode(audio=0):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1))
            if sum(len(c) for c in chunks) > max_samples:
                raise AudioInvalid(f"a recording may be at most {MAX_SECONDS:.0f} s long")
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1))
    return np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)


def load_clip(data: bytes) -> AudioClip:
    """Check and decode one upload.

    Raises:
        AudioTooLarge: over MAX_AUDIO_BYTES.
        AudioUnsupported: not WAV, FLAC, MP3 or OGG.
        AudioInvalid: cannot be decoded, or shorter than MIN_SECONDS / longer than MAX_SECONDS.
    """
    if len(data) > MAX_AUDIO_BYTES:
        raise AudioTooLarge(f"a recording may be at most {MAX_AUDIO_BYTES // (1024 * 1024)} MiB")
    container = sniff_format(data)
    if container is None:
        raise AudioUnsupported("recordings must be WAV, FLAC, MP3 or OGG")
    try:
        samples = _decode(data, container)
    except (av.error.FFmpegError, ValueError) as exc:
        raise AudioInvalid(f"the {container} file could not be decoded") from exc
    seconds = len(samples) / SAMPLE_RATE
    if seconds < MIN_SECONDS:
        raise AudioInvalid(f"a recording must be at least {MIN_SECONDS:.0f} s long")
    if seconds > MAX_SECONDS:
        raise AudioInvalid(f"a recording may be at most {MAX_SECONDS:.0f} s long")
    return AudioClip(
        data=data,
        format=container,
        mime_type=_FORMATS[container],
        samples=samples,
        sha256=hashlib.sha256(data).hexdigest(),
    )
