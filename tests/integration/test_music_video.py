"""Music and video through HTTP, and input licences."""

from __future__ import annotations

import io
import time
from typing import Any

import av
import pytest
from fastapi.testclient import TestClient

from gateway.services import Services
from tests.factories import IdentityProvider, bearer, sample_media
from watermark import CONSENTGATE_ASSERTION, read_manifest

MUSIC = {"prompt": "calm lofi beat with warm piano", "duration_s": 1.0, "purpose": "internal"}
VIDEO = {"prompt": "a red kite over a beach", "frames": 8, "fps": 8, "purpose": "internal"}


def _wait(
    client: TestClient, location: str, headers: dict[str, str], timeout_s: float = 120
) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = client.get(location, headers=headers).json()
        if job["state"] in ("succeeded", "failed", "cancelled"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job did not finish: {job}")


def _upload(client: TestClient, headers: dict[str, str], data: bytes, **form: str) -> Any:
    return client.post(
        "/v1/inputs", files={"file": ("melody.mp3", data, "audio/mpeg")}, data=form, headers=headers
    )


def test_music_is_a_job_by_default_and_succeeds(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    token = bearer(idp.token("alice"))
    submitted = client.post("/v1/music", json=MUSIC, headers=token)
    assert submitted.status_code == 202, submitted.text
    location = submitted.headers["Location"]
    assert location == f"/v1/jobs/{submitted.json()['job_id']}"
    job = _wait(client, location, token)
    assert job["state"] == "succeeded", job
    result = job["result"]
    assert result["mime_type"] == "audio/wav" and result["licence"] == "Apache-2.0"
    wav = client.get(f"/v1/artifacts/{result['artifact_id']}", headers=token).content
    assert read_manifest(wav, "audio/wav", services.signer.trust_anchors_pem).trusted
    import wave

    with wave.open(io.BytesIO(wav)) as audio:
        assert audio.getframerate() == 32_000
        assert 0.8 < audio.getnframes() / 32_000 < 1.3

    submitted_entry = services.audit.get(job["submitted_audit_seq"])
    done_entry = services.audit.get(result["audit_seq"])
    assert submitted_entry is not None and done_entry is not None
    assert (submitted_entry.decision, submitted_entry.code) == ("allow", "accepted")
    assert submitted_entry.details["job_id"] == job["job_id"]
    assert (done_entry.decision, done_entry.code, done_entry.engine) == ("allow", "ok", "music")
    assert done_entry.details["job_id"] == job["job_id"]
    assert done_entry.details["submitted_seq"] == submitted_entry.seq


def test_music_for_commercial_use_is_denied_by_the_musicgen_licence(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    ask = {**MUSIC, "purpose": "commercial", "model": "facebook/musicgen-small"}
    response = client.post("/v1/music", json=ask, headers=bearer(idp.token("alice")))
    assert response.status_code == 403
    assert response.json()["code"] == "licence_forbids_purpose"
    entry = services.audit.get(services.audit.head()[0])
    assert entry is not None and (entry.code, entry.model) == (
        "licence_forbids_purpose",
        "facebook/musicgen-small",
    )
    marketing = client.post(
        "/v1/music", json={**ask, "purpose": "marketing"}, headers=bearer(idp.token("alice"))
    )
    assert marketing.json()["code"] == "licence_forbids_purpose"


def test_melody_without_a_licence_is_denied(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    token = bearer(idp.token("alice"))
    uploaded = _upload(client, token, sample_media("audio/mpeg"))
    assert uploaded.status_code == 201 and uploaded.json()["licence"] is None
    response = client.post(
        "/v1/music?mode=sync",
        json={**MUSIC, "melody_input_id": uploaded.json()["input_id"]},
        headers=token,
    )
    assert response.status_code == 403
    assert response.json()["code"] == "input_licence_missing"
    entry = services.audit.get(services.audit.head()[0])
    assert entry is not None
    assert entry.details["inputs"][0]["sha256"] == uploaded.json()["sha256"]


def test_licensed_melody_is_allowed_and_named_as_an_ingredient(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    token = bearer(idp.token("alice"))
    melody = sample_media("audio/mpeg")
    uploaded = _upload(client, token, melody, licence="cc-by").json()
    response = client.post(
        "/v1/music?mode=sync",
        json={**MUSIC, "melody_input_id": uploaded["input_id"]},
        headers=token,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    wav = client.get(f"/v1/artifacts/{body['artifact_id']}", headers=token).content
    report = read_manifest(wav, "audio/wav", services.signer.trust_anchors_pem)
    assert report.trusted
    ingredients = report.manifest["ingredients"]  # type: ignore[index]
    assert len(ingredients) == 1
    assert ingredients[0]["relationship"] == "inputTo"
    assert ingredients[0]["metadata"]["sha256"] == uploaded["sha256"]
    assert ingredients[0]["metadata"]["licence"] == "cc-by"
    assertion = report.assertion(CONSENTGATE_ASSERTION)
    assert assertion is not None and assertion["inputs"][0]["input_id"] == uploaded["input_id"]
    entry = services.audit.get(body["audit_seq"])
    assert entry is not None
    assert entry.details["inputs"] == [
        {
            "input_id": uploaded["input_id"],
            "sha256": uploaded["sha256"],
            "licence": "cc-by",
            "licence_id": None,
        }
    ]


def test_melody_licence_that_forbids_the_purpose_is_denied(
    client: TestClient, idp: IdentityProvider
) -> None:
    token = bearer(idp.token("alice"))
    uploaded = _upload(client, token, sample_media("audio/mpeg"), licence="cc-by-nc").json()
    response = client.post(
        "/v1/music",
        json={**MUSIC, "purpose": "commercial", "melody_input_id": uploaded["input_id"]},
        headers=token,
    )
    assert response.status_code == 403
    assert response.json()["code"] == "input_licence_forbids_purpose"


def test_another_users_input_cannot_be_used(client: TestClient, idp: IdentityProvider) -> None:
    uploaded = _upload(
        client, bearer(idp.token("alice")), sample_media("audio/mpeg"), licence="own-recording"
    ).json()
    response = client.post(
        "/v1/music",
        json={**MUSIC, "melody_input_id": uploaded["input_id"]},
        headers=bearer(idp.token("bob")),
    )
    assert response.status_code == 404 and response.json()["code"] == "input_not_found"


@pytest.mark.parametrize(
    ("form", "data", "status", "code"),
    [
        ({"licence": "cc-by"}, b"just some notes, as text", 415, "input_unsupported"),
        ({"licence": "stolen"}, None, 422, "input_licence_unknown"),
        ({"licence": "licensed"}, None, 422, "input_licence_unknown"),  # needs a licence_id
        # Past the edge's body limit: refused before the app reads it.
        ({"licence": "cc-by"}, b"ID3" + b"\0" * (11 * 1024 * 1024), 413, "body_too_large"),
        # Within the edge's room for form overhead, but over the input limit itself.
        ({"licence": "cc-by"}, b"ID3" + b"\0" * (10 * 1024 * 1024), 413, "input_too_large"),
    ],
)
def test_bad_uploads(
    client: TestClient,
    idp: IdentityProvider,
    form: dict,
    data: bytes | None,
    status: int,
    code: str,
) -> None:
    response = _upload(
        client, bearer(idp.token("alice")), data or sample_media("audio/mpeg"), **form
    )
    assert response.status_code == status, response.text
    assert response.json()["code"] == code


def test_licensed_input_with_an_id_is_accepted(client: TestClient, idp: IdentityProvider) -> None:
    response = _upload(
        client,
        bearer(idp.token("alice")),
        sample_media("audio/flac"),
        licence="licensed",
        licence_id="ACME-MUSIC-2026-042",
    )
    assert response.status_code == 201
    assert response.json()["mime_type"] == "audio/flac"


def test_video_is_an_mp4_that_plays_and_validates(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    token = bearer(idp.token("alice"))
    submitted = client.post("/v1/videos", json=VIDEO, headers=token)
    assert submitted.status_code == 202
    job = _wait(client, submitted.headers["Location"], token)
    assert job["state"] == "succeeded", job
    mp4 = client.get(f"/v1/artifacts/{job['result']['artifact_id']}", headers=token).content
    with av.open(io.BytesIO(mp4)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
    assert len(frames) == 8 and frames[0].shape == (64, 64, 3)
    report = read_manifest(mp4, "video/mp4", services.signer.trust_anchors_pem)
    assert report.validation_state == "Trusted"
    assert report.assertion(CONSENTGATE_ASSERTION)["audit_seq"] == job["result"]["audit_seq"]  # type: ignore[index]


def test_structured_video_prompt_is_composed(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    parts = {
        "subject": "a forklift",
        "action": "lifting a pallet",
        "scene": "a warehouse",
        "lighting": "cold fluorescent light",
        "camera": "slow dolly-in",
        "style": "documentary",
        "technical": "35mm, shallow depth of field",
    }
    response = client.post(
        "/v1/videos?mode=sync",
        json={**parts, "frames": 4, "purpose": "training"},
        headers=bearer(idp.token("alice")),
    )
    assert response.status_code == 201, response.text
    fields = services.audit.prompt_fields(response.json()["audit_seq"])
    assert fields is not None
    assert fields["prompt"] == (
        "a forklift, lifting a pallet, a warehouse, cold fluorescent light, slow dolly-in, "
        "documentary, 35mm, shallow depth of field"
    )


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("/v1/music", {**MUSIC, "duration_s": 0}),
        ("/v1/music", {**MUSIC, "duration_s": 600}),
        ("/v1/music", {"duration_s": 5, "purpose": "internal"}),
        ("/v1/videos", {**VIDEO, "frames": 10_000}),
        ("/v1/videos", {**VIDEO, "fps": 240}),
        ("/v1/videos", {**VIDEO, "width": 100}),
        ("/v1/videos", {**VIDEO, "width": 4096}),
        ("/v1/videos", {"frames": 8, "purpose": "internal"}),  # no prompt, no subject
    ],
)
def test_bad_music_and_video_requests(
    client: TestClient, idp: IdentityProvider, path: str, payload: dict
) -> None:
    response = client.post(path, json=payload, headers=bearer(idp.token("alice")))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_request"
