"""``/readyz``: 200 when the gateway can serve, 503 naming the check that cannot, in time."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi.testclient import TestClient

from engines import ModelLoader
from gateway.app import create_app
from gateway.db import connect
from gateway.readiness import CHECK_DEADLINE_S
from gateway.services import Services, build_services
from gateway.settings import Settings
from tests.integration.test_postgres import postgres_url  # noqa: F401  (a fixture)
from watermark import ManifestSigner, PemKey, SigningCredentials

CHECKS = {"database", "signer", "audit_checkpoint", "engines"}


def failed(client: TestClient) -> dict[str, str]:
    response = client.get("/readyz")
    body = response.json()
    assert set(body["checks"]) == CHECKS
    bad = {
        name: check.get("detail", "") for name, check in body["checks"].items() if not check["ok"]
    }
    assert response.status_code == (200 if not bad else 503)
    if bad:  # an error like every other: problem+json with a code
        assert response.headers["content-type"].startswith("application/problem+json")
        assert body["code"] == "not_ready" and all(name in body["detail"] for name in bad)
    else:
        assert body["status"] == "ready"
    return bad


def test_ready_when_everything_answers(client: TestClient) -> None:
    assert failed(client) == {}
    assert client.get("/healthz").status_code == 200  # liveness stays as it was


def test_a_database_gone_is_named(client: TestClient, services: Services, tmp_path: Path) -> None:
    working = services.db
    try:
        services.db = connect(f"sqlite:///{tmp_path / 'no-such-dir' / 'gone.db'}")
        assert failed(client) == {"database": "failed (OperationalError)"}
        services.db = connect(f"sqlite:///{tmp_path / 'empty.db'}")  # a file without a schema
        (detail,) = failed(client).values()
        assert detail.startswith("schema at none, this gateway needs ")
    finally:
        services.db.dispose()
        services.db = working
    assert failed(client) == {}


def test_a_write_lock_held_on_sqlite_is_not_ready_in_time(
    client: TestClient, services: Services
) -> None:
    """Readers are not blocked by a writer in WAL mode, but every audit append would be: a
    database that takes no writes is not ready (found by the attack: it said ready while a
    generation waited 63 s and failed). The probe still answers within its deadline."""
    with services.db.connect() as conn:
        conn.exec_driver_sql("BEGIN EXCLUSIVE")
        started = time.monotonic()
        bad = failed(client)
        assert set(bad) == {"database"}
        assert time.monotonic() - started < CHECK_DEADLINE_S + 1
        conn.exec_driver_sql("ROLLBACK")
    deadline = time.monotonic() + 60
    while failed(client):  # the check that waited on the lock finishes, and it is ready again
        assert time.monotonic() < deadline
        time.sleep(0.2)


def test_a_broken_signer_is_named(client: TestClient, services: Services) -> None:
    working = services.signer
    stranger = PemKey(ec.generate_private_key(ec.SECP256R1()))  # not the certificate's key
    services.signer = ManifestSigner(
        SigningCredentials(working.chain_pem, stranger, working.trust_anchors_pem)
    )
    try:
        bad = failed(client)
        assert set(bad) == {"signer"} and bad["signer"].startswith("failed (")
    finally:
        services.signer = working
    assert failed(client) == {}


def test_an_unwritable_checkpoint_file_is_named(client: TestClient, services: Services) -> None:
    working = services.audit.checkpoint_file.path
    services.audit.checkpoint_file.path = Path("/proc/consentgate/checkpoints.jsonl")
    try:
        assert failed(client) == {"audit_checkpoint": "the checkpoint file cannot be written"}
    finally:
        services.audit.checkpoint_file.path = working
    assert failed(client) == {}


@pytest.fixture
def pg_gateway(
    settings: Settings,
    model_loader: ModelLoader,
    postgres_url: str,  # noqa: F811
) -> Iterator[tuple[TestClient, Services, str]]:
    settings.database_url = postgres_url
    services = build_services(settings, loader=model_loader)
    with TestClient(create_app(services=services)) as client:
        yield client, services, postgres_url
    services.db.dispose()


def test_a_locked_postgres_answers_503_within_the_deadline(
    pg_gateway: tuple[TestClient, Services, str],
) -> None:
    client, _services, url = pg_gateway
    assert failed(client) == {}
    holder = sa.create_engine(url)
    with holder.connect() as conn:
        conn.execute(sa.text("LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE"))
        started = time.monotonic()
        assert failed(client) == {"database": f"no answer within {CHECK_DEADLINE_S:g} s"}
        assert time.monotonic() - started < CHECK_DEADLINE_S + 1.5
        # A second probe while the first check still waits: no second thread, same answer.
        assert failed(client) == {"database": f"no answer within {CHECK_DEADLINE_S:g} s"}
        conn.rollback()
    holder.dispose()
    deadline = time.monotonic() + 10
    while failed(client) and time.monotonic() < deadline:
        time.sleep(0.1)  # the waiting check returns once the lock is gone
    assert failed(client) == {}
