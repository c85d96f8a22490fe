"""Generation runs here, never on the request thread pool.

Each engine kind has a fixed number of worker threads (its slots) and a bounded queue in
front of them, so a crowd of heavy requests is refused (``queue_full``) instead of taking
every thread the health, audit, job and cancel endpoints need. Each generation has a time
limit: at the limit its cancel flag is set, so an engine stops at its next step; one that
cannot be interrupted keeps its slot until it returns, its caller is answered
``engine_timed_out`` after a grace period, and ``/healthz`` reports the slot as stuck.
"""

from __future__ import annotations

import contextvars
import logging
import math
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from engines import CancelFlag, EngineTimedOut
from gateway.errors import GatewayError

_log = logging.getLogger(__name__)

T = TypeVar("T")

# After the limit, how long an engine has to notice its cancel flag before its caller is
# answered anyway (one diffusion step of a large request on a CPU can take this long).
CANCEL_GRACE_S = 5.0
WAIT_POLL_S = 0.25  # how often a waiting caller looks at the deadline
_RUNNING, _DELIVERING, _ABANDONED = "running", "delivering", "abandoned"


class QueueFull(GatewayError):
    """Every slot and queue place of an engine kind is taken (503, ``Retry-After``)."""

    status = 503

    def __init__(self, kind: str, retry_after_s: int) -> None:
        super().__init__("queue_full", f"the {kind} engine is busy; try again later")
        self.headers = {"Retry-After": str(retry_after_s)}
        self.problem_extra = {"retry_after_s": retry_after_s}


@dataclass(frozen=True)
class Lane:
    """One engine kind's capacity: concurrent generations, waiting ones, and the time limit."""

    slots: int = 1
    queue: int = 4
    time_limit_s: float = 600.0


class Watch:
    """A generation's cancel flag and deadline, shared by its caller and its worker.

    The same ``EngineTimedOut`` instance reaches both, so the refusal path records it once.
    """

    def __init__(self, time_limit_s: float, cancel: CancelFlag | None = None) -> None:
        self.cancel = cancel or CancelFlag()
        self.time_limit_s = time_limit_s
        self.deadline = math.inf  # set when a slot starts the work: queueing is not running
        self.timed_out = EngineTimedOut(f"the generation passed its {time_limit_s:g} s limit")
        self._lock = threading.Lock()
        self._state = _RUNNING

    @property
    def past_deadline(self) -> bool:
        return time.monotonic() >= self.deadline

    @property
    def overdue(self) -> bool:
        """Past the limit and the grace: its caller stops waiting."""
        return time.monotonic() >= self.deadline + CANCEL_GRACE_S

    @property
    def abandoned(self) -> bool:
        with self._lock:
            return self._state == _ABANDONED

    def abandon(self) -> EngineTimedOut | None:
        """The caller stops waiting: whatever the worker makes afterwards is thrown away.

        Returns None when the worker has begun delivering (its entry is being written): the
        caller then waits for the result, so the answer and the log never disagree.
        """
        with self._lock:
            if self._state == _DELIVERING:
                return None
            self._state = _ABANDONED
        self.cancel.cancel()
        return self.timed_out

    def begin_delivery(self) -> bool:
        """The worker is about to record and store its output; False if the caller has gone
        (then nothing may be recorded as allowed, nor stored)."""
        with self._lock:
            if self._state == _ABANDONED:
                return False
            self._state = _DELIVERING
            return True


class _LaneState:
    def __init__(self, kind: str, lane: Lane) -> None:
        self.lane = lane
        self.pool = ThreadPoolExecutor(lane.slots, thread_name_prefix=f"generate-{kind}")
        self.places = threading.BoundedSemaphore(lane.slots + lane.queue)
        self.lock = threading.Lock()
        self.running: dict[int, Watch] = {}
        self.queued = 0
        self.next_id = 0


class GenerationExecutor:
    def __init__(self, lanes: Mapping[str, Lane]) -> None:
        self._lanes = {kind: _LaneState(kind, lane) for kind, lane in lanes.items()}
        self._timers_stop = threading.Event()

    def lane(self, kind: str) -> Lane:
        return self._lanes[kind].lane

    def submit(
        self, kind: str, work: Callable[[Watch], T], watch: Watch, wait: bool = False
    ) -> Future[T]:
        """Queue ``work(watch)`` on the kind's slots.

        ``wait``: block until a queue place is free (job workers) instead of refusing.

        Raises:
            QueueFull: no place is free and ``wait`` is False.
        """
        state = self._lanes[kind]
        if not state.places.acquire(blocking=wait):
            raise QueueFull(kind, retry_after_s=max(1, round(state.lane.time_limit_s / 10)))
        with state.lock:
            state.queued += 1
            state.next_id += 1
            ticket = state.next_id
        try:
            # In the submitter's context: log lines from the engine name its request.
            run = contextvars.copy_context().run
            return state.pool.submit(run, self._run, state, ticket, work, watch)
        except BaseException:
            with state.lock:
                state.queued -= 1
            state.places.release()
            raise

    def _run(self, state: _LaneState, ticket: int, work: Callable[[Watch], T], watch: Watch) -> T:
        with state.lock:
            state.queued -= 1
            state.running[ticket] = watch
        # The limit counts from the start of work, not from the time spent queued.
        watch.deadline = time.monotonic() + watch.time_limit_s
        timer = threading.Timer(watch.time_limit_s, watch.cancel.cancel)
        timer.daemon = True
        timer.start()
        try:
            return work(watch)
        finally:
            timer.cancel()
            with state.lock:
                state.running.pop(ticket, None)
            state.places.release()

    def wait(self, future: Future[T], watch: Watch) -> T:
        """Block for the result (job workers); past the limit and grace, abandon it.

        Raises:
            EngineTimedOut: the generation did not return in time (it may still hold its
                slot); whatever ``work`` raised otherwise.
        """
        while True:
            try:
                return future.result(timeout=WAIT_POLL_S)
            except TimeoutError:
                if watch.overdue:
                    timed_out = watch.abandon()
                    if timed_out is not None:  # else it is delivering: wait for it
                        raise timed_out from None

    def status(self) -> dict[str, dict[str, int]]:
        """Per kind: slots, running, queued, and stuck (running past their time limit)."""
        report = {}
        for kind, state in self._lanes.items():
            with state.lock:
                watches = list(state.running.values())
                queued = state.queued
            report[kind] = {
                "slots": state.lane.slots,
                "running": len(watches),
                "queued": queued,
                "stuck": sum(1 for watch in watches if watch.past_deadline),
            }
        return report

    def shutdown(self) -> None:
        """Stop taking work; running generations are asked to stop."""
        for state in self._lanes.values():
            with state.lock:
                for watch in state.running.values():
                    watch.cancel.cancel()
            state.pool.shutdown(wait=False, cancel_futures=True)
