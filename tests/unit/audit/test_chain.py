from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from audit import AuditLog, AuditRecord, CheckpointFile, CheckpointKey, verify_log
from audit.record import GENESIS_HASH, entry_hash
from gateway.db import make_engine


def make_log(tmp_path: Path, every: int = 100) -> AuditLog:
    engine = make_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    return AuditLog(
        engine,
        CheckpointKey.load_or_create(tmp_path / "checkpoint-key.pem"),
        CheckpointFile(tmp_path / "checkpoints.jsonl"),
        checkpoint_every=every,
    )


def record(n: int, decision: str = "allow") -> AuditRecord:
    return AuditRecord(
        request_id=f"req-{n}",
        action="generate",
        decision=decision,
        code="ok" if decision == "allow" else "role_forbidden",
        reason=f"entry {n}",
        subject="alice",
        roles=("employee",),
        engine="image",
    )


def test_entries_chain_from_genesis(tmp_path: Path) -> None:
    log = make_log(tmp_path)
    first = log.append(record(1))
    second = log.append(record(2))
    assert (first.seq, first.prev_hash) == (1, GENESIS_HASH)
    assert (second.seq, second.prev_hash) == (2, first.hash)
    assert entry_hash(second.hashed_fields()) == second.hash
    assert log.get(2) == second


def test_checkpoint_every_n_entries_goes_to_file_and_is_signed(tmp_path: Path) -> None:
    log = make_log(tmp_path, every=3)
    entries = [log.append(record(n)) for n in range(1, 8)]
    checkpoints = log.checkpoint_file.read_all()
    assert [c.seq for c in checkpoints] == [3, 6]
    assert checkpoints[1].head_hash == entries[5].hash
    assert verify_log(log._engine, log, log.checkpoint_key.public_key).ok


def test_checkpoint_key_is_private(tmp_path: Path) -> None:
    make_log(tmp_path)
    assert (tmp_path / "checkpoint-key.pem").stat().st_mode & 0o777 == 0o600


def test_concurrent_appends_from_threads_form_one_chain(tmp_path: Path) -> None:
    log = make_log(tmp_path, every=10)
    threads = [threading.Thread(target=lambda n=n: log.append(record(n))) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = verify_log(log._engine, log, log.checkpoint_key.public_key)
    assert report.ok, report.problems
    assert report.entries == 40


def test_two_logs_on_one_database_stay_one_chain(tmp_path: Path) -> None:
    """Two writers with separate locks (as two processes would be) race for each seq."""
    first, second = make_log(tmp_path), make_log(tmp_path)
    threads = [
        threading.Thread(target=lambda n=n: (first if n % 2 else second).append(record(n)))
        for n in range(30)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = verify_log(first._engine, first, first.checkpoint_key.public_key)
    assert report.ok, report.problems
    assert report.entries == 30


def test_builder_runs_with_the_seq_the_entry_gets(tmp_path: Path) -> None:
    log = make_log(tmp_path)
    log.append(record(1))
    entry = log.append_built(lambda seq: record(100 + seq))
    assert (entry.seq, entry.reason) == (2, "entry 102")


def test_builder_failure_writes_nothing(tmp_path: Path) -> None:
    log = make_log(tmp_path)

    def failing(_seq: int) -> AuditRecord:
        raise RuntimeError("signing failed")

    with pytest.raises(RuntimeError, match="signing failed"):
        log.append_built(failing)
    assert log.head()[0] == 0


def test_updates_are_not_offered(tmp_path: Path) -> None:
    log = make_log(tmp_path)
    assert not any(hasattr(log, name) for name in ("update", "delete", "remove"))


def test_prompt_is_kept_beside_the_entry_and_redaction_keeps_the_chain(tmp_path: Path) -> None:
    from audit import prompt_hash

    log = make_log(tmp_path)
    fields = {"prompt": "a cat", "negative_prompt": None}
    rec = AuditRecord(**{**record(1).__dict__, "prompt_hash": prompt_hash(fields)})
    entry = log.append(rec, fields)
    assert log.prompt_fields(entry.seq) == fields
    with log._engine.begin() as conn:
        conn.execute(text("UPDATE audit_prompts SET fields = NULL, redacted_at = 'now'"))
    assert verify_log(log._engine, log, log.checkpoint_key.public_key).ok

    with log._engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_prompts SET fields = :f"), {"f": json.dumps({"prompt": "a dog"})}
        )
    report = verify_log(log._engine, log, log.checkpoint_key.public_key)
    assert report.first_bad_seq == 1
