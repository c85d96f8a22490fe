"""The append-only, hash-chained audit log.

Appends from threads of one process are group-committed (``audit.group_commit``): the appends
that arrive while a batch is being written share the next transaction and its one commit, each
still getting its own seq in the one chain. Appends from several processes are kept to one
chain by an advisory lock held to commit on PostgreSQL, and on SQLite by the unique constraints
on ``seq`` and ``prev_hash``: a writer that loses the race gets an integrity error, rereads the
head and writes its batch again.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session

from audit.checkpoint import Checkpoint, CheckpointFile, CheckpointKey
from audit.errors import AuditWriteFailed
from audit.group_commit import GroupCommit
from audit.record import GENESIS_HASH, AuditEntry, AuditRecord, entry_hash
from audit.rows import entry_values, prompt_values, role_values, row_to_entry
from audit.tables import AuditCheckpointRow, AuditEntryRow, AuditPromptRow, AuditRoleRow

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.engine import Connection, Engine

_log = logging.getLogger(__name__)

CHECKPOINT_KEY_FILE = "checkpoint-key.pem"
CHECKPOINT_FILE = "checkpoints.jsonl"
MAX_APPEND_ATTEMPTS = 50  # other processes racing for the same seq (SQLite); then give up
_PG_LOCK = 0x636F6E73  # advisory lock key for the audit chain ("cons")
_HEAD = text("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1")


def utc_now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _storable(text: str | None) -> str | None:
    """A text column's value as every database can hold it: PostgreSQL text refuses NUL, and
    a refusal naming a NUL a caller sent (a parameter, a JSON key) must still be recorded.
    (JSON columns escape it.)"""
    return None if text is None else text.replace("\x00", "\ufffd")


def _build_entry(seq: int, prev_hash: str, record: AuditRecord) -> AuditEntry:
    unhashed = AuditEntry(
        seq=seq,
        time=utc_now_iso(),
        request_id=_storable(record.request_id) or "",
        subject=_storable(record.subject),
        roles=list(record.roles),
        action=record.action,
        engine=_storable(record.engine),
        model=_storable(record.model),
        purpose=_storable(record.purpose),
        decision=record.decision,
        code=record.code,
        reason=_storable(record.reason) or "",
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


RecordBuilder = Callable[[int], AuditRecord]
"""Given the seq the entry will have, returns the record (e.g. after signing it into a manifest)."""

PromptFields = dict[str, str | None]

AppendObserver = Callable[[Sequence[AuditEntry]], None]
"""Told of the entries one transaction stored, after its commit."""


@dataclass(frozen=True)
class _Append:
    build: RecordBuilder
    prompt_fields: PromptFields | None


class AuditLog:
    """Appends entries, writes checkpoints, and reads entries back."""

    def __init__(
        self,
        engine: Engine,
        checkpoint_key: CheckpointKey,
        checkpoint_file: CheckpointFile,
        checkpoint_every: int = 100,
        on_append: AppendObserver | None = None,
    ) -> None:
        """``on_append``: told of the entries each transaction stored (the gateway counts
        decisions with it); what it raises is logged, never an append's failure."""
        self._engine = engine
        self.checkpoint_key = checkpoint_key
        self.checkpoint_file = checkpoint_file
        self._checkpoint_every = checkpoint_every
        self._on_append = on_append
        self._write_lock = threading.Lock()  # one batch or checkpoint at a time: the file's order
        self._appends: GroupCommit[_Append, AuditEntry] = GroupCommit(self._write_batch)

    @classmethod
    def in_directory(cls, engine: Engine, directory: Path, checkpoint_every: int = 100) -> AuditLog:
        """The log whose checkpoint key and file live in ``directory`` (the key made if absent).

        Raises:
            OSError: the key cannot be read or created.
            ValueError: the key file holds no Ed25519 private key.
        """
        return cls(
            engine,
            CheckpointKey.load_or_create(directory / CHECKPOINT_KEY_FILE),
            CheckpointFile(directory / CHECKPOINT_FILE),
            checkpoint_every=checkpoint_every,
        )

    def append(self, record: AuditRecord, prompt_fields: PromptFields | None = None) -> AuditEntry:
        """Append one entry. Raises AuditWriteFailed if it cannot be stored."""
        return self.append_built(_given(record), prompt_fields)

    def append_built(
        self, build: RecordBuilder, prompt_fields: PromptFields | None = None
    ) -> AuditEntry:
        """Append the record ``build(seq)`` returns for the seq the entry will get.

        ``build`` runs while this process holds the log, in whichever thread writes the batch
        the append joined, so it should be short (signing a manifest that names the seq is the
        intended use); it may run again if another process took the seq first.

        Raises:
            AuditWriteFailed: the entry could not be stored; the caller must fail closed. Every
                append of the batch fails together.
            Whatever ``build`` raises; nothing is written for this append then (the others of
                its batch are).
        """
        return self._appends.submit(_Append(build, prompt_fields))

    def append_many(
        self, items: Sequence[tuple[AuditRecord, PromptFields | None]]
    ) -> list[AuditEntry]:
        """Append records in order in one transaction, all or none (imports, benchmarks).

        Raises:
            AuditWriteFailed: nothing was stored.
            rfc8785.CanonicalizationError: a record has no canonical form; nothing was stored.
        """
        appends = [_Append(_given(record), fields) for record, fields in items]
        with self._write_lock:
            outcomes = self._insert_with_retry(appends, all_or_nothing=True)
            entries = [o for o in outcomes if isinstance(o, AuditEntry)]  # all, or it raised
            self._checkpoint_due(entries)
        return entries

    def _write_batch(self, batch: Sequence[_Append]) -> list[AuditEntry | BaseException]:
        """One group commit: each append's entry, or the error to raise in its caller."""
        with self._write_lock:
            try:
                outcomes = self._insert_with_retry(batch, all_or_nothing=False)
            except AuditWriteFailed as exc:
                return [_failed(exc.reason, exc.__cause__ or exc) for _ in batch]
            entries = [o for o in outcomes if isinstance(o, AuditEntry)]
            try:
                self._checkpoint_due(entries)
            except (OSError, SQLAlchemyError) as exc:
                _log.exception("audit entries stored but their checkpoint was not")
                reason = "the audit checkpoint could not be written"
                return [_failed(reason, exc) if isinstance(o, AuditEntry) else o for o in outcomes]
            return outcomes

    def _insert_with_retry(
        self, batch: Sequence[_Append], *, all_or_nothing: bool
    ) -> list[AuditEntry | BaseException]:
        """Raises AuditWriteFailed; with ``all_or_nothing``, whatever a build raises too."""
        for attempt in range(MAX_APPEND_ATTEMPTS):
            try:
                outcomes = self._insert(batch, all_or_nothing)
            except IntegrityError:
                # Another process took the seq (SQLite; PostgreSQL writers wait on a lock).
                _log.info("audit seq taken by another writer; retrying")
                time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
            except SQLAlchemyError as exc:
                raise AuditWriteFailed("the audit log could not be written") from exc
            else:
                self._notify([o for o in outcomes if isinstance(o, AuditEntry)])
                return outcomes
        raise AuditWriteFailed("the audit log is contended; entry not written")

    def _notify(self, stored: Sequence[AuditEntry]) -> None:
        if self._on_append is None or not stored:
            return
        try:
            self._on_append(stored)
        except Exception:  # an observer (metrics) must never fail an append already stored
            _log.exception("the audit append observer failed")

    def _insert(
        self, batch: Sequence[_Append], all_or_nothing: bool
    ) -> list[AuditEntry | BaseException]:
        """Read the head and insert the batch after it in one transaction."""
        outcomes: list[AuditEntry | BaseException] = []
        with self._engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Held to commit: writers in other processes wait instead of racing for a seq.
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
            seq, prev_hash = _read_head(conn)
            entries, roles, prompts = [], [], []
            for append in batch:
                try:
                    entry = _build_entry(seq + 1, prev_hash, append.build(seq + 1))
                except Exception as exc:
                    if all_or_nothing:
                        raise
                    outcomes.append(exc)  # that caller's own failure; the seq goes to the next
                    continue
                outcomes.append(entry)
                entries.append(entry_values(entry))
                roles.extend(role_values(entry))
                if append.prompt_fields is not None:
                    prompts.append(prompt_values(entry.seq, append.prompt_fields))
                seq, prev_hash = entry.seq, entry.hash
            if entries:
                conn.execute(insert(AuditEntryRow), entries)
            if roles:
                conn.execute(insert(AuditRoleRow), roles)
            if prompts:
                conn.execute(insert(AuditPromptRow), prompts)
        return outcomes

    def _checkpoint_due(self, entries: Sequence[AuditEntry]) -> None:
        """Sign the entries at multiples of ``checkpoint_every``.

        Raises:
            OSError, SQLAlchemyError: a checkpoint could not be stored.
        """
        every = self._checkpoint_every
        due = [
            self.checkpoint_key.sign(entry.seq, entry.hash, utc_now_iso())
            for entry in entries
            if entry.seq % every == 0
        ]
        if due:
            self._store_checkpoints(due)

    def _store_checkpoints(self, checkpoints: list[Checkpoint]) -> None:
        # The file first: it is the witness that matters when the database is rewritten.
        self.checkpoint_file.append_all(checkpoints)
        with self._engine.begin() as conn:
            conn.execute(
                insert(AuditCheckpointRow),
                [
                    {
                        "seq": c.seq,
                        "head_hash": c.head_hash,
                        "time": c.time,
                        "key_id": c.key_id,
                        "signature": c.signature,
                    }
                    for c in checkpoints
                ],
            )

    def head(self) -> tuple[int, str]:
        """(seq, hash) of the last entry; (0, genesis) for an empty log."""
        with self._engine.connect() as conn:
            return _read_head(conn)

    def checkpoint(self) -> Checkpoint | None:
        """Sign the current head now; None for an empty log. Raises OSError, SQLAlchemyError."""
        with self._write_lock:
            seq, head_hash = self.head()
            if seq == 0:
                return None
            checkpoint = self.checkpoint_key.sign(seq, head_hash, utc_now_iso())
            self._store_checkpoints([checkpoint])
        return checkpoint

    def last_checkpoint_seq(self) -> int:
        checkpoints = self.checkpoint_file.read_all()
        return checkpoints[-1].seq if checkpoints else 0

    def get(self, seq: int) -> AuditEntry | None:
        with Session(self._engine) as session:
            row = session.get(AuditEntryRow, seq)
        return None if row is None else row_to_entry(row)

    def prompt_fields(self, seq: int) -> PromptFields | None:
        with Session(self._engine) as session:
            row = session.get(AuditPromptRow, seq)
        return None if row is None or row.fields is None else json.loads(row.fields)


def _given(record: AuditRecord) -> RecordBuilder:
    """A builder for a record that does not depend on its seq."""
    return lambda _seq: record


def _read_head(conn: Connection) -> tuple[int, str]:
    row = conn.execute(_HEAD).first()
    return (0, GENESIS_HASH) if row is None else (row[0], row[1])


def _failed(reason: str, cause: BaseException) -> AuditWriteFailed:
    """A new error per caller: one exception raised in several threads would share a traceback."""
    error = AuditWriteFailed(reason)
    error.__cause__ = cause
    return error
