"""The consent registry (/ui/registry) and file verification (/ui/verify), for compliance officers:
every owner's voices with scope, uses and state; suspend, resume, end and legal hold through the
voice desk the API uses (a suspended voice is refused to the next clone with the API's code); a
file judged by the API's FileVerifier. Changes without the form's CSRF token, and an employee's,
are refused, audited, and change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from gateway.edge import DEFAULT_LIMITS, VERIFY_MAX_BYTES, VERIFY_MAX_PARTS, BodyLimit
from gateway.services import Services
from tests.factories import IdentityProvider, bearer
from tests.integration.ui.test_review_pages import (
    COLLEAGUE,
    OWNER,
    enrol_pending,
    error_code,
    voice_status,
)
from tests.integration.ui.workspace import csrf_token, entries, oidc_sign_in

IMAGE = {"prompt": "a lighthouse at dusk", "purpose": "internal", "seed": 7}


@pytest.fixture
def voice(ui: TestClient, oidc_idp: IdentityProvider) -> str:
    """An approved voice (approved through the API)."""
    voice_id = enrol_pending(ui, oidc_idp, OWNER)
    officer = bearer(oidc_idp.token("auditor", roles=["compliance_officer"]))
    body = {"decision": "approve", "reason": "statement heard"}
    approved = ui.post(f"/v1/voices/{voice_id}/review", json=body, headers=officer)
    assert approved.status_code == 200, approved.text
    return voice_id


def _clone(ui: TestClient, idp: IdentityProvider, voice_id: str) -> Any:
    body = {"voice_id": voice_id, "text": "Welcome.", "language": "en", "purpose": "internal"}
    headers = bearer(idp.token(COLLEAGUE, roles=["voice_user"]))
    return ui.post("/v1/voice-clones", json=body, headers=headers)


def _registry_token(ui: TestClient) -> str:
    page = ui.get("/ui/registry")
    assert page.status_code == 200, page.text
    return csrf_token(page.text)


def test_the_registry_lists_every_owners_voice_with_its_scope(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services, voice: str
) -> None:
    oidc_sign_in(ui, oidc_idp, "rhea")

    page = ui.get("/ui/registry")
    suspended_only = ui.get("/ui/registry", params={"status": "suspended"})

    assert page.status_code == 200
    assert f'data-testid="voice-{voice}"' in page.text and OWNER in page.text
    assert f'<span class="tag">{COLLEAGUE}</span>' in page.text  # who may use it
    assert f"/ui/registry/{voice}/suspend" in page.text
    for link in (
        f"/ui/voices/{voice}",
        f"/ui/voices/{voice}/consent",
        f"/ui/audit?voice_id={voice}",
    ):
        assert f'href="{link}"' in page.text
    assert voice not in suspended_only.text
    listed = entries(oidc_services, action="list_voices", subject="rhea")
    assert [(e.details["status"], e.details["all_owners"]) for e in listed] == [
        (None, True),
        ("suspended", True),
    ]
    bad = ui.get("/ui/registry", params={"status": "deleted"})
    assert bad.status_code == 422 and error_code(bad) == "invalid_request"


def test_suspend_stops_the_next_clone_then_resume_and_end(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services, voice: str
) -> None:
    oidc_sign_in(ui, oidc_idp, "rhea")
    token = _registry_token(ui)

    suspended = ui.post(
        f"/ui/registry/{voice}/suspend", data={"csrf_token": token, "reason": "complaint"}
    )

    assert suspended.status_code == 303
    assert suspended.headers["location"] == f"/ui/registry?changed={voice}"
    (entry,) = entries(oidc_services, action="suspend")
    assert (entry.subject, entry.reason, entry.details["status"]) == (
        "rhea",
        "suspended: complaint",
        "suspended",
    )
    denied = _clone(ui, oidc_idp, voice)
    assert denied.status_code == 403 and denied.json()["code"] == "consent_suspended"
    shown = ui.get(suspended.headers["location"])
    assert 'data-testid="registry-changed"' in shown.text
    assert f"/ui/registry/{voice}/resume" in shown.text

    assert ui.post(f"/ui/registry/{voice}/resume", data={"csrf_token": token}).status_code == 303
    assert voice_status(ui, oidc_idp, voice) == "active"
    again = ui.post(f"/ui/registry/{voice}/resume", data={"csrf_token": token})
    assert again.status_code == 409 and error_code(again) == "voice_not_suspended"

    ui.post(f"/ui/registry/{voice}/suspend", data={"csrf_token": token, "reason": "again"})
    ended = ui.post(f"/ui/registry/{voice}/end", data={"csrf_token": token, "reason": "upheld"})
    assert ended.status_code == 303
    (end,) = entries(oidc_services, action="end_suspension")
    assert (end.details["status"], end.details["data_destroyed"]) == ("revoked", True)


def test_a_legal_hold_keeps_an_ended_voices_data(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services, voice: str
) -> None:
    oidc_sign_in(ui, oidc_idp, "rhea")
    token = _registry_token(ui)

    held = ui.post(f"/ui/registry/{voice}/legal-hold", data={"csrf_token": token, "hold": "true"})
    ui.post(f"/ui/registry/{voice}/suspend", data={"csrf_token": token, "reason": "dispute"})
    ui.post(f"/ui/registry/{voice}/end", data={"csrf_token": token, "reason": "upheld"})

    assert held.status_code == 303
    (hold,) = entries(oidc_services, action="legal_hold")
    assert hold.details["legal_hold"] is True
    (end,) = entries(oidc_services, action="end_suspension")
    assert (end.details["status"], end.details["data_destroyed"]) == ("revoked", False)
    page = ui.get("/ui/registry")
    assert "Release legal hold" in page.text


def test_a_change_without_the_csrf_token_is_refused_audited_and_changes_nothing(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services, voice: str
) -> None:
    oidc_sign_in(ui, oidc_idp, "rhea")

    refused = ui.post(f"/ui/registry/{voice}/suspend", data={"reason": "complaint"})
    forged = ui.post(
        f"/ui/registry/{voice}/suspend", data={"reason": "complaint", "csrf_token": "forged"}
    )

    for answer in (refused, forged):
        assert answer.status_code == 403 and error_code(answer) == "csrf_failed"
    assert [e.subject for e in entries(oidc_services, code="csrf_failed")] == ["rhea", "rhea"]
    assert entries(oidc_services, action="suspend") == []
    assert voice_status(ui, oidc_idp, voice) == "active"


def test_an_employee_is_refused_the_registry_and_its_changes(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services, voice: str
) -> None:
    oidc_sign_in(ui, oidc_idp, "ann")
    token = csrf_token(ui.get("/ui").text)

    page = ui.get("/ui/registry")
    suspend = ui.post(f"/ui/registry/{voice}/suspend", data={"csrf_token": token, "reason": "x"})
    hold = ui.post(f"/ui/registry/{voice}/legal-hold", data={"csrf_token": token, "hold": "true"})

    for refused in (page, suspend, hold):
        assert refused.status_code == 403 and error_code(refused) == "role_forbidden"
    refusals = entries(oidc_services, code="role_forbidden", subject="ann")
    assert [e.action for e in refusals] == ["review_voice", "revoke", "revoke"]  # casbin's
    assert [e.details.get("voice_id") for e in refusals] == [None, voice, voice]
    assert voice_status(ui, oidc_idp, voice) == "active"


def test_the_pages_read_in_traditional_chinese(ui: TestClient, oidc_idp: IdentityProvider) -> None:
    oidc_sign_in(ui, oidc_idp, "rhea")
    chinese = {"Accept-Language": "zh-TW"}

    for path, title in (
        ("/ui/review", "審核佇列"),
        ("/ui/registry", "同意登記簿"),
        ("/ui/verify", "驗證檔案"),
    ):
        page = ui.get(path, headers=chinese)
        assert page.status_code == 200 and f"<h1>{title}</h1>" in page.text


# -- /ui/verify ------------------------------------------------------------------------------


def _signed_image(ui: TestClient, idp: IdentityProvider, subject: str) -> tuple[bytes, int]:
    """An image the gateway generated and signed for ``subject``, and its audit seq."""
    token = bearer(idp.token(subject, roles=["employee"]))
    made = ui.post("/v1/images", json=IMAGE, headers=token)
    assert made.status_code == 201, made.text
    data = ui.get(f"/v1/artifacts/{made.json()['artifact_id']}", headers=token).content
    return data, int(made.json()["audit_seq"])


def _verify(ui: TestClient, data: bytes, token: str | None) -> Any:
    form = {} if token is None else {"csrf_token": token}
    return ui.post("/ui/verify", data=form, files={"file": ("made.png", data, "image/png")})


def test_a_file_we_signed_reads_as_ours_with_its_entry_for_an_officer(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    data, seq = _signed_image(ui, oidc_idp, "ann")
    oidc_sign_in(ui, oidc_idp, "rhea")

    result = _verify(ui, data, csrf_token(ui.get("/ui/verify").text))

    assert result.status_code == 200, result.text
    assert 'data-testid="signed-by-us"' in result.text
    assert 'data-testid="verify-state">Valid manifest<' in result.text
    assert 'data-testid="audit-entry"' in result.text
    assert f'<a href="/ui/audit/{seq}">{seq}</a>' in result.text
    (entry,) = entries(oidc_services, action="verify")
    assert (entry.subject, entry.details["state"], entry.details["signed_by_us"]) == (
        "rhea",
        "valid",
        True,
    )
    assert (entry.details["record"], entry.details["shown_seq"]) == ("shown", seq)


def test_the_requester_sees_their_own_entry_without_a_link_to_the_audit_pages(
    ui: TestClient, oidc_idp: IdentityProvider
) -> None:
    data, seq = _signed_image(ui, oidc_idp, "ann")
    oidc_sign_in(ui, oidc_idp, "ann")

    result = _verify(ui, data, csrf_token(ui.get("/ui/verify").text))

    assert 'data-testid="audit-entry"' in result.text and f"<dd>{seq}</dd>" in result.text
    assert "/ui/audit" not in result.text


def test_someone_elses_entry_is_withheld_and_junk_is_a_page_with_its_code(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    data, _ = _signed_image(ui, oidc_idp, "rhea")
    oidc_sign_in(ui, oidc_idp, "ann")  # an employee: may verify, not see another's entry
    token = csrf_token(ui.get("/ui/verify").text)

    withheld = _verify(ui, data, token)
    junk = _verify(ui, b"not a picture at all", token)

    assert withheld.status_code == 200 and 'data-testid="signed-by-us"' in withheld.text
    assert 'data-testid="audit-entry"' not in withheld.text
    assert junk.status_code == 415 and error_code(junk) == "file_type_unsupported"
    codes = [e.code for e in entries(oidc_services, action="verify", subject="ann")]
    assert codes == ["ok", "file_type_unsupported"]


def test_a_file_posted_without_the_csrf_token_is_refused_and_audited(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    oidc_sign_in(ui, oidc_idp, "rhea")

    refused = _verify(ui, b"\x89PNG whatever", None)

    assert refused.status_code == 403 and error_code(refused) == "csrf_failed"
    (entry,) = entries(oidc_services, code="csrf_failed")
    assert entry.details["path"] == "/ui/verify"
    assert entries(oidc_services, action="verify") == []


def test_the_page_takes_a_file_as_large_as_the_api_does() -> None:
    limit = DEFAULT_LIMITS.for_request("POST", "/ui/verify")

    assert limit == DEFAULT_LIMITS.for_request("POST", "/v1/verify")
    assert limit == BodyLimit(VERIFY_MAX_BYTES, VERIFY_MAX_PARTS)
    assert DEFAULT_LIMITS.for_request("POST", "/ui/verify/") == DEFAULT_LIMITS.default
