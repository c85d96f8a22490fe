"""Speech with built-in voices: offline, in the workforce's languages, signed and audited."""

from __future__ import annotations

import io
import wave

import pytest
from fastapi.testclient import TestClient

from gateway.services import Services
from tests.factories import IdentityProvider, bearer
from watermark import CONSENTGATE_ASSERTION, read_manifest

SENTENCES = {
    "en": "Wear your safety glasses at all times on the factory floor.",
    "zh": "在工厂车间内请始终佩戴安全眼镜。",
    "th": "กรุณาสวมแว่นตานิรภัยตลอดเวลาในพื้นที่โรงงาน",
    "vi": "Hãy luôn đeo kính bảo hộ khi ở trong xưởng sản xuất.",
    "yue": "喺工場入面請一直戴住安全眼鏡。",
}


def _seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as audio:
        return audio.getnframes() / audio.getframerate()


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_speech_in_each_language_is_a_signed_wav(
    client: TestClient, services: Services, idp: IdentityProvider, language: str
) -> None:
    token = bearer(idp.token("alice"))
    response = client.post(
        "/v1/speech",
        json={"text": SENTENCES[language], "language": language, "purpose": "training"},
        headers=token,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["model"], body["licence"], body["consent_id"]) == (
        "espeak-ng",
        "GPL-3.0-or-later",
        None,
    )
    wav = client.get(f"/v1/artifacts/{body['artifact_id']}", headers=token).content
    assert _seconds(wav) > 1.5
    report = read_manifest(wav, "audio/wav", services.signer.trust_anchors_pem)
    assert report.validation_state == "Trusted"
    assert report.assertion(CONSENTGATE_ASSERTION)["audit_seq"] == body["audit_seq"]  # type: ignore[index]
    entry = services.audit.get(body["audit_seq"])
    assert entry is not None and (entry.engine, entry.decision) == ("speech", "allow")
    assert services.audit.prompt_fields(entry.seq)["text"] == SENTENCES[language]  # type: ignore[index]


def test_longer_text_gives_longer_speech(client: TestClient, idp: IdentityProvider) -> None:
    token = bearer(idp.token("alice"))
    lengths = []
    for text in ("Stop.", "Stop the machine, step back, and call your supervisor right away."):
        body = client.post(
            "/v1/speech",
            json={"text": text, "language": "en", "purpose": "internal"},
            headers=token,
        ).json()
        lengths.append(
            _seconds(client.get(f"/v1/artifacts/{body['artifact_id']}", headers=token).content)
        )
    assert lengths[1] > 3 * lengths[0]


def test_voice_choice(client: TestClient, idp: IdentityProvider) -> None:
    voices = client.get("/v1/speech/voices").json()
    assert {"en", "zh", "th", "vi"} <= set(voices["languages"])
    response = client.post(
        "/v1/speech",
        json={"text": "你好", "language": "zh", "voice": "cmn-male", "purpose": "internal"},
        headers=bearer(idp.token("alice")),
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        # An unknown language is refused by the language check (issue 9), before any voice.
        ({"text": "hello", "language": "xx", "purpose": "internal"}, "language_mismatch"),
        (
            {"text": "hello", "language": "en", "voice": "th-female", "purpose": "internal"},
            "voice_unknown",
        ),
        (
            {"text": "hello", "language": "en", "voice": "robot-9", "purpose": "internal"},
            "voice_unknown",
        ),
        ({"text": "x" * 2001, "language": "en", "purpose": "internal"}, "invalid_request"),
        ({"text": "hello", "language": "en"}, "invalid_request"),
    ],
)
def test_bad_speech_requests(
    client: TestClient, services: Services, idp: IdentityProvider, payload: dict, code: str
) -> None:
    response = client.post("/v1/speech", json=payload, headers=bearer(idp.token("alice")))
    assert response.status_code == 422
    assert response.json()["code"] == code
    entry = services.audit.get(services.audit.head()[0])
    assert entry is not None and (entry.decision, entry.code) == ("deny", code)


def test_speech_needs_a_generating_role(client: TestClient, idp: IdentityProvider) -> None:
    officer = bearer(idp.token("carol", roles=["compliance_officer"]))
    response = client.post(
        "/v1/speech", json={"text": "hi", "language": "en", "purpose": "internal"}, headers=officer
    )
    assert response.status_code == 403 and response.json()["code"] == "role_forbidden"
