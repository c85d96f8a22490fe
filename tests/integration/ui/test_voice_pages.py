"""Voice owners' pages through the app: enrolment in two steps (the statement, then the
recordings), one voice with its uses and its record, revocation; each through the voice desk
as its API twin, so refused and recorded the same way."""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from gateway.edge import DEFAULT_LIMITS
from gateway.services import Services
from tests.factories import REFERENCE_TEXTS, IdentityProvider, bearer, spoken_wav
from tests.integration.ui.workspace import csrf_token, entries, oidc_sign_in

OWNER = "vic"  # a voice user through the IdP's group (conftest)
_STATEMENT = re.compile(r'data-testid="statement">([^<]+)<')
_CHALLENGE = re.compile(r'name="challenge_id" value="([^"]+)"')
_VOICE_ID = re.compile(r'data-testid="voice-id">([^<]+)<')


@functools.cache
def _references(variant: str = "m3") -> tuple[bytes, ...]:
    return tuple(spoken_wav(text, variant=variant) for text in REFERENCE_TEXTS[:2])


def _scope_form(page: str, **fields: Any) -> dict[str, Any]:
    until = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30)
    form = {
        "csrf_token": csrf_token(page),
        "language": "en",
        "subjects": "colin, dana",
        "purposes": ["internal", "training"],
        "expires_on": until.isoformat(),
        "max_uses": "5",
    }
    return {**form, **fields}


def _statement_page(ui: TestClient, **fields: Any) -> httpx.Response:
    form_page = ui.get("/ui/voices/new")
    assert form_page.status_code == 200, form_page.text
    return ui.post("/ui/voices/new", data=_scope_form(form_page.text, **fields))


def _enrol(
    ui: TestClient,
    statement_variant: str = "m3",
    by_script: bool = True,
    statement: bytes | None = None,
) -> httpx.Response:
    """Both steps as the page's script sends them (the recordings by fetch, the CSRF token in
    the X-CSRF-Token header), or as the plain form does without it (the token a field).
    ``statement``: sent instead of the statement read in ``statement_variant``'s voice."""
    page = _statement_page(ui)
    assert page.status_code == 200, page.text
    statement_match, challenge_match = _STATEMENT.search(page.text), _CHALLENGE.search(page.text)
    assert statement_match and challenge_match, page.text
    spoken = statement or spoken_wav(html.unescape(statement_match[1]), variant=statement_variant)
    files = [
        ("references", (f"ref{i}.wav", data, "audio/wav")) for i, data in enumerate(_references())
    ]
    files.append(("statement", ("statement.wav", spoken, "audio/wav")))
    token = csrf_token(page.text)
    fields = {"challenge_id": challenge_match[1]}
    if not by_script:
        return ui.post("/ui/voices/enrol", data={**fields, "csrf_token": token}, files=files)
    return ui.post("/ui/voices/enrol", data=fields, files=files, headers={"X-CSRF-Token": token})


def _enrolled(ui: TestClient, idp: IdentityProvider) -> str:
    oidc_sign_in(ui, idp, OWNER)
    result = _enrol(ui)
    assert result.status_code == 201, result.text
    match = _VOICE_ID.search(result.text)
    assert match
    return match[1]


def _api_voices(ui: TestClient, idp: IdentityProvider) -> dict[str, Any]:
    token = bearer(idp.token(OWNER, roles=["voice_user"]))
    response = ui.get("/v1/voices", headers=token)
    assert response.status_code == 200, response.text
    return {voice["voice_id"]: voice for voice in response.json()}


def test_the_enrol_form_offers_the_served_languages(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    oidc_sign_in(ui, oidc_idp, OWNER)

    page = ui.get("/ui/voices/new")

    offered = re.findall(r'<option value="([^"]+)"', page.text)
    assert sorted(offered) == sorted(oidc_services.statements.languages())
    assert len(offered) == 5


def test_an_employee_is_refused_the_enrol_form_as_the_api_refuses_enrolment(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    oidc_sign_in(ui, oidc_idp, "ann")

    refused = ui.get("/ui/voices/new")

    assert refused.status_code == 403
    assert 'data-testid="error-code">role_forbidden<' in refused.text
    (entry,) = entries(oidc_services, code="role_forbidden")
    assert (entry.action, entry.subject) == ("enrol", "ann")
    assert 'href="/ui/voices/new"' not in ui.get("/ui/voices").text  # no link to a refusal


@pytest.mark.parametrize("by_script", [True, False], ids=["script", "plain form"])
def test_a_voice_enrolled_through_the_pages_is_the_apis_voice(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services, by_script: bool
) -> None:
    oidc_sign_in(ui, oidc_idp, OWNER)

    result = _enrol(ui, by_script=by_script)

    assert result.status_code == 201, result.text
    match = _VOICE_ID.search(result.text)
    assert match
    voice = _api_voices(ui, oidc_idp)[match[1]]
    assert voice["status"] in ("active", "pending_review")
    assert f'data-testid="consent-id">{voice["consent_id"]}<' in result.text
    assert voice["scope"]["subjects"] == ["colin", "dana"] and voice["max_uses"] == 5
    (challenge,) = entries(oidc_services, action="challenge", decision="allow")
    assert challenge.subject == OWNER
    (enrolled,) = entries(oidc_services, action="enrol", decision="allow")
    assert enrolled.subject == OWNER and enrolled.details["voice_id"] == voice["voice_id"]
    listing = ui.get("/ui/voices")
    assert f'href="/ui/voices/{voice["voice_id"]}"' in listing.text
    assert 'href="/ui/voices/new"' in listing.text
    assert ui.get("/ui/static/enrol.js").status_code == 200  # the recorder the page names


def test_a_statement_by_someone_else_is_refused_on_the_page_with_its_code(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    oidc_sign_in(ui, oidc_idp, OWNER)

    refused = _enrol(ui, statement_variant="f2")

    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"].startswith("text/html")
    assert 'data-testid="error-code">consent_speaker_mismatch<' in refused.text
    assert "does not sound like the same person" in refused.text
    (entry,) = entries(oidc_services, action="enrol", decision="deny")
    assert entry.code == "consent_speaker_mismatch"


def test_a_statement_that_is_no_audio_is_refused_on_the_page_with_its_code(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    oidc_sign_in(ui, oidc_idp, OWNER)

    refused = _enrol(ui, statement=b"%PDF-1.7 not a recording")

    assert refused.status_code == 415, refused.text
    assert 'data-testid="error-code">audio_unsupported<' in refused.text
    assert "is not WAV, FLAC, MP3, OGG or WebM" in refused.text
    (entry,) = entries(oidc_services, action="enrol", code="audio_unsupported")
    assert entry.subject == OWNER


def test_a_scope_without_a_purpose_is_a_page_with_its_code(
    ui: TestClient, oidc_idp: IdentityProvider
) -> None:
    oidc_sign_in(ui, oidc_idp, OWNER)

    refused = _statement_page(ui, purposes=[])

    assert refused.status_code == 422
    assert 'data-testid="error-code">invalid_request<' in refused.text


def test_the_owner_sees_the_voice_its_uses_and_downloads_the_record(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    voice_id = _enrolled(ui, oidc_idp)

    page = ui.get(f"/ui/voices/{voice_id}")
    record = ui.get(f"/ui/voices/{voice_id}/consent")

    assert page.status_code == 200
    assert 'data-testid="voice-uses"' in page.text and "Not used yet." in page.text
    (uses,) = entries(oidc_services, action="read_voice_uses")
    assert (uses.subject, uses.details["voice_id"]) == (OWNER, voice_id)
    assert record.status_code == 200
    assert record.headers["content-disposition"].startswith("attachment; filename=")
    document = record.json()
    assert document["record"]["voice_id"] == voice_id and document["signature"]["value"]
    (read,) = entries(oidc_services, action="read_consent")
    assert read.subject == OWNER


def test_another_users_voice_is_not_found_like_the_api(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    voice_id = _enrolled(ui, oidc_idp)
    oidc_sign_in(ui, oidc_idp, "ann")

    page = ui.get(f"/ui/voices/{voice_id}")
    record = ui.get(f"/ui/voices/{voice_id}/consent")
    api = ui.get(f"/v1/voices/{voice_id}/uses", headers=bearer(oidc_idp.token("ann")))

    assert page.status_code == record.status_code == api.status_code == 404
    assert 'data-testid="error-code">voice_not_found<' in page.text
    assert api.json()["code"] == "voice_not_found"
    refused = entries(oidc_services, subject="ann", code="voice_not_found")
    assert [e.action for e in refused] == ["read_voice_uses", "read_consent", "read_voice_uses"]


def test_a_revoke_without_the_csrf_token_is_refused_and_audited(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    voice_id = _enrolled(ui, oidc_idp)

    refused = ui.post(f"/ui/voices/{voice_id}/revoke", data={})
    forged = ui.post(f"/ui/voices/{voice_id}/revoke", data={"csrf_token": "forged"})

    assert refused.status_code == forged.status_code == 403
    assert 'data-testid="error-code">csrf_failed<' in refused.text
    found = entries(oidc_services, code="csrf_failed")
    assert [(e.subject, e.details["path"]) for e in found] == [
        (OWNER, f"/ui/voices/{voice_id}/revoke")
    ] * 2
    assert _api_voices(ui, oidc_idp)[voice_id]["status"] != "revoked"
    assert entries(oidc_services, action="revoke") == []


def test_revoking_on_the_page_revokes_the_voice_in_the_api(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    voice_id = _enrolled(ui, oidc_idp)
    page = ui.get(f"/ui/voices/{voice_id}")
    assert f'action="/ui/voices/{voice_id}/revoke"' in page.text and "data-confirm=" in page.text

    revoked = ui.post(f"/ui/voices/{voice_id}/revoke", data={"csrf_token": csrf_token(page.text)})

    assert revoked.status_code == 303
    assert revoked.headers["location"] == f"/ui/voices/{voice_id}?revoked=1"
    assert _api_voices(ui, oidc_idp)[voice_id]["status"] == "revoked"
    (entry,) = entries(oidc_services, action="revoke")
    assert (entry.decision, entry.subject, entry.details["voice_id"]) == ("allow", OWNER, voice_id)
    after = ui.get(revoked.headers["location"])
    assert f'action="/ui/voices/{voice_id}/revoke"' not in after.text  # nothing left to revoke


def test_someone_elses_voice_cannot_be_revoked_from_the_page(
    ui: TestClient, oidc_idp: IdentityProvider
) -> None:
    voice_id = _enrolled(ui, oidc_idp)
    oidc_sign_in(ui, oidc_idp, "ann")
    page = ui.get("/ui")

    refused = ui.post(f"/ui/voices/{voice_id}/revoke", data={"csrf_token": csrf_token(page.text)})

    assert refused.status_code == 404
    assert _api_voices(ui, oidc_idp)[voice_id]["status"] != "revoked"


def test_the_enrol_post_takes_the_apis_body_limit() -> None:
    """The default for /ui (1 MiB, 8 parts) would refuse a statement and five references."""
    page = DEFAULT_LIMITS.for_request("POST", "/ui/voices/enrol")

    assert page == DEFAULT_LIMITS.for_request("POST", "/v1/voices")
    assert page != DEFAULT_LIMITS.default
