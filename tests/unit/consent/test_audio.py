from __future__ import annotations

import pytest

from consent import AudioInvalid, AudioTooLarge, AudioUnsupported, load_clip
from consent.audio import MAX_AUDIO_BYTES, SAMPLE_RATE
from tests.factories import sample_media, spoken_wav


@pytest.mark.parametrize("mime_type", ["audio/wav", "audio/flac", "audio/mpeg"])
def test_accepted_formats_decode_to_16k_mono(mime_type: str) -> None:
    clip = load_clip(sample_media(mime_type))
    assert clip.mime_type == mime_type
    assert abs(clip.seconds - 1.0) < 0.1
    assert clip.samples.dtype.name == "float32"


def test_ogg_is_accepted() -> None:
    import io

    import av
    import numpy as np

    buffer = io.BytesIO()
    rate = 48_000  # Opus runs at 48 kHz
    tone = (np.sin(np.arange(rate * 2) / 5) * 0.3).astype(np.float32)
    with av.open(buffer, "w", format="ogg") as out:
        stream = out.add_stream("libopus", rate=rate)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(tone[None, :], format="flt", layout="mono")
        frame.sample_rate = rate
        for packet in [*stream.encode(frame), *stream.encode()]:
            out.mux(packet)
    clip = load_clip(buffer.getvalue())
    assert clip.format == "ogg" and clip.seconds > 1.5


def test_real_speech_is_accepted() -> None:
    clip = load_clip(spoken_wav("This is a recording of my own voice for enrolment."))
    assert clip.seconds > 2


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"%PDF-1.7 not audio", AudioUnsupported),
        (sample_media("image/png"), AudioUnsupported),
        (b"RIFF\x10\x00\x00\x00WAVEfmt garbage", AudioInvalid),
        (b"RIFF" + b"\x00" * MAX_AUDIO_BYTES, AudioTooLarge),
    ],
)
def test_bad_uploads(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        load_clip(data)


def test_too_short_and_too_long() -> None:
    import numpy as np

    from engines.audio import encode_wav

    with pytest.raises(AudioInvalid, match="at least"):
        load_clip(encode_wav(np.zeros(SAMPLE_RATE // 4, np.float32), SAMPLE_RATE))
    with pytest.raises(AudioInvalid, match="at most"):
        load_clip(encode_wav(np.zeros(SAMPLE_RATE * 70, np.float32), SAMPLE_RATE))
