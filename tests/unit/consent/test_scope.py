from __future__ import annotations

import datetime as dt

import pytest

from consent import ConsentScope, Requester, ScopeInvalid

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)


def scope(**overrides: object) -> ConsentScope:
    values: dict = {
        "subjects": ("colin",),
        "groups": ("trainers",),
        "roles": ("service",),
        "purposes": ("internal",),
        "engines": ("consentgate/tiny-vits",),
        "expires_at": NOW + dt.timedelta(days=30),
    }
    values.update(overrides)
    return ConsentScope(**values)


@pytest.mark.parametrize(
    ("requester", "admitted"),
    [
        (Requester("olivia"), True),  # the owner
        (Requester("colin"), True),
        (Requester("gina", groups=("trainers",)), True),
        (Requester("bot", roles=("service",)), True),
        (Requester("sam", groups=("sales",), roles=("employee",)), False),
    ],
)
def test_who_may_use_the_voice(requester: Requester, admitted: bool) -> None:
    assert scope().admits(requester, owner="olivia") is admitted


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"expires_at": NOW - dt.timedelta(seconds=1)}, "in the future"),
        ({"expires_at": NOW + dt.timedelta(days=1000)}, "at most 730 days"),
        ({"expires_at": dt.datetime(2027, 1, 1)}, "time zone"),
        ({"purposes": ()}, "purpose"),
        ({"engines": ()}, "engine"),
        ({"max_uses": 0}, "at least 1"),
        ({"subjects": tuple(f"u{n}" for n in range(101))}, "at most 100"),
    ],
)
def test_invalid_scopes(overrides: dict, message: str) -> None:
    with pytest.raises(ScopeInvalid, match=message):
        scope(**overrides).validate(NOW)


def test_json_round_trip() -> None:
    original = scope(max_uses=3)
    assert ConsentScope.from_json(original.to_json()) == ConsentScope(
        subjects=("colin",),
        groups=("trainers",),
        roles=("service",),
        purposes=("internal",),
        engines=("consentgate/tiny-vits",),
        expires_at=NOW + dt.timedelta(days=30),
        max_uses=3,
    )
