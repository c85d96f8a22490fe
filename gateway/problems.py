"""Every error becomes RFC 9457 problem+json with a stable ``code``; never a traceback.

Domain errors carry their code; ``gateway.refusals.classify`` decides the HTTP status. A refusal
that no route recorded (validation, unknown routes, unexpected errors) is recorded here through
the same refusal path, whatever the method, so a refused request always leaves an entry. The
OpenAPI schema says so too: every operation documents its refusals as problem+json.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from audit import AuditError
from consent import ConsentError
from engines import EngineError
from gateway.auth import AuthError
from gateway.context import RequestContext
from gateway.edge import REFUSED_AT_EDGE
from gateway.errors import GatewayError, InvalidRequest
from gateway.refusals import classify
from gateway.schemas import ProblemDetails
from policies import PolicyError
from watermark import WatermarkError

_log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    410: "Gone",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def problem(
    request: Request,
    status: int,
    code: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    ctx: RequestContext | None = getattr(request.state, "ctx", None)
    body = {
        "type": f"urn:consentgate:problem:{code}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "code": code,
        "request_id": ctx.request_id if ctx else None,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


# The handlers are plain functions on purpose: Starlette runs them on its thread pool. Each may
# write an audit entry, which waits for the database (a busy SQLite file: up to its timeout);
# on the event loop that wait would stall every request, health checks and streams included.


def _domain_error(request: Request, error: Exception) -> JSONResponse:
    return answer_refusal(request, error)


def answer_refusal(request: Request, error: Exception) -> JSONResponse:
    """Record ``error`` if no route did, and answer it as problem+json (blocking: the audit
    write may touch the database)."""
    refusal = classify(error)
    headers = None
    if isinstance(error, AuthError) and refusal.status == 401:
        headers = {
            "WWW-Authenticate": f'Bearer error="invalid_token", error_description="{error.code}"'
        }
    extra = getattr(error, "problem_extra", None) or {}
    headers = {**(headers or {}), **(getattr(error, "headers", None) or {})} or None
    failed = _record_unrecorded(request, error)
    if failed is not None:
        return failed
    return problem(request, refusal.status, refusal.code, refusal.reason, headers, **extra)


def _validation_summary(error: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {
            "loc": [str(part) for part in e.get("loc", ())],
            "msg": e.get("msg", ""),
            "type": e.get("type"),
        }
        for e in error.errors()
    ]


def _validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    errors = _validation_summary(error)
    malformed = any(e["type"] == "json_invalid" for e in errors)
    status, code = (400, "malformed_json") if malformed else (422, "invalid_request")
    detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors)[:1000]
    refused = InvalidRequest(code, detail)
    refused.status = status
    failed = _record_unrecorded(request, refused)
    if failed is not None:
        return failed
    return problem(request, status, code, detail, errors=errors)


def _record_unrecorded(request: Request, error: BaseException) -> JSONResponse | None:
    """Record a refusal that no route recorded (the one refusal path, as the last resort).

    Returns a 503 problem when it could not be recorded: a refusal is never silent.
    """
    ctx: RequestContext | None = getattr(request.state, "ctx", None)
    if ctx is None or getattr(request.state, REFUSED_AT_EDGE, None):
        return None  # no context yet, or the edge refused it and recorded that already
    refusals = request.app.state.refusals
    if ctx.principal is None:
        ctx.principal = request.app.state.pipeline.identify(request.headers.get("authorization"))
    try:
        refusals.record(ctx, "request", error)
    except AuditError:
        _log.exception("could not audit a refused request")
        return problem(request, 503, "audit_write_failed", "the refusal could not be recorded")
    return None


_HTTP_CODES = {
    400: "malformed_body",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
}


def _http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    code = _HTTP_CODES.get(error.status_code, "http_error")
    refused = GatewayError(code, str(error.detail))
    refused.status = error.status_code
    failed = _record_unrecorded(request, refused)
    if failed is not None:
        return failed
    headers = dict(error.headers) if error.headers else None
    return problem(request, error.status_code, code, str(error.detail), headers)


def _unexpected(request: Request, error: Exception) -> JSONResponse:
    _log.exception("unhandled error on %s %s", request.method, request.url.path)
    failed = _record_unrecorded(request, error)
    if failed is not None:
        return failed
    return problem(request, 500, "internal_error", "the gateway failed; the error was logged")


_PROBLEM_SCHEMA = "ProblemDetails"
# FastAPI documents its own validation body, which this gateway never sends.
_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")


def _problem_response(description: str) -> dict[str, Any]:
    schema = {"$ref": f"#/components/schemas/{_PROBLEM_SCHEMA}"}
    return {"description": description, "content": {PROBLEM_JSON: {"schema": schema}}}


def _describe_problems(openapi: dict[str, Any]) -> None:
    schemas = openapi.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    schemas[_PROBLEM_SCHEMA] = ProblemDetails.model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    for path_item in openapi.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if "422" in responses:
                responses["422"] = _problem_response("Invalid request (invalid_request, …)")
            responses.setdefault("default", _problem_response("Refused: problem+json, a code"))


def document_problems(app: FastAPI) -> None:
    """Make ``app``'s OpenAPI schema say how every operation refuses: problem+json with a
    ``code``, for any status (so clients and schema-driven tests expect what is sent)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _describe_problems(generate())  # generate() caches the schema it builds
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented hook


def install_problem_handlers(app: FastAPI) -> None:
    document_problems(app)
    for error_type in (
        AuthError,
        PolicyError,
        ConsentError,
        EngineError,
        AuditError,
        WatermarkError,
        GatewayError,
    ):
        app.add_exception_handler(error_type, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)
