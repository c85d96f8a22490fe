"""Search the audit log: filters and opaque cursors, newest entries first."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, exists, func, text
from sqlmodel import Session, col, select

from audit.errors import CursorInvalid
from audit.record import AuditEntry
from audit.rows import row_to_entry, searchable
from audit.tables import AuditEntryRow, AuditPromptRow, AuditRoleRow

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

MAX_PAGE = 500  # bounded so one request cannot pull the whole log into memory
_EXPORT_BATCH = 500
_CURSOR_PREFIX = "seq:"
MAX_SEQ = 2**63 - 1  # a database integer; a larger seq in a forged cursor is refused, not a 500


LOG_READ_ACTIONS = ("read_audit", "export_audit")
"""Entries the log writes about being read: what ``exclude_reads`` hides."""

TRIGRAM = 3  # the trigram indexes find terms of three characters or more; shorter ones are scanned


@dataclass(frozen=True)
class AuditFilter:
    """What a search or export matches; every field given must hold (AND)."""

    decision: str | None = None
    code: str | None = None
    subject: str | None = None
    action: str | None = None
    engine: str | None = None
    since: str | None = None  # ISO 8601 UTC, inclusive
    until: str | None = None  # ISO 8601 UTC, exclusive
    role: str | None = None
    model: str | None = None
    purpose: str | None = None
    request_id: str | None = None
    sha256: str | None = None  # of an output file
    artifact_id: str | None = None
    voice_id: str | None = None
    consent_id: str | None = None
    job_id: str | None = None
    seq_from: int | None = None  # inclusive
    seq_to: int | None = None  # inclusive
    exclude_reads: bool = False
    q: str | None = None  # text in a kept prompt (case-insensitive substring)

    def asked(self) -> dict[str, Any]:
        """The filters that were given, by name (for the entry recording a read, a digest)."""
        return {
            name: value
            for name, value in asdict(self).items()
            if value is not None and value is not False
        }


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


def _filtered(query: Any, filters: AuditFilter, dialect: str) -> Any:
    entry = AuditEntryRow
    equal_filters = {
        entry.decision: filters.decision,
        entry.code: filters.code,
        entry.subject: filters.subject,
        entry.action: filters.action,
        entry.engine: filters.engine,
        entry.model: filters.model,
        entry.purpose: filters.purpose,
        entry.request_id: filters.request_id,
        entry.output_sha256: filters.sha256,
        entry.artifact_id: filters.artifact_id,
        entry.voice_id: filters.voice_id,
        entry.consent_id: filters.consent_id,
        entry.job_id: filters.job_id,
    }
    for column, value in equal_filters.items():
        if value is not None:
            query = query.where(col(column) == value)
    if filters.since is not None:
        query = query.where(col(entry.time) >= filters.since)
    if filters.until is not None:
        query = query.where(col(entry.time) < filters.until)
    if filters.seq_from is not None:
        query = query.where(col(entry.seq) >= filters.seq_from)
    if filters.seq_to is not None:
        query = query.where(col(entry.seq) <= filters.seq_to)
    if filters.exclude_reads:
        query = query.where(col(entry.action).not_in(LOG_READ_ACTIONS))
    if filters.role is not None:
        # A join, walked in the roles table's (role, seq) order (see _seq_order): a role held
        # by no entry answers at once instead of after a scan of the log.
        query = query.join(
            AuditRoleRow,
            and_(col(AuditRoleRow.seq) == col(entry.seq), col(AuditRoleRow.role) == filters.role),
        )
    if filters.q:
        query = query.where(_text_search(filters.q, dialect))
    return query


def _seq_order(filters: AuditFilter) -> Any:
    """The seq column to order and page by: the role table's under a role filter, so the
    database walks its (role, seq) index instead of sorting the role's entries."""
    return col(AuditRoleRow.seq) if filters.role is not None else col(AuditEntryRow.seq)


def _text_search(term: str, dialect: str) -> Any:
    """Entries whose kept prompt contains ``term`` (case-insensitive), redacted ones never.

    Terms of three characters or more use the trigram index (SQLite FTS5 ``trigram``,
    PostgreSQL ``pg_trgm``): word-splitting indexes find nothing inside Chinese or Thai text,
    which writes no spaces. Shorter terms are a scan of the kept prompts.
    """
    prompt = AuditPromptRow
    term = searchable(term)
    like = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    scanned = exists().where(
        col(prompt.seq) == col(AuditEntryRow.seq),
        col(prompt.search_text).ilike(like, escape="\\"),
    )
    if len(term) < TRIGRAM:
        return scanned
    # On SQLite the FTS5 table answers; elsewhere ILIKE, which pg_trgm's GIN index serves.
    phrase = '"' + term.replace('"', '""') + '"'
    fts = text(
        "audit_entries.seq IN (SELECT rowid FROM audit_prompt_search "
        "WHERE audit_prompt_search MATCH :phrase)"
    ).bindparams(phrase=phrase)
    return fts if dialect == "sqlite" else scanned


def export(engine: Engine, filters: AuditFilter) -> Iterator[AuditEntry]:
    """Every matching entry, oldest first, read in batches (for streaming exports)."""
    after = 0
    while True:
        seq = _seq_order(filters)
        query = _filtered(select(AuditEntryRow), filters, engine.dialect.name)
        query = query.where(seq > after).order_by(seq)
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
    seq = _seq_order(filters)
    query = _filtered(select(AuditEntryRow), filters, engine.dialect.name)
    query = query.order_by(seq.desc()).limit(limit + 1)
    if cursor is not None:
        query = query.where(seq < decode_cursor(cursor))
    with Session(engine) as session:
        rows = list(session.exec(query))
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1].seq) if more and rows else None
    return AuditPage(items=[row_to_entry(r) for r in rows], next_cursor=next_cursor)


SUMMARY_GROUPS = ("code", "action", "subject", "model", "day")
MAX_GROUPS = 1000  # the largest answer a summary gives (subjects can be many)


@dataclass(frozen=True)
class SummaryRow:
    key: str | None
    count: int


def summary(engine: Engine, filters: AuditFilter, group_by: str) -> list[SummaryRow]:
    """Counts of the matching entries per ``group_by`` value (one of ``SUMMARY_GROUPS``):
    by day oldest first, otherwise largest first; at most ``MAX_GROUPS`` rows.

    Raises:
        ValueError: ``group_by`` is not one of ``SUMMARY_GROUPS``.
    """
    if group_by not in SUMMARY_GROUPS:
        raise ValueError(f"cannot group by {group_by!r}")
    entry = AuditEntryRow
    key = (
        func.substr(col(entry.time), 1, 10)  # the UTC date of an ISO 8601 time
        if group_by == "day"
        else getattr(entry, group_by)
    ).label("key")
    count = func.count().label("count")
    query = select(key, count).select_from(entry).group_by(key)
    query = query.order_by(key if group_by == "day" else count.desc(), key).limit(MAX_GROUPS)
    query = _filtered(query, filters, engine.dialect.name)
    with Session(engine) as session:
        return [SummaryRow(row[0], row[1]) for row in session.exec(query)]
