"""Driving the workspace as a browser would: sign-ins, forms with their CSRF token, entries."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import httpx
from fastapi.testclient import TestClient

from tests.factories import IdentityProvider

CLIENT_ID = "consentgate-workspace"
CONFIDENTIAL_CLIENT_ID = "consentgate-workspace-confidential"
CLIENT_SECRET = "s3cret:with/odd+chars"  # client_secret_basic form-encodes it

_STATE = re.compile(r'name="state" value="([^"]+)"')
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(page: str) -> str:
    match = _CSRF.search(page)
    assert match, "the page holds no CSRF token"
    return match[1]


def local(url: str) -> str:
    """The path and query of an absolute URL (the test client's own host)."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def to_idp(ui: TestClient, next_page: str = "/ui") -> httpx.Response:
    """Start a sign-in; the gateway's answer redirects to the IdP."""
    start = ui.get("/ui/login/oidc", params={"next": next_page})
    assert start.status_code == 303, start.text
    return start


def idp_answer(start: httpx.Response) -> str:
    """Follow the redirect to the IdP, as the browser would; the IdP's redirect back."""
    at_idp = httpx.get(start.headers["location"], follow_redirects=False)
    assert at_idp.status_code == 302, at_idp.text
    return str(at_idp.headers["location"])


def oidc_sign_in(
    ui: TestClient, idp: IdentityProvider, subject: str, next_page: str = "/ui"
) -> httpx.Response:
    """The whole code + PKCE round trip; the gateway's answer to the callback."""
    idp.auto_approve = subject
    return ui.get(local(idp_answer(to_idp(ui, next_page))))


def dev_sign_in(
    ui: TestClient, subject: str, roles: list[str], next_page: str = "/ui"
) -> httpx.Response:
    page = ui.get("/ui/login", params={"next": next_page})
    match = _STATE.search(page.text)
    assert match, page.text
    form: dict[str, Any] = {"state": match[1], "subject": subject, "roles": roles}
    return ui.post("/ui/login/dev", data=form)


def entries(services: Any, **fields: Any) -> list[Any]:
    """Audit entries whose fields all match, oldest first."""
    found = []
    for seq in range(1, services.audit.head()[0] + 1):
        entry = services.audit.get(seq)
        if entry is not None and all(getattr(entry, k) == v for k, v in fields.items()):
            found.append(entry)
    return found
