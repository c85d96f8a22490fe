"""Voice consent through HTTP: challenge, enrolment with speaker verification, clone, revoke."""

from __future__ import annotations

import datetime as dt
import io
import wave
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from audit import AuditEntry
from consent import VoiceDataDestroyed
from gateway.services import Services
from tests.factories import REFERENCE_TEXTS, IdentityProvider, bearer, spoken_wav
from watermark import CONSENTGATE_ASSERTION, read_manifest

OWNER = "olivia"
COLLEAGUE = "colin"
SAFE_TEXT = "Welcome to the new starters session. Please collect your badge at reception."


def _scope(**overrides: Any) -> dict[str, Any]:
    scope = {
        "subjects": [COLLEAGUE],
        "purposes": ["internal", "training"],
        "expires_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).isoformat(),
    }
    scope.update(overrides)
    return scope


def _token(idp: IdentityProvider, subject: str, *roles: str) -> dict[str, str]:
    return bearer(idp.token(subject, roles=list(roles or ["voice_user"]), name=subject.title()))


def _challenge(
    client: TestClient, idp: IdentityProvider, subject: str = OWNER, **scope: Any
) -> dict:
    response = client.post(
        "/v1/voices/challenge",
        json={"language": "en", "scope": _scope(**scope)},
        headers=_token(idp, subject),
    )
    assert response.status_code == 201, response.text
    return response.json()


def _files(references: list[bytes], statement: bytes) -> list[tuple[str, tuple[str, bytes, str]]]:
    files = [
        ("references", (f"ref{i}.wav", data, "audio/wav")) for i, data in enumerate(references)
    ]
    files.append(("statement", ("statement.wav", statement, "audio/wav")))
    return files


def _enrol(
    client: TestClient,
    idp: IdentityProvider,
    subject: str = OWNER,
    variant: str = "m3",
    statement_variant: str | None = None,
    **scope: Any,
) -> Any:
    challenge = _challenge(client, idp, subject, **scope)
    references = [spoken_wav(text, variant=variant) for text in REFERENCE_TEXTS[:2]]
    statement = spoken_wav(challenge["statement"], variant=statement_variant or variant)
    return client.post(
        "/v1/voices",
        data={"challenge_id": challenge["challenge_id"]},
        files=_files(references, statement),
        headers=_token(idp, subject),
    )


def _clone(
    client: TestClient,
    idp: IdentityProvider,
    voice_id: str,
    subject: str = COLLEAGUE,
    text: str = SAFE_TEXT,
    purpose: str = "internal",
    language: str = "en",
    **extra: Any,
) -> Any:
    return client.post(
        "/v1/voice-clones",
        json={
            "voice_id": voice_id,
            "text": text,
            "language": language,
            "purpose": purpose,
            **extra,
        },
        headers=_token(idp, subject),
    )


def _last(services: Services) -> AuditEntry:
    entry = services.audit.get(services.audit.head()[0])
    assert entry is not None
    return entry


def test_statement_names_the_owner_organisation_purposes_and_a_phrase(
    client: TestClient, idp: IdentityProvider
) -> None:
    challenge = _challenge(client, idp)
    text = challenge["statement"]
    assert "I, Olivia, am aware" in text and "Acme Test Org" in text
    assert "internal use, training" in text
    assert text.rstrip(".").split("My phrase is: ")[1].count(" ") == 3  # four words
    assert challenge["template_version"].endswith("/en")


def test_enrol_clone_revoke_clone(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    enrolled = _enrol(client, idp)
    assert enrolled.status_code == 201, enrolled.text
    voice = enrolled.json()
    assert voice["similarity"] >= voice["threshold"]
    entry = _last(services)
    assert (entry.action, entry.decision) == ("enrol", "allow")
    assert entry.details["voice_id"] == voice["voice_id"]
    assert entry.details["consent_id"] == voice["consent_id"]
    assert entry.details["status"] == voice["status"]
    _activated(client, idp, voice)

    cloned = _clone(client, idp, voice["voice_id"])
    assert cloned.status_code == 201, cloned.text
    body = cloned.json()
    assert body["consent_id"] == voice["consent_id"]
    wav = client.get(f"/v1/artifacts/{body['artifact_id']}", headers=_token(idp, COLLEAGUE)).content
    with wave.open(io.BytesIO(wav)) as audio:
        assert audio.getnframes() > 0
    report = read_manifest(wav, "audio/wav", services.signer.trust_anchors_pem)
    assert report.validation_state == "Trusted"
    assertion = report.assertion(CONSENTGATE_ASSERTION)
    assert assertion is not None
    assert assertion["consent_id"] == voice["consent_id"]
    assert assertion["voice_id"] == voice["voice_id"]
    assert assertion["synthetic_voice"] is True
    entry = services.audit.get(body["audit_seq"])
    assert entry is not None
    assert (entry.action, entry.decision, entry.engine) == ("generate", "allow", "voice_clone")
    assert entry.details["consent_id"] == voice["consent_id"]

    revoked = client.post(f"/v1/voices/{voice['voice_id']}/revoke", headers=_token(idp, OWNER))
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked" and revoked.json()["data_destroyed"] is True
    entry = _last(services)
    assert (entry.action, entry.decision) == ("revoke", "allow")
    assert entry.details["voice_id"] == voice["voice_id"]

    denied = _clone(client, idp, voice["voice_id"])
    assert denied.status_code == 403
    assert denied.json()["code"] == "consent_revoked"
    entry = _last(services)
    assert (entry.decision, entry.code) == ("deny", "consent_revoked")
    assert entry.details["voice_id"] == voice["voice_id"]


def test_statement_by_a_different_speaker_is_rejected(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    response = _enrol(client, idp, variant="m3", statement_variant="f4")
    assert response.status_code == 403
    assert response.json()["code"] == "consent_speaker_mismatch"
    entry = _last(services)
    assert (entry.action, entry.code) == ("enrol", "consent_speaker_mismatch")
    assert client.get("/v1/voices", headers=_token(idp, OWNER)).json() == []


def test_replayed_statement_is_rejected(client: TestClient, idp: IdentityProvider) -> None:
    first = _challenge(client, idp)
    references = [spoken_wav(t) for t in REFERENCE_TEXTS[:2]]
    statement = spoken_wav(first["statement"])
    ok = client.post(
        "/v1/voices",
        data={"challenge_id": first["challenge_id"]},
        files=_files(references, statement),
        headers=_token(idp, OWNER),
    )
    assert ok.status_code == 201
    second = _challenge(client, idp)
    replay = client.post(
        "/v1/voices",
        data={"challenge_id": second["challenge_id"]},
        files=_files([spoken_wav(REFERENCE_TEXTS[2])], statement),
        headers=_token(idp, OWNER),
    )
    assert replay.status_code == 403
    assert replay.json()["code"] == "recording_reused"


def test_challenge_is_single_use_and_bound_to_its_caller(
    client: TestClient, idp: IdentityProvider
) -> None:
    challenge = _challenge(client, idp)
    references = [spoken_wav(t) for t in REFERENCE_TEXTS[:2]]
    statement = spoken_wav(challenge["statement"])
    stolen = client.post(
        "/v1/voices",
        data={"challenge_id": challenge["challenge_id"]},
        files=_files(references, statement),
        headers=_token(idp, "mallory"),
    )
    assert stolen.status_code == 404 and stolen.json()["code"] == "challenge_not_found"
    first = client.post(
        "/v1/voices",
        data={"challenge_id": challenge["challenge_id"]},
        files=_files(references, statement),
        headers=_token(idp, OWNER),
    )
    assert first.status_code == 201
    again = client.post(
        "/v1/voices",
        data={"challenge_id": challenge["challenge_id"]},
        files=_files([spoken_wav(REFERENCE_TEXTS[2])], spoken_wav("hello there friend")),
        headers=_token(idp, OWNER),
    )
    assert again.status_code == 409 and again.json()["code"] == "challenge_used"


def _enrolled(client: TestClient, idp: IdentityProvider, **scope: Any) -> dict:
    """An enrolled, usable voice: approved by an officer if the phrase was not heard."""
    response = _enrol(client, idp, **scope)
    assert response.status_code == 201, response.text
    return _activated(client, idp, response.json())


def _activated(client: TestClient, idp: IdentityProvider, voice: dict) -> dict:
    if voice["status"] == "pending_review":
        approved = client.post(
            f"/v1/voices/{voice['voice_id']}/review",
            json={"decision": "approve", "reason": "statement heard by a reviewer"},
            headers=_token(idp, "rhea", "compliance_officer"),
        )
        assert approved.status_code == 200, approved.text
        assert approved.json()["status"] == "active"
    return voice


def test_out_of_scope_requester_and_purpose_are_denied(
    client: TestClient, idp: IdentityProvider
) -> None:
    voice = _enrolled(client, idp)
    stranger = _clone(client, idp, voice["voice_id"], subject="sam")
    assert stranger.status_code == 403 and stranger.json()["code"] == "consent_out_of_scope"
    marketing = _clone(client, idp, voice["voice_id"], purpose="research")
    assert marketing.status_code == 403 and marketing.json()["code"] == "consent_out_of_scope"
    assert _clone(client, idp, voice["voice_id"], subject=OWNER).status_code == 201  # owner may


def test_group_in_scope_admits_its_members(client: TestClient, idp: IdentityProvider) -> None:
    voice = _enrolled(client, idp, subjects=[], groups=["consentgate-voice-users"])
    member = bearer(idp.token("gina", roles=["consentgate-voice-users"]))
    response = client.post(
        "/v1/voice-clones",
        headers=member,
        json={
            "voice_id": voice["voice_id"],
            "text": SAFE_TEXT,
            "language": "en",
            "purpose": "internal",
        },
    )
    assert response.status_code == 201, response.text


def test_exhausted_consent_is_denied(client: TestClient, idp: IdentityProvider) -> None:
    voice = _enrolled(client, idp, max_uses=2)
    assert _clone(client, idp, voice["voice_id"]).status_code == 201
    assert _clone(client, idp, voice["voice_id"]).status_code == 201
    third = _clone(client, idp, voice["voice_id"])
    assert third.status_code == 403 and third.json()["code"] == "consent_exhausted"
    mine = client.get("/v1/voices", headers=_token(idp, OWNER)).json()
    assert mine[0]["uses"] == 2


def test_expired_consent_is_denied(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    from sqlalchemy import text

    voice = _enrolled(client, idp)
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    with services.db.begin() as conn:  # time passes: the consent's expiry is now behind us
        conn.execute(
            text("UPDATE consents SET scope = json_set(scope, '$.expires_at', :t) WHERE id = :c"),
            {"t": past, "c": voice["consent_id"]},
        )
    response = _clone(client, idp, voice["voice_id"])
    assert response.status_code == 403 and response.json()["code"] == "consent_expired"


def test_unknown_voice_is_consent_missing(client: TestClient, idp: IdentityProvider) -> None:
    response = _clone(client, idp, "voice_01NOSUCHVOICE00000000000000")
    assert response.status_code == 403 and response.json()["code"] == "consent_missing"


@pytest.mark.parametrize(
    "text",
    [
        "Hi, it's me. Please wire the money to the supplier today.",
        "Can you transfer the funds to the new account before noon?",
        "I need your password to fix the laptop.",
        "Send me the verification code you just received.",
        "I approve the payment, go ahead.",
        "請立即轉帳到這個帳戶。",
        "请把验证码告诉我。",
        "我批准這筆付款。",
    ],
)
def test_sensitive_text_in_someone_elses_voice_is_blocked(
    client: TestClient, services: Services, idp: IdentityProvider, text: str
) -> None:
    voice = _enrolled(client, idp)
    language = "en" if text.isascii() else "zh"
    response = _clone(client, idp, voice["voice_id"], text=text, language=language)
    assert response.status_code == 403
    assert response.json()["code"] == "content_blocked"
    entry = _last(services)
    assert (entry.code, entry.details["voice_id"]) == ("content_blocked", voice["voice_id"])
    owner_self = _clone(client, idp, voice["voice_id"], subject=OWNER, text=text, language=language)
    # By default the rules apply to every clone, the owner's own too (apply_to_own_voice).
    assert owner_self.status_code == 403 and owner_self.json()["code"] == "content_blocked"


def test_commercial_clone_with_non_commercial_model_is_licence_denied(
    client: TestClient, idp: IdentityProvider
) -> None:
    voice = _enrolled(client, idp, purposes=["commercial"], engines=["coqui/XTTS-v2"])
    response = _clone(client, idp, voice["voice_id"], purpose="commercial", model="coqui/XTTS-v2")
    assert response.status_code == 403
    assert response.json()["code"] == "licence_forbids_purpose"


def test_compliance_suspension_takes_effect_and_keeps_the_evidence(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    voice = _enrolled(client, idp)
    officer = _token(idp, "carol", "compliance_officer")
    assert (
        client.post(
            f"/v1/voices/{voice['voice_id']}/suspend",
            json={"reason": "fraud report"},
            headers=_token(idp, COLLEAGUE),
        ).status_code
        == 403
    )
    suspended = client.post(
        f"/v1/voices/{voice['voice_id']}/suspend", json={"reason": "fraud report"}, headers=officer
    )
    assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
    assert suspended.json()["data_destroyed"] is False  # kept as evidence until it is ended
    assert _last(services).action == "suspend"
    response = _clone(client, idp, voice["voice_id"])
    assert response.status_code == 403 and response.json()["code"] == "consent_suspended"
    ended = client.post(
        f"/v1/voices/{voice['voice_id']}/end", json={"reason": "fraud confirmed"}, headers=officer
    )
    assert ended.status_code == 200
    assert (ended.json()["status"], ended.json()["data_destroyed"]) == ("revoked", True)
    assert _last(services).action == "end_suspension"


def test_legal_hold_keeps_data_until_cleared(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    from consent import ConsentGrant

    voice = _enrolled(client, idp)
    officer = _token(idp, "carol", "compliance_officer")
    held = client.put(
        f"/v1/voices/{voice['voice_id']}/legal-hold", json={"hold": True}, headers=officer
    )
    assert held.status_code == 200 and held.json()["legal_hold"] is True
    revoked = client.post(
        f"/v1/voices/{voice['voice_id']}/revoke", headers=_token(idp, OWNER)
    ).json()
    assert (revoked["status"], revoked["data_destroyed"]) == ("revoked", False)
    grant = ConsentGrant(voice["consent_id"], voice["voice_id"], OWNER)
    assert services.consents.speaker_embedding(grant).shape == (256,)
    cleared = client.put(
        f"/v1/voices/{voice['voice_id']}/legal-hold", json={"hold": False}, headers=officer
    )
    assert cleared.json()["data_destroyed"] is True
    with pytest.raises(VoiceDataDestroyed):
        services.consents.speaker_embedding(grant)


def _speech_window(clip: bytes, size: int = 64) -> bytes:
    """64 bytes of the clip from its middle on that are sound, not a pause: a run of silence
    (zero samples) also occurs in any database file, and once made this test fail by chance."""
    start = len(clip) // 2
    while len(set(clip[start : start + size])) < size // 2:
        start += size
    return clip[start : start + size]


def test_no_stored_file_holds_the_audio_in_plaintext_and_revocation_shreds(
    client: TestClient, services: Services, idp: IdentityProvider, tmp_path: Path
) -> None:
    from consent import ConsentGrant

    challenge = _challenge(client, idp)
    references = [spoken_wav(t) for t in REFERENCE_TEXTS[:2]]
    statement = spoken_wav(challenge["statement"])
    voice = client.post(
        "/v1/voices",
        data={"challenge_id": challenge["challenge_id"]},
        files=_files(references, statement),
        headers=_token(idp, OWNER),
    ).json()
    _activated(client, idp, voice)
    services.db.dispose()  # flush SQLite's WAL into the database file

    needles = [_speech_window(clip) for clip in [*references, statement]]
    stored = [p for p in services.settings.data_dir.rglob("*") if p.is_file()]
    assert any(p.suffix == ".enc" for p in stored)
    for path in stored:
        content = path.read_bytes()
        assert not any(needle in content for needle in needles), path

    grant = ConsentGrant(voice["consent_id"], voice["voice_id"], OWNER)
    assert len(services.consents.reference_audio(grant)) == 2
    client.post(f"/v1/voices/{voice['voice_id']}/revoke", headers=_token(idp, OWNER))
    with pytest.raises(VoiceDataDestroyed):
        services.consents.reference_audio(grant)
    with pytest.raises(VoiceDataDestroyed):
        services.consents.speaker_embedding(grant)


def test_owner_lists_and_downloads_record_others_cannot(
    client: TestClient, idp: IdentityProvider
) -> None:
    voice = _enrolled(client, idp)
    mine = client.get("/v1/voices", headers=_token(idp, OWNER)).json()
    assert [v["voice_id"] for v in mine] == [voice["voice_id"]]
    assert client.get("/v1/voices", headers=_token(idp, COLLEAGUE)).json() == []
    record = client.get(f"/v1/voices/{voice['voice_id']}/consent", headers=_token(idp, OWNER))
    assert record.status_code == 200
    assert record.json()["record"]["consent_id"] == voice["consent_id"]
    other = client.get(f"/v1/voices/{voice['voice_id']}/consent", headers=_token(idp, COLLEAGUE))
    assert other.status_code == 404
    officer = client.get(
        f"/v1/voices/{voice['voice_id']}/consent",
        headers=_token(idp, "carol", "compliance_officer"),
    )
    assert officer.status_code == 200
    revoke_other = client.post(
        f"/v1/voices/{voice['voice_id']}/revoke", headers=_token(idp, COLLEAGUE)
    )
    assert revoke_other.status_code == 404


@pytest.mark.parametrize(
    ("references", "statement", "status", "code"),
    [
        ([b"just some text, not audio at all"], None, 415, "audio_unsupported"),
        ([b"RIFF\x00\x00\x00\x00WAVEjunkjunk"], None, 422, "audio_invalid"),
        ([b"RIFF" + b"\x00" * (11 * 1024 * 1024)], None, 413, "audio_too_large"),
        ("short", None, 422, "audio_invalid"),
        ("six", None, 422, "references_count"),
    ],
)
def test_bad_uploads_are_4xx_problem_json(
    client: TestClient,
    services: Services,
    idp: IdentityProvider,
    references: Any,
    statement: bytes | None,
    status: int,
    code: str,
) -> None:
    challenge = _challenge(client, idp)
    if references == "short":
        references = [spoken_wav("Hi")]
    elif references == "six":
        references = [spoken_wav(f"Recording number {n} of six.") for n in range(6)]
    response = client.post(
        "/v1/voices",
        data={"challenge_id": challenge["challenge_id"]},
        files=_files(references, statement or spoken_wav(challenge["statement"])),
        headers=_token(idp, OWNER),
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert (_last(services).action, _last(services).code) == ("enrol", code)


@pytest.mark.parametrize(
    ("scope", "language", "status", "code"),
    [
        ({"expires_at": "2001-01-01T00:00:00Z"}, "en", 422, "consent_scope_invalid"),
        ({"expires_at": "2099-01-01T00:00:00Z"}, "en", 422, "consent_scope_invalid"),
        ({"purposes": []}, "en", 422, "invalid_request"),
        ({"engines": ["acme/unknown-clone"]}, "en", 422, "engine_unknown"),
        ({}, "klingon", 422, "statement_language_unsupported"),
    ],
)
def test_bad_challenges_are_refused(
    client: TestClient, idp: IdentityProvider, scope: dict, language: str, status: int, code: str
) -> None:
    response = client.post(
        "/v1/voices/challenge",
        json={"language": language, "scope": _scope(**scope)},
        headers=_token(idp, OWNER),
    )
    assert response.status_code == status, response.text
    assert response.json()["code"] == code


def test_enrolment_needs_the_voice_user_role(client: TestClient, idp: IdentityProvider) -> None:
    response = client.post(
        "/v1/voices/challenge",
        json={"language": "en", "scope": _scope()},
        headers=_token(idp, OWNER, "employee"),
    )
    assert response.status_code == 403 and response.json()["code"] == "role_forbidden"


@pytest.mark.parametrize("language", ["zh-Hant", "zh-Hans", "vi", "th"])
def test_statements_in_other_languages(
    client: TestClient, idp: IdentityProvider, language: str
) -> None:
    response = client.post(
        "/v1/voices/challenge",
        json={"language": language, "scope": _scope()},
        headers=_token(idp, OWNER),
    )
    assert response.status_code == 201
    assert "Acme Test Org" in response.json()["statement"]
    assert response.json()["template_version"].endswith(f"/{language}")


def test_a_retried_clone_spends_one_consent_use(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    voice = _enrolled(client, idp, max_uses=2)
    key = {"Idempotency-Key": "clone-retry-1"}
    body = {
        "voice_id": voice["voice_id"],
        "text": SAFE_TEXT,
        "language": "en",
        "purpose": "internal",
    }
    headers = {**_token(idp, COLLEAGUE), **key}
    first = client.post("/v1/voice-clones", json=body, headers=headers)
    retry = client.post("/v1/voice-clones", json=body, headers=headers)

    assert first.status_code == retry.status_code == 201
    assert retry.json()["artifact_id"] == first.json()["artifact_id"]
    mine = client.get("/v1/voices", headers=_token(idp, OWNER)).json()
    assert mine[0]["uses"] == 1
    allowed = services.audit.get(first.json()["audit_seq"])
    assert allowed is not None and allowed.details["consent_uses"] == 1
