"""Copies caught by content, through HTTP: perturbed copies of an enrolled recording (shredded
or not) are refused ``recording_reused``, a statement copied from its own reference
``statement_is_reference``; new takes, and browser recordings (WebM/Opus, Ogg/Opus), enrol."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from gateway.services import Services
from tests.factories import REFERENCE_TEXTS, IdentityProvider, bearer
from tests.recordings import COPIES, ogg_opus, take, wav, webm_opus

OWNER = "olivia"
_MIME = {b"RIFF": "audio/wav", b"\x1aE\xdf\xa3": "audio/webm", b"OggS": "audio/ogg"}


def _token(idp: IdentityProvider, subject: str = OWNER) -> dict[str, str]:
    return bearer(idp.token(subject, roles=["voice_user"], name=subject.title()))


def _challenge(client: TestClient, idp: IdentityProvider) -> dict[str, Any]:
    expires = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).isoformat()
    response = client.post(
        "/v1/voices/challenge",
        json={"language": "en", "scope": {"purposes": ["internal"], "expires_at": expires}},
        headers=_token(idp),
    )
    assert response.status_code == 201, response.text
    return response.json()


def _part(field: str, name: str, data: bytes) -> tuple[str, tuple[str, bytes, str]]:
    """A multipart file part declared as a browser would (the gateway sniffs the bytes)."""
    return field, (name, data, _MIME.get(data[:4], "application/octet-stream"))


def _enrol(
    client: TestClient,
    idp: IdentityProvider,
    references: list[bytes],
    statement: Any,
) -> Any:
    """Enrol with ``statement`` given as bytes, or as a function of the challenge's text."""
    challenge = _challenge(client, idp)
    spoken = statement(challenge["statement"]) if callable(statement) else statement
    files = [_part("references", f"ref{i}", data) for i, data in enumerate(references)]
    files.append(_part("statement", "statement", spoken))
    return client.post(
        "/v1/voices",
        data={"challenge_id": challenge["challenge_id"]},
        files=files,
        headers=_token(idp),
    )


def _refused_with(response: Any, status: int, code: str, services: Services) -> None:
    assert (response.status_code, response.json()["code"]) == (status, code), response.text
    entry = services.audit.get(services.audit.head()[0])
    assert entry is not None
    assert (entry.action, entry.decision, entry.code) == ("enrol", "deny", code)


@pytest.fixture(scope="module")
def original() -> dict[str, np.ndarray]:
    return {"first": take(REFERENCE_TEXTS[0]), "second": take(REFERENCE_TEXTS[1])}


def test_each_perturbed_copy_is_refused_while_a_new_take_enrols(
    client: TestClient,
    services: Services,
    idp: IdentityProvider,
    original: dict[str, np.ndarray],
) -> None:
    first = _enrol(
        client,
        idp,
        [wav(original["first"]), wav(original["second"])],
        lambda text: wav(take(text)),
    )
    assert first.status_code == 201, first.text
    statement_then = first.json()
    new_reference = wav(take(REFERENCE_TEXTS[2]))
    for name, perturb in COPIES.items():
        copied = perturb(original["first"])
        response = _enrol(client, idp, [copied, new_reference], lambda t: wav(take(t, pitch=60)))
        assert response.status_code == 403, f"{name}: {response.text}"
        _refused_with(response, 403, "recording_reused", services)
    # a new take of each recording: another text, another pitch, another speed
    again = _enrol(
        client,
        idp,
        [new_reference, wav(take(REFERENCE_TEXTS[0], pitch=60))],
        lambda text: wav(take(text, rate_wpm=140)),
    )
    assert again.status_code == 201, again.text
    assert again.json()["voice_id"] != statement_then["voice_id"]


def test_a_copy_of_an_earlier_statement_is_refused(
    client: TestClient, services: Services, idp: IdentityProvider, original: dict[str, np.ndarray]
) -> None:
    statements: list[np.ndarray] = []

    def spoken(text: str) -> bytes:
        statements.append(take(text))
        return wav(statements[-1])

    first = _enrol(client, idp, [wav(original["first"]), wav(original["second"])], spoken)
    assert first.status_code == 201, first.text
    replay = _enrol(
        client,
        idp,
        [wav(take(REFERENCE_TEXTS[2], pitch=60)), wav(take(REFERENCE_TEXTS[1], pitch=60))],
        COPIES["opus webm"](statements[0]),
    )
    _refused_with(replay, 403, "recording_reused", services)


def test_a_statement_copied_from_its_own_reference_is_refused(
    client: TestClient, services: Services, idp: IdentityProvider, original: dict[str, np.ndarray]
) -> None:
    references = [wav(original["first"]), wav(original["second"])]
    for perturbation in ("byte appended", "mp3", "trimmed at the end"):
        copied = _enrol(client, idp, references, COPIES[perturbation](original["second"]))
        _refused_with(copied, 422, "statement_is_reference", services)
    same_bytes = _enrol(client, idp, references, references[0])
    _refused_with(same_bytes, 422, "statement_is_reference", services)
    assert client.get("/v1/voices", headers=_token(idp)).json() == []


def test_a_shredded_voice_recordings_stay_refused(
    client: TestClient, services: Services, idp: IdentityProvider, original: dict[str, np.ndarray]
) -> None:
    enrolled = _enrol(
        client,
        idp,
        [wav(original["first"]), wav(original["second"])],
        lambda text: wav(take(text)),
    )
    assert enrolled.status_code == 201, enrolled.text
    voice_id = enrolled.json()["voice_id"]
    revoked = client.post(f"/v1/voices/{voice_id}/revoke", headers=_token(idp))
    assert revoked.json()["data_destroyed"] is True
    copy = _enrol(
        client,
        idp,
        [COPIES["gain -3 dB"](original["second"]), wav(take(REFERENCE_TEXTS[2]))],
        lambda text: wav(take(text, pitch=60)),
    )
    _refused_with(copy, 403, "recording_reused", services)


@pytest.mark.parametrize("encode", [webm_opus, ogg_opus], ids=["webm", "ogg"])
def test_browser_recordings_enrol(
    client: TestClient, services: Services, idp: IdentityProvider, encode: Any
) -> None:
    """Chromium's MediaRecorder gives audio/webm;codecs=opus (48 kHz); Firefox Ogg/Opus."""
    references = [encode(take(text, variant="f3")) for text in REFERENCE_TEXTS[:2]]
    enrolled = _enrol(client, idp, references, lambda text: encode(take(text, variant="f3")))
    assert enrolled.status_code == 201, enrolled.text
    body = enrolled.json()
    assert body["similarity"] >= body["threshold"]
    document = client.get(f"/v1/voices/{body['voice_id']}/consent", headers=_token(idp)).json()
    expected = "audio/webm" if encode is webm_opus else "audio/ogg"
    assert [a["mime_type"] for a in document["record"]["audio"]] == [expected] * 3


def test_a_webm_input_is_accepted(client: TestClient, idp: IdentityProvider) -> None:
    data = webm_opus(take(REFERENCE_TEXTS[0]))
    response = client.post(
        "/v1/inputs",
        files={"file": ("melody.webm", data, "audio/webm;codecs=opus")},
        data={"licence": "own-recording"},
        headers=bearer(idp.token("alice")),
    )
    assert response.status_code == 201, response.text
    assert response.json()["mime_type"] == "audio/webm"
