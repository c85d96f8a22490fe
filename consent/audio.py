"""Uploaded recordings: recognised by their bytes (not the declared type), bounded, decoded.

Accepted: WAV, FLAC, MP3, OGG (Vorbis or Opus) and WebM (Opus or Vorbis: what browsers'
MediaRecorder produces, ``audio/webm;codecs=opus``), decoded with PyAV to 16 kHz mono float32,
the rate the speaker encoder works at.

Durations are counted from the decoded frames as they come, never from container metadata
(a header can claim one second and hold an hour), and decoding stops as soon as the limit is
passed: a 96 KB FLAC can hold an hour of silence, which decoded whole is hundreds of MB.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass

import av
import numpy as np
from av.container import InputContainer

from consent.errors import AudioInvalid, AudioTooLarge, AudioUnsupported

MAX_AUDIO_BYTES = 10 * 1024 * 1024  # a minute of 16-bit 48 kHz stereo WAV is ~11 MB
MIN_SECONDS = 1.0  # shorter clips give unreliable speaker embeddings
MAX_SECONDS = 60.0  # bounds decode time and what is kept per recording
SAMPLE_RATE = 16_000
# Source rates outside these bounds are refused before resampling: a WAV header claiming 1 Hz
# would make the resampler write 16,000 samples for each one read (a memory bomb per frame);
# 8 kHz is telephone speech, 384 kHz the highest rate studio converters record.
MIN_SOURCE_RATE = 8_000
MAX_SOURCE_RATE = 384_000

_FORMATS = {
    "wav": "audio/wav",
    "flac": "audio/flac",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "webm": "audio/webm",
}
_EBML_MAGIC = b"\x1a\x45\xdf\xa3"  # WebM is Matroska, an EBML document
# WebM allows only these audio codecs; a Matroska file holding anything else (PCM, APE, ...)
# is refused rather than handed to whichever of FFmpeg's decoders it names.
_WEBM_CODECS = frozenset({"opus", "vorbis"})
_ACCEPTED = "WAV, FLAC, MP3, OGG or WebM"


class AudioTooLong(AudioInvalid):
    """Decodes to more than the allowed duration (checked while decoding, frame by frame)."""

    code = "audio_too_long"


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


@dataclass(frozen=True)
class AudioInfo:
    """What probing a file found: its container and how long it decodes to."""

    format: str
    mime_type: str
    seconds: float
    sample_rate: int


def sniff_format(data: bytes) -> str | None:
    """The container named by the file's first bytes, or None."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data[:4] == b"fLaC":
        return "flac"
    if data[:4] == b"OggS":
        return "ogg"
    if data[:4] == _EBML_MAGIC:
        return "webm"
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def _container(data: bytes) -> str:
    """The sniffed container of a file within the byte limit.

    Raises:
        AudioTooLarge: over MAX_AUDIO_BYTES.
        AudioUnsupported: empty, or not WAV, FLAC, MP3, OGG or WebM.
    """
    if len(data) > MAX_AUDIO_BYTES:
        raise AudioTooLarge(f"a recording may be at most {MAX_AUDIO_BYTES // (1024 * 1024)} MiB")
    if not data:
        raise AudioUnsupported("the file is empty")
    container = sniff_format(data)
    if container is None:
        raise AudioUnsupported(f"recordings must be {_ACCEPTED}")
    return container


def _frames(source: InputContainer, container: str, max_seconds: float) -> Iterator[av.AudioFrame]:
    """The first audio stream's frames, stopping at the frame that passes ``max_seconds``.

    Raises:
        AudioInvalid: no audio stream, a WebM codec other than Opus or Vorbis, or a sample
            rate outside the accepted range.
        AudioTooLong: more than ``max_seconds`` decoded (raised before that frame is kept).
        av.error.FFmpegError, ValueError: undecodable data.
    """
    if not source.streams.audio:
        raise AudioInvalid("the file holds no audio stream")
    codec = source.streams.audio[0].codec_context.name
    if container == "webm" and codec not in _WEBM_CODECS:
        raise AudioInvalid(f"a WebM recording must be Opus or Vorbis, not {codec}")
    seconds = 0.0
    for frame in source.decode(audio=0):
        if not MIN_SOURCE_RATE <= frame.sample_rate <= MAX_SOURCE_RATE:
            raise AudioInvalid(f"a sample rate of {frame.sample_rate} Hz is not accepted")
        seconds += frame.samples / frame.sample_rate
        if seconds > max_seconds:
            raise AudioTooLong(f"a recording may be at most {max_seconds:.0f} s long")
        yield frame


def _decode(data: bytes, container: str) -> np.ndarray:
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    chunks: list[np.ndarray] = []
    with av.open(io.BytesIO(data), mode="r", format=container) as source:
        for frame in _frames(source, container, MAX_SECONDS):
            chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(frame))
        chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
    return np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)


def probe(data: bytes, max_seconds: float) -> AudioInfo:
    """Check that a file really is audio: a supported container that decodes to at least one
    sample and to at most ``max_seconds``. Decodes frame by frame, at most ``max_seconds``
    (plus one frame) of it, and keeps no samples.

    Raises:
        AudioTooLarge: over MAX_AUDIO_BYTES.
        AudioUnsupported: empty, or not WAV, FLAC, MP3, OGG or WebM.
        AudioInvalid: undecodable, no audio, or no samples at all.
        AudioTooLong: decodes to more than ``max_seconds``.
    """
    container = _container(data)
    seconds, rate = 0.0, 0
    try:
        with av.open(io.BytesIO(data), mode="r", format=container) as source:
            for frame in _frames(source, container, max_seconds):
                seconds += frame.samples / frame.sample_rate
                rate = rate or frame.sample_rate
    except (av.error.FFmpegError, ValueError) as exc:
        raise AudioInvalid(f"the {container} file could not be decoded") from exc
    if seconds <= 0:
        raise AudioInvalid(f"the {container} file holds no audio samples")
    return AudioInfo(container, _FORMATS[container], seconds, rate)


def load_clip(data: bytes) -> AudioClip:
    """Check and decode one upload.

    Raises:
        AudioTooLarge: over MAX_AUDIO_BYTES.
        AudioUnsupported: empty, or not WAV, FLAC, MP3, OGG or WebM.
        AudioInvalid: cannot be decoded, or shorter than MIN_SECONDS.
        AudioTooLong: longer than MAX_SECONDS (decoding stops there).
    """
    container = _container(data)
    try:
        samples = _decode(data, container)
    except (av.error.FFmpegError, ValueError) as exc:
        raise AudioInvalid(f"the {container} file could not be decoded") from exc
    if len(samples) / SAMPLE_RATE < MIN_SECONDS:
        raise AudioInvalid(f"a recording must be at least {MIN_SECONDS:.0f} s long")
    return AudioClip(
        data=data,
        format=container,
        mime_type=_FORMATS[container],
        samples=samples,
        sha256=hashlib.sha256(data).hexdigest(),
    )
