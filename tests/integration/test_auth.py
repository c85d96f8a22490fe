"""Every bad token is a 401 problem+json with its own code, and is audited."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from fastapi.testclient import TestClient

from gateway.services import Services
from tests.factories import IdentityProvider, b64url, bearer, make_key, unsigned_token

IMAGE = {"prompt": "a red bicycle", "purpose": "internal", "seed": 1}


def _tampered_payload(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(jwt.utils.base64url_decode(payload))
    claims["roles"] = ["admin"]
    return ".".join([header, b64url(json.dumps(claims).encode()), signature])


def _tampered_signature(token: str) -> str:
    header, payload, signature = token.split(".")
    raw = bytearray(jwt.utils.base64url_decode(signature))
    raw[0] ^= 0x01
    return ".".join([header, payload, b64url(bytes(raw))])


def _hs256_with_public_key(idp: IdentityProvider) -> str:
    # The classic confusion attack: sign HS256 using the RSA public key (PEM) as the secret.
    from cryptography.hazmat.primitives import serialization

    public_pem = (
        idp.keys["rsa-1"]
        .private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}).encode())
    payload = b64url(json.dumps(idp.claims("mallory", ["admin"])).encode())
    import hashlib
    import hmac

    mac = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(mac)}"


def _foreign_key_token(idp: IdentityProvider) -> str:
    stranger = make_key("RS256", "rsa-1")  # same kid, a key the IdP never published
    return jwt.encode(
        idp.claims(), stranger.private_key, algorithm="RS256", headers={"kid": "rsa-1"}
    )


BAD_TOKENS = {
    "missing": (lambda idp: None, "token_missing"),
    "not a bearer": (lambda idp: "Basic YWxpY2U6c2VjcmV0", "token_missing"),
    "malformed": (lambda idp: "Bearer not.a.jwt", "token_malformed"),
    "garbage": (lambda idp: "Bearer %%%%", "token_malformed"),
    "expired": (
        lambda idp: "Bearer " + idp.token(exp=int(time.time()) - 120, iat=int(time.time()) - 900),
        "token_expired",
    ),
    "not yet valid": (
        lambda idp: "Bearer " + idp.token(nbf=int(time.time()) + 600),
        "token_not_yet_valid",
    ),
    "wrong issuer": (
        lambda idp: "Bearer " + idp.token(iss="https://evil.example"),
        "token_wrong_issuer",
    ),
    "wrong audience": (
        lambda idp: "Bearer " + idp.token(aud="another-api"),
        "token_wrong_audience",
    ),
    "unknown key": (lambda idp: "Bearer " + idp.token(kid="never-published"), "token_unknown_key"),
    "alg none": (
        lambda idp: "Bearer " + unsigned_token(idp.claims("mallory", ["admin"])),
        "token_unsigned",
    ),
    "hs256 public key": (
        lambda idp: "Bearer " + _hs256_with_public_key(idp),
        "token_alg_forbidden",
    ),
    "tampered payload": (
        lambda idp: "Bearer " + _tampered_payload(idp.token()),
        "token_signature_invalid",
    ),
    "tampered signature": (
        lambda idp: "Bearer " + _tampered_signature(idp.token()),
        "token_signature_invalid",
    ),
    "signed by a stranger": (
        lambda idp: "Bearer " + _foreign_key_token(idp),
        "token_signature_invalid",
    ),
    "no subject": (lambda idp: "Bearer " + idp.token(sub=None), "token_claim_missing"),
    "no expiry": (lambda idp: "Bearer " + idp.token(exp=None), "token_claim_missing"),
    "id token type": (
        lambda idp: "Bearer " + idp.token(typ="id_token+jwt"),
        "token_type_forbidden",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_TOKENS))
def test_bad_token_is_401_with_its_code_and_audited(
    client: TestClient, services: Services, idp: IdentityProvider, case: str
) -> None:
    make, code = BAD_TOKENS[case]
    idp.add_key("RS256", "never-published", publish=False)
    authorization = make(idp)
    headers = {} if authorization is None else {"Authorization": authorization}

    response = client.post("/v1/images", json=IMAGE, headers=headers)

    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["code"] == code
    entry = services.audit.get(services.audit.head()[0])
    assert entry is not None
    assert (entry.action, entry.decision, entry.code) == ("authenticate", "deny", code)
    assert entry.subject is None
    assert entry.details["path"] == "/v1/images"


@pytest.mark.parametrize("kid", ["rsa-1", "ec-1", "ed-1"])
@pytest.mark.parametrize("typ", ["JWT", "at+jwt", None])
def test_each_allowed_algorithm_and_token_type_is_accepted(
    client: TestClient, idp: IdentityProvider, kid: str, typ: str | None
) -> None:
    response = client.post("/v1/images", json=IMAGE, headers=bearer(idp.token(kid=kid, typ=typ)))
    assert response.status_code == 201, response.text


def test_small_clock_skew_is_tolerated(client: TestClient, idp: IdentityProvider) -> None:
    token = idp.token(nbf=int(time.time()) + 10)  # an IdP clock 10 s ahead
    assert client.post("/v1/images", json=IMAGE, headers=bearer(token)).status_code == 201


def test_rotated_key_is_fetched_once_on_unknown_kid(
    client: TestClient, idp: IdentityProvider
) -> None:
    assert client.post("/v1/images", json=IMAGE, headers=bearer(idp.token())).status_code == 201
    before = idp.jwks_requests
    idp.add_key("ES256", "ec-rotated")
    response = client.post("/v1/images", json=IMAGE, headers=bearer(idp.token(kid="ec-rotated")))
    assert response.status_code == 201
    assert idp.jwks_requests == before + 1
    # Known keys come from the cache.
    client.post("/v1/images", json=IMAGE, headers=bearer(idp.token(kid="ec-rotated")))
    assert idp.jwks_requests == before + 1


def test_roles_claim_path_is_configurable(
    settings,
    model_loader,
    idp: IdentityProvider,  # type: ignore[no-untyped-def]
) -> None:
    from gateway.app import create_app
    from gateway.services import build_services

    settings.roles_claim = "realm_access.roles"
    with TestClient(create_app(services=build_services(settings, loader=model_loader))) as client:
        nested = idp.token(roles=[], realm_access={"roles": ["consentgate-employees"]})
        assert client.post("/v1/images", json=IMAGE, headers=bearer(nested)).status_code == 201
        flat_only = idp.token(roles=["employee"])
        assert client.post("/v1/images", json=IMAGE, headers=bearer(flat_only)).status_code == 403
