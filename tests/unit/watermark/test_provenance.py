"""check_provenance on real signed files: each state, and what makes a file ours."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import sample_media
from watermark import (
    CredentialsError,
    FileState,
    GenerationManifest,
    ManifestSigner,
    MediaUnreadable,
    OwnSigner,
    SigningCredentials,
    check_provenance,
    ensure_dev_credentials,
)

MANIFEST = GenerationManifest("a.png", "image", "m", "req", 3, "internal", "Apache-2.0", "0.1.0")


@pytest.fixture
def ours(tmp_path: Path) -> SigningCredentials:
    return ensure_dev_credentials(tmp_path / "ours", "Acme")


@pytest.fixture
def signed(ours: SigningCredentials) -> bytes:
    return ManifestSigner(ours).sign(sample_media("image/png"), "image/png", MANIFEST).data


def test_our_file_is_valid_and_ours(ours: SigningCredentials, signed: bytes) -> None:
    own = OwnSigner(ours.chain_pem, ours.trust_anchors_pem)

    result = check_provenance(signed, "image/png", ours.trust_anchors_pem, own)

    assert (result.state, result.signed_by_us) == (FileState.VALID, True)
    assert result.assertion is not None and result.assertion["audit_seq"] == 3
    assert result.signer is not None and result.signer.issuer == "Acme"


def test_without_our_signer_nothing_is_ours(ours: SigningCredentials, signed: bytes) -> None:
    result = check_provenance(signed, "image/png", ours.trust_anchors_pem, None)

    assert (result.state, result.signed_by_us) == (FileState.VALID, False)


def test_without_the_ca_that_issued_our_certificate_nothing_is_ours(
    ours: SigningCredentials, signed: bytes, tmp_path: Path
) -> None:
    """Fail closed: our certificate alone, with anchors that do not hold its issuer."""
    leaf_only = ours.chain_pem.split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n"
    unrelated = ensure_dev_credentials(tmp_path / "unrelated", "Other").trust_anchors_pem
    own = OwnSigner(leaf_only, unrelated)

    result = check_provenance(signed, "image/png", ours.trust_anchors_pem, own)

    assert own.issuer_pem is None
    assert (result.state, result.signed_by_us) == (FileState.VALID, False)


def test_a_file_of_another_organisation_is_untrusted(
    ours: SigningCredentials, tmp_path: Path
) -> None:
    theirs = ensure_dev_credentials(tmp_path / "theirs", "Other")
    data = ManifestSigner(theirs).sign(sample_media("image/png"), "image/png", MANIFEST).data
    own = OwnSigner(ours.chain_pem, ours.trust_anchors_pem)

    result = check_provenance(data, "image/png", ours.trust_anchors_pem, own)

    assert (result.state, result.signed_by_us) == (FileState.UNTRUSTED, False)
    assert result.failures == ("signingCredential.untrusted",)


def test_no_manifest_and_junk(ours: SigningCredentials) -> None:
    plain = check_provenance(sample_media("image/png"), "image/png", ours.trust_anchors_pem, None)

    assert plain.state is FileState.NO_MANIFEST
    with pytest.raises(MediaUnreadable, match="not a readable image/png file"):
        check_provenance(
            b"\x89PNG\r\n\x1a\n" + b"\x07" * 99, "image/png", ours.trust_anchors_pem, None
        )


def test_a_chain_without_a_certificate_is_refused() -> None:
    with pytest.raises(CredentialsError, match="could not be read"):
        OwnSigner("not a certificate", "")
