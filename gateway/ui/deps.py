"""Dependencies of workspace pages, as Annotated aliases (like gateway/deps.py for the API).

``page_router()`` gives the router a page module declares its routes on: every route on it
needs a live session (``SessionDep``), and every unsafe method on it the session's CSRF token,
from a hidden ``csrf_token`` form field or an ``X-CSRF-Token`` header (for a page's fetch).
``PagePrincipalDep`` is the session's Principal, as ``PrincipalDep`` is a token's;
``page_guard`` is ``require`` for pages: the same casbin check, audited the same way.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from gateway.auth import Principal
from gateway.deps import ContextDep, PipelineDep, RefusalsDep
from gateway.settings import Settings
from gateway.ui.cookies import SESSION_COOKIE
from gateway.ui.errors import CsrfFailed, UiError
from gateway.ui.pages import PageRoute
from gateway.ui.sessions import SessionStore, UiSession
from gateway.ui.signin import SignIn
from policies import AccessGrant

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True)
class Workspace:
    """What the workspace holds beside the gateway's services (``app.state.workspace``)."""

    settings: Settings
    sessions: SessionStore
    sign_in: SignIn


def get_workspace(request: Request) -> Workspace:
    return request.app.state.workspace


WorkspaceDep = Annotated[Workspace, Depends(get_workspace)]


def get_session(
    request: Request, workspace: WorkspaceDep, ctx: ContextDep, refusals: RefusalsDep
) -> UiSession:
    """The browser's live session; its absence or end is refused (``authenticate``)."""
    try:
        session = workspace.sessions.find(request.cookies.get(SESSION_COOKIE))
    except UiError as error:
        refusals.refuse(ctx, "authenticate", error)
    request.state.ui_session = session
    ctx.principal = session.principal
    with refusals.guard(ctx, "request"):
        request.app.state.throttle.check_subject(session.principal.subject)
    return session


SessionDep = Annotated[UiSession, Depends(get_session)]


def get_page_principal(session: SessionDep) -> Principal:
    return session.principal


PagePrincipalDep = Annotated[Principal, Depends(get_page_principal)]


async def _sent_csrf_token(request: Request) -> str | None:
    """The token an unsafe request carries (async: reading the form awaits the body)."""
    if request.method in SAFE_METHODS:
        return None
    header = request.headers.get(CSRF_HEADER)
    if header is not None:
        return header
    try:
        sent = (await request.form()).get(CSRF_FIELD)
    except Exception:  # a body that is no form carries no token: refused below, fail closed
        return None
    return sent if isinstance(sent, str) else None


def require_csrf(
    request: Request,
    session: SessionDep,
    sent: Annotated[str | None, Depends(_sent_csrf_token)],
    ctx: ContextDep,
    refusals: RefusalsDep,
) -> None:
    """Unsafe methods must carry this session's CSRF token (compared in constant time, so
    the comparison leaks nothing of it). Refused: ``csrf_failed`` (403)."""
    if request.method in SAFE_METHODS:
        return
    if sent is None or not hmac.compare_digest(sent.encode(), session.csrf_token.encode()):
        refusals.refuse(ctx, "request", CsrfFailed("the form's CSRF token is missing or wrong"))


def page_router() -> APIRouter:
    """A router for signed-in pages: a session on every route, CSRF on every unsafe one,
    refusals answered as pages; kept out of the API's OpenAPI schema."""
    return APIRouter(
        prefix="/ui",
        route_class=PageRoute,
        include_in_schema=False,
        dependencies=[Depends(require_csrf)],
    )


def page_guard(resource: str, action: str) -> Callable[..., Any]:
    """A page's guard: the signed-in caller must hold a role that may do ``action`` on
    ``resource`` (the API's own check: casbin, a refusal audited under ``action``)."""

    def guard(principal: PagePrincipalDep, pipeline: PipelineDep, ctx: ContextDep) -> AccessGrant:
        return pipeline.authorise(principal, resource, action, ctx)

    return guard
