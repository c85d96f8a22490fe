"""Request bodies bounded at the ASGI edge, before the app or authentication reads a byte.

``BodyLimitMiddleware`` wraps the whole app. For each request it looks up a ``BodyLimit``
(bytes, multipart parts) by method and path, then:

- refuses a ``Content-Length`` over the limit at once, without reading the body (413
  ``body_too_large``), and one that is not a plain decimal number (400
  ``content_length_invalid``);
- counts the bytes the app actually receives, so a chunked body or one whose header lies is
  cut off as soon as the count passes the limit (413 ``body_too_large``);
- counts multipart delimiters while the body streams, across chunk boundaries, so a body of
  100 parts is refused before a parser sees it (413 ``too_many_parts``); a multipart body
  without a usable boundary is refused (400 ``multipart_boundary_invalid``).

Every refusal is an RFC 9457 ``application/problem+json`` body carrying its ``code`` and the
limit, with ``Connection: close`` (the unread rest of the body makes the connection unusable).
``on_refuse(scope, status, code, detail)`` runs first, so the app can audit the refusal
through its own refusal path.

When the limit is passed while the app is reading, the app's ``receive`` gets
``http.disconnect`` from then on, so it stops as if the client had gone; whatever it sends
afterwards is dropped. If it had not started a response, the caller gets the 413; if it had,
the response is left unfinished and the server closes the connection, so a cut-off reply
never looks complete.
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from consent import MAX_AUDIO_BYTES, MAX_REFERENCES
from gateway.file_check import MAX_VERIFY_BYTES
from gateway.inputs import MAX_INPUT_BYTES

_log = logging.getLogger(__name__)

MIB = 1024 * 1024
# The largest JSON request (a prompt of MAX_PROMPT_CHARS, a speech text) is a few KiB; 1 MiB
# leaves room to grow without letting one body cost real memory.
JSON_MAX_BYTES = 1 * MIB
# Boundaries, part headers and the small form fields beside the files of an upload.
MULTIPART_OVERHEAD_BYTES = 64 * 1024
# Enrolment: challenge_id, up to MAX_REFERENCES references and one statement, one spare.
ENROLMENT_MAX_PARTS = MAX_REFERENCES + 3
ENROLMENT_MAX_BYTES = (MAX_REFERENCES + 1) * MAX_AUDIO_BYTES + MULTIPART_OVERHEAD_BYTES
# Inputs: file, licence, licence_id, one spare.
INPUT_MAX_PARTS = 4
INPUT_MAX_BYTES = MAX_INPUT_BYTES + MULTIPART_OVERHEAD_BYTES
# A file to verify: the file, one spare.
VERIFY_MAX_PARTS = 2
VERIFY_MAX_BYTES = MAX_VERIFY_BYTES + MULTIPART_OVERHEAD_BYTES
# No other route takes a form today; a few parts leave room for a small one.
DEFAULT_MAX_PARTS = 8
# RFC 2046 §5.1.1; also bounds what the part counter carries between chunks.
MAX_BOUNDARY_CHARS = 70

PROBLEM_JSON = "application/problem+json"
_TITLES = {400: "Bad Request", 413: "Content Too Large"}

# Key in the request's state once the edge has refused it (and recorded it through on_refuse).
REFUSED_AT_EDGE = "refused_at_edge"

RefusalHook = Callable[[Scope, int, str, str], Awaitable[None] | None]


@dataclass(frozen=True)
class BodyLimit:
    """The most a request body may hold: bytes on the wire, and parts if it is multipart."""

    max_bytes: int
    max_parts: int = DEFAULT_MAX_PARTS


@dataclass(frozen=True)
class RouteLimit:
    """A limit for one method and path; ``subpaths`` extends it to ``path + "/…"``."""

    method: str
    path: str
    limit: BodyLimit
    subpaths: bool = False

    def matches(self, method: str, path: str) -> bool:
        if method != self.method:
            return False
        return path == self.path or (self.subpaths and path.startswith(self.path + "/"))


class LimitTable:
    """Route limits, most specific (longest path) first; ``default`` for everything else.

    Unknown paths, odd spellings (a trailing slash, another case) and other methods get the
    default: the strict end, so a spelling never buys a larger body.
    """

    def __init__(self, routes: Iterable[RouteLimit], default: BodyLimit) -> None:
        self._routes = sorted(routes, key=lambda route: len(route.path), reverse=True)
        self.default = default

    def for_request(self, method: str, path: str) -> BodyLimit:
        for route in self._routes:
            if route.matches(method, path):
                return route.limit
        return self.default


DEFAULT_LIMITS = LimitTable(
    [
        RouteLimit("POST", "/v1/voices", BodyLimit(ENROLMENT_MAX_BYTES, ENROLMENT_MAX_PARTS)),
        # The workspace's enrolment posts the same recordings (a form's CSRF token: the spare).
        RouteLimit("POST", "/ui/voices/enrol", BodyLimit(ENROLMENT_MAX_BYTES, ENROLMENT_MAX_PARTS)),
        RouteLimit("POST", "/v1/inputs", BodyLimit(INPUT_MAX_BYTES, INPUT_MAX_PARTS)),
        RouteLimit("POST", "/v1/verify", BodyLimit(VERIFY_MAX_BYTES, VERIFY_MAX_PARTS)),
        # The workspace's form for the same check: its CSRF token takes the spare part.
        RouteLimit("POST", "/ui/verify", BodyLimit(VERIFY_MAX_BYTES, VERIFY_MAX_PARTS)),
    ],
    default=BodyLimit(JSON_MAX_BYTES),
)


@dataclass(frozen=True)
class _Refusal:
    status: int
    code: str
    detail: str
    limit: dict[str, int]


class _BadContentLength(ValueError):
    pass


def _declared_length(scope: Scope) -> int | None:
    """The Content-Length, or None when absent. Raises _BadContentLength when it is not one
    plain decimal number (RFC 9110 §8.6), or when several headers disagree."""
    values = {
        value for name, value in scope.get("headers", ()) if name.lower() == b"content-length"
    }
    if not values:
        return None
    if len(values) > 1:
        raise _BadContentLength("several different Content-Length headers")
    (value,) = values
    if not value or not value.isdigit():
        raise _BadContentLength("Content-Length is not a decimal number")
    digits = value.lstrip(b"0") or b"0"
    # Longer than any limit can be, and too long for int() to be cheap: refuse as too large.
    return int(digits) if len(digits) <= 18 else 10**18


def _multipart_boundary(scope: Scope) -> bytes | None:
    """The boundary of a multipart body, b"" when multipart but unusable, None when not
    multipart."""
    content_type = next(
        (value for name, value in scope.get("headers", ()) if name.lower() == b"content-type"),
        None,
    )
    if content_type is None:
        return None
    media_type, _, params = content_type.partition(b";")
    if not media_type.strip().lower().startswith(b"multipart/"):
        return None
    for param in params.split(b";"):
        name, _, value = param.strip().partition(b"=")
        if name.strip().lower() == b"boundary":
            boundary = value.strip()
            if len(boundary) >= 2 and boundary[:1] == boundary[-1:] == b'"':
                boundary = boundary[1:-1]
            return boundary if 0 < len(boundary) <= MAX_BOUNDARY_CHARS else b""
    return b""


class _PartCounter:
    """Counts multipart parts as the body streams, by their delimiters ``--boundary``.

    Every ``--boundary`` not followed by ``--`` counts, wherever it is: parsers skip a
    preamble, so requiring the CRLF before it would let a crafted preamble hide a part. A
    real client's random boundary never occurs inside its content, so nothing is counted
    twice. Only the last len(delimiter)+1 bytes are carried between chunks.
    """

    def __init__(self, boundary: bytes) -> None:
        self._delimiter = b"--" + boundary
        self._carry = b""
        self.parts = 0

    def feed(self, chunk: bytes) -> int:
        data = self._carry + chunk
        delimiter_length = len(self._delimiter)
        start = 0
        while (found := data.find(self._delimiter, start)) >= 0:
            end = found + delimiter_length
            if len(data) < end + 2:
                break  # the next chunk says whether this was the closing delimiter
            if data[end : end + 2] != b"--":
                self.parts += 1
            start = end
        self._carry = data[max(start, len(data) - delimiter_length - 1) :]
        return self.parts


def _problem(scope: Scope, refusal: _Refusal) -> bytes:
    body = {
        "type": f"urn:consentgate:problem:{refusal.code}",
        "title": _TITLES.get(refusal.status, "Error"),
        "status": refusal.status,
        "detail": refusal.detail,
        "instance": scope.get("path", ""),
        "code": refusal.code,
        # The request's id, when a context middleware outside this one gave it one.
        "request_id": getattr(scope.get("state", {}).get("ctx"), "request_id", None),
        **refusal.limit,
    }
    return json.dumps(body).encode()


def _no_op(_scope: Scope, _status: int, _code: str, _detail: str) -> None:
    return None


class BodyLimitMiddleware:
    """Pure ASGI middleware bounding request bodies per route (see the module docstring).

    ``limits``: the route table (``DEFAULT_LIMITS`` by default). ``on_refuse``: called with
    ``(scope, status, code, detail)`` before each refusal is answered; sync or async. If it
    raises, the error is logged and the refusal is answered all the same (fail closed).
    """

    def __init__(
        self, app: ASGIApp, limits: LimitTable = DEFAULT_LIMITS, on_refuse: RefusalHook = _no_op
    ) -> None:
        self.app = app
        self.limits = limits
        self.on_refuse = on_refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.for_request(scope["method"], scope["path"])
        boundary = _multipart_boundary(scope)
        refusal = _refusal_before_reading(scope, limit, boundary)
        if refusal is not None:
            await self._notify(scope, refusal)
            await _send_problem(scope, send, refusal)
            return
        counter = _PartCounter(boundary) if boundary else None
        bounded = _BoundedRequest(scope, receive, send, limit, counter, self._notify)
        await bounded.run(self.app)

    async def _notify(self, scope: Scope, refusal: _Refusal) -> None:
        try:
            result = self.on_refuse(scope, refusal.status, refusal.code, refusal.detail)
            if inspect.isawaitable(result):
                await result
        except Exception:
            _log.exception("on_refuse failed for %s; refusing all the same", refusal.code)


def _refusal_before_reading(
    scope: Scope, limit: BodyLimit, boundary: bytes | None
) -> _Refusal | None:
    try:
        declared = _declared_length(scope)
    except _BadContentLength as error:
        return _Refusal(400, "content_length_invalid", str(error), {})
    if declared is not None and declared > limit.max_bytes:
        return _too_large(limit)
    if boundary == b"":
        detail = f"a multipart body needs a boundary of 1 to {MAX_BOUNDARY_CHARS} characters"
        return _Refusal(400, "multipart_boundary_invalid", detail, {})
    return None


def _too_large(limit: BodyLimit) -> _Refusal:
    detail = f"the request body may be at most {limit.max_bytes} bytes on this route"
    return _Refusal(413, "body_too_large", detail, {"limit_bytes": limit.max_bytes})


def _too_many_parts(limit: BodyLimit) -> _Refusal:
    detail = f"a multipart body may have at most {limit.max_parts} parts on this route"
    return _Refusal(413, "too_many_parts", detail, {"max_parts": limit.max_parts})


async def _send_problem(scope: Scope, send: Send, refusal: _Refusal) -> None:
    body = _problem(scope, refusal)
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": refusal.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _BoundedRequest:
    """One request: counts what the app receives and takes over the response on a refusal."""

    def __init__(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        limit: BodyLimit,
        counter: _PartCounter | None,
        notify: Callable[[Scope, _Refusal], Awaitable[None]],
    ) -> None:
        self._notify = notify
        self._scope = scope
        self._receive = receive
        self._send = send
        self._limit = limit
        self._counter = counter
        self._received = 0
        self._refused = False
        self._response_started = False

    async def run(self, app: ASGIApp) -> None:
        """Run ``app`` on this request. Raises what the app raises, unless the body was cut
        off first (the app then fails on the disconnect; the refusal is already answered)."""
        try:
            await app(self._scope, self.receive, self.send)
        except Exception:
            if not self._refused:
                raise
            # The app saw a disconnect and failed on it; the refusal has been answered.
            _log.debug("app raised after its body was cut off", exc_info=True)

    async def receive(self) -> Message:
        if self._refused:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] != "http.request":
            return message
        chunk = message.get("body", b"")
        self._received += len(chunk)
        refusal = None
        if self._received > self._limit.max_bytes:
            refusal = _too_large(self._limit)
        elif self._counter is not None and self._counter.feed(chunk) > self._limit.max_parts:
            refusal = _too_many_parts(self._limit)
        if refusal is None:
            return message
        await self._cut_off(refusal)
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        if self._refused:
            return  # the refusal owns the response now
        if message["type"] == "http.response.start":
            self._response_started = True
        await self._send(message)

    async def _cut_off(self, refusal: _Refusal) -> None:
        # Set before any await, so a send racing with this one is dropped.
        self._refused = True
        # The app may still fail on the cut-off body: it must not record a second refusal.
        self._scope.setdefault("state", {})[REFUSED_AT_EDGE] = refusal.code
        await self._notify(self._scope, refusal)
        if self._response_started:
            _log.warning("%s after the response started; the connection will be cut", refusal.code)
            return
        await _send_problem(self._scope, self._send, refusal)
