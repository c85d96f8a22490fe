"""A file's format from its bytes, and whether it really is a file of that format."""

from __future__ import annotations

import pytest

from tests.factories import sample_media
from watermark.media import opens_as, sniff_media_type


@pytest.mark.parametrize(
    "media_type", ["image/png", "image/jpeg", "audio/wav", "audio/mpeg", "audio/flac", "video/mp4"]
)
def test_every_format_the_gateway_signs_is_recognised_and_opens(media_type: str) -> None:
    data = sample_media(media_type)

    assert sniff_media_type(data) == media_type
    assert opens_as(data, media_type)


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (b"GIF89a", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"II*\x00", "image/tiff"),
        (b"\x00\x00\x00\x1cftypheic", "image/heic"),
        (b"\x00\x00\x00\x1cftypavif", "image/avif"),
        (b"\x00\x00\x00\x14ftypqt  ", "video/quicktime"),
        (b"\x00\x00\x00\x18ftypisom", "video/mp4"),
        (b"\xff\xfb\x90\x00", "audio/mpeg"),  # an MPEG-1 layer III frame, no ID3 tag
    ],
)
def test_other_c2pa_formats_are_recognised_by_their_magic(head: bytes, media_type: str) -> None:
    assert sniff_media_type(head + b"\x00" * 32) == media_type


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"plain text",
        b"%PDF-1.7",
        b"\xff\xff\xff\xff",  # sync bits, but a reserved bitrate and sample rate
        b"RIFF\x00\x00\x00\x00AVIX",
        b"PK\x03\x04",
    ],
)
def test_anything_else_is_not_media(data: bytes) -> None:
    assert sniff_media_type(data) is None


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
        (b"RIFF\x24\x00\x00\x00WAVE" + b"\x01" * 64, "audio/wav"),
        (b"fLaC" + b"\x00" * 64, "audio/flac"),
        (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, "video/mp4"),
    ],
)
def test_junk_with_the_right_magic_does_not_open(data: bytes, media_type: str) -> None:
    assert sniff_media_type(data) == media_type
    assert not opens_as(data, media_type)
