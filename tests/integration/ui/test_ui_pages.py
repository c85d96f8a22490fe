"""Workspace pages: the language from Accept-Language or the switch, navigation by the casbin
rules that guard the pages, pages authorised and audited like their API twins, the browser
kept to the gateway (Content-Security-Policy, every asset served locally)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from engines import ModelLoader
from gateway.app import create_app
from gateway.services import Services, build_services
from gateway.settings import AuthMode, Settings
from gateway.ui.locale import LANGUAGE_COOKIE
from policies import DEFAULT_POLICY_DIR
from tests.factories import IdentityProvider, bearer
from tests.integration.ui.workspace import dev_sign_in, entries, oidc_sign_in

_REFERENCE = re.compile(r"""(?:src|href|action)\s*=\s*["']([^"']+)["']""")
_ANY_URL = re.compile(r"""(?:https?:)?//[^\s"'<>)]+""")


@pytest.mark.parametrize(
    ("accept_language", "lang", "greeting"),
    [
        ("zh-TW,zh;q=0.9,en;q=0.8", "zh-Hant", "歡迎"),
        ("zh-Hant-HK", "zh-Hant", "歡迎"),
        ("en-GB,en;q=0.9", "en", "Welcome"),
        ("th-TH,vi;q=0.8", "en", "Welcome"),  # neither offered: English
        ("fr;q=0.9,zh;q=0.5,en;q=0.1", "zh-Hant", "歡迎"),  # the weights decide, not the order
        ("en;q=0,zh", "zh-Hant", "歡迎"),  # q=0: not acceptable
        ("x" * 10_000, "en", "Welcome"),  # bounded, not an error
    ],
)
def test_the_language_follows_accept_language(
    dev_ui: TestClient, accept_language: str, lang: str, greeting: str
) -> None:
    dev_sign_in(dev_ui, "ann", ["employee"])

    home = dev_ui.get("/ui", headers={"Accept-Language": accept_language})

    assert f'<html lang="{lang}">' in home.text
    assert greeting in home.text


def test_the_switch_keeps_the_chosen_language_over_accept_language(dev_ui: TestClient) -> None:
    dev_sign_in(dev_ui, "ann", ["employee"])
    english = {"Accept-Language": "en"}

    switched = dev_ui.get("/ui/language/zh-Hant", params={"next": "/ui"}, headers=english)

    assert switched.status_code == 303 and switched.headers["location"] == "/ui"
    assert dev_ui.cookies.get(LANGUAGE_COOKIE) == "zh-Hant"
    assert '<html lang="zh-Hant">' in dev_ui.get("/ui", headers=english).text
    assert dev_ui.get("/ui/language/klingon").status_code == 404
    back = dev_ui.get("/ui/language/en", params={"next": "https://evil.example/"})
    assert back.headers["location"] == "/ui"  # no open redirect


def test_the_sign_in_page_is_translated_too(dev_ui: TestClient) -> None:
    page = dev_ui.get("/ui/login", headers={"Accept-Language": "zh-TW"})

    assert '<html lang="zh-Hant">' in page.text and "登入" in page.text


def test_an_employee_sees_no_audit_section_and_is_refused_the_audit_page(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    oidc_sign_in(ui, oidc_idp, "ann")
    home = ui.get("/ui")
    assert 'href="/ui/audit"' not in home.text and 'href="/ui/voices"' not in home.text

    refused = ui.get("/ui/audit")

    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("text/html")
    assert 'data-testid="error-code">role_forbidden<' in refused.text
    (entry,) = entries(oidc_services, code="role_forbidden")
    assert (entry.action, entry.decision, entry.subject) == ("read_audit", "deny", "ann")
    assert entry.details["path"] == "/ui/audit"


def test_the_audit_page_reads_like_its_api_twin(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    oidc_sign_in(ui, oidc_idp, "rhea")

    page = ui.get("/ui/audit")

    assert page.status_code == 200
    assert "<code>sign_in</code>" in page.text
    (read,) = entries(oidc_services, action="read_audit")
    assert (read.decision, read.subject, read.reason) == ("allow", "rhea", "audit search")
    assert read.details["filters"] == {"exclude_reads": True}
    page = ui.get("/ui/audit")
    assert "<code>read_audit</code>" not in page.text  # its own reads are hidden


def test_a_bad_cursor_on_a_page_is_a_page_with_the_apis_code(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    oidc_sign_in(ui, oidc_idp, "rhea")

    response = ui.get("/ui/audit", params={"cursor": "not-a-cursor"})

    assert response.status_code == 400
    assert 'data-testid="error-code">audit_cursor_invalid<' in response.text
    (entry,) = entries(oidc_services, code="audit_cursor_invalid")
    assert entry.action == "read_audit"


def test_the_voices_page_lists_through_the_voice_desk(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    oidc_sign_in(ui, oidc_idp, "vic")

    page = ui.get("/ui/voices")

    assert page.status_code == 200
    (entry,) = entries(oidc_services, action="list_voices")
    assert (entry.subject, entry.details["all_owners"]) == ("vic", False)


def test_an_unknown_workspace_page_is_a_404_page(dev_ui: TestClient) -> None:
    for method in ("GET", "POST"):
        response = dev_ui.request(method, "/ui/no-such-page")
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert 'data-testid="error-code">not_found<' in response.text


def test_a_malformed_form_is_a_page_with_its_code(dev_ui: TestClient) -> None:
    dev_ui.get("/ui/login")
    response = dev_ui.post("/ui/login/dev", data={"subject": "ann"})  # no state field

    assert response.status_code == 422
    assert 'data-testid="error-code">invalid_request<' in response.text


@pytest.mark.parametrize("path", ["/ui/login", "/ui", "/ui/no-such-page"])
def test_every_answer_keeps_the_browser_to_the_gateway(dev_ui: TestClient, path: str) -> None:
    dev_sign_in(dev_ui, "rhea", ["compliance_officer"])
    response = dev_ui.get(path)

    policy = response.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no inline script
    assert directives["frame-ancestors"] == "'none'"
    for name, sources in directives.items():
        assert "http" not in sources and "*" not in sources, name
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ["/ui/login", "/ui", "/ui/audit", "/ui/voices"])
def test_every_asset_a_page_references_is_served_by_the_gateway(
    dev_ui: TestClient, path: str
) -> None:
    dev_sign_in(dev_ui, "rhea", ["compliance_officer", "voice_user"])
    page = dev_ui.get(path)
    assert page.status_code == 200

    assert _ANY_URL.findall(page.text) == []
    for reference in _REFERENCE.findall(page.text):
        if reference == "data:,":
            continue  # the empty icon: a browser then asks for no /favicon.ico
        target = urlsplit(urljoin(f"http://testserver{path}", reference))
        assert target.netloc == "testserver", reference
        if Path(target.path).suffix in (".css", ".js"):
            asset = dev_ui.get(target.path)
            assert asset.status_code == 200 and asset.content, reference


def test_the_workspace_stays_out_of_the_api_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    assert not any(path.startswith("/ui") for path in paths)


def test_the_api_still_answers_problem_json(client: TestClient, idp: IdentityProvider) -> None:
    """Page refusals are pages; the API's stay problem+json, even for a signed-in browser."""
    response = client.get("/v1/audit", headers=bearer(idp.token("ann")))

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"


def test_rules_that_do_not_load_open_nothing(tmp_path: Path, model_loader: ModelLoader) -> None:
    """A broken policy.csv: the navigation shows nothing it guards, and the page refuses
    (policy_unavailable), as the API does."""
    policy_dir = tmp_path / "policies"
    shutil.copytree(DEFAULT_POLICY_DIR, policy_dir)
    settings = Settings(data_dir=tmp_path / "data", auth_mode=AuthMode.DEV, policy_dir=policy_dir)
    services = build_services(settings, loader=model_loader)
    with TestClient(create_app(services=services), follow_redirects=False) as browser:
        dev_sign_in(browser, "rhea", ["compliance_officer"])
        assert 'href="/ui/audit"' in browser.get("/ui").text
        (policy_dir / "policy.csv").write_text("")  # no rules: refused as unreadable

        home = browser.get("/ui")
        refused = browser.get("/ui/audit")

    assert home.status_code == 200 and 'href="/ui/audit"' not in home.text
    assert refused.status_code == 503
    assert 'data-testid="error-code">policy_unavailable<' in refused.text
