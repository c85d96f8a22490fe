"""A gateway killed (SIGKILL) under signed-in workspace users: sessions and half-done sign-ins
live in the database, so after a restart a session still opens its pages, a sign-in started
before the crash still finishes once, sign-out still needs its CSRF token, and the audit log
verifies."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from tests.e2e.conftest import cli, serve

_STATE = re.compile(r'name="state" value="([^"]+)"')
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _state(page: str) -> str:
    match = _STATE.search(page)
    assert match, page
    return match[1]


def test_sessions_and_pending_sign_ins_survive_a_killed_gateway(tmp_path: Path) -> None:
    dev = {"CONSENTGATE_AUTH_MODE": "dev"}
    before = serve(tmp_path / "data", tmp_path, dev)
    officer = httpx.Client(base_url=before.url, timeout=60)
    pending = httpx.Client(base_url=before.url, timeout=60)
    try:
        form = {"state": _state(officer.get("/ui/login").text), "subject": "rhea"}
        signed_in = officer.post("/ui/login/dev", data={**form, "roles": ["compliance_officer"]})
        assert signed_in.status_code == 303, signed_in.text
        assert officer.get("/ui/audit").status_code == 200
        started = _state(pending.get("/ui/login").text)  # a sign-in begun, not finished
    finally:
        before.kill()

    after = serve(tmp_path / "data", tmp_path, dev)
    try:
        officer.base_url = pending.base_url = httpx.URL(after.url)
        page = officer.get("/ui/audit")
        assert page.status_code == 200, page.text
        finished = pending.post(
            "/ui/login/dev", data={"state": started, "subject": "vic", "roles": ["voice_user"]}
        )
        assert finished.status_code == 303, finished.text
        again = pending.post(
            "/ui/login/dev", data={"state": started, "subject": "vic", "roles": ["voice_user"]}
        )
        assert again.status_code == 400 and "login_state_invalid" in again.text  # used up
        assert officer.post("/ui/logout").status_code == 403  # still CSRF-checked
        csrf = _CSRF.search(page.text)
        assert csrf
        assert officer.post("/ui/logout", data={"csrf_token": csrf[1]}).status_code == 303
        assert officer.get("/ui/audit").status_code == 303  # signed out: to the sign-in page
        verify = cli(after.env, "audit", "verify", "--json")
        assert verify.returncode == 0, verify.stdout + verify.stderr
    finally:
        officer.close()
        pending.close()
        after.stop()
