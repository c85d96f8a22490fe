"""``/metrics``: the series an operator scrapes, with bounded labels and no user data."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from engines import ModelLoader
from gateway.app import create_app
from gateway.services import build_services
from gateway.settings import Settings
from tests.factories import IdentityProvider, bearer

PROMPT = "a quiet harbour at dawn, zebra-striped lighthouse"
IMAGE = {"prompt": PROMPT, "purpose": "internal", "seed": 1}
TINY_IMAGE_MODEL = "consentgate/tiny-sd"

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: TestClient) -> tuple[str, Samples]:
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    samples: Samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return response.text, samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def series(samples: Samples, name: str) -> list[dict[str, str]]:
    return [dict(labels) for (sample, labels) in samples if sample == name]


def test_a_few_requests_show_in_every_series(client: TestClient, idp: IdentityProvider) -> None:
    _, before = scrape(client)
    allowed = client.post("/v1/images", json=IMAGE, headers=bearer(idp.token("alice")))
    assert allowed.status_code == 201, allowed.text
    officer = bearer(idp.token("carol", roles=["compliance_officer"]))
    denied = client.post("/v1/images", json=IMAGE, headers=officer)
    assert denied.status_code == 403
    artifact = client.get(f"/v1/artifacts/{allowed.json()['artifact_id']}", headers=officer)
    text, after = scrape(client)

    def grew(name: str, by: float = 1, **labels: str) -> None:
        delta = value(after, name, **labels) - value(before, name, **labels)
        assert delta == by, (name, labels, delta)

    requests = "consentgate_requests_total"
    grew(requests, method="POST", route="/v1/images", status="201")
    grew(requests, method="POST", route="/v1/images", status="403")
    route = "/v1/artifacts/{artifact_id}"
    grew(requests, method="GET", route=route, status=str(artifact.status_code))
    grew("consentgate_request_duration_seconds_count", 2, route="/v1/images")

    decisions = "consentgate_decisions_total"
    grew(decisions, action="generate", decision="allow", code="ok")
    grew(decisions, action="generate", decision="deny", code="role_forbidden")

    engine = {"engine": "image", "model": TINY_IMAGE_MODEL}
    grew("consentgate_engine_seconds_count", **engine)
    assert value(after, "consentgate_engine_seconds_sum", **engine) > 0
    grew("consentgate_engine_batch_size_count", **engine)
    grew("consentgate_signing_seconds_count")
    appended = value(after, "consentgate_audit_append_seconds_count") - value(
        before, "consentgate_audit_append_seconds_count"
    )
    assert appended >= 2  # the allow, the deny (and the artifact read's entry)

    lanes = {labels["engine"] for labels in series(after, "consentgate_engine_queue_depth")}
    assert {"image", "speech", "voice_clone", "music", "video"} <= lanes
    assert value(after, "consentgate_engine_queue_depth", engine="image") == 0
    assert value(after, "consentgate_engine_slots", engine="image") >= 1

    # No user data: subjects, prompt words, request ids, artifact ids.
    for secret in ("alice", "carol", "harbour", "zebra", allowed.headers["X-Request-Id"]):
        assert secret not in text
    assert allowed.json()["artifact_id"] not in text


@pytest.fixture
def unthrottled(settings: Settings, model_loader: ModelLoader) -> Iterator[TestClient]:
    """10^4 requests from one address are over the client rate: lift it for this flood."""
    settings.rate_limit_client_per_minute = 10**6
    services = build_services(settings, loader=model_loader)
    with TestClient(create_app(services=services)) as client:
        yield client


def test_raw_paths_do_not_become_series(unthrottled: TestClient) -> None:
    """10^4 distinct paths (unknown ones, one route's many ids, NUL and 60 KB segments,
    made-up methods) add a handful of series, not 10^4."""
    client = unthrottled
    _, before = scrape(client)
    paths = [f"/no/such/{n}" for n in range(5000)] + [
        f"/v1/artifacts/{n:026d}" for n in range(5000)
    ]
    paths += ["/v1/artifacts/%00", "/v1/artifacts/" + "a" * 60_000, "/%00/%ff/\u2028"]
    for path in paths:
        assert client.get(path).status_code < 500
    assert client.request("BREW", "/v1/images").status_code < 500
    text, after = scrape(client)
    grown = set(after) - set(before)
    assert len(grown) < 60, sorted(grown)[:20]
    routes = {labels["route"] for labels in series(after, "consentgate_requests_total")}
    assert "/v1/artifacts/{artifact_id}" in routes and "unmatched" in routes
    assert not any(route.startswith("/no/") or "aaaa" in route for route in routes)
    methods = {labels["method"] for labels in series(after, "consentgate_requests_total")}
    assert "BREW" not in methods and "other" in methods
    assert "\x00" not in text and "%00" not in text


def test_a_scrape_during_load_answers(client: TestClient, idp: IdentityProvider) -> None:
    token = bearer(idp.token("alice"))
    statuses: list[int] = []

    def generate() -> None:
        for seed in range(3):
            body = {**IMAGE, "seed": seed}
            statuses.append(client.post("/v1/images", json=body, headers=token).status_code)

    workers = [threading.Thread(target=generate) for _ in range(3)]
    for worker in workers:
        worker.start()
    scrapes = 0
    while any(worker.is_alive() for worker in workers):
        scrape(client)  # parses: a consistent exposition while lanes fill and drain
        scrapes += 1
    for worker in workers:
        worker.join()
    assert scrapes > 0 and set(statuses) <= {201, 429, 503}
    _, samples = scrape(client)
    assert value(samples, "consentgate_engine_running", engine="image") == 0


@pytest.fixture
def metrics_off(settings: Settings, model_loader: ModelLoader) -> Iterator[TestClient]:
    settings.metrics_enabled = False
    services = build_services(settings, loader=model_loader)
    with TestClient(create_app(services=services)) as client:
        yield client


def test_metrics_can_be_turned_off(metrics_off: TestClient) -> None:
    response = metrics_off.get("/metrics")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert metrics_off.get("/healthz").status_code == 200
