"""Check one seq range of the log on its own: its entries' hashes and links, its kept prompts.

Rows are read as plain tuples in seq order, a batch at a time by keyset (``seq > last seen``),
so a long log is never held in memory and no query has to skip rows. Whether a range joins its
neighbours (its first entry following the last entry of the range before) is left to the
caller, so ranges can be checked in separate processes and joined afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from audit.record import prompt_hash
from audit.report import Problem
from audit.rows import ENTRY_COLUMNS, stored_hash

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

SCAN_BATCH = 5000  # rows per query: the query's own cost vanishes, memory stays a few MB

# The bounds are integers formatted into the SQL, so one string works with every driver's
# parameter style and the rows come straight from the driver's cursor as plain tuples.
_ENTRIES = (
    f"SELECT {', '.join(ENTRY_COLUMNS)} FROM audit_entries "
    "WHERE seq > {after:d} AND seq <= {last:d} ORDER BY seq LIMIT {limit:d}"
)
_PROMPTS = (
    "SELECT p.seq, p.fields, e.prompt_hash FROM audit_prompts AS p "
    "LEFT JOIN audit_entries AS e ON e.seq = p.seq "
    "WHERE p.seq > {after:d} AND p.seq <= {last:d} AND p.fields IS NOT NULL "
    "ORDER BY p.seq LIMIT {limit:d}"
)
_HASH = ENTRY_COLUMNS.index("hash")
_PREV_HASH = ENTRY_COLUMNS.index("prev_hash")


@dataclass(frozen=True)
class SeqRange:
    first: int
    last: int  # inclusive


@dataclass
class RangeCheck:
    """What one range holds, as much as its neighbours need to join it."""

    first_seq: int | None = None  # None: the range holds no entry
    first_prev_hash: str = ""
    first_ok: bool = False  # the first entry's hash matches its fields
    rows: int = 0  # entries read, up to and including the first problem
    problem: Problem | None = None  # the first problem after the first entry
    last_seq: int = 0  # the last entry that passed every check
    last_hash: str = ""
    hashes: dict[int, str] = field(default_factory=dict)  # at the wanted seqs, before a problem
    prompt_problems: list[Problem] = field(default_factory=list)


def check_range(conn: Connection, seqs: SeqRange, wanted: frozenset[int]) -> RangeCheck:
    """Check the entries and kept prompts with a seq in ``seqs``.

    Stops at the range's first bad entry (the log cannot be trusted past it); the prompts are
    all checked. ``wanted`` names seqs whose hashes the caller needs (the checkpoints').

    Raises:
        sqlalchemy.exc.SQLAlchemyError: the database could not be read.
    """
    check = RangeCheck()
    rows = _batched(conn, _ENTRIES, seqs)
    first = next(rows, None)
    if first is not None:
        check.first_seq, check.first_prev_hash = first[0], first[_PREV_HASH]
        check.first_ok, check.rows = _hash_matches(first), 1
        check.last_seq, check.last_hash = first[0], first[_HASH]
        if check.first_ok:
            if first[0] in wanted:
                check.hashes[first[0]] = first[_HASH]
            _check_links(rows, check, wanted)
    check.prompt_problems = _check_prompts(conn, seqs)
    return check


def check_range_at(url: str, seqs: SeqRange, wanted: frozenset[int]) -> RangeCheck:
    """``check_range`` over a connection of its own: what a worker process runs.

    Raises:
        sqlalchemy.exc.SQLAlchemyError: the database could not be opened or read.
    """
    db = create_engine(url, poolclass=NullPool)
    try:
        with db.connect() as conn:
            return check_range(conn, seqs, wanted)
    finally:
        db.dispose()


def _check_links(rows: Iterator[Any], check: RangeCheck, wanted: frozenset[int]) -> None:
    """Follow the entries after the first; stop at the first one that is missing or bad."""
    last_seq, last_hash = check.last_seq, check.last_hash
    for row in rows:
        check.rows += 1
        seq = row[0]
        if seq != last_seq + 1:
            missing = last_seq + 1
            check.problem = Problem(missing, f"entry {missing} is missing (next is {seq})")
            break
        if not _hash_matches(row):
            check.problem = Problem(seq, f"entry {seq} was modified")
            break
        if row[_PREV_HASH] != last_hash:
            check.problem = Problem(seq, f"entry {seq} does not follow entry {seq - 1}")
            break
        last_seq, last_hash = seq, row[_HASH]
        if seq in wanted:
            check.hashes[seq] = last_hash
    check.last_seq, check.last_hash = last_seq, last_hash


def _hash_matches(row: Any) -> bool:
    try:
        return stored_hash(row) == row[_HASH]
    except (ValueError, TypeError):
        return False  # JSON columns that do not decode, or decode to no canonical form


def _check_prompts(conn: Connection, seqs: SeqRange) -> list[Problem]:
    problems = []
    for seq, fields, expected in _batched(conn, _PROMPTS, seqs):
        try:
            matches = expected is not None and prompt_hash(json.loads(fields)) == expected
        except (ValueError, TypeError):
            matches = False
        if not matches:
            problems.append(Problem(seq, f"the prompt kept for entry {seq} does not match it"))
    return problems


def _batched(conn: Connection, query: str, seqs: SeqRange) -> Iterator[Any]:
    """Rows of ``query`` (first column: seq) over ``seqs``, one keyset batch at a time."""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        after = seqs.first - 1
        while True:
            cursor.execute(query.format(after=after, last=seqs.last, limit=SCAN_BATCH))
            batch = cursor.fetchall()
            yield from batch
            if len(batch) < SCAN_BATCH:
                return
            after = batch[-1][0]
    finally:
        cursor.close()
