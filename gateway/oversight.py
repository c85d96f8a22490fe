"""Who may see what another person made or granted: the one rule, used by every reader."""

from __future__ import annotations

from gateway.auth import Principal
from policies import AccessPolicy


def may_read_others(access: AccessPolicy, principal: Principal, resource: str) -> bool:
    """True for roles that oversee others' ``resource`` (artifact, job, voice): those that may
    read the audit log of it (compliance officers, admins)."""
    return access.allows(principal.roles, resource, "read_audit")
