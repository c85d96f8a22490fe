"""Jobs: progress events, cancellation, visibility."""

from __future__ import annotations

import json
import time

from fastapi.testclient import TestClient

from gateway.services import Services
from tests.factories import IdentityProvider, bearer, last_decision

IMAGE = {"prompt": "a lighthouse", "purpose": "internal", "steps": 8}
SLOW_VIDEO = {"prompt": "waves", "frames": 32, "steps": 50, "purpose": "internal"}


def _events(client: TestClient, job_id: str, headers: dict[str, str]) -> list[tuple[str, dict]]:
    events: list[tuple[str, dict]] = []
    name = None
    with client.stream("GET", f"/v1/jobs/{job_id}/events", headers=headers) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: ") and name:
                events.append((name, json.loads(line.removeprefix("data: "))))
    return events


def _wait_for(client: TestClient, job_id: str, headers: dict[str, str], states: set[str]) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}", headers=headers).json()
        if job["state"] in states:
            return job
        time.sleep(0.02)
    raise AssertionError(f"job never reached {states}: {job}")


def test_progress_events_arrive_in_order_and_end_in_succeeded(
    client: TestClient, idp: IdentityProvider
) -> None:
    token = bearer(idp.token("alice"))
    job = client.post(
        "/v1/videos", json={**SLOW_VIDEO, "frames": 8, "steps": 20}, headers=token
    ).json()
    events = _events(client, job["job_id"], token)
    names = [name for name, _ in events]
    assert names[-1] == "succeeded"
    assert events[-1][1]["result"]["mime_type"] == "video/mp4"
    steps = [data["step"] for name, data in events if name == "progress"]
    assert steps and steps == sorted(steps) and steps[-1] == 20
    assert all(data["total"] == 20 for name, data in events if name == "progress")
    states = [data["state"] for name, data in events if name == "state"]
    assert states[-1] == "succeeded" and states.index("succeeded") > 0


def test_any_generation_can_run_as_a_job(client: TestClient, idp: IdentityProvider) -> None:
    token = bearer(idp.token("alice"))
    submitted = client.post("/v1/images?mode=async", json=IMAGE, headers=token)
    assert submitted.status_code == 202
    job = _wait_for(client, submitted.json()["job_id"], token, {"succeeded", "failed"})
    assert job["state"] == "succeeded"
    assert job["progress"] == {"step": 8, "total": 8}
    png = client.get(f"/v1/artifacts/{job['result']['artifact_id']}", headers=token)
    assert png.headers["content-type"] == "image/png"
    assert client.get("/v1/jobs", headers=token).json()[0]["job_id"] == job["job_id"]


def test_cancel_a_running_job(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    token = bearer(idp.token("alice"))
    job = client.post("/v1/videos", json=SLOW_VIDEO, headers=token).json()
    _wait_for(client, job["job_id"], token, {"running"})
    deadline = time.monotonic() + 60
    while client.get(f"/v1/jobs/{job['job_id']}", headers=token).json()["progress"]["step"] < 1:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert client.delete(f"/v1/jobs/{job['job_id']}", headers=token).status_code == 200
    ended = _wait_for(client, job["job_id"], token, {"cancelled", "succeeded", "failed"})
    assert ended["state"] == "cancelled"
    assert ended["progress"]["step"] < SLOW_VIDEO["steps"]
    assert ended["error"]["code"] == "generation_cancelled"
    entry = last_decision(services)
    assert entry is not None and entry.code == "generation_cancelled"
    assert entry.details["job_id"] == job["job_id"]


def test_cancel_a_queued_job(client: TestClient, idp: IdentityProvider) -> None:
    token = bearer(idp.token("alice"))
    first = client.post("/v1/videos", json=SLOW_VIDEO, headers=token).json()
    second = client.post("/v1/videos", json=SLOW_VIDEO, headers=token).json()
    cancelled = client.delete(f"/v1/jobs/{second['job_id']}", headers=token).json()
    assert cancelled["state"] == "cancelled"
    client.delete(f"/v1/jobs/{first['job_id']}", headers=token)
    assert (
        _wait_for(client, first["job_id"], token, {"cancelled", "succeeded"})["state"]
        == "cancelled"
    )


def test_another_user_cannot_see_or_cancel_a_job(client: TestClient, idp: IdentityProvider) -> None:
    token = bearer(idp.token("alice"))
    job = client.post("/v1/images?mode=async", json=IMAGE, headers=token).json()
    other = bearer(idp.token("bob"))
    for response in (
        client.get(f"/v1/jobs/{job['job_id']}", headers=other),
        client.delete(f"/v1/jobs/{job['job_id']}", headers=other),
        client.get(f"/v1/jobs/{job['job_id']}/events", headers=other),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "job_not_found"
    officer = bearer(idp.token("carol", roles=["compliance_officer"]))
    assert client.get(f"/v1/jobs/{job['job_id']}", headers=officer).status_code == 200
    assert client.get("/v1/jobs", headers=other).json() == []


def test_denied_submission_creates_no_job(client: TestClient, idp: IdentityProvider) -> None:
    officer = bearer(idp.token("carol", roles=["compliance_officer"]))
    response = client.post("/v1/videos", json=SLOW_VIDEO, headers=officer)
    assert response.status_code == 403 and response.json()["code"] == "role_forbidden"
    assert client.get("/v1/jobs", headers=officer).json() == []


def test_consent_revoked_after_submission_fails_the_job(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    """A job is admitted again when it runs: a voice revoked meanwhile is not used."""
    from tests.integration.test_voices import COLLEAGUE, OWNER, SAFE_TEXT, _enrolled, _token

    voice = _enrolled(client, idp)
    services_jobs = client.app.state.jobs  # type: ignore[attr-defined]
    services_jobs.stop()  # hold the workers so the job stays queued
    job = client.post(
        "/v1/voice-clones?mode=async",
        headers=_token(idp, COLLEAGUE),
        json={
            "voice_id": voice["voice_id"],
            "text": SAFE_TEXT,
            "language": "en",
            "purpose": "internal",
        },
    )
    assert job.status_code == 202
    client.post(f"/v1/voices/{voice['voice_id']}/revoke", headers=_token(idp, OWNER))
    services_jobs.start()
    ended = _wait_for(client, job.json()["job_id"], _token(idp, COLLEAGUE), {"failed", "succeeded"})
    assert ended["state"] == "failed"
    assert ended["error"]["code"] == "consent_revoked"
    entry = last_decision(services)
    assert entry is not None and entry.details["job_id"] == job.json()["job_id"]
