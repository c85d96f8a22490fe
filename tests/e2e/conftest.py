"""A served gateway: `consentgate serve` in a subprocess, as an operator runs it."""

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
from typing import Any

import httpx
import pytest

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
            self.process.wait(timeout=60)

    def kill(self) -> None:
        """A crash: no shutdown code runs."""
        self.process.kill()
        self.process.wait(timeout=30)


def serve(data_dir: Path, cwd: Path, settings: dict[str, str] | None = None) -> Served:
    """``settings``: more CONSENTGATE_ variables than the data dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONSENTGATE_")}
    env["CONSENTGATE_DATA_DIR"] = str(data_dir)
    env.update(settings or {})
    port = _free_port()
    process = subprocess.Popen(
        [str(BIN / "consentgate"), "serve", "--port", str(port)],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz").status_code == 200:
                return Served(url, env, process)
        except httpx.TransportError:
            time.sleep(0.3)
    process.kill()
    stderr = process.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
    pytest.fail(f"gateway did not start: {stderr}")


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "consentgate"), *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[Served]:
    served = serve(tmp_path / "data", tmp_path)
    yield served
    served.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium for a module's browser tests (a module may launch its own)."""
    from tests.e2e.browser import launched_chromium

    with launched_chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser profile at 1280×800; its last page is kept as a screenshot."""
    from tests.e2e.browser import kept_page

    with kept_page(browser, request.node.name) as opened:
        yield opened
