"""OpenTelemetry traces across the engine pool: the exporter both sides build, and the trace
context a sealed request carries from the gateway's ``engine`` span to the replica's.

Tracing is off unless an OTLP endpoint is configured; then each process (the gateway, each
replica) exports its own spans over OTLP/HTTP, and a collector joins them by trace id. The
carrier is the W3C ``traceparent`` only (no tracestate, no baggage): nothing a caller wrote, so
a trace never holds a prompt or a voice.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from opentelemetry import trace
from opentelemetry.propagators.textmap import default_getter
from opentelemetry.trace import NonRecordingSpan, SpanContext, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.trace import Span, Tracer

__all__ = [
    "TraceparentOnly",
    "carrier",
    "current_trace_id",
    "exporting_provider",
    "span_from",
    "tracer_of",
]

# A collector that is down must not hold a request: an export waits at most this long, on the
# exporter's own thread, and spans beyond the queue are dropped (never the request).
EXPORT_TIMEOUT_S = 5.0
EXPORT_QUEUE = 2048
# A caller writes some attributes (its User-Agent, the path): bounded, so a 60 KB header
# cannot make every span of its requests 60 KB in the collector.
MAX_ATTRIBUTE_CHARS = 512
INSTRUMENTATION = "consentgate"


def exporting_provider(
    service_name: str,
    endpoint: str,
    export_delay_ms: int = 1000,
    untraced_paths: frozenset[str] = frozenset(),
) -> TracerProvider:
    """A tracer provider that batches spans to the OTLP/HTTP ``endpoint`` (``…/v1/traces``):
    every trace sampled but the server spans of ``untraced_paths``, attributes bounded,
    error messages scrubbed, the collector's answers read to a bound."""
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import SpanLimits, TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    from engines._trace_export import BoundedAnswerSession, EveryRequestSampler, ScrubbingExporter

    provider = TracerProvider(
        sampler=EveryRequestSampler(untraced_paths),
        resource=Resource.create({"service.name": service_name}),
        span_limits=SpanLimits(max_attribute_length=MAX_ATTRIBUTE_CHARS),
    )
    exporter = OTLPSpanExporter(
        endpoint=endpoint, timeout=EXPORT_TIMEOUT_S, session=BoundedAnswerSession()
    )
    provider.add_span_processor(
        BatchSpanProcessor(
            ScrubbingExporter(exporter),
            max_queue_size=EXPORT_QUEUE,
            schedule_delay_millis=export_delay_ms,
        )
    )
    return provider


class TraceparentOnly(TraceContextTextMapPropagator):
    """W3C trace context without ``tracestate``: a caller may name the trace it continues, not
    put its own text (up to 8 KB of tracestate) into every span of the request."""

    def extract(self, carrier: Any, context: Any = None, getter: Any = default_getter) -> Any:
        extracted = super().extract(carrier, context, getter)
        remote = trace.get_current_span(extracted).get_span_context()
        if not remote.is_valid or not remote.trace_state:
            return extracted
        plain = SpanContext(remote.trace_id, remote.span_id, True, remote.trace_flags)
        return trace.set_span_in_context(NonRecordingSpan(plain), context)

    @property
    def fields(self) -> set[str]:
        return {self._TRACEPARENT_HEADER_NAME}


_PROPAGATOR = TraceparentOnly()


def carrier() -> dict[str, str]:
    """The current span's context as W3C headers (empty outside a sampled span)."""
    headers: dict[str, str] = {}
    _PROPAGATOR.inject(headers)
    return headers


@contextmanager
def span_from(
    tracer: Tracer | None, name: str, headers: dict[str, str], **attributes: str
) -> Iterator[Span | None]:
    """A span named ``name`` continuing the trace in ``headers`` (None when not tracing).

    The span is not made current: an async generator resumes in whichever task pulls it, and
    a context attached in one task cannot be detached in another. An error's type (never its
    message, which may quote a caller) marks the span failed.
    """
    if tracer is None:
        yield None
        return
    span = tracer.start_span(name, context=_PROPAGATOR.extract(headers), attributes=attributes)
    try:
        yield span
    except BaseException as exc:
        span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
        raise
    finally:
        span.end()


def tracer_of(provider: TracerProvider | None) -> Tracer | None:
    return None if provider is None else provider.get_tracer(INSTRUMENTATION)


def current_trace_id() -> str | None:
    """The current trace's id as 32 hex digits, for log lines; None outside a span."""
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None
