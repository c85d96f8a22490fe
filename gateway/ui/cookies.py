"""The workspace's cookies: all under Path=/ui, HttpOnly and SameSite=Lax, Secure behind TLS.

Lax, not Strict: the IdP sends the browser back to /ui/callback with a cross-site top-level
GET, which must carry the sign-in cookie; Lax still keeps every cookie off cross-site POSTs.
Secure whenever the request came over https as the server saw it (uvicorn reports the scheme,
behind a proxy when told to trust its headers), or when a setting forces it.
"""

from __future__ import annotations

from fastapi import Request, Response

from gateway.settings import Settings

COOKIE_PATH = "/ui"
SESSION_COOKIE = "consentgate_session"
LOGIN_COOKIE = "consentgate_login"  # the state of the sign-in this browser began
LANGUAGE_MAX_AGE_S = 365 * 86_400  # a preference, kept a year


def secure(request: Request, settings: Settings) -> bool:
    return request.url.scheme == "https" or settings.ui_secure_cookies


def set_cookie(
    response: Response, request: Request, settings: Settings, name: str, value: str, max_age: int
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=COOKIE_PATH,
        secure=secure(request, settings),
        httponly=True,
        samesite="lax",
    )


def clear_cookie(response: Response, request: Request, settings: Settings, name: str) -> None:
    response.delete_cookie(
        name, path=COOKIE_PATH, secure=secure(request, settings), httponly=True, samesite="lax"
    )
