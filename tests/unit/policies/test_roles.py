from __future__ import annotations

from pathlib import Path

import pytest

from policies import DEFAULT_POLICY_DIR, PolicyUnavailable, RoleMapper


def test_role_names_and_groups_map_unknown_values_are_dropped() -> None:
    mapper = RoleMapper(DEFAULT_POLICY_DIR / "roles.yaml")
    mapped = mapper.map(["consentgate-compliance", "employee", "wiki-editors"])
    assert mapped == ("compliance_officer", "employee")


def test_mapping_to_undeclared_role_fails_closed(tmp_path: Path) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text("roles: [employee]\ngroups:\n  g: superuser\n")
    with pytest.raises(PolicyUnavailable, match="undeclared roles"):
        RoleMapper(path).map(["g"])
