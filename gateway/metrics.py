"""Prometheus metrics (prometheus-client), served at ``/metrics``.

No metric carries user data: no subject, prompt, path parameter or request id. Every label
value comes from a bounded set: route templates (not raw paths), HTTP methods from a fixed
list, actions and codes written in the code, engine kinds, and model ids from configuration
(an engine only runs a configured model). A value outside its expected shape is counted as
``other``, so no caller can create series at will.

The counters and histograms live in prometheus-client's process registry, as the library
intends (one process, one set); what belongs to one app (its generation lanes) is read at
scrape time by a collector registered with that app's own registry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from prometheus_client.core import Metric
    from starlette.types import Scope

    from audit import AuditEntry
    from engines import EngineOutput

__all__ = ["CONTENT_TYPE_LATEST", "exposition", "observe_batch"]

OTHER = "other"
UNMATCHED_ROUTE = "unmatched"  # no route matched (404), or refused before routing (429)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_CODE_SHAPE = re.compile(r"[a-z][a-z0-9_]{0,63}")  # actions, decisions, codes: snake_case
_MAX_LABEL_CHARS = 200  # a route template or a configured model id; longer ones are not ours

# Seconds. A request, a signature or an append: milliseconds to seconds. An engine: a tiny
# model's milliseconds on a CPU to a video's minutes.
_FAST_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_ENGINE_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0)
_BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64)

REQUESTS = Counter("consentgate_requests", "HTTP requests answered", ["method", "route", "status"])
REQUEST_SECONDS = Histogram(
    "consentgate_request_duration_seconds",
    "Time from a request's arrival to the end of its answer",
    ["route"],
    buckets=_FAST_BUCKETS,
)
DECISIONS = Counter(
    "consentgate_decisions",
    "Audit entries appended, by action, decision and code",
    ["action", "decision", "code"],
)
ENGINE_SECONDS = Histogram(
    "consentgate_engine_seconds",
    "Time an engine took to generate one output (successful generations)",
    ["engine", "model"],
    buckets=_ENGINE_BUCKETS,
)
BATCH_SIZE = Histogram(
    "consentgate_engine_batch_size",
    "How many generations ran together in the batch of each generation",
    ["engine", "model"],
    buckets=_BATCH_BUCKETS,
)
AUDIT_APPEND_SECONDS = Histogram(
    "consentgate_audit_append_seconds",
    "Time a request waited for its audit entry to be stored (a generation's includes signing "
    "its manifest, which names the entry's seq and so happens inside the append)",
    buckets=_FAST_BUCKETS,
)
SIGNING_SECONDS = Histogram(
    "consentgate_signing_seconds",
    "Time to sign a C2PA manifest into an output and read it back",
    buckets=_FAST_BUCKETS,
)
# Request context steps (gateway/context.py) that have a histogram of their own.
STEP_HISTOGRAMS: Mapping[str, Histogram] = {
    "record": AUDIT_APPEND_SECONDS,
    "mark": SIGNING_SECONDS,
}


def _bounded(value: str | None, shape: re.Pattern[str] = _CODE_SHAPE) -> str:
    if value is None:
        return "none"
    return value if shape.fullmatch(value) else OTHER


def _plain(value: str) -> str:
    """A label from configuration or the code: printable and short, else ``other``."""
    return value if len(value) <= _MAX_LABEL_CHARS and value.isprintable() else OTHER


def route_template(scope: Scope) -> str:
    """The matched route's template (``/v1/artifacts/{artifact_id}``), never the raw path."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    return _plain(template) if isinstance(template, str) else UNMATCHED_ROUTE


def observe_request(scope: Scope, status: int, seconds: float) -> None:
    route = route_template(scope)
    method = scope.get("method", "")
    REQUESTS.labels(method if method in _METHODS else OTHER, route, str(status)).inc()
    REQUEST_SECONDS.labels(route).observe(seconds)


def observe_entries(entries: Iterable[AuditEntry]) -> None:
    """The audit log's append hook: every entry is a decision (allow, deny or error)."""
    for entry in entries:
        DECISIONS.labels(
            _bounded(entry.action), _bounded(entry.decision), _bounded(entry.code)
        ).inc()


def observe_step(name: str, seconds: float) -> None:
    histogram = STEP_HISTOGRAMS.get(name)
    if histogram is not None:
        histogram.observe(seconds)


def observe_generation(engine: str, model: str, seconds: float, output: EngineOutput) -> None:
    """One successful engine step; an engine that batches says how many ran together
    (``details["batch_size"]``), so the batch histogram counts generations, not batches."""
    ENGINE_SECONDS.labels(_plain(engine), _plain(model)).observe(seconds)
    size = output.details.get("batch_size")
    if isinstance(size, int) and not isinstance(size, bool) and size >= 1:
        observe_batch(engine, model, size)


def observe_batch(engine: str, model: str, size: int) -> None:
    """One batch an engine ran (``size`` requests together)."""
    BATCH_SIZE.labels(_plain(engine), _plain(model)).observe(size)


class LaneCollector(Collector):
    """The generation lanes' depth, read when scraped (gateway/executor.py ``status``)."""

    def __init__(self, status: Callable[[], Mapping[str, Mapping[str, int]]]) -> None:
        self._status = status

    def collect(self) -> Iterable[Metric]:
        families = {
            "queued": GaugeMetricFamily(
                "consentgate_engine_queue_depth",
                "Generations waiting for a slot",
                labels=["engine"],
            ),
            "running": GaugeMetricFamily(
                "consentgate_engine_running", "Generations running", labels=["engine"]
            ),
            "slots": GaugeMetricFamily(
                "consentgate_engine_slots", "Generations that may run at once", labels=["engine"]
            ),
            "stuck": GaugeMetricFamily(
                "consentgate_engine_stuck",
                "Generations running past their time limit",
                labels=["engine"],
            ),
        }
        for kind, lane in self._status().items():
            for key, family in families.items():
                family.add_metric([kind], lane[key])
        return families.values()


def app_registry(lane_status: Callable[[], Mapping[str, Mapping[str, int]]]) -> CollectorRegistry:
    """What one app adds to the process's metrics."""
    registry = CollectorRegistry(auto_describe=True)
    registry.register(LaneCollector(lane_status))
    return registry


def exposition(app_metrics: CollectorRegistry) -> bytes:
    """The text a scrape gets: the process's metrics, then the app's."""
    return generate_latest(REGISTRY) + generate_latest(app_metrics)
