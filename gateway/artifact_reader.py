"""Reading generated artifacts back: the bytes and their C2PA manifest, audited per read."""

from __future__ import annotations

from gateway.artifacts import StoredArtifact
from gateway.audit_writer import AuditWriter
from gateway.auth import Principal
from gateway.context import RequestContext
from gateway.errors import NotFound
from gateway.oversight import may_read_others
from gateway.refusals import RefusalPath
from gateway.services import Services
from watermark import ManifestReport, read_manifest


class ArtifactReader:
    def __init__(self, services: Services, writer: AuditWriter, refusals: RefusalPath) -> None:
        self._s = services
        self._writer = writer
        self._refusals = refusals

    def fetch(self, principal: Principal, artifact_id: str, ctx: RequestContext) -> StoredArtifact:
        """The artifact, for its requester or a role that oversees others' (audited).

        Raises:
            NotFound: it does not exist, or the caller may not see it (indistinguishable).
        """
        details = {"artifact_id": artifact_id}
        artifact = self._s.artifacts.get(artifact_id)
        visible = artifact is not None and (
            artifact.owner == principal.subject
            or may_read_others(self._s.access, principal, "artifact")
        )
        if artifact is None or not visible:
            error = NotFound("artifact_not_found", f"no artifact {artifact_id}")
            self._refusals.refuse(ctx, "read_artifact", error, details=details)
        self._writer.allow(
            ctx,
            "read_artifact",
            f"read by {principal.subject}",
            details={**details, "owner": artifact.owner},
        )
        return artifact

    def manifest(
        self, principal: Principal, artifact_id: str, ctx: RequestContext
    ) -> ManifestReport:
        """The artifact's C2PA manifest as a reader trusting the organisation's CA sees it.

        Raises:
            NotFound: as for ``fetch``.
        """
        artifact = self.fetch(principal, artifact_id, ctx)
        data = artifact.path.read_bytes()
        return read_manifest(data, artifact.mime_type, self._s.signer.trust_anchors_pem)
