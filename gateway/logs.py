"""The served gateway's log lines: text for a person at a terminal, JSON lines for a collector;
either way each line names the request (or job) it was written for.

Library code only logs (``logging.getLogger(__name__)``); this is the one place that sets
handlers, and only ``consentgate serve`` calls it (tests keep pytest's capture).
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from engines.tracing import current_trace_id
from gateway.context import CURRENT_REQUEST_ID
from gateway.settings import LogFormat

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
NO_REQUEST = "-"


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = CURRENT_REQUEST_ID.get() or NO_REQUEST
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request_id, the
    trace id inside a traced span, and the traceback of a logged exception."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", NO_REQUEST),
        }
        trace_id = current_trace_id()
        if trace_id is not None:  # join the line to its trace in the collector
            line["trace_id"] = trace_id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        # ensure_ascii: a caller's text in a message (a NUL, a line separator) cannot split
        # or forge a line of the log.
        return json.dumps(line, ensure_ascii=True)


def configure_logging(log_format: LogFormat, level: int = logging.INFO) -> None:
    """Route every logger (uvicorn's too) to one stderr handler in ``log_format``."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        JsonFormatter() if log_format is LogFormat.JSON else logging.Formatter(TEXT_FORMAT)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        # uvicorn's own handlers would print the same line again, in their own format.
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
