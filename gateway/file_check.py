"""Did this file come from us? The answer for one file, as ``POST /v1/verify`` and
``consentgate artifact inspect`` give it.

``inspect_bytes`` sniffs the format from the bytes (never the client's content type), then
judges the C2PA manifest (watermark.check_provenance). Linking the answer to the audit log
and the artifact, for callers who may see them, is the gateway's part (gateway.file_verifier);
the offline command answers without it. Kept free of the database and the engines, so the
command starts fast.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from typing import Any, Literal

from pydantic import BaseModel, Field

from gateway.errors import GatewayError
from watermark import (
    FileState,
    MediaUnreadable,
    OwnSigner,
    Provenance,
    check_provenance,
    sniff_media_type,
)

# The largest output the gateway makes (a standard-profile video clip) is a few MiB; 32 MiB
# also takes a camera photo signed elsewhere, and bounds what one check holds in memory
# (c2pa reads the file twice when it proves the gateway's own signature).
MAX_VERIFY_BYTES = 32 * 1024 * 1024

RecordStatus = Literal["shown", "withheld", "not_found", "not_ours", "offline"]


class FileTooLarge(GatewayError):
    status = 413


class FileUnsupported(GatewayError):
    status = 415


class SignerPublic(BaseModel):
    common_name: str | None
    issuer: str | None = Field(description="the issuing organisation, as the manifest names it")
    serial_number: str | None
    algorithm: str | None
    signed_at: str | None


class ArtifactLink(BaseModel):
    artifact_id: str
    owner: str
    mime_type: str
    sha256: str
    audit_seq: int
    manifest_label: str
    url: str


class RecordLink(BaseModel):
    """The audit entry and artifact a file signed by this gateway names.

    ``status``: ``shown`` (below), ``withheld`` (the caller is neither the requester nor a role
    that oversees others), ``not_found`` (signed by us, but the log holds no generation entry
    with this manifest), ``not_ours`` (not a valid file signed by this gateway: what its
    manifest claims links to nothing), ``offline`` (no log to look in).
    """

    status: RecordStatus
    audit_entry: dict[str, Any] | None = Field(
        default=None, description="the generation's audit entry, as GET /v1/audit shows it"
    )
    artifact: ArtifactLink | None = None
    same_bytes: bool | None = Field(
        default=None, description="the file is byte for byte the output the entry records"
    )


class FileCheck(BaseModel):
    """Whether a file carries a C2PA manifest, how far it holds, and whether we signed it."""

    state: FileState = Field(description="no_manifest, invalid, untrusted or valid")
    has_manifest: bool
    signed_by_us: bool = Field(description="signed with this gateway's own certificate")
    explanation: str
    media_type: str = Field(description="sniffed from the bytes")
    size: int
    sha256: str
    manifest_label: str | None
    validation_state: str | None = Field(description="c2pa's own word: Trusted, Valid, Invalid")
    failures: list[str] = Field(description="c2pa's failure codes for the active manifest")
    signer: SignerPublic | None
    assertion: dict[str, Any] | None = Field(
        description="org.consentgate.generation as the manifest states it; proven only when "
        "signed_by_us"
    )
    record: RecordLink


def inspect_bytes(data: bytes, trust_anchors_pem: str, own: OwnSigner | None) -> Provenance:
    """Judge a file's manifest; ``own`` is this gateway's signer (None: nothing is ours).

    Raises:
        FileTooLarge: over MAX_VERIFY_BYTES (file_too_large).
        FileUnsupported: empty, or not an image, audio or video format c2pa reads
            (file_type_unsupported), or one that does not parse and holds no manifest
            (file_unreadable).
    """
    if len(data) > MAX_VERIFY_BYTES:
        raise FileTooLarge("file_too_large", f"a file may be at most {MAX_VERIFY_BYTES} bytes")
    media_type = sniff_media_type(data)
    if media_type is None:
        raise FileUnsupported(
            "file_type_unsupported",
            "not an image, audio or video format that carries C2PA manifests "
            "(PNG, JPEG, GIF, WebP, TIFF, AVIF, HEIF, WAV, MP3, FLAC, MP4, MOV, AVI)",
        )
    try:
        return check_provenance(data, media_type, trust_anchors_pem, own)
    except MediaUnreadable as error:
        raise FileUnsupported("file_unreadable", error.reason) from error


def answer(data: bytes, provenance: Provenance, record: RecordLink) -> FileCheck:
    """The answer for ``data``, judged as ``provenance``, linked as ``record``."""
    signer = provenance.signer
    return FileCheck(
        state=provenance.state,
        has_manifest=provenance.state is not FileState.NO_MANIFEST,
        signed_by_us=provenance.signed_by_us,
        explanation=provenance.reason,
        media_type=provenance.media_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        manifest_label=provenance.report.label,
        validation_state=provenance.report.validation_state,
        failures=list(provenance.failures),
        signer=None if signer is None else SignerPublic(**asdict(signer)),
        assertion=provenance.assertion,
        record=record,
    )
