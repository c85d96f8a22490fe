"""The span exporter's session reads a collector's answer only to a bound."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from engines._trace_export import MAX_COLLECTOR_ANSWER_BYTES, BoundedAnswerSession

HUGE = 50 * 1024 * 1024


@pytest.fixture
def flooding_collector() -> Iterator[str]:
    """Answers every export 200 with a 50 MB body (as a hostile or broken endpoint might)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(200)
            self.send_header("Content-Length", str(HUGE))
            self.end_headers()
            chunk = b"z" * 65536
            try:
                for _ in range(HUGE // len(chunk)):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client hung up after its bound: what it should do

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/traces"
    server.shutdown()
    server.server_close()


def test_an_endless_answer_is_read_only_to_the_bound(flooding_collector: str) -> None:
    answer = BoundedAnswerSession().post(flooding_collector, data=b"spans", timeout=10)
    assert answer.status_code == 200
    assert len(answer.content) == MAX_COLLECTOR_ANSWER_BYTES
