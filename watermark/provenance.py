"""Did this file come from us? A file's C2PA manifest judged against the organisation's trust
anchors, and against this gateway's own signing certificate.

States (``FileState``):

- ``no_manifest``: the file carries no C2PA manifest (never signed, or stripped).
- ``invalid``: it carries one that does not hold: the file was changed after signing, the
  signature is broken, or the file is damaged around its manifest.
- ``untrusted``: the manifest is intact, but its signer does not chain to the organisation's
  trust anchors (another organisation, a self-made key).
- ``valid``: intact and signed by a certificate the organisation trusts.

``signed_by_us`` is stricter than ``valid``: the signing certificate must carry this
gateway's serial number and name, and the signature must chain to the very CA that issued this
gateway's certificate (read a second time with that CA as the only anchor), so another CA the
organisation also trusts cannot mint a look-alike. Serial numbers are unique per issuer
(RFC 5280 §4.1.2.2).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import c2pa as c2pa_sdk
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from watermark.c2pa import CONSENTGATE_ASSERTION, ManifestReport, read_manifest_strict
from watermark.errors import CredentialsError, MediaUnreadable
from watermark.media import opens_as

_log = logging.getLogger(__name__)

# Boxes a C2PA manifest store is made of (JUMBF superbox type and the store's label): a file
# c2pa cannot parse that holds them was damaged around a manifest, not junk.
_MANIFEST_TRACES = (b"jumb", b"c2pa")
# How much of c2pa's own error a reason repeats (it may quote bytes of the file).
_MAX_ERROR_CHARS = 160


class FileState(StrEnum):
    NO_MANIFEST = "no_manifest"
    INVALID = "invalid"
    UNTRUSTED = "untrusted"
    VALID = "valid"


@dataclass(frozen=True)
class SignerInfo:
    """The signing certificate as the manifest describes it."""

    common_name: str | None
    issuer: str | None
    serial_number: str | None
    algorithm: str | None
    signed_at: str | None


@dataclass(frozen=True)
class Provenance:
    """What a file's manifest says and how far it holds."""

    media_type: str
    state: FileState
    signed_by_us: bool
    report: ManifestReport
    signer: SignerInfo | None
    failures: tuple[str, ...]
    reason: str

    @property
    def assertion(self) -> dict[str, Any] | None:
        """The consentgate assertion, as the manifest states it (proven only if signed_by_us)."""
        return self.report.assertion(CONSENTGATE_ASSERTION)


def _first_name(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None


class OwnSigner:
    """This gateway's signing certificate and the CA certificate that issued it."""

    def __init__(self, chain_pem: str, trust_anchors_pem: str) -> None:
        """Raises CredentialsError when the chain holds no certificate."""
        try:
            chain = x509.load_pem_x509_certificates(chain_pem.encode())
            anchors = x509.load_pem_x509_certificates(trust_anchors_pem.encode())
        except ValueError as exc:
            raise CredentialsError("the signing certificate chain could not be read") from exc
        self.certificate = chain[0]
        self.common_name = _first_name(self.certificate.subject, NameOID.COMMON_NAME)
        self.issuer_pem = self._issuer_pem([*chain[1:], *anchors])
        if self.issuer_pem is None:
            # Fail closed: without the issuer nothing can be proven to be ours.
            _log.warning("the CA that issued the signing certificate is not among the anchors")

    def _issuer_pem(self, candidates: list[x509.Certificate]) -> str | None:
        for candidate in candidates:
            if candidate.subject != self.certificate.issuer:
                continue
            try:
                self.certificate.verify_directly_issued_by(candidate)
            except (ValueError, TypeError, InvalidSignature):
                continue
            return candidate.public_bytes(serialization.Encoding.PEM).decode()
        return None

    def named_in(self, signer: SignerInfo | None) -> bool:
        """The manifest's signer carries this certificate's serial number and name."""
        return (
            signer is not None
            and signer.serial_number == str(self.certificate.serial_number)
            and signer.common_name == self.common_name
        )


def _signer(report: ManifestReport) -> SignerInfo | None:
    info = (report.manifest or {}).get("signature_info")
    if not isinstance(info, dict):
        return None

    def text(key: str) -> str | None:
        value = info.get(key)
        return None if value is None else str(value)

    return SignerInfo(
        common_name=text("common_name"),
        issuer=text("issuer"),
        serial_number=text("cert_serial_number"),
        algorithm=text("alg"),
        signed_at=text("time"),
    )


def _failures(report: ManifestReport) -> tuple[str, ...]:
    active = (report.validation_results or {}).get("activeManifest") or {}
    return tuple(str(item.get("code")) for item in active.get("failure") or ())


def _state(report: ManifestReport) -> tuple[FileState, str]:
    if report.validation_state == "Trusted":
        return FileState.VALID, "the manifest holds and its signer is trusted"
    if report.validation_state == "Valid":
        return (
            FileState.UNTRUSTED,
            "the manifest is intact, but its signer does not chain to the organisation's "
            "trust anchors",
        )
    return FileState.INVALID, "the manifest does not hold: the file or its manifest was changed"


def _unread(media_type: str, data: bytes, error: c2pa_sdk.C2paError) -> Provenance:
    """The answer for a file c2pa could not read (raises MediaUnreadable for junk)."""
    empty = ManifestReport(None, None, None, None)
    if isinstance(error, c2pa_sdk.C2paError.ManifestNotFound):
        if not opens_as(data, media_type):  # c2pa skims some containers (RIFF) leniently
            raise MediaUnreadable(f"not a readable {media_type} file")
        reason = "the file carries no C2PA manifest"
        return Provenance(media_type, FileState.NO_MANIFEST, False, empty, None, (), reason)
    # c2pa raises a plain C2paError ("Remote: must fetch …") when fetching is off.
    if isinstance(error, c2pa_sdk.C2paError.RemoteManifest) or str(error).startswith("Remote"):
        reason = "the file only names a manifest at a URL, which is never fetched"
        return Provenance(media_type, FileState.NO_MANIFEST, False, empty, None, (), reason)
    detail = str(error)[:_MAX_ERROR_CHARS]
    if not all(trace in data for trace in _MANIFEST_TRACES):
        raise MediaUnreadable(f"not a readable {media_type} file ({detail})")
    reason = f"the file is damaged around its manifest ({detail})"
    return Provenance(media_type, FileState.INVALID, False, empty, None, (), reason)


def check_provenance(
    data: bytes, media_type: str, trust_anchors_pem: str, own: OwnSigner | None
) -> Provenance:
    """Judge the manifest of ``data`` (of ``media_type``, as sniffed) against the anchors, and
    whether ``own`` signed it (never, when ``own`` is None).

    Raises:
        MediaUnreadable: c2pa cannot parse the file and it holds no trace of a manifest.
    """
    try:
        report = read_manifest_strict(data, media_type, trust_anchors_pem)
    except c2pa_sdk.C2paError as error:
        return _unread(media_type, data, error)
    state, reason = _state(report)
    signer = _signer(report)
    ours = (
        state is FileState.VALID
        and own is not None
        and own.issuer_pem is not None
        and own.named_in(signer)
        and _trusted_by(data, media_type, own.issuer_pem)
    )
    if ours:
        reason = "signed by this gateway; the content it signed is unchanged"
    return Provenance(media_type, state, ours, report, signer, _failures(report), reason)


def _trusted_by(data: bytes, media_type: str, anchor_pem: str) -> bool:
    try:
        return read_manifest_strict(data, media_type, anchor_pem).trusted
    except c2pa_sdk.C2paError:
        return False
