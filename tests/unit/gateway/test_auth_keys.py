from __future__ import annotations

import pytest
from pydantic import ValidationError

from gateway.auth import HttpJwks, JwksUnavailable, claim_values
from gateway.pipeline import bearer_token
from gateway.settings import Settings
from tests.factories import IdentityProvider


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_unknown_kid_refetch_is_rate_limited(idp: IdentityProvider) -> None:
    clock = FakeClock()
    keys = HttpJwks(idp.jwks_url, cache_s=600, min_refetch_s=30, clock=clock)
    assert keys.key_for("rsa-1") is not None
    assert keys.fetch_count == 1
    for _ in range(5):
        assert keys.key_for("junk") is None
    assert keys.fetch_count == 1  # inside the interval: no refetch for junk kids
    clock.now += 31
    keys.key_for("junk")
    assert keys.fetch_count == 2


def test_cache_expires(idp: IdentityProvider) -> None:
    clock = FakeClock()
    keys = HttpJwks(idp.jwks_url, cache_s=60, min_refetch_s=30, clock=clock)
    keys.key_for("rsa-1")
    clock.now += 61
    keys.key_for("rsa-1")
    assert keys.fetch_count == 2


def test_unreachable_jwks_fails_closed() -> None:
    keys = HttpJwks("http://127.0.0.1:9/jwks", cache_s=60, min_refetch_s=0)
    with pytest.raises(JwksUnavailable):
        keys.key_for("rsa-1")


@pytest.mark.parametrize(
    ("claims", "path", "values"),
    [
        ({"roles": ["a", "b"]}, "roles", ("a", "b")),
        ({"scope": "a b"}, "scope", ("a", "b")),
        ({"realm_access": {"roles": ["x"]}}, "realm_access.roles", ("x",)),
        ({"realm_access": ["x"]}, "realm_access.roles", ()),
        ({"roles": {"a": 1}}, "roles", ()),
        ({}, "groups", ()),
    ],
)
def test_claim_values(claims: dict, path: str, values: tuple[str, ...]) -> None:
    assert claim_values(claims, path) == values


@pytest.mark.parametrize(
    ("header", "token"),
    [(None, None), ("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("Basic abc", "")],
)
def test_bearer_token(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token


def test_production_refuses_dev_auth() -> None:
    with pytest.raises(ValidationError, match="refused in production"):
        Settings(environment="production", auth_mode="dev")


def test_oidc_needs_issuer_audience_and_jwks() -> None:
    with pytest.raises(ValidationError, match="oidc_issuer"):
        Settings(auth_mode="oidc", oidc_audience="a", oidc_jwks_url="http://x")


def test_clock_skew_is_capped_at_a_minute() -> None:
    with pytest.raises(ValidationError):
        Settings(clock_skew_s=300)
