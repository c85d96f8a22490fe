"""Workspace sessions: server-side, a hashed id in an HttpOnly/SameSite=Lax cookie under /ui,
Secure behind TLS, ended by idle and absolute limits, by the ID token's expiry and by sign-out;
every unsafe request carries the session's CSRF token; every refusal is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
from http.cookies import SimpleCookie

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.services import Services
from gateway.ui.cookies import LOGIN_COOKIE, SESSION_COOKIE
from tests.factories import IdentityProvider
from tests.integration.ui.workspace import csrf_token, dev_sign_in, entries, oidc_sign_in


def _set_cookie(response: object, name: str) -> dict[str, str]:
    """The attributes of the Set-Cookie header for ``name`` (lower-case keys; flags as '1')."""
    for header in response.headers.get_list("set-cookie"):  # type: ignore[attr-defined]
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        if name in jar:
            morsel = jar[name]
            attributes = {k: str(v) for k, v in morsel.items() if v}
            return {"value": morsel.value, **attributes}
    raise AssertionError(f"no Set-Cookie for {name}")


def _shift(services: Services, column: str, by: dt.timedelta) -> None:
    """Move every session's ``column`` by ``by`` (time passing, without waiting for it)."""
    with services.db.begin() as conn:
        rows = conn.execute(sa.text(f"SELECT id_sha256, {column} FROM ui_sessions")).all()
        for id_sha256, value in rows:
            moved = (dt.datetime.fromisoformat(value) + by).isoformat(timespec="microseconds")
            conn.execute(
                sa.text(f"UPDATE ui_sessions SET {column} = :v WHERE id_sha256 = :id"),
                {"v": moved, "id": id_sha256},
            )


def test_dev_sign_in_opens_a_session_with_the_mapped_roles(
    dev_ui: TestClient, dev_services: Services
) -> None:
    signed_in = dev_sign_in(dev_ui, "vic", ["voice_user", "not-a-role"], next_page="/ui/voices")

    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/ui/voices"
    home = dev_ui.get("/ui")
    assert home.status_code == 200
    assert 'data-testid="who">vic<' in home.text
    assert "Voice user" in home.text and "not-a-role" not in home.text  # mapped like a token
    (entry,) = entries(dev_services, action="sign_in")
    assert (entry.decision, entry.code, entry.subject, entry.roles) == (
        "allow",
        "ok",
        "vic",
        ["voice_user"],
    )
    assert entry.details["method"] == "dev"


def test_the_cookie_is_httponly_lax_scoped_to_ui_and_not_secure_over_http(
    dev_ui: TestClient,
) -> None:
    cookie = _set_cookie(dev_sign_in(dev_ui, "ann", ["employee"]), SESSION_COOKIE)

    assert cookie["path"] == "/ui"
    assert cookie["httponly"] and cookie["samesite"].lower() == "lax"
    assert "secure" not in cookie
    assert 0 < int(cookie["max-age"]) <= 43_200


def test_the_cookie_is_secure_when_the_request_came_over_https(dev_services: Services) -> None:
    with TestClient(
        create_app(services=dev_services), base_url="https://testserver", follow_redirects=False
    ) as browser:
        cookie = _set_cookie(dev_sign_in(browser, "ann", ["employee"]), SESSION_COOKIE)
    assert cookie["secure"]


def test_a_setting_forces_secure_cookies_behind_a_proxy_uvicorn_was_not_told_of(
    dev_services: Services,
) -> None:
    dev_services.settings.ui_secure_cookies = True
    with TestClient(create_app(services=dev_services), follow_redirects=False) as browser:
        login_page = browser.get("/ui/login")
    # The browser will not send it back over plain http: the proxy speaks https to it.
    assert _set_cookie(login_page, LOGIN_COOKIE)["secure"]


def test_the_database_holds_the_hash_of_the_session_id_never_the_id(
    dev_ui: TestClient, dev_services: Services
) -> None:
    session_id = _set_cookie(dev_sign_in(dev_ui, "ann", ["employee"]), SESSION_COOKIE)["value"]

    with dev_services.db.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(sa.text("SELECT * FROM ui_sessions"))]
    assert len(rows) == 1
    assert rows[0]["id_sha256"] == hashlib.sha256(session_id.encode()).hexdigest()
    assert session_id not in repr(rows)


def test_a_signed_out_browser_asking_for_a_page_is_sent_to_sign_in_and_audited(
    ui: TestClient, oidc_services: Services
) -> None:
    response = ui.get("/ui/audit", params={"cursor": "x"})

    assert response.status_code == 303
    assert response.headers["location"] == "/ui/login?next=/ui/audit%3Fcursor%3Dx"
    (entry,) = entries(oidc_services, code="session_missing")
    assert (entry.action, entry.decision, entry.details["path"]) == (
        "authenticate",
        "deny",
        "/ui/audit",
    )


def test_an_unknown_or_junk_cookie_is_no_session(dev_ui: TestClient) -> None:
    for junk in ("made-up", "x" * 5000):
        dev_ui.cookies.set(SESSION_COOKIE, junk, path="/ui")
        response = dev_ui.get("/ui")
        assert response.status_code == 303
        assert response.headers["location"].startswith("/ui/login")


def test_a_post_without_a_session_is_refused_with_a_page_not_a_redirect(
    dev_ui: TestClient, dev_services: Services
) -> None:
    response = dev_ui.post("/ui/logout", data={"csrf_token": "anything"})

    assert response.status_code == 401
    assert response.headers["content-type"].startswith("text/html")
    assert 'data-testid="error-code">session_missing<' in response.text
    assert entries(dev_services, code="session_missing")


def test_an_idle_session_ends(dev_ui: TestClient, dev_services: Services) -> None:
    dev_sign_in(dev_ui, "ann", ["employee"])
    assert dev_ui.get("/ui").status_code == 200
    _shift(dev_services, "last_seen_at", -dt.timedelta(seconds=1801))

    response = dev_ui.get("/ui")

    assert response.status_code == 303
    assert response.headers["location"].startswith("/ui/login")
    assert _set_cookie(response, SESSION_COOKIE).get("max-age") == "0"  # cleared
    (entry,) = entries(dev_services, code="session_expired")
    assert entry.action == "authenticate" and entry.decision == "deny"
    with dev_services.db.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM ui_sessions")).scalar_one() == 0


def test_a_session_ends_at_its_absolute_limit_however_busy(
    dev_ui: TestClient, dev_services: Services
) -> None:
    dev_sign_in(dev_ui, "ann", ["employee"])
    _shift(dev_services, "expires_at", -dt.timedelta(hours=12, seconds=1))

    assert dev_ui.get("/ui").status_code == 303
    assert entries(dev_services, code="session_expired")


def test_a_session_never_outlives_its_id_token(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    oidc_idp.id_token_ttl_s = 120
    signed_in = oidc_sign_in(ui, oidc_idp, "ann")

    assert signed_in.status_code == 303, signed_in.text
    assert int(_set_cookie(signed_in, SESSION_COOKIE)["max-age"]) <= 120
    with oidc_services.db.connect() as conn:
        expires = conn.execute(sa.text("SELECT expires_at FROM ui_sessions")).scalar_one()
    left = dt.datetime.fromisoformat(expires) - dt.datetime.now(dt.UTC)
    assert dt.timedelta(0) < left <= dt.timedelta(seconds=120)


def test_sign_out_deletes_the_session(dev_ui: TestClient, dev_services: Services) -> None:
    dev_sign_in(dev_ui, "ann", ["employee"])
    old_cookie = dev_ui.cookies.get(SESSION_COOKIE)
    token = csrf_token(dev_ui.get("/ui").text)

    response = dev_ui.post("/ui/logout", data={"csrf_token": token})

    assert response.status_code == 303 and response.headers["location"] == "/ui/login"
    assert _set_cookie(response, SESSION_COOKIE).get("max-age") == "0"
    (entry,) = entries(dev_services, action="sign_out")
    assert (entry.subject, entry.code) == ("ann", "ok")
    dev_ui.cookies.set(SESSION_COOKIE, old_cookie or "", path="/ui")  # a copy kept: still dead
    assert dev_ui.get("/ui").status_code == 303


@pytest.mark.parametrize("sent", [None, "wrong-token", ""])
def test_an_unsafe_request_without_the_sessions_csrf_token_is_refused_and_audited(
    dev_ui: TestClient, dev_services: Services, sent: str | None
) -> None:
    dev_sign_in(dev_ui, "ann", ["employee"])
    form = {} if sent is None else {"csrf_token": sent}

    response = dev_ui.post("/ui/logout", data=form)

    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert 'data-testid="error-code">csrf_failed<' in response.text
    (entry,) = entries(dev_services, code="csrf_failed")
    assert (entry.decision, entry.subject, entry.details["path"]) == ("deny", "ann", "/ui/logout")
    assert dev_ui.get("/ui").status_code == 200  # still signed in: nothing was done


def test_another_sessions_csrf_token_is_refused(dev_services: Services) -> None:
    app = create_app(services=dev_services)
    with (
        TestClient(app, follow_redirects=False) as ann,
        TestClient(app, follow_redirects=False) as bob,
    ):
        dev_sign_in(ann, "ann", ["employee"])
        dev_sign_in(bob, "bob", ["employee"])
        bobs_token = csrf_token(bob.get("/ui").text)
        assert ann.post("/ui/logout", data={"csrf_token": bobs_token}).status_code == 403


def test_a_page_script_may_send_the_token_in_a_header(dev_ui: TestClient) -> None:
    dev_sign_in(dev_ui, "ann", ["employee"])
    token = csrf_token(dev_ui.get("/ui").text)

    response = dev_ui.post("/ui/logout", headers={"X-CSRF-Token": token})

    assert response.status_code == 303
