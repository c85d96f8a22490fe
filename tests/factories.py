"""Factories for tests: a real identity provider (keys + a JWKS served over HTTP), tokens."""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

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


@dataclass
class IdentityProvider:
    """Signs tokens with real keys and serves their JWKS from a real local HTTP server."""

    keys: dict[str, SigningKey] = field(default_factory=dict)
    published: set[str] = field(default_factory=set)
    jwks_requests: int = 0
    server: ThreadingHTTPServer | None = None

    @property
    def jwks_url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/protocol/openid-connect/certs"

    def add_key(self, algorithm: str, kid: str, publish: bool = True) -> SigningKey:
        key = make_key(algorithm, kid)
        self.keys[kid] = key
        if publish:
            self.published.add(kid)
        return key

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.keys[kid].public_jwk() for kid in sorted(self.published)]}

    def start(self) -> None:
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                idp.jwks_requests += 1
                body = json.dumps(idp.jwks()).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def claims(
        self, subject: str = "alice", roles: list[str] | None = None, **overrides: Any
    ) -> dict[str, Any]:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
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
