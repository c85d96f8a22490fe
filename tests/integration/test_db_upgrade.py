"""PostgreSQL in production: ``consentgate db upgrade`` / ``db current``, and a gateway that
refuses to start on a schema that is not its own (skipped where no PostgreSQL answers; see
test_postgres.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from audit import AuditLog, CheckpointFile, CheckpointKey, verify_log
from engines import ModelLoader
from gateway.cli import main
from gateway.cli_db import upgrade
from gateway.db import connect, make_engine
from gateway.schema import SchemaOutOfDate, head_revision, migrate, schema_state
from gateway.services import build_services
from gateway.settings import Settings, get_settings
from tests.integration.test_postgres import (  # noqa: F401  (fixtures)
    empty_postgres_url,
    postgres_url,
)
from tests.unit.audit.test_chain import record

FIRST_REVISION = "0001"


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """The CLI reads its settings from the environment, as an operator's shell gives them."""
    monkeypatch.setenv("CONSENTGATE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _at_first_revision(url: str) -> None:
    db = connect(url)
    migrate(db, FIRST_REVISION)
    db.dispose()


def test_upgrade_builds_an_empty_database(
    empty_postgres_url: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    configured: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CONSENTGATE_DATABASE_URL", empty_postgres_url)
    code, out, _ = _cli(capsys, "db", "current")
    assert code == 1 and "empty: behind head" in out and "consentgate db upgrade" in out
    code, out, _ = _cli(capsys, "db", "upgrade")
    assert code == 0 and out.strip() == f"upgraded from an empty database to {head_revision()}"
    code, out, _ = _cli(capsys, "db", "current")
    assert (code, out.strip()) == (0, f"{head_revision()} (head)")
    code, out, _ = _cli(capsys, "db", "upgrade")
    assert (code, out.strip()) == (0, f"already at head: {head_revision()}")
    db = make_engine(empty_postgres_url)  # a gateway starts on it now
    assert {"audit_entries", "voices", "jobs"} <= set(sa.inspect(db).get_table_names())
    db.dispose()


def test_upgrade_from_the_first_revision_keeps_what_was_written(
    empty_postgres_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    _at_first_revision(empty_postgres_url)
    db = connect(empty_postgres_url)
    with db.begin() as conn:  # an entry written by the first release
        conn.execute(
            sa.text(
                "INSERT INTO audit_entries (seq, time, request_id, subject, roles, action, "
                "decision, code, reason, details, prev_hash, hash) VALUES (1, '2026-01-01', "
                "'r1', 'ann', '[]', 'generate', 'allow', 'ok', 'x', '{}', 'p', 'h')"
            )
        )
    before, after = upgrade(empty_postgres_url)
    assert (before.current, after.current) == (FIRST_REVISION, head_revision())
    with db.connect() as conn:
        assert conn.execute(sa.text("SELECT subject FROM audit_entries")).scalar_one() == "ann"
    db.dispose()


def test_a_gateway_refuses_to_start_on_a_schema_behind_it(
    empty_postgres_url: str,  # noqa: F811
    settings: Settings,
    model_loader: ModelLoader,
) -> None:
    _at_first_revision(empty_postgres_url)
    with pytest.raises(SchemaOutOfDate, match=r"at revision 0001, this gateway needs \w+: run"):
        make_engine(empty_postgres_url)
    settings.database_url = empty_postgres_url
    with pytest.raises(SchemaOutOfDate, match="consentgate db upgrade"):
        build_services(settings, loader=model_loader)
    db = connect(empty_postgres_url)
    assert schema_state(db).current == FIRST_REVISION  # it checked, it did not migrate
    db.dispose()


def test_an_empty_database_is_refused_too(empty_postgres_url: str) -> None:  # noqa: F811
    with pytest.raises(SchemaOutOfDate, match=r"at revision none \(empty\)"):
        make_engine(empty_postgres_url)


def test_consentgate_serve_exits_with_the_reason(
    empty_postgres_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    """The served gateway, as a process: it says why and exits, it never answers a 500."""
    _at_first_revision(empty_postgres_url)
    env = {
        **os.environ,
        "CONSENTGATE_DATABASE_URL": empty_postgres_url,
        "CONSENTGATE_DATA_DIR": str(tmp_path / "data"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "gateway.cli", "serve", "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2, done.stderr
    assert "not starting" in done.stderr and "consentgate db upgrade" in done.stderr
    assert f"needs {head_revision()}" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_schema_from_a_newer_gateway_is_refused(
    postgres_url: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    configured: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = connect(postgres_url)
    with db.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0999_future'"))
    with pytest.raises(SchemaOutOfDate, match="migrated by a newer gateway"):
        make_engine(postgres_url)
    monkeypatch.setenv("CONSENTGATE_DATABASE_URL", postgres_url)
    code, out, _ = _cli(capsys, "db", "current")
    assert code == 1 and "unknown to this gateway" in out
    code, _, err = _cli(capsys, "db", "upgrade")
    assert code == 2 and "0999_future" in err and "Traceback" not in err
    db.dispose()


def test_upgrades_started_together_take_turns(empty_postgres_url: str) -> None:  # noqa: F811
    """Two deploy hooks upgrading at once: one migrates, the other waits and finds it done."""
    results: list[str | None] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(upgrade(empty_postgres_url)[1].current)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and results == [head_revision()] * 2


def test_an_upgraded_database_keeps_one_chain_for_two_gateways(
    empty_postgres_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Upgraded from the first revision, then written by two logs at once (two processes)."""
    _at_first_revision(empty_postgres_url)
    upgrade(empty_postgres_url)
    dbs = [make_engine(empty_postgres_url) for _ in range(2)]
    key = CheckpointKey.load_or_create(tmp_path / "key.pem")
    logs = [AuditLog(db, key, CheckpointFile(tmp_path / "cp.jsonl")) for db in dbs]
    threads = [
        threading.Thread(target=lambda n=n: logs[n % 2].append(record(n))) for n in range(30)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = verify_log(dbs[0], logs[0], key.public_key)
    assert report.ok and report.entries == 30, report.problems
    for db in dbs:
        db.dispose()
