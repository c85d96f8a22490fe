"""Ed25519-signed checkpoints of the chain head, kept in the database and in a separate file.

The file is the witness: whoever rewrites the database alone (recomputing every hash, or
cutting off its tail) cannot produce a checkpoint signature for the new head, and the file
still names the seq and head hash the log had.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from audit import canonical


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    head_hash: str
    time: str
    key_id: str
    signature: str  # base64 of the Ed25519 signature over ``signed_payload``

    def signed_payload(self) -> bytes:
        return checkpoint_payload(self.seq, self.head_hash, self.time, self.key_id)


def checkpoint_payload(seq: int, head_hash: str, time: str, key_id: str) -> bytes:
    """The bytes a checkpoint signs: RFC 8785 JSON of seq, head hash, time and key id."""
    return canonical.dumps({"seq": seq, "head_hash": head_hash, "time": time, "key_id": key_id})


def key_id_of(public_key: Ed25519PublicKey) -> str:
    """The first 16 hex digits of the SHA-256 of the raw 32-byte public key."""
    return hashlib.sha256(raw_public_key(public_key)).hexdigest()[:16]


class CheckpointKey:
    """The log's Ed25519 key; created on first use with mode 0600."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private = private_key
        self.public_key = private_key.public_key()
        self.key_id = key_id_of(self.public_key)

    @classmethod
    def load_or_create(cls, path: Path) -> CheckpointKey:
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
            raise ValueError(f"{path} does not hold an Ed25519 private key")
        return cls(key)

    def public_pem(self) -> str:
        return self.public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()

    def sign(self, seq: int, head_hash: str, time: str) -> Checkpoint:
        payload = checkpoint_payload(seq, head_hash, time, self.key_id)
        signature = base64.b64encode(self._private.sign(payload)).decode()
        return Checkpoint(seq, head_hash, time, self.key_id, signature)

    def sign_bytes(self, payload: bytes) -> bytes:
        """The raw Ed25519 signature over ``payload`` (an export digest's canonical JSON)."""
        return self._private.sign(payload)


def signature_valid(checkpoint: Checkpoint, public_key: Ed25519PublicKey) -> bool:
    try:
        public_key.verify(base64.b64decode(checkpoint.signature), checkpoint.signed_payload())
    except (InvalidSignature, ValueError):
        return False
    return True


def signatures_valid(checkpoints: Sequence[Checkpoint], public_key_raw: bytes) -> list[bool]:
    """``signature_valid`` for each checkpoint; the key as raw bytes, so a worker can take it.

    Raises:
        ValueError: ``public_key_raw`` is not an Ed25519 public key.
    """
    public_key = Ed25519PublicKey.from_public_bytes(public_key_raw)
    return [signature_valid(checkpoint, public_key) for checkpoint in checkpoints]


def raw_public_key(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


class CheckpointFile:
    """Append-only JSON lines, one checkpoint a line, flushed to disk on each append."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, checkpoint: Checkpoint) -> None:
        """Raises OSError if the line cannot be written and synced."""
        self.append_all([checkpoint])

    def append_all(self, checkpoints: Sequence[Checkpoint]) -> None:
        """Append in order with one write and one fsync. Raises OSError as ``append``."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lines = "".join(json.dumps(asdict(c), sort_keys=True) + "\n" for c in checkpoints)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(lines)
            handle.flush()
            os.fsync(handle.fileno())

    def read_all(self) -> list[Checkpoint]:
        """Every checkpoint in the file; a line that does not parse raises ValueError."""
        if not self.path.exists():
            return []
        checkpoints = []
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                checkpoints.append(Checkpoint(**json.loads(line)))
            except (TypeError, json.JSONDecodeError) as exc:
                raise ValueError(f"checkpoint file line {number} is not a checkpoint") from exc
        return checkpoints
