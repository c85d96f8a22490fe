"""The one refusal path: every refusal, whatever the route or method, leaves one entry; floods
by callers without a token are counted, not logged one by one; limits answer with codes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from audit import AuditEntry
from engines import ModelLoader
from gateway.app import create_app
from gateway.services import Services, build_services
from gateway.settings import Settings
from tests.factories import IdentityProvider, bearer

IMAGE = {"prompt": "a quiet harbour", "purpose": "internal", "seed": 3, "steps": 2}


def _entries(services: Services) -> list[AuditEntry]:
    head = services.audit.head()[0]
    return [e for e in (services.audit.get(seq) for seq in range(1, head + 1)) if e is not None]


def _entry_for(services: Services, response: object) -> AuditEntry:
    request_id = response.headers["X-Request-Id"]  # type: ignore[attr-defined]
    found = [e for e in _entries(services) if e.request_id == request_id]
    assert len(found) == 1, f"{len(found)} entries for request {request_id}"
    return found[0]


@pytest.fixture
def tight(settings: Settings, model_loader: ModelLoader) -> Iterator[tuple[TestClient, Services]]:
    """A gateway with small rate limits."""
    tuned = settings.model_copy(
        update={"rate_limit_subject_per_minute": 3, "rate_limit_client_per_minute": 1000}
    )
    services = build_services(tuned, model_loader)
    with TestClient(create_app(services=services)) as client:
        yield client, services


def test_refusals_of_every_method_are_recorded_once(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    employee = bearer(idp.token("erin", roles=["employee"]))
    officer = bearer(idp.token("carol", roles=["compliance_officer"]))
    refused = [
        (client.put("/v1/voices/voice_x/legal-hold", json={"hold": True}, headers=employee), 403),
        (client.get("/v1/audit?limit=0", headers=officer), 422),
        (client.get("/v1/audit?cursor=bm90LWEtY3Vyc29y", headers=officer), 400),
        (client.get("/v1/audit?since=0001-01-01T00:00:00%2B05:00", headers=officer), 422),
        (client.get("/v1/jobs/job_nobody", headers=employee), 404),
        (client.delete("/v1/jobs/job_nobody", headers=employee), 404),
        (client.get("/v1/no-such-route", headers=employee), 404),
        (client.patch("/v1/images", headers=employee), 405),
    ]
    for response, status in refused:
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/problem+json"
        entry = _entry_for(services, response)
        assert entry.decision == "deny"
        assert entry.code == response.json()["code"]
        assert entry.subject in {"erin", "carol"}


def test_authorisation_comes_before_body_validation(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    nobody = bearer(idp.token("nora", roles=[]))
    response = client.post("/v1/images", json={"width": 10**6, "model": 7}, headers=nobody)
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "role_forbidden"
    assert "width" not in response.text and "errors" not in body  # no limits disclosed
    assert _entry_for(services, response).engine == "image"


def test_a_flood_without_a_token_leaves_a_few_entries_and_one_count(
    settings: Settings, model_loader: ModelLoader
) -> None:
    services = build_services(settings, model_loader)
    with TestClient(create_app(services=services)) as client:
        for _ in range(25):
            assert client.post("/v1/images", json=IMAGE).status_code == 401
        during = [e for e in _entries(services) if e.code == "token_missing"]
    # Leaving the client shuts the gateway down, which records the interval's count.
    entries = _entries(services)
    counted = [e for e in entries if e.code == "refusals_counted"]
    assert 0 < len(during) < 25
    assert len(counted) == 1
    assert counted[0].details["by_code"] == {"token_missing": 25}
    assert sum(1 for e in entries if e.code == "token_missing") == len(during)


def test_a_subject_over_its_rate_is_told_when_to_come_back(
    tight: tuple[TestClient, Services], idp: IdentityProvider
) -> None:
    client, services = tight
    headers = bearer(idp.token("rita", roles=[]))
    codes = [client.get("/v1/jobs", headers=headers).status_code for _ in range(4)]
    assert codes[:3] == [200, 200, 200]
    limited = client.get("/v1/jobs", headers=headers)
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) >= 1
    entry = _entry_for(services, limited)
    assert (entry.code, entry.subject) == ("rate_limited", "rita")
    # Health stays outside the limits (load balancers probe it).
    assert client.get("/healthz").status_code == 200


def test_an_oversized_body_is_refused_before_the_token_is_checked(
    client: TestClient, services: Services
) -> None:
    huge = b'{"prompt": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = client.post("/v1/images", content=huge, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"
    assert _entries(services)[-1].code == "body_too_large"


def test_deeply_nested_json_is_a_coded_refusal(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    nested = b"[" * 10_000 + b"]" * 10_000
    response = client.post(
        "/v1/images",
        content=nested,
        headers={**bearer(idp.token("erin")), "Content-Type": "application/json"},
    )
    assert 400 <= response.status_code < 500
    assert response.json()["code"] in {"malformed_json", "malformed_body", "invalid_request"}
    assert _entry_for(services, response).decision == "deny"


def test_idle_event_streams_get_keep_alives(
    settings: Settings, model_loader: ModelLoader, idp: IdentityProvider
) -> None:
    services = build_services(settings.model_copy(update={"sse_keepalive_s": 0.2}), model_loader)
    headers = bearer(idp.token("alice"))
    with TestClient(create_app(services=services)) as client:
        client.app.state.jobs.stop()  # type: ignore[attr-defined]  # the job stays queued
        job = client.post("/v1/images?mode=async", json=IMAGE, headers=headers).json()
        lines = []
        with client.stream("GET", f"/v1/jobs/{job['job_id']}/events", headers=headers) as events:
            for line in events.iter_lines():
                lines.append(line)
                if line.startswith(": keep-alive") or len(lines) > 50:
                    break
        client.delete(f"/v1/jobs/{job['job_id']}", headers=headers)
    assert lines[0] == "event: state"
    assert any(line.startswith(": keep-alive") for line in lines)


@pytest.mark.parametrize(
    "query",
    [
        "cursor=" + "c2VxOjk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5",  # seq:99999999999999999999999
        "cursor=" + "c2VxOi01",  # seq:-5
        "until=9999-12-31T23:59:59-05:00",
        "since=0001-01-01T00:00:00%2B05:00",
    ],
)
def test_out_of_range_audit_queries_are_refused_not_500(
    client: TestClient, services: Services, idp: IdentityProvider, query: str
) -> None:
    officer = bearer(idp.token("carol", roles=["compliance_officer"]))
    response = client.get(f"/v1/audit?{query}", headers=officer)
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["code"] in {"audit_cursor_invalid", "time_out_of_range"}
    assert _entry_for(services, response).decision == "deny"


def test_an_enrolment_of_a_hundred_parts_is_refused_while_streaming(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    clip = b"RIFF" + b"\0" * 1000
    files = [("references", (f"r{i}.wav", clip, "audio/wav")) for i in range(100)]
    response = client.post(
        "/v1/voices",
        data={"challenge_id": "c"},
        files=files,
        headers=bearer(idp.token("vera", roles=["voice_user"])),
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_many_parts"
    last = _entries(services)[-1]
    assert (last.code, last.subject, last.details["path"]) == (
        "too_many_parts",
        "vera",
        "/v1/voices",
    )


def test_reads_of_jobs_voices_and_the_log_are_recorded(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    alice = bearer(idp.token("alice"))
    client.app.state.jobs.stop()  # type: ignore[attr-defined]  # the job stays queued
    job = client.post("/v1/images?mode=async", json=IMAGE, headers=alice).json()
    reads = {
        "read_job": client.get(f"/v1/jobs/{job['job_id']}", headers=alice),
        "list_jobs": client.get("/v1/jobs", headers=alice),
        "cancel_job": client.delete(f"/v1/jobs/{job['job_id']}", headers=alice),
        "list_voices": client.get("/v1/voices", headers=alice),
    }
    for action, response in reads.items():
        assert response.status_code == 200, response.text
        recorded = [
            e for e in _entries(services) if e.request_id == response.headers["X-Request-Id"]
        ]
        assert action in {e.action for e in recorded}
    officer = bearer(idp.token("carol", roles=["compliance_officer"]))
    search = client.get("/v1/audit?action=generate&decision=allow&limit=5", headers=officer)
    entry = _entry_for(services, search)
    assert entry.action == "read_audit"
    assert entry.details["filters"] == {"action": "generate", "decision": "allow"}
    assert entry.details["limit"] == 5
