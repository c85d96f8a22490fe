"""The workspace as an OIDC client of the gateway's issuer: authorization code + PKCE (S256).

Endpoints come from the issuer's discovery document (fetched with a timeout, read up to a
bound, cached). The code is redeemed at the token endpoint (client_secret_basic when a secret
is configured, else as a public client); the ID token is verified by the gateway's own token
verifier (same keys, issuer, algorithms and role mapping as API tokens), addressed to the
client id, and must carry this sign-in's nonce.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from gateway.auth import Principal, TokenVerifier, TokenWrongAudience
from gateway.ui.errors import IdpUnavailable, LoginCodeInvalid, LoginNonceInvalid
from gateway.ui.logins import PendingLogin

_log = logging.getLogger(__name__)

HTTP_TIMEOUT_S = 5.0  # a sign-in waits on the IdP: a stalled IdP must not hold a worker long
# Discovery documents are a few KiB; token responses hold three JWTs. Both bounded so a
# misbehaving IdP cannot make the gateway read without end.
MAX_DISCOVERY_BYTES = 64 * 1024
MAX_TOKEN_RESPONSE_BYTES = 64 * 1024
DISCOVERY_CACHE_S = 3600  # endpoints rarely move; an hour bounds how long a move goes unseen
# A stalled IdP must not take the gateway's worker threads with it (found by the attack: 60
# sign-ins queued on the discovery fetch and /healthz stopped answering): after a failed
# discovery, sign-ins are refused at once for a while, and at most a few requests wait on the
# IdP at any time; the rest are refused at once instead of queueing.
DISCOVERY_RETRY_S = 10.0
MAX_IDP_CALLS = 4
# Far enough for any real token; Python's datetime ends at year 9999.
LATEST_EXPIRY = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
MAX_IDP_ERROR_CHARS = 100  # an IdP's error code, quoted into our refusal's reason
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class Endpoints:
    authorization: str
    token: str


@dataclass(frozen=True)
class SignedIn:
    """Who the ID token names, and when it expires (the session's latest end)."""

    principal: Principal
    expires_at: dt.datetime


def _read_bounded(response: httpx.Response, limit: int) -> bytes:
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limit:
            raise ValueError(f"the answer is over {limit} bytes")
    return bytes(body)


def _json_object(body: bytes) -> dict[str, Any]:
    """Raises ValueError for anything but a JSON object."""
    document = json.loads(body)
    if not isinstance(document, dict):
        raise ValueError("the answer is not a JSON object")
    return document


def _endpoint(document: dict[str, Any], name: str) -> str:
    """An endpoint URL from discovery: https, or http on a loopback host (a local IdP)."""
    url = document.get(name)
    if not isinstance(url, str):
        raise ValueError(f"the discovery document names no {name}")
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in _LOOPBACK):
        raise ValueError(f"{name} is not an https URL")
    return url


class OidcClient:
    def __init__(
        self,
        issuer: str,
        client_id: str,
        client_secret: str | None,
        scopes: str,
        id_tokens: TokenVerifier,
    ) -> None:
        self.client_id = client_id
        self._issuer = issuer
        self._secret = client_secret
        self._scopes = scopes
        self._id_tokens = id_tokens
        self._endpoints: Endpoints | None = None
        self._fetched_at = 0.0
        self._failed_at: float | None = None
        self._lock = threading.Lock()
        self._idp_calls = threading.BoundedSemaphore(MAX_IDP_CALLS)

    def endpoints(self) -> Endpoints:
        """The issuer's endpoints, from its discovery document (cached).

        Raises:
            IdpUnavailable: the document could not be fetched, or is not this issuer's, or
                names unusable endpoints, or the IdP does not offer PKCE S256.
        """
        if not self._lock.acquire(blocking=False):  # another request is fetching it
            if self._endpoints is not None:
                return self._endpoints
            raise IdpUnavailable("the identity provider's sign-in is being looked up; try again")
        try:
            now = time.monotonic()
            if self._endpoints is None or now - self._fetched_at >= DISCOVERY_CACHE_S:
                if self._failed_at is not None and now - self._failed_at < DISCOVERY_RETRY_S:
                    raise IdpUnavailable("the identity provider's sign-in is not available")
                try:
                    self._endpoints = self._discover()
                except IdpUnavailable:
                    self._failed_at = time.monotonic()
                    raise
                self._fetched_at, self._failed_at = time.monotonic(), None
            return self._endpoints
        finally:
            self._lock.release()

    @contextmanager
    def _calling_idp(self) -> Iterator[None]:
        """A slot to wait on the IdP in; none free: refused at once (IdpUnavailable)."""
        if not self._idp_calls.acquire(blocking=False):
            raise IdpUnavailable("the identity provider is slow to answer; try again")
        try:
            yield
        finally:
            self._idp_calls.release()

    def _discover(self) -> Endpoints:
        url = f"{self._issuer.rstrip('/')}/.well-known/openid-configuration"
        try:
            with self._calling_idp(), httpx.stream("GET", url, timeout=HTTP_TIMEOUT_S) as response:
                response.raise_for_status()
                document = _json_object(_read_bounded(response, MAX_DISCOVERY_BYTES))
            # OIDC Discovery §4.3: the document must be the configured issuer's own.
            if document.get("issuer") != self._issuer:
                raise ValueError("the discovery document names another issuer")
            methods = document.get("code_challenge_methods_supported")
            if isinstance(methods, list) and "S256" not in methods:
                raise ValueError("the IdP does not offer PKCE S256")
            return Endpoints(
                _endpoint(document, "authorization_endpoint"),
                _endpoint(document, "token_endpoint"),
            )
        except (httpx.HTTPError, ValueError) as exc:
            _log.warning("OIDC discovery at %s failed: %s", url, exc)
            raise IdpUnavailable("the identity provider's sign-in is not available") from exc

    def authorization_url(self, login: PendingLogin, redirect_uri: str) -> str:
        """Where the browser goes to sign in. Raises IdpUnavailable (see ``endpoints``)."""
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "scope": self._scopes,
            "state": login.state,
            "nonce": login.nonce,
            "code_challenge": login.code_challenge,
            "code_challenge_method": "S256",
        }
        return f"{self.endpoints().authorization}?{urlencode(query)}"

    def redeem(self, code: str, login: PendingLogin, redirect_uri: str) -> SignedIn:
        """Redeem ``code`` and verify the ID token it brings.

        Raises:
            LoginCodeInvalid: the IdP would not redeem the code, or answered no ID token.
            IdpUnavailable: the token endpoint could not be reached.
            AuthError: the ID token is not valid for this client (``token_*`` codes).
            LoginNonceInvalid: the ID token is not this sign-in's.
        """
        tokens = self._token_request(code, login, redirect_uri)
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise LoginCodeInvalid("the identity provider answered no ID token")
        principal = self._id_tokens.verify(id_token)
        self._require_for_us(principal, login)
        # The verifier checked exp is a number in the future; one past year 9999 is clamped
        # (the session ends long before: its own limits).
        exp = float(principal.claims["exp"])
        expires = (
            LATEST_EXPIRY
            if exp >= LATEST_EXPIRY.timestamp()
            else dt.datetime.fromtimestamp(exp, dt.UTC)
        )
        return SignedIn(principal, expires)

    def _require_for_us(self, principal: Principal, login: PendingLogin) -> None:
        nonce = principal.claims.get("nonce")
        if not isinstance(nonce, str) or not hmac.compare_digest(
            nonce.encode(), login.nonce.encode()
        ):
            raise LoginNonceInvalid("the ID token was not issued for this sign-in")
        # OIDC Core §3.1.3.7: a token for several audiences must name us as its party.
        audience = principal.claims.get("aud")
        several = isinstance(audience, list) and len(audience) > 1
        if several and principal.claims.get("azp") != self.client_id:
            raise TokenWrongAudience("the ID token was issued to another client (azp)")

    def _token_request(self, code: str, login: PendingLogin, redirect_uri: str) -> dict[str, Any]:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": login.code_verifier,
        }
        auth = None
        if self._secret:
            auth = httpx.BasicAuth(self.client_id, self._secret)  # client_secret_basic
        else:
            form["client_id"] = self.client_id  # a public client names itself
        token_url = self.endpoints().token
        try:
            with (
                self._calling_idp(),
                httpx.stream(
                    "POST", token_url, data=form, auth=auth, timeout=HTTP_TIMEOUT_S
                ) as response,
            ):
                body = _read_bounded(response, MAX_TOKEN_RESPONSE_BYTES)
                status = response.status_code
        except (httpx.HTTPError, ValueError) as exc:
            _log.warning("OIDC token request failed: %s", type(exc).__name__)
            raise IdpUnavailable("the identity provider's token endpoint did not answer") from exc
        try:
            answer = _json_object(body)
        except ValueError:
            answer = {}
        if status != 200:  # RFC 6749 §5.2: a refusal names its error (invalid_grant, ...)
            error = str(answer.get("error", f"status {status}"))[:MAX_IDP_ERROR_CHARS]
            raise LoginCodeInvalid(f"the identity provider refused the code ({error})")
        if not answer:
            raise IdpUnavailable("the identity provider's token answer could not be read")
        return answer
