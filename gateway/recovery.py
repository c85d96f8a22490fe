"""Start-up recovery: allowed generations whose artifact a crash lost.

Step 8 (the allowed entry) commits before step 9 stores the artifact (``Pipeline.produce``),
so a process killed between them leaves an entry naming an artifact nobody can fetch: the
output was signed and recorded, maybe a consent use spent, and nothing was delivered. At
start-up each such entry gets one ``artifact_lost`` error entry (``allowed_seq``,
``artifact_id``, and what is missing: the row, the file, or both), so the log says so.

Exactly once, cheaply:
- a mark file remembers how far the log was reconciled (a seq and that entry's hash), so a
  start reads only the entries appended since; a mark the log does not hold (a restored or
  replaced database) is ignored and the whole log is read again;
- an artifact already named by an ``artifact_lost`` entry is skipped, checked inside the
  append (while this process holds the log), so two processes starting together record it once.

Another live gateway on the same data directory may be between steps 8 and 9 right now. Every
gateway holds a shared lock on ``data_dir/gateway.lock`` while it runs (a crash releases it);
a start that cannot take it exclusively is not alone, and leaves entries younger than
``STORE_GRACE_S`` to a later start. The lock is per data directory: gateways on several hosts
sharing one PostgreSQL database must share the data directory too (artifact reads need that).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from audit import MAX_PAGE, AuditEntry, AuditFilter, AuditRecord, Decision, search

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from audit import AuditLog
    from gateway.services import Services

try:
    import fcntl
except ImportError:  # not POSIX: never sure to be alone, so young entries wait
    fcntl = None  # type: ignore[assignment]

_log = logging.getLogger(__name__)

LOST_CODE = "artifact_lost"
LOCK_FILE = "gateway.lock"
MARK_FILE = "artifacts-reconciled.json"
# How long another live process may take from its allowed entry to its stored artifact (a
# large file, and the artifact row waiting out SQLite's 30 s busy timeout).
STORE_GRACE_S = 120.0
_ALLOWED = AuditFilter(decision=Decision.ALLOW, code="ok", action="generate")
_LOST = AuditFilter(code=LOST_CODE)
# Links of the allowed entry the lost entry repeats, so a spent consent use stays traceable.
_LINKS = ("job_id", "submitted_seq", "voice_id", "consent_id", "consent_uses", "idempotency_key")


@dataclass(frozen=True)
class Reconciled:
    """One start-up pass: allowed entries checked, artifact ids found lost (recorded now),
    the seq the log is reconciled through, and whether young entries were left for later."""

    checked: int
    lost: tuple[str, ...]
    through_seq: int
    deferred: bool


class _AlreadyRecorded(Exception):
    """Another process recorded the loss first (raised inside the append: nothing written)."""


def reconcile_artifacts(services: Services) -> Reconciled:
    """Record ``artifact_lost`` once for each allowed generation whose artifact row or file
    is missing, reading only the entries appended since the last pass.

    Raises:
        AuditWriteFailed: an entry could not be stored (the start fails closed).
        OSError: the data directory cannot be read or written.
    """
    data_dir = services.settings.data_dir
    alone = _ProcessLock.hold(data_dir, services)
    mark = _Mark(data_dir / MARK_FILE, services.audit)
    after = mark.valid_seq()
    head = services.audit.head()[0]  # entries appended from now on are the next pass's
    cutoff = None if alone else _iso(time.time() - STORE_GRACE_S)
    through, checked = head, 0
    lost: list[tuple[AuditEntry, str]] = []
    for page in _pages(services.db, _ALLOWED, after, head):
        settled = []
        for entry in page:
            if cutoff is not None and entry.time > cutoff:
                through = min(through, entry.seq - 1)  # the other process may be storing it
            elif entry.output_sha256 and isinstance(entry.details.get("artifact_id"), str):
                settled.append(entry)
        checked += len(settled)
        gone = services.artifacts.missing([e.details["artifact_id"] for e in settled])
        lost += [
            (e, gone[e.details["artifact_id"]]) for e in settled if e.details["artifact_id"] in gone
        ]
    ledger = _LostLedger(services.db)
    recorded = [
        entry.details["artifact_id"]
        for entry, missing in sorted(lost, key=lambda pair: pair[0].seq)  # as they happened
        if _record_lost(services.audit, ledger, entry, missing)
    ]
    mark.save(through)
    if recorded:
        _log.warning("%d artifacts were lost by a crash between record and store", len(recorded))
    return Reconciled(checked, tuple(recorded), through, deferred=through < head)


def _pages(db: Engine, filters: AuditFilter, after: int, until: int) -> Iterator[list[AuditEntry]]:
    """Entries matching ``filters`` with seq in (after, until], newest first, a page at a time
    (the search API's own paging: memory stays bounded however long the log is)."""
    cursor = None
    while True:
        page = search(db, filters, MAX_PAGE, cursor)
        entries = [entry for entry in page.items if after < entry.seq <= until]
        if entries:
            yield entries
        if page.next_cursor is None or not page.items or page.items[-1].seq <= after + 1:
            return
        cursor = page.next_cursor


def _record_lost(log: AuditLog, ledger: _LostLedger, entry: AuditEntry, missing: str) -> bool:
    """Append the entry's ``artifact_lost``; False if one exists already.

    Raises:
        AuditWriteFailed: the entry could not be stored.
    """
    artifact_id = entry.details["artifact_id"]
    record = AuditRecord(
        request_id=entry.request_id,
        action="generate",
        decision=Decision.ERROR,
        code=LOST_CODE,
        reason=f"the gateway stopped after recording generation seq {entry.seq} and before "
        f"storing its artifact: the {missing} is missing",
        subject=entry.subject,
        roles=tuple(entry.roles),
        engine=entry.engine,
        model=entry.model,
        purpose=entry.purpose,
        details={
            "method": "STARTUP",
            "path": "recovery",
            **{key: entry.details[key] for key in _LINKS if key in entry.details},
            "artifact_id": artifact_id,
            "allowed_seq": entry.seq,
            "output_sha256": entry.output_sha256,
            "missing": missing,
        },
    )

    def build(_seq: int) -> AuditRecord:
        if ledger.holds(artifact_id):
            raise _AlreadyRecorded(artifact_id)
        return record

    try:
        log.append_built(build)
    except _AlreadyRecorded:
        return False
    _log.warning("artifact %s of audit seq %d was lost (%s)", artifact_id, entry.seq, missing)
    return True


class _LostLedger:
    """Artifact ids already named by ``artifact_lost`` entries, read incrementally."""

    def __init__(self, db: Engine) -> None:
        self._db = db
        self._ids: set[str] = set()
        self._through = 0

    def holds(self, artifact_id: str) -> bool:
        newest = self._through
        for page in _pages(self._db, _LOST, self._through, 2**62):
            self._ids.update(str(entry.details.get("artifact_id")) for entry in page)
            newest = max(newest, page[0].seq)
        self._through = newest
        return artifact_id in self._ids


class _Mark:
    """How far the log was reconciled: a seq and the hash of its entry, in a small file."""

    def __init__(self, path: Path, log: AuditLog) -> None:
        self._path = path
        self._log = log

    def valid_seq(self) -> int:
        """The marked seq if the log holds that entry with that hash, else 0."""
        try:
            seq, expected = self._path.read_text(encoding="ascii").split()
            entry = self._log.get(int(seq))
        except (OSError, ValueError):
            return 0
        if entry is None or entry.hash != expected:
            _log.warning("the reconciliation mark does not match the audit log; reading it all")
            return 0
        return entry.seq

    def save(self, seq: int) -> None:
        """Raises OSError."""
        entry = self._log.get(seq) if seq > 0 else None
        if entry is None:
            return
        partial = self._path.with_name(self._path.name + ".partial")
        partial.write_text(f"{entry.seq} {entry.hash}\n", encoding="ascii")
        os.replace(partial, self._path)


class _ProcessLock:
    """This process's shared hold on ``data_dir/gateway.lock`` while it serves.

    One open file per data directory per process, kept while any Services using it lives:
    ``flock`` conflicts between open files, so a second app in this process converts the same
    hold instead of mistaking itself for another process.
    """

    _held: ClassVar[dict[Path, tuple[int, int]]] = {}  # path -> (fd, users)
    _guard: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def hold(cls, data_dir: Path, owner: object) -> bool:
        """Hold the lock shared for ``owner``'s life; True if no other process holds it.

        Raises:
            OSError: the lock file cannot be opened.
        """
        if fcntl is None:
            return False
        path = (data_dir / LOCK_FILE).resolve()
        with cls._guard:
            fd, users = cls._held.get(path) or (os.open(path, os.O_RDWR | os.O_CREAT, 0o600), 0)
            cls._held[path] = (fd, users + 1)
        weakref.finalize(owner, cls._release, path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            alone = True
        except BlockingIOError:
            alone = False
        fcntl.flock(fd, fcntl.LOCK_SH)  # others may start now: they will see this process
        return alone

    @classmethod
    def _release(cls, path: Path) -> None:
        with cls._guard:
            fd, users = cls._held.pop(path, (-1, 0))
            if users > 1:
                cls._held[path] = (fd, users - 1)
            elif fd >= 0:
                with suppress(OSError):
                    os.close(fd)


def _iso(unix_s: float) -> str:
    """The audit log's time format (``utc_now_iso``: UTC, microseconds, ``Z``): sorts as text."""
    moment = dt.datetime.fromtimestamp(unix_s, dt.UTC)
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")
