"""What a verification finds: problems named by seq, gathered in one report."""

from __future__ import annotations

from dataclasses import dataclass, field

from audit.record import GENESIS_HASH


@dataclass(frozen=True)
class Problem:
    seq: int
    what: str


@dataclass
class VerifyReport:
    entries: int = 0
    checkpoints: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_bad_seq(self) -> int | None:
        return min((p.seq for p in self.problems), default=None)

    def first_problem(self) -> Problem | None:
        return min(self.problems, key=lambda p: p.seq, default=None)
