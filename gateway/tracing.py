"""OpenTelemetry traces of the gateway, exported over OTLP/HTTP when an endpoint is configured
(``CONSENTGATE_OTLP_TRACES_ENDPOINT``; off by default).

A request's trace: the server span (opentelemetry-instrumentation-fastapi), one child span per
step of the request path (``consentgate.auth``, ``…authorise``, ``…licence``, ``…engine``,
``…mark``, ``…record``, ``…store``; see ``RequestContext.step``), and, with the engine pool,
the replica's ``consentgate.replica.generate`` under the ``engine`` span (its context travels
inside the sealed request). A job's run is its own trace, rooted at ``consentgate.job``.

Spans hold no user data: no prompt, token or audio; the query string is cut from the URL (an
officer's search term is in it); a failed step is marked with its error's type and code only.
The provider is the app's own, not the process-global one, so two apps in one process (tests)
keep their spans apart.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from opentelemetry import propagate

from engines.tracing import TraceparentOnly, exporting_provider, tracer_of

if TYPE_CHECKING:
    from fastapi import FastAPI
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.trace import Span, Tracer

    from gateway.settings import Settings

# Probes and scrapes every few seconds would bury the requests in their own spans.
UNTRACED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
SHUTDOWN_WAIT_S = 5.0  # a collector that never answers must not hold the gateway's exit
_URL_ATTRIBUTES = ("http.url", "url.full", "http.target")


class Tracing:
    """The app's tracer provider (None when tracing is off) and its FastAPI instrumentation."""

    def __init__(self, settings: Settings) -> None:
        endpoint = settings.otlp_traces_endpoint
        self._provider: TracerProvider | None = None
        if endpoint:
            self._provider = exporting_provider(
                settings.otel_service_name, endpoint, untraced_paths=UNTRACED_PATHS
            )
            # What the server span continues: a caller's traceparent only, never its tracestate
            # or baggage (process-wide: the FastAPI instrumentation reads the global one).
            propagate.set_global_textmap(TraceparentOnly())
        self.tracer: Tracer | None = tracer_of(self._provider)

    @property
    def enabled(self) -> bool:
        return self._provider is not None

    def instrument(self, app: FastAPI) -> None:
        """Wrap ``app`` in a server span per request (nothing when tracing is off)."""
        if self._provider is None:
            return
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

        FastAPIInstrumentor.instrument_app(
            app,
            tracer_provider=self._provider,
            server_request_hook=_without_query,
            exclude_spans=["receive", "send"],  # one span per body chunk says nothing useful
            # Headers are captured only if an operator sets OTel's capture variables; even then
            # their values (a bearer token, a session cookie) are never exported.
            http_capture_headers_sanitize_fields=[".*"],
        )

    def shutdown(self) -> None:
        """Export what is queued, then stop (at the app's shutdown), waiting at most
        ``SHUTDOWN_WAIT_S`` for a collector that does not answer."""
        if self._provider is not None:
            closing = threading.Thread(target=self._provider.shutdown, daemon=True)
            closing.start()
            closing.join(SHUTDOWN_WAIT_S)


@contextmanager
def root_span(tracer: Tracer | None, name: str, **attributes: str) -> Iterator[None]:
    """A trace of its own for work no request waits on (a job's run); nothing without a
    tracer."""
    if tracer is None:
        yield
        return
    with tracer.start_as_current_span(name, attributes=attributes):
        yield


def _without_query(span: Span, _scope: dict[str, Any]) -> None:
    """Cut the query string from the server span's URL attributes: a search term is user data."""
    attributes = getattr(span, "attributes", None) or {}
    for name in _URL_ATTRIBUTES:
        value = attributes.get(name)
        if isinstance(value, str) and "?" in value:
            span.set_attribute(name, value.partition("?")[0])
    if "url.query" in attributes:
        span.set_attribute("url.query", "")
