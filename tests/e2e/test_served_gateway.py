"""The README's first request, against a served gateway with the embedded defaults."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.e2e.conftest import Served, cli
from watermark import read_manifest


def test_first_request_from_the_readme(gateway: Served, tmp_path: Path) -> None:
    url, env = gateway.url, gateway.env
    token = cli(env, "dev-token", "--sub", "alice", "--role", "employee").stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}

    created = httpx.post(
        f"{url}/v1/images",
        json={"prompt": "a lighthouse at dusk", "purpose": "internal"},
        headers=headers,
        timeout=120,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    image = httpx.get(f"{url}/v1/artifacts/{body['artifact_id']}", headers=headers)
    assert image.status_code == 200
    ca = (tmp_path / "data" / "c2pa" / "ca.pem").read_text()
    assert read_manifest(image.content, "image/png", ca).validation_state == "Trusted"

    officer = cli(env, "dev-token", "--sub", "carol", "--role", "compliance_officer").stdout.strip()
    entries = httpx.get(f"{url}/v1/audit", headers={"Authorization": f"Bearer {officer}"}).json()
    assert entries["items"][-1]["seq"] == body["audit_seq"]

    forged = httpx.post(
        f"{url}/v1/images",
        json={"prompt": "x", "purpose": "internal"},
        headers={"Authorization": f"Bearer {token[:-4]}AAAA"},
    )
    assert forged.status_code == 401


def test_shutdown_checkpoints_and_cli_verifies(gateway: Served, tmp_path: Path) -> None:
    httpx.post(f"{gateway.url}/v1/images", json={"prompt": "x", "purpose": "internal"})  # a 401
    gateway.stop()  # shutdown signs the head

    checkpoints = (tmp_path / "data" / "audit" / "checkpoints.jsonl").read_text().splitlines()
    assert len(checkpoints) == 1
    verify = cli(gateway.env, "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verify.stdout.startswith("OK: 1 entries, 1 checkpoints")
