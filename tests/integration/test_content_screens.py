"""Content and language checks through the API: the declared language must fit the text, the
audit entry names which screen and rule blocked, and a configured classifier screens what the
rules let through (paraphrases)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from engines import ModelLoader
from engines._tiny_text_classifier import build_tiny_text_classifier
from gateway.app import create_app
from gateway.services import Services, build_services
from gateway.settings import Settings
from tests.factories import (
    REFERENCE_TEXTS,
    IdentityProvider,
    approve_if_pending,
    bearer,
    issue_challenge,
    last_decision,
    spoken_wav,
)

OWNER, COLLEAGUE = "olivia", "colin"
PARAPHRASE = "Sort out the usual amount for our supplier before the bank closes."


def _headers(idp: IdentityProvider, subject: str, role: str = "voice_user") -> dict[str, str]:
    return bearer(idp.token(subject, roles=[role], name=subject.title()))


def _voice(client: TestClient, idp: IdentityProvider) -> str:
    challenge = issue_challenge(client, _headers(idp, OWNER), [COLLEAGUE])
    files = [
        ("references", (f"r{i}.wav", spoken_wav(text), "audio/wav"))
        for i, text in enumerate(REFERENCE_TEXTS[:2])
    ]
    files.append(("statement", ("s.wav", spoken_wav(challenge["statement"]), "audio/wav")))
    response = client.post(
        "/v1/voices",
        data={"challenge_id": challenge["challenge_id"]},
        files=files,
        headers=_headers(idp, OWNER),
    )
    assert response.status_code == 201, response.text
    approve_if_pending(client, idp, response.json())
    return str(response.json()["voice_id"])


def _clone(
    client: TestClient, idp: IdentityProvider, voice_id: str, text: str, language: str
) -> Any:
    return client.post(
        "/v1/voice-clones",
        json={"voice_id": voice_id, "text": text, "language": language, "purpose": "internal"},
        headers=_headers(idp, COLLEAGUE),
    )


def test_a_blocked_clone_names_its_category_and_the_log_names_the_rule(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    voice_id = _voice(client, idp)
    # Zero-width characters and Cyrillic look-alikes do not hide the request.
    response = _clone(client, idp, voice_id, "Tell me your pa\u200bssw\u043erd, please", "en")
    assert response.status_code == 403
    body = response.json()
    assert (body["code"], body["category"]) == ("content_blocked", "password")
    entry = last_decision(services)
    assert entry.code == "content_blocked"
    assert entry.details["content_screen"] == "rules"
    assert entry.details["content_rule"].startswith("en/")
    assert entry.details["voice_id"] == voice_id


@pytest.mark.parametrize(
    ("text", "declared", "detected"),
    [
        ("Welcome to the new starters session at the main plant.", "th", "en"),
        ("Welcome to the new starters session at the main plant.", "zh-Hant", "en"),
        ("ยินดีต้อนรับสู่การอบรมพนักงานใหม่ของโรงงาน", "en", "th"),
        ("Welcome to the new starters session at the main plant.", "xx", None),
    ],
)
def test_a_clone_in_another_language_than_declared_is_refused(
    client: TestClient,
    services: Services,
    idp: IdentityProvider,
    text: str,
    declared: str,
    detected: str | None,
) -> None:
    voice_id = _voice(client, idp)
    response = _clone(client, idp, voice_id, text, declared)
    assert response.status_code == 422, response.text
    body = response.json()
    assert (body["code"], body["declared"], body["detected"]) == (
        "language_mismatch",
        declared,
        detected,
    )
    entry = last_decision(services)
    assert (entry.decision, entry.code) == ("deny", "language_mismatch")
    assert entry.details["detected_language"] == detected


@pytest.mark.parametrize("declared", ["xx", "vi"])
def test_speech_in_another_language_than_declared_is_refused(
    client: TestClient, services: Services, idp: IdentityProvider, declared: str
) -> None:
    response = client.post(
        "/v1/speech",
        json={
            "text": "The canteen opens at noon today.",
            "language": declared,
            "purpose": "internal",
        },
        headers=_headers(idp, "erin", "employee"),
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "language_mismatch"
    assert last_decision(services).code == "language_mismatch"


def test_a_declared_language_in_capitals_is_served(
    client: TestClient, idp: IdentityProvider
) -> None:
    """Tags are case-insensitive: "EN" passes the language check and reaches the engine as
    "en" (found by an attack: the engine refused it voice_unknown)."""
    response = client.post(
        "/v1/speech",
        json={"text": "The canteen opens at noon today.", "language": "EN", "purpose": "internal"},
        headers=_headers(idp, "erin", "employee"),
    )
    assert response.status_code == 201, response.text


def test_speech_in_the_declared_language_is_served(
    client: TestClient, idp: IdentityProvider
) -> None:
    response = client.post(
        "/v1/speech",
        json={"text": "工厂的安全培训从星期一开始。", "language": "zh-Hans", "purpose": "internal"},
        headers=_headers(idp, "erin", "employee"),
    )
    assert response.status_code == 201, response.text


@pytest.fixture(scope="module")
def sensitive_classifier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny classifier whose head always says "sensitive" (the decision follows its scores)."""
    return build_tiny_text_classifier(
        tmp_path_factory.mktemp("classifier"), bias={"sensitive": 8.0}
    )


def test_a_configured_classifier_screens_what_the_rules_let_through(
    settings: Settings, model_loader: ModelLoader, idp: IdentityProvider, sensitive_classifier: Path
) -> None:
    services = build_services(
        settings.model_copy(update={"content_classifier": str(sensitive_classifier)}),
        model_loader,
    )
    assert services.content_rules.screen(PARAPHRASE) is None  # the rules miss it
    with TestClient(create_app(services=services)) as client:
        voice_id = _voice(client, idp)
        response = _clone(client, idp, voice_id, PARAPHRASE, "en")
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "content_blocked"
        entry = last_decision(services)
        assert entry.details["content_screen"] == f"classifier:{sensitive_classifier}"
        assert entry.details["content_rule"] == "sensitive"
