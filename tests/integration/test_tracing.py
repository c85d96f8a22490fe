"""OpenTelemetry traces, exported over OTLP/HTTP to a real receiver on loopback: one trace per
request, a span per step of the request path, refusals marked with their code, no user data."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from engines import ModelLoader
from gateway.app import create_app
from gateway.services import build_services
from gateway.settings import Settings
from tests.factories import IdentityProvider, bearer
from tests.otlp import ReceivedSpan, TraceCollector

PROMPT = "a lighthouse painted by zebrafinch"  # a word no span may carry
IMAGE = {"prompt": PROMPT, "purpose": "internal", "seed": 1, "steps": 2}
STEPS = ("auth", "authorise", "licence", "engine", "mark", "record", "store")


@pytest.fixture(scope="module")
def collector() -> Iterator[TraceCollector]:
    running = TraceCollector().start()
    yield running
    running.stop()


def _traced_client(
    settings: Settings, loader: ModelLoader, endpoint: str
) -> tuple[TestClient, Settings]:
    traced = settings.model_copy(update={"otlp_traces_endpoint": endpoint})
    return TestClient(create_app(services=build_services(traced, loader=loader))), traced


def _by_request(collector: TraceCollector, request_id: str) -> ReceivedSpan:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for span in list(collector.spans):
            if span.attributes.get("consentgate.request_id") == request_id:
                return span
        time.sleep(0.05)
    raise AssertionError(f"no server span for request {request_id}")


def test_a_generation_is_one_trace_with_a_span_per_step(
    settings: Settings, model_loader: ModelLoader, idp: IdentityProvider, collector: TraceCollector
) -> None:
    client, _ = _traced_client(settings, model_loader, collector.endpoint)
    with client:
        answer = client.post("/v1/images", json=IMAGE, headers=bearer(idp.token("alice")))
    assert answer.status_code == 201, answer.text

    server = _by_request(collector, answer.headers["X-Request-Id"])
    assert server.name == "POST /v1/images" and server.service == "consentgate-gateway"
    assert server.parent_id == ""  # the request's own trace: it came with no traceparent
    spans = collector.trace(server.trace_id)
    names = {span.name for span in spans}
    assert {f"consentgate.{step}" for step in STEPS} <= names, names
    by_id = {span.span_id: span for span in spans}
    for span in spans:
        if span is not server:  # every step hangs under the request, not in a trace of its own
            assert span.parent_id in by_id, span
    mark = next(span for span in spans if span.name == "consentgate.mark")
    assert by_id[mark.parent_id].name == "consentgate.record"  # signed inside the append


def test_a_caller_s_traceparent_is_continued(
    settings: Settings, model_loader: ModelLoader, idp: IdentityProvider, collector: TraceCollector
) -> None:
    trace_id, parent_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    headers = {**bearer(idp.token("alice")), "traceparent": f"00-{trace_id}-{parent_id}-01"}
    client, _ = _traced_client(settings, model_loader, collector.endpoint)
    with client:
        answer = client.get("/v1/licences", headers=headers)
    assert answer.status_code == 200
    server = _by_request(collector, answer.headers["X-Request-Id"])
    assert (server.trace_id, server.parent_id) == (trace_id, parent_id)


def test_a_caller_cannot_turn_tracing_off_or_bloat_a_span(
    settings: Settings, model_loader: ModelLoader, idp: IdentityProvider, collector: TraceCollector
) -> None:
    trace_id = "5bf92f3577b34da6a3ce929d0e0e4737"
    headers = {
        **bearer(idp.token("alice")),
        "traceparent": f"00-{trace_id}-00f067aa0ba902b7-00",  # "not sampled"
        "tracestate": ",".join(f"k{n}=v{n}" for n in range(500)),  # past W3C's 32 entries
        "User-Agent": "x" * 60_000,
    }
    client, _ = _traced_client(settings, model_loader, collector.endpoint)
    with client:
        answer = client.get("/v1/licences", headers=headers)
    assert answer.status_code == 200
    server = _by_request(collector, answer.headers["X-Request-Id"])
    assert server.trace_id == trace_id
    assert all(len(str(value)) <= 512 for value in server.attributes.values()), server.attributes


@pytest.mark.parametrize(
    "traceparent",
    [
        "zz" * 5000,
        "00-" + "0" * 32 + "-00f067aa0ba902b7-01",
        "ff-4bf9-00f0-01",
        "00-\u00e9\u00e9-x-01".encode("latin-1"),
    ],
)
def test_a_malformed_traceparent_starts_a_trace_of_its_own(
    traceparent: str | bytes,
    settings: Settings,
    model_loader: ModelLoader,
    idp: IdentityProvider,
    collector: TraceCollector,
) -> None:
    headers = {**bearer(idp.token("alice")), "traceparent": traceparent}
    client, _ = _traced_client(settings, model_loader, collector.endpoint)
    with client:
        answer = client.get("/v1/licences", headers=headers)
    assert answer.status_code == 200
    server = _by_request(collector, answer.headers["X-Request-Id"])
    assert server.parent_id == "" and server.trace_id != "0" * 32


def test_a_refusal_marks_its_step_with_the_code_and_no_message(
    settings: Settings, model_loader: ModelLoader, idp: IdentityProvider, collector: TraceCollector
) -> None:
    client, _ = _traced_client(settings, model_loader, collector.endpoint)
    with client:
        answer = client.post(
            "/v1/images",
            json={**IMAGE, "purpose": "commercial", "model": "acme/unlicensed-model"},
            headers=bearer(idp.token("alice")),
        )
    assert answer.status_code == 403, answer.text
    code = answer.json()["code"]
    server = _by_request(collector, answer.headers["X-Request-Id"])
    failed = [s for s in collector.trace(server.trace_id) if s.status == 2 and s is not server]
    assert [s.attributes.get("consentgate.code") for s in failed] == [code]
    assert failed[0].status_message and PROMPT not in failed[0].status_message


def test_no_span_carries_a_prompt_a_search_term_or_a_token(
    settings: Settings, model_loader: ModelLoader, idp: IdentityProvider, collector: TraceCollector
) -> None:
    token = idp.token("olga", roles=["compliance_officer"])
    client, _ = _traced_client(settings, model_loader, collector.endpoint)
    with client:
        made = client.post("/v1/images", json=IMAGE, headers=bearer(idp.token("alice")))
        search = client.get("/v1/audit?q=zebrafinch&limit=5", headers=bearer(token))
    assert made.status_code == 201 and search.status_code == 200, search.text
    server = _by_request(collector, search.headers["X-Request-Id"])
    assert server.attributes.get("http.url", "").endswith("/v1/audit"), server.attributes
    exported = b"".join(collector.raw)
    assert b"zebrafinch" not in exported
    assert token.encode() not in exported and token.split(".")[2].encode() not in exported


def test_a_job_run_is_traced_with_its_steps(
    settings: Settings, model_loader: ModelLoader, idp: IdentityProvider, collector: TraceCollector
) -> None:
    headers = bearer(idp.token("alice"))
    client, _ = _traced_client(settings, model_loader, collector.endpoint)
    with client:
        submitted = client.post("/v1/images?mode=async", json=IMAGE, headers=headers)
        assert submitted.status_code == 202
        job_id = submitted.json()["job_id"]
        deadline = time.monotonic() + 60
        while client.get(f"/v1/jobs/{job_id}", headers=headers).json()["state"] != "succeeded":
            assert time.monotonic() < deadline
            time.sleep(0.05)
    run = collector.wait_for("consentgate.job", kind="image")
    names = {span.name for span in collector.trace(run.trace_id)}
    assert {"consentgate.engine", "consentgate.mark", "consentgate.record"} <= names, names


def test_a_collector_that_is_down_costs_no_request(
    settings: Settings, model_loader: ModelLoader, idp: IdentityProvider
) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        endpoint = f"http://127.0.0.1:{probe.getsockname()[1]}/v1/traces"
    client, _ = _traced_client(settings, model_loader, endpoint)
    with client:
        answer = client.post("/v1/images", json=IMAGE, headers=bearer(idp.token("alice")))
    assert answer.status_code == 201, answer.text


def test_tracing_is_off_unless_an_endpoint_is_set(client: TestClient) -> None:
    assert client.app.state.tracing.enabled is False  # type: ignore[attr-defined]


# -- from the attack on tracing --------------------------------------------------------------


def _exported_after(collector: TraceCollector, request_id: str) -> bytes:
    """Everything exported up to and including the server span of ``request_id``."""
    _by_request(collector, request_id)
    return b"".join(collector.raw)


def test_a_host_header_cannot_hide_a_request_and_probes_stay_untraced(
    settings: Settings, model_loader: ModelLoader, idp: IdentityProvider, collector: TraceCollector
) -> None:
    """URL exclusion matched ``scheme://<Host header><path>``: ``Host: x/healthz`` hid a
    generation from traces. Probes are recognised by the request's own path."""
    client, _ = _traced_client(settings, model_loader, collector.endpoint)
    with client:
        probe = client.get("/healthz")
        hidden = client.post(
            "/v1/images",
            json=IMAGE,
            headers={**bearer(idp.token("alice")), "host": "gw.example/healthz"},
        )
    assert probe.status_code == 200 and hidden.status_code == 201, hidden.text
    server = _by_request(collector, hidden.headers["X-Request-Id"])
    assert "consentgate.engine" in {span.name for span in collector.trace(server.trace_id)}
    probed = probe.headers["X-Request-Id"]
    assert not [s for s in collector.spans if s.attributes.get("consentgate.request_id") == probed]


def test_an_unexpected_error_exports_its_type_not_its_message(
    settings: Settings,
    model_loader: ModelLoader,
    idp: IdentityProvider,
    collector: TraceCollector,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, _ = _traced_client(settings, model_loader, collector.endpoint)
    services = client.app.state.services  # type: ignore[attr-defined]

    def broken(text: str, _declared: str) -> None:
        raise RuntimeError(f"language check failed on {text!r}")

    monkeypatch.setattr(services.languages, "check", broken)
    speech = {"text": PROMPT, "language": "en", "purpose": "internal"}
    with TestClient(client.app, raise_server_exceptions=False) as failing:
        answer = failing.post("/v1/speech", json=speech, headers=bearer(idp.token("alice")))
    assert answer.status_code == 500, answer.text
    request_id = answer.json()["request_id"]
    exported = _exported_after(collector, request_id)
    assert b"zebrafinch" not in exported and b"language check failed" not in exported
    server = _by_request(collector, request_id)
    assert server.status == 2 and PROMPT not in server.status_message


def test_fastapi_s_own_telemetry_stays_off(
    settings: Settings,
    model_loader: ModelLoader,
    idp: IdentityProvider,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With gateway tracing off, FASTAPI_OTEL_AUTO_CONFIGURE made FastAPI export an officer's
    search term (the query string) and error messages on its own."""
    own = TraceCollector().start()
    try:
        monkeypatch.setenv("FASTAPI_OTEL_AUTO_CONFIGURE", "true")
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", own.endpoint.removesuffix("/v1/traces"))
        monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "100")
        officer = bearer(idp.token("olga", roles=["compliance_officer"]))
        with TestClient(create_app(services=build_services(settings, loader=model_loader))) as c:
            assert c.get("/v1/audit?q=zebrafinch", headers=officer).status_code == 200
        time.sleep(1.0)  # past the exporter's delay: anything sent has arrived
        assert own.raw == []
    finally:
        own.stop()


def test_a_caller_s_tracestate_and_baggage_are_not_taken(
    settings: Settings,
    model_loader: ModelLoader,
    idp: IdentityProvider,
    collector: TraceCollector,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A 7.6 KB tracestate was copied into every span of the request (and into the seal); a
    1 MB baggage header was parsed and logged whole."""
    headers = {
        **bearer(idp.token("alice")),
        "traceparent": "00-6bf92f3577b34da6a3ce929d0e0e4738-00f067aa0ba902b7-01",
        "tracestate": ",".join(f"k{n}=zebrafinch{'x' * 230}" for n in range(31)),
        "baggage": "k=" + "y" * 60_000,
    }
    client, _ = _traced_client(settings, model_loader, collector.endpoint)
    with client:
        answer = client.get("/v1/licences", headers=headers)
    assert answer.status_code == 200
    exported = _exported_after(collector, answer.headers["X-Request-Id"])
    assert b"zebrafinch" not in exported
    assert max((len(r.getMessage()) for r in caplog.records), default=0) < 10_000


def test_captured_header_values_are_never_exported(
    settings: Settings,
    model_loader: ModelLoader,
    idp: IdentityProvider,
    collector: TraceCollector,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_REQUEST", ".*")
    token = idp.token("alice", kid="ec-1")  # short enough to fit in one attribute whole
    client, _ = _traced_client(settings, model_loader, collector.endpoint)
    with client:
        answer = client.get("/v1/licences", headers=bearer(token))
    assert answer.status_code == 200
    exported = _exported_after(collector, answer.headers["X-Request-Id"])
    assert token.split(".")[2].encode() not in exported
    assert token.split(".")[1][:40].encode() not in exported


def test_a_collector_that_never_answers_does_not_hold_the_shutdown(
    settings: Settings, model_loader: ModelLoader, idp: IdentityProvider
) -> None:
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}/v1/traces"
        client, _ = _traced_client(settings, model_loader, endpoint)
        with client:
            assert client.get("/v1/licences", headers=bearer(idp.token("alice"))).status_code == 200
            leaving = time.monotonic()
        assert time.monotonic() - leaving < 20  # a bound, not a timing: it was 30 s and more
