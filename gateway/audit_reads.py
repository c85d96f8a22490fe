"""Reading the audit log is itself recorded: one function per read (search, summary, export,
digest, verification) for the API and the workspace, so a page and its API twin leave the same
entry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from ulid import ULID

import audit
from gateway.audit_writer import AuditWriter
from gateway.context import RequestContext
from gateway.errors import NotFound
from gateway.refusals import RefusalPath
from gateway.services import Services


def asked(filters: audit.AuditFilter) -> dict[str, Any]:
    """The filters a reader used, for the entry that records the read, but the text term: it
    may be a prompt's own words, and the entry outlives the prompt's retention. The term is
    kept beside the entry instead (``term``), where retention redacts it; the entry holds
    its hash."""
    given = filters.asked()
    given.pop("q", None)
    return given


def term(filters: audit.AuditFilter) -> dict[str, str | None] | None:
    return None if filters.q is None else {"q": filters.q}


def search_entries(
    services: Services,
    writer: AuditWriter,
    refusals: RefusalPath,
    ctx: RequestContext,
    filters: audit.AuditFilter,
    limit: int,
    cursor: str | None,
) -> audit.AuditPage:
    """One page of matching entries, newest first, recorded as a ``read_audit`` entry.

    Raises (recorded as ``read_audit`` refusals):
        CursorInvalid: a cursor this log did not issue.
        AuditError: the log could not be read.
    """
    details: dict[str, object] = {"filters": asked(filters), "limit": limit, "cursor": cursor}
    with refusals.guard(ctx, "read_audit", details=details):
        page = audit.search(services.db, filters, limit, cursor)
    returned = {**details, "returned": len(page.items)}
    writer.allow(ctx, "read_audit", "audit search", returned, term(filters))
    return page


def summarise_entries(
    services: Services,
    writer: AuditWriter,
    refusals: RefusalPath,
    ctx: RequestContext,
    filters: audit.AuditFilter,
    group_by: str,
) -> list[audit.SummaryRow]:
    """Counts of the matching entries per ``group_by``, recorded as a ``read_audit`` entry.

    Raises (recorded as ``read_audit`` refusals):
        AuditError: the log could not be read.
    """
    details: dict[str, object] = {"filters": asked(filters), "group_by": group_by}
    with refusals.guard(ctx, "read_audit", details=details):
        rows = audit.summary(services.db, filters, group_by)
    writer.allow(
        ctx, "read_audit", "audit summary", {**details, "groups": len(rows)}, term(filters)
    )
    return rows


EXPORT_REASON = "audit export"  # an export's entry; the workspace lists the caller's by it
EXPORT_ID_HEADER = "Consentgate-Export-Id"  # on an export's answer, API and workspace alike
ExportFormat = Literal["jsonl", "csv"]


@dataclass(frozen=True)
class ExportStream:
    """An export under way: its id, its media type and its bytes (a failure mid-stream is
    recorded as the export's refusal; the body is then cut off without a digest)."""

    export_id: str
    media_type: str
    chunks: Iterator[bytes]


def start_export(
    services: Services,
    writer: AuditWriter,
    refusals: RefusalPath,
    ctx: RequestContext,
    filters: audit.AuditFilter,
    export_format: str,
) -> ExportStream:
    """The matching entries as a signed export, recorded as ``export_audit``: the log is
    verified up to its head first.

    Raises (recorded as ``export_audit`` refusals):
        AuditError: the log does not verify, or could not be read.
    """
    export_id = str(ULID())
    details: dict[str, Any] = {
        "export_id": export_id,
        "format": export_format,
        "filters": {k: v for k, v in audit.digest_filters(filters).items() if k != "q"},
    }
    with refusals.guard(ctx, "export_audit", details=details):
        plan = audit.plan_export(services.db, services.audit, filters, export_format, export_id)
    details["head_seq"] = plan.head.seq
    writer.allow(ctx, "export_audit", EXPORT_REASON, details, term(filters))
    chunks = audit.stream_export(services.db, services.audit, plan)
    return ExportStream(
        export_id,
        audit.EXPORT_MEDIA_TYPES[export_format],
        _recorded(chunks, refusals, ctx, details),
    )


def _recorded(
    chunks: Iterator[bytes], refusals: RefusalPath, ctx: RequestContext, details: dict[str, Any]
) -> Iterator[bytes]:
    with refusals.guard(ctx, "export_audit", details=details):
        yield from chunks


def export_digest(
    services: Services,
    writer: AuditWriter,
    refusals: RefusalPath,
    ctx: RequestContext,
    export_id: str,
) -> dict[str, Any]:
    """The signed digest of a finished export, recorded as an ``export_audit`` read.

    Raises (recorded as ``export_audit`` refusals):
        NotFound: ``export_not_found`` until the export's stream has ended, or for no export.
    """
    details = {"export_id": export_id, "read": "digest"}
    with refusals.guard(ctx, "export_audit", details=details):
        digest = audit.stored_digest(services.db, services.audit, export_id)
        if digest is None:
            raise NotFound("export_not_found", "no finished export has this id")
    writer.allow(ctx, "export_audit", "audit export digest", details=details)
    return digest.record()


def verify_chain(
    services: Services, writer: AuditWriter, ctx: RequestContext
) -> audit.VerifyReport:
    """Recompute the chain and check the signed checkpoints; recorded as ``verify``."""
    report = audit.verify_log(services.db, services.audit, services.audit.checkpoint_key.public_key)
    writer.allow(ctx, "verify", f"verify: ok={report.ok}", details={"entries": report.entries})
    return report
