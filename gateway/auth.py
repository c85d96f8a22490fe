"""Step 1 of the request path: an OIDC bearer token becomes a Principal, or is refused.

Tokens are JWTs signed by the IdP, checked against its JWKS (fetched over HTTP, cached,
refetched once on an unknown ``kid`` and no more often than a set interval). Only RS256,
ES256 and EdDSA are accepted, so ``alg: none`` and HS256-with-the-public-key are refused
before any key is looked at.

AuthError                      every one answers 401, except JwksUnavailable (503)
 ├── TokenMissing              (token_missing)
 ├── TokenMalformed            (token_malformed)
 ├── TokenUnsigned             (token_unsigned)         alg "none"
 ├── TokenAlgorithmForbidden   (token_alg_forbidden)    HS256 and any other algorithm
 ├── TokenTypeForbidden        (token_type_forbidden)
 ├── TokenUnknownKey           (token_unknown_key)
 ├── TokenSignatureInvalid     (token_signature_invalid)
 ├── TokenExpired              (token_expired)
 ├── TokenNotYetValid          (token_not_yet_valid)
 ├── TokenWrongIssuer          (token_wrong_issuer)
 ├── TokenWrongAudience        (token_wrong_audience)
 ├── TokenClaimMissing         (token_claim_missing)
 └── JwksUnavailable           (jwks_unavailable)
"""

from __future__ import annotations

import logging
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
import jwt

_log = logging.getLogger(__name__)

ALLOWED_ALGORITHMS = frozenset({"RS256", "ES256", "EdDSA"})
ALLOWED_TYPES = frozenset({None, "JWT", "at+jwt", "application/at+jwt"})  # RFC 9068 access tokens
MAX_TOKEN_BYTES = 16_384  # far above any real access token; bounds parsing work
JWKS_FETCH_TIMEOUT_S = 5.0
REQUIRED_CLAIMS = ("exp", "iss", "aud", "sub")


class AuthError(Exception):
    code = "token_invalid"
    status = 401

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TokenMissing(AuthError):
    code = "token_missing"


class TokenMalformed(AuthError):
    code = "token_malformed"


class TokenUnsigned(AuthError):
    code = "token_unsigned"


class TokenAlgorithmForbidden(AuthError):
    code = "token_alg_forbidden"


class TokenTypeForbidden(AuthError):
    code = "token_type_forbidden"


class TokenUnknownKey(AuthError):
    code = "token_unknown_key"


class TokenSignatureInvalid(AuthError):
    code = "token_signature_invalid"


class TokenExpired(AuthError):
    code = "token_expired"


class TokenNotYetValid(AuthError):
    code = "token_not_yet_valid"


class TokenWrongIssuer(AuthError):
    code = "token_wrong_issuer"


class TokenWrongAudience(AuthError):
    code = "token_wrong_audience"


class TokenClaimMissing(AuthError):
    code = "token_claim_missing"


class JwksUnavailable(AuthError):
    code = "jwks_unavailable"
    status = 503


@dataclass(frozen=True)
class Principal:
    """Who is calling: the token's subject, consentgate roles, the raw claim values, claims."""

    subject: str
    roles: tuple[str, ...]
    groups: tuple[str, ...]
    claims: Mapping[str, Any] = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        return str(self.claims.get("name") or self.claims.get("preferred_username") or self.subject)


class KeySource(Protocol):
    """Where verification keys come from."""

    def key_for(self, kid: str) -> jwt.PyJWK | None:
        """The key with this ``kid``, or None. May raise JwksUnavailable."""
        ...


def _parse_jwks(document: Mapping[str, Any]) -> dict[str, jwt.PyJWK]:
    keys: dict[str, jwt.PyJWK] = {}
    for raw in document.get("keys", []):
        kid = raw.get("kid")
        if not kid or raw.get("use", "sig") != "sig":
            continue
        try:
            keys[kid] = jwt.PyJWK(raw)
        except (jwt.PyJWKError, jwt.InvalidKeyError) as exc:
            _log.warning("ignoring JWKS key %s: %s", kid, exc)
    return keys


class StaticJwks:
    """A fixed key set (the dev identity provider's key)."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._keys = _parse_jwks(document)

    def key_for(self, kid: str) -> jwt.PyJWK | None:
        return self._keys.get(kid)


class HttpJwks:
    """The IdP's JWKS over HTTP: cached, refreshed after ``cache_s``, and refetched on an
    unknown ``kid`` at most once per ``min_refetch_s`` (so junk ``kid``s cannot make us hammer
    the IdP)."""

    def __init__(
        self,
        url: str,
        cache_s: float,
        min_refetch_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = url
        self._cache_s = cache_s
        self._min_refetch_s = min_refetch_s
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()
        self.fetch_count = 0

    def _fetch(self) -> None:
        self.fetch_count += 1
        try:
            response = httpx.get(self._url, timeout=JWKS_FETCH_TIMEOUT_S)
            response.raise_for_status()
            keys = _parse_jwks(response.json())
        except (httpx.HTTPError, ValueError) as exc:
            self._fetched_at = self._clock()  # failures are rate-limited too
            if not self._keys:
                raise JwksUnavailable("the identity provider's keys could not be fetched") from exc
            _log.warning("JWKS refresh failed; keeping %d cached keys: %s", len(self._keys), exc)
            return
        self._keys = keys
        self._fetched_at = self._clock()

    def key_for(self, kid: str) -> jwt.PyJWK | None:
        with self._lock:
            now = self._clock()
            stale = self._fetched_at is None or now - self._fetched_at >= self._cache_s
            may_refetch = self._fetched_at is None or now - self._fetched_at >= self._min_refetch_s
            if stale or (kid not in self._keys and may_refetch):
                self._fetch()
            return self._keys.get(kid)


def claim_values(claims: Mapping[str, Any], path: str) -> tuple[str, ...]:
    """Values at a dotted claim path (``realm_access.roles``): a list, or a space-separated
    string; anything else gives no values."""
    node: Any = claims
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return ()
        node = node[part]
    if isinstance(node, str):
        return tuple(node.split())
    if isinstance(node, list):
        return tuple(str(v) for v in node if isinstance(v, str | int))
    return ()


_PYJWT_ERRORS: tuple[tuple[type[Exception], type[AuthError]], ...] = (
    (jwt.ExpiredSignatureError, TokenExpired),
    (jwt.ImmatureSignatureError, TokenNotYetValid),
    (jwt.InvalidIssuerError, TokenWrongIssuer),
    (jwt.InvalidAudienceError, TokenWrongAudience),
    (jwt.InvalidSignatureError, TokenSignatureInvalid),
    (jwt.MissingRequiredClaimError, TokenClaimMissing),
    (jwt.InvalidAlgorithmError, TokenAlgorithmForbidden),
)


class TokenVerifier:
    """Verifies bearer tokens and builds the Principal; ``map_roles`` maps claim values."""

    def __init__(
        self,
        keys: KeySource,
        issuer: str,
        audience: str,
        roles_claim: str,
        leeway_s: int,
        map_roles: Callable[[tuple[str, ...]], tuple[str, ...]],
    ) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._roles_claim = roles_claim
        self._leeway_s = leeway_s
        self._map_roles = map_roles

    def for_audience(self, audience: str) -> TokenVerifier:
        """The same checks, keys, issuer and role mapping for tokens addressed to ``audience``
        (the web workspace's ID tokens name its client id), so a browser session carries the
        roles an API token would."""
        return TokenVerifier(
            self._keys, self._issuer, audience, self._roles_claim, self._leeway_s, self._map_roles
        )

    def verify(self, token: str | None) -> Principal:
        """Raises an AuthError subclass for every token that is not valid for this gateway,
        whatever its shape (fail closed: an unexpected parsing error is ``token_malformed``)."""
        try:
            return self._verify(token)
        except AuthError:
            raise
        except Exception as exc:  # a header or claim of a shape PyJWT did not expect
            _log.info("token refused as malformed: %s", type(exc).__name__)
            raise TokenMalformed("the token could not be parsed") from exc

    def _verify(self, token: str | None) -> Principal:
        if not token:
            raise TokenMissing("no bearer token")
        if len(token) > MAX_TOKEN_BYTES:
            raise TokenMalformed("token is too long")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.DecodeError as exc:
            raise TokenMalformed("token is not a JWS compact serialisation") from exc
        algorithm = header.get("alg")
        if isinstance(algorithm, str) and algorithm.lower() == "none":
            raise TokenUnsigned("unsigned tokens (alg none) are never accepted")
        if not isinstance(algorithm, str) or algorithm not in ALLOWED_ALGORITHMS:
            raise TokenAlgorithmForbidden(f"algorithm {str(algorithm)[:40]!r} is not accepted")
        token_type = header.get("typ")
        if not (token_type is None or isinstance(token_type, str)) or (
            token_type not in ALLOWED_TYPES
        ):
            raise TokenTypeForbidden(f"token type {str(token_type)[:40]!r} is not accepted")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise TokenUnknownKey("token names no key id (kid)")
        key = self._keys.key_for(kid)
        if key is None:
            raise TokenUnknownKey(f"no key {kid[:64]!r} in the identity provider's key set")
        self._require_key_matches(key, algorithm)
        claims = self._decode(token, key, algorithm)
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise TokenClaimMissing("token has no subject")
        if any(unicodedata.category(char) in ("Cc", "Cs") for char in subject):
            # Who asked is stored and compared as given: a NUL cannot be stored on PostgreSQL,
            # and control characters would blur the audit trail.
            raise TokenMalformed("the token's subject holds control characters")
        groups = claim_values(claims, self._roles_claim)
        return Principal(
            subject=subject, roles=self._map_roles(groups), groups=groups, claims=claims
        )

    @staticmethod
    def _require_key_matches(key: jwt.PyJWK, algorithm: str) -> None:
        # The key decides the algorithm, not the token: an RSA key never checks an ES256 token.
        if key.algorithm_name != algorithm:
            raise TokenAlgorithmForbidden(
                f"algorithm {algorithm} does not match the key's {key.algorithm_name}"
            )

    def _decode(self, token: str, key: jwt.PyJWK, algorithm: str) -> dict[str, Any]:
        try:
            return jwt.decode(
                token,
                key=key,
                algorithms=[algorithm],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway_s,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.InvalidTokenError as exc:
            for pyjwt_error, auth_error in _PYJWT_ERRORS:
                if isinstance(exc, pyjwt_error):
                    raise auth_error(str(exc)) from exc
            raise TokenMalformed(str(exc)) from exc
