"""Prompt retention, run by the gateway: at start and every ``audit_retention_interval_s``,
prompts older than ``audit_prompt_retention_days`` are redacted, and each run that redacted
something writes an entry saying how many and up to when (the log's own account of it). The
same pass refreshes the planner's statistics, which the search's plans depend on."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from sqlalchemy.exc import SQLAlchemyError
from ulid import ULID

from audit import AuditError, AuditRecord, Decision, redact_prompts_before
from gateway.db import refresh_statistics
from gateway.jobs import redact_finished_bodies
from gateway.services import Services

_log = logging.getLogger(__name__)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def redact_expired_prompts(services: Services, now: dt.datetime | None = None) -> int:
    """One pass; returns how many prompts were redacted (0 when retention is off).

    Raises:
        SQLAlchemyError: the database failed (the batches before it stay redacted).
        AuditWriteFailed: the prompts were redacted but the entry saying so was not written.
    """
    days = services.settings.audit_prompt_retention_days
    if days == 0:
        return 0
    now = now or dt.datetime.now(dt.UTC)
    cutoff = _iso(now - dt.timedelta(days=days))
    redacted = redact_prompts_before(services.db, cutoff, _iso(now))
    job_bodies = redact_finished_bodies(services.db, cutoff)  # the job queue's copy of them
    if redacted or job_bodies:
        services.audit.append(
            AuditRecord(
                request_id=str(ULID()),
                action="redact_prompts",
                decision=Decision.ALLOW,
                code="ok",
                reason=f"{redacted} prompts older than {days} days redacted (retention)",
                details={
                    "redacted": redacted,
                    "job_bodies": job_bodies,
                    "before": cutoff,
                    "retention_days": days,
                },
            )
        )
    return redacted


async def keep_redacting(services: Services) -> None:
    """Run ``redact_expired_prompts`` now and then every interval, until cancelled. A failed
    pass is logged and tried again at the next interval: serving does not stop for it."""
    while True:
        try:
            await asyncio.to_thread(redact_expired_prompts, services)
            await asyncio.to_thread(refresh_statistics, services.db)
        except (SQLAlchemyError, AuditError):
            _log.exception("prompt retention pass failed; retrying at the next interval")
        await asyncio.sleep(services.settings.audit_retention_interval_s)
