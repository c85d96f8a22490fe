"""Body limits at the ASGI edge: a real FastAPI app behind BodyLimitMiddleware, driven by a
scripted ASGI exchange (which sees exactly what the middleware reads and sends), by httpx,
and by raw sockets against uvicorn."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from starlette.types import Message, Receive, Scope, Send

from gateway.edge import (
    DEFAULT_LIMITS,
    ENROLMENT_MAX_BYTES,
    ENROLMENT_MAX_PARTS,
    INPUT_MAX_BYTES,
    INPUT_MAX_PARTS,
    JSON_MAX_BYTES,
    BodyLimit,
    BodyLimitMiddleware,
    LimitTable,
    RouteLimit,
    _PartCounter,
)

pytestmark = pytest.mark.anyio

JSON_LIMIT = 1000
FORM_LIMIT = 16384
FORM_PARTS = 3
LIMITS = LimitTable(
    [RouteLimit("POST", "/v1/voices", BodyLimit(FORM_LIMIT, FORM_PARTS))],
    default=BodyLimit(JSON_LIMIT),
)
BOUNDARY = b"b0undary"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def build_app(seen: dict[str, Any]) -> FastAPI:
    """Routes that read their body the ordinary ways: whole, and as a parsed form."""
    app = FastAPI()

    @app.post("/v1/echo")
    async def echo(request: Request) -> dict[str, int]:
        seen["echo_started"] = True
        body = await request.body()
        seen["echo_bytes"] = len(body)
        return {"bytes": len(body)}

    @app.post("/v1/voices")
    async def enrol(request: Request) -> dict[str, int]:
        form = await request.form()
        seen["parts"] = len(form.multi_items())
        return {"parts": len(form.multi_items())}

    return app


def multipart(parts: int, boundary: bytes = BOUNDARY, size: int = 10) -> bytes:
    delimiter = b"--" + boundary
    fields = [
        b'%s\r\nContent-Disposition: form-data; name="f%d"\r\n\r\n%s\r\n'
        % (delimiter, n, b"x" * size)
        for n in range(parts)
    ]
    return b"".join(fields) + delimiter + b"--\r\n"


def split(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


class Exchange:
    """One scripted request: hands out ``chunks`` one per receive and records every message
    sent back and every receive the app made."""

    def __init__(
        self, path: str, chunks: list[bytes], headers: list[tuple[bytes, bytes]] | None = None
    ) -> None:
        self.scope: Scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": headers or [],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        self.chunks = chunks
        self.handed_out = 0
        self.sent: list[Message] = []

    async def receive(self) -> Message:
        if self.handed_out >= len(self.chunks):
            return {"type": "http.disconnect"}
        chunk = self.chunks[self.handed_out]
        self.handed_out += 1
        return {
            "type": "http.request",
            "body": chunk,
            "more_body": self.handed_out < len(self.chunks),
        }

    async def send(self, message: Message) -> None:
        self.sent.append(message)

    async def run(self, app: Any) -> None:
        await app(self.scope, self.receive, self.send)

    @property
    def status(self) -> int:
        starts = [m for m in self.sent if m["type"] == "http.response.start"]
        assert len(starts) == 1, self.sent
        return int(starts[0]["status"])

    @property
    def headers(self) -> dict[bytes, bytes]:
        start = next(m for m in self.sent if m["type"] == "http.response.start")
        return dict(start["headers"])

    @property
    def json(self) -> dict[str, Any]:
        body = b"".join(m.get("body", b"") for m in self.sent if m["type"] == "http.response.body")
        return json.loads(body)


class Hook:
    """An on_refuse that records its calls and whether anything had been sent by then."""

    def __init__(self, exchange: Exchange | None = None) -> None:
        self.calls: list[tuple[int, str, str]] = []
        self.sent_before: list[int] = []
        self.exchange = exchange

    def __call__(self, scope: Scope, status: int, code: str, detail: str) -> None:
        assert scope["type"] == "http"
        self.calls.append((status, code, detail))
        if self.exchange is not None:
            self.sent_before.append(len(self.exchange.sent))


@pytest.fixture
def seen() -> dict[str, Any]:
    return {}


def edge(seen: dict[str, Any], hook: Any = None) -> BodyLimitMiddleware:
    if hook is None:
        return BodyLimitMiddleware(build_app(seen), LIMITS)
    return BodyLimitMiddleware(build_app(seen), LIMITS, on_refuse=hook)


# -- limits table -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("POST", "/v1/voices", BodyLimit(ENROLMENT_MAX_BYTES, ENROLMENT_MAX_PARTS)),
        ("POST", "/v1/inputs", BodyLimit(INPUT_MAX_BYTES, INPUT_MAX_PARTS)),
        ("POST", "/v1/voices/challenge", BodyLimit(JSON_MAX_BYTES)),
        ("POST", "/v1/voices/", BodyLimit(JSON_MAX_BYTES)),
        ("POST", "/V1/VOICES", BodyLimit(JSON_MAX_BYTES)),
        ("PUT", "/v1/voices", BodyLimit(JSON_MAX_BYTES)),
        ("POST", "/v1/images", BodyLimit(JSON_MAX_BYTES)),
    ],
)
def test_default_table_gives_large_limits_only_to_the_upload_routes(
    method: str, path: str, expected: BodyLimit
) -> None:
    assert DEFAULT_LIMITS.for_request(method, path) == expected


def test_enrolment_limit_fits_five_references_and_a_statement_of_ten_mib() -> None:
    assert ENROLMENT_MAX_BYTES >= 6 * 10 * 1024 * 1024
    assert ENROLMENT_MAX_BYTES < 62 * 1024 * 1024
    assert ENROLMENT_MAX_PARTS >= 7


def test_subpaths_and_longest_match() -> None:
    table = LimitTable(
        [
            RouteLimit("POST", "/v1/a", BodyLimit(10), subpaths=True),
            RouteLimit("POST", "/v1/a/b", BodyLimit(20)),
        ],
        default=BodyLimit(1),
    )
    assert table.for_request("POST", "/v1/a/x").max_bytes == 10
    assert table.for_request("POST", "/v1/a/b").max_bytes == 20
    assert table.for_request("POST", "/v1/ab").max_bytes == 1


# -- part counter -----------------------------------------------------------------------


def test_part_counter_counts_across_every_chunk_split() -> None:
    body = multipart(5)
    for size in range(1, 40):
        counter = _PartCounter(BOUNDARY)
        for chunk in split(body, size):
            counter.feed(chunk)
        assert counter.parts == 5, size


def test_part_counter_sees_a_delimiter_hidden_behind_a_preamble() -> None:
    # Parsers skip a preamble after a leading CR; the first part must still count.
    counter = _PartCounter(BOUNDARY)
    counter.feed(b"\rjunk" + multipart(2))
    assert counter.parts == 2


def test_part_counter_does_not_count_the_closing_delimiter() -> None:
    counter = _PartCounter(BOUNDARY)
    counter.feed(multipart(0))
    assert counter.parts == 0


# -- before reading ---------------------------------------------------------------------


async def test_a_body_under_the_limit_reaches_the_app(seen: dict[str, Any]) -> None:
    exchange = Exchange("/v1/echo", [b"x" * 600, b"x" * 400], [(b"content-length", b"1000")])
    await exchange.run(edge(seen))
    assert exchange.status == 200
    assert seen["echo_bytes"] == JSON_LIMIT


async def test_declared_length_over_the_limit_is_refused_without_reading(
    seen: dict[str, Any],
) -> None:
    exchange = Exchange("/v1/echo", [b"x" * 10], [(b"content-length", b"1001")])
    hook = Hook(exchange)
    await exchange.run(edge(seen, hook))
    assert exchange.status == 413
    assert exchange.handed_out == 0
    assert "echo_started" not in seen
    assert exchange.headers[b"content-type"] == b"application/problem+json"
    assert exchange.headers[b"connection"] == b"close"
    problem = exchange.json
    assert problem["code"] == "body_too_large"
    assert problem["status"] == 413
    assert problem["limit_bytes"] == JSON_LIMIT
    assert problem["instance"] == "/v1/echo"
    assert hook.calls == [(413, "body_too_large", problem["detail"])]
    assert hook.sent_before == [0]


async def test_a_huge_declared_length_is_too_large_not_a_crash(seen: dict[str, Any]) -> None:
    exchange = Exchange("/v1/echo", [], [(b"content-length", b"9" * 5000)])
    await exchange.run(edge(seen))
    assert exchange.status == 413


@pytest.mark.parametrize(
    "value", [b"abc", b"-1", b"1e3", b" 12", b"12 ", b"0x10", b"", b"\xd9\xa3"]
)
async def test_content_length_that_is_not_a_number_is_400(
    seen: dict[str, Any], value: bytes
) -> None:
    exchange = Exchange("/v1/echo", [b"x"], [(b"content-length", value)])
    hook = Hook()
    await exchange.run(edge(seen, hook))
    assert exchange.status == 400
    assert exchange.json["code"] == "content_length_invalid"
    assert exchange.handed_out == 0
    assert [call[:2] for call in hook.calls] == [(400, "content_length_invalid")]


async def test_two_different_content_lengths_are_400(seen: dict[str, Any]) -> None:
    headers = [(b"content-length", b"5"), (b"content-length", b"500")]
    exchange = Exchange("/v1/echo", [b"x" * 5], headers)
    await exchange.run(edge(seen))
    assert exchange.json["code"] == "content_length_invalid"


async def test_multipart_without_a_boundary_is_400(seen: dict[str, Any]) -> None:
    for content_type in (b"multipart/form-data", b"multipart/form-data; boundary=" + b"b" * 71):
        exchange = Exchange("/v1/voices", [multipart(1)], [(b"content-type", content_type)])
        await exchange.run(edge(seen))
        assert exchange.json["code"] == "multipart_boundary_invalid"
        assert exchange.handed_out == 0


# -- while reading ----------------------------------------------------------------------


async def test_a_body_that_lies_about_its_length_is_cut_off_when_it_passes_the_limit(
    seen: dict[str, Any],
) -> None:
    chunks = [b"x" * 400] * 50  # 20,000 bytes behind a header that says 10
    exchange = Exchange("/v1/echo", chunks, [(b"content-length", b"10")])
    hook = Hook(exchange)
    await exchange.run(edge(seen, hook))
    assert exchange.status == 413
    assert exchange.json["code"] == "body_too_large"
    assert exchange.handed_out == 3  # 1,200 bytes: the first chunk past 1,000
    assert "echo_bytes" not in seen  # the app stopped on the disconnect
    assert hook.sent_before == [0]


async def test_chunked_body_past_the_limit_is_refused_once(seen: dict[str, Any]) -> None:
    exchange = Exchange("/v1/echo", [b"x" * 300] * 10)
    hook = Hook()
    await exchange.run(edge(seen, hook))
    assert exchange.status == 413  # exactly one response start: the app's own is dropped
    assert exchange.handed_out == 4
    assert len(hook.calls) == 1


async def test_a_hundred_parts_are_refused_before_the_form_is_parsed(
    seen: dict[str, Any],
) -> None:
    body = multipart(100, size=1)
    assert len(body) < FORM_LIMIT  # only the part count can refuse it
    headers = [(b"content-type", b"multipart/form-data; boundary=" + BOUNDARY)]
    chunks = split(body, 7)  # delimiters straddle chunk boundaries
    exchange = Exchange("/v1/voices", chunks, headers)
    hook = Hook(exchange)
    await exchange.run(edge(seen, hook))
    assert exchange.status == 413
    problem = exchange.json
    assert problem["code"] == "too_many_parts"
    assert problem["max_parts"] == FORM_PARTS
    assert "parts" not in seen
    assert exchange.handed_out < len(chunks) // 10
    assert hook.sent_before == [0]


async def test_a_form_within_its_part_limit_is_parsed(seen: dict[str, Any]) -> None:
    headers = [(b"content-type", b'multipart/form-data; boundary="' + BOUNDARY + b'"')]
    exchange = Exchange("/v1/voices", split(multipart(FORM_PARTS), 5), headers)
    await exchange.run(edge(seen))
    assert exchange.status == 200
    assert seen["parts"] == FORM_PARTS


async def test_parts_are_counted_on_routes_without_a_form_too(seen: dict[str, Any]) -> None:
    headers = [(b"content-type", b"multipart/form-data; boundary=" + BOUNDARY)]
    exchange = Exchange("/v1/echo", [multipart(9, size=1)], headers)
    await exchange.run(edge(seen))
    assert exchange.json["code"] == "too_many_parts"


async def test_async_hook_is_awaited_and_a_failing_hook_does_not_open_the_gate(
    seen: dict[str, Any],
) -> None:
    calls: list[str] = []

    async def async_hook(_scope: Scope, _status: int, code: str, _detail: str) -> None:
        calls.append(code)

    def broken_hook(_scope: Scope, _status: int, _code: str, _detail: str) -> None:
        raise RuntimeError("audit down")

    exchange = Exchange("/v1/echo", [b"x" * 2000])
    await exchange.run(edge(seen, async_hook))
    assert calls == ["body_too_large"]
    exchange = Exchange("/v1/echo", [b"x" * 2000])
    await exchange.run(edge(seen, broken_hook))
    assert exchange.status == 413
    assert "echo_bytes" not in seen


async def test_after_the_response_started_the_app_is_cut_off_without_a_second_start() -> None:
    received: list[str] = []

    async def streaming_app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        while True:
            message = await receive()
            received.append(message["type"])
            if message["type"] == "http.disconnect" or not message.get("more_body"):
                break
            await send({"type": "http.response.body", "body": b"ok", "more_body": True})
        await send({"type": "http.response.body", "body": b"done"})

    hook = Hook()
    exchange = Exchange("/v1/echo", [b"x" * 600] * 5)
    await exchange.run(BodyLimitMiddleware(streaming_app, LIMITS, on_refuse=hook))
    assert exchange.status == 200  # the app's own start; no 413 after it
    assert received == ["http.request", "http.disconnect"]
    bodies = [m for m in exchange.sent if m["type"] == "http.response.body"]
    assert [m["body"] for m in bodies] == [b"ok"]  # "done" was dropped: never looks complete
    assert [call[1] for call in hook.calls] == ["body_too_large"]


async def test_non_http_scopes_pass_through() -> None:
    seen_types: list[str] = []

    async def app(scope: Scope, _receive: Receive, _send: Send) -> None:
        seen_types.append(scope["type"])

    async def receive() -> Message:
        return {"type": "lifespan.startup"}

    async def send(_message: Message) -> None:
        return None

    await BodyLimitMiddleware(app)({"type": "lifespan"}, receive, send)
    assert seen_types == ["lifespan"]


# -- through httpx ----------------------------------------------------------------------


async def test_httpx_streamed_body_past_the_limit_gets_a_problem(seen: dict[str, Any]) -> None:
    produced = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal produced
        for _ in range(1000):
            produced += 1
            yield b"x" * 100

    transport = httpx.ASGITransport(app=edge(seen))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post("/v1/echo", content=body())
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "body_too_large"
    assert produced < 1000  # the generator was not drained
    assert "echo_bytes" not in seen


async def test_httpx_files_upload_with_too_many_parts(seen: dict[str, Any]) -> None:
    files = [("references", (f"r{n}.wav", b"RIFF" + b"\0" * 8, "audio/wav")) for n in range(20)]
    transport = httpx.ASGITransport(app=edge(seen))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post("/v1/voices", files=files)
    assert response.status_code == 413
    assert response.json()["code"] == "too_many_parts"
    assert "parts" not in seen


# -- over a real socket -----------------------------------------------------------------


@pytest.fixture
def served(seen: dict[str, Any]) -> Iterator[tuple[str, int]]:
    # As `consentgate serve` runs it: h11 (gateway/cli.py).
    config = uvicorn.Config(edge(seen), host="127.0.0.1", port=0, log_level="warning", http="h11")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield "127.0.0.1", port
    server.should_exit = True
    thread.join(timeout=20)


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """Read one response with a Content-Length body. Raises AssertionError on EOF early."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed before a response: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers["content-length"])
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk
        body += chunk
    return int(lines[0].split()[1]), headers, body[:length]


def test_socket_huge_declared_length_is_answered_before_any_body_is_sent(
    served: tuple[str, int], seen: dict[str, Any]
) -> None:
    with socket.create_connection(served, timeout=10) as sock:
        sock.sendall(
            b"POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 104857600\r\n\r\n"
        )
        status, headers, body = read_response(sock)  # no body byte was ever sent
        assert status == 413
        assert headers["connection"] == "close"
        assert json.loads(body)["code"] == "body_too_large"
        assert sock.recv(1) == b""  # and the connection is closed
    assert "echo_started" not in seen


def test_socket_chunked_body_past_the_limit_is_refused(
    served: tuple[str, int], seen: dict[str, Any]
) -> None:
    with socket.create_connection(served, timeout=10) as sock:
        sock.sendall(b"POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        for _ in range(3):  # 1,536 bytes, past the 1,000 limit, and no terminating chunk
            sock.sendall(b"200\r\n" + b"x" * 512 + b"\r\n")
        status, _, body = read_response(sock)
        assert status == 413
        assert json.loads(body)["code"] == "body_too_large"
    assert "echo_bytes" not in seen


def test_socket_short_lie_is_framed_by_the_server_and_the_rest_is_not_a_request(
    served: tuple[str, int], seen: dict[str, Any]
) -> None:
    # Content-Length: 10 then 2,000 bytes: the app gets 10; the rest is not taken as a body.
    with socket.create_connection(served, timeout=10) as sock:
        sock.sendall(
            b"POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n" + b"x" * 2000
        )
        status, _, body = read_response(sock)
        assert status == 200
        assert json.loads(body) == {"bytes": 10}
    assert seen["echo_bytes"] == 10
