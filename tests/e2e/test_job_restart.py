"""Jobs survive a crash: interrupted ones end failed, queued ones run after the restart."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.e2e.conftest import cli, serve

SLOW_VIDEO = {
    "prompt": "waves",
    "frames": 32,  # within the tiny video ceiling, and slow enough to be killed mid-run
    "steps": 50,
    "width": 128,
    "height": 128,
    "purpose": "internal",
}
QUICK_IMAGE = {"prompt": "a lighthouse", "purpose": "internal"}


def _job(url: str, job_id: str, headers: dict[str, str]) -> dict:
    return httpx.get(f"{url}/v1/jobs/{job_id}", headers=headers).json()


def test_crash_fails_the_running_job_and_runs_the_queued_one(tmp_path: Path) -> None:
    first = serve(tmp_path / "data", tmp_path)
    try:
        token = cli(first.env, "dev-token", "--sub", "alice", "--role", "employee").stdout.strip()
        headers = {"Authorization": f"Bearer {token}"}
        running = httpx.post(f"{first.url}/v1/videos", json=SLOW_VIDEO, headers=headers).json()
        queued = httpx.post(
            f"{first.url}/v1/images?mode=async", json=QUICK_IMAGE, headers=headers
        ).json()
        deadline = time.monotonic() + 60
        while _job(first.url, running["job_id"], headers)["state"] != "running":
            assert time.monotonic() < deadline, "the job never started"
            time.sleep(0.1)
        assert _job(first.url, queued["job_id"], headers)["state"] == "queued"
    finally:
        first.kill()

    second = serve(tmp_path / "data", tmp_path)
    try:
        interrupted = _job(second.url, running["job_id"], headers)
        assert interrupted["state"] == "failed"
        assert interrupted["error"]["code"] == "job_interrupted"
        deadline = time.monotonic() + 120
        while (job := _job(second.url, queued["job_id"], headers))["state"] != "succeeded":
            assert job["state"] in ("queued", "running"), job
            assert time.monotonic() < deadline, "the queued job never ran"
            time.sleep(0.1)
    finally:
        second.stop()
    verify = cli(second.env, "audit", "verify", "--json")
    assert verify.returncode == 0, verify.stdout
