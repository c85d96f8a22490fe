"""The audit log, for compliance officers: the API's search (``GET /v1/audit``) as a page,
authorised by the same rule and recorded as the same ``read_audit`` entry."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request, Response

import audit
from gateway.audit_reads import search_entries
from gateway.deps import AuditWriterDep, ContextDep, RefusalsDep, ServicesDep
from gateway.ui.deps import page_guard, page_router
from gateway.ui.pages import render

router = page_router()
PAGE_SIZE = 50
# The page's own reads are hidden by default: an officer paging through the log would
# otherwise see mostly their own paging.
DEFAULT_FILTERS = audit.AuditFilter(exclude_reads=True)


@router.get("/audit", dependencies=[Depends(page_guard("audit", "read_audit"))])
def audit_page(
    request: Request,
    services: ServicesDep,
    writer: AuditWriterDep,
    refusals: RefusalsDep,
    ctx: ContextDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The newest entries, one page at a time."""
    page = search_entries(services, writer, refusals, ctx, DEFAULT_FILTERS, PAGE_SIZE, cursor)
    return render(request, "audit.html", {"entries": page.items, "next_cursor": page.next_cursor})
