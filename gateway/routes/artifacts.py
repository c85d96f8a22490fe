from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from gateway.deps import ArtifactReaderDep, ContextDep, PrincipalDep
from gateway.schemas import ManifestPublic, PathId

router = APIRouter(prefix="/v1", tags=["artifacts"])


@router.get("/artifacts/{artifact_id}", response_class=FileResponse)
def get_artifact(
    artifact_id: PathId, principal: PrincipalDep, reader: ArtifactReaderDep, ctx: ContextDep
) -> FileResponse:
    """The signed bytes, for their requester, a compliance officer or an admin; 404 otherwise."""
    artifact = reader.fetch(principal, artifact_id, ctx)
    return FileResponse(
        artifact.path,
        media_type=artifact.mime_type,
        headers={
            "X-Consentgate-Sha256": artifact.sha256,
            "X-Consentgate-Audit-Seq": str(artifact.audit_seq),
        },
    )


@router.get("/artifacts/{artifact_id}/manifest", response_model=ManifestPublic)
def get_artifact_manifest(
    artifact_id: PathId, principal: PrincipalDep, reader: ArtifactReaderDep, ctx: ContextDep
) -> ManifestPublic:
    """The artifact's C2PA manifest and its validation against the organisation's CA."""
    report = reader.manifest(principal, artifact_id, ctx)
    return ManifestPublic(
        artifact_id=artifact_id,
        manifest_label=report.label,
        validation_state=report.validation_state,
        trusted=report.trusted,
        manifest=report.manifest,
        validation_results=report.validation_results,
    )
