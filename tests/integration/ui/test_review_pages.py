"""The review queue (/ui/review): an officer sees the pending enrolments, reads the statement and
its phrase, plays the spoken statement and approves or rejects with a reason, each through the
voice desk the API uses, so each leaves the API's entry; a decision without the form's CSRF
token, an employee's, and an officer's on their own enrolment are refused, audited, and change
nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gateway.services import Services
from tests.factories import REFERENCE_TEXTS, IdentityProvider, bearer, issue_challenge, spoken_wav
from tests.integration.ui.workspace import csrf_token, entries, oidc_sign_in

OWNER, COLLEAGUE = "olivia", "colin"
OFFICER_WHO_ENROLS = "otto"  # a compliance officer who is a voice user too
UNRELATED = "Our new training videos explain each step of the assembly line clearly."


def enrol_pending(client: TestClient, idp: IdentityProvider, subject: str) -> str:
    """A voice that waits for review, enrolled through the API: the statement recording is
    not the statement (so its phrase is never heard), as tests/integration/test_voice_review.py
    enrols one. Returns its voice id."""
    headers = bearer(idp.token(subject, roles=["voice_user"], name=subject.title()))
    challenge = issue_challenge(client, headers, [COLLEAGUE])
    files = [
        ("references", (f"r{i}.wav", spoken_wav(text), "audio/wav"))
        for i, text in enumerate(REFERENCE_TEXTS[:2])
    ]
    files.append(("statement", ("s.wav", spoken_wav(UNRELATED), "audio/wav")))
    response = client.post(
        "/v1/voices", data={"challenge_id": challenge["challenge_id"]}, files=files, headers=headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "pending_review"
    return str(response.json()["voice_id"])


def voice_status(client: TestClient, idp: IdentityProvider, voice_id: str) -> str:
    """The voice's state as the API shows it to an officer."""
    officer = bearer(idp.token("auditor", roles=["compliance_officer"]))
    voices = client.get("/v1/voices", headers=officer).json()
    return str(next(v["status"] for v in voices if v["voice_id"] == voice_id))


def error_code(page: Any) -> str:
    match = re.search(r'data-testid="error-code">([^<]+)<', page.text)
    assert match, page.text
    return match[1]


@pytest.fixture
def pending(ui: TestClient, oidc_idp: IdentityProvider) -> str:
    return enrol_pending(ui, oidc_idp, OWNER)


def test_an_officer_reads_hears_and_approves_a_pending_voice(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services, pending: str
) -> None:
    oidc_sign_in(ui, oidc_idp, "rhea")

    queue = ui.get("/ui/review")
    assert queue.status_code == 200 and pending in queue.text
    assert 'data-testid="own-enrolment"' not in queue.text
    (listed,) = entries(oidc_services, action="list_voices", subject="rhea")
    assert (listed.details["status"], listed.details["all_owners"]) == ("pending_review", True)
    assert listed.details["path"] == "/ui/review"

    opened = ui.get(f"/ui/review/{pending}")
    record = oidc_services.consents.document(pending, "rhea", True)["record"]
    assert opened.status_code == 200
    assert f'data-testid="phrase">{record["statement"]["phrase"]}<' in opened.text
    assert record["statement"]["text"] in opened.text
    assert entries(oidc_services, action="read_consent", subject="rhea")

    audio = ui.get(f"/ui/review/{pending}/statement")
    assert audio.status_code == 200 and audio.content[:4] == b"RIFF"
    assert audio.headers["cache-control"] == "no-store"
    (heard,) = entries(oidc_services, action="read_statement", subject="rhea")
    assert heard.details["voice_id"] == pending

    form = {"csrf_token": csrf_token(opened.text), "decision": "approve", "reason": "heard it"}
    decided = ui.post(f"/ui/review/{pending}", data=form)

    assert decided.status_code == 303
    assert decided.headers["location"] == f"/ui/review?reviewed={pending}"
    (review,) = entries(oidc_services, action="review_voice", decision="allow")
    assert (review.subject, review.details["voice_id"], review.details["status"]) == (
        "rhea",
        pending,
        "active",
    )
    assert voice_status(ui, oidc_idp, pending) == "active"
    after = ui.get(decided.headers["location"])
    assert 'data-testid="review-done"' in after.text and f"/ui/review/{pending}" not in after.text
    closed = ui.get(f"/ui/review/{pending}/statement")  # the review is over: no more audio
    assert closed.status_code == 409 and error_code(closed) == "review_not_pending"


def test_a_rejection_is_recorded_and_shreds_the_voice(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services, pending: str
) -> None:
    oidc_sign_in(ui, oidc_idp, "rhea")
    token = csrf_token(ui.get(f"/ui/review/{pending}").text)

    form = {"csrf_token": token, "decision": "reject", "reason": "not the statement"}
    assert ui.post(f"/ui/review/{pending}", data=form).status_code == 303

    (review,) = entries(oidc_services, action="review_voice")
    assert (review.details["status"], review.details["data_destroyed"]) == ("rejected", True)
    assert review.reason == "reject: not the statement"


def test_a_decision_without_the_csrf_token_is_refused_audited_and_changes_nothing(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services, pending: str
) -> None:
    oidc_sign_in(ui, oidc_idp, "rhea")

    refused = ui.post(f"/ui/review/{pending}", data={"decision": "approve", "reason": "x"})

    assert refused.status_code == 403 and error_code(refused) == "csrf_failed"
    assert refused.headers["content-type"].startswith("text/html")
    (entry,) = entries(oidc_services, code="csrf_failed")
    assert (entry.subject, entry.details["path"]) == ("rhea", f"/ui/review/{pending}")
    assert entries(oidc_services, action="review_voice") == []
    assert voice_status(ui, oidc_idp, pending) == "pending_review"


def test_a_form_the_api_would_refuse_is_refused_as_a_page(
    ui: TestClient, oidc_idp: IdentityProvider, pending: str
) -> None:
    oidc_sign_in(ui, oidc_idp, "rhea")
    token = csrf_token(ui.get("/ui/review").text)

    for form in (
        {"decision": "maybe", "reason": "x"},
        {"decision": "approve", "reason": ""},
        {"decision": "approve", "reason": "x", "status": "active"},  # no other field
    ):
        refused = ui.post(f"/ui/review/{pending}", data={"csrf_token": token, **form})
        assert refused.status_code == 422 and error_code(refused) == "invalid_request"
    assert voice_status(ui, oidc_idp, pending) == "pending_review"


def test_an_employee_is_refused_the_queue_and_a_decision(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services, pending: str
) -> None:
    oidc_sign_in(ui, oidc_idp, "ann")
    home = ui.get("/ui")
    assert 'href="/ui/review"' not in home.text and 'href="/ui/registry"' not in home.text

    page = ui.get("/ui/review")
    form = {"csrf_token": csrf_token(home.text), "decision": "approve", "reason": "x"}
    decision = ui.post(f"/ui/review/{pending}", data=form)
    audio = ui.get(f"/ui/review/{pending}/statement")

    for refused in (page, decision, audio):
        assert refused.status_code == 403 and error_code(refused) == "role_forbidden"
    refusals = entries(oidc_services, code="role_forbidden", subject="ann")
    assert [e.action for e in refusals] == ["review_voice"] * 3
    assert [e.details.get("voice_id") for e in refusals] == [None, pending, pending]
    assert voice_status(ui, oidc_idp, pending) == "pending_review"


def test_an_officer_never_reviews_their_own_enrolment(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    oidc_idp.add_user(OFFICER_WHO_ENROLS, ["compliance_officer", "voice_user"], "Otto Wu")
    own = enrol_pending(ui, oidc_idp, OFFICER_WHO_ENROLS)
    oidc_sign_in(ui, oidc_idp, OFFICER_WHO_ENROLS)
    assert 'data-testid="own-enrolment"' in ui.get("/ui/review").text
    opened = ui.get(f"/ui/review/{own}")  # their own record: theirs to read, not to decide

    form = {"csrf_token": csrf_token(opened.text), "decision": "approve", "reason": "it is me"}
    refused = ui.post(f"/ui/review/{own}", data=form)
    audio = ui.get(f"/ui/review/{own}/statement")

    assert refused.status_code == 403 and error_code(refused) == "review_own_enrolment"
    assert "another compliance officer" in refused.text
    assert audio.status_code == 403 and error_code(audio) == "review_own_enrolment"
    (entry,) = entries(oidc_services, action="review_voice")
    assert (entry.decision, entry.code, entry.subject) == ("deny", "review_own_enrolment", "otto")
    assert voice_status(ui, oidc_idp, own) == "pending_review"
