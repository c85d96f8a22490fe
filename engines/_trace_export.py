"""How spans leave a process: sampled whatever a caller asks, scrubbed of error messages, and
sent to a collector that cannot make the exporter hold more than a few KB of its answer.

Each part answers an attack on the first version (tests/integration/test_tracing.py):
a ``Host: x/healthz`` header hid a request from traces (URL exclusion matched the Host); an
unexpected error's message and stack trace reached the collector as an exception event; a
collector answering 600 MB grew the gateway by as much.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import requests
from opentelemetry.context import Context
from opentelemetry.sdk.trace import Event, ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.sampling import (
    ALWAYS_ON,
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
)
from opentelemetry.trace import Link, SpanKind, Status
from opentelemetry.util.types import Attributes

MAX_COLLECTOR_ANSWER_BYTES = 64 * 1024  # an OTLP answer is a few bytes; a partial-success note more
_PATH_ATTRIBUTES = ("http.target", "url.path")
_EXCEPTION_TYPE = "exception.type"


class EveryRequestSampler(Sampler):
    """Samples every trace — a caller's "not sampled" flag cannot hide its requests — except
    the server spans of ``untraced_paths`` (probes and scrapes), matched on the request's own
    path, never on a URL built from its Host header."""

    def __init__(self, untraced_paths: frozenset[str] = frozenset()) -> None:
        self._untraced = untraced_paths
        self._traced = ParentBased(ALWAYS_ON, remote_parent_not_sampled=ALWAYS_ON)

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: Any = None,
    ) -> SamplingResult:
        paths = [attributes.get(key) for key in _PATH_ATTRIBUTES] if attributes else []
        if kind is SpanKind.SERVER and any(path in self._untraced for path in paths):
            return SamplingResult(Decision.DROP)
        return self._traced.should_sample(
            parent_context, trace_id, name, kind, attributes, links, trace_state
        )

    def get_description(self) -> str:
        return "EveryRequestSampler"


def _scrubbed(span: ReadableSpan) -> ReadableSpan:
    """``span`` with each exception event reduced to its type and its status description to
    the error's type: a message or a stack trace may quote what a caller sent."""
    events = tuple(
        Event("exception", {_EXCEPTION_TYPE: str(event.attributes.get(_EXCEPTION_TYPE, ""))})
        if event.name == "exception" and event.attributes
        else event
        for event in span.events
    )
    status = span.status
    if status.description:
        status = Status(status.status_code, status.description.partition(":")[0])
    if events == span.events and status is span.status:
        return span
    return ReadableSpan(
        name=span.name,
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=span.attributes,
        events=events,
        links=span.links,
        kind=span.kind,
        status=status,
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


class ScrubbingExporter(SpanExporter):
    """Passes spans to ``inner`` once scrubbed (see ``_scrubbed``)."""

    def __init__(self, inner: SpanExporter) -> None:
        self._inner = inner

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self._inner.export([_scrubbed(span) for span in spans])

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return self._inner.force_flush(timeout_millis)


class BoundedAnswerSession(requests.Session):
    """A session that reads at most ``MAX_COLLECTOR_ANSWER_BYTES`` of any answer and drops
    the connection after, so no collector (or whatever answers at its address) can make the
    exporter buffer an endless body."""

    def request(self, method: Any, url: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["stream"] = True
        response = super().request(method, url, *args, **kwargs)
        try:
            head = response.raw.read(MAX_COLLECTOR_ANSWER_BYTES, decode_content=True)
        except Exception:  # a broken answer is an empty one; its status still counts
            head = b""
        finally:
            response.close()
        response._content = head or b""
        response._content_consumed = True
        return response
