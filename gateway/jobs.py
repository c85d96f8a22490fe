"""Long-running generations as jobs: persisted, run by worker threads, followed by callers.

A job is admitted (steps 2–5) and audited when it is submitted; a worker admits it again when
it runs (rules, consent and inputs may have changed meanwhile) and produces it (steps 6–9),
whose entry — or the failure's — links back to the submission entry. After a restart, queued
jobs run and jobs that were running are marked failed (``job_interrupted``): none vanishes.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from sqlalchemy import update
from sqlmodel import Field, Session, SQLModel, col, select
from ulid import ULID

from audit import Decision, utc_now_iso
from audit.tables import SEQ_TYPE
from engines import CancelFlag, GenerationCancelled
from gateway.auth import Principal
from gateway.context import CURRENT_REQUEST_ID, RequestContext
from gateway.errors import NotFound
from gateway.executor import Watch
from gateway.refusals import classify
from gateway.tracing import root_span

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer
    from sqlalchemy.engine import Engine

    from gateway.asks import AskBuilder
    from gateway.audit_writer import AuditWriter
    from gateway.executor import GenerationExecutor
    from gateway.pipeline import Pipeline
    from gateway.refusals import RefusalPath

_log = logging.getLogger(__name__)

POLL_S = 1.0  # how often an idle worker looks for queued jobs it was not woken for
PROGRESS_EVERY_S = 0.1  # bounds database writes for engines that step fast


class JobState:
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    FINAL = frozenset({"succeeded", "failed", "cancelled"})


class JobRow(SQLModel, table=True):
    __tablename__ = "jobs"

    id: str = Field(primary_key=True)
    owner: str = Field(index=True)
    principal: str  # JSON: subject, roles, groups, name, as authenticated at submission
    kind: str
    body: str  # the request, as validated JSON
    state: str = Field(index=True)
    step: int = 0
    total: int = 0
    result: str | None = None  # JSON
    error: str | None = None  # JSON problem
    request_id: str
    submitted_seq: int = Field(sa_type=SEQ_TYPE)
    created_at: str = Field(index=True)
    started_at: str | None = None
    finished_at: str | None = None


REDACTED_BODY = "{}"


def redact_finished_bodies(db: Engine, cutoff: str) -> int:
    """Empty the stored request (prompt, text) of jobs that ended and were submitted before
    ``cutoff``: the prompt retention of the audit log applies to the job queue's copy too.
    A queued or running job keeps its body (it is still to be produced). Returns how many.

    Raises:
        sqlalchemy.exc.SQLAlchemyError: the database failed.
    """
    with Session(db) as session:
        result = session.exec(
            update(JobRow)
            .where(
                col(JobRow.created_at) < cutoff,
                col(JobRow.state).in_(JobState.FINAL),
                col(JobRow.body) != REDACTED_BODY,
            )
            .values(body=REDACTED_BODY)
        )
        session.commit()
        return int(result.rowcount)


def _principal_json(principal: Principal) -> str:
    return json.dumps(
        {
            "subject": principal.subject,
            "roles": list(principal.roles),
            "groups": list(principal.groups),
            "name": principal.display_name,
        }
    )


def _principal_from(text: str) -> Principal:
    data = json.loads(text)
    return Principal(
        subject=data["subject"],
        roles=tuple(data["roles"]),
        groups=tuple(data["groups"]),
        claims={"name": data["name"]},
    )


def _problem(code: str, detail: str, status: int) -> dict[str, Any]:
    return {
        "type": f"urn:consentgate:problem:{code}",
        "status": status,
        "code": code,
        "detail": detail,
    }


class JobQueue:
    def __init__(
        self,
        db: Engine,
        pipeline: Pipeline,
        asks: AskBuilder,
        writer: AuditWriter,
        refusals: RefusalPath,
        executor: GenerationExecutor,
        workers: int = 1,
        tracer: Tracer | None = None,
    ) -> None:
        self._db = db
        self._tracer = tracer
        self._pipeline = pipeline
        self._asks = asks
        self._writer = writer
        self._refusals = refusals
        self._executor = executor
        self._workers = workers
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._cancel_flags: dict[str, CancelFlag] = {}
        self._flags_lock = threading.Lock()

    # -- callers ----------------------------------------------------------------------------

    def submit(
        self, principal: Principal, kind: str, body: BaseModel, ctx: RequestContext
    ) -> JobRow:
        """Admit the request now (a denial raises, as for a synchronous one) and queue it."""
        ask = self._asks.build(kind, body.model_dump_json())
        admission = self._pipeline.admit(principal, ask, ctx)
        job_id = f"job_{ULID()}"
        entry = self._writer.record(
            ctx,
            "generate",
            Decision.ALLOW,
            "accepted",
            f"{admission.grant.role} may generate {kind}; queued as {job_id}",
            engine=kind,
            model=ask.model_id,
            purpose=str(ask.purpose),
            policy_rule=admission.grant.rule,
            prompt_fields=ask.prompt_fields,
            details={**admission.audit["details"], "job_id": job_id},
        )
        row = JobRow(
            id=job_id,
            owner=principal.subject,
            principal=_principal_json(principal),
            kind=kind,
            body=body.model_dump_json(),
            state=JobState.QUEUED,
            request_id=ctx.request_id,
            submitted_seq=entry.seq,
            created_at=utc_now_iso(),
        )
        with Session(self._db) as session:
            session.add(row)
            session.commit()
            session.refresh(row)
        self._wake.set()
        return row

    def get(self, job_id: str, principal: Principal, may_read_any: bool) -> JobRow:
        """Raises NotFound unless the caller submitted the job or may read any (not audited:
        the event stream polls with it)."""
        with Session(self._db) as session:
            row = session.get(JobRow, job_id)
        if row is None or not (row.owner == principal.subject or may_read_any):
            raise NotFound("job_not_found", f"no job {job_id}")
        return row

    def read(
        self, job_id: str, principal: Principal, may_read_any: bool, ctx: RequestContext
    ) -> JobRow:
        """``get``, audited as a ``read_job`` (a refusal too). Raises NotFound."""
        details = {"job_id": job_id}
        with self._refusals.guard(ctx, "read_job", details=details):
            row = self.get(job_id, principal, may_read_any)
        self._writer.allow(ctx, "read_job", f"job read ({row.state})", details=details)
        return row

    def jobs_of(self, owner: str, limit: int = 50) -> list[JobRow]:
        with Session(self._db) as session:
            return list(
                session.exec(
                    select(JobRow)
                    .where(JobRow.owner == owner)
                    .order_by(col(JobRow.created_at).desc())
                    .limit(limit)
                )
            )

    def cancel(self, job_id: str, principal: Principal, ctx: RequestContext) -> JobRow:
        """Cancel a queued job at once, or ask a running one to stop after its current step.

        Raises NotFound for a job that is not the caller's.
        """
        details = {"job_id": job_id}
        with self._refusals.guard(ctx, "cancel_job", details=details):
            row = self.get(job_id, principal, may_read_any=False)
        self._writer.allow(ctx, "cancel_job", f"cancel asked ({row.state})", details=details)
        if row.state == JobState.QUEUED:
            ended = self._finish_if(
                job_id,
                JobState.QUEUED,
                JobState.CANCELLED,
                error=_problem("job_cancelled", "cancelled before it ran", 409),
            )
            if ended:
                self._writer.record(
                    ctx,
                    "generate",
                    Decision.ERROR,
                    "job_cancelled",
                    "cancelled while queued",
                    engine=row.kind,
                    details={"job_id": job_id, "submitted_seq": row.submitted_seq},
                )
        elif row.state == JobState.RUNNING:
            with self._flags_lock:
                flag = self._cancel_flags.get(job_id)
            if flag is not None:
                flag.cancel()
        return self.get(job_id, principal, may_read_any=False)

    # -- lifecycle ----------------------------------------------------------------------------

    def recover(self) -> list[str]:
        """At start-up: jobs left running by a stopped process failed; say so, and audit it."""
        with Session(self._db) as session:
            stranded = list(session.exec(select(JobRow).where(JobRow.state == JobState.RUNNING)))
        for row in stranded:
            problem = _problem("job_interrupted", "the gateway stopped while the job ran", 503)
            if self._finish_if(row.id, JobState.RUNNING, JobState.FAILED, error=problem):
                ctx = self._context(row)
                self._writer.record(
                    ctx,
                    "generate",
                    Decision.ERROR,
                    "job_interrupted",
                    problem["detail"],
                    engine=row.kind,
                )
                _log.warning("job %s was interrupted by a restart", row.id)
        return [row.id for row in stranded]

    def start(self) -> None:
        self._stop.clear()
        for number in range(self._workers):
            thread = threading.Thread(target=self._work, name=f"job-worker-{number}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout_s: float = 30.0) -> None:
        """Stop taking jobs; wait for the running ones a while (the rest fail at next start)."""
        self._stop.set()
        self._wake.set()
        deadline = time.monotonic() + timeout_s
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._threads.clear()

    # -- workers ------------------------------------------------------------------------------

    def _work(self) -> None:
        while not self._stop.is_set():
            row = self._claim_next()
            if row is None:
                self._wake.wait(POLL_S)
                self._wake.clear()
                continue
            try:
                self._run(row)
            except Exception:  # a worker must survive whatever one job does
                _log.exception("job %s failed unexpectedly", row.id)
                self._finish_if(
                    row.id,
                    JobState.RUNNING,
                    JobState.FAILED,
                    error=_problem("internal_error", "the job failed; the error was logged", 500),
                )

    def _claim_next(self) -> JobRow | None:
        with Session(self._db) as session:
            candidates = session.exec(
                select(JobRow.id)
                .where(JobRow.state == JobState.QUEUED)
                .order_by(col(JobRow.created_at))
                .limit(5)
            ).all()
            for job_id in candidates:
                # The conditional update makes a claim exclusive between workers and processes.
                claimed = session.exec(  # type: ignore[call-overload]
                    update(JobRow)
                    .where(col(JobRow.id) == job_id, col(JobRow.state) == JobState.QUEUED)
                    .values(state=JobState.RUNNING, started_at=utc_now_iso())
                )
                session.commit()
                if claimed.rowcount == 1:
                    return session.get(JobRow, job_id)
        return None

    def _context(self, row: JobRow) -> RequestContext:
        return RequestContext(
            request_id=row.request_id,
            method="JOB",
            path=f"/v1/jobs/{row.id}",
            principal=_principal_from(row.principal),
            audit_links={"job_id": row.id, "submitted_seq": row.submitted_seq},
            tracer=self._tracer,
        )

    def _run(self, row: JobRow) -> None:
        with root_span(self._tracer, "consentgate.job", kind=row.kind):
            self._run_traced(row)

    def _run_traced(self, row: JobRow) -> None:
        ctx = self._context(row)
        CURRENT_REQUEST_ID.set(ctx.request_id)  # this worker's log lines, until its next job
        assert ctx.principal is not None
        flag = CancelFlag()
        with self._flags_lock:
            self._cancel_flags[row.id] = flag
        last_write = 0.0

        def progress(step: int, total: int) -> None:
            nonlocal last_write
            now = time.monotonic()
            if step == total or now - last_write >= PROGRESS_EVERY_S:
                last_write = now
                self._update(row.id, step=step, total=total)

        try:
            ask = self._asks.build(row.kind, row.body)
            admission = self._pipeline.admit(ctx.principal, ask, ctx)
            watch = Watch(self._executor.lane(row.kind).time_limit_s, cancel=flag)
            future = self._executor.submit(
                row.kind,
                lambda slot_watch: self._pipeline.produce(admission, ctx, progress, slot_watch),
                watch,
                wait=True,  # a job waits for its lane instead of failing queue_full
            )
            generation = self._executor.wait(future, watch)
        except GenerationCancelled as error:
            self._refusals.record(ctx, "generate", error)
            self._finish_if(
                row.id,
                JobState.RUNNING,
                JobState.CANCELLED,
                error=_problem(error.code, error.reason, 409),
            )
        except Exception as error:  # every failure ends the job with the sync path's code
            refusal = classify(error)
            try:
                self._refusals.record(ctx, "generate", error)
            finally:
                self._finish_if(
                    row.id,
                    JobState.RUNNING,
                    JobState.FAILED,
                    error=_problem(refusal.code, refusal.reason, refusal.status),
                )
        else:
            self._finish_if(row.id, JobState.RUNNING, JobState.SUCCEEDED, result=asdict(generation))
        finally:
            with self._flags_lock:
                self._cancel_flags.pop(row.id, None)

    def _update(self, job_id: str, **values: Any) -> None:
        with Session(self._db) as session:
            session.exec(update(JobRow).where(col(JobRow.id) == job_id).values(**values))  # type: ignore[call-overload]
            session.commit()

    def _finish_if(
        self,
        job_id: str,
        expected: str,
        state: str,
        result: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
    ) -> bool:
        """Move a job from ``expected`` to a final state; False if it had moved already."""
        with Session(self._db) as session:
            done = session.exec(  # type: ignore[call-overload]
                update(JobRow)
                .where(col(JobRow.id) == job_id, col(JobRow.state) == expected)
                .values(
                    state=state,
                    finished_at=utc_now_iso(),
                    result=None if result is None else json.dumps(result),
                    error=None if error is None else json.dumps(error),
                )
            )
            session.commit()
        return bool(done.rowcount == 1)
