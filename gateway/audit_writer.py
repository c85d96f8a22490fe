"""Step 8 for every route: one entry per decision, allow, deny or error.

Every route and the job workers write through this module; the pipeline calls it, it does not
own it. An entry carries the request id, who asked (as far as known), the method and path,
and the links of the request (a job and its submission entry).
"""

from __future__ import annotations

from typing import Any

from audit import AuditEntry, AuditLog, AuditRecord, Decision, prompt_hash
from gateway.context import RequestContext


def request_details(ctx: RequestContext) -> dict[str, Any]:
    """What every entry says of its request: method, path, client address, the caller's
    name, and the request's links (its job, its submission entry)."""
    principal = ctx.principal
    return {
        "method": ctx.method,
        "path": ctx.path,
        **({"client": ctx.client} if ctx.client else {}),
        # The name an officer recognises; the subject stays the key (names change).
        **({"caller_name": principal.display_name[:200]} if principal else {}),
        **ctx.audit_links,
    }


class AuditWriter:
    def __init__(self, log: AuditLog) -> None:
        self._log = log

    def record(
        self,
        ctx: RequestContext,
        action: str,
        decision: str,
        code: str,
        reason: str,
        *,
        engine: str | None = None,
        model: str | None = None,
        purpose: str | None = None,
        policy_rule: tuple[str, ...] | None = None,
        prompt_fields: dict[str, str | None] | None = None,
        details: dict[str, Any] | None = None,
    ) -> AuditEntry:
        """Append one entry for the request in ``ctx``.

        Raises:
            AuditWriteFailed: the entry could not be stored; the caller fails closed.
        """
        principal = ctx.principal
        record = AuditRecord(
            request_id=ctx.request_id,
            action=action,
            decision=decision,
            code=code,
            reason=reason,
            subject=principal.subject if principal else None,
            roles=principal.roles if principal else (),
            engine=None if engine is None else str(engine),
            model=model,
            purpose=None if purpose is None else str(purpose),
            prompt_hash=None if prompt_fields is None else prompt_hash(prompt_fields),
            policy_rule=policy_rule,
            details={**request_details(ctx), **(details or {})},
        )
        with ctx.step("record"):
            return self._log.append(record, prompt_fields)

    def allow(
        self,
        ctx: RequestContext,
        action: str,
        reason: str,
        details: dict[str, Any] | None = None,
        prompt_fields: dict[str, str | None] | None = None,
    ) -> AuditEntry:
        """Record an allowed read or change (code ``ok``); ``prompt_fields`` (e.g. a search
        term) are kept beside the entry, where retention redacts them."""
        return self.record(
            ctx, action, Decision.ALLOW, "ok", reason, details=details, prompt_fields=prompt_fields
        )
