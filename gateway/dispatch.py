"""Where an authorised generation request goes: now, on its engine's lane, or as a job.

A request runs now when it asked to (``mode=sync``) and its estimated cost is within the
sync threshold; otherwise it is answered 202 with a job, exactly as ``mode=async`` is. The
request thread pool only admits and records: the generation itself runs on the bounded
executor, and the handler awaits it without holding a thread, so health, audit, job and
cancel requests keep answering under any generation load.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from audit import Decision
from gateway.admission import AdmissionControl
from gateway.asks import AskBuilder
from gateway.audit_writer import AuditWriter
from gateway.auth import Principal
from gateway.context import RequestContext
from gateway.executor import WAIT_POLL_S, GenerationExecutor, Watch
from gateway.idempotency import IdempotencyKeys, Replay, body_digest
from gateway.jobs import JobQueue
from gateway.pipeline import Admission, Generation, Pipeline
from gateway.refusals import RefusalPath
from gateway.schemas import GenerationPublic
from gateway.views import job_public


@dataclass(frozen=True)
class Dispatched:
    """The answer: a finished generation (201), or the job that will make it (202)."""

    status_code: int
    body: dict[str, Any]
    location: str | None = None
    replayed: bool = False  # the first answer to an Idempotency-Key, given again


class Dispatcher:
    def __init__(
        self,
        pipeline: Pipeline,
        asks: AskBuilder,
        jobs: JobQueue,
        executor: GenerationExecutor,
        admission: AdmissionControl,
        refusals: RefusalPath,
        writer: AuditWriter,
        keys: IdempotencyKeys,
    ) -> None:
        self._pipeline = pipeline
        self._asks = asks
        self._jobs = jobs
        self._executor = executor
        self._admission = admission
        self._refusals = refusals
        self._writer = writer
        self._keys = keys

    async def dispatch(
        self,
        kind: str,
        body: BaseModel,
        run_now: bool,
        principal: Principal,
        ctx: RequestContext,
        idempotency_key: str | None = None,
    ) -> Dispatched:
        """Run the request now or queue it as a job; with an ``idempotency_key`` seen before,
        give the first answer again. Raises the refusal of any step."""
        if idempotency_key is None:
            return await self._dispatch(kind, body, run_now, principal, ctx)
        subject = principal.subject
        digest = body_digest(kind, body.model_dump_json())
        replay = await run_in_threadpool(self._claim, ctx, kind, subject, idempotency_key, digest)
        if replay is not None:
            await run_in_threadpool(self._record_replay, ctx, kind, idempotency_key, replay)
            return Dispatched(replay.status_code, replay.body, _location(replay.body), True)
        try:
            dispatched = await self._dispatch(kind, body, run_now, principal, ctx)
        except BaseException:
            await run_in_threadpool(self._keys.release, subject, idempotency_key)
            raise
        await run_in_threadpool(
            self._keys.complete, subject, idempotency_key, dispatched.status_code, dispatched.body
        )
        return dispatched

    def _claim(
        self, ctx: RequestContext, kind: str, subject: str, key: str, digest: str
    ) -> Replay | None:
        with self._refusals.guard(ctx, "generate", engine=kind, details={"idempotency_key": key}):
            return self._keys.claim(subject, key, kind, digest)

    def _record_replay(self, ctx: RequestContext, kind: str, key: str, replay: Replay) -> None:
        links: dict[str, Any] = {
            name: replay.body[name] for name in ("artifact_id", "job_id") if name in replay.body
        }
        self._writer.record(
            ctx,
            "generate",
            Decision.ALLOW,
            "replayed",
            "a retry with the same Idempotency-Key: the first answer, given again",
            engine=kind,
            details={"idempotency_key": key, **links},
        )

    async def _dispatch(
        self, kind: str, body: BaseModel, run_now: bool, principal: Principal, ctx: RequestContext
    ) -> Dispatched:
        ask = self._asks.build(kind, body.model_dump_json())
        if not run_now or self._admission.runs_as_job(kind, ask.cost):
            job = await run_in_threadpool(self._jobs.submit, principal, kind, body, ctx)
            queued = job_public(job).model_dump(mode="json")
            return Dispatched(202, queued, _location(queued))
        admitted = await run_in_threadpool(self._pipeline.admit, principal, ask, ctx)
        generation = await self._run_now(kind, admitted, ctx)
        made = GenerationPublic.model_validate(generation, from_attributes=True)
        return Dispatched(201, made.model_dump(mode="json"))

    async def _run_now(self, kind: str, admitted: Admission, ctx: RequestContext) -> Generation:
        watch = Watch(self._executor.lane(kind).time_limit_s)

        def produce(slot_watch: Watch) -> Generation:
            return self._pipeline.produce(admitted, ctx, None, slot_watch)

        try:
            future: Future[Generation] = self._executor.submit(kind, produce, watch)
        except Exception as error:  # queue_full
            await run_in_threadpool(self._refusals.record, ctx, "generate", error, **admitted.audit)
            raise
        waiting = asyncio.wrap_future(future)
        while True:
            done, _ = await asyncio.wait({waiting}, timeout=WAIT_POLL_S)
            if done:
                return waiting.result()
            if watch.overdue:
                # The engine did not stop at its limit: answer now; its slot stays taken
                # (and /healthz says so) until it returns, and what it makes is thrown away.
                timed_out = watch.abandon()
                if timed_out is None:
                    continue  # its output is being recorded: the answer follows at once
                waiting.add_done_callback(_consume_outcome)
                await run_in_threadpool(
                    self._refusals.record, ctx, "generate", timed_out, **admitted.audit
                )
                raise timed_out


def _location(body: dict[str, Any]) -> str | None:
    return f"/v1/jobs/{body['job_id']}" if "job_id" in body else None


def _consume_outcome(future: asyncio.Future[Generation]) -> None:
    # Retrieve an abandoned generation's exception so asyncio does not log it as lost.
    if not future.cancelled():
        future.exception()
