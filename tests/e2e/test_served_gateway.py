"""The README's first request, against a served gateway with the embedded defaults."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from watermark import read_manifest

BIN = Path(sys.executable).parent
STARTUP_TIMEOUT_S = 120


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Served:
    url: str
    env: dict[str, str]
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        """Stop the server the way an operator would (Ctrl-C): a graceful shutdown."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=30)


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[Served]:
    env = {**os.environ, "CONSENTGATE_DATA_DIR": str(tmp_path / "data")}
    for name in list(env):
        if name.startswith("CONSENTGATE_") and name != "CONSENTGATE_DATA_DIR":
            del env[name]
    port = _free_port()
    process = subprocess.Popen(
        [str(BIN / "consentgate"), "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail(f"gateway did not start: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
    served = Served(url, env, process)
    yield served
    served.stop()


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "consentgate"), *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_first_request_from_the_readme(gateway: Served, tmp_path: Path) -> None:
    url, env = gateway.url, gateway.env
    token = _cli(env, "dev-token", "--sub", "alice", "--role", "employee").stdout.strip()
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

    officer = _cli(
        env, "dev-token", "--sub", "carol", "--role", "compliance_officer"
    ).stdout.strip()
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
    verify = _cli(gateway.env, "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verify.stdout.startswith("OK: 1 entries, 1 checkpoints")
