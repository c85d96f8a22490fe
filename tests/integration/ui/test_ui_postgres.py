"""Workspace sessions and sign-ins on PostgreSQL, as production keeps them (skipped where no
PostgreSQL answers; failed instead under CONSENTGATE_REQUIRE_SERVICES=1, see test_postgres.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient

from engines import ModelLoader
from gateway.app import create_app
from gateway.services import build_services
from gateway.settings import AuthMode, Settings
from gateway.ui.errors import LoginStateInvalid
from gateway.ui.logins import LoginFlow, PendingLogins
from tests.integration.test_postgres import postgres_url  # noqa: F401  (a fixture)
from tests.integration.ui.workspace import csrf_token, dev_sign_in, entries


def test_sign_in_and_out_on_postgresql(
    postgres_url: str,  # noqa: F811
    tmp_path: Path,
    model_loader: ModelLoader,
) -> None:
    settings = Settings(
        data_dir=tmp_path / "data", auth_mode=AuthMode.DEV, database_url=postgres_url
    )
    services = build_services(settings, loader=model_loader)
    with TestClient(create_app(services=services), follow_redirects=False) as browser:
        assert dev_sign_in(browser, "ann", ["employee"]).status_code == 303
        assert browser.get("/ui").status_code == 200
        token = csrf_token(browser.get("/ui").text)
        assert browser.post("/ui/logout", data={"csrf_token": token}).status_code == 303
    with services.db.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM ui_sessions")).scalar_one() == 0
    assert [e.action for e in entries(services, subject="ann")] == ["sign_in", "sign_out"]
    services.db.dispose()


def test_one_state_finishes_one_sign_in_when_two_requests_race(
    postgres_url: str,  # noqa: F811
) -> None:
    """The conditional DELETE takes the row once, whichever request comes first."""
    db = sa.create_engine(postgres_url)
    logins = PendingLogins(db)
    login = logins.begin(LoginFlow.OIDC, "/ui")
    outcomes: list[str] = []
    start = threading.Barrier(8)

    def finish() -> None:
        start.wait()
        try:
            logins.finish(login.state, login.state, LoginFlow.OIDC)
            outcomes.append("finished")
        except LoginStateInvalid:
            outcomes.append("refused")

    threads = [threading.Thread(target=finish) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["finished"] + ["refused"] * 7
    db.dispose()
