"""Voice data at rest: AES-256-GCM with a per-voice data key, wrapped by a master key.

Destroying a voice's wrapped key (crypto-shredding) makes every blob of that voice
undecryptable, wherever copies of the ciphertext (backups, replicas) ended up.
"""

from __future__ import annotations

import base64
import contextlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from consent.errors import VoiceDataDestroyed

KEY_BYTES = 32
NONCE_BYTES = 12


class MasterKey:
    """The key that wraps per-voice keys. From settings in production; generated in dev."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("the master key must be 32 bytes")
        self._aead = AESGCM(key)

    @classmethod
    def from_base64(cls, text: str) -> MasterKey:
        return cls(base64.b64decode(text, validate=True))

    @classmethod
    def load_or_create(cls, path: Path) -> MasterKey:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(os.urandom(KEY_BYTES))
        return cls(path.read_bytes())

    def wrap(self, data_key: bytes, voice_id: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, data_key, f"voice-key:{voice_id}".encode())

    def unwrap(self, wrapped: bytes, voice_id: str) -> bytes:
        """Raises VoiceDataDestroyed if the wrapped key does not open with this master key."""
        try:
            return self._aead.decrypt(
                wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], f"voice-key:{voice_id}".encode()
            )
        except InvalidTag as exc:
            raise VoiceDataDestroyed("the voice key does not open with this master key") from exc


class VoiceVault:
    """Encrypted blobs under ``directory/<voice_id>/<blob_id>.enc``."""

    def __init__(self, master: MasterKey, directory: Path) -> None:
        self._master = master
        self._directory = directory

    def new_key(self, voice_id: str) -> tuple[bytes, bytes]:
        """A fresh data key and its wrapped form (the only form that is stored)."""
        data_key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
        return data_key, self._master.wrap(data_key, voice_id)

    def _path(self, voice_id: str, blob_id: str) -> Path:
        return self._directory / voice_id / f"{blob_id}.enc"

    def seal(self, voice_id: str, blob_id: str, data_key: bytes, plaintext: bytes) -> None:
        path = self._path(voice_id, blob_id)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        nonce = os.urandom(NONCE_BYTES)
        aad = f"{voice_id}:{blob_id}".encode()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(nonce + AESGCM(data_key).encrypt(nonce, plaintext, aad))

    def open(self, voice_id: str, blob_id: str, wrapped_key: bytes | None) -> bytes:
        """Decrypt one blob.

        Raises:
            VoiceDataDestroyed: the key was shredded, or the blob is gone or altered.
        """
        if wrapped_key is None:
            raise VoiceDataDestroyed("the voice's key was destroyed")
        data_key = self._master.unwrap(wrapped_key, voice_id)
        try:
            sealed = self._path(voice_id, blob_id).read_bytes()
            return AESGCM(data_key).decrypt(
                sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], f"{voice_id}:{blob_id}".encode()
            )
        except (OSError, InvalidTag) as exc:
            raise VoiceDataDestroyed("the voice data is gone or was altered") from exc

    def erase(self, voice_id: str) -> None:
        """Delete the ciphertext too (the shredded key already made it unreadable)."""
        folder = self._directory / voice_id
        # Two shreds of one voice may race (an owner's revoke, an officer's end): either may
        # find a file or the folder already gone.
        with contextlib.suppress(FileNotFoundError):
            for path in list(folder.iterdir()):
                path.unlink(missing_ok=True)
        with contextlib.suppress(FileNotFoundError):
            folder.rmdir()
