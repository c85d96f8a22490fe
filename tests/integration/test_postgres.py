"""The same gateway on PostgreSQL: migrations, one audit chain across writers, a request.

Skipped where no PostgreSQL answers (a laptop); `.ci/run` sets CONSENTGATE_REQUIRE_SERVICES=1
so CI fails instead of skipping.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from audit import AuditLog, CheckpointFile, CheckpointKey, verify_log
from engines import ModelLoader
from gateway.app import create_app
from gateway.cli_db import upgrade
from gateway.db import make_engine
from gateway.services import build_services
from gateway.settings import Settings
from tests.factories import IdentityProvider, bearer
from tests.unit.audit.test_chain import record

ADMIN_URL = os.environ.get(
    "CONSENTGATE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@contextmanager
def _fresh_database() -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards; skipped where no
    PostgreSQL answers, failed instead under CONSENTGATE_REQUIRE_SERVICES=1."""
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        if os.environ.get("CONSENTGATE_REQUIRE_SERVICES") == "1":
            pytest.fail(f"PostgreSQL is required here but did not answer at {ADMIN_URL}: {exc}")
        pytest.skip(f"no PostgreSQL at {ADMIN_URL} (set CONSENTGATE_TEST_POSTGRES_URL)")
    name = f"consentgate_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def empty_postgres_url() -> Iterator[str]:
    """A database with no schema, as an operator creates one."""
    with _fresh_database() as url:
        yield url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A database upgraded to head by ``consentgate db upgrade``'s own function, as an operator
    does before starting gateways on it (they no longer migrate PostgreSQL themselves)."""
    with _fresh_database() as url:
        upgrade(url)
        yield url


def test_migrations_build_the_schema(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    tables = set(sa.inspect(engine).get_table_names())
    assert {"audit_entries", "voices", "consents", "jobs", "inputs", "artifacts"} <= tables
    engine.dispose()


def test_two_writers_keep_one_chain(postgres_url: str, tmp_path: Path) -> None:
    """Two logs with separate locks, as two gateway processes would be, on one database."""
    engine = make_engine(postgres_url)
    key = CheckpointKey.load_or_create(tmp_path / "key.pem")
    logs = [AuditLog(engine, key, CheckpointFile(tmp_path / "cp.jsonl")) for _ in range(2)]
    threads = [
        threading.Thread(target=lambda n=n: logs[n % 2].append(record(n))) for n in range(40)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = verify_log(engine, logs[0], key.public_key)
    assert report.ok, report.problems
    assert report.entries == 40
    engine.dispose()


def test_image_request_on_postgres(
    postgres_url: str,
    tmp_path: Path,
    settings: Settings,
    model_loader: ModelLoader,
    idp: IdentityProvider,
) -> None:
    settings.database_url = postgres_url
    services = build_services(settings, loader=model_loader)
    with TestClient(create_app(services=services)) as client:
        response = client.post(
            "/v1/images",
            json={"prompt": "a lighthouse", "purpose": "internal", "seed": 1},
            headers=bearer(idp.token("alice")),
        )
        assert response.status_code == 201, response.text
        officer = bearer(idp.token("carol", roles=["compliance_officer"]))
        assert client.get("/v1/audit/verify", headers=officer).json()["ok"] is True
    services.db.dispose()
