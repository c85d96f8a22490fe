"""Factories for tests: a real identity provider (keys + a JWKS served over HTTP; discovery,
authorize and token endpoints for OIDC clients), tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

ISSUER = "https://idp.test.example/realms/acme"
AUDIENCE = "consentgate-api"


@dataclass
class SigningKey:
    kid: str
    algorithm: str
    private_key: Any

    def public_jwk(self) -> dict[str, Any]:
        algorithm = {
            "RS256": jwt.algorithms.RSAAlgorithm,
            "ES256": jwt.algorithms.ECAlgorithm,
            "EdDSA": jwt.algorithms.OKPAlgorithm,
        }[self.algorithm]
        jwk = json.loads(algorithm.to_jwk(self.private_key.public_key()))
        return {**jwk, "kid": self.kid, "alg": self.algorithm, "use": "sig"}


def make_key(algorithm: str, kid: str) -> SigningKey:
    if algorithm == "RS256":
        private: Any = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif algorithm == "ES256":
        private = ec.generate_private_key(ec.SECP256R1())
    else:
        private = ed25519.Ed25519PrivateKey.generate()
    return SigningKey(kid=kid, algorithm=algorithm, private_key=private)


CODE_TTL_S = 60  # an authorization code is redeemed at once, or never


@dataclass(frozen=True)
class OidcClientRegistration:
    """A relying party registered at the IdP: its redirect URIs, and its secret if confidential."""

    client_id: str
    redirect_uris: tuple[str, ...]
    secret: str | None = None


@dataclass
class IssuedCode:
    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str | None
    subject: str
    expires_at: float
    used: bool = False


@dataclass
class IdentityProvider:
    """Signs tokens with real keys and serves their JWKS from a real local HTTP server; as an
    OIDC provider it also serves a discovery document, an ``/authorize`` endpoint (a form to
    pick a user, or approval for ``auto_approve``: real redirects with code and state) and a
    ``/token`` endpoint that checks the client, redirect URI, PKCE verifier and single use of
    the code, and answers a signed ID token with the nonce and an access token."""

    keys: dict[str, SigningKey] = field(default_factory=dict)
    published: set[str] = field(default_factory=set)
    jwks_requests: int = 0
    server: ThreadingHTTPServer | None = None
    issuer: str = ISSUER
    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # subject: roles, name
    clients: dict[str, OidcClientRegistration] = field(default_factory=dict)
    codes: dict[str, IssuedCode] = field(default_factory=dict)
    auto_approve: str | None = None  # /authorize signs this user in without a form
    id_token_claims: dict[str, Any] = field(default_factory=dict)  # overrides, for attacks
    id_token_ttl_s: int = 600
    token_requests: list[dict[str, Any]] = field(default_factory=list)
    signing_kid: str = "rsa-1"
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def jwks_url(self) -> str:
        return f"{self.url}/protocol/openid-connect/certs"

    def serve_issuer(self, realm: str = "/realms/acme") -> str:
        """Make this server the issuer (so its discovery document is found from the issuer's
        URL, as a client looks it up); returns the issuer."""
        self.issuer = f"{self.url}{realm}"
        return self.issuer

    def add_key(self, algorithm: str, kid: str, publish: bool = True) -> SigningKey:
        key = make_key(algorithm, kid)
        self.keys[kid] = key
        if publish:
            self.published.add(kid)
        return key

    def add_user(self, subject: str, roles: list[str], name: str | None = None) -> None:
        self.users[subject] = {"roles": roles, "name": name or subject.title()}

    def register_client(
        self, client_id: str, redirect_uri: str, secret: str | None = None
    ) -> OidcClientRegistration:
        known = self.clients.get(client_id)
        uris = (*(known.redirect_uris if known else ()), redirect_uri)
        self.clients[client_id] = OidcClientRegistration(client_id, uris, secret)
        return self.clients[client_id]

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.keys[kid].public_jwk() for kid in sorted(self.published)]}

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": self.jwks_url,
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256", "ES256", "EdDSA"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "none"],
        }

    def start(self) -> None:
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                if path.endswith("/.well-known/openid-configuration"):
                    self._send(200, json.dumps(idp.discovery()).encode(), "application/json")
                elif path.endswith("/authorize"):
                    idp._authorize(self, parse_qs(urlsplit(self.path).query))
                else:
                    idp.jwks_requests += 1
                    self._send(200, json.dumps(idp.jwks()).encode(), "application/json")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                path = urlsplit(self.path).path
                if path.endswith("/authorize"):
                    idp._authorize(self, form)
                elif path.endswith("/token"):
                    status, body = idp._token(self.headers.get("Authorization"), form)
                    self._send(status, json.dumps(body).encode(), "application/json")
                else:
                    self._send(404, b"{}", "application/json")

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def redirect(self, location: str) -> None:
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    # -- the OIDC provider -----------------------------------------------------------------

    def _authorize(self, handler: Any, params: dict[str, list[str]]) -> None:
        """RFC 6749 §4.1.1 with PKCE (RFC 7636): an unknown client or redirect URI is answered
        here (never redirected to); other errors go back to the client with the state."""
        one = {name: values[0] for name, values in params.items() if values}
        client = self.clients.get(one.get("client_id", ""))
        redirect_uri = one.get("redirect_uri", "")
        if client is None or redirect_uri not in client.redirect_uris:
            handler._send(400, b"unknown client or redirect_uri", "text/plain")
            return
        back = {"state": one["state"]} if "state" in one else {}
        if (
            one.get("response_type") != "code"
            or "openid" not in one.get("scope", "").split()
            or one.get("code_challenge_method") != "S256"
            or not one.get("code_challenge")
        ):
            handler.redirect(f"{redirect_uri}?{urlencode({'error': 'invalid_request', **back})}")
            return
        if one.get("decision") == "deny":
            handler.redirect(f"{redirect_uri}?{urlencode({'error': 'access_denied', **back})}")
            return
        subject = one.get("user") or self.auto_approve
        if subject not in self.users:
            handler._send(200, self._chooser(one).encode(), "text/html; charset=utf-8")
            return
        code = secrets.token_urlsafe(24)
        with self._lock:
            self.codes[code] = IssuedCode(
                client.client_id,
                redirect_uri,
                one["code_challenge"],
                one.get("nonce"),
                subject,
                time.time() + CODE_TTL_S,
            )
        handler.redirect(f"{redirect_uri}?{urlencode({'code': code, **back})}")

    def _chooser(self, params: dict[str, str]) -> str:
        """The sign-in page: pick a user (each a submit button), or deny."""
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in params.items()
            if k not in ("user", "decision")
        )
        buttons = "".join(
            f'<button type="submit" name="user" value="{html.escape(subject)}">'
            f"{html.escape(user['name'])}</button>"
            for subject, user in sorted(self.users.items())
        )
        deny = '<button type="submit" name="decision" value="deny">Deny</button>'
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>Test IdP sign-in</title></head><body><h1>Test IdP</h1>"
            f'<form method="post" action="{html.escape(self.issuer)}/authorize">'
            f"{hidden}{buttons}{deny}</form></body></html>"
        )

    def _client_of(
        self, authorization: str | None, form: dict[str, str]
    ) -> OidcClientRegistration | None:
        """client_secret_basic (RFC 6749 §2.3.1) for a confidential client; a public client
        names itself in the body and has no secret."""
        if authorization and authorization.lower().startswith("basic "):
            raw = base64.b64decode(authorization[6:]).decode()
            client_id, _, secret = raw.partition(":")
            client = self.clients.get(unquote(client_id))
            if client is None or client.secret is None:
                return None
            return client if hmac.compare_digest(unquote(secret), client.secret) else None
        client = self.clients.get(form.get("client_id", ""))
        return client if client is not None and client.secret is None else None

    def _token(
        self, authorization: str | None, params: dict[str, list[str]]
    ) -> tuple[int, dict[str, Any]]:
        form = {name: values[0] for name, values in params.items() if values}
        method = "client_secret_basic" if authorization else "none"
        self.token_requests.append({"auth_method": method, **form})
        client = self._client_of(authorization, form)
        if client is None:
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            issued = self.codes.get(form.get("code", ""))
            if issued is None or issued.used or issued.expires_at < time.time():
                return 400, {"error": "invalid_grant"}
            issued.used = True  # single use, even when the rest of the request is wrong
        verifier = form.get("code_verifier", "")
        challenge = b64url(hashlib.sha256(verifier.encode()).digest())
        if (
            issued.client_id != client.client_id
            or issued.redirect_uri != form.get("redirect_uri")
            or not hmac.compare_digest(challenge, issued.code_challenge)
        ):
            return 400, {"error": "invalid_grant"}
        return 200, self._tokens(client.client_id, issued)

    def _tokens(self, client_id: str, issued: IssuedCode) -> dict[str, Any]:
        user = self.users[issued.subject]
        exp = int(time.time()) + self.id_token_ttl_s
        id_claims = {"aud": client_id, "azp": client_id, "nonce": issued.nonce, "exp": exp}
        id_token = self.token(
            issued.subject,
            user["roles"],
            kid=self.signing_kid,
            name=user["name"],
            **{**id_claims, **self.id_token_claims},
        )
        access_token = self.token(issued.subject, user["roles"], kid=self.signing_kid)
        return {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": self.id_token_ttl_s,
            "id_token": id_token,
        }

    def claims(
        self, subject: str = "alice", roles: list[str] | None = None, **overrides: Any
    ) -> dict[str, Any]:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": AUDIENCE,
            "sub": subject,
            "iat": now,
            "nbf": now,
            "exp": now + 600,
            "roles": ["employee"] if roles is None else roles,
            "name": subject.title(),
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def token(
        self,
        subject: str = "alice",
        roles: list[str] | None = None,
        kid: str = "rsa-1",
        typ: str | None = "JWT",
        **overrides: Any,
    ) -> str:
        key = self.keys[kid]
        headers: dict[str, Any] = {"kid": kid}
        if typ is not None:
            headers["typ"] = typ
        return jwt.encode(
            self.claims(subject, roles, **overrides),
            key.private_key,
            algorithm=key.algorithm,
            headers=headers,
        )


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned_token(claims: dict[str, Any], kid: str = "rsa-1") -> str:
    """A token with ``alg: none``, as an attacker would send it."""
    header = b64url(json.dumps({"alg": "none", "typ": "JWT", "kid": kid}).encode())
    return f"{header}.{b64url(json.dumps(claims).encode())}."


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def sample_media(mime_type: str) -> bytes:
    """A small real file of each format the gateway signs (made with PIL, wave and PyAV)."""
    import io
    import wave

    import av
    import numpy as np
    from PIL import Image

    if mime_type in ("image/png", "image/jpeg", "image/webp"):
        buffer = io.BytesIO()
        Image.new("RGB", (48, 32), (20, 120, 200)).save(buffer, mime_type.split("/")[1].upper())
        return buffer.getvalue()
    rate = 16_000
    tone = (np.sin(2 * np.pi * 440 * np.arange(rate) / rate) * 0.3).astype(np.float32)
    if mime_type == "audio/wav":
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(rate)
            out.writeframes((tone * 32767).astype("<i2").tobytes())
        return buffer.getvalue()
    buffer = io.BytesIO()
    if mime_type in ("audio/mpeg", "audio/flac"):
        container, codec = ("mp3", "libmp3lame") if mime_type == "audio/mpeg" else ("flac", "flac")
        with av.open(buffer, "w", format=container) as out:
            stream = out.add_stream(codec, rate=rate)
            stream.layout = "mono"
            frame = av.AudioFrame.from_ndarray(tone[None, :], format="flt", layout="mono")
            frame.sample_rate = rate
            for packet in [*stream.encode(frame), *stream.encode()]:
                out.mux(packet)
        return buffer.getvalue()
    if mime_type == "video/mp4":
        with av.open(buffer, "w", format="mp4") as out:
            stream = out.add_stream("libx264", rate=8)
            stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
            for i in range(8):
                pixels = np.full((64, 64, 3), i * 30, np.uint8)
                for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                    out.mux(packet)
            for packet in stream.encode():
                out.mux(packet)
        return buffer.getvalue()
    raise ValueError(mime_type)


def spoken_wav(
    text: str, language: str = "en", variant: str | None = "m3", pitch: int = 50
) -> bytes:
    """Real (synthetic) speech from eSpeak NG: one 'person' per language/variant/pitch."""
    from engines._espeak import Espeak, EspeakVoice
    from engines.audio import encode_wav

    espeak = Espeak()
    samples = espeak.synthesise(text, EspeakVoice(language, variant, pitch=pitch))
    return encode_wav(samples, Espeak.sample_rate)


REFERENCE_TEXTS = (
    "The quarterly safety review starts on Monday morning in the main hall.",
    "Please remember to wear your protective glasses near the cutting machines.",
    "Our new training videos explain each step of the assembly line clearly.",
)


# Entries that record who looked at what; reads made while following a job come after the
# decision a test asserts on.
READ_ACTIONS = frozenset(
    {"read_job", "list_jobs", "cancel_job", "read_audit", "read_artifact", "list_voices"}
)


def last_decision(services: Any) -> Any:
    """The newest audit entry that is not a read (the log's own record of lookups)."""
    seq = services.audit.head()[0]
    while seq > 0:
        entry = services.audit.get(seq)
        if entry is not None and entry.action not in READ_ACTIONS:
            return entry
        seq -= 1
    return None


def issue_challenge(
    client: Any,
    headers: dict[str, str],
    subjects: list[str],
    language: str = "en",
    expires_at: Any = None,
) -> dict[str, Any]:
    """A voice-enrolment challenge for an internal-use scope naming ``subjects``, until
    ``expires_at`` (a datetime; 30 days from now by default)."""
    import datetime as dt

    expires = expires_at or dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    response = client.post(
        "/v1/voices/challenge",
        json={
            "language": language,
            "scope": {
                "subjects": subjects,
                "purposes": ["internal"],
                "expires_at": expires.isoformat(),
            },
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def approve_if_pending(client: Any, idp: IdentityProvider, voice: dict[str, Any]) -> None:
    """Make an enrolled voice usable: a compliance officer approves it when the phrase was
    not heard (the tests that need a usable voice are not about the review)."""
    if voice.get("status") != "pending_review":
        return
    officer = bearer(idp.token("rhea", roles=["compliance_officer"]))
    approved = client.post(
        f"/v1/voices/{voice['voice_id']}/review",
        json={"decision": "approve", "reason": "statement heard by a reviewer"},
        headers=officer,
    )
    assert approved.status_code == 200, approved.text
