"""The compliance pages in a real browser (Debian's Chromium through playwright) against a served
gateway signing in at the test IdP: an officer plays a pending enrolment's statement, approves
it in the review queue, suspends the voice in the consent registry, and the next clone of it
through the API is refused with the suspension's code; a file chosen on /ui/verify, on a phone
width screen, reads as signed by us with its audit entry. Screenshots go to
tests/e2e/screenshots/ (git-ignored), named after the test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.browser import PHONE, api_client, screenshot, serve_with_sign_in
from tests.e2e.conftest import Served
from tests.factories import (
    REFERENCE_TEXTS,
    IdentityProvider,
    issue_challenge,
    spoken_wav,
)

CLIENT_ID = "consentgate-workspace"
OWNER, COLLEAGUE = "olivia", "colin"
UNRELATED = "Our new training videos explain each step of the assembly line clearly."


@pytest.fixture(scope="module")
def idp() -> Iterator[IdentityProvider]:
    provider = IdentityProvider()
    provider.add_key("RS256", "rsa-1")
    provider.start()
    provider.serve_issuer()
    provider.add_user("rhea", ["compliance_officer"], "Rhea Lin")
    yield provider
    provider.stop()


@pytest.fixture(scope="module")
def gateway(
    browser: Any, idp: IdentityProvider, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("review-gateway")
    served = serve_with_sign_in(idp, root, CLIENT_ID)
    yield served
    served.stop()


def _enrol_pending(gateway: Served, idp: IdentityProvider) -> str:
    """A voice waiting for review, enrolled through the API as
    tests/integration/test_voice_review.py enrols one: the statement recording is not the
    statement, so its phrase is never heard."""
    with api_client(gateway, idp, OWNER, "voice_user") as api:
        challenge = issue_challenge(api, {}, [COLLEAGUE])
        files = [
            ("references", (f"r{i}.wav", spoken_wav(text), "audio/wav"))
            for i, text in enumerate(REFERENCE_TEXTS[:2])
        ]
        files.append(("statement", ("s.wav", spoken_wav(UNRELATED), "audio/wav")))
        data = {"challenge_id": challenge["challenge_id"]}
        enrolled = api.post("/v1/voices", data=data, files=files)
    assert enrolled.status_code == 201, enrolled.text
    assert enrolled.json()["status"] == "pending_review"
    return str(enrolled.json()["voice_id"])


def _sign_in(page: Any, gateway: Served, start: str) -> None:
    page.goto(f"{gateway.url}{start}")
    page.get_by_role("link", name="Sign in with your organisation's account").click()
    page.wait_for_url("**/authorize?**")
    page.get_by_role("button", name="Rhea Lin").click()
    page.wait_for_url(f"{gateway.url}{start}")


def test_an_officer_approves_then_suspends_and_the_next_clone_is_refused(
    page: Any, gateway: Served, idp: IdentityProvider, request: pytest.FixtureRequest
) -> None:
    voice_id = _enrol_pending(gateway, idp)
    _sign_in(page, gateway, "/ui")

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Review queue").click()
    page.get_by_role("link", name=f"Review voice {voice_id}").click()
    assert page.get_by_test_id("phrase").inner_text()
    # The browser fetches and decodes the statement through the page's own route.
    seconds = page.get_by_test_id("statement-audio").evaluate(
        """audio => new Promise(done => {
             audio.onloadedmetadata = () => done(audio.duration);
             audio.onerror = () => done(-1);
             audio.preload = "auto"; audio.load();
           })"""
    )
    assert seconds > 1
    screenshot(page, f"{request.node.name}-review")  # the review page, for the README
    page.get_by_label("Reason (recorded in the audit log)").fill("the owner reads the statement")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_url(f"{gateway.url}/ui/review?reviewed={voice_id}")
    assert page.get_by_test_id("review-done").is_visible()

    page.get_by_role("link", name="See it in the consent registry").click()
    card = page.get_by_test_id(f"voice-{voice_id}")
    assert card.get_by_test_id("voice-status").inner_text() == "Active"
    card.get_by_label("Reason for the suspension").fill("complaint from the owner")
    page.once("dialog", lambda dialog: dialog.accept())  # the form asks before it is sent
    card.get_by_role("button", name="Suspend").click()
    page.wait_for_url(f"{gateway.url}/ui/registry?changed={voice_id}")
    card = page.get_by_test_id(f"voice-{voice_id}")
    assert card.get_by_test_id("voice-status").inner_text() == "Suspended"

    with api_client(gateway, idp, COLLEAGUE, "voice_user") as api:
        body = {"voice_id": voice_id, "text": "Welcome.", "language": "en", "purpose": "internal"}
        clone = api.post("/v1/voice-clones", json=body)
    assert clone.status_code == 403 and clone.json()["code"] == "consent_suspended"
    with api_client(gateway, idp, "auditor", "compliance_officer") as api:
        found = api.get("/v1/audit", params={"voice_id": voice_id}).json()["items"]
    actions = {(e["action"], e["subject"], e["code"]) for e in found}
    assert {("review_voice", "rhea", "ok"), ("suspend", "rhea", "ok")} <= actions
    assert ("generate", COLLEAGUE, "consent_suspended") in actions


def test_a_file_chosen_on_the_verify_page_reads_as_signed_by_us_on_a_phone(
    browser: Any, gateway: Served, idp: IdentityProvider, request: pytest.FixtureRequest
) -> None:
    with api_client(gateway, idp, "ann", "employee") as api:
        made = api.post("/v1/images", json={"prompt": "a lighthouse", "purpose": "internal"})
        assert made.status_code == 201, made.text
        image = api.get(f"/v1/artifacts/{made.json()['artifact_id']}").content
    context = browser.new_context(viewport=PHONE, locale="en-GB", is_mobile=True)
    phone = context.new_page()
    try:
        _sign_in(phone, gateway, "/ui/verify")
        # Playwright cannot drag a file from the desktop; it hands the input the file as a
        # drop does (the input is the drop target: no script in between).
        chosen = {"name": "lighthouse.png", "mimeType": "image/png", "buffer": image}
        phone.get_by_label("Drop a file here, or choose one").set_input_files(chosen)
        phone.get_by_role("button", name="Verify").click()
        phone.wait_for_load_state()

        assert phone.get_by_test_id("signed-by-us").inner_text() == "Signed by us"
        assert phone.get_by_test_id("verify-state").inner_text() == "Valid manifest"
        seq = made.json()["audit_seq"]
        entry = phone.get_by_test_id("audit-entry").get_by_role("link", name=str(seq))
        assert entry.get_attribute("href") == f"/ui/audit/{seq}"  # an officer may open it
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        screenshot(phone, request.node.name)
        context.close()
