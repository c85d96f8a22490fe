"""The dev identity provider: a local Ed25519 key under the data dir that signs dev tokens.

In ``auth_mode=dev`` the gateway trusts this key and nothing else; production refuses the
mode (see settings). ``consentgate dev-token`` mints tokens with it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

DEV_ISSUER = "urn:consentgate:dev-idp"
DEV_AUDIENCE = "consentgate"
MAX_DEV_TOKEN_TTL_S = 7 * 24 * 3600


def _thumbprint(okp_jwk: dict[str, str]) -> str:
    """RFC 7638 JWK thumbprint of an OKP key: the key id clients see."""
    members = {name: okp_jwk[name] for name in ("crv", "kty", "x")}
    digest = hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode())
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


class DevIdentity:
    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private_key = private_key
        public_jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(private_key.public_key()))
        self.kid = _thumbprint(public_jwk)
        self.public_jwk = {**public_jwk, "kid": self.kid, "alg": "EdDSA", "use": "sig"}

    @classmethod
    def load_or_create(cls, data_dir: Path) -> DevIdentity:
        path = data_dir / "dev-idp" / "signing-key.pem"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} does not hold an Ed25519 key")
        return cls(key)

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.public_jwk]}

    def mint(
        self, subject: str, roles: list[str], ttl_s: int = 3600, name: str | None = None
    ) -> str:
        """A signed dev access token. Raises ValueError for a TTL over a week."""
        if not 0 < ttl_s <= MAX_DEV_TOKEN_TTL_S:
            raise ValueError(f"ttl must be between 1 and {MAX_DEV_TOKEN_TTL_S} seconds")
        now = int(time.time())
        claims = {
            "iss": DEV_ISSUER,
            "aud": DEV_AUDIENCE,
            "sub": subject,
            "iat": now,
            "nbf": now,
            "exp": now + ttl_s,
            "roles": roles,
            "name": name or subject,
        }
        return jwt.encode(
            claims, self._private_key, algorithm="EdDSA", headers={"kid": self.kid, "typ": "at+jwt"}
        )
