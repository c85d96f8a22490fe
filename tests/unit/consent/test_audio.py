from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consent import AudioInvalid, AudioRejected, AudioTooLarge, AudioUnsupported, load_clip
from consent.audio import MAX_AUDIO_BYTES, SAMPLE_RATE, AudioTooLong, probe
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


def _wav(seconds: float, rate: int) -> bytes:
    import numpy as np

    from engines.audio import encode_wav

    return encode_wav(np.zeros(int(seconds * rate), np.float32), rate)


def _silent_flac(seconds: float, rate: int = 8_000) -> bytes:
    """Silence in FLAC's largest blocks: an hour fits in about 15 KB."""
    import io

    import av
    import numpy as np

    buffer = io.BytesIO()
    block = 65_535
    with av.open(buffer, "w", format="flac") as out:
        stream = out.add_stream("flac", rate=rate)
        stream.layout = "mono"
        stream.codec_context.options = {"frame_size": str(block)}
        total = int(seconds * rate)
        for start in range(0, total, block):
            silence = np.zeros((1, min(block, total - start)), np.int16)
            frame = av.AudioFrame.from_ndarray(silence, format="s16", layout="mono")
            frame.sample_rate, frame.pts = rate, start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buffer.getvalue()


def _claim_total_samples(flac: bytes, total: int) -> bytes:
    """The same FLAC whose STREAMINFO claims ``total`` samples (a header that lies)."""
    data = bytearray(flac)
    info = 8  # after "fLaC" and the metadata block header
    data[info + 13] = (data[info + 13] & 0xF0) | (total >> 32 & 0x0F)
    data[info + 14 : info + 18] = (total & 0xFFFFFFFF).to_bytes(4, "big")
    return bytes(data)


@pytest.mark.parametrize("mime_type", ["audio/wav", "audio/flac", "audio/mpeg"])
def test_probe_finds_format_and_duration(mime_type: str) -> None:
    info = probe(sample_media(mime_type), max_seconds=10)
    assert info.mime_type == mime_type
    assert abs(info.seconds - 1.0) < 0.1 and info.sample_rate == 16_000


_JUNK = bytes(range(256)) * 8  # not audio in any format


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", AudioUnsupported),
        (b"%PDF-1.7 not audio", AudioUnsupported),
        (b"fLaC" + _JUNK, AudioInvalid),
        (b"RIFF\x24\x08\x00\x00WAVE" + _JUNK, AudioInvalid),
        (b"RIFF\x24\x08\x00\x00WAVEfmt " + _JUNK, AudioInvalid),
        (b"ID3" + _JUNK, AudioInvalid),
        (b"OggS" + _JUNK, AudioInvalid),
        (b"\xff\xfb" + _JUNK, AudioInvalid),
        (sample_media("audio/wav")[:44], AudioInvalid),  # a header and no samples
        (b"ID3" + b"\x00" * MAX_AUDIO_BYTES, AudioTooLarge),
    ],
)
def test_probe_refuses_junk_with_audio_magic(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        probe(data, max_seconds=10)


@given(
    magic=st.sampled_from([b"fLaC", b"RIFF\x24\x08\x00\x00WAVEfmt ", b"ID3", b"OggS", b"\xff\xfb"]),
    rest=st.binary(max_size=2048),
)
@settings(max_examples=150, deadline=None)
def test_probe_answers_junk_with_an_audio_error_only(magic: bytes, rest: bytes) -> None:
    try:
        info = probe(magic + rest, max_seconds=10)
    except AudioRejected:
        return
    assert 0 < info.seconds <= 10


def test_probe_stops_at_the_limit_whatever_the_header_claims() -> None:
    hour = _silent_flac(3600)
    assert len(hour) < 100_000
    with pytest.raises(AudioTooLong, match="at most 60 s"):
        probe(hour, max_seconds=60)
    liar = _claim_total_samples(hour, 8_000)  # claims one second
    with pytest.raises(AudioTooLong):
        probe(liar, max_seconds=60)
    with pytest.raises(AudioTooLong):
        load_clip(liar)
    assert probe(_silent_flac(30), max_seconds=60).seconds == pytest.approx(30)


def test_probe_counts_samples_at_the_limit() -> None:
    assert probe(_wav(59.9, 8_000), max_seconds=60).seconds == pytest.approx(59.9)
    with pytest.raises(AudioTooLong):
        probe(_wav(60.1, 8_000), max_seconds=60)


@pytest.mark.parametrize("rate", [1, 4_000, 1_000_000])
def test_sample_rates_out_of_range_are_refused_before_resampling(rate: int) -> None:
    # At 1 Hz, one second of a 10 MiB WAV would resample to 16,000 samples per sample read.
    data = _wav(5.0, rate) if rate > 1 else _wav(50_000, 1)
    with pytest.raises(AudioInvalid, match="sample rate"):
        probe(data, max_seconds=1e9)
    with pytest.raises(AudioInvalid, match="sample rate"):
        load_clip(data)
