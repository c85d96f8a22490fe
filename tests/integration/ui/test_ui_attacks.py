"""What the independent attack on the workspace found, each kept as a test: a stalled IdP
freezing the gateway, 500s for a long scope list, a chart at the first instant and a token
expiring past year 9999, and return paths leaving /ui through encoded dot segments."""

from __future__ import annotations

import datetime as dt
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from engines import ModelLoader
from gateway.app import create_app
from gateway.services import build_services
from gateway.settings import Settings
from gateway.ui.pages import safe_return_to
from tests.factories import IdentityProvider
from tests.integration.ui.workspace import csrf_token, dev_sign_in, entries, oidc_sign_in

DEADLINE_S = 60.0  # a bound, not a timing: before the fix 45 sign-ins took 225 s and more


@pytest.fixture
def silent_issuer() -> Iterator[str]:
    """An IdP address that accepts connections and never answers (a hung or firewalled IdP)."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(128)
        yield f"http://127.0.0.1:{silent.getsockname()[1]}"


def test_a_stalled_idp_refuses_sign_ins_quickly_and_the_gateway_keeps_answering(
    oidc_settings: Settings, model_loader: ModelLoader, silent_issuer: str
) -> None:
    settings = oidc_settings.model_copy(update={"oidc_issuer": silent_issuer})
    app = create_app(services=build_services(settings, loader=model_loader))
    with TestClient(app, follow_redirects=False) as ui, ThreadPoolExecutor(45) as crowd:
        started = time.monotonic()
        starts = [crowd.submit(ui.get, "/ui/login/oidc") for _ in range(45)]
        health = ui.get("/healthz")  # while 45 sign-ins wait on the IdP (the pool is 40)
        answers = [start.result(timeout=DEADLINE_S) for start in starts]
        assert time.monotonic() - started < DEADLINE_S
    assert health.status_code == 200
    assert {answer.status_code for answer in answers} == {503}
    assert {answer.headers.get("content-type", "")[:9] for answer in answers} == {"text/html"}
    assert all("idp_unavailable" in answer.text for answer in answers)


def test_a_scope_longer_than_the_api_takes_is_refused_as_the_api_does(
    dev_ui: TestClient, dev_services: object
) -> None:
    dev_sign_in(dev_ui, "vic", ["voice_user"])
    form = dev_ui.get("/ui/voices/new")
    expires = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    answer = dev_ui.post(
        "/ui/voices/new",
        data={
            "csrf_token": csrf_token(form.text),
            "language": "en",
            "subjects": " ".join(f"u{n}" for n in range(200)),
            "purposes": "internal",
            "expires_on": expires,
        },
    )
    assert answer.status_code == 422, answer.text
    assert "invalid_request" in answer.text
    (refused,) = entries(dev_services, subject="vic", code="invalid_request")
    assert refused.decision == "deny"


def test_the_activity_chart_takes_the_first_instant_as_its_end(
    dev_ui: TestClient,
) -> None:
    dev_sign_in(dev_ui, "rhea", ["compliance_officer"])
    for until in ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00+00:00"):
        answer = dev_ui.get("/ui/audit/activity", params={"until": until})
        assert answer.status_code == 200, answer.text


def test_an_id_token_expiring_past_year_9999_signs_in_for_the_session_s_own_limits(
    ui: TestClient, oidc_idp: IdentityProvider
) -> None:
    oidc_idp.id_token_claims = {"exp": 10**12}
    answer = oidc_sign_in(ui, oidc_idp, "ann")
    assert answer.status_code == 303, answer.text
    assert ui.get("/ui").status_code == 200


@pytest.mark.parametrize(
    "next_page",
    [
        "/ui/%2e%2e/v1/audit",
        "/ui/.%2e/v1",
        "/ui/%2E%2E/%2e%2e//evil.example/x",
        "/ui/%252e%252e/v1",
        "/ui/a%2f..%2fb",
        "/ui/x%5c..%5cy",
        "/ui/./audit",
    ],
)
def test_a_return_path_cannot_leave_the_workspace_through_encoded_segments(
    next_page: str,
) -> None:
    assert safe_return_to(next_page) == "/ui"


@pytest.mark.parametrize("next_page", ["/ui/audit?q=%25x&decision=deny", "/ui/voices/voice_01K"])
def test_a_return_path_inside_the_workspace_is_kept(next_page: str) -> None:
    assert safe_return_to(next_page) == next_page
