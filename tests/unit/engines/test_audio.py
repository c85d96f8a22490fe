"""Decoding audio inputs in the engines: only as far as the caller needs."""

from __future__ import annotations

import numpy as np
import pytest

from engines.audio import AudioUndecodable, decode_mono, encode_wav
from tests.factories import sample_media


def _tone(seconds: float, rate: int) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    return encode_wav((np.sin(2 * np.pi * 220 * t) * 0.3).astype(np.float32), rate)


def test_short_input_is_decoded_whole_and_resampled() -> None:
    samples = decode_mono(sample_media("audio/flac"), 32_000, max_seconds=10)
    assert samples.dtype == np.float32
    assert abs(len(samples) - 32_000) < 200  # one second, give or take the resampler's delay


def test_long_input_is_cut_at_max_seconds() -> None:
    samples = decode_mono(_tone(300, 8_000), 32_000, max_seconds=10)
    assert len(samples) == 10 * 32_000
    assert np.abs(samples).max() > 0.2


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not audio at all",
        b"fLaC" + bytes(range(256)) * 8,
        b"RIFF\x24\x08\x00\x00WAVEfmt " + bytes(range(256)) * 8,
        sample_media("image/png"),
        encode_wav(np.zeros(50_000, np.float32), 1),  # 1 Hz: each sample would become 32,000
    ],
)
def test_undecodable_inputs_raise_a_coded_engine_error(data: bytes) -> None:
    with pytest.raises(AudioUndecodable) as raised:
        decode_mono(data, 32_000, max_seconds=10)
    assert raised.value.code == "audio_undecodable"
