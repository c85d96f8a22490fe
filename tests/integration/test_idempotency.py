"""Idempotency-Key: a retry gets the first answer back and spends no second consent use."""

from __future__ import annotations

from fastapi.testclient import TestClient

from gateway.services import Services
from tests.factories import IdentityProvider, bearer

IMAGE = {"prompt": "a lighthouse at dusk", "purpose": "internal", "seed": 7, "steps": 2}


def _count_artifacts(services: Services) -> int:
    return len(list((services.settings.data_dir / "artifacts").glob("*.png")))


def test_a_retry_with_the_same_key_returns_the_first_artifact(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    headers = {**bearer(idp.token("alice")), "Idempotency-Key": "retry-0001"}
    first = client.post("/v1/images", json=IMAGE, headers=headers)
    again = client.post("/v1/images", json=IMAGE, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert _count_artifacts(services) == 1
    replay = services.audit.get(services.audit.head()[0])
    assert replay is not None and (replay.code, replay.decision) == ("replayed", "allow")
    assert replay.details["artifact_id"] == first.json()["artifact_id"]


def test_the_same_key_with_another_body_is_refused_and_audited(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    headers = {**bearer(idp.token("alice")), "Idempotency-Key": "retry-0002"}
    assert client.post("/v1/images", json=IMAGE, headers=headers).status_code == 201
    other = client.post("/v1/images", json={**IMAGE, "seed": 8}, headers=headers)

    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"
    entry = services.audit.get(services.audit.head()[0])
    assert entry is not None and entry.code == "idempotency_key_reused"
    assert _count_artifacts(services) == 1


def test_keys_belong_to_their_subject(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    key = {"Idempotency-Key": "shared-key"}
    alice = client.post("/v1/images", json=IMAGE, headers={**bearer(idp.token("alice")), **key})
    bob = client.post("/v1/images", json=IMAGE, headers={**bearer(idp.token("bob")), **key})

    assert alice.status_code == bob.status_code == 201
    assert alice.json()["artifact_id"] != bob.json()["artifact_id"]


def test_a_refused_request_releases_its_key(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    headers = {**bearer(idp.token("alice")), "Idempotency-Key": "retry-0003"}
    refused = client.post("/v1/images", json={**IMAGE, "model": "no/such-model"}, headers=headers)
    assert refused.status_code == 422
    # A corrected retry is a new request, not the replay of a refusal.
    corrected = client.post("/v1/images", json={**IMAGE, "model": "no/such-model"}, headers=headers)
    assert corrected.status_code == 422
    assert "Idempotent-Replayed" not in corrected.headers


def test_a_job_is_replayed_as_the_same_job(client: TestClient, idp: IdentityProvider) -> None:
    headers = {**bearer(idp.token("alice")), "Idempotency-Key": "job-0001"}
    first = client.post("/v1/images?mode=async", json=IMAGE, headers=headers)
    again = client.post("/v1/images?mode=async", json=IMAGE, headers=headers)

    assert first.status_code == again.status_code == 202
    assert again.json()["job_id"] == first.json()["job_id"]
    assert again.headers["Location"] == first.headers["Location"]


def test_an_unprintable_key_is_refused(client: TestClient, idp: IdentityProvider) -> None:
    headers = {**bearer(idp.token("alice")), "Idempotency-Key": "tab\there"}
    response = client.post("/v1/images", json=IMAGE, headers=headers)
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_invalid"
