from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from ulid import ULID

import audit
from gateway.audit_reads import asked, search_entries, term
from gateway.context import RequestContext
from gateway.deps import AuditWriterDep, ContextDep, RefusalsDep, ServicesDep, require
from gateway.errors import NotFound
from gateway.query_params import FiltersDep, KnownQueryOnly
from gateway.refusals import RefusalPath
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
    details: dict[str, object] = {"filters": asked(filters), "group_by": group_by}
    with refusals.guard(ctx, "read_audit", details=details):
        rows = audit.summary(services.db, filters, group_by)
    writer.allow(
        ctx, "read_audit", "audit summary", {**details, "groups": len(rows)}, term(filters)
    )
    return AuditSummaryPublic(
        group_by=group_by,
        groups=[AuditGroupPublic(key=row.key, count=row.count) for row in rows],
        total=sum(row.count for row in rows),
        truncated=len(rows) >= audit.query.MAX_GROUPS,
    )


EXPORT_ID_HEADER = "Consentgate-Export-Id"
ExportFormat = Literal["jsonl", "csv"]


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
    export_id = str(ULID())
    details: dict[str, Any] = {
        "export_id": export_id,
        "format": export_format,
        "filters": {k: v for k, v in audit.digest_filters(filters).items() if k != "q"},
    }
    with refusals.guard(ctx, "export_audit", details=details):
        plan = audit.plan_export(services.db, services.audit, filters, export_format, export_id)
    details["head_seq"] = plan.head.seq
    writer.allow(ctx, "export_audit", "audit export", details, term(filters))
    chunks = audit.stream_export(services.db, services.audit, plan)
    return StreamingResponse(
        _recorded(chunks, refusals, ctx, details),
        media_type=audit.EXPORT_MEDIA_TYPES[export_format],
        headers={
            EXPORT_ID_HEADER: export_id,
            "Link": f'</v1/audit/exports/{export_id}/digest>; rel="describedby"',
            "Content-Disposition": (
                f'attachment; filename="consentgate-audit-{export_id}.{export_format}"'
            ),
        },
    )


def _recorded(
    chunks: Iterator[bytes], refusals: RefusalPath, ctx: RequestContext, details: dict[str, Any]
) -> Iterator[bytes]:
    """The export's stream; a failure after the first byte is recorded as the export's refusal
    (the body is then cut off without a digest, which no verifier accepts)."""
    with refusals.guard(ctx, "export_audit", details=details):
        yield from chunks


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
    details = {"export_id": export_id, "read": "digest"}
    with refusals.guard(ctx, "export_audit", details=details):
        digest = audit.stored_digest(services.db, services.audit, export_id)
        if digest is None:
            raise NotFound("export_not_found", "no finished export has this id")
    writer.allow(ctx, "export_audit", "audit export digest", details=details)
    return digest.record()


@router.get(
    "/verify", response_model=VerifyPublic, dependencies=[Depends(require("audit", "verify"))]
)
def verify_audit(services: ServicesDep, writer: AuditWriterDep, ctx: ContextDep) -> VerifyPublic:
    """Recompute the chain and check the signed checkpoints."""
    report = audit.verify_log(services.db, services.audit, services.audit.checkpoint_key.public_key)
    writer.allow(ctx, "verify", f"verify: ok={report.ok}", details={"entries": report.entries})
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
