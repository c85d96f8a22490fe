from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

import audit
from gateway.audit_reads import (
    EXPORT_ID_HEADER,
    ExportFormat,
    export_digest,
    search_entries,
    start_export,
    summarise_entries,
    verify_chain,
)
from gateway.deps import AuditWriterDep, ContextDep, RefusalsDep, ServicesDep, require
from gateway.query_params import FiltersDep, KnownQueryOnly
from gateway.schemas import (
    AuditEntryPublic,
    AuditGroupPublic,
    AuditPagePublic,
    AuditSummaryPublic,
    CheckpointPublic,
    ExportDigestDocument,
    PathId,
    ProblemPublic,
    VerifyPublic,
)

router = APIRouter(prefix="/v1/audit", tags=["audit"], dependencies=[KnownQueryOnly])


@router.get(
    "",
    response_model=AuditPagePublic,
    dependencies=[Depends(require("audit", "read_audit"))],
)
def search_audit(
    services: ServicesDep,
    writer: AuditWriterDep,
    refusals: RefusalsDep,
    ctx: ContextDep,
    filters: FiltersDep,
    limit: Annotated[int, Query(ge=1, le=audit.MAX_PAGE)] = 50,
    cursor: str | None = None,
) -> AuditPagePublic:
    """Search entries, newest first; follow ``next_cursor`` for the next page."""
    page = search_entries(services, writer, refusals, ctx, filters, limit, cursor)
    items = [
        AuditEntryPublic(**asdict(e), prompt=services.audit.prompt_fields(e.seq))
        for e in page.items
    ]
    return AuditPagePublic(items=items, next_cursor=page.next_cursor)


@router.get(
    "/summary",
    response_model=AuditSummaryPublic,
    dependencies=[Depends(require("audit", "read_audit"))],
)
def summarise_audit(
    services: ServicesDep,
    writer: AuditWriterDep,
    refusals: RefusalsDep,
    ctx: ContextDep,
    filters: FiltersDep,
    group_by: Annotated[Literal["code", "action", "subject", "model", "day"], Query()],
) -> AuditSummaryPublic:
    """Counts of the matching entries per code, action, subject, model or UTC day (by day
    oldest first, otherwise largest first; at most 1,000 groups)."""
    rows = summarise_entries(services, writer, refusals, ctx, filters, group_by)
    return AuditSummaryPublic(
        group_by=group_by,
        groups=[AuditGroupPublic(key=row.key, count=row.count) for row in rows],
        total=sum(row.count for row in rows),
        truncated=len(rows) >= audit.query.MAX_GROUPS,
    )


@router.get(
    "/export",
    response_class=StreamingResponse,
    dependencies=[Depends(require("audit", "export_audit"))],
    responses={200: {"content": {"application/x-ndjson": {}, "text/csv": {}}}},
)
def export_audit(
    services: ServicesDep,
    writer: AuditWriterDep,
    refusals: RefusalsDep,
    ctx: ContextDep,
    filters: FiltersDep,
    export_format: Annotated[ExportFormat, Query(alias="format")] = "jsonl",
) -> StreamingResponse:
    """The matching entries, oldest first, each with its hash, prev_hash and kept prompt, and a
    signed digest: the last JSON Lines record, or for CSV ``GET /v1/audit/exports/{id}/digest``
    (the id in the ``Consentgate-Export-Id`` header). The log is verified up to its head first
    (503 ``audit_export_refused`` if it does not verify)."""
    export = start_export(services, writer, refusals, ctx, filters, export_format)
    return StreamingResponse(
        export.chunks,
        media_type=export.media_type,
        headers={
            EXPORT_ID_HEADER: export.export_id,
            "Link": f'</v1/audit/exports/{export.export_id}/digest>; rel="describedby"',
            "Content-Disposition": (
                f'attachment; filename="consentgate-audit-{export.export_id}.{export_format}"'
            ),
        },
    )


@router.get(
    "/exports/{export_id}/digest",
    response_model=ExportDigestDocument,
    dependencies=[Depends(require("audit", "export_audit"))],
)
def read_export_digest(
    export_id: PathId,
    services: ServicesDep,
    writer: AuditWriterDep,
    refusals: RefusalsDep,
    ctx: ContextDep,
) -> dict[str, Any]:
    """The signed digest of a finished export (404 until its stream has ended)."""
    return export_digest(services, writer, refusals, ctx, export_id)


@router.get(
    "/verify", response_model=VerifyPublic, dependencies=[Depends(require("audit", "verify"))]
)
def verify_audit(services: ServicesDep, writer: AuditWriterDep, ctx: ContextDep) -> VerifyPublic:
    """Recompute the chain and check the signed checkpoints."""
    report = verify_chain(services, writer, ctx)
    return VerifyPublic(
        ok=report.ok,
        entries=report.entries,
        checkpoints=report.checkpoints,
        head_seq=report.head_seq,
        head_hash=report.head_hash,
        first_bad_seq=report.first_bad_seq,
        problems=[ProblemPublic(seq=p.seq, what=p.what) for p in report.problems],
    )


@router.post(
    "/checkpoints",
    status_code=201,
    response_model=CheckpointPublic,
    dependencies=[Depends(require("audit", "verify"))],
)
def create_checkpoint(
    services: ServicesDep, writer: AuditWriterDep, ctx: ContextDep
) -> CheckpointPublic:
    """Sign the current head now (also done every N entries and at shutdown)."""
    writer.allow(ctx, "verify", "checkpoint on demand")
    checkpoint = services.audit.checkpoint()
    assert checkpoint is not None  # the entry just written makes the log non-empty
    return CheckpointPublic(**asdict(checkpoint))
