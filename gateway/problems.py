"""Every error becomes RFC 9457 problem+json with a stable ``code``; never a traceback.

Domain errors carry their code; this module only decides the HTTP status. Validation errors
on the request path are audited too, so a refused request always leaves an entry.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from audit import AuditError, CursorInvalid
from consent import (
    AudioInvalid,
    AudioTooLarge,
    AudioUnsupported,
    ChallengeExpired,
    ChallengeNotFound,
    ChallengeUsed,
    ConsentError,
    ScopeInvalid,
    VoiceDataDestroyed,
    VoiceNotFound,
)
from engines import EngineError, EngineUnavailable, GenerationCancelled, ModelUnknown
from gateway.auth import AuthError
from gateway.context import RequestContext
from gateway.errors import GatewayError
from policies import (
    InputLicenceUnknown,
    PolicyError,
    PolicyUnavailable,
    StatementLanguageUnsupported,
)
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
    500: "Internal Server Error",
    503: "Service Unavailable",
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


def status_for(error: Exception) -> int:
    """The HTTP status of a domain error (also used for a failed job's problem)."""
    match error:
        case AuthError():
            return error.status
        case PolicyUnavailable() | EngineUnavailable():
            return 503
        case StatementLanguageUnsupported() | InputLicenceUnknown():
            return 422
        case PolicyError():
            return 403
        case ChallengeNotFound() | VoiceNotFound():
            return 404
        case ChallengeUsed():
            return 409
        case ChallengeExpired() | VoiceDataDestroyed():
            return 410
        case AudioTooLarge():
            return 413
        case AudioUnsupported():
            return 415
        case AudioInvalid() | ScopeInvalid():
            return 422
        case ConsentError():
            return 403
        case ModelUnknown():
            return 422
        case GenerationCancelled():
            return 409
        case CursorInvalid():
            return 400
        case GatewayError():
            return error.status
        case AuditError() | WatermarkError() | EngineError():
            return 503
    return 500


async def _domain_error(request: Request, error: Exception) -> JSONResponse:
    status = status_for(error)
    headers = None
    if isinstance(error, AuthError) and status == 401:
        headers = {
            "WWW-Authenticate": f'Bearer error="invalid_token", error_description="{error.code}"'
        }
    code = getattr(error, "code", "error")
    detail = getattr(error, "reason", str(error))
    return problem(request, status, code, detail, headers)


def _validation_summary(error: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {
            "loc": [str(part) for part in e.get("loc", ())],
            "msg": e.get("msg", ""),
            "type": e.get("type"),
        }
        for e in error.errors()
    ]


async def _validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    errors = _validation_summary(error)
    malformed = any(e["type"] == "json_invalid" for e in errors)
    status, code = (400, "malformed_json") if malformed else (422, "invalid_request")
    detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors)[:1000]
    _audit_refusal(request, code, detail)
    return problem(request, status, code, detail, errors=errors)


def _audit_refusal(request: Request, code: str, detail: str) -> None:
    """Record a refused request on the API (POST /v1/…) even though no handler ran."""
    ctx: RequestContext | None = getattr(request.state, "ctx", None)
    if ctx is None or request.method != "POST" or not request.url.path.startswith("/v1/"):
        return
    pipeline = request.app.state.pipeline
    if ctx.principal is None:
        ctx.principal = pipeline.identify(request.headers.get("authorization"))
    try:
        pipeline.record_denial(ctx, "request", code, detail)
    except AuditError:
        _log.exception("could not audit a refused request")


async def _http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    codes = {404: "not_found", 405: "method_not_allowed", 415: "unsupported_media_type"}
    code = codes.get(error.status_code, "http_error")
    return problem(request, error.status_code, code, str(error.detail), error.headers)


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    _log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem(request, 500, "internal_error", "the gateway failed; the error was logged")


def install_problem_handlers(app: FastAPI) -> None:
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
