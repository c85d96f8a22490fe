"""Log lines name their request, as text or as one JSON object a line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from gateway.context import CURRENT_REQUEST_ID
from gateway.logs import JsonFormatter, RequestIdFilter, configure_logging
from gateway.settings import LogFormat


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("consentgate.test.logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield logger, stream
    logger.removeHandler(handler)


def test_a_json_line_carries_the_request_id(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    token = CURRENT_REQUEST_ID.set("01JREQUEST")
    try:
        logger.info("generated %s in %d ms", "image", 12)
    finally:
        CURRENT_REQUEST_ID.reset(token)
    logger.warning("outside a request")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["request_id"] == "01JREQUEST" and first["message"] == "generated image in 12 ms"
    assert (first["level"], first["logger"]) == ("INFO", "consentgate.test.logs")
    assert first["time"].endswith("Z")
    assert second["request_id"] == "-"


def test_a_json_line_inside_a_span_carries_its_trace_id(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    from opentelemetry.sdk.trace import TracerProvider

    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("work") as span:
        logger, stream = captured
        logger.info("inside")
    logger.info("outside")
    inside, outside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert inside["trace_id"] == format(span.get_span_context().trace_id, "032x")
    assert "trace_id" not in outside


def test_a_message_cannot_split_or_forge_a_line(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    logger.info('x\n{"level": "INFO", "message": "forged"}\u2028\x00')
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("failed")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert "forged" in json.loads(lines[0])["message"]
    assert "ValueError: boom" in json.loads(lines[1])["exception"]


def test_configure_sends_uvicorn_through_the_same_handler() -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure_logging(LogFormat.JSON)
        (handler,) = root.handlers
        assert isinstance(handler.formatter, JsonFormatter)
        assert logging.getLogger("uvicorn.access").handlers == []
        assert logging.getLogger("uvicorn.access").propagate
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
