"""The append-only, hash-chained audit log.

Appends from threads of one process are serialised by a lock; appends from several processes
are kept to one chain by the unique constraints on ``seq`` and ``prev_hash``: a writer that
loses the race gets an integrity error, rereads the head and tries again.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from audit.checkpoint import Checkpoint, CheckpointFile, CheckpointKey
from audit.errors import AuditWriteFailed
from audit.record import GENESIS_HASH, AuditEntry, AuditRecord, entry_hash, to_json
from audit.tables import AuditCheckpointRow, AuditEntryRow, AuditPromptRow

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

_log = logging.getLogger(__name__)

MAX_APPEND_ATTEMPTS = 50  # other processes racing for the same seq (SQLite); then give up
_PG_LOCK = 0x636F6E73  # advisory lock key for the audit chain ("cons")
_READ_BATCH = 500


def utc_now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def row_to_entry(row: AuditEntryRow) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        time=row.time,
        request_id=row.request_id,
        subject=row.subject,
        roles=json.loads(row.roles),
        action=row.action,
        engine=row.engine,
        model=row.model,
        purpose=row.purpose,
        decision=row.decision,
        code=row.code,
        reason=row.reason,
        prompt_hash=row.prompt_hash,
        output_sha256=row.output_sha256,
        manifest_label=row.manifest_label,
        policy_rule=None if row.policy_rule is None else json.loads(row.policy_rule),
        details=json.loads(row.details),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def _build_entry(seq: int, prev_hash: str, record: AuditRecord) -> AuditEntry:
    unhashed = AuditEntry(
        seq=seq,
        time=utc_now_iso(),
        request_id=record.request_id,
        subject=record.subject,
        roles=list(record.roles),
        action=record.action,
        engine=record.engine,
        model=record.model,
        purpose=record.purpose,
        decision=record.decision,
        code=record.code,
        reason=record.reason,
        prompt_hash=record.prompt_hash,
        output_sha256=record.output_sha256,
        manifest_label=record.manifest_label,
        policy_rule=None if record.policy_rule is None else list(record.policy_rule),
        details=dict(record.details),
        prev_hash=prev_hash,
        hash="",
    )
    fields = unhashed.hashed_fields()
    return AuditEntry(**fields, hash=entry_hash(fields))


def _entry_to_row(entry: AuditEntry) -> AuditEntryRow:
    return AuditEntryRow(
        seq=entry.seq,
        time=entry.time,
        request_id=entry.request_id,
        subject=entry.subject,
        roles=to_json(entry.roles),
        action=entry.action,
        engine=entry.engine,
        model=entry.model,
        purpose=entry.purpose,
        decision=entry.decision,
        code=entry.code,
        reason=entry.reason,
        prompt_hash=entry.prompt_hash,
        output_sha256=entry.output_sha256,
        manifest_label=entry.manifest_label,
        policy_rule=None if entry.policy_rule is None else to_json(entry.policy_rule),
        details=to_json(entry.details),
        prev_hash=entry.prev_hash,
        hash=entry.hash,
    )


RecordBuilder = Callable[[int], AuditRecord]
"""Given the seq the entry will have, returns the record (e.g. after signing it into a manifest)."""


class AuditLog:
    """Appends entries, writes checkpoints, and reads entries back."""

    def __init__(
        self,
        engine: Engine,
        checkpoint_key: CheckpointKey,
        checkpoint_file: CheckpointFile,
        checkpoint_every: int = 100,
    ) -> None:
        self._engine = engine
        self.checkpoint_key = checkpoint_key
        self.checkpoint_file = checkpoint_file
        self._checkpoint_every = checkpoint_every
        self._lock = threading.Lock()

    def append(
        self, record: AuditRecord, prompt_fields: dict[str, str | None] | None = None
    ) -> AuditEntry:
        """Append one entry. Raises AuditWriteFailed if it cannot be stored."""
        return self.append_built(lambda _seq: record, prompt_fields)

    def append_built(
        self, build: RecordBuilder, prompt_fields: dict[str, str | None] | None = None
    ) -> AuditEntry:
        """Append the record ``build(seq)`` returns for the seq the entry will get.

        ``build`` runs while this process holds the log, so it should be short (signing a
        manifest that names the seq is the intended use); it may run again if another process
        took the seq first.

        Raises:
            AuditWriteFailed: the entry could not be stored; the caller must fail closed.
            Whatever ``build`` raises; nothing is written then.
        """
        with self._lock:
            for attempt in range(MAX_APPEND_ATTEMPTS):
                try:
                    entry = self._append_once(build, prompt_fields)
                except IntegrityError:
                    # Another process took the seq (SQLite; PostgreSQL writers wait on a lock).
                    _log.info("audit seq taken by another writer; retrying")
                    time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
                    continue
                except OperationalError as exc:
                    raise AuditWriteFailed("the audit log could not be written") from exc
                if entry.seq % self._checkpoint_every == 0:
                    self._checkpoint_locked()
                return entry
        raise AuditWriteFailed("the audit log is contended; entry not written")

    def _append_once(
        self, build: RecordBuilder, prompt_fields: dict[str, str | None] | None
    ) -> AuditEntry:
        """Read the head and insert the next entry in one transaction."""
        with Session(self._engine) as session:
            if session.get_bind().dialect.name == "postgresql":
                # Held to commit: writers in other processes wait instead of racing for a seq.
                session.exec(text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=_PG_LOCK))  # type: ignore[call-overload]
            row = session.exec(
                select(AuditEntryRow).order_by(col(AuditEntryRow.seq).desc()).limit(1)
            ).first()
            head_seq, head_hash = (0, GENESIS_HASH) if row is None else (row.seq, row.hash)
            entry = _build_entry(head_seq + 1, head_hash, build(head_seq + 1))
            session.add(_entry_to_row(entry))
            if prompt_fields is not None:
                session.flush()
                session.add(AuditPromptRow(seq=entry.seq, fields=to_json(prompt_fields)))
            session.commit()
        return entry

    def head(self) -> tuple[int, str]:
        """(seq, hash) of the last entry; (0, genesis) for an empty log."""
        with Session(self._engine) as session:
            row = session.exec(
                select(AuditEntryRow).order_by(col(AuditEntryRow.seq).desc()).limit(1)
            ).first()
        return (0, GENESIS_HASH) if row is None else (row.seq, row.hash)

    def checkpoint(self) -> Checkpoint | None:
        """Sign the current head now; None for an empty log."""
        with self._lock:
            return self._checkpoint_locked()

    def _checkpoint_locked(self) -> Checkpoint | None:
        seq, head_hash = self.head()
        if seq == 0:
            return None
        checkpoint = self.checkpoint_key.sign(seq, head_hash, utc_now_iso())
        # The file first: it is the witness that matters when the database is rewritten.
        self.checkpoint_file.append(checkpoint)
        with Session(self._engine) as session:
            session.add(
                AuditCheckpointRow(
                    seq=checkpoint.seq,
                    head_hash=checkpoint.head_hash,
                    time=checkpoint.time,
                    key_id=checkpoint.key_id,
                    signature=checkpoint.signature,
                )
            )
            session.commit()
        return checkpoint

    def last_checkpoint_seq(self) -> int:
        checkpoints = self.checkpoint_file.read_all()
        return checkpoints[-1].seq if checkpoints else 0

    def get(self, seq: int) -> AuditEntry | None:
        with Session(self._engine) as session:
            row = session.get(AuditEntryRow, seq)
        return None if row is None else row_to_entry(row)

    def prompt_fields(self, seq: int) -> dict[str, str | None] | None:
        with Session(self._engine) as session:
            row = session.get(AuditPromptRow, seq)
        return None if row is None or row.fields is None else json.loads(row.fields)

    def iter_rows(self) -> Iterator[AuditEntryRow]:
        """Every row in seq order, read in batches so a long log is not held in memory."""
        after = None
        while True:
            with Session(self._engine) as session:
                query = select(AuditEntryRow).order_by(col(AuditEntryRow.seq)).limit(_READ_BATCH)
                if after is not None:
                    query = query.where(col(AuditEntryRow.seq) > after)
                rows = list(session.exec(query))
            if not rows:
                return
            yield from rows
            after = rows[-1].seq
