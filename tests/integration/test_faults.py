"""Faults fail closed (shared/THREATS.md, "faults"): the engine raising, running out of memory
or hanging, signing failing, the audit write failing. Each, sync and as a job: a coded 5xx, the
failure audited (a voice clone's entry names the consent whose use it spent), nothing stored,
and the gateway still answering.

Faults are injected into the real components, as deep as they happen: inside the image UNet's
forward pass and the VITS model's inference, inside the C2PA SDK's signing call, and at the
database driver boundary for the audit INSERT.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import c2pa
import pytest
import torch
from diffusers import UNet2DConditionModel
from fastapi.testclient import TestClient
from sqlalchemy import event, func
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select
from TTS.tts.models.vits import Vits

from audit import AuditEntry, AuditFilter, export
from engines import ImageRequest, ModelLoader
from engines.video import VideoRequest
from gateway import executor
from gateway.app import create_app
from gateway.artifacts import ArtifactRow
from gateway.services import Services, build_services
from gateway.settings import Settings
from tests.factories import IdentityProvider, bearer
from tests.integration.test_voices import COLLEAGUE, OWNER, SAFE_TEXT, _enrolled, _token

IMAGE = {"prompt": "a lighthouse", "purpose": "internal", "steps": 2}
DEADLINE_S = 60.0  # generous: only a bound, never a timing assertion


# -- the gateway, requests and what they left behind ---------------------------------------


@contextmanager
def _gateway(
    settings: Settings, loader: ModelLoader, **overrides: Any
) -> Iterator[tuple[TestClient, Services]]:
    """The app as a served one answers: a 500 is a response here too, not a raised error."""
    services = build_services(settings.model_copy(update=overrides), loader=loader)
    with TestClient(create_app(services=services), raise_server_exceptions=False) as client:
        yield client, services


@dataclass(frozen=True)
class Outcome:
    """What a caller was told, and the request id its entries carry."""

    status: int
    code: str
    request_id: str
    job: dict[str, Any] | None = None


def _wait_job(client: TestClient, job_id: str, headers: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}", headers=headers).json()
        if job["state"] in ("succeeded", "failed", "cancelled"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not end: {job}")


def _generate(
    client: TestClient, services: Services, path: str, body: dict, headers: dict, mode: str
) -> Outcome:
    response = client.post(f"{path}?mode={mode}", json=body, headers=headers)
    if mode == "sync":
        assert response.headers["content-type"] == "application/problem+json", response.text
        problem = response.json()
        assert problem["status"] == response.status_code
        return Outcome(response.status_code, problem["code"], problem["request_id"])
    assert response.status_code == 202, response.text
    job = _wait_job(client, response.json()["job_id"], headers)
    assert job["state"] == "failed", job
    submitted = services.audit.get(job["submitted_audit_seq"])
    assert submitted is not None and submitted.code == "accepted"
    return Outcome(job["error"]["status"], job["error"]["code"], submitted.request_id, job)


def _entries_of(services: Services, request_id: str) -> list[AuditEntry]:
    return [e for e in export(services.db, AuditFilter()) if e.request_id == request_id]


def _assert_nothing_stored(services: Services) -> None:
    with Session(services.db) as session:
        assert session.exec(select(func.count()).select_from(ArtifactRow)).one() == 0
    assert list((services.settings.data_dir / "artifacts").iterdir()) == []


def _assert_answering(client: TestClient) -> None:
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok", health.json()


# -- faults ---------------------------------------------------------------------------------


def _raiser(make: Callable[[], BaseException]) -> Callable[..., Any]:
    def fail(*_args: Any, **_kwargs: Any) -> Any:
        raise make()

    return fail


def _in_the_models(make: Callable[[], BaseException]) -> Callable[..., None]:
    """The image UNet's forward pass and the VITS model's inference raise ``make()``."""

    def inject(monkeypatch: pytest.MonkeyPatch, _services: Services) -> None:
        monkeypatch.setattr(UNet2DConditionModel, "forward", _raiser(make))
        monkeypatch.setattr(Vits, "inference", _raiser(make))

    return inject


def _c2pa_sdk_fails(monkeypatch: pytest.MonkeyPatch, _services: Services) -> None:
    monkeypatch.setattr(c2pa.Builder, "sign", _raiser(lambda: c2pa.C2paError("injected")))


def _signer_raises(monkeypatch: pytest.MonkeyPatch, services: Services) -> None:
    # Something the signer does not expect (not a C2paError): still nothing unsigned leaves.
    monkeypatch.setattr(services.signer, "sign", _raiser(lambda: RuntimeError("injected")))


def _allowed_insert_fails(_monkeypatch: pytest.MonkeyPatch, services: Services) -> None:
    """The database fails the INSERT of an allowed generation's entry (as a disk I/O error
    would), inside the real transaction; every other write still works."""

    def fail(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        rows = parameters if isinstance(parameters, list) else [parameters]
        if statement.startswith("INSERT INTO audit_entries") and any(
            {"generate", "allow", "ok"} <= set(row) for row in rows
        ):
            raise OperationalError(statement, None, sqlite3.OperationalError("disk I/O error"))

    event.listen(services.db, "before_cursor_execute", fail)


@dataclass(frozen=True)
class Fault:
    inject: Callable[[pytest.MonkeyPatch, Services], None]
    status: int
    codes: dict[str, str]  # kind -> code

    def code(self, kind: str) -> str:
        return self.codes.get(kind, self.codes["*"])


def _oom() -> BaseException:
    return torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")


FAULTS = {
    # The voice-clone engine reports its model failing as synthesis_failed (its own code).
    "engine_raises": Fault(
        _in_the_models(lambda: RuntimeError("injected")),
        503,
        {"*": "engine_failed", "voice_clone": "synthesis_failed"},
    ),
    "engine_memory_error": Fault(_in_the_models(MemoryError), 503, {"*": "engine_out_of_memory"}),
    "engine_torch_oom": Fault(_in_the_models(_oom), 503, {"*": "engine_out_of_memory"}),
    "c2pa_signing_fails": Fault(_c2pa_sdk_fails, 503, {"*": "c2pa_signing_failed"}),
    "signer_raises": Fault(_signer_raises, 500, {"*": "internal_error"}),
}
KINDS = ("image", "voice_clone")
MODES = ("sync", "async")


def _ask(kind: str, client: TestClient, idp: IdentityProvider) -> tuple[str, dict, dict, dict]:
    """(path, body, headers, voice) for one generation of ``kind``; enrols a voice for a clone."""
    if kind == "image":
        return "/v1/images", IMAGE, bearer(idp.token("alice")), {}
    voice = _enrolled(client, idp)
    body = {"voice_id": voice["voice_id"], "text": SAFE_TEXT, "language": "en"}
    return "/v1/voice-clones", {**body, "purpose": "internal"}, _token(idp, COLLEAGUE), voice


def _assert_failure_audited(
    services: Services, outcome: Outcome, code: str, voice: dict, client: TestClient, idp: Any
) -> AuditEntry:
    entries = _entries_of(services, outcome.request_id)
    assert not [e for e in entries if e.decision == "allow" and e.code == "ok"]
    (error,) = [e for e in entries if e.decision == "error"]
    assert (error.action, error.code) == ("generate", code)
    if outcome.job is not None:
        assert error.details["job_id"] == outcome.job["job_id"]
    if voice:
        # The use was spent when generation started: the entry says whose consent, and so.
        assert error.details["consent_id"] == voice["consent_id"]
        assert error.details["consent_uses"] == 1
        (mine,) = client.get("/v1/voices", headers=_token(idp, OWNER)).json()
        assert mine["uses"] == 1
    return error


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_fails_closed(
    fault: str,
    kind: str,
    mode: str,
    settings: Settings,
    model_loader: ModelLoader,
    idp: IdentityProvider,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with _gateway(settings, model_loader) as (client, services):
        path, body, headers, voice = _ask(kind, client, idp)
        FAULTS[fault].inject(monkeypatch, services)

        outcome = _generate(client, services, path, body, headers, mode)

        assert (outcome.status, outcome.code) == (FAULTS[fault].status, FAULTS[fault].code(kind))
        _assert_failure_audited(services, outcome, outcome.code, voice, client, idp)
        _assert_nothing_stored(services)
        _assert_answering(client)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", KINDS)
def test_audit_write_failure_fails_closed(
    kind: str,
    mode: str,
    settings: Settings,
    model_loader: ModelLoader,
    idp: IdentityProvider,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with _gateway(settings, model_loader) as (client, services):
        path, body, headers, voice = _ask(kind, client, idp)
        _allowed_insert_fails(monkeypatch, services)

        outcome = _generate(client, services, path, body, headers, mode)

        assert (outcome.status, outcome.code) == (503, "audit_write_failed")
        entries = _entries_of(services, outcome.request_id)
        assert not [e for e in entries if e.decision == "allow" and e.code == "ok"]
        _assert_nothing_stored(services)
        _assert_answering(client)
        if voice:  # spent, and the error entry that follows says so
            (mine,) = client.get("/v1/voices", headers=_token(idp, OWNER)).json()
            assert mine["uses"] == 1


@pytest.mark.parametrize("mode", MODES)
def test_a_failed_allowed_entry_is_recorded_as_an_error_when_the_log_accepts_it(
    mode: str,
    settings: Settings,
    model_loader: ModelLoader,
    idp: IdentityProvider,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with _gateway(settings, model_loader) as (client, services):
        path, body, headers, voice = _ask("voice_clone", client, idp)
        _allowed_insert_fails(monkeypatch, services)

        outcome = _generate(client, services, path, body, headers, mode)

        assert outcome.code == "audit_write_failed"
        _assert_failure_audited(services, outcome, "audit_write_failed", voice, client, idp)


# -- an engine that hangs past its time limit, ignoring its cancel flag ---------------------


class Hang:
    """The image engine stops answering (stuck in native code: its cancel flag is ignored)
    until released; then it returns a real image, which must not be stored."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, services: Services) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.returned = threading.Event()
        engine = services.image_engine
        real = engine.generate

        def hang(request: Any, *, progress: Any = None, cancel: Any = None) -> Any:
            self.entered.set()
            self.release.wait(DEADLINE_S)
            try:
                return real(request, progress=progress)  # without its cancel flag
            finally:
                self.returned.set()

        monkeypatch.setattr(engine, "generate", hang)


def _health_until(client: TestClient, check: Callable[[dict], bool]) -> dict:
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        health = client.get("/healthz")
        assert health.status_code == 200
        if check(health.json()):
            return health.json()
        time.sleep(0.05)
    raise AssertionError(f"/healthz never showed it: {health.json()}")


def _stuck(health: dict) -> bool:
    return health["status"] == "degraded" and health["engines"]["image"]["stuck"] == 1


def _idle(health: dict) -> bool:
    return health["status"] == "ok" and health["engines"]["image"]["running"] == 0


@pytest.mark.parametrize("mode", MODES)
def test_an_engine_hung_past_its_limit_is_answered_timed_out_and_its_output_dropped(
    mode: str,
    settings: Settings,
    model_loader: ModelLoader,
    idp: IdentityProvider,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(executor, "CANCEL_GRACE_S", 1.0)  # a short grace after the limit
    with _gateway(settings, model_loader, engine_time_limit_s=0.5) as (client, services):
        hang = Hang(monkeypatch, services)
        answers: list[Outcome] = []
        caller = threading.Thread(
            target=lambda: answers.append(
                _generate(client, services, "/v1/images", IMAGE, bearer(idp.token("alice")), mode)
            )
        )
        caller.start()
        try:
            assert hang.entered.wait(DEADLINE_S)
            _health_until(client, _stuck)  # health answers meanwhile, and says so
            caller.join(DEADLINE_S)
            assert not caller.is_alive()
            (outcome,) = answers
            assert (outcome.status, outcome.code) == (504, "engine_timed_out")
            assert _stuck(client.get("/healthz").json())  # its slot is still taken
        finally:
            hang.release.set()
        assert hang.returned.wait(DEADLINE_S)
        _health_until(client, _idle)
        # Recorded once, by whichever came first: the caller giving up or the engine returning.
        _assert_failure_audited(services, outcome, "engine_timed_out", {}, client, idp)
        _assert_nothing_stored(services)


# -- an engine that honours its cancel flag stops at the next step --------------------------

SLOW_VIDEO = {"prompt": "waves", "frames": 16, "width": 128, "height": 128, "steps": 50}


@pytest.mark.parametrize("mode", MODES)
def test_an_engine_that_honours_cancel_stops_at_the_next_step_past_its_limit(
    mode: str,
    settings: Settings,
    model_loader: ModelLoader,
    idp: IdentityProvider,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A grace long enough that the caller never stops waiting first: what ends the generation
    # is the engine itself, at the step after its flag was set.
    monkeypatch.setattr(executor, "CANCEL_GRACE_S", DEADLINE_S)
    run_now = {"video": {"sync_max_work": 1e12}}  # so that mode=sync really runs it now
    with _gateway(settings, model_loader, engine_time_limit_s=2.0, admission_ceilings=run_now) as (
        client,
        services,
    ):
        shape = {k: SLOW_VIDEO[k] for k in ("frames", "width", "height")}
        services.video_engine.generate(  # loaded and warmed beforehand: steps take their time
            VideoRequest("consentgate/tiny-t2v", "warm", steps=1, **shape)
        )
        steps: list[tuple[int, bool]] = []  # (step, was the cancel flag set when it ended)
        engine = services.video_engine
        real = engine.generate

        def watched(request: Any, *, progress: Any = None, cancel: Any = None) -> Any:
            def step(done: int, total: int) -> None:
                steps.append((done, cancel.cancelled))
                if progress is not None:
                    progress(done, total)

            return real(request, progress=step, cancel=cancel)

        monkeypatch.setattr(engine, "generate", watched)
        body = {**SLOW_VIDEO, "purpose": "internal"}
        headers = bearer(idp.token("alice"))
        outcome = _generate(client, services, "/v1/videos", body, headers, mode)

        assert (outcome.status, outcome.code) == (504, "engine_timed_out")
        assert steps and steps[-1][0] < SLOW_VIDEO["steps"]
        assert sum(1 for _, cancelled in steps if cancelled) == 1  # it stopped at the next step
        if outcome.job is not None:
            assert outcome.job["progress"]["step"] < SLOW_VIDEO["steps"]
        _assert_failure_audited(services, outcome, "engine_timed_out", {}, client, idp)
        _assert_nothing_stored(services)
        _health_until(
            client, lambda h: h["status"] == "ok" and h["engines"]["video"]["running"] == 0
        )


def test_the_answer_and_the_log_agree_when_the_caller_stops_waiting_during_signing(
    settings: Settings,
    model_loader: ModelLoader,
    idp: IdentityProvider,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Either the caller is told engine_timed_out and nothing is recorded as allowed or stored,
    or it gets the artifact: never the refusal with the artifact stored behind it."""
    monkeypatch.setattr(executor, "CANCEL_GRACE_S", 1.0)
    with _gateway(settings, model_loader, engine_time_limit_s=4.0) as (client, services):
        headers = bearer(idp.token("alice"))
        # Loaded beforehand, so the engine returns well within its limit.
        services.image_engine.generate(
            ImageRequest("consentgate/tiny-sd", "warm", width=64, height=64, steps=1)
        )
        abandoned = threading.Event()
        real_abandon, real_sign = executor.Watch.abandon, services.signer.sign

        def abandon(watch: executor.Watch) -> Any:
            try:
                return real_abandon(watch)
            finally:
                abandoned.set()

        def slow_sign(*args: Any, **kwargs: Any) -> Any:
            abandoned.wait(DEADLINE_S)  # still signing when its caller gives up waiting
            return real_sign(*args, **kwargs)

        monkeypatch.setattr(executor.Watch, "abandon", abandon)
        monkeypatch.setattr(services.signer, "sign", slow_sign)
        answer = client.post("/v1/images", json=IMAGE, headers=headers)
        _health_until(client, _idle)  # the worker has finished whatever it does
        entries = [(e.decision, e.code) for e in _entries_of(services, answer.json()["request_id"])]
        with Session(services.db) as session:
            stored = session.exec(select(func.count()).select_from(ArtifactRow)).one()
        if answer.status_code == 504:
            assert (entries, stored) == ([("error", "engine_timed_out")], 0)
        else:
            assert answer.status_code == 201, answer.text
            assert (entries, stored) == ([("allow", "ok")], 1)


def test_a_down_audit_log_is_tried_twice_per_request_at_most(
    settings: Settings,
    model_loader: ModelLoader,
    idp: IdentityProvider,
) -> None:
    """The allowed entry, then its refusal once: a log that refuses every write (a locked or
    failing database) does not make a caller wait for more attempts."""
    with _gateway(settings, model_loader) as (client, services):
        attempts: list[str] = []

        def fail(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
            if statement.startswith("INSERT INTO audit_entries"):
                attempts.append(statement)
                raise OperationalError(statement, None, sqlite3.OperationalError("locked"))

        event.listen(services.db, "before_cursor_execute", fail)
        answer = client.post("/v1/images", json=IMAGE, headers=bearer(idp.token("alice")))

        assert (answer.status_code, answer.json()["code"]) == (503, "audit_write_failed")
        _assert_nothing_stored(services)
        assert len(attempts) <= 2
