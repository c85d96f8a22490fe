"""Sign-in, sign-out and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response

from gateway.deps import ContextDep
from gateway.errors import NotFound
from gateway.schemas import PrintableText
from gateway.ui.cookies import (
    LANGUAGE_MAX_AGE_S,
    LOGIN_COOKIE,
    SESSION_COOKIE,
    clear_cookie,
    set_cookie,
)
from gateway.ui.deps import SessionDep, WorkspaceDep, page_router
from gateway.ui.locale import LANGUAGE_COOKIE, LOCALES
from gateway.ui.logins import LOGIN_TTL_S
from gateway.ui.pages import LOGIN, PageRoute, redirect, render, safe_return_to
from gateway.ui.sessions import UiSession

# Signed-out pages: no session needed; the sign-in state (cookie + row) guards the POST.
router = APIRouter(prefix="/ui", route_class=PageRoute, include_in_schema=False)
# The dev form exists in dev auth mode only (gateway/ui/__init__.py includes it then).
dev_router = APIRouter(prefix="/ui", route_class=PageRoute, include_in_schema=False)
signed_in = page_router()

MAX_DEV_ROLES = 10
# The roles shipped (DESIGN.md), offered as boxes; what the form sends is still mapped through
# roles.yaml like a token's claim, so a role it does not list grants nothing.
DEV_ROLES = ("employee", "voice_user", "compliance_officer", "admin", "service")
ReturnTo = Annotated[str | None, Query(alias="next", max_length=2048)]


def _signed_in(
    request: Request, workspace: WorkspaceDep, cookie: str, session: UiSession, go_to: str
) -> Response:
    """Where a finished sign-in goes, holding the new session's cookie."""
    response = redirect(go_to)
    settings = workspace.settings
    set_cookie(response, request, settings, SESSION_COOKIE, cookie, session.seconds_left())
    clear_cookie(response, request, settings, LOGIN_COOKIE)
    return response


@router.get("/login", name="ui_login")
def login_page(request: Request, workspace: WorkspaceDep, return_to: ReturnTo = None) -> Response:
    """The sign-in page: the IdP's button, or in dev auth mode the dev form."""
    go_to = safe_return_to(return_to)
    sign_in = workspace.sign_in
    state = sign_in.begin_dev(go_to).state if sign_in.offers_dev else None
    context = {"next": go_to, "oidc": sign_in.offers_oidc, "dev_state": state, "roles": DEV_ROLES}
    response = render(request, "login.html", context)
    if state is not None:
        set_cookie(response, request, workspace.settings, LOGIN_COOKIE, state, LOGIN_TTL_S)
    return response


@router.get("/login/oidc")
def login_oidc(
    request: Request, workspace: WorkspaceDep, ctx: ContextDep, return_to: ReturnTo = None
) -> Response:
    """Off to the IdP, with a new state, nonce and PKCE challenge."""
    callback = str(request.url_for("ui_callback"))
    url, state = workspace.sign_in.begin_oidc(ctx, safe_return_to(return_to), callback)
    response = redirect(url)
    set_cookie(response, request, workspace.settings, LOGIN_COOKIE, state, LOGIN_TTL_S)
    return response


@router.get("/callback", name="ui_callback")
def callback(request: Request, workspace: WorkspaceDep, ctx: ContextDep) -> Response:
    """The IdP's answer: state, code (or error) checked, then a session."""
    answer = {name: request.query_params.get(name) for name in ("state", "code", "error")}
    cookie, session, go_to = workspace.sign_in.finish_oidc(
        ctx, answer, request.cookies.get(LOGIN_COOKIE), str(request.url_for("ui_callback"))
    )
    return _signed_in(request, workspace, cookie, session, go_to)


@dev_router.post("/login/dev")
def login_dev(
    request: Request,
    workspace: WorkspaceDep,
    ctx: ContextDep,
    state: Annotated[str, Form(max_length=64)],
    subject: Annotated[PrintableText, Form(min_length=1, max_length=200)],
    roles: Annotated[list[str], Form(max_length=MAX_DEV_ROLES)] = [],  # noqa: B006
) -> Response:
    """Dev auth mode: sign in as anyone (the gateway's dev key signs the token)."""
    browser_state = request.cookies.get(LOGIN_COOKIE)
    cookie, session, go_to = workspace.sign_in.finish_dev(ctx, state, browser_state, subject, roles)
    return _signed_in(request, workspace, cookie, session, go_to)


@signed_in.post("/logout")
def logout(
    request: Request, workspace: WorkspaceDep, ctx: ContextDep, session: SessionDep
) -> Response:
    """Sign out: the session is deleted, the cookie cleared."""
    workspace.sign_in.sign_out(ctx, request.cookies.get(SESSION_COOKIE) or "", session)
    response = redirect(LOGIN)
    clear_cookie(response, request, workspace.settings, SESSION_COOKIE)
    return response


@router.get("/language/{locale}")
def switch_language(
    request: Request, workspace: WorkspaceDep, locale: str, return_to: ReturnTo = None
) -> Response:
    """Keep the chosen language (a cookie) and go back to the page."""
    if locale not in LOCALES:
        raise NotFound("not_found", f"the workspace has no language {locale[:20]!r}")
    response = redirect(safe_return_to(return_to))
    settings = workspace.settings
    set_cookie(response, request, settings, LANGUAGE_COOKIE, locale, LANGUAGE_MAX_AGE_S)
    return response
