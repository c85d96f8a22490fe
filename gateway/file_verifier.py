"""``POST /v1/verify``: a file judged (gateway.file_check), linked to the audit entry and the
artifact its manifest names when the caller may see them, and audited either way.

The link is made only for a valid file signed by this gateway, and only when the entry at the
seq the assertion names is the generation that produced this very manifest (same label): a
manifest signed elsewhere can name any seq, and must not reach our log through it.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from typing import Any

from audit import AuditEntry
from gateway.audit_writer import AuditWriter
from gateway.auth import Principal
from gateway.context import RequestContext
from gateway.file_check import ArtifactLink, FileCheck, RecordLink, answer, inspect_bytes
from gateway.oversight import may_read_others
from gateway.pipeline import Pipeline
from gateway.refusals import RefusalPath
from gateway.schemas import AuditEntryPublic
from gateway.services import Services
from watermark import OwnSigner, Provenance

# A manifest label is a URN of some 50 characters; a foreign one is cut, so the entry stays small.
_MAX_LABEL_CHARS = 200


class FileVerifier:
    def __init__(
        self, services: Services, pipeline: Pipeline, writer: AuditWriter, refusals: RefusalPath
    ) -> None:
        self._s = services
        self._pipeline = pipeline
        self._writer = writer
        self._refusals = refusals
        self._own = OwnSigner(services.signer.chain_pem, services.signer.trust_anchors_pem)

    def verify(self, principal: Principal, data: bytes, ctx: RequestContext) -> FileCheck:
        """Judge ``data`` for ``principal`` (audited, allow or refusal).

        Raises:
            PolicyError: the caller's roles may not verify files.
            FileTooLarge, FileUnsupported: see gateway.file_check.inspect_bytes.
        """
        self._pipeline.authorise(principal, "file", "verify", ctx)
        details: dict[str, Any] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        with self._refusals.guard(ctx, "verify", details=details):
            provenance = inspect_bytes(data, self._s.signer.trust_anchors_pem, self._own)
        record = self._record(principal, provenance, details["sha256"])
        checked = answer(data, provenance, record)
        self._writer.allow(ctx, "verify", checked.explanation, details=_audited(checked, details))
        return checked

    def _record(self, principal: Principal, provenance: Provenance, sha256: str) -> RecordLink:
        if not provenance.signed_by_us:
            return RecordLink(status="not_ours")
        entry = self._generation_entry(provenance)
        if entry is None:
            return RecordLink(status="not_found")
        if entry.subject != principal.subject and not may_read_others(
            self._s.access, principal, "artifact"
        ):
            return RecordLink(status="withheld")
        public = AuditEntryPublic(**asdict(entry))  # the prompt stays with GET /v1/audit
        return RecordLink(
            status="shown",
            audit_entry=public.model_dump(mode="json"),
            artifact=self._artifact(entry),
            same_bytes=entry.output_sha256 == sha256,
        )

    def _generation_entry(self, provenance: Provenance) -> AuditEntry | None:
        """The allowed generation whose manifest this is, or None."""
        seq = claimed_seq(provenance.assertion)
        if seq is None:
            return None
        entry = self._s.audit.get(seq)
        if (
            entry is None
            or entry.action != "generate"
            or entry.decision != "allow"
            or entry.manifest_label != provenance.report.label
        ):
            return None
        return entry

    def _artifact(self, entry: AuditEntry) -> ArtifactLink | None:
        artifact_id = entry.details.get("artifact_id")
        artifact = self._s.artifacts.get(artifact_id) if isinstance(artifact_id, str) else None
        if artifact is None or artifact.audit_seq != entry.seq:
            return None
        return ArtifactLink(
            artifact_id=artifact.id,
            owner=artifact.owner,
            mime_type=artifact.mime_type,
            sha256=artifact.sha256,
            audit_seq=artifact.audit_seq,
            manifest_label=artifact.manifest_label,
            url=f"/v1/artifacts/{artifact.id}",
        )


def claimed_seq(assertion: dict[str, Any] | None) -> int | None:
    """The audit seq an assertion names; None unless a plausible one (a foreign manifest may
    put anything there: a string, a float, 10 MB of JSON)."""
    seq = (assertion or {}).get("audit_seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq < 2**63:
        return None
    return seq


def _audited(checked: FileCheck, details: dict[str, Any]) -> dict[str, Any]:
    """What the verify entry records: the file, the verdict, what was linked and shown."""
    entry = checked.record.audit_entry
    return {
        **details,
        "media_type": checked.media_type,
        "state": checked.state.value,
        "signed_by_us": checked.signed_by_us,
        "claimed_seq": claimed_seq(checked.assertion),
        "manifest_label": (checked.manifest_label or "")[:_MAX_LABEL_CHARS] or None,
        "record": checked.record.status,
        **({"shown_seq": entry["seq"]} if entry is not None else {}),
    }
