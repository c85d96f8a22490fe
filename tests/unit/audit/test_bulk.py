"""The bulk writer builds a log that verifies exactly as one written entry by entry would."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from audit import AuditLog, VerifyReport, prompt_hash, verify_log
from audit.bulk import synthetic_records, write_log
from tests.unit.audit.test_chain import make_log, record


def _verify(log: AuditLog, processes: int = 1) -> VerifyReport:
    return verify_log(log._engine, log, log.checkpoint_key.public_key, processes=processes)


def test_synthetic_records_look_like_the_gateways() -> None:
    items = list(synthetic_records(400, seed=3))
    decisions = {record.decision for record, _ in items}
    assert decisions == {"allow", "deny", "error"}
    with_prompts = [(r, fields) for r, fields in items if fields is not None]
    assert 0 < len(with_prompts) < len(items)
    assert all(r.prompt_hash == prompt_hash(fields) for r, fields in with_prompts)
    assert all(r.details for r, _ in items)
    assert items == list(synthetic_records(400, seed=3))


def test_bulk_log_verifies_with_checkpoints_and_prompts(tmp_path: Path) -> None:
    log = make_log(tmp_path, every=50)
    assert write_log(log, synthetic_records(2_000), per_transaction=300) == 2_000

    report = _verify(log)
    assert report.ok, report.problems
    assert (report.entries, report.checkpoints) == (2_000, 40)
    assert [c.seq for c in log.checkpoint_file.read_all()] == list(range(50, 2_001, 50))
    assert _verify(log, processes=2) == report


def test_bulk_writes_continue_the_live_chain(tmp_path: Path) -> None:
    log = make_log(tmp_path, every=100)
    log.append(record(1))
    write_log(log, synthetic_records(250), per_transaction=100)
    last = log.append(record(2))
    assert last.seq == 252
    report = _verify(log)
    assert report.ok, report.problems
    assert report.head_hash == last.hash


def test_a_changed_prompt_in_a_long_log_is_named_by_every_verifier(tmp_path: Path) -> None:
    log = make_log(tmp_path, every=100)
    write_log(log, synthetic_records(1_500))
    with log._engine.begin() as conn:
        seqs = conn.execute(text("SELECT seq FROM audit_prompts ORDER BY seq")).scalars().all()
        conn.execute(
            text("UPDATE audit_prompts SET fields = :f WHERE seq IN (:a, :b)"),
            {"f": '{"prompt": "something else"}', "a": seqs[10], "b": seqs[-3]},
        )
        conn.execute(text("UPDATE audit_entries SET reason = 'x' WHERE seq = 1234"))

    report = _verify(log)
    assert [p.seq for p in report.problems] == [1234, seqs[10], seqs[-3]]
    assert report.first_bad_seq == seqs[10]
    assert _verify(log, processes=2) == report


def test_a_log_without_checkpoints_verifies_in_workers(tmp_path: Path) -> None:
    log = make_log(tmp_path, every=10_000)
    write_log(log, synthetic_records(30))
    report = _verify(log, processes=2)
    assert report.ok, report.problems
    assert (report.entries, report.checkpoints) == (30, 0)
