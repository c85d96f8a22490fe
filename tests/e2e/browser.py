"""A real browser for the workspace tests: Debian's Chromium driven by the ``playwright`` wheel
(``executable_path``; no browser is ever downloaded). Skipped, saying why, where either is
absent (a laptop); required where CONSENTGATE_REQUIRE_SERVICES=1 (.ci/run installs chromium)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.e2e.conftest import Served
    from tests.factories import IdentityProvider

SCREENSHOTS = Path(__file__).parent / "screenshots"  # git-ignored
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _unavailable(reason: str) -> None:
    if os.environ.get("CONSENTGATE_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason}; the browser tests are required here")
    pytest.skip(reason)


def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        _unavailable("Debian chromium is not installed (apt-get install chromium)")
    return path


def sync_playwright() -> Any:
    try:
        from playwright.sync_api import sync_playwright as start
    except ImportError:
        _unavailable("the playwright wheel is not installed (pip install -e '.[dev]')")
    return start()


def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@contextmanager
def launched_chromium(*extra_args: str) -> Iterator[Any]:
    """Headless Chromium, closed afterwards. --no-sandbox: CI runs as root, where Chromium's
    sandbox cannot start."""
    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox", *extra_args]
        )
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def kept_page(browser: Any, name: str) -> Iterator[Any]:
    """A fresh browser profile at 1280×800; its last page is kept as the screenshot ``name``."""
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", accept_downloads=True)
    opened = context.new_page()
    try:
        yield opened
        screenshot(opened, name)
    finally:
        context.close()


def serve_with_sign_in(idp: IdentityProvider, root: Path, client_id: str) -> Served:
    """A served gateway whose issuer is ``idp``, the workspace registered there as a client."""
    from tests.e2e.conftest import serve
    from tests.factories import AUDIENCE

    settings = {
        "CONSENTGATE_AUTH_MODE": "oidc",
        "CONSENTGATE_OIDC_ISSUER": idp.issuer,
        "CONSENTGATE_OIDC_AUDIENCE": AUDIENCE,
        "CONSENTGATE_OIDC_JWKS_URL": idp.jwks_url,
        "CONSENTGATE_OIDC_CLIENT_ID": client_id,
    }
    served = serve(root / "data", root, settings)
    idp.register_client(client_id, f"{served.url}/ui/callback")
    return served


def api_client(gateway: Served, idp: IdentityProvider, subject: str, *roles: str) -> Any:
    """An API client of ``gateway`` with a token from ``idp`` for ``subject``."""
    import httpx

    from tests.factories import bearer

    headers = bearer(idp.token(subject, roles=list(roles), name=subject.title()))
    return httpx.Client(base_url=gateway.url, headers=headers, timeout=120)
