"""Per-request context: the request id, who is calling, and how long each step took."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ulid import ULID

from gateway.metrics import observe_step

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer

    from gateway.auth import Principal

ENGINE_STEP = "engine"

# The request (or job) this code runs for, for log lines (gateway/logs.py): set by the context
# middleware and the job workers; copied into threadpool calls and generation lanes.
CURRENT_REQUEST_ID: ContextVar[str | None] = ContextVar("consentgate_request_id", default=None)


@contextmanager
def traced_step(tracer: Tracer, name: str) -> Iterator[None]:
    """A span for one step, current while it runs (so the engine pool's seal carries it). A
    refusal marks it with its error's type and code, never its message (it may quote input)."""
    from opentelemetry.trace import Status, StatusCode

    with tracer.start_as_current_span(
        f"consentgate.{name}", record_exception=False, set_status_on_exception=False
    ) as span:
        try:
            yield
        except BaseException as exc:
            code = getattr(exc, "code", None)
            if isinstance(code, str):
                span.set_attribute("consentgate.code", code)
            span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            raise


@dataclass
class RequestContext:
    request_id: str = field(default_factory=lambda: str(ULID()))
    method: str = ""
    path: str = ""
    principal: Principal | None = None
    client: str | None = None  # the caller's address, as the server saw it
    timings_ms: dict[str, float] = field(default_factory=dict)
    audit_links: dict[str, Any] = field(default_factory=dict)  # e.g. the job an entry belongs to
    tracer: Tracer | None = None  # set when the app traces (gateway/tracing.py)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time a step (repeated steps add up), and trace it as a span when tracing is on."""
        start = time.perf_counter()
        try:
            if self.tracer is None:
                yield
            else:
                with traced_step(self.tracer, name):
                    yield
        finally:
            elapsed = time.perf_counter() - start
            self.timings_ms[name] = self.timings_ms.get(name, 0.0) + elapsed * 1000
            observe_step(name, elapsed)

    @property
    def engine_ms(self) -> float:
        return self.timings_ms.get(ENGINE_STEP, 0.0)

    def server_timing(self) -> str:
        """The timings as an HTTP Server-Timing header value."""
        return ", ".join(f"{name};dur={ms:.2f}" for name, ms in self.timings_ms.items())
