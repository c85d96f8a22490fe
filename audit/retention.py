"""Prompt retention: kept prompts are redacted once older than the configured number of days.

The entries and their chain are untouched (the hash covers ``prompt_hash``, not the text), so
the log still verifies; what goes is the text beside each entry and its place in the text
search (the triggers and indexes follow ``search_text``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import text

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

REDACT_BATCH = 5_000  # rows per transaction: writers of new entries wait at most one batch

_LAST_OLD_SEQ = text("SELECT max(seq) FROM audit_entries WHERE time < :cutoff")
_REDACT = text(
    "UPDATE audit_prompts SET fields = NULL, search_text = NULL, redacted_at = :now "
    "WHERE seq IN (SELECT p.seq FROM audit_prompts AS p JOIN audit_entries AS e "
    "ON e.seq = p.seq WHERE p.seq > :after AND p.seq <= :upto AND p.fields IS NOT NULL "
    "AND e.time < :cutoff)"
)
_FIRST_KEPT_SEQ = text("SELECT min(seq) FROM audit_prompts WHERE fields IS NOT NULL")


def redact_prompts_before(engine: Engine, cutoff: str, now: str) -> int:
    """Redact the kept prompts of entries written before ``cutoff`` (ISO 8601 UTC); return
    how many. Safe to run again and from several processes (redacted rows are skipped).

    Raises:
        sqlalchemy.exc.SQLAlchemyError: the database failed; the batches before it stay done.
    """
    with engine.connect() as conn:
        last_old = conn.execute(_LAST_OLD_SEQ, {"cutoff": cutoff}).scalar()
        first_kept = conn.execute(_FIRST_KEPT_SEQ).scalar()
    if last_old is None or first_kept is None:
        return 0
    redacted = 0
    after = first_kept - 1
    while after < last_old:
        upto = min(after + REDACT_BATCH, last_old)
        with engine.begin() as conn:
            params = {"after": after, "upto": upto, "cutoff": cutoff, "now": now}
            redacted += conn.execute(_REDACT, params).rowcount
        after = upto
    return redacted
