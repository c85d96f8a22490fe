"""A crash between step 8 (the allowed entry) and step 9 (the stored artifact) is recorded at
the next start, once: an ``artifact_lost`` error entry per lost artifact, and the log verifies.

In-process: generations through the app, then their artifact row, file or both removed as a
crash would have left them, then a restart. Served: a gateway process really killed (SIGKILL)
inside the store step, then served again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from audit import AuditEntry, AuditFilter, export, verify_log
from engines import ModelLoader
from gateway.app import create_app
from gateway.artifacts import ArtifactRow
from gateway.recovery import LOCK_FILE, MARK_FILE, reconcile_artifacts
from gateway.services import Services, build_services
from gateway.settings import Settings
from tests.e2e.conftest import STARTUP_TIMEOUT_S, _free_port, cli, serve
from tests.factories import IdentityProvider, bearer

IMAGE = {"prompt": "a lighthouse", "purpose": "internal", "steps": 2}
LOST = "artifact_lost"


@contextmanager
def _running(settings: Settings, loader: ModelLoader) -> Iterator[tuple[TestClient, Services]]:
    """A gateway start (lifespan included) on the data dir, as after a restart."""
    services = build_services(settings, loader=loader)
    with TestClient(create_app(services=services)) as client:
        yield client, services


def _lost_entries(services: Services) -> list[AuditEntry]:
    return list(export(services.db, AuditFilter(code="artifact_lost")))


def _verifies(services: Services) -> bool:
    report = verify_log(services.db, services.audit, services.audit.checkpoint_key.public_key)
    return report.ok


def _lose(services: Services, artifact_id: str, what: str) -> None:
    """Leave the artifact as a crash would have: its row, its file, or both never written."""
    with Session(services.db) as session:
        row = session.get(ArtifactRow, artifact_id)
        assert row is not None
        path = services.settings.data_dir / "artifacts" / row.file_name
        if "row" in what:
            session.delete(row)
            session.commit()
    if "file" in what:
        path.unlink()


def test_each_lost_artifact_is_recorded_once(
    settings: Settings, model_loader: ModelLoader, idp: IdentityProvider
) -> None:
    from tests.integration.test_voices import _clone, _enrolled

    token = bearer(idp.token("alice"))
    with _running(settings, model_loader) as (client, services):
        made = [client.post("/v1/images", json=IMAGE, headers=token).json() for _ in range(4)]
        voice = _enrolled(client, idp)
        clone = _clone(client, idp, voice["voice_id"])
        assert clone.status_code == 201, clone.text
        made.append(clone.json())
    losses = {
        made[1]["artifact_id"]: "row and file",
        made[2]["artifact_id"]: "file",
        made[3]["artifact_id"]: "row",
        made[4]["artifact_id"]: "row and file",
    }
    for artifact_id, what in losses.items():
        _lose(services, artifact_id, what)

    with _running(settings, model_loader) as (client, services):
        lost = _lost_entries(services)
        assert {e.details["artifact_id"]: e.details["missing"] for e in lost} == losses
        by_id = {e.details["artifact_id"]: e for e in lost}
        for generation in made[1:]:
            entry = by_id[generation["artifact_id"]]
            allowed = services.audit.get(generation["audit_seq"])
            assert allowed is not None
            assert (entry.action, entry.decision, entry.code) == ("generate", "error", LOST)
            assert entry.details["allowed_seq"] == allowed.seq
            assert entry.details["output_sha256"] == allowed.output_sha256 == generation["sha256"]
            assert (entry.request_id, entry.subject) == (allowed.request_id, allowed.subject)
        clone_lost = by_id[made[4]["artifact_id"]]
        assert clone_lost.details["consent_id"] == voice["consent_id"]
        assert clone_lost.details["consent_uses"] == 1
        assert [e.seq for e in lost] == sorted(e.seq for e in lost)  # in the order they happened
        assert (
            client.get(f"/v1/artifacts/{made[0]['artifact_id']}", headers=token).status_code == 200
        )
        for artifact_id in losses:
            assert client.get(f"/v1/artifacts/{artifact_id}", headers=token).status_code == 404

    with _running(settings, model_loader) as (_client, services):
        assert len(_lost_entries(services)) == len(losses)  # a second restart adds nothing
        again = reconcile_artifacts(services)
        assert (again.checked, again.lost, again.deferred) == (0, (), False)  # read nothing old
        assert _verifies(services)


def test_a_mark_the_log_does_not_hold_is_ignored_without_double_entries(
    settings: Settings, model_loader: ModelLoader, idp: IdentityProvider
) -> None:
    token = bearer(idp.token("alice"))
    with _running(settings, model_loader) as (client, services):
        made = client.post("/v1/images", json=IMAGE, headers=token).json()
    _lose(services, made["artifact_id"], "row and file")
    with _running(settings, model_loader) as (_client, services):
        assert len(_lost_entries(services)) == 1
    (settings.data_dir / MARK_FILE).write_text("1 " + "0" * 64)  # e.g. a restored database
    fresh = build_services(settings, loader=model_loader)
    again = reconcile_artifacts(fresh)
    assert again.checked == 1 and again.lost == ()  # read again from the start, recorded once
    assert len(_lost_entries(fresh)) == 1
    assert _verifies(fresh)


def test_young_entries_wait_while_another_gateway_may_still_store_them(
    settings: Settings, model_loader: ModelLoader, idp: IdentityProvider
) -> None:
    """Another live process (holding the data dir's lock) may be between record and store:
    its young entries are not called lost until it has had time, or is gone."""
    token = bearer(idp.token("alice"))
    with _running(settings, model_loader) as (client, services):
        made = client.post("/v1/images", json=IMAGE, headers=token).json()
    _lose(services, made["artifact_id"], "row and file")
    other = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
            "fcntl.flock(fd, fcntl.LOCK_SH); print('held', flush=True); sys.stdin.read()",
            str(settings.data_dir / LOCK_FILE),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert other.stdout is not None and other.stdout.readline() == b"held\n"
        waiting = reconcile_artifacts(build_services(settings, loader=model_loader))
        assert waiting.deferred and waiting.lost == ()
    finally:
        other.communicate(timeout=30)  # closes its stdin: it exits, its lock goes with it
    alone = build_services(settings, loader=model_loader)
    assert reconcile_artifacts(alone).lost == (made["artifact_id"],)
    assert len(_lost_entries(alone)) == 1


# A served gateway whose artifact store kills its own process (SIGKILL: no handler, no
# shutdown code runs) inside step 9: before the file is written, or after the file is renamed
# into place but before its row commits. Test code only; the product has no such hook.
CRASHING_SERVE = """
import os, signal, sys
import gateway.artifacts as artifacts
mode, port = sys.argv[1], sys.argv[2]
real_save = artifacts.ArtifactStore.save

def die(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

def save(self, row, data):
    if mode == "before-file":
        die()
    artifacts.Session = die
    real_save(self, row, data)

artifacts.ArtifactStore.save = save
from gateway.cli import main
sys.exit(main(["serve", "--port", port]))
"""


def _serve_crashing(
    data_dir: Path, cwd: Path, mode: str
) -> tuple[str, dict[str, str], subprocess.Popen[bytes]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONSENTGATE_")}
    env["CONSENTGATE_DATA_DIR"] = str(data_dir)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", CRASHING_SERVE, mode, str(port)],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz").status_code == 200:
                return url, env, process
        except httpx.TransportError:
            time.sleep(0.3)
    process.kill()
    pytest.fail("the crashing gateway did not start")


@pytest.mark.parametrize(
    ("mode", "missing"), [("before-file", "row and file"), ("after-file", "row")]
)
def test_sigkill_inside_the_store_step_is_recorded_at_restart(
    tmp_path: Path, mode: str, missing: str
) -> None:
    data_dir = tmp_path / "data"
    url, env, process = _serve_crashing(data_dir, tmp_path, mode)
    try:
        token = cli(env, "dev-token", "--sub", "alice", "--role", "employee").stdout.strip()
        with pytest.raises(httpx.TransportError):  # the process died mid-request
            httpx.post(f"{url}/v1/images", json=IMAGE, headers=bearer(token), timeout=120)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)

    for _restart in range(2):  # the second start records nothing new
        served = serve(data_dir, tmp_path)
        try:
            officer = cli(env, "dev-token", "--sub", "carol", "--role", "compliance_officer")
            headers = bearer(officer.stdout.strip())
            found = httpx.get(f"{served.url}/v1/audit?code={LOST}", headers=headers).json()
            assert len(found["items"]) == 1
            (lost,) = found["items"]
            allowed = httpx.get(
                f"{served.url}/v1/audit?decision=allow&action=generate&code=ok", headers=headers
            ).json()["items"]
            assert len(allowed) == 1
            assert lost["details"]["allowed_seq"] == allowed[0]["seq"]
            assert lost["details"]["artifact_id"] == allowed[0]["details"]["artifact_id"]
            assert lost["details"]["missing"] == missing
            assert lost["subject"] == "alice"
            artifact = httpx.get(
                f"{served.url}/v1/artifacts/{lost['details']['artifact_id']}", headers=headers
            )
            assert artifact.status_code == 404
        finally:
            served.stop()
    verify = cli(env, "audit", "verify", "--json")
    assert verify.returncode == 0, verify.stdout + verify.stderr
