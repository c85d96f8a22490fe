"""Recompute the chain and check it against the signed checkpoints.

Finds, and names by seq, the first entry that was modified, deleted, inserted or reordered,
and a tail cut off behind a checkpoint. A tail cut off after the newest checkpoint cannot be
told from a log that simply ended there: checkpoint often (and at shutdown) to keep that
window small.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from audit.chain import row_to_entry
from audit.checkpoint import Checkpoint, signature_valid
from audit.record import GENESIS_HASH, entry_hash, prompt_hash
from audit.tables import AuditPromptRow

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from sqlalchemy.engine import Engine

    from audit.chain import AuditLog


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


def _check_chain(log: AuditLog, report: VerifyReport, wanted: set[int]) -> dict[int, str]:
    """Walk the entries in seq order; return the hashes at the seqs in ``wanted``."""
    hashes: dict[int, str] = {}
    expected_seq, prev_hash = 1, GENESIS_HASH
    for row in log.iter_rows():
        entry = row_to_entry(row)
        report.entries += 1
        if entry.seq != expected_seq:
            report.problems.append(
                Problem(expected_seq, f"entry {expected_seq} is missing (next is {entry.seq})")
            )
            return hashes
        if entry_hash(entry.hashed_fields()) != entry.hash:
            report.problems.append(Problem(entry.seq, f"entry {entry.seq} was modified"))
            return hashes
        if entry.prev_hash != prev_hash:
            report.problems.append(
                Problem(entry.seq, f"entry {entry.seq} does not follow entry {entry.seq - 1}")
            )
            return hashes
        if entry.seq in wanted:
            hashes[entry.seq] = entry.hash
        report.head_seq, report.head_hash = entry.seq, entry.hash
        expected_seq, prev_hash = entry.seq + 1, entry.hash
    return hashes


def _check_checkpoints(
    checkpoints: list[Checkpoint],
    public_key: Ed25519PublicKey,
    hashes: dict[int, str],
    report: VerifyReport,
) -> None:
    last_seq = 0
    for checkpoint in checkpoints:
        report.checkpoints += 1
        if not signature_valid(checkpoint, public_key):
            report.problems.append(
                Problem(checkpoint.seq, f"checkpoint at {checkpoint.seq} has a bad signature")
            )
            continue
        if checkpoint.seq < last_seq:
            report.problems.append(
                Problem(checkpoint.seq, f"checkpoint at {checkpoint.seq} is out of order")
            )
        last_seq = max(last_seq, checkpoint.seq)
        if checkpoint.seq > report.head_seq and not report.problems:
            missing = report.head_seq + 1
            report.problems.append(
                Problem(
                    missing,
                    f"entries {missing}..{checkpoint.seq} are missing: the log was cut "
                    f"after {report.head_seq} but a checkpoint signed seq {checkpoint.seq}",
                )
            )
        elif checkpoint.seq in hashes and hashes[checkpoint.seq] != checkpoint.head_hash:
            report.problems.append(
                Problem(
                    checkpoint.seq,
                    f"entry {checkpoint.seq} differs from the checkpoint that signed it: "
                    "the log was rewritten",
                )
            )


def _check_prompts(engine: Engine, log: AuditLog, report: VerifyReport) -> None:
    from sqlmodel import Session, select

    with Session(engine) as session:
        for row in session.exec(select(AuditPromptRow)):
            if row.fields is None:
                continue  # redacted: the entry keeps the hash, the text is gone on purpose
            entry = log.get(row.seq)
            if entry is None or entry.prompt_hash != prompt_hash(json.loads(row.fields)):
                report.problems.append(
                    Problem(row.seq, f"the prompt kept for entry {row.seq} does not match it")
                )


def verify_log(engine: Engine, log: AuditLog, public_key: Ed25519PublicKey) -> VerifyReport:
    """Check chain, checkpoints and kept prompts; the report lists every problem found."""
    report = VerifyReport()
    try:
        checkpoints = log.checkpoint_file.read_all()
    except ValueError as exc:
        checkpoints = []
        report.problems.append(Problem(0, str(exc)))
    hashes = _check_chain(log, report, {c.seq for c in checkpoints})
    _check_checkpoints(checkpoints, public_key, hashes, report)
    _check_prompts(engine, log, report)
    return report
