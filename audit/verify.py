"""Recompute the chain and check it against the signed checkpoints.

Finds, and names by seq, the first entry that was modified, deleted, inserted or reordered,
and a tail cut off behind a checkpoint. A tail cut off after the newest checkpoint cannot be
told from a log that simply ended there: checkpoint often (and at shutdown) to keep that
window small.

The seqs are cut into ranges that are checked on their own (in worker processes when asked)
and then joined in order, so the report is the same as one walk from the first entry would
give: the walk stops at the first bad entry, and every later range is ignored.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from audit.checkpoint import Checkpoint, raw_public_key, signatures_valid
from audit.record import GENESIS_HASH
from audit.report import Problem, VerifyReport
from audit.scan import RangeCheck, SeqRange, check_range, check_range_at

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from sqlalchemy.engine import Engine

    from audit.chain import AuditLog

__all__ = ["Problem", "VerifyReport", "verify_log"]

ENTRIES_PER_PROCESS = 200_000  # below this a worker process costs more to start than it saves
RANGES_PER_PROCESS = 8  # smaller ranges even out workers whose cores are busy with other work

# Both ends come from the primary keys at once; count(*) would read a whole index.
_BOUNDS = text(
    "SELECT min(lo), max(hi) FROM ("
    " SELECT min(seq) AS lo, max(seq) AS hi FROM audit_entries"
    " UNION ALL SELECT min(seq), max(seq) FROM audit_prompts) AS bounds"
)


def verify_log(
    engine: Engine,
    log: AuditLog,
    public_key: Ed25519PublicKey,
    processes: int | None = 1,
    *,
    up_to: int | None = None,
) -> VerifyReport:
    """Check chain, checkpoints and kept prompts; the report lists every problem found.

    ``processes``: worker processes to check ranges in; ``None`` picks one per
    ``ENTRIES_PER_PROCESS`` entries, up to the number of CPUs. An in-memory SQLite database
    is always checked in this process.

    ``up_to``: check only the entries, kept prompts and checkpoints with a seq up to this one
    (an export names the head it read; entries appended while it runs are not its concern).

    Raises:
        sqlalchemy.exc.SQLAlchemyError: the database could not be read.
    """
    report = VerifyReport()
    try:
        checkpoints = log.checkpoint_file.read_all()
    except ValueError as exc:
        checkpoints = []
        report.problems.append(Problem(0, str(exc)))
    if up_to is not None:
        checkpoints = [c for c in checkpoints if c.seq <= up_to]
    wanted = frozenset(c.seq for c in checkpoints)
    bounds = _bounds(engine, up_to)
    workers = 1 if bounds is None else _workers(engine, processes, bounds[1] - bounds[0] + 1)
    ranges = [] if bounds is None else _split(*bounds, parts=workers * RANGES_PER_PROCESS)
    checks, valid = _run_checks(engine, ranges, wanted, checkpoints, public_key, workers)
    hashes = _join(checks, report)
    _check_checkpoints(checkpoints, valid, hashes, report)
    # Kept prompts are checked whatever the chain holds; their problems come last.
    report.problems.extend(p for check in checks for p in check.prompt_problems)
    return report


def _bounds(engine: Engine, up_to: int | None = None) -> tuple[int, int] | None:
    """The lowest and highest seq of the entries and kept prompts (the highest no more than
    ``up_to``); None for no log."""
    with engine.connect() as conn:
        # A database the gateway never migrated holds no log, as an empty one holds none.
        if not inspect(conn).has_table("audit_entries"):
            return None
        first, last = conn.execute(_BOUNDS).one()
    if first is None or (up_to is not None and first > up_to):
        return None
    return first, last if up_to is None else min(last, up_to)


def _workers(engine: Engine, processes: int | None, entries: int) -> int:
    if engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:"):
        return 1  # another process would open a different, empty database
    if processes is None:
        return max(1, min(os.cpu_count() or 1, entries // ENTRIES_PER_PROCESS))
    return max(1, processes)


def _split(first: int, last: int, *, parts: int) -> list[SeqRange]:
    """``parts`` consecutive ranges covering first..last, the same size give or take one."""
    size = max(1, -(-(last - first + 1) // parts))
    return [SeqRange(lo, min(lo + size - 1, last)) for lo in range(first, last + 1, size)]


def _run_checks(
    engine: Engine,
    ranges: list[SeqRange],
    wanted: frozenset[int],
    checkpoints: list[Checkpoint],
    public_key: Ed25519PublicKey,
    workers: int,
) -> tuple[list[RangeCheck], list[bool]]:
    """Each range's check, in order, and whether each checkpoint's signature is valid."""
    key = raw_public_key(public_key)
    if workers == 1:
        with engine.connect() as conn:
            checks = [check_range(conn, seqs, wanted) for seqs in ranges]
        return checks, signatures_valid(checkpoints, key)
    url = engine.url.render_as_string(hide_password=False)
    size = max(1, -(-len(checkpoints) // workers))
    with ProcessPoolExecutor(max_workers=workers, mp_context=_process_context()) as pool:
        range_futures = [
            pool.submit(check_range_at, url, seqs, _within(wanted, seqs)) for seqs in ranges
        ]
        signature_futures = [
            pool.submit(signatures_valid, checkpoints[start : start + size], key)
            for start in range(0, len(checkpoints), size)
        ]
        checks = [future.result() for future in range_futures]
        valid = [ok for future in signature_futures for ok in future.result()]
    return checks, valid


def _process_context() -> BaseContext:
    """fork where it is safe (Linux, no other thread that could hold a lock), else spawn.

    A forked worker starts at once with everything imported; a spawned one first imports the
    audit package again, which takes seconds on a busy machine.
    """
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _within(seqs: frozenset[int], bounds: SeqRange) -> frozenset[int]:
    return frozenset(s for s in seqs if bounds.first <= s <= bounds.last)


def _join(checks: list[RangeCheck], report: VerifyReport) -> dict[int, str]:
    """Join the ranges in order as one walk would; return the hashes at the wanted seqs."""
    hashes: dict[int, str] = {}
    expected_seq, prev_hash = 1, GENESIS_HASH
    for check in checks:
        if check.first_seq is None:
            continue  # no entries here: the next range's first entry shows the gap
        problem = _join_problem(check, expected_seq, prev_hash)
        if problem is not None:
            report.entries += 1
            report.problems.append(problem)
            return hashes
        report.entries += check.rows
        hashes.update(check.hashes)
        report.head_seq, report.head_hash = check.last_seq, check.last_hash
        if check.problem is not None:
            report.problems.append(check.problem)
            return hashes
        expected_seq, prev_hash = check.last_seq + 1, check.last_hash
    return hashes


def _join_problem(check: RangeCheck, expected_seq: int, prev_hash: str) -> Problem | None:
    """Whether the first entry of a range follows the entry before it, as ``_check_links``."""
    seq = check.first_seq
    assert seq is not None
    if seq != expected_seq:
        return Problem(expected_seq, f"entry {expected_seq} is missing (next is {seq})")
    if not check.first_ok:
        return Problem(seq, f"entry {seq} was modified")
    if check.first_prev_hash != prev_hash:
        return Problem(seq, f"entry {seq} does not follow entry {seq - 1}")
    return None


def _check_checkpoints(
    checkpoints: list[Checkpoint],
    valid: list[bool],
    hashes: dict[int, str],
    report: VerifyReport,
) -> None:
    last_seq = 0
    for checkpoint, signature_ok in zip(checkpoints, valid, strict=True):
        report.checkpoints += 1
        if not signature_ok:
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
