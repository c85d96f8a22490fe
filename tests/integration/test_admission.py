"""Admission control (shared/THREATS.md, "cost"): a request over its kind's ceiling is refused
before any work; one over the sync threshold becomes a job, exactly as ``mode=async``; a full
lane answers ``queue_full`` with ``Retry-After``; and while generations run, health, audit,
job listing and cancel keep answering."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from audit import AuditEntry, AuditFilter, export
from engines import ModelLoader
from gateway.app import create_app
from gateway.artifacts import ArtifactRow
from gateway.services import Services, build_services
from gateway.settings import Settings
from tests.factories import IdentityProvider, bearer

IMAGE = {"prompt": "a lighthouse", "purpose": "internal", "steps": 2}
DEADLINE_S = 60.0  # generous bounds on waits; no timing is asserted
COSTLY = {
    "image": ("/v1/images", {**IMAGE, "width": 1024, "height": 1024, "steps": 50}),
    "video": (
        "/v1/videos",
        {"prompt": "waves", "purpose": "internal", "frames": 64, "width": 512, "height": 512},
    ),
}


@contextmanager
def _gateway(
    settings: Settings, loader: ModelLoader, **overrides: Any
) -> Iterator[tuple[TestClient, Services]]:
    services = build_services(settings.model_copy(update=overrides), loader=loader)
    with TestClient(create_app(services=services), raise_server_exceptions=False) as client:
        yield client, services


def _entries_of(services: Services, request_id: str) -> list[AuditEntry]:
    return [e for e in export(services.db, AuditFilter()) if e.request_id == request_id]


def _artifact_rows(services: Services) -> int:
    with Session(services.db) as session:
        return session.exec(select(func.count()).select_from(ArtifactRow)).one()


def _count_calls(monkeypatch: pytest.MonkeyPatch, engine: Any) -> list[Any]:
    calls: list[Any] = []
    real = engine.generate

    def counted(request: Any, **kwargs: Any) -> Any:
        calls.append(request)
        return real(request, **kwargs)

    monkeypatch.setattr(engine, "generate", counted)
    return calls


def _wait_job(client: TestClient, job_id: str, headers: dict, states: set[str]) -> dict:
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}", headers=headers).json()
        if job["state"] in states:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} never reached {states}: {job}")


# -- request_too_costly -----------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("kind", sorted(COSTLY))
def test_a_request_over_the_ceiling_is_refused_before_any_work(
    kind: str,
    mode: str,
    client: TestClient,
    services: Services,
    idp: IdentityProvider,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _count_calls(monkeypatch, getattr(services, f"{kind}_engine"))
    headers = bearer(idp.token("alice"))
    path, body = COSTLY[kind]

    response = client.post(f"{path}?mode={mode}", json=body, headers=headers)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "request_too_costly"
    ceiling, cost = problem["ceiling"], problem["cost"]
    assert cost["work"] > ceiling["work"] or cost["memory_bytes"] > ceiling["memory_bytes"]
    assert ceiling["unit"] == cost["unit"]
    (entry,) = _entries_of(services, problem["request_id"])
    assert (entry.action, entry.decision, entry.code) == ("generate", "deny", "request_too_costly")
    assert entry.details["cost"]["work"] == cost["work"]
    assert calls == []  # nothing generated
    assert client.get("/v1/jobs", headers=headers).json() == []  # nor queued
    assert _artifact_rows(services) == 0


# -- over the sync threshold: a job, as mode=async ---------------------------------------------


def _job_shape(response: httpx.Response) -> tuple[int, str, set[str], str, str]:
    body = response.json()
    location = response.headers["location"]
    assert location == f"/v1/jobs/{body['job_id']}"
    return response.status_code, location.rsplit("/", 1)[0], set(body), body["kind"], body["state"]


def test_a_sync_request_over_the_sync_threshold_is_answered_as_a_job(
    settings: Settings, model_loader: ModelLoader, idp: IdentityProvider
) -> None:
    ceilings = {"image": {"sync_max_work": 1}}
    with _gateway(settings, model_loader, admission_ceilings=ceilings) as (client, services):
        headers = bearer(idp.token("alice"))
        client.app.state.jobs.stop()  # type: ignore[attr-defined]  # both stay queued to compare
        asked_sync = client.post("/v1/images", json=IMAGE, headers=headers)
        asked_async = client.post("/v1/images?mode=async", json=IMAGE, headers=headers)

        assert asked_sync.status_code == 202
        assert _job_shape(asked_sync) == _job_shape(asked_async)
        submitted = [
            services.audit.get(response.json()["submitted_audit_seq"])
            for response in (asked_sync, asked_async)
        ]
        assert [(e.decision, e.code) for e in submitted if e] == [("allow", "accepted")] * 2
        client.app.state.jobs.start()  # type: ignore[attr-defined]
        for response in (asked_sync, asked_async):
            job = _wait_job(client, response.json()["job_id"], headers, {"succeeded", "failed"})
            assert job["state"] == "succeeded", job
        assert _artifact_rows(services) == 2


# -- a full lane --------------------------------------------------------------------------------


class Slow:
    """The image engine waits for a release before generating (a long generation)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, services: Services) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        real = services.image_engine.generate

        def slow(request: Any, **kwargs: Any) -> Any:
            self.entered.set()
            self.release.wait(DEADLINE_S)
            return real(request, **kwargs)

        monkeypatch.setattr(services.image_engine, "generate", slow)


def test_a_full_lane_answers_queue_full_with_retry_after(
    settings: Settings,
    model_loader: ModelLoader,
    idp: IdentityProvider,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One slot and no batching: a batch of images would let that many into the lane.
    with _gateway(settings, model_loader, engine_queue=0, image_batch_max=1) as (client, services):
        headers = bearer(idp.token("alice"))
        slow = Slow(monkeypatch, services)
        with ThreadPoolExecutor(1) as pool:
            first = pool.submit(client.post, "/v1/images", json=IMAGE, headers=headers)
            try:
                assert slow.entered.wait(DEADLINE_S)  # the one slot is taken, no queue
                crowded = client.post("/v1/images", json=IMAGE, headers=headers)
                queued = client.post("/v1/images?mode=async", json=IMAGE, headers=headers)
            finally:
                slow.release.set()
            assert first.result(timeout=DEADLINE_S).status_code == 201

        assert crowded.status_code == 503
        assert crowded.headers["content-type"] == "application/problem+json"
        problem = crowded.json()
        assert problem["code"] == "queue_full"
        assert int(crowded.headers["retry-after"]) == problem["retry_after_s"] >= 1
        entries = _entries_of(services, problem["request_id"])
        assert [(e.action, e.decision, e.code) for e in entries] == [
            ("generate", "error", "queue_full")
        ]
        # A job waits for the lane instead of being refused, and runs once it is free.
        assert queued.status_code == 202
        job = _wait_job(client, queued.json()["job_id"], headers, {"succeeded", "failed"})
        assert job["state"] == "succeeded"
        assert _artifact_rows(services) == 2


# -- everything else keeps answering while generations run ---------------------------------------

SLOW_VIDEO = {"prompt": "waves", "purpose": "internal", "frames": 16, "width": 128, "height": 128}


def _answers(pool: ThreadPoolExecutor, call: Callable[[], httpx.Response]) -> httpx.Response:
    """The response, within a generous deadline (a hung endpoint fails the test, not CI)."""
    return pool.submit(call).result(timeout=DEADLINE_S)


def test_health_audit_jobs_and_cancel_answer_while_generations_run(
    settings: Settings,
    model_loader: ModelLoader,
    idp: IdentityProvider,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with _gateway(settings, model_loader) as (client, services):
        alice = bearer(idp.token("alice"))
        officer = bearer(idp.token("carol", roles=["compliance_officer"]))
        slow = Slow(monkeypatch, services)
        with ThreadPoolExecutor(4) as pool:
            # A sync image request holding its lane, and a long real video job on its own.
            held = pool.submit(client.post, "/v1/images", json=IMAGE, headers=alice)
            running = client.post("/v1/videos", json={**SLOW_VIDEO, "steps": 50}, headers=alice)
            waiting = client.post("/v1/videos", json={**SLOW_VIDEO, "steps": 2}, headers=alice)
            video_id, waiting_id = running.json()["job_id"], waiting.json()["job_id"]
            try:
                assert slow.entered.wait(DEADLINE_S)
                _wait_job(client, video_id, alice, {"running"})

                health = _answers(pool, lambda: client.get("/healthz"))
                assert health.status_code == 200
                lanes = health.json()["engines"]
                assert lanes["image"]["running"] == lanes["video"]["running"] == 1
                log = _answers(pool, lambda: client.get("/v1/audit", headers=officer))
                assert log.status_code == 200 and log.json()["items"]
                mine = _answers(pool, lambda: client.get("/v1/jobs", headers=alice))
                states = {job["job_id"]: job["state"] for job in mine.json()}
                assert states == {video_id: "running", waiting_id: "queued"}
                for job_id in (waiting_id, video_id):
                    cancel = _answers(
                        pool,
                        lambda job_id=job_id: client.delete(f"/v1/jobs/{job_id}", headers=alice),
                    )
                    assert cancel.status_code == 200
            finally:
                slow.release.set()
            assert held.result(timeout=DEADLINE_S).status_code == 201
        assert _wait_job(client, waiting_id, alice, {"cancelled"})["state"] == "cancelled"
        stopped = _wait_job(client, video_id, alice, {"cancelled", "succeeded", "failed"})
        assert stopped["state"] == "cancelled"
        assert stopped["progress"]["step"] < 50
