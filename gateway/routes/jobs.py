from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from gateway.deps import AuditWriterDep, ContextDep, JobsDep, PrincipalDep, ServicesDep
from gateway.jobs import JobState
from gateway.oversight import may_read_others
from gateway.schemas import JobPublic, PathId
from gateway.views import job_public

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])

EVENT_POLL_S = 0.1
MAX_STREAM_S = 3600.0  # a stream ends after an hour; reconnect to keep following


@router.get("", response_model=list[JobPublic])
def list_my_jobs(
    principal: PrincipalDep, jobs: JobsDep, writer: AuditWriterDep, ctx: ContextDep
) -> list[JobPublic]:
    """The caller's most recent jobs, newest first."""
    rows = jobs.jobs_of(principal.subject)
    writer.allow(ctx, "list_jobs", "own jobs listed", {"returned": len(rows)})
    return [job_public(row) for row in rows]


@router.get("/{job_id}", response_model=JobPublic)
def get_job(
    job_id: PathId, principal: PrincipalDep, jobs: JobsDep, services: ServicesDep, ctx: ContextDep
) -> JobPublic:
    """A job's state, progress and, when done, its result or error (requester or compliance)."""
    may_read_any = may_read_others(services.access, principal, "job")
    return job_public(jobs.read(job_id, principal, may_read_any, ctx))


@router.delete("/{job_id}", response_model=JobPublic)
def cancel_job(
    job_id: PathId, principal: PrincipalDep, jobs: JobsDep, ctx: ContextDep
) -> JobPublic:
    """Cancel: a queued job at once, a running one after its current step."""
    return job_public(jobs.cancel(job_id, principal, ctx))


def _event(name: str, data: object) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


@router.get("/{job_id}/events", response_class=StreamingResponse)
def job_events(
    job_id: PathId, principal: PrincipalDep, jobs: JobsDep, services: ServicesDep, ctx: ContextDep
) -> StreamingResponse:
    """Server-sent events: ``state`` and ``progress`` as they change, then one final event
    named after the end state (``succeeded``, ``failed`` or ``cancelled``) with the job."""
    may_read_any = may_read_others(services.access, principal, "job")
    jobs.read(job_id, principal, may_read_any, ctx)  # audited; 404 before the stream starts

    keepalive_s = services.settings.sse_keepalive_s

    async def stream() -> AsyncIterator[str]:
        seen_state, seen_progress = None, None
        started = last_sent = time.monotonic()
        while time.monotonic() - started < MAX_STREAM_S:
            row = await asyncio.to_thread(jobs.get, job_id, principal, may_read_any)
            events = []
            if row.state != seen_state:
                seen_state = row.state
                events.append(_event("state", {"state": row.state}))
            if (row.step, row.total) != seen_progress and row.total:
                seen_progress = (row.step, row.total)
                events.append(_event("progress", {"step": row.step, "total": row.total}))
            if row.state in JobState.FINAL:
                events.append(_event(row.state, job_public(row).model_dump(mode="json")))
            if not events and time.monotonic() - last_sent >= keepalive_s:
                # A comment line: proxies that cut idle streams see traffic; clients ignore it.
                events.append(": keep-alive\n\n")
            for event in events:
                yield event
            if events:
                last_sent = time.monotonic()
            if row.state in JobState.FINAL:
                return
            await asyncio.sleep(EVENT_POLL_S)

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
    )
