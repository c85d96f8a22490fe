"""Map the values of the token's roles claim (IdP roles or groups) to consentgate roles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from policies.watched import WatchedRules


@dataclass(frozen=True)
class RoleMap:
    roles: frozenset[str]
    groups: dict[str, str]

    def map(self, claim_values: Iterable[str]) -> tuple[str, ...]:
        """The consentgate roles for these claim values, sorted; unknown values grant nothing."""
        mapped = set()
        for value in claim_values:
            if value in self.roles:
                mapped.add(value)
            elif value in self.groups:
                mapped.add(self.groups[value])
        return tuple(sorted(mapped))


def load_role_map(path: Path) -> RoleMap:
    """Parse roles.yaml. Raises ValueError when it maps a group to an undeclared role."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    roles = frozenset(str(r) for r in data.get("roles", []))
    groups = {str(k): str(v) for k, v in (data.get("groups") or {}).items()}
    unknown = set(groups.values()) - roles
    if unknown:
        raise ValueError(f"roles.yaml maps groups to undeclared roles: {sorted(unknown)}")
    return RoleMap(roles=roles, groups=groups)


class RoleMapper:
    """roles.yaml, reloaded when it changes."""

    def __init__(self, path: Path) -> None:
        self._rules = WatchedRules([path], lambda: load_role_map(path), "roles.yaml")

    def map(self, claim_values: Iterable[str]) -> tuple[str, ...]:
        """Raises PolicyUnavailable if roles.yaml cannot be loaded."""
        return self._rules.current().map(claim_values)
