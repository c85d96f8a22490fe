"""The token verifier under generated tokens: every header and claim field, any JSON shape.

Held means: a Principal for a valid token, an AuthError (a 401 code) for everything else;
never another exception (which the API would answer as a 500).
"""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateway.auth import AuthError, StaticJwks, TokenVerifier
from tests.factories import AUDIENCE, ISSUER, SigningKey, b64url, make_key

KEY = make_key("EdDSA", "ed-fuzz")
OTHER_KEY = make_key("ES256", "es-fuzz")

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
HEADER_FIELDS = ("alg", "typ", "kid", "crit", "jku", "x5u", "x5c", "cty", "b64", "zip", "jwk")
CLAIM_FIELDS = ("iss", "aud", "sub", "exp", "nbf", "iat", "jti", "roles", "name")


def _verifier() -> TokenVerifier:
    jwks = {"keys": [{**KEY.public_jwk()}, {**OTHER_KEY.public_jwk()}]}
    return TokenVerifier(
        keys=StaticJwks(jwks),
        issuer=ISSUER,
        audience=AUDIENCE,
        roles_claim="roles",
        leeway_s=30,
        map_roles=lambda groups: tuple(g for g in groups if g == "employee"),
    )


VERIFIER = _verifier()


def _valid_claims() -> dict[str, Any]:
    now = int(time.time())
    return {"iss": ISSUER, "aud": AUDIENCE, "sub": "fuzz", "exp": now + 600, "nbf": now - 5}


def _sign(key: SigningKey, header: dict[str, Any], claims: dict[str, Any]) -> str:
    """Sign with a real key whatever the header says (as an attacker holding a key would)."""
    header_b64 = b64url(json.dumps(header, default=str).encode())
    payload_b64 = b64url(json.dumps(claims, default=str).encode())
    signing_input = f"{header_b64}.{payload_b64}".encode()
    algorithm = jwt.get_algorithm_by_name(key.algorithm)
    signature = algorithm.sign(signing_input, key.private_key)
    return f"{header_b64}.{payload_b64}.{b64url(signature)}"


def _assert_held(token: str) -> None:
    try:
        VERIFIER.verify(token)
    except AuthError:
        return


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header_changes=st.dictionaries(st.sampled_from(HEADER_FIELDS), json_values, max_size=4),
    claim_changes=st.dictionaries(st.sampled_from(CLAIM_FIELDS), json_values, max_size=4),
    signer=st.sampled_from([KEY, OTHER_KEY]),
)
def test_signed_tokens_with_any_header_or_claim_never_escape(
    header_changes: dict[str, Any], claim_changes: dict[str, Any], signer: SigningKey
) -> None:
    header = {"alg": signer.algorithm, "typ": "JWT", "kid": signer.kid, **header_changes}
    _assert_held(_sign(signer, header, {**_valid_claims(), **claim_changes}))


@settings(max_examples=300, deadline=None)
@given(header=json_values, payload=json_values, signature=st.binary(max_size=80))
def test_any_json_in_any_segment_never_escapes(header: Any, payload: Any, signature: bytes) -> None:
    token = ".".join(
        [
            b64url(json.dumps(header).encode()),
            b64url(json.dumps(payload).encode()),
            b64url(signature),
        ]
    )
    _assert_held(token)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_as_a_token_never_escapes(text: str) -> None:
    _assert_held(text)


@pytest.mark.parametrize(
    "header_changes",
    [
        {"typ": ["JWT"]},  # unhashable: was a TypeError (500)
        {"alg": ["EdDSA"]},
        {"alg": {"x": 1}},
        {"kid": {"a": 1}},
        {"crit": ["exp"]},
        {"crit": "b64"},
        {"b64": False, "crit": ["b64"]},
    ],
)
def test_unusual_header_parameters_are_refused_with_a_code(header_changes: dict[str, Any]) -> None:
    header = {"alg": KEY.algorithm, "typ": "JWT", "kid": KEY.kid, **header_changes}
    with pytest.raises(AuthError) as refused:
        VERIFIER.verify(_sign(KEY, header, _valid_claims()))
    assert refused.value.code.startswith(("token_", "jwks_"))


def test_the_fuzzed_signer_makes_valid_tokens() -> None:
    # Guards the fuzz tests above: with an ordinary header the same signing is accepted.
    header = {"alg": KEY.algorithm, "typ": "JWT", "kid": KEY.kid}
    principal = VERIFIER.verify(_sign(KEY, header, {**_valid_claims(), "roles": ["employee"]}))
    assert (principal.subject, principal.roles) == ("fuzz", ("employee",))
