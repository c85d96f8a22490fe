"""A real browser for the workspace tests: Debian's Chromium driven by the ``playwright`` wheel
(``executable_path``; no browser is ever downloaded). Skipped, saying why, where either is
absent (a laptop); required where CONSENTGATE_REQUIRE_SERVICES=1 (.ci/run installs chromium)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

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
