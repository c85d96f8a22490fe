"""Signed consent records that a third party can verify offline.

A record document is JSON: ``{"record": {...}, "signature": {"alg": "Ed25519", "key_id": …,
"value": base64}, "public_key": PEM}``. The signature covers the RFC 8785 canonical JSON of
``record`` exactly. ``public_key`` is a convenience: a verifier should compare it (or its
key id) with the gateway's published key, which ``verify_document`` takes as ``trusted_key``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

RECORD_FORMAT = "consentgate.consent-record/1"


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


class RecordSigner:
    """The gateway's Ed25519 key for consent records (created with mode 0600)."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private = private_key
        self.public_key = private_key.public_key()
        self.key_id = key_id(self.public_key)

    @classmethod
    def load_or_create(cls, path: Path) -> RecordSigner:
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

    def sign(self, record: dict[str, Any]) -> dict[str, Any]:
        """The signed document for ``record`` (which must carry ``format``)."""
        signature = self._private.sign(rfc8785.dumps(record))
        return {
            "record": record,
            "signature": {
                "alg": "Ed25519",
                "key_id": self.key_id,
                "value": base64.b64encode(signature).decode(),
            },
            "public_key": public_pem(self.public_key),
        }


def verify_document(document: dict[str, Any], trusted_key: Ed25519PublicKey) -> bool:
    """True when ``document`` is a record signed by ``trusted_key`` and unaltered."""
    try:
        record = document["record"]
        signature = base64.b64decode(document["signature"]["value"], validate=True)
        if document["signature"].get("alg") != "Ed25519" or record.get("format") != RECORD_FORMAT:
            return False
        trusted_key.verify(signature, rfc8785.dumps(record))
    except (KeyError, TypeError, ValueError, InvalidSignature, rfc8785.CanonicalizationError):
        return False
    return True


def load_public_key(pem: str) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem.encode())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def to_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
