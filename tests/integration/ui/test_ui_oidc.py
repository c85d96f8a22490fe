"""Signing in to the workspace through the IdP: authorization code + PKCE (S256), state and
nonce single-use and checked, the ID token verified like an API token (audience: the client
id), roles through the API's role mapping; each refusal a page with its code, audited."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.services import Services, build_services
from gateway.settings import Settings
from gateway.ui.cookies import LOGIN_COOKIE
from tests.factories import IdentityProvider
from tests.integration.ui.workspace import (
    CLIENT_SECRET,
    CONFIDENTIAL_CLIENT_ID,
    entries,
    idp_answer,
    local,
    oidc_sign_in,
    to_idp,
)


def _code_of(page: httpx.Response) -> str:
    marker = 'data-testid="error-code">'
    assert marker in page.text, page.text
    return page.text.split(marker, 1)[1].split("<", 1)[0]


def _refused(services: Services, code: str, decision: str = "deny") -> object:
    (entry,) = entries(services, code=code)
    assert (entry.action, entry.decision) == ("sign_in", decision)
    return entry


def test_code_and_pkce_sign_in_lands_on_the_page_asked_for(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    signed_in = oidc_sign_in(ui, oidc_idp, "rhea", next_page="/ui/audit")

    assert signed_in.status_code == 303, signed_in.text
    assert signed_in.headers["location"] == "/ui/audit"
    page = ui.get("/ui/audit")
    assert page.status_code == 200
    assert 'data-testid="who">Rhea Lin<' in page.text
    (entry,) = entries(oidc_services, action="sign_in")
    assert (entry.decision, entry.subject, entry.roles) == ("allow", "rhea", ["compliance_officer"])
    assert entry.details["method"] == "oidc"
    assert entry.details["caller_name"] == "Rhea Lin"
    assert LOGIN_COOKIE not in ui.cookies  # the sign-in's state is spent


def test_the_authorization_request_carries_state_nonce_and_an_s256_challenge(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    query = parse_qs(urlsplit(to_idp(ui).headers["location"]).query)

    assert query["response_type"] == ["code"]
    assert query["redirect_uri"] == ["http://testserver/ui/callback"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"] == [ui.cookies.get(LOGIN_COOKIE)]
    assert "openid" in query["scope"][0].split()
    with oidc_services.db.connect() as conn:
        nonce, verifier = conn.execute(
            sa.text("SELECT nonce, code_verifier FROM ui_pending_logins")
        ).one()
    assert query["nonce"] == [nonce]
    digest = hashlib.sha256(verifier.encode()).digest()
    assert query["code_challenge"] == [base64.urlsafe_b64encode(digest).rstrip(b"=").decode()]


def test_a_public_client_redeems_the_code_with_its_verifier(
    ui: TestClient, oidc_idp: IdentityProvider
) -> None:
    assert oidc_sign_in(ui, oidc_idp, "ann").status_code == 303

    request = oidc_idp.token_requests[-1]
    assert request["auth_method"] == "none"
    assert request["client_id"] == "consentgate-workspace"
    assert request["redirect_uri"] == "http://testserver/ui/callback"
    assert len(request["code_verifier"]) >= 43


def test_a_confidential_client_authenticates_with_client_secret_basic(
    oidc_settings: Settings, oidc_idp: IdentityProvider, model_loader: object
) -> None:
    oidc_settings.oidc_client_id = CONFIDENTIAL_CLIENT_ID
    oidc_settings.oidc_client_secret = CLIENT_SECRET
    services = build_services(oidc_settings, loader=model_loader)  # type: ignore[arg-type]
    with TestClient(create_app(services=services), follow_redirects=False) as browser:
        assert oidc_sign_in(browser, oidc_idp, "ann").status_code == 303
    request = oidc_idp.token_requests[-1]
    assert request["auth_method"] == "client_secret_basic"
    assert "client_secret" not in request and "client_id" not in request


def test_a_session_carries_the_roles_an_api_token_would(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    """vic's IdP group maps to voice_user through roles.yaml, as for API tokens."""
    oidc_sign_in(ui, oidc_idp, "vic")
    api_token = oidc_idp.token("vic", ["consentgate-voice-users"])
    api_principal = oidc_services.verifier.verify(api_token)

    home = ui.get("/ui")

    (entry,) = entries(oidc_services, action="sign_in")
    assert tuple(entry.roles) == api_principal.roles == ("voice_user",)
    assert 'href="/ui/voices"' in home.text and 'href="/ui/audit"' not in home.text


def test_a_replayed_callback_is_refused(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    oidc_idp.auto_approve = "ann"
    callback = local(idp_answer(to_idp(ui)))
    login_cookie = ui.cookies.get(LOGIN_COOKIE)
    assert ui.get(callback).status_code == 303

    ui.cookies.set(LOGIN_COOKIE, login_cookie or "", path="/ui")  # an attacker keeps both
    replayed = ui.get(callback)

    assert replayed.status_code == 400
    assert _code_of(replayed) == "login_state_invalid"
    _refused(oidc_services, "login_state_invalid")


def test_a_forged_state_is_refused(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    oidc_idp.auto_approve = "ann"
    back = urlsplit(idp_answer(to_idp(ui)))
    code = parse_qs(back.query)["code"][0]

    forged = ui.get(f"/ui/callback?{urlencode({'code': code, 'state': 'forged-by-mallory'})}")

    assert forged.status_code == 400
    assert _code_of(forged) == "login_state_invalid"
    _refused(oidc_services, "login_state_invalid")


def test_a_callback_in_another_browser_is_refused(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    """Login CSRF: mallory's own code and state, fed to a victim's browser, sign nobody in."""
    oidc_idp.auto_approve = "ann"
    callback = local(idp_answer(to_idp(ui)))
    with TestClient(create_app(services=oidc_services), follow_redirects=False) as victim:
        response = victim.get(callback)
    assert response.status_code == 400
    assert _code_of(response) == "login_state_invalid"


def test_a_state_past_its_ten_minutes_is_refused(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    oidc_idp.auto_approve = "ann"
    callback = local(idp_answer(to_idp(ui)))
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)).isoformat(timespec="microseconds")
    with oidc_services.db.begin() as conn:
        conn.execute(sa.text("UPDATE ui_pending_logins SET expires_at = :t"), {"t": past})

    response = ui.get(callback)

    assert response.status_code == 400
    assert _code_of(response) == "login_state_invalid"


def test_an_id_token_with_another_nonce_is_refused(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    oidc_idp.id_token_claims = {"nonce": "from-another-sign-in"}

    response = oidc_sign_in(ui, oidc_idp, "ann")

    assert response.status_code == 400
    assert _code_of(response) == "login_nonce_invalid"
    _refused(oidc_services, "login_nonce_invalid")
    assert ui.get("/ui").status_code == 303  # no session


@pytest.mark.parametrize(
    ("claims", "code"),
    [
        ({"aud": "consentgate-api", "azp": "consentgate-api"}, "token_wrong_audience"),
        ({"aud": ["consentgate-workspace", "other"], "azp": "other"}, "token_wrong_audience"),
        ({"iss": "https://evil.example"}, "token_wrong_issuer"),
        ({"exp": 1_000_000}, "token_expired"),
    ],
)
def test_an_id_token_not_valid_for_this_client_is_refused_with_the_apis_code(
    ui: TestClient,
    oidc_idp: IdentityProvider,
    oidc_services: Services,
    claims: dict[str, object],
    code: str,
) -> None:
    oidc_idp.id_token_claims = claims

    response = oidc_sign_in(ui, oidc_idp, "ann")

    assert response.status_code == 401
    assert _code_of(response) == code
    _refused(oidc_services, code)


def test_a_code_the_idp_will_not_redeem_is_refused(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    oidc_idp.auto_approve = "ann"
    state = parse_qs(urlsplit(idp_answer(to_idp(ui))).query)["state"][0]

    response = ui.get(f"/ui/callback?{urlencode({'code': 'guessed', 'state': state})}")

    assert response.status_code == 400
    assert _code_of(response) == "login_code_invalid"
    entry = _refused(oidc_services, "login_code_invalid")
    assert "invalid_grant" in entry.reason  # type: ignore[attr-defined]


def test_a_sign_in_the_idp_refused_is_refused(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    authorize = to_idp(ui).headers["location"]
    denied = httpx.get(f"{authorize}&decision=deny", follow_redirects=False)

    response = ui.get(local(denied.headers["location"]))

    assert response.status_code == 403
    assert _code_of(response) == "login_refused"
    _refused(oidc_services, "login_refused")


def test_the_idp_page_lets_a_person_choose_who_signs_in(
    ui: TestClient, oidc_idp: IdentityProvider
) -> None:
    authorize = to_idp(ui).headers["location"]
    page = httpx.get(authorize)
    assert page.status_code == 200 and "Rhea Lin" in page.text
    fields = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
    chosen = httpx.post(authorize.split("?")[0], data={**fields, "user": "rhea"})

    assert ui.get(local(chosen.headers["location"])).status_code == 303
    assert 'data-testid="who">Rhea Lin<' in ui.get("/ui").text


def test_the_dev_form_does_not_exist_in_oidc_mode(ui: TestClient) -> None:
    login = ui.get("/ui/login")

    assert login.status_code == 200
    assert "/ui/login/oidc" in login.text
    assert "/ui/login/dev" not in login.text and 'name="subject"' not in login.text
    assert LOGIN_COOKIE not in login.headers.get("set-cookie", "")
    assert ui.post("/ui/login/dev", data={"state": "x", "subject": "mallory"}).status_code == 404


def test_a_discovery_document_of_another_issuer_is_refused(
    oidc_settings: Settings, oidc_idp: IdentityProvider, model_loader: object
) -> None:
    """The document at {issuer}/.well-known must name that issuer (OIDC Discovery §4.3)."""
    oidc_settings.oidc_issuer = f"{oidc_idp.url}/realms/other"
    services = build_services(oidc_settings, loader=model_loader)  # type: ignore[arg-type]
    with TestClient(create_app(services=services), follow_redirects=False) as browser:
        response = browser.get("/ui/login/oidc")
    assert response.status_code == 503
    assert _code_of(response) == "idp_unavailable"
    _refused(services, "idp_unavailable", decision="error")  # 503: the IdP, not the caller
    with services.db.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM ui_pending_logins")).scalar_one() == 0


def test_without_a_client_id_sign_in_says_it_is_not_configured(
    oidc_settings: Settings, model_loader: object
) -> None:
    oidc_settings.oidc_client_id = None
    services = build_services(oidc_settings, loader=model_loader)  # type: ignore[arg-type]
    with TestClient(create_app(services=services), follow_redirects=False) as browser:
        assert "CONSENTGATE_OIDC_CLIENT_ID" in browser.get("/ui/login").text
        response = browser.get("/ui/login/oidc")
    assert response.status_code == 503
    assert _code_of(response) == "sign_in_unconfigured"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/ui", "/\\evil.example", "/v1/audit", "/ui/../v1"],
)
def test_the_page_after_sign_in_is_always_a_workspace_page(
    ui: TestClient, oidc_idp: IdentityProvider, target: str
) -> None:
    assert oidc_sign_in(ui, oidc_idp, "ann", next_page=target).headers["location"] == "/ui"
