from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

import audit
from gateway.deps import AuditWriterDep, ContextDep, RefusalsDep, ServicesDep, require
from gateway.errors import InvalidRequest
from gateway.schemas import (
    AuditEntryPublic,
    AuditPagePublic,
    CheckpointPublic,
    PrintableText,
    ProblemPublic,
    VerifyPublic,
)

router = APIRouter(prefix="/v1/audit", tags=["audit"])


def _iso(moment: dt.datetime | None, name: str) -> str | None:
    """UTC ISO 8601 as the log stores it. Raises InvalidRequest for a time that has no UTC
    form (a year-1 time with a positive offset, year 9999 with a negative one)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        utc = moment.astimezone(dt.UTC)
    except OverflowError as exc:
        raise InvalidRequest("time_out_of_range", f"{name} is out of range") from exc
    return utc.isoformat(timespec="microseconds").replace("+00:00", "Z")


# A filter is compared with stored values: bounded, and without control characters (a NUL
# would fail the query on PostgreSQL). Subjects are the IdP's (OIDC: at most 255 characters).
FilterText = Annotated[PrintableText | None, Query(max_length=255)]


def audit_filters(
    decision: FilterText = None,
    code: FilterText = None,
    subject: FilterText = None,
    action: FilterText = None,
    engine: FilterText = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> audit.AuditFilter:
    """The filters search and export share, from the query string."""
    return audit.AuditFilter(
        decision, code, subject, action, engine, _iso(since, "since"), _iso(until, "until")
    )


FiltersDep = Annotated[audit.AuditFilter, Depends(audit_filters)]


def _asked(filters: audit.AuditFilter) -> dict[str, str]:
    """The filters a reader used, for the entry that records the read."""
    return {name: value for name, value in asdict(filters).items() if value is not None}


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
    details: dict[str, object] = {"filters": _asked(filters), "limit": limit, "cursor": cursor}
    with refusals.guard(ctx, "read_audit", details=details):
        page = audit.search(services.db, filters, limit, cursor)
    writer.allow(ctx, "read_audit", "audit search", {**details, "returned": len(page.items)})
    items = [
        AuditEntryPublic(**asdict(e), prompt=services.audit.prompt_fields(e.seq))
        for e in page.items
    ]
    return AuditPagePublic(items=items, next_cursor=page.next_cursor)


@router.get(
    "/export",
    response_class=StreamingResponse,
    dependencies=[Depends(require("audit", "export_audit"))],
)
def export_audit(
    services: ServicesDep,
    writer: AuditWriterDep,
    ctx: ContextDep,
    filters: FiltersDep,
) -> StreamingResponse:
    """JSON Lines, oldest first: each entry with its hash, prev_hash and kept prompt. An
    unfiltered export can be chain-checked offline (hash = SHA-256 of RFC 8785 JSON)."""
    writer.allow(ctx, "export_audit", "audit export", details={"filters": _asked(filters)})

    def lines() -> Iterator[str]:
        for entry in audit.export(services.db, filters):
            public = AuditEntryPublic(
                **asdict(entry), prompt=services.audit.prompt_fields(entry.seq)
            )
            yield public.model_dump_json() + "\n"

    return StreamingResponse(
        lines(),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="consentgate-audit.jsonl"'},
    )


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
