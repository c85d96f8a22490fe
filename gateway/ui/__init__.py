"""The web workspace at /ui: server-rendered pages over the gateway's own services.

A page is a route on a ``page_router()`` (session and CSRF checked, refusals answered as pages)
plus a template extending ``base.html``; it calls the same function as its API twin, guarded
by the same casbin rule (``page_guard``), and so leaves the same audit entry. Sign-in is OIDC
code + PKCE against the gateway's issuer (a dev form in dev auth mode); sessions are
server-side (gateway/ui/sessions.py).
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from gateway.errors import NotFound
from gateway.services import Services
from gateway.settings import AuthMode
from gateway.ui import (
    routes_audit,
    routes_home,
    routes_registry,
    routes_review,
    routes_signin,
    routes_verify,
    routes_voices,
)
from gateway.ui.deps import (
    PagePrincipalDep,
    SessionDep,
    Workspace,
    get_workspace,
    page_guard,
    page_router,
)
from gateway.ui.logins import PendingLogins
from gateway.ui.oidc import OidcClient
from gateway.ui.pages import STATIC_DIR, PageRoute, render
from gateway.ui.sessions import SessionStore
from gateway.ui.signin import SignIn

__all__ = [
    "PagePrincipalDep",
    "SessionDep",
    "Workspace",
    "get_workspace",
    "install_ui",
    "page_guard",
    "page_router",
    "render",
]


def _oidc(services: Services) -> OidcClient | None:
    settings = services.settings
    if settings.auth_mode is not AuthMode.OIDC or not settings.oidc_client_id:
        return None
    assert settings.oidc_issuer  # required in oidc mode (settings)
    return OidcClient(
        settings.oidc_issuer,
        settings.oidc_client_id,
        settings.oidc_client_secret,
        settings.oidc_scopes,
        services.verifier.for_audience(settings.oidc_client_id),
    )


def install_ui(app: FastAPI) -> None:
    """Serve the workspace under /ui; needs ``app.state`` holding the services, the audit
    writer and the refusal path (gateway/app.py sets them first)."""
    services: Services = app.state.services
    settings = services.settings
    sessions = SessionStore(services.db, settings.ui_session_idle_s, settings.ui_session_max_s)
    dev = None
    if settings.auth_mode is AuthMode.DEV and services.dev_identity is not None:
        dev = (services.dev_identity, services.verifier)
    sign_in = SignIn(
        sessions,
        PendingLogins(services.db),
        app.state.audit_writer,
        app.state.refusals,
        _oidc(services),
        dev,
        settings.ui_session_max_s,
    )
    app.state.workspace = Workspace(settings, sessions, sign_in)
    app.mount("/ui/static", StaticFiles(directory=STATIC_DIR), name="ui_static")
    routers = [routes_signin.router, routes_signin.signed_in, routes_home.router]
    routers += [routes_voices.router, routes_audit.router]
    routers.append(routes_review.router)
    routers.append(routes_registry.router)
    routers.append(routes_verify.router)
    if dev is not None:
        routers.append(routes_signin.dev_router)
    for router in [*routers, _fallback]:  # the fallback last: it matches every path
        app.include_router(router)


_fallback = APIRouter(prefix="/ui", route_class=PageRoute, include_in_schema=False)


@_fallback.api_route("/{rest:path}", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
def _no_such_page(rest: str) -> None:
    """Any other path under /ui: a page saying so, not the API's problem+json."""
    raise NotFound("not_found", "there is no such page in the workspace")
