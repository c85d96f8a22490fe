"""What kind of media a file is, from its bytes: a client's content type is never trusted.

Only formats that both carry C2PA manifests and that c2pa reads are recognised; anything else
is not a file whose provenance this package can tell.
"""

from __future__ import annotations

import io

# ISO base media (MP4 family): the major brand, at bytes 8–12, names the kind.
_BMFF_BRANDS = {
    b"avif": "image/avif",
    b"avis": "image/avif",
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"mif1": "image/heif",
    b"msf1": "image/heif",
    b"qt  ": "video/quicktime",
    b"M4A ": "audio/mp4",
}
_MPEG_AUDIO_LAYER_BITS = 0x06
_MPEG_AUDIO_BITRATE_BITS = 0xF0
_MPEG_AUDIO_RATE_BITS = 0x0C


def _mpeg_audio_frame(head: bytes) -> bool:
    """An MPEG audio frame header (an MP3 without an ID3 tag): 11 sync bits, then a layer, a
    bitrate and a sample rate that are not the reserved values."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    layer_ok = head[1] & _MPEG_AUDIO_LAYER_BITS != 0
    bitrate_ok = head[2] & _MPEG_AUDIO_BITRATE_BITS != _MPEG_AUDIO_BITRATE_BITS
    rate_ok = head[2] & _MPEG_AUDIO_RATE_BITS != _MPEG_AUDIO_RATE_BITS
    return layer_ok and bitrate_ok and rate_ok


def sniff_media_type(data: bytes) -> str | None:
    """The media type the first bytes of ``data`` announce, or None for anything else."""
    head = data[:16]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if head.startswith(b"RIFF") and len(head) >= 12:
        return {b"WAVE": "audio/wav", b"WEBP": "image/webp", b"AVI ": "video/avi"}.get(head[8:12])
    if head.startswith(b"fLaC"):
        return "audio/flac"
    if head.startswith(b"ID3") or _mpeg_audio_frame(head):
        return "audio/mpeg"
    if head[4:8] == b"ftyp" and len(head) >= 12:
        return _BMFF_BRANDS.get(head[8:12], "video/mp4")
    return None


def opens_as(data: bytes, media_type: str) -> bool:
    """Whether ``data`` really is a file of ``media_type``: its header and structure parse
    (Pillow for still images, FFmpeg's demuxers for the rest; nothing is decoded). Catches the
    junk that starts with the right magic bytes."""
    if media_type in _PILLOW_TYPES:
        # FFmpeg's image demuxers accept a bare PNG signature: Pillow alone judges these.
        return _pillow_opens(data)
    if media_type.startswith("image/") and _pillow_opens(data):
        return True  # AVIF, HEIF: Pillow when built with them, else FFmpeg's MP4 demuxer
    return _ffmpeg_opens(data)


_PILLOW_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/tiff", "image/webp"})


def _pillow_opens(data: bytes) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()  # structure and checksums, without decoding the pixels
    except Exception:  # whatever a parser raises on hostile bytes means "not this format"
        return False
    return True


def _ffmpeg_opens(data: bytes) -> bool:
    import av

    try:
        with av.open(io.BytesIO(data), "r") as container:
            return any(stream.type in ("audio", "video") for stream in container.streams)
    except Exception:  # as above: any demuxer failure means "not this format"
        return False
