from __future__ import annotations

import io
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image

from watermark import (
    CONSENTGATE_ASSERTION,
    GenerationManifest,
    ManifestInvalid,
    ManifestSigner,
    SigningFailed,
    ensure_dev_credentials,
    load_credentials,
    read_manifest,
)

MANIFEST = GenerationManifest(
    title="a.png",
    engine="image",
    model_id="consentgate/tiny-sd",
    request_id="01REQ",
    audit_seq=42,
    purpose="internal",
    licence="Apache-2.0",
    software_version="0.1.0",
)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_dev_certificates_have_what_c2pa_requires(tmp_path: Path) -> None:
    ensure_dev_credentials(tmp_path, "Acme")
    ca = x509.load_pem_x509_certificate((tmp_path / "ca.pem").read_bytes())
    signer = x509.load_pem_x509_certificate((tmp_path / "signer.pem").read_bytes())

    assert signer.issuer == ca.subject != signer.subject  # not self-signed
    assert signer.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Acme"
    usage = signer.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature
    eku = signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.EMAIL_PROTECTION]
    signer.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    assert not signer.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert (tmp_path / "signer.key").stat().st_mode & 0o777 == 0o600


def test_dev_credentials_are_created_once(tmp_path: Path) -> None:
    first = ensure_dev_credentials(tmp_path, "Acme")
    second = ensure_dev_credentials(tmp_path, "Acme")
    assert first.chain_pem == second.chain_pem


def test_signed_png_reads_back_trusted_with_our_assertion(tmp_path: Path) -> None:
    signer = ManifestSigner(ensure_dev_credentials(tmp_path, "Acme"))
    asset = signer.sign(png(), "image/png", MANIFEST)
    report = read_manifest(asset.data, "image/png", signer.trust_anchors_pem)
    assert report.trusted
    assert report.label == asset.manifest_label
    assert report.assertion(CONSENTGATE_ASSERTION)["audit_seq"] == 42  # type: ignore[index]
    assert report.manifest is not None
    assert report.manifest["signature_info"]["issuer"] == "Acme"


def test_thumbnails_are_off_by_default(tmp_path: Path) -> None:
    credentials = ensure_dev_credentials(tmp_path, "Acme")
    without = ManifestSigner(credentials).sign(png(), "image/png", MANIFEST)
    with_thumbnail = ManifestSigner(credentials, thumbnails=True).sign(png(), "image/png", MANIFEST)
    assert len(with_thumbnail.data) > len(without.data)


def test_another_organisations_ca_does_not_trust_our_asset(tmp_path: Path) -> None:
    ours = ManifestSigner(ensure_dev_credentials(tmp_path / "ours", "Acme"))
    theirs = ensure_dev_credentials(tmp_path / "theirs", "Other")
    asset = ours.sign(png(), "image/png", MANIFEST)
    report = read_manifest(asset.data, "image/png", theirs.trust_anchors_pem)
    assert report.validation_state == "Valid"
    assert not report.trusted


def test_edited_pixels_fail_validation(tmp_path: Path) -> None:
    signer = ManifestSigner(ensure_dev_credentials(tmp_path, "Acme"))
    asset = signer.sign(png(), "image/png", MANIFEST)
    image = Image.open(io.BytesIO(asset.data))
    edited = bytearray(asset.data)
    # Flip a byte inside the image data chunk (after the manifest chunk, before IEND).
    idat = asset.data.rindex(b"IDAT")
    edited[idat + 10] ^= 0xFF
    report = read_manifest(bytes(edited), "image/png", signer.trust_anchors_pem)
    assert image.size == (32, 32)
    assert not report.trusted


def test_unsigned_asset_has_no_manifest(tmp_path: Path) -> None:
    credentials = ensure_dev_credentials(tmp_path, "Acme")
    report = read_manifest(png(), "image/png", credentials.trust_anchors_pem)
    assert (report.label, report.validation_state) == (None, None)


def test_unsupported_format_is_refused(tmp_path: Path) -> None:
    signer = ManifestSigner(ensure_dev_credentials(tmp_path, "Acme"))
    with pytest.raises(SigningFailed, match="not supported for text/plain"):
        signer.sign(b"hello", "text/plain", MANIFEST)


def test_signer_with_a_certificate_readers_do_not_trust_is_refused(tmp_path: Path) -> None:
    ours = ensure_dev_credentials(tmp_path / "ours", "Acme")
    theirs = ensure_dev_credentials(tmp_path / "theirs", "Other")
    mismatched = load_credentials(
        tmp_path / "ours" / "signer.pem",
        tmp_path / "ours" / "signer.key",
        tmp_path / "theirs" / "ca.pem",
        chain_path=tmp_path / "ours" / "ca.pem",
    )
    assert ours.chain_pem == mismatched.chain_pem and theirs
    with pytest.raises(ManifestInvalid, match="not a trusted manifest"):
        ManifestSigner(mismatched).sign(png(), "image/png", MANIFEST)
