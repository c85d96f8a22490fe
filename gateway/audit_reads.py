"""Reading the audit log is itself recorded: one search function for the API and the workspace,
so a page and its API twin leave the same ``read_audit`` entry."""

from __future__ import annotations

from typing import Any

import audit
from gateway.audit_writer import AuditWriter
from gateway.context import RequestContext
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
