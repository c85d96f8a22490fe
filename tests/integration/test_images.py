"""The image path through HTTP: real tokens, casbin, licences, diffusers, C2PA and audit."""

from __future__ import annotations

import hashlib
import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from audit import verify_log
from engines import ModelLoader
from gateway.app import create_app
from gateway.services import Services, build_services
from gateway.settings import Settings
from tests.factories import IdentityProvider, bearer
from watermark import CONSENTGATE_ASSERTION, read_manifest

IMAGE = {"prompt": "a lighthouse at dusk", "purpose": "internal", "seed": 7}


def _entry(services: Services, seq: int):
    entry = services.audit.get(seq)
    assert entry is not None
    return entry


def test_allowed_request_returns_a_signed_png_matching_its_audit_entry(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    response = client.post("/v1/images", json=IMAGE, headers=bearer(idp.token("alice")))

    assert response.status_code == 201, response.text
    body = response.json()
    assert float(response.headers["X-Consentgate-Overhead-Ms"]) >= 0
    png = client.get(f"/v1/artifacts/{body['artifact_id']}", headers=bearer(idp.token("alice")))
    assert png.status_code == 200
    assert png.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).size == (64, 64)
    assert hashlib.sha256(png.content).hexdigest() == body["sha256"]

    report = read_manifest(png.content, "image/png", services.signer.trust_anchors_pem)
    assert report.validation_state == "Trusted"
    assert report.label == body["manifest_label"]
    actions = report.assertion("c2pa.actions.v2")
    assert actions is not None
    created = actions["actions"][0]
    assert created["action"] == "c2pa.created"
    assert created["digitalSourceType"].endswith("/trainedAlgorithmicMedia")
    assert "consentgate/tiny-sd" in created["softwareAgent"]["name"]

    assertion = report.assertion(CONSENTGATE_ASSERTION)
    entry = _entry(services, body["audit_seq"])
    assert assertion == {
        "request_id": entry.request_id,
        "audit_seq": entry.seq,
        "engine": "image",
        "model": entry.model,
        "licence": "Apache-2.0",
        "purpose": entry.purpose,
        "artifact_id": body["artifact_id"],
    }
    assert entry.decision == "allow"
    assert entry.subject == "alice"
    assert entry.output_sha256 == body["sha256"]
    assert entry.manifest_label == body["manifest_label"]
    assert entry.policy_rule == ["employee", "image", "generate"]
    assert services.audit.prompt_fields(entry.seq) == {
        "prompt": IMAGE["prompt"],
        "negative_prompt": None,
    }


def test_same_seed_gives_the_same_pixels(client: TestClient, idp: IdentityProvider) -> None:
    token = bearer(idp.token("alice"))
    pixels = []
    for _ in range(2):
        body = client.post("/v1/images", json=IMAGE, headers=token).json()
        data = client.get(f"/v1/artifacts/{body['artifact_id']}", headers=token).content
        pixels.append(Image.open(io.BytesIO(data)).tobytes())
    assert pixels[0] == pixels[1]


def test_denied_by_role_is_403_and_audited(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    token = idp.token("carol", roles=["compliance_officer"])
    response = client.post("/v1/images", json=IMAGE, headers=bearer(token))

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "role_forbidden"
    entry = _entry(services, services.audit.head()[0])
    assert (entry.decision, entry.code, entry.subject) == ("deny", "role_forbidden", "carol")
    assert entry.engine == "image"


def test_token_without_any_known_role_is_denied(client: TestClient, idp: IdentityProvider) -> None:
    token = idp.token("mallory", roles=["some-other-app-admin"])
    response = client.post("/v1/images", json=IMAGE, headers=bearer(token))
    assert response.status_code == 403
    assert response.json()["code"] == "role_forbidden"


def test_idp_group_maps_to_role(client: TestClient, idp: IdentityProvider) -> None:
    token = idp.token("dave", roles=["consentgate-employees"])
    assert client.post("/v1/images", json=IMAGE, headers=bearer(token)).status_code == 201


def test_denied_by_licence_is_403_and_audited(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    ask = {**IMAGE, "model": "stabilityai/sd-turbo", "purpose": "commercial"}
    response = client.post("/v1/images", json=ask, headers=bearer(idp.token("alice")))

    assert response.status_code == 403
    assert response.json()["code"] == "licence_forbids_purpose"
    entry = _entry(services, services.audit.head()[0])
    assert (entry.decision, entry.code, entry.purpose) == (
        "deny",
        "licence_forbids_purpose",
        "commercial",
    )
    assert entry.model == "stabilityai/sd-turbo"
    assert entry.policy_rule == ["employee", "image", "generate"]


def test_model_without_licence_entry_is_denied(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    ask = {**IMAGE, "model": "acme/unlicensed-model"}
    response = client.post("/v1/images", json=ask, headers=bearer(idp.token("alice")))
    assert response.status_code == 403
    assert response.json()["code"] == "licence_unknown"
    assert _entry(services, services.audit.head()[0]).code == "licence_unknown"


def test_unreachable_weights_are_503_not_500(client: TestClient, idp: IdentityProvider) -> None:
    ask = {**IMAGE, "model": "stabilityai/sd-turbo"}
    response = client.post("/v1/images", json=ask, headers=bearer(idp.token("alice")))
    assert response.status_code == 503
    assert response.json()["code"] == "engine_unavailable"


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({**IMAGE, "width": 4096}, 422, "invalid_request"),
        ({**IMAGE, "height": 100}, 422, "invalid_request"),  # not a multiple of 8
        ({**IMAGE, "steps": -1}, 422, "invalid_request"),
        ({**IMAGE, "steps": 500}, 422, "invalid_request"),
        ({**IMAGE, "prompt": "x" * 5000}, 422, "invalid_request"),
        ({**IMAGE, "prompt": ""}, 422, "invalid_request"),
        ({**IMAGE, "model": "no/such-model"}, 422, "model_unknown"),
        ({"prompt": "a cat"}, 422, "invalid_request"),  # no purpose
        ({**IMAGE, "purpose": "world-domination"}, 422, "invalid_request"),
        ({**IMAGE, "unexpected": 1}, 422, "invalid_request"),
        ([1, 2, 3], 422, "invalid_request"),
    ],
)
def test_bad_input_is_4xx_problem_json_and_audited(
    client: TestClient,
    services: Services,
    idp: IdentityProvider,
    payload: object,
    status: int,
    code: str,
) -> None:
    before = services.audit.head()[0]
    response = client.post("/v1/images", json=payload, headers=bearer(idp.token("alice")))
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    entry = _entry(services, before + 1)
    assert (entry.decision, entry.code, entry.subject) == ("deny", code, "alice")


@pytest.mark.parametrize("content", [b"not json at all", b'{"prompt": "unterminated'])
def test_non_json_body_is_400_problem_json(
    client: TestClient, services: Services, idp: IdentityProvider, content: bytes
) -> None:
    headers = {**bearer(idp.token("alice")), "Content-Type": "application/json"}
    response = client.post("/v1/images", content=content, headers=headers)
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"
    entry = _entry(services, services.audit.head()[0])
    assert (entry.code, entry.subject) == ("malformed_json", "alice")


def test_artifact_is_hidden_from_other_employees_but_not_compliance(
    client: TestClient, idp: IdentityProvider
) -> None:
    body = client.post("/v1/images", json=IMAGE, headers=bearer(idp.token("alice"))).json()
    url = f"/v1/artifacts/{body['artifact_id']}"

    other = client.get(url, headers=bearer(idp.token("bob")))
    assert other.status_code == 404
    assert other.json()["code"] == "artifact_not_found"
    missing = client.get(
        "/v1/artifacts/01ARZ3NDEKTSV4RRFFQ69G5FAV", headers=bearer(idp.token("bob"))
    )
    assert missing.json() == {**missing.json(), "code": "artifact_not_found", "status": 404}
    officer = bearer(idp.token("carol", roles=["compliance_officer"]))
    assert client.get(url, headers=officer).status_code == 200
    admin = bearer(idp.token("root", roles=["admin"]))
    assert client.get(url, headers=admin).status_code == 200


def test_twenty_concurrent_requests_leave_one_valid_chain(
    settings: Settings, model_loader: ModelLoader, idp: IdentityProvider
) -> None:
    # A lane with room for all twenty: this is about the chain, not about queue bounds.
    services = build_services(settings.model_copy(update={"engine_queue": 32}), model_loader)
    token = bearer(idp.token("alice"))

    with TestClient(create_app(services=services)) as client:

        def generate(seed: int) -> int:
            response = client.post("/v1/images", json={**IMAGE, "seed": seed}, headers=token)
            assert response.status_code == 201, response.text
            return response.json()["audit_seq"]

        with ThreadPoolExecutor(max_workers=20) as pool:
            seqs = list(pool.map(generate, range(20)))

    assert sorted(seqs) == list(range(1, 21))
    report = verify_log(services.db, services.audit, services.audit.checkpoint_key.public_key)
    assert report.ok, report.problems
    assert report.entries == 20


def test_manifest_endpoint_reports_trusted_and_names_the_audit_entry(
    client: TestClient, idp: IdentityProvider
) -> None:
    token = bearer(idp.token("alice"))
    body = client.post("/v1/images", json=IMAGE, headers=token).json()
    manifest = client.get(f"/v1/artifacts/{body['artifact_id']}/manifest", headers=token)
    assert manifest.status_code == 200
    report = manifest.json()
    assert (report["validation_state"], report["trusted"]) == ("Trusted", True)
    assert report["manifest_label"] == body["manifest_label"]
    labels = {a["label"]: a["data"] for a in report["manifest"]["assertions"]}
    assert labels[CONSENTGATE_ASSERTION]["audit_seq"] == body["audit_seq"]
    other = client.get(
        f"/v1/artifacts/{body['artifact_id']}/manifest", headers=bearer(idp.token("bob"))
    )
    assert other.status_code == 404


@pytest.mark.parametrize(
    ("fmt", "mime_type", "pillow_format"),
    [("jpeg", "image/jpeg", "JPEG"), ("webp", "image/webp", "WEBP")],
)
def test_jpeg_and_webp_outputs_are_signed_and_validate(
    client: TestClient,
    services: Services,
    idp: IdentityProvider,
    fmt: str,
    mime_type: str,
    pillow_format: str,
) -> None:
    headers = bearer(idp.token("alice"))
    response = client.post("/v1/images", json={**IMAGE, "format": fmt}, headers=headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["mime_type"] == mime_type
    fetched = client.get(f"/v1/artifacts/{body['artifact_id']}", headers=headers)
    assert fetched.headers["content-type"] == mime_type
    assert Image.open(io.BytesIO(fetched.content)).format == pillow_format
    report = read_manifest(fetched.content, mime_type, services.signer.trust_anchors_pem)
    assert report.validation_state == "Trusted"
    assert report.assertion(CONSENTGATE_ASSERTION)["audit_seq"] == body["audit_seq"]  # type: ignore[index]


def test_an_unknown_format_is_refused(client: TestClient, idp: IdentityProvider) -> None:
    response = client.post(
        "/v1/images", json={**IMAGE, "format": "gif"}, headers=bearer(idp.token("alice"))
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid_request"


def test_concurrent_requests_through_the_gateway_share_a_run_and_are_each_signed(
    settings: Settings, model_loader: ModelLoader, idp: IdentityProvider
) -> None:
    """Four callers at once: one pipeline run, four outputs, four entries, one valid chain."""
    tuned = settings.model_copy(update={"image_batch_max": 4, "image_batch_wait_ms": 1500})
    services = build_services(tuned, loader=model_loader)
    runs: list[int] = []
    engine = services.image_engine
    real = engine._run_batch
    engine._batcher._run = lambda jobs: runs.append(len(jobs)) or real(jobs)  # type: ignore[method-assign]
    with TestClient(create_app(services=services)) as client, ThreadPoolExecutor(4) as pool:
        headers = bearer(idp.token("alice"))
        bodies = [{**IMAGE, "seed": seed} for seed in range(4)]
        responses = list(
            pool.map(lambda b: client.post("/v1/images", json=b, headers=headers), bodies)
        )
    assert [r.status_code for r in responses] == [201] * 4
    assert max(runs) >= 2 and sum(runs) == 4
    assert len({r.json()["sha256"] for r in responses}) == 4
    report = verify_log(services.db, services.audit, services.audit.checkpoint_key.public_key)
    assert report.ok and report.entries == 4
