"""Search the audit log: filters and opaque cursors, newest entries first."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from audit.errors import CursorInvalid
from audit.record import AuditEntry
from audit.rows import row_to_entry
from audit.tables import AuditEntryRow

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

MAX_PAGE = 500  # bounded so one request cannot pull the whole log into memory
_EXPORT_BATCH = 500
_CURSOR_PREFIX = "seq:"
MAX_SEQ = 2**63 - 1  # a database integer; a larger seq in a forged cursor is refused, not a 500


@dataclass(frozen=True)
class AuditFilter:
    decision: str | None = None
    code: str | None = None
    subject: str | None = None
    action: str | None = None
    engine: str | None = None
    since: str | None = None  # ISO 8601 UTC, inclusive
    until: str | None = None  # ISO 8601 UTC, exclusive


@dataclass(frozen=True)
class AuditPage:
    items: list[AuditEntry]
    next_cursor: str | None


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{seq}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """Raises CursorInvalid for anything this module did not produce."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith(_CURSOR_PREFIX):
            raise ValueError(text)
        seq = int(text.removeprefix(_CURSOR_PREFIX))
        if not 0 < seq <= MAX_SEQ:
            raise ValueError(f"seq {seq} out of range")
        return seq
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise CursorInvalid("the cursor is not one this log issued") from exc


def _filtered(query: Any, filters: AuditFilter) -> Any:
    equal_filters = {
        AuditEntryRow.decision: filters.decision,
        AuditEntryRow.code: filters.code,
        AuditEntryRow.subject: filters.subject,
        AuditEntryRow.action: filters.action,
        AuditEntryRow.engine: filters.engine,
    }
    for column, value in equal_filters.items():
        if value is not None:
            query = query.where(col(column) == value)
    if filters.since is not None:
        query = query.where(col(AuditEntryRow.time) >= filters.since)
    if filters.until is not None:
        query = query.where(col(AuditEntryRow.time) < filters.until)
    return query


def export(engine: Engine, filters: AuditFilter) -> Iterator[AuditEntry]:
    """Every matching entry, oldest first, read in batches (for streaming exports)."""
    after = 0
    while True:
        query = _filtered(select(AuditEntryRow), filters)
        query = query.where(col(AuditEntryRow.seq) > after).order_by(col(AuditEntryRow.seq))
        with Session(engine) as session:
            rows = list(session.exec(query.limit(_EXPORT_BATCH)))
        if not rows:
            return
        yield from (row_to_entry(row) for row in rows)
        after = rows[-1].seq


def search(engine: Engine, filters: AuditFilter, limit: int, cursor: str | None) -> AuditPage:
    """One page of entries matching ``filters``, newest first.

    Raises:
        CursorInvalid: ``cursor`` was not issued by ``search``.
    """
    limit = max(1, min(limit, MAX_PAGE))
    query = select(AuditEntryRow).order_by(col(AuditEntryRow.seq).desc()).limit(limit + 1)
    query = _filtered(query, filters)
    if cursor is not None:
        query = query.where(col(AuditEntryRow.seq) < decode_cursor(cursor))
    with Session(engine) as session:
        rows = list(session.exec(query))
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1].seq) if more and rows else None
    return AuditPage(items=[row_to_entry(r) for r in rows], next_cursor=next_cursor)
