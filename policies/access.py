"""Role permissions with casbin: may any of the caller's roles do ACTION on RESOURCE?"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import casbin

from policies.errors import RoleForbidden
from policies.watched import WatchedRules


@dataclass(frozen=True)
class AccessGrant:
    """Why access was allowed: the role that matched and the casbin rule (for the audit)."""

    role: str
    rule: tuple[str, ...]


def _load_enforcer(model: Path, policy: Path) -> casbin.Enforcer:
    enforcer = casbin.Enforcer(str(model), str(policy))
    if not enforcer.get_policy():
        raise ValueError("policy.csv holds no rules")
    return enforcer


class AccessPolicy:
    """model.conf + policy.csv, reloaded when either changes."""

    # casbin evaluates matchers with ast.parse, which CPython 3.11 does not survive from
    # several threads at once ("AST constructor recursion depth mismatch", seen under 20
    # concurrent requests): enforcement is serialised. It takes ~0.2 ms.
    _enforce_lock = threading.Lock()

    def __init__(self, model_path: Path, policy_path: Path) -> None:
        self._rules = WatchedRules(
            [model_path, policy_path],
            lambda: _load_enforcer(model_path, policy_path),
            "casbin model and policy",
        )

    def check(self, roles: Sequence[str], resource: str, action: str) -> AccessGrant:
        """Return the first grant among ``roles``.

        Raises:
            RoleForbidden: no role may do ``action`` on ``resource`` (also for no roles).
            PolicyUnavailable: the rules cannot be loaded.
        """
        enforcer = self._rules.current()
        for role in sorted(roles):
            with self._enforce_lock:
                allowed, rule = enforcer.enforce_ex(role, resource, action)
            if allowed:
                return AccessGrant(role=role, rule=tuple(rule))
        held = ", ".join(sorted(roles)) or "no role"
        raise RoleForbidden(f"{held} may not {action} {resource}")

    def allows(self, roles: Sequence[str], resource: str, action: str) -> bool:
        """Like ``check`` but answers False instead of raising RoleForbidden."""
        try:
            self.check(roles, resource, action)
        except RoleForbidden:
            return False
        return True
