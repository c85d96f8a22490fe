"""Admission control: what one request may cost, and which requests run as jobs.

Each engine estimates a request's cost (``engines.Cost``: work in its own unit, and memory)
from its parameters alone. A request over its kind's ceiling is refused before any work
(``request_too_costly``, the ceiling in the problem body); one over the sync threshold is
answered 202 with a job, exactly as ``?mode=async`` would. Ceilings are per profile: the tiny
profile runs on a laptop's CPU, the standard one on a GPU host; settings override them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from engines import Cost
from gateway.errors import InvalidRequest

GIB = 1024**3


@dataclass(frozen=True)
class Ceiling:
    """The most one request of a kind may ask for (``max_work``, ``max_memory_bytes``), and
    the most it may ask for and still be answered synchronously (``sync_max_work``)."""

    max_work: float
    max_memory_bytes: int
    sync_max_work: float


# Tiny profile (CPU, random-weight models): bounded so that any single admitted request
# keeps the gateway within about 1 GB of its idle memory (bench/memory.py measures it).
TINY_CEILINGS: dict[str, Ceiling] = {
    "image": Ceiling(512 * 512 * 50 * 2, GIB // 2, 256 * 256 * 20 * 2),
    "video": Ceiling(256 * 256 * 16 * 50, GIB // 2, 64 * 64 * 8 * 10),
    "music": Ceiling(40.0, GIB // 2, 40.0),  # 30 s and a 10 s melody; fast on the tiny model
    "speech": Ceiling(2000, GIB // 4, 2000),
    "voice_clone": Ceiling(1000, GIB // 2, 1000),
}
# Standard profile (a GPU host with real weights): the engines' own bounds, larger jobs.
STANDARD_CEILINGS: dict[str, Ceiling] = {
    "image": Ceiling(1024 * 1024 * 50 * 2, 8 * GIB, 768 * 768 * 30 * 2),
    "video": Ceiling(1024 * 1024 * 64 * 50, 40 * GIB, 0),
    "music": Ceiling(40.0, 8 * GIB, 0),  # 30 s and a 10 s melody
    "speech": Ceiling(2000, GIB, 2000),
    "voice_clone": Ceiling(1000, 4 * GIB, 1000),
}


class RequestTooCostly(InvalidRequest):
    """Over the kind's ceiling (422 ``request_too_costly``; the ceiling is in the body)."""

    def __init__(self, kind: str, cost: Cost, ceiling: Ceiling) -> None:
        super().__init__(
            "request_too_costly",
            f"this {kind} request is estimated at {cost.work:.0f} {cost.unit} and "
            f"{cost.memory_bytes / 2**20:.0f} MiB; the most one request may take is "
            f"{ceiling.max_work:.0f} {cost.unit} and {ceiling.max_memory_bytes / 2**20:.0f} MiB",
        )
        self.problem_extra: dict[str, Any] = {
            "cost": {"work": cost.work, "unit": cost.unit, "memory_bytes": cost.memory_bytes},
            "ceiling": {
                "work": ceiling.max_work,
                "unit": cost.unit,
                "memory_bytes": ceiling.max_memory_bytes,
            },
        }


class AdmissionControl:
    def __init__(
        self, defaults: Mapping[str, Ceiling], overrides: Mapping[str, Mapping[str, float]]
    ) -> None:
        self._ceilings = {
            kind: replace(ceiling, **_ceiling_fields(overrides.get(kind, {})))
            for kind, ceiling in defaults.items()
        }

    def ceiling(self, kind: str) -> Ceiling:
        return self._ceilings[kind]

    def check(self, kind: str, cost: Cost) -> None:
        """Raises RequestTooCostly when ``cost`` is over the kind's ceiling."""
        ceiling = self._ceilings[kind]
        if cost.work > ceiling.max_work or cost.memory_bytes > ceiling.max_memory_bytes:
            raise RequestTooCostly(kind, cost, ceiling)

    def runs_as_job(self, kind: str, cost: Cost) -> bool:
        """True when a synchronous request of this cost should be answered with a job."""
        return cost.work > self._ceilings[kind].sync_max_work


def _ceiling_fields(values: Mapping[str, float]) -> dict[str, Any]:
    fields = {"max_work": float, "max_memory_bytes": int, "sync_max_work": float}
    return {name: fields[name](value) for name, value in values.items() if name in fields}
