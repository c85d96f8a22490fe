"""Per request, before anything else: its context (id, client, timings), the client's rate, and
the headers that report them (a pure ASGI middleware: no extra task or body copy per request)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from opentelemetry import trace
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.context import CURRENT_REQUEST_ID, RequestContext
from gateway.errors import RateLimited
from gateway.metrics import observe_request
from gateway.problems import answer_refusal
from gateway.throttle import Throttle

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer

OVERHEAD_HEADER = "X-Consentgate-Overhead-Ms"
UNTHROTTLED_PATHS = frozenset({"/healthz", "/readyz"})  # load balancers' probes


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, throttle: Throttle, tracer: Tracer | None = None) -> None:
        self.app = app
        self.throttle = throttle
        self.tracer = tracer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        client = scope.get("client")
        ctx = RequestContext(
            method=scope["method"],
            path=scope["path"],
            client=client[0] if client else None,
            tracer=self.tracer,
        )
        if self.tracer is not None:  # the server span: which audit entries this trace wrote
            trace.get_current_span().set_attribute("consentgate.request_id", ctx.request_id)
        scope.setdefault("state", {})["ctx"] = ctx
        CURRENT_REQUEST_ID.set(ctx.request_id)  # this request's task only: its log lines
        status = 500  # what the server answers if the app fails before it starts an answer

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers["X-Request-Id"] = ctx.request_id
                total_ms = (time.perf_counter() - start) * 1000
                # Time spent in the gateway outside the engine: the cost of governance.
                headers[OVERHEAD_HEADER] = f"{total_ms - ctx.engine_ms:.2f}"
                if ctx.timings_ms:
                    headers["Server-Timing"] = ctx.server_timing()
            await send(message)

        try:
            try:
                if scope["path"] not in UNTHROTTLED_PATHS:
                    self.throttle.check_client(ctx.client)
            except RateLimited as error:
                request = Request(scope, receive)
                response = await run_in_threadpool(answer_refusal, request, error)
                await response(scope, receive, send_with_headers)
                return
            await self.app(scope, receive, send_with_headers)
        finally:
            # After the app: the router has put the matched route (its template) in the scope.
            observe_request(scope, status, time.perf_counter() - start)
