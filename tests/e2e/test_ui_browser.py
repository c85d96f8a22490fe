"""The workspace in a real browser (Debian's Chromium, headless, through playwright) against a
served gateway: dev sign-in, OIDC code + PKCE sign-in at the test IdP, sign-out, CSRF and
state refusals, an employee kept off the audit pages, keyboard use and a phone-width screen.
Each refusal is checked in the audit log through the API, as an officer would find it.
Screenshots of each test's last page go to tests/e2e/screenshots/ (git-ignored)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.browser import PHONE, screenshot, serve_with_sign_in
from tests.e2e.conftest import Served, serve
from tests.factories import IdentityProvider, bearer

CLIENT_ID = "consentgate-workspace"


@pytest.fixture(scope="module")
def browser_idp() -> Iterator[IdentityProvider]:
    provider = IdentityProvider()
    provider.add_key("RS256", "rsa-1")
    provider.start()
    provider.serve_issuer()
    provider.add_user("ann", ["employee"], "Ann Lee")
    provider.add_user("vic", ["consentgate-voice-users"], "Vic Chen")
    provider.add_user("rhea", ["compliance_officer"], "Rhea Lin")
    yield provider
    provider.stop()


@pytest.fixture(scope="module")
def oidc_gateway(
    browser: Any, browser_idp: IdentityProvider, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """A gateway whose issuer is the test IdP, the workspace registered there as a client."""
    root = tmp_path_factory.mktemp("oidc-gateway")
    served = serve_with_sign_in(browser_idp, root, CLIENT_ID)
    yield served
    served.stop()


@pytest.fixture(scope="module")
def dev_gateway(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("dev-gateway")
    served = serve(root / "data", root, {"CONSENTGATE_AUTH_MODE": "dev"})
    yield served
    served.stop()


def _refusals(gateway: Served, idp: IdentityProvider, code: str) -> list[dict[str, Any]]:
    """The entries with ``code``, read through the API by an officer."""
    officer = bearer(idp.token("auditor", ["compliance_officer"]))
    response = httpx.get(f"{gateway.url}/v1/audit", params={"code": code}, headers=officer)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def _sign_in_at_idp(page: Any, gateway: Served, user: str, start: str = "/ui") -> str:
    """From a page of the workspace through the IdP's chooser; the callback URL it used."""
    page.goto(f"{gateway.url}{start}")
    page.get_by_role("link", name="Sign in with your organisation's account").click()
    page.wait_for_url("**/authorize?**")
    with page.expect_request(lambda r: "/ui/callback" in r.url) as callback:
        page.get_by_role("button", name=user).click()
    page.wait_for_load_state()
    return str(callback.value.url)


def _error_code(page: Any) -> str:
    return str(page.get_by_test_id("error-code").inner_text())


def test_dev_sign_in(page: Any, dev_gateway: Served) -> None:
    page.goto(f"{dev_gateway.url}/ui")
    assert page.url.startswith(f"{dev_gateway.url}/ui/login")

    page.get_by_label("User id").fill("rhea")
    page.get_by_label("Compliance officer").check()
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(f"{dev_gateway.url}/ui")
    assert page.get_by_test_id("who").inner_text() == "rhea"
    nav = page.get_by_role("navigation", name="Sections")
    assert nav.get_by_role("link", name="Audit log").is_visible()


def test_oidc_code_and_pkce_sign_in_lands_with_name_and_navigation(
    page: Any, oidc_gateway: Served, browser_idp: IdentityProvider
) -> None:
    _sign_in_at_idp(page, oidc_gateway, "Rhea Lin", start="/ui")

    assert page.url == f"{oidc_gateway.url}/ui"
    assert page.get_by_test_id("who").inner_text() == "Rhea Lin"
    nav = page.get_by_role("navigation", name="Sections")
    assert nav.get_by_role("link", name="Audit log").is_visible()
    assert nav.get_by_role("link", name="Voices").count() == 0
    assert browser_idp.token_requests[-1]["code_verifier"]  # the code was redeemed with PKCE


def test_a_voice_user_returns_to_the_page_they_asked_for(page: Any, oidc_gateway: Served) -> None:
    _sign_in_at_idp(page, oidc_gateway, "Vic Chen", start="/ui/voices")

    assert page.url == f"{oidc_gateway.url}/ui/voices"
    nav = page.get_by_role("navigation", name="Sections")
    assert nav.get_by_role("link", name="Voices").is_visible()
    assert nav.get_by_role("link", name="Audit log").count() == 0


def test_sign_out(page: Any, oidc_gateway: Served, browser_idp: IdentityProvider) -> None:
    _sign_in_at_idp(page, oidc_gateway, "Ann Lee")

    page.get_by_role("button", name="Sign out").click()

    page.wait_for_url(f"{oidc_gateway.url}/ui/login")
    page.goto(f"{oidc_gateway.url}/ui")
    assert page.url.startswith(f"{oidc_gateway.url}/ui/login")  # the session is gone
    officer = bearer(browser_idp.token("auditor", ["compliance_officer"]))
    signed_out = httpx.get(
        f"{oidc_gateway.url}/v1/audit", params={"action": "sign_out"}, headers=officer
    ).json()["items"]
    assert any(entry["subject"] == "ann" for entry in signed_out)


def test_a_form_post_without_the_csrf_token_is_refused_and_audited(
    page: Any, oidc_gateway: Served, browser_idp: IdentityProvider
) -> None:
    _sign_in_at_idp(page, oidc_gateway, "Ann Lee")
    page.locator("form[action='/ui/logout'] input[name='csrf_token']").evaluate("e => e.remove()")

    with page.expect_response("**/ui/logout") as answer:
        page.get_by_role("button", name="Sign out").click()

    assert answer.value.status == 403
    assert _error_code(page) == "csrf_failed"
    assert any(e["subject"] == "ann" for e in _refusals(oidc_gateway, browser_idp, "csrf_failed"))
    page.goto(f"{oidc_gateway.url}/ui")
    assert page.get_by_test_id("who").inner_text() == "Ann Lee"  # nothing was done


def test_a_replayed_or_forged_state_is_refused_and_audited(
    page: Any, oidc_gateway: Served, browser_idp: IdentityProvider
) -> None:
    callback = _sign_in_at_idp(page, oidc_gateway, "Ann Lee")

    replayed = page.goto(callback)
    assert replayed.status == 400
    assert _error_code(page) == "login_state_invalid"

    forged = page.goto(f"{oidc_gateway.url}/ui/callback?code=stolen&state=forged")
    assert forged.status == 400
    assert _error_code(page) == "login_state_invalid"
    assert len(_refusals(oidc_gateway, browser_idp, "login_state_invalid")) >= 2


def test_an_employee_has_no_audit_navigation_and_is_refused_the_audit_page(
    page: Any, oidc_gateway: Served, browser_idp: IdentityProvider
) -> None:
    _sign_in_at_idp(page, oidc_gateway, "Ann Lee")
    assert page.get_by_role("link", name="Audit log").count() == 0

    refused = page.goto(f"{oidc_gateway.url}/ui/audit")

    assert refused.status == 403
    assert _error_code(page) == "role_forbidden"
    entries = _refusals(oidc_gateway, browser_idp, "role_forbidden")
    seen = {(e["subject"], e["action"], e["details"]["path"]) for e in entries}
    assert ("ann", "read_audit", "/ui/audit") in seen


def test_signing_in_by_keyboard_alone(page: Any, dev_gateway: Served) -> None:
    page.goto(f"{dev_gateway.url}/ui/login")

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")  # skip the header: the next Tab is in the main content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "subject"
    page.keyboard.type("kim")
    page.keyboard.press("Tab")  # the first role: employee
    page.keyboard.press("Space")
    page.keyboard.press("Enter")

    page.wait_for_url(f"{dev_gateway.url}/ui")
    assert page.get_by_test_id("who").inner_text() == "kim"


def test_the_language_switch_and_a_phone_width_screen(
    browser: Any, dev_gateway: Served, request: pytest.FixtureRequest
) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-TW", is_mobile=True)
    phone = context.new_page()
    try:
        phone.goto(f"{dev_gateway.url}/ui/login")
        assert phone.locator("html").get_attribute("lang") == "zh-Hant"  # Accept-Language
        phone.get_by_label("使用者代號").fill("rhea")
        phone.get_by_label("法遵人員").check()
        phone.get_by_role("button", name="登入").click()
        phone.wait_for_url(f"{dev_gateway.url}/ui")
        phone.get_by_role("link", name="English").click()
        phone.wait_for_url(f"{dev_gateway.url}/ui")
        assert phone.locator("html").get_attribute("lang") == "en"
        phone.goto(f"{dev_gateway.url}/ui/audit")
        # Nothing wider than the screen: the table scrolls inside its own box.
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert phone.get_by_role("link", name="Audit log").is_visible()
    finally:
        screenshot(phone, request.node.name)
        context.close()


def test_the_screenshots_folder_is_ignored_by_git() -> None:
    ignored = (Path(__file__).parents[2] / ".gitignore").read_text()
    assert "tests/e2e/screenshots/" in ignored
