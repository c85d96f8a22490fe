"""Browser recordings: WebM/Opus (Chromium's MediaRecorder) and Ogg/Opus are accepted, bounded
as every other format is; a Matroska file holding another codec is not."""

from __future__ import annotations

import io

import av
import numpy as np
import pytest

from consent import AudioInvalid, load_clip
from consent.audio import AudioTooLong, probe, sniff_format
from tests.factories import REFERENCE_TEXTS
from tests.recordings import ogg_opus, take, webm_opus


def test_webm_opus_decodes_to_16k_mono() -> None:
    data = webm_opus(take(REFERENCE_TEXTS[0]))
    assert data[:4] == b"\x1a\x45\xdf\xa3" and sniff_format(data) == "webm"
    clip = load_clip(data)
    assert (clip.format, clip.mime_type) == ("webm", "audio/webm")
    assert clip.samples.dtype.name == "float32" and clip.seconds > 3
    info = probe(data, max_seconds=10)
    assert (info.mime_type, info.sample_rate) == ("audio/webm", 48_000)


def test_ogg_opus_is_accepted() -> None:
    clip = load_clip(ogg_opus(take(REFERENCE_TEXTS[0])))
    assert (clip.format, clip.mime_type) == ("ogg", "audio/ogg")


def _matroska(codec: str, seconds: float = 2.0) -> bytes:
    rate = 16_000
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="matroska") as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = "mono"
        tone = (np.sin(np.arange(int(rate * seconds)) / 5) * 0.3).astype(np.float32)
        frame = av.AudioFrame.from_ndarray(tone[None, :], format="flt", layout="mono")
        frame.sample_rate = rate
        for packet in [*stream.encode(frame), *stream.encode()]:
            out.mux(packet)
    return buffer.getvalue()


@pytest.mark.parametrize("codec", ["pcm_f32le", "libmp3lame"])
def test_matroska_with_another_codec_is_refused(codec: str) -> None:
    with pytest.raises(AudioInvalid, match="must be Opus or Vorbis"):
        load_clip(_matroska(codec))


def test_webm_junk_after_the_magic_is_invalid() -> None:
    with pytest.raises(AudioInvalid, match="could not be decoded"):
        load_clip(b"\x1a\x45\xdf\xa3" + bytes(range(256)) * 8)


def test_a_long_webm_stops_decoding_at_the_limit() -> None:
    """Opus silence is a few bytes a frame: 70 s fit in a small file; decoding stops at 60."""
    silence = webm_opus(np.zeros(48_000 * 70, np.float32))
    assert len(silence) < 200_000
    with pytest.raises(AudioTooLong, match="at most 60 s"):
        load_clip(silence)
    with pytest.raises(AudioTooLong, match="at most 10 s"):
        probe(silence, max_seconds=10)
