"""Group commit: concurrent callers share one write (one transaction, one commit, one fsync).

The first caller to arrive becomes the leader: it takes every request queued so far (its own
first), writes them as one batch and hands each waiting caller its own outcome. Callers that
arrive while a batch is being written queue up and form the next batch; when the leader is done
it hands the lead to the first of them, so no caller writes more than one batch for others.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar, cast

Request = TypeVar("Request")
Result = TypeVar("Result")

MAX_BATCH = 256  # one transaction stays short, and one failure fails at most this many callers


@dataclass(eq=False)
class _Slot(Generic[Request, Result]):
    request: Request
    wake: threading.Event = field(default_factory=threading.Event)
    lead: bool = False  # woken to write the next batch rather than with an outcome
    outcome: Result | BaseException | None = None


class GroupCommit(Generic[Request, Result]):
    """Runs ``write`` over batches of concurrent requests.

    ``write`` gets the batch in arrival order and returns one outcome per request: its result,
    or the exception to raise in that caller. An exception ``write`` raises itself is raised in
    every caller of the batch.
    """

    def __init__(
        self,
        write: Callable[[Sequence[Request]], Sequence[Result | BaseException]],
        max_batch: int = MAX_BATCH,
    ) -> None:
        self._write = write
        self._max_batch = max_batch
        self._mutex = threading.Lock()
        self._queue: list[_Slot[Request, Result]] = []
        self._leading = False  # a leader is writing; the queue is its followers

    def submit(self, request: Request) -> Result:
        """Write ``request`` in the next batch and return its result.

        Raises:
            Whatever ``write`` gave as this request's outcome, or raised for the whole batch.
        """
        slot: _Slot[Request, Result] = _Slot(request)
        with self._mutex:
            self._queue.append(slot)
            slot.lead = not self._leading
            self._leading = True
        if not slot.lead:
            slot.wake.wait()
        if slot.lead:
            self._lead()
        if isinstance(slot.outcome, BaseException):
            raise slot.outcome
        return cast(Result, slot.outcome)

    def _lead(self) -> None:
        """Write the batch at the head of the queue (this thread's own slot first)."""
        with self._mutex:
            batch = self._queue[: self._max_batch]
            del self._queue[: self._max_batch]
        outcomes: Sequence[Result | BaseException]
        try:
            outcomes = self._write([slot.request for slot in batch])
            if len(outcomes) != len(batch):
                raise RuntimeError(f"{len(outcomes)} outcomes for a batch of {len(batch)}")
        except BaseException as exc:  # every caller must wake, whatever went wrong
            outcomes = [exc] * len(batch)
        for slot, outcome in zip(batch, outcomes, strict=True):
            slot.outcome = outcome
        self._hand_over()
        for slot in batch[1:]:
            slot.wake.set()

    def _hand_over(self) -> None:
        with self._mutex:
            if self._queue:
                self._queue[0].lead = True
                self._queue[0].wake.set()
            else:
                self._leading = False
