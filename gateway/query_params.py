"""Query strings are taken literally: a parameter a route does not know, or one given twice, is
refused 422 instead of being ignored (``role=`` silently returning everything is how an officer
misses a denial), and the audit filters are parsed here, relative times included."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import Depends, Query, Request

import audit
from audit.rows import searchable
from gateway.errors import InvalidRequest
from gateway.schemas import PrintableText


def _query_names(dependant: Any) -> frozenset[str]:
    """The query parameters a route declares, its dependencies' included."""
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return frozenset(names)


def _known_parameters(route: Any) -> frozenset[str]:
    known = getattr(route, "_consentgate_query_names", None)
    if known is None:
        known = _query_names(route.dependant)
        route._consentgate_query_names = known  # computed once per route
    return known


def refuse_unknown_query(request: Request) -> None:
    """A route dependency. Raises InvalidRequest (422) naming the offending parameters."""
    route = request.scope.get("route")
    if route is None or not hasattr(route, "dependant"):
        return
    given = [name for name, _ in request.query_params.multi_items()]
    unknown = sorted(set(given) - _known_parameters(route))
    if unknown:
        reason = f"unknown query parameter: {unknown[0]}"
        raise InvalidRequest("unknown_parameter", reason, parameters=unknown[:20])
    repeated = sorted({name for name in given if given.count(name) > 1})
    if repeated:
        reason = f"{repeated[0]} is given more than once"
        raise InvalidRequest("repeated_parameter", reason, parameters=repeated[:20])


KnownQueryOnly = Depends(refuse_unknown_query)

_RELATIVE = re.compile(r"^(\d{1,6})([smhdw])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_time(value: str | None, name: str, now: dt.datetime | None = None) -> str | None:
    """An ISO 8601 time or a span back from now (``90s``, ``15m``, ``1h``, ``7d``, ``2w``) as
    the log stores times: UTC, microseconds, ``Z``. A time without an offset is UTC.

    Raises:
        InvalidRequest: neither form (``invalid_time``), or a time with no UTC form or a span
            reaching before year 1 (``time_out_of_range``).
    """
    if value is None:
        return None
    relative = _RELATIVE.match(value.strip())
    try:
        if relative:
            span = int(relative[1]) * _UNIT_SECONDS[relative[2]]
            moment = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(seconds=span)
        else:
            moment = dt.datetime.fromisoformat(value.strip())
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.UTC)
            moment = moment.astimezone(dt.UTC)
    except OverflowError as exc:  # year 1 with a positive offset, 9999 with a negative one
        raise InvalidRequest("time_out_of_range", f"{name} is out of range") from exc
    except ValueError as exc:
        raise InvalidRequest(
            "invalid_time", f"{name} is not an ISO 8601 time or a span like 1h or 7d"
        ) from exc
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


# A filter is compared with stored values: bounded, and without control characters (a NUL
# would fail the query on PostgreSQL). Subjects are the IdP's (OIDC: at most 255 characters).
FilterText = Annotated[PrintableText | None, Query(max_length=255)]
Sha256 = Annotated[str | None, Query(pattern=r"^[0-9a-fA-F]{64}$")]
# A seq is recorded in the entry of the read: at most 2**53 - 1, as RFC 8785 JSON allows.
Seq = Annotated[int | None, Query(ge=1, le=2**53 - 1)]
MAX_SEARCH_TERM = 200


def audit_filters(
    decision: FilterText = None,
    code: FilterText = None,
    subject: FilterText = None,
    action: FilterText = None,
    engine: FilterText = None,
    role: FilterText = None,
    model: FilterText = None,
    purpose: FilterText = None,
    request_id: FilterText = None,
    sha256: Sha256 = None,
    artifact_id: FilterText = None,
    voice_id: FilterText = None,
    consent_id: FilterText = None,
    job_id: FilterText = None,
    seq_from: Seq = None,
    seq_to: Seq = None,
    # Printable: Python's ISO parser stops at a NUL and would read "…T00:00\x00" as a time.
    since: Annotated[
        PrintableText | None,
        Query(max_length=64, description="ISO 8601, or back from now: 1h, 7d"),
    ] = None,
    until: Annotated[
        PrintableText | None,
        Query(max_length=64, description="ISO 8601 (exclusive), or 1h, 7d"),
    ] = None,
    exclude_reads: Annotated[
        bool, Query(description="hide the entries that record reads of the log itself")
    ] = False,
    q: Annotated[
        PrintableText | None,
        Query(
            min_length=1,
            max_length=MAX_SEARCH_TERM,
            description="text in a kept prompt (any script, case-insensitive)",
        ),
    ] = None,
) -> audit.AuditFilter:
    """The filters search, summary and export share, from the query string."""
    if q is not None and not searchable(q):
        raise InvalidRequest("invalid_request", "q has no character that can be searched for")
    now = dt.datetime.now(dt.UTC)
    return audit.AuditFilter(
        decision=decision,
        code=code,
        subject=subject,
        action=action,
        engine=engine,
        since=parse_time(since, "since", now),
        until=parse_time(until, "until", now),
        role=role,
        model=model,
        purpose=purpose,
        request_id=request_id,
        sha256=None if sha256 is None else sha256.lower(),
        artifact_id=artifact_id,
        voice_id=voice_id,
        consent_id=consent_id,
        job_id=job_id,
        seq_from=seq_from,
        seq_to=seq_to,
        exclude_reads=exclude_reads,
        q=q,
    )


FiltersDep = Annotated[audit.AuditFilter, Depends(audit_filters)]
