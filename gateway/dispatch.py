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

from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from gateway.admission import AdmissionControl
from gateway.asks import AskBuilder
from gateway.auth import Principal
from gateway.context import RequestContext
from gateway.executor import WAIT_POLL_S, GenerationExecutor, Watch
from gateway.jobs import JobQueue, JobRow
from gateway.pipeline import Admission, Generation, Pipeline
from gateway.refusals import RefusalPath


@dataclass(frozen=True)
class Dispatched:
    """A finished generation, or the job that will make it."""

    generation: Generation | None = None
    job: JobRow | None = None


class Dispatcher:
    def __init__(
        self,
        pipeline: Pipeline,
        asks: AskBuilder,
        jobs: JobQueue,
        executor: GenerationExecutor,
        admission: AdmissionControl,
        refusals: RefusalPath,
    ) -> None:
        self._pipeline = pipeline
        self._asks = asks
        self._jobs = jobs
        self._executor = executor
        self._admission = admission
        self._refusals = refusals

    async def dispatch(
        self, kind: str, body: BaseModel, run_now: bool, principal: Principal, ctx: RequestContext
    ) -> Dispatched:
        """Run the request now or queue it as a job. Raises the refusal of any step."""
        ask = self._asks.build(kind, body.model_dump_json())
        if not run_now or self._admission.runs_as_job(kind, ask.cost):
            job = await run_in_threadpool(self._jobs.submit, principal, kind, body, ctx)
            return Dispatched(job=job)
        admitted = await run_in_threadpool(self._pipeline.admit, principal, ask, ctx)
        return Dispatched(generation=await self._run_now(kind, admitted, ctx))

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
                waiting.add_done_callback(_consume_outcome)
                await run_in_threadpool(
                    self._refusals.record, ctx, "generate", timed_out, **admitted.audit
                )
                raise timed_out


def _consume_outcome(future: asyncio.Future[Generation]) -> None:
    # Retrieve an abandoned generation's exception so asyncio does not log it as lost.
    if not future.cancelled():
        future.exception()
