"""Every format the engines will produce takes a manifest that reads back trusted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import sample_media
from watermark import (
    CONSENTGATE_ASSERTION,
    SUPPORTED_MIME_TYPES,
    GenerationManifest,
    ManifestSigner,
    ensure_dev_credentials,
    read_manifest,
)


@pytest.mark.parametrize("mime_type", sorted(SUPPORTED_MIME_TYPES))
def test_format_signs_and_validates(tmp_path: Path, mime_type: str) -> None:
    signer = ManifestSigner(ensure_dev_credentials(tmp_path, "Acme"))
    manifest = GenerationManifest(
        title=f"out.{mime_type.split('/')[1]}",
        engine="test",
        model_id="m",
        request_id="r",
        audit_seq=9,
        purpose="internal",
        licence="Apache-2.0",
        software_version="0.1.0",
    )
    original = sample_media(mime_type)
    asset = signer.sign(original, mime_type, manifest)
    report = read_manifest(asset.data, mime_type, signer.trust_anchors_pem)
    assert len(asset.data) > len(original)
    assert report.validation_state == "Trusted"
    assert report.assertion(CONSENTGATE_ASSERTION)["audit_seq"] == 9  # type: ignore[index]


def test_supported_formats_are_the_seven_the_product_serves() -> None:
    assert {
        "image/png",
        "image/jpeg",
        "image/webp",
        "audio/wav",
        "audio/mpeg",
        "audio/flac",
        "video/mp4",
    } == SUPPORTED_MIME_TYPES
