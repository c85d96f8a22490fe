"""The audit log for compliance officers: the API's search, summary, verify and export
(``/v1/audit…``) as pages. Each page is guarded by the same casbin rule as its API twin and
calls the same function (gateway/audit_reads.py, or the API route's own function), so it
leaves the same audit entry: a page view is a ``read_audit`` entry, a verify a ``verify``
entry, an export an ``export_audit`` entry.

Query strings are taken as literally as the API takes them (``KnownQueryOnly``); the filter
form goes through ``/ui/audit/filter`` first, which drops its empty fields (an empty
``seq_from`` is no filter, not an invalid number) and sends the browser to the table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, Form, Path, Query, Request, Response
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse

import audit
from gateway import audit_reads
from gateway.artifact_reader import ArtifactReader
from gateway.audit_reads import EXPORT_ID_HEADER, EXPORT_REASON, ExportFormat, search_entries
from gateway.audit_writer import AuditWriter
from gateway.auth import Principal
from gateway.context import RequestContext
from gateway.deps import ArtifactReaderDep, AuditWriterDep, ContextDep, RefusalsDep, ServicesDep
from gateway.errors import GatewayError, NotFound
from gateway.query_params import KnownQueryOnly, audit_filters, parse_time
from gateway.refusals import RefusalPath
from gateway.schemas import PathId
from gateway.services import Services
from gateway.ui.deps import PagePrincipalDep, page_guard, page_router
from gateway.ui.pages import redirect, render
from watermark import CONSENTGATE_ASSERTION

router = page_router()
PAGE_SIZE = 50
MAX_SEQ = 2**53 - 1  # as the API's seq filter: recorded in the read's entry as RFC 8785 JSON
# The earlier pages' cursors ride in the "previous" link; bounded so the URL stays short
# (past it, "Newest" still leads back to the first page).
MAX_BACK = 40
MAX_BACK_CHARS = 2000
BACK_SEPARATOR = "."  # not in the URL-safe base64 alphabet cursors are written in
CHART_DAYS = "30d"  # the chart's window when the filters name no time
MAX_CHART_DAYS = 92  # a quarter: bars stay wider than a pixel at 390 px
CHART_CODES = 4  # denial codes drawn apart; the rest are drawn together as "other"
CHART_COLOURS = ("#b3261e", "#e07b00", "#7b4fa8", "#00796b", "#6b6b6b")
RECENT_EXPORTS = 5
RECENT_EXPORT_ENTRIES = 50  # an export's digest reads are export_audit entries too
FILTER_NAMES = tuple(inspect.signature(audit_filters).parameters)

ReadAudit = [Depends(page_guard("audit", "read_audit")), KnownQueryOnly]
ExportAudit = [Depends(page_guard("audit", "export_audit")), KnownQueryOnly]
VerifyAudit = [Depends(page_guard("audit", "verify"))]


def page_filters(
    request: Request, filters: Annotated[audit.AuditFilter, Depends(audit_filters)]
) -> audit.AuditFilter:
    """The API's filters, but the log's own reads are hidden unless the query says otherwise:
    an officer paging through the log would otherwise see mostly their own paging."""
    if "exclude_reads" in request.query_params:
        return filters
    return dataclasses.replace(filters, exclude_reads=True)


PageFiltersDep = Annotated[audit.AuditFilter, Depends(page_filters)]


def filter_query(request: Request, **more: str) -> str:
    """The filters as the browser gave them (``7d`` stays relative), for links and forms."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k in FILTER_NAMES]
    return urlencode(kept + list(more.items()))


@router.get("/audit", dependencies=ReadAudit)
def audit_page(
    request: Request,
    services: ServicesDep,
    writer: AuditWriterDep,
    refusals: RefusalsDep,
    ctx: ContextDep,
    filters: PageFiltersDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    back: Annotated[str | None, Query(max_length=MAX_BACK_CHARS)] = None,
) -> Response:
    """The matching entries, newest first, one page at a time."""
    page = search_entries(services, writer, refusals, ctx, filters, PAGE_SIZE, cursor)
    context = {"entries": page.items, "filters": filters, "raw": request.query_params}
    context["query"] = filter_query(request)
    context["paging"] = _paging(request, cursor, back, page.next_cursor)
    return render(request, "audit.html", context)


def _paging(
    request: Request, cursor: str | None, back: str | None, next_cursor: str | None
) -> dict[str, str | None]:
    """Links to the newest, the next (older) and the previous (newer) page, filters kept."""
    trail = [] if back is None else back.split(BACK_SEPARATOR)
    newer: str | None = None
    if trail:
        previous = {"cursor": trail[-1]} if trail[-1] else {}
        rest = {"back": BACK_SEPARATOR.join(trail[:-1])} if len(trail) > 1 else {}
        newer = f"/ui/audit?{filter_query(request, **previous, **rest)}"
    older: str | None = None
    if next_cursor is not None:
        onward = BACK_SEPARATOR.join([*trail, cursor or ""][-MAX_BACK:])
        older = f"/ui/audit?{filter_query(request, cursor=next_cursor, back=onward)}"
    first = f"/ui/audit?{filter_query(request)}" if cursor else None
    return {"newest": first, "newer": newer, "older": older}


@router.get("/audit/filter", dependencies=[Depends(page_guard("audit", "read_audit"))])
def filter_form(request: Request) -> Response:
    """The filter form's target: its empty fields dropped, then the table."""
    given = request.query_params.multi_items()
    kept = [(k, v) for k, v in given if k in FILTER_NAMES and v.strip()]
    return redirect(f"/ui/audit?{urlencode(kept)}" if kept else "/ui/audit")


@router.get("/audit/{seq:int}", dependencies=[Depends(page_guard("audit", "read_audit"))])
def entry_page(
    request: Request,
    seq: Annotated[int, Path(ge=1, le=MAX_SEQ)],
    services: ServicesDep,
    writer: AuditWriterDep,
    refusals: RefusalsDep,
    ctx: ContextDep,
    principal: PagePrincipalDep,
    reader: ArtifactReaderDep,
) -> Response:
    """One entry: every field, its checks, its links, its kept prompt, its artifact."""
    entry = read_entry(services, writer, refusals, ctx, seq)
    context = {"entry": entry, "checks": entry_checks(entry), "links": entry_links(entry)}
    context["prompt"] = services.audit.prompt_fields(seq)
    context["artifact"] = artifact_preview(entry, principal, reader, ctx)
    return render(request, "audit_entry.html", context)


def read_entry(
    services: Services, writer: AuditWriter, refusals: RefusalPath, ctx: RequestContext, seq: int
) -> audit.AuditEntry:
    """The entry ``seq``, read through the audited search (one ``read_audit`` entry).

    Raises:
        NotFound: no such entry (recorded as the read's refusal).
    """
    only = audit.AuditFilter(seq_from=seq, seq_to=seq)
    page = search_entries(services, writer, refusals, ctx, only, 1, None)
    if not page.items:
        refusals.refuse(ctx, "read_audit", NotFound("not_found", f"no audit entry {seq}"))
    return page.items[0]


@dataclasses.dataclass(frozen=True)
class Check:
    """One step of the request path as the entry shows it: passed, failed or not reached."""

    step: str
    result: str
    evidence: str | None = None


# Which step of the request path refuses with which code (DESIGN.md, steps 2–5).
_AUTHORISE_CODES = frozenset({"role_forbidden", "policy_unavailable", "policy_error"})
_LICENCE_CODES = frozenset(
    {
        "licence_unknown",
        "licence_forbids_purpose",
        "input_licence_missing",
        "input_licence_unknown",
        "input_licence_forbids_purpose",
    }
)


def _failed_step(code: str) -> str | None:
    if code in _AUTHORISE_CODES:
        return "authorise"
    if code in _LICENCE_CODES:
        return "licence"
    if code.startswith("consent_"):
        return "consent"
    if code.startswith("content_"):
        return "content"
    return None


def _evidence(entry: audit.AuditEntry, step: str) -> str | None:
    details = entry.details
    if step == "authorise" and entry.policy_rule:
        return ", ".join(entry.policy_rule)
    if step == "licence" and details.get("licence"):
        allows = details.get("licence_allows")
        return f"{details['licence']}" + (f" ({', '.join(allows)})" if allows else "")
    if step == "consent" and details.get("consent_id"):
        return f"{details['consent_id']} ({details.get('voice_id', '')})"
    if step == "content" and details.get("category"):
        return str(details["category"])
    return None


def entry_checks(entry: audit.AuditEntry) -> list[Check]:
    """The checks an entry went through, from what it recorded: those before the step that
    refused passed, that step failed, the rest were not reached. Of an entry refused for
    another reason (a bad request, a busy engine) a step passed where the entry shows its
    result (the casbin rule, the licence, the consent)."""
    steps = ["authorise"]
    if entry.action == "generate":
        steps.append("licence")
        if entry.engine == "voice_clone" or "voice_id" in entry.details:
            steps += ["consent", "content"]
    if entry.decision == audit.Decision.ALLOW:
        return [Check(step, "passed", _evidence(entry, step)) for step in steps]
    failed = _failed_step(entry.code)
    checks: list[Check] = []
    after = False
    for step in steps:
        evidence = _evidence(entry, step)
        if step == failed:
            checks.append(Check(step, "failed", entry.code))
            after = True
        elif after:
            checks.append(Check(step, "not_reached"))
        elif failed is not None or evidence is not None:
            checks.append(Check(step, "passed", evidence))
        else:  # refused elsewhere (a bad request, a busy engine): the entry does not say
            checks.append(Check(step, "not_recorded"))
    return checks


_LINKED = ("artifact_id", "voice_id", "consent_id", "job_id")


def entry_links(entry: audit.AuditEntry) -> list[dict[str, str]]:
    """Where an entry leads: the other entries of its request, job, artifact, voice and
    consent (as filters of the table), and the entries it names by seq."""
    request = entry.request_id
    links = [{"what": "request_id", "value": request, "href": _filtered("request_id", request)}]
    for name in _LINKED:
        value = entry.details.get(name)
        if isinstance(value, str):
            links.append({"what": name, "value": value, "href": _filtered(name, value)})
    for name in ("submitted_seq", "allowed_seq"):
        value = entry.details.get(name)
        if isinstance(value, int):
            links.append({"what": name, "value": str(value), "href": f"/ui/audit/{value}"})
    return links


def _filtered(name: str, value: str) -> str:
    # The reads are shown too: who looked at this request's entries is part of its story.
    return f"/ui/audit?{urlencode({name: value, 'exclude_reads': 'false'})}"


_PREVIEW_TAGS = {"image": "img", "video": "video"}  # speech, voice clone and music: audio


def artifact_preview(
    entry: audit.AuditEntry, principal: Principal, reader: ArtifactReader, ctx: RequestContext
) -> dict[str, Any] | None:
    """An allowed generation's file and its C2PA summary, read through the API's own
    ArtifactReader (authorised and recorded as ``read_artifact``); None where there is none.
    A file the reader refuses (gone, not the caller's) is shown as unavailable: the refusal
    is already recorded; a lost file too (the startup check records those as artifact_lost)."""
    artifact_id = entry.details.get("artifact_id")
    if entry.action != "generate" or entry.decision != "allow" or not isinstance(artifact_id, str):
        return None
    preview: dict[str, Any] = {
        "id": artifact_id,
        "src": f"/ui/audit/artifacts/{artifact_id}",
        "tag": _PREVIEW_TAGS.get(entry.engine or "", "audio"),
    }
    try:
        report = reader.manifest(principal, artifact_id, ctx)
    except (GatewayError, OSError):  # refused (recorded), or its file lost since it was made
        return {**preview, "unavailable": True}
    signer = (report.manifest or {}).get("signature_info") or {}
    return {
        **preview,
        "label": report.label,
        "validation_state": report.validation_state,
        "trusted": report.trusted,
        "title": (report.manifest or {}).get("title"),
        "signer": {k: signer.get(k) for k in ("common_name", "issuer", "time")},
        "assertion": report.assertion(CONSENTGATE_ASSERTION) or {},
    }


@router.get("/audit/artifacts/{artifact_id}")
def artifact_file(
    artifact_id: PathId, principal: PagePrincipalDep, reader: ArtifactReaderDep, ctx: ContextDep
) -> FileResponse:
    """An artifact's signed bytes for the preview, as ``GET /v1/artifacts/{id}`` serves them
    (the same reader: its requester, an officer or an admin; 404 otherwise; audited)."""
    artifact = reader.fetch(principal, artifact_id, ctx)
    return FileResponse(
        artifact.path,
        media_type=artifact.mime_type,
        headers={"X-Consentgate-Sha256": artifact.sha256},
    )


@router.get("/audit/verify", dependencies=VerifyAudit)
def verify_page(request: Request) -> Response:
    """The chain verification form (a verify is recorded, so it is a POST)."""
    return render(request, "audit_verify.html", {"report": None})


@router.post("/audit/verify", dependencies=VerifyAudit)
def verify_chain(
    request: Request, services: ServicesDep, writer: AuditWriterDep, ctx: ContextDep
) -> Response:
    """Recompute the chain and check the checkpoints: ``GET /v1/audit/verify`` itself."""
    report = audit_reads.verify_chain(services, writer, ctx)
    return render(request, "audit_verify.html", {"report": report})


# The exports page lists the caller's recent exports from the log itself, so it reads the log.
@router.get(
    "/audit/exports", dependencies=[*ExportAudit, Depends(page_guard("audit", "read_audit"))]
)
def exports_page(
    request: Request,
    services: ServicesDep,
    writer: AuditWriterDep,
    refusals: RefusalsDep,
    ctx: ContextDep,
    principal: PagePrincipalDep,
    filters: PageFiltersDep,
) -> Response:
    """Export the entries the current filters match; the caller's recent exports, each with
    its digest."""
    context: dict[str, Any] = {"asked": filters.asked(), "query": filter_query(request)}
    context["recent"] = recent_exports(services, writer, refusals, ctx, principal)
    return render(request, "audit_exports.html", context)


def recent_exports(
    services: Services,
    writer: AuditWriter,
    refusals: RefusalPath,
    ctx: RequestContext,
    principal: Principal,
) -> list[dict[str, Any]]:
    """The caller's latest exports, from their ``export_audit`` entries (an audited search):
    a CSV's digest is a separate download, and its id is otherwise only in the file's name."""
    mine = audit.AuditFilter(action="export_audit", subject=principal.subject, decision="allow")
    page = search_entries(services, writer, refusals, ctx, mine, RECENT_EXPORT_ENTRIES, None)
    return [
        {"id": e.details["export_id"], "format": e.details.get("format"), "time": e.time}
        for e in page.items
        if e.reason == EXPORT_REASON and isinstance(e.details.get("export_id"), str)
    ][:RECENT_EXPORTS]


@router.post("/audit/exports", dependencies=ExportAudit)
def create_export(
    services: ServicesDep,
    writer: AuditWriterDep,
    refusals: RefusalsDep,
    ctx: ContextDep,
    filters: PageFiltersDep,
    export_format: Annotated[ExportFormat, Form(alias="format")] = "jsonl",
) -> Response:
    """The export as a download: ``GET /v1/audit/export`` itself (verified first, signed,
    recorded as ``export_audit``); its digest is then at the page's digest link."""
    export = audit_reads.start_export(services, writer, refusals, ctx, filters, export_format)
    name = f"consentgate-audit-{export.export_id}.{export_format}"
    headers = {
        EXPORT_ID_HEADER: export.export_id,
        "Link": f'</ui/audit/exports/{export.export_id}/digest>; rel="describedby"',
        "Content-Disposition": f'attachment; filename="{name}"',
    }
    return StreamingResponse(export.chunks, media_type=export.media_type, headers=headers)


@router.get("/audit/exports/digest", dependencies=[Depends(page_guard("audit", "export_audit"))])
def export_digest_form(export_id: Annotated[str, Query(min_length=1, max_length=128)]) -> Response:
    """The digest form's target: the id into the path, where the API has it."""
    return redirect(f"/ui/audit/exports/{quote(export_id, safe='')}/digest")


@router.get(
    "/audit/exports/{export_id}/digest",
    dependencies=[Depends(page_guard("audit", "export_audit"))],
)
def export_digest(
    export_id: PathId,
    services: ServicesDep,
    writer: AuditWriterDep,
    refusals: RefusalsDep,
    ctx: ContextDep,
) -> Response:
    """A finished export's signed digest, as a file: the API's own read (404 until done)."""
    digest = audit_reads.export_digest(services, writer, refusals, ctx, export_id)
    name = f"consentgate-audit-{export_id}.digest.json"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return JSONResponse(digest, headers=headers)


@router.get("/audit/activity", dependencies=ReadAudit)
def activity_page(
    request: Request,
    services: ServicesDep,
    writer: AuditWriterDep,
    refusals: RefusalsDep,
    ctx: ContextDep,
    filters: PageFiltersDep,
) -> Response:
    """Requests and denials per day, the denials by code: the API's summaries, drawn."""
    chart = activity_chart(services, writer, refusals, ctx, filters)
    context = {"chart": chart, "query": filter_query(request)}
    return render(request, "audit_activity.html", context)


def activity_chart(
    services: Services,
    writer: AuditWriter,
    refusals: RefusalPath,
    ctx: RequestContext,
    filters: audit.AuditFilter,
) -> dict[str, Any]:
    """Per day: the matching entries and their denials, the denials split by their most
    frequent codes. Each count is ``GET /v1/audit/summary`` itself (one ``read_audit`` entry
    each): by day, denials by code, then each drawn code by day."""
    if filters.since is None and filters.until is None:
        filters = dataclasses.replace(filters, since=parse_time(CHART_DAYS, "since"))
    every = dataclasses.replace(filters, decision=None, code=None)
    denied = dataclasses.replace(every, decision=audit.Decision.DENY)

    def by(group_by: Any, chosen: audit.AuditFilter) -> dict[str | None, int]:
        found = audit_reads.summarise_entries(services, writer, refusals, ctx, chosen, group_by)
        return {row.key: row.count for row in found}

    days = by("day", every)
    codes = list(by("code", denied).items())
    drawn = [str(code) for code, _ in codes[:CHART_CODES]]
    per_code = {code: by("day", dataclasses.replace(denied, code=code)) for code in drawn}
    denials = by("day", denied)
    return draw_chart(chart_days(filters, days), days, denials, per_code)


_INSTANT = dt.timedelta(microseconds=1)


def chart_days(filters: audit.AuditFilter, counted: dict[str | None, int]) -> list[str]:
    """Every UTC day of the window, those without entries too (a quiet day is a gap in the
    bars, not a missing bar); at most ``MAX_CHART_DAYS``, the latest."""
    dates = [dt.date.fromisoformat(str(day)) for day in counted if day]
    if filters.since is not None:
        dates.append(dt.datetime.fromisoformat(filters.since).date())
    if filters.until is not None:  # exclusive: its last day is the one before the instant
        until = dt.datetime.fromisoformat(filters.until)
        # (the earliest instant there is has no day before it: a window that ends there)
        last = until if until.replace(tzinfo=None) == dt.datetime.min else until - _INSTANT
        dates.append(last.date())
    else:
        dates.append(dt.datetime.now(dt.UTC).date())
    first, last_day = min(dates), max(dates)
    span = min((last_day - first).days + 1, MAX_CHART_DAYS)
    return [(last_day - dt.timedelta(days=n)).isoformat() for n in reversed(range(span))]


def draw_chart(
    calendar: list[str],
    days: dict[str | None, int],
    denials: dict[str | None, int],
    per_code: dict[str, dict[str | None, int]],
) -> dict[str, Any]:
    """Bars as SVG rectangles (server-side: no script, no library to ship): each day one bar
    of its entries, its denials stacked from the bottom, coloured by code."""
    width, height, gap = 720, 220, 2
    keys = calendar
    top = max(days.values(), default=0) or 1
    slot = width / max(len(keys), 1)
    series = [(code, CHART_COLOURS[i]) for i, code in enumerate(per_code)]
    other = CHART_COLOURS[-1]
    bars: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    for index, day in enumerate(keys):
        x = round(index * slot + gap / 2, 1)
        total = days.get(day, 0)
        bar_height = round(total / top * height, 1)
        stack: list[dict[str, Any]] = []
        floor = float(height)
        counts = {code: per_code[code].get(day, 0) for code in per_code}
        rest = denials.get(day, 0) - sum(counts.values())
        for code, colour in [*series, ("other", other)]:
            count = rest if code == "other" else counts[code]
            if count <= 0:
                continue
            size = round(count / top * height, 1)
            floor -= size
            stack.append({"y": round(floor, 1), "height": size, "colour": colour, "code": code})
        bars.append(
            {
                "x": x,
                "width": round(max(slot - gap, 1), 1),
                "y": round(height - bar_height, 1),
                "height": bar_height,
                "day": day,
                "total": total,
                "stack": stack,
            }
        )
        if total:  # the table lists the days with entries; the bars show every day
            rows.append(
                {
                    "day": day,
                    "next_day": (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat(),
                    "total": total,
                    "denials": denials.get(day, 0),
                    "codes": counts,
                }
            )
    legend = [*series, ("other", other)]
    return {
        "width": width,
        "height": height,
        "top": top,
        "bars": bars,
        "rows": rows,
        "codes": list(per_code),
        "legend": legend,
        "first": keys[0] if keys else None,
        "last": keys[-1] if keys else None,
    }
