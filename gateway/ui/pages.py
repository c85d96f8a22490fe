"""Rendering workspace pages, and answering a refused one as a page.

Every page is a Jinja2 template extending ``base.html``, rendered by ``render`` with what every
page needs (language, session, CSRF token, the navigation the caller's roles open). Every
answer under /ui carries a Content-Security-Policy that keeps the browser to the gateway, and
is not cached (pages show personal data).

A refusal on a page goes through the one refusal path (recorded once, classified by the one
table) and is answered as an HTML page with its status and code, never JSON; a browser that
is not signed in (or whose session ended) is sent to sign in instead when it asked for a page.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from audit import AuditError
from gateway.errors import GatewayError, InvalidRequest
from gateway.problems import _HTTP_CODES
from gateway.refusals import classify
from gateway.ui.cookies import SESSION_COOKIE, clear_cookie
from gateway.ui.locale import LANGUAGE_COOKIE, LOCALES, negotiate, translate
from gateway.ui.sessions import UiSession
from policies import PolicyError

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
HOME = "/ui"
LOGIN = "/ui/login"
MAX_RETURN_TO_CHARS = 512  # where to go after sign-in: a page path, bounded
# Self only: no CDN, no inline script (the pages' JavaScript is a served file), no framing.
# media-src/img-src blob: let a page play back what the microphone recorded, before upload.
UI_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
_SIGN_IN_AGAIN = frozenset({"session_missing", "session_expired"})


@dataclass(frozen=True)
class NavItem:
    """A link in the navigation, shown to callers whose roles may do ``action`` on
    ``resource`` (casbin, like the page itself); ``None``: every signed-in caller."""

    message: str
    href: str
    resource: str | None = None
    action: str | None = None


# A new page adds its line here; the casbin rule that guards the page decides who sees it.
NAVIGATION = (
    NavItem("nav.home", HOME),
    NavItem("nav.voices", "/ui/voices", "voice", "enrol"),
    NavItem("nav.audit", "/ui/audit", "audit", "read_audit"),
    NavItem("nav.review", "/ui/review", "voice", "review_voice"),
    NavItem("nav.registry", "/ui/registry", "voice", "review_voice"),
    NavItem("nav.verify", "/ui/verify", "file", "verify"),
)


@pass_context
def _t(context: Context, key: str, **values: object) -> str:
    return translate(context.get("locale", "en"), key, values)


templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.globals["t"] = _t
templates.env.globals["LOCALES"] = LOCALES


def request_locale(request: Request) -> str:
    return negotiate(request.headers.get("accept-language"), request.cookies.get(LANGUAGE_COOKIE))


def safe_return_to(value: str | None) -> str:
    """A page of this workspace to go to (after sign-in, a language switch), else home: never
    another site (``//host``, ``/\\host``, a scheme), so the parameter is no open redirect."""
    if not value or len(value) > MAX_RETURN_TO_CHARS or "\\" in value:
        return HOME
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not (parts.path == HOME or parts.path.startswith("/ui/")):
        return HOME
    # /ui/../v1 leaves /ui, and so does /ui/%2e%2e/v1 in a browser (it decodes dot segments):
    # the path is judged decoded, and a path that decodes differently twice is refused.
    decoded = unquote(parts.path)
    segments = decoded.split("/")
    if not value.isprintable() or ".." in segments or "." in segments:
        return HOME
    if unquote(decoded) != decoded or "//" in decoded or "\\" in decoded:
        return HOME
    return value


def contained(response: Response) -> Response:
    """The headers of every answer under /ui."""
    response.headers["Content-Security-Policy"] = UI_CSP
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"  # the callback's URL holds a code
    return response


def _opens(request: Request, session: UiSession, item: NavItem) -> bool:
    if item.resource is None or item.action is None:
        return True
    try:
        return bool(
            request.app.state.services.access.allows(
                session.principal.roles, item.resource, item.action
            )
        )
    except PolicyError:  # rules that do not load open nothing (the page refuses too)
        return False


def _navigation(request: Request, session: UiSession | None) -> list[dict[str, Any]]:
    if session is None:
        return []
    return [
        {"message": item.message, "href": item.href, "current": request.url.path == item.href}
        for item in NAVIGATION
        if _opens(request, session, item)
    ]


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """``template`` with ``context`` and what every page needs."""
    session: UiSession | None = getattr(request.state, "ui_session", None)
    ctx = getattr(request.state, "ctx", None)
    page = {
        "locale": request_locale(request),
        "session": session,
        "principal": session.principal if session else None,
        "csrf_token": session.csrf_token if session else "",
        "navigation": _navigation(request, session),
        "here": _here(request),
        "request_id": ctx.request_id if ctx else None,
        **(context or {}),
    }
    response = templates.TemplateResponse(request, template, page, status_code=status)
    contained(response)
    return response


def redirect(location: str) -> RedirectResponse:
    """303: the browser follows with a GET (after a form POST too)."""
    response = RedirectResponse(location, status_code=303)
    contained(response)
    return response


def _as_refusal(error: Exception) -> Exception:
    """Framework errors as the gateway's own, so the one table classifies them."""
    if isinstance(error, RequestValidationError):
        detail = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
            for e in error.errors()
        )
        return InvalidRequest("invalid_request", detail[:1000])
    if isinstance(error, StarletteHTTPException):
        refused = GatewayError(_HTTP_CODES.get(error.status_code, "http_error"), str(error.detail))
        refused.status = error.status_code
        return refused
    return error


def refusal_page(request: Request, error: Exception) -> Response:
    """Record ``error`` through the one refusal path (unless its check did) and answer it as
    a page; blocking (the audit write)."""
    error = _as_refusal(error)
    try:
        request.app.state.refusals.record(request.state.ctx, "request", error)
    except AuditError:
        unrecorded = GatewayError("audit_write_failed", "the refusal could not be recorded")
        unrecorded.status = 503
        error = unrecorded
    refusal = classify(error)
    if refusal.code in _SIGN_IN_AGAIN and request.method in ("GET", "HEAD"):
        response: Response = redirect(f"{LOGIN}?next={quote(_here(request), safe='/')}")
    else:
        locale = request_locale(request)
        message = translate(locale, f"error.{refusal.code}", default=refusal.reason)
        context = {"status": refusal.status, "code": refusal.code, "message": message}
        response = render(request, "error.html", context, status=refusal.status)
    if refusal.code == "session_expired":
        clear_cookie(response, request, request.app.state.services.settings, SESSION_COOKIE)
    return response


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


class PageRoute(APIRoute):
    """A route of the workspace: whatever it (or a dependency) raises is answered by
    ``refusal_page`` instead of the API's problem+json."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                response = await handle(request)
            except Exception as error:
                # On the thread pool: recording may wait for the database.
                return await run_in_threadpool(refusal_page, request, error)
            return contained(response)

        return page
