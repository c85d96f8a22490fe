"""The audit pages in a real browser (Debian's Chromium through playwright) against a served
gateway signing in at the test IdP: an officer filters the log to denials, opens one and reads
why it was refused, sees an allowed generation's signed image with its C2PA summary, runs the
chain verification and sees it valid; an employee is refused the audit pages, and the refusal
is in the log. Screenshots go to tests/e2e/screenshots/ (git-ignored), named after the test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.browser import DESKTOP, PHONE, api_client, screenshot, serve_with_sign_in
from tests.e2e.conftest import Served
from tests.factories import IdentityProvider

CLIENT_ID = "consentgate-workspace"
IMAGE = {"prompt": "a lighthouse in the fog", "purpose": "internal", "seed": 3}


@pytest.fixture(scope="module")
def idp() -> Iterator[IdentityProvider]:
    provider = IdentityProvider()
    provider.add_key("RS256", "rsa-1")
    provider.start()
    provider.serve_issuer()
    provider.add_user("rhea", ["compliance_officer"], "Rhea Lin")
    provider.add_user("ann", ["employee"], "Ann Lee")
    yield provider
    provider.stop()


@pytest.fixture(scope="module")
def gateway(
    browser: Any, idp: IdentityProvider, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("audit-gateway")
    served = serve_with_sign_in(idp, root, CLIENT_ID)
    yield served
    served.stop()


def _sign_in(page: Any, gateway: Served, name: str, start: str) -> None:
    page.goto(f"{gateway.url}{start}")
    page.get_by_role("link", name="Sign in with your organisation's account").click()
    page.wait_for_url("**/authorize?**")
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def test_an_officer_filters_to_denials_reads_one_and_verifies_the_chain(
    page: Any, gateway: Served, idp: IdentityProvider
) -> None:
    with api_client(gateway, idp, "alice", "employee") as api:
        made = api.post("/v1/images", json=IMAGE)
    with api_client(gateway, idp, "mallory", "nobody") as api:
        assert api.post("/v1/images", json=IMAGE).status_code == 403
    assert made.status_code == 201, made.text
    _sign_in(page, gateway, "Rhea Lin", "/ui/audit")

    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Decision").select_option("deny")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/ui/audit?decision=deny&exclude_reads=true")
    rows = page.locator("table.audit-table tbody tr")
    assert rows.count() >= 1
    assert set(rows.locator("td:nth-child(5)").all_inner_texts()) == {"Denied"}
    screenshot(page, "audit_denials")
    page.get_by_role("row", name="mallory").get_by_role("link").first.click()
    page.wait_for_url("**/ui/audit/*")
    assert page.get_by_test_id("entry-code").inner_text() == "role_forbidden"
    assert "may not generate image" in page.get_by_test_id("entry-reason").inner_text()
    failed = page.get_by_role("row", name="Authorisation (casbin)")
    assert "Failed" in failed.inner_text()
    screenshot(page, "audit_entry_denied")

    page.goto(f"{gateway.url}/ui/audit/{made.json()['audit_seq']}")
    image = page.get_by_role("img", name=f"The generated image {made.json()['artifact_id']}")
    image.wait_for()
    page.wait_for_function("document.querySelector('.artifact-preview img').naturalWidth > 0")
    assert page.get_by_test_id("c2pa-state").inner_text().startswith("Trusted")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "audit_entry_allowed_phone")
    page.set_viewport_size(DESKTOP)

    page.get_by_role("link", name="Back to the audit log").click()
    page.get_by_role("link", name="Activity chart").click()
    assert page.get_by_test_id("chart").locator("rect").count() >= 2  # a day's bar, its denials
    screenshot(page, "audit_activity")
    page.get_by_role("link", name="Back to the audit log").click()
    page.get_by_role("link", name="Verify the chain").click()
    page.get_by_role("button", name="Verify now").click()
    result = page.get_by_test_id("verify-result")
    assert "The chain is valid" in result.inner_text()


def test_an_employee_cannot_open_the_audit_pages_and_it_is_recorded(
    page: Any, gateway: Served, idp: IdentityProvider
) -> None:
    _sign_in(page, gateway, "Ann Lee", "/ui")

    for path in ("/ui/audit", "/ui/audit/1", "/ui/audit/verify"):
        refused = page.goto(f"{gateway.url}{path}")
        assert refused is not None and refused.status == 403
        assert page.get_by_test_id("error-code").inner_text() == "role_forbidden"

    with api_client(gateway, idp, "auditor", "compliance_officer") as officer:
        found = officer.get("/v1/audit", params={"subject": "ann", "code": "role_forbidden"})
    assert found.status_code == 200, found.text
    seen = {(e["action"], e["details"]["path"]) for e in found.json()["items"]}
    assert seen == {
        ("read_audit", "/ui/audit"),
        ("read_audit", "/ui/audit/1"),
        ("verify", "/ui/audit/verify"),
    }
