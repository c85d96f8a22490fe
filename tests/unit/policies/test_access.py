"""Every casbin rule has an allow case and a deny case; the default is deny."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policies import DEFAULT_POLICY_DIR, AccessPolicy, PolicyUnavailable, RoleForbidden

ROLES = ("employee", "voice_user", "compliance_officer", "admin", "service")

# (role, resource, action, allowed)
TABLE = [
    ("employee", "image", "generate", True),
    ("employee", "speech", "generate", True),
    ("employee", "music", "generate", True),
    ("employee", "video", "generate", True),
    ("employee", "voice_clone", "generate", False),
    ("employee", "input", "generate", True),
    ("employee", "job", "read_audit", False),
    ("compliance_officer", "job", "read_audit", True),
    ("service", "input", "generate", True),
    ("employee", "voice", "enrol", False),
    ("employee", "audit", "read_audit", False),
    ("voice_user", "voice", "enrol", True),
    ("voice_user", "voice", "revoke", False),  # owners revoke their own voice, whatever role
    ("voice_user", "voice_clone", "generate", True),
    ("voice_user", "image", "generate", True),  # inherits employee
    ("voice_user", "audit", "read_audit", False),
    ("compliance_officer", "audit", "read_audit", True),
    ("compliance_officer", "audit", "export_audit", True),
    ("compliance_officer", "audit", "verify", True),
    ("compliance_officer", "artifact", "read_audit", True),
    ("compliance_officer", "voice", "revoke", True),
    ("compliance_officer", "voice", "read_audit", True),
    ("compliance_officer", "voice", "review_voice", True),
    ("admin", "voice", "review_voice", True),  # inherits compliance_officer
    ("voice_user", "voice", "review_voice", False),  # an owner never reviews a voice
    ("employee", "voice", "read_audit", False),
    ("compliance_officer", "image", "generate", False),
    ("compliance_officer", "policy", "manage_policy", False),
    ("admin", "policy", "manage_policy", True),
    ("admin", "audit", "read_audit", True),  # inherits compliance_officer
    ("admin", "voice", "enrol", False),
    ("service", "image", "generate", True),
    ("service", "speech", "generate", True),
    ("service", "music", "generate", True),
    ("service", "video", "generate", True),
    ("service", "voice_clone", "generate", False),
    ("service", "audit", "read_audit", False),
    # Any authenticated caller may ask whether a file came from the gateway.
    ("employee", "file", "verify", True),
    ("voice_user", "file", "verify", True),
    ("compliance_officer", "file", "verify", True),
    ("admin", "file", "verify", True),
    ("service", "file", "verify", True),
    ("nobody", "file", "verify", False),
    ("nobody", "image", "generate", False),
]


@pytest.fixture
def access() -> AccessPolicy:
    return AccessPolicy(DEFAULT_POLICY_DIR / "model.conf", DEFAULT_POLICY_DIR / "policy.csv")


@pytest.mark.parametrize(("role", "resource", "action", "allowed"), TABLE)
def test_rule_table(
    access: AccessPolicy, role: str, resource: str, action: str, allowed: bool
) -> None:
    if allowed:
        grant = access.check([role], resource, action)
        assert grant.role == role
        assert grant.rule[1:] == (resource, action)
    else:
        with pytest.raises(RoleForbidden, match=f"may not {action} {resource}"):
            access.check([role], resource, action)


def test_every_shipped_rule_has_an_allow_case_in_the_table() -> None:
    lines = (DEFAULT_POLICY_DIR / "policy.csv").read_text().splitlines()
    rules = {
        tuple(part.strip() for part in line.split(",")[1:])
        for line in lines
        if line.startswith("p,")
    }
    allowed = {(r, res, act) for r, res, act, ok in TABLE if ok}
    assert rules <= allowed


def test_no_roles_is_denied(access: AccessPolicy) -> None:
    with pytest.raises(RoleForbidden, match="no role may not generate image"):
        access.check([], "image", "generate")


def test_rules_reload_without_restart(tmp_path: Path) -> None:
    shutil.copy(DEFAULT_POLICY_DIR / "model.conf", tmp_path / "model.conf")
    policy = tmp_path / "policy.csv"
    policy.write_text("p, employee, image, generate\n")
    access = AccessPolicy(tmp_path / "model.conf", policy)
    assert access.allows(["employee"], "image", "generate")

    policy.write_text("p, employee, music, generate\np, employee, video, generate\n")
    assert not access.allows(["employee"], "image", "generate")
    assert access.allows(["employee"], "music", "generate")


def test_broken_rules_fail_closed(tmp_path: Path) -> None:
    shutil.copy(DEFAULT_POLICY_DIR / "model.conf", tmp_path / "model.conf")
    policy = tmp_path / "policy.csv"
    policy.write_text("p, employee, image, generate\n")
    access = AccessPolicy(tmp_path / "model.conf", policy)
    assert access.allows(["employee"], "image", "generate")

    (tmp_path / "model.conf").write_text("[request_definition]\nthis is not a model\n")
    with pytest.raises(PolicyUnavailable, match="could not be loaded"):
        access.check(["employee"], "image", "generate")


def test_empty_policy_fails_closed(tmp_path: Path) -> None:
    shutil.copy(DEFAULT_POLICY_DIR / "model.conf", tmp_path / "model.conf")
    (tmp_path / "policy.csv").write_text("")
    access = AccessPolicy(tmp_path / "model.conf", tmp_path / "policy.csv")
    with pytest.raises(PolicyUnavailable):
        access.check(["employee"], "image", "generate")


def test_concurrent_checks_do_not_crash(access: AccessPolicy) -> None:
    """casbin's matcher parsing crashed CPython 3.11 from parallel threads without the lock."""
    import threading

    failures: list[str] = []

    def hammer() -> None:
        try:
            for _ in range(1000):
                access.check(["employee"], "image", "generate")
        except Exception as error:  # the test reports whatever escapes
            failures.append(repr(error))

    threads = [threading.Thread(target=hammer) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
