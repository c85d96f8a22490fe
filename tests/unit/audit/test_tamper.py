"""Rewriting the database is detected by `consentgate audit verify`, which names the seq."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection

from audit import verify_log
from gateway import cli
from gateway.services import build_services
from gateway.settings import Settings, get_settings
from tests.unit.audit.test_chain import record


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "data"
    monkeypatch.setenv("CONSENTGATE_DATA_DIR", str(directory))
    monkeypatch.setenv("CONSENTGATE_AUDIT_CHECKPOINT_EVERY", "4")
    get_settings.cache_clear()
    yield directory
    get_settings.cache_clear()


def _fill(data_dir: Path, count: int = 10) -> None:
    services = build_services(Settings(data_dir=data_dir, audit_checkpoint_every=4))
    for n in range(1, count + 1):
        services.audit.append(record(n, "allow" if n % 3 else "deny"))
    services.audit.checkpoint()  # as the gateway does at shutdown


def _tamper(data_dir: Path, change: Callable[[Connection], None]) -> None:
    services = build_services(Settings(data_dir=data_dir))
    with services.db.begin() as conn:
        change(conn)


def _verify(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(["audit", "verify"])
    return code, capsys.readouterr().out


def _modify(conn: Connection) -> None:
    conn.execute(text("UPDATE audit_entries SET decision = 'allow' WHERE seq = 6"))


def _delete(conn: Connection) -> None:
    conn.execute(text("DELETE FROM audit_entries WHERE seq = 5"))


def _reorder(conn: Connection) -> None:
    # Swap the contents of rows 3 and 4, keeping their seq numbers.
    conn.execute(text("UPDATE audit_entries SET seq = -3 WHERE seq = 3"))
    conn.execute(text("UPDATE audit_entries SET seq = 3 WHERE seq = 4"))
    conn.execute(text("UPDATE audit_entries SET seq = 4 WHERE seq = -3"))


def _insert(conn: Connection) -> None:
    # A forged entry appended after 7, with everything after it moved up by one.
    conn.execute(text("UPDATE audit_entries SET seq = seq + 100 WHERE seq > 7"))
    conn.execute(text("UPDATE audit_entries SET seq = seq - 99 WHERE seq > 100"))
    conn.execute(
        text(
            "INSERT INTO audit_entries (seq, time, request_id, subject, roles, action, decision, "
            "code, reason, details, prev_hash, hash) VALUES (8, '2026-01-01T00:00:00Z', 'forged', "
            "'mallory', '[]', 'generate', 'allow', 'ok', 'forged', '{}', 'x', 'y')"
        )
    )


def _delete_two(conn: Connection) -> None:
    conn.execute(text("DELETE FROM audit_entries WHERE seq IN (5, 6)"))


def _rehash(seq: int) -> Callable[[Connection], None]:
    """Edit one entry and give it a hash that matches: the next entry no longer follows it."""

    def change(conn: Connection) -> None:
        from audit.record import entry_hash
        from audit.rows import ENTRY_COLUMNS, stored_fields

        columns = ", ".join(ENTRY_COLUMNS)
        row = conn.execute(text(f"SELECT {columns} FROM audit_entries WHERE seq = {seq}")).one()
        fields = {**stored_fields(row), "subject": "someone-else"}
        conn.execute(
            text("UPDATE audit_entries SET subject = 'someone-else', hash = :h WHERE seq = :q"),
            {"h": entry_hash(fields), "q": seq},
        )

    return change


def _truncate(conn: Connection) -> None:
    conn.execute(text("DELETE FROM audit_entries WHERE seq > 8"))


def _rewrite_everything(conn: Connection) -> None:
    """Recompute every hash after editing entry 2: only the checkpoints can tell."""
    import json

    from audit.record import GENESIS_HASH, entry_hash
    from audit.rows import ENTRY_COLUMNS

    columns = ", ".join(ENTRY_COLUMNS)  # the hashed columns: search copies sit beside them
    rows = conn.execute(text(f"SELECT {columns} FROM audit_entries ORDER BY seq")).mappings().all()
    prev = GENESIS_HASH
    for row in rows:
        fields = dict(row)
        fields["roles"] = json.loads(fields["roles"])
        fields["details"] = json.loads(fields["details"])
        fields["policy_rule"] = (
            None if fields["policy_rule"] is None else json.loads(fields["policy_rule"])
        )
        if fields["seq"] == 2:
            fields["subject"] = "someone-else"
        fields["prev_hash"] = prev
        del fields["hash"]
        new_hash = entry_hash(fields)
        conn.execute(
            text("UPDATE audit_entries SET subject = :s, prev_hash = :p, hash = :h WHERE seq = :q"),
            {"s": fields["subject"], "p": prev, "h": new_hash, "q": fields["seq"]},
        )
        prev = new_hash


@pytest.mark.parametrize(
    ("change", "bad_seq"),
    [
        (_modify, 6),
        (_delete, 5),
        (_reorder, 3),
        (_insert, 8),
        (_delete_two, 5),
        (_rehash(5), 6),
        (_rehash(6), 7),
        (_truncate, 9),
        (_rewrite_everything, 4),
    ],
    ids=[
        "modified",
        "deleted",
        "reordered",
        "inserted",
        "deleted-two",
        "relinked-5",
        "relinked-6",
        "truncated",
        "rewritten",
    ],
)
def test_tampering_is_detected_and_named(
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    change: Callable[[Connection], None],
    bad_seq: int,
) -> None:
    _fill(data_dir)
    assert _verify(capsys)[0] == 0

    _tamper(data_dir, change)
    code, out = _verify(capsys)

    assert code == 1
    assert out.startswith(f"FAILED at seq {bad_seq}:"), out


def test_intact_log_verifies(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fill(data_dir)
    code, out = _verify(capsys)
    assert code == 0
    assert out.startswith("OK: 10 entries")


def test_forged_checkpoint_line_is_detected(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    _fill(data_dir)
    path = data_dir / "audit" / "checkpoints.jsonl"
    lines = path.read_text().splitlines()
    forged = json.loads(lines[0])
    forged["head_hash"] = "0" * 64
    path.write_text("\n".join([json.dumps(forged), *lines[1:]]) + "\n")
    code, out = _verify(capsys)
    assert code == 1
    assert out.startswith("FAILED at seq 4:")


@pytest.mark.parametrize(
    "change",
    [
        _modify,
        _delete,
        _reorder,
        _insert,
        _delete_two,
        _rehash(5),
        _rehash(6),
        _truncate,
        _rewrite_everything,
    ],
    ids=[
        "modified",
        "deleted",
        "reordered",
        "inserted",
        "deleted-two",
        "relinked-5",
        "relinked-6",
        "truncated",
        "rewritten",
    ],
)
def test_worker_processes_report_what_one_walk_reports(
    data_dir: Path, change: Callable[[Connection], None]
) -> None:
    """Ten entries cut into ranges of two: a problem at a range's first entry, inside a range,
    and a gap as wide as a whole range all join as one walk sees them."""
    _fill(data_dir)
    _tamper(data_dir, change)
    services = build_services(Settings(data_dir=data_dir))
    key = services.audit.checkpoint_key.public_key

    one = verify_log(services.db, services.audit, key, processes=1)
    two = verify_log(services.db, services.audit, key, processes=2)

    assert not one.ok
    assert two == one


def test_verify_loads_no_engines_and_does_not_migrate(tmp_path: Path) -> None:
    """`consentgate audit verify` starts fast: no model code, no migrations, no new tables."""
    script = (
        "import sys; from gateway import cli; code = cli.main(['audit', 'verify']); "
        "print(code, [m for m in ('torch', 'engines', 'alembic', 'consent') if m in sys.modules])"
    )
    data_dir = tmp_path / "data"
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "CONSENTGATE_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        check=True,
    )
    empty = f"OK: 0 entries, 0 checkpoints, head 0 {'0' * 64}"
    assert result.stdout.splitlines() == [empty, "0 []"]
    engine = create_engine(f"sqlite:///{data_dir / 'consentgate.db'}")
    assert inspect(engine).get_table_names() == []
