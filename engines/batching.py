"""Batching inside an engine: requests that can share one device run are run as one.

Callers arrive on their own threads (the gateway's generation lanes, or a replica's). The first
caller for a key becomes the batch's leader: it waits up to ``max_wait_s`` for others with the
same key (same model, size, steps…), then runs them all with one call while the others wait for
their own result. A batch closes when it is full or its wait is over; later callers start the
next one, which can collect while this one runs. Each caller gets its own result, or the
error of the run, and does its own post-processing (encoding) on its own thread, off the
device's critical path.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

_ABANDON_POLL_S = 0.05  # how often a waiting caller looks at whether it still wants the result

Item = TypeVar("Item")


class Abandoned(Exception):
    """The caller gave up (cancelled, timed out) while its batch ran."""


Result = TypeVar("Result")


@dataclass(eq=False)
class _Slot(Generic[Item, Result]):
    item: Item
    done: threading.Event = field(default_factory=threading.Event)
    result: Result | None = None
    error: BaseException | None = None


class Batcher(Generic[Item, Result]):
    """Runs ``run(items)`` once per batch; ``run`` returns one result per item, in order."""

    def __init__(
        self,
        run: Callable[[Sequence[Item]], Sequence[Result]],
        max_batch: int,
        max_wait_s: float,
    ) -> None:
        if max_batch < 1 or max_wait_s < 0:
            raise ValueError("max_batch must be at least 1 and max_wait_s not negative")
        self._run = run
        self.max_batch = max_batch
        self.max_wait_s = max_wait_s
        self._changed = threading.Condition()
        self._open: dict[Hashable, list[_Slot[Item, Result]]] = {}
        self._limits: dict[Hashable, int] = {}

    def submit(
        self,
        key: Hashable,
        item: Item,
        limit: int | None = None,
        abandoned: Callable[[], bool] | None = None,
    ) -> Result:
        """``item``'s result, run in a batch with others of the same ``key``; ``limit`` (the
        same for every item of a key, e.g. from its size) caps that key's batches further.
        A caller waiting on another's run leaves as soon as ``abandoned()`` is true (raising
        Abandoned); the run goes on for the others, its result for this caller dropped.

        Raises:
            Abandoned: ``abandoned()`` became true while waiting on another caller's run.
            Whatever ``run`` raised for the batch (a copy per caller, chained to the original).
        """
        slot: _Slot[Item, Result] = _Slot(item)
        most = self.max_batch if limit is None else max(1, min(limit, self.max_batch))
        batch = self._join(key, slot, most)
        if batch is None:
            while not slot.done.wait(_ABANDON_POLL_S):
                if abandoned is not None and abandoned():
                    raise Abandoned("left the batch before its run ended")
        else:
            self._lead(batch)
        if slot.error is not None:
            raise slot.error
        return slot.result  # type: ignore[return-value]  # set with done, error otherwise

    def _join(self, key: Hashable, slot: _Slot[Item, Result], most: int) -> list[_Slot] | None:
        """Add ``slot`` to the open batch for ``key``; the closed batch if this caller leads."""
        with self._changed:
            batch = self._open.get(key)
            if batch is not None:
                batch.append(slot)
                if len(batch) >= self._limits[key]:
                    del self._open[key]  # full: the next caller starts another
                    self._changed.notify_all()
                return None
            batch = [slot]
            if most > 1:
                self._open[key], self._limits[key] = batch, most
                deadline = time.monotonic() + self.max_wait_s
                while len(batch) < most:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    self._changed.wait(left)
                if self._open.get(key) is batch:
                    del self._open[key]
            return batch

    def _lead(self, batch: list[_Slot[Item, Result]]) -> None:
        try:
            results = self._run([slot.item for slot in batch])
            if len(results) != len(batch):
                raise RuntimeError(f"a batch of {len(batch)} gave {len(results)} results")
            for slot, result in zip(batch, results, strict=True):
                slot.result = result
        except BaseException as exc:
            for index, slot in enumerate(batch):
                slot.error = exc if index == 0 else _copy(exc)
        finally:
            for slot in batch:
                slot.done.set()


def _copy(error: BaseException) -> BaseException:
    """The same error for another thread: one exception object raised in several threads
    would share (and keep extending) one traceback."""
    try:
        twin = copy.copy(error)
    except Exception:
        twin = RuntimeError(str(error))
    twin.__cause__ = error
    twin.__traceback__ = None
    return twin
