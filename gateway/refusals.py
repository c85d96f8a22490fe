"""The one refusal path: every route, method and job records a refusal here, then raises.

``classify`` is the one table from error class to HTTP status and code, so a job and a sync
request that fail the same way fail with the same code. ``RefusalPath.refuse`` records the
refusal (deny for a 4xx, error for a 5xx) and raises; ``RefusalPath.guard`` does the same for
whatever a block raises. An error is recorded once, however many layers it passes through;
the problem handler records those no route caught (validation, unknown routes, bugs).

Refusals of callers with no valid token go through a tally: the first few in an interval are
recorded one by one, the rest are counted into one entry per interval, so nobody can grow the
log for free.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn

from audit import AuditError, AuditWriteFailed, CursorInvalid, Decision
from consent import (
    AudioInvalid,
    AudioTooLarge,
    AudioUnsupported,
    ChallengeExpired,
    ChallengeNotFound,
    ChallengeUsed,
    ConsentError,
    ScopeInvalid,
    StatementIsReference,
    VoiceDataDestroyed,
    VoiceNotFound,
    VoiceStateConflict,
)
from engines import (
    EngineError,
    EngineOutOfMemory,
    EngineTimedOut,
    EngineUnavailable,
    GenerationCancelled,
    ModelUnknown,
)
from engines.audio import AudioUndecodable
from engines.text import TextUnspeakable
from gateway.audit_writer import AuditWriter
from gateway.auth import AuthError
from gateway.context import RequestContext
from gateway.errors import GatewayError
from gateway.ratelimit import RefusalTally
from policies import (
    InputLicenceUnknown,
    LanguageMismatch,
    PolicyError,
    PolicyUnavailable,
    StatementLanguageUnsupported,
)
from watermark import WatermarkError

_log = logging.getLogger(__name__)

_RECORDED = "_consentgate_recorded"

# First match wins: leaves before their roots. Errors that carry their own ``status``
# (AuthError, GatewayError) are read from it.
_STATUS_TABLE: tuple[tuple[type[Exception], int], ...] = (
    (PolicyUnavailable, 503),
    (StatementLanguageUnsupported, 422),
    (InputLicenceUnknown, 422),
    (LanguageMismatch, 422),
    (PolicyError, 403),
    (ChallengeNotFound, 404),
    (VoiceNotFound, 404),
    (ChallengeUsed, 409),
    (VoiceStateConflict, 409),
    (ChallengeExpired, 410),
    (VoiceDataDestroyed, 410),
    (AudioTooLarge, 413),
    (AudioUnsupported, 415),
    (AudioInvalid, 422),
    (ScopeInvalid, 422),
    (StatementIsReference, 422),
    (ConsentError, 403),
    (ModelUnknown, 422),
    (TextUnspeakable, 422),
    (AudioUndecodable, 422),
    (GenerationCancelled, 409),
    (EngineTimedOut, 504),
    (EngineOutOfMemory, 503),
    (EngineUnavailable, 503),
    (EngineError, 503),
    (CursorInvalid, 400),
    (AuditError, 503),
    (WatermarkError, 503),
)


@dataclass(frozen=True)
class Refusal:
    """How an error is answered and recorded."""

    status: int
    code: str
    reason: str

    @property
    def decision(self) -> str:
        return Decision.ERROR if self.status >= 500 else Decision.DENY


def classify(error: BaseException) -> Refusal:
    """The status, code and reason of any error; unknown ones are 500 ``internal_error``."""
    status = _status(error)
    if status is None:
        return Refusal(500, "internal_error", "the gateway failed; the error was logged")
    code = getattr(error, "code", None) or "error"
    reason = getattr(error, "reason", None) or str(error)
    return Refusal(status, str(code), str(reason))


def _status(error: BaseException) -> int | None:
    if isinstance(error, AuthError | GatewayError):
        return int(error.status)
    for error_type, status in _STATUS_TABLE:
        if isinstance(error, error_type):
            return status
    return None


def _iso(unix_s: float) -> str:
    return dt.datetime.fromtimestamp(unix_s, dt.UTC).isoformat(timespec="seconds")


def was_recorded(error: BaseException) -> bool:
    return bool(getattr(error, _RECORDED, False))


class RefusalPath:
    """Records refusals (once each) and raises them."""

    def __init__(self, writer: AuditWriter, tally: RefusalTally | None = None) -> None:
        self._writer = writer
        self._tally = tally or RefusalTally()
        self._lock = threading.Lock()

    def flush(self) -> None:
        """Record the tally's summary if an interval has ended (also called at shutdown)."""
        self._flush_tally(RequestContext(method="-", path="*"), force=True)

    def refuse(self, ctx: RequestContext, action: str, error: Exception, **fields: Any) -> NoReturn:
        """Record ``error`` as the refusal of ``action``, then raise it.

        Raises:
            ``error``; AuditWriteFailed (chained) if the refusal could not be recorded.
        """
        self.record(ctx, action, error, **fields)
        raise error

    @contextmanager
    def guard(self, ctx: RequestContext, action: str, **fields: Any) -> Iterator[None]:
        """Whatever the block raises is recorded as the refusal of ``action``, then re-raised."""
        try:
            yield
        except Exception as error:
            self.record(ctx, action, error, **fields)
            raise

    def record(self, ctx: RequestContext, action: str, error: BaseException, **fields: Any) -> None:
        """Record ``error`` once (a second call for the same error does nothing).

        A failed audit write is recorded too, once: the log may accept the error entry right
        after refusing the entry it failed on (a spent consent use then stays traceable).

        Raises:
            AuditWriteFailed: the entry could not be stored.
        """
        with self._lock:  # a caller and a worker may record the same error at once
            if was_recorded(error):
                return
            setattr(error, _RECORDED, True)
        refusal = classify(error)
        if refusal.status >= 500 and refusal.code == "internal_error":
            _log.error("unexpected error during %s", action, exc_info=error)
        if ctx.principal is None and not self._tally.count(refusal.code, ctx.client or "unknown"):
            self._flush_tally(ctx)
            return
        extra = getattr(error, "audit_details", None)  # e.g. which content rule blocked
        if isinstance(extra, dict) and extra:
            fields = {**fields, "details": {**(fields.get("details") or {}), **extra}}
        try:
            self._writer.record(
                ctx, action, refusal.decision, refusal.code, refusal.reason, **fields
            )
        except AuditWriteFailed as failed:
            # The log is down: no later layer should try (and wait on it) again.
            setattr(failed, _RECORDED, True)
            raise
        self._flush_tally(ctx)

    def _flush_tally(self, ctx: RequestContext, force: bool = False) -> None:
        now = time.time() + self._tally.interval_s if force else None
        summary = self._tally.drain_due(now)
        if summary is None or summary.total == summary.recorded_individually:
            return  # every refusal of the interval has its own entry already
        reason = (
            f"{summary.total} refusals of callers without a valid token, "
            f"{summary.recorded_individually} recorded one by one"
        )
        details = {
            "started_at": _iso(summary.started_at),
            "ended_at": _iso(summary.ended_at),
            "by_code": dict(summary.by_code),
            "top_clients": dict(summary.top_clients),
            "other_clients": summary.other_clients,
        }
        summary_ctx = RequestContext(method=ctx.method, path="*")
        self._writer.record(
            summary_ctx, "authenticate", Decision.DENY, "refusals_counted", reason, details=details
        )
