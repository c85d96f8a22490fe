from __future__ import annotations

import os
from pathlib import Path

import pytest

from consent import MasterKey, VoiceDataDestroyed, VoiceVault


@pytest.fixture
def vault(tmp_path: Path) -> VoiceVault:
    return VoiceVault(MasterKey.load_or_create(tmp_path / "master.key"), tmp_path / "voices")


def test_sealed_blob_round_trips_and_is_not_plaintext(vault: VoiceVault, tmp_path: Path) -> None:
    plaintext = b"RIFF....WAVE" + os.urandom(2048)
    key, wrapped = vault.new_key("voice_1")
    vault.seal("voice_1", "blob", key, plaintext)
    stored = (tmp_path / "voices/voice_1/blob.enc").read_bytes()
    assert plaintext[16:80] not in stored
    assert vault.open("voice_1", "blob", wrapped) == plaintext
    assert (tmp_path / "voices/voice_1/blob.enc").stat().st_mode & 0o777 == 0o600


def test_shredded_key_cannot_open(vault: VoiceVault) -> None:
    key, _wrapped = vault.new_key("voice_1")
    vault.seal("voice_1", "blob", key, b"audio")
    with pytest.raises(VoiceDataDestroyed, match="destroyed"):
        vault.open("voice_1", "blob", None)


def test_key_of_another_voice_cannot_open(vault: VoiceVault) -> None:
    key, _ = vault.new_key("voice_1")
    vault.seal("voice_1", "blob", key, b"audio")
    _, other_wrapped = vault.new_key("voice_2")
    with pytest.raises(VoiceDataDestroyed):
        vault.open("voice_1", "blob", other_wrapped)


def test_wrapped_key_is_bound_to_its_voice(vault: VoiceVault) -> None:
    key, wrapped = vault.new_key("voice_1")
    vault.seal("voice_2", "blob", key, b"audio")
    with pytest.raises(VoiceDataDestroyed):
        vault.open("voice_2", "blob", wrapped)  # voice_1's key, presented for voice_2


def test_another_master_key_cannot_unwrap(vault: VoiceVault, tmp_path: Path) -> None:
    key, wrapped = vault.new_key("voice_1")
    vault.seal("voice_1", "blob", key, b"audio")
    stranger = VoiceVault(MasterKey(os.urandom(32)), tmp_path / "voices")
    with pytest.raises(VoiceDataDestroyed):
        stranger.open("voice_1", "blob", wrapped)


def test_tampered_ciphertext_is_refused(vault: VoiceVault, tmp_path: Path) -> None:
    key, wrapped = vault.new_key("voice_1")
    vault.seal("voice_1", "blob", key, b"audio data")
    path = tmp_path / "voices/voice_1/blob.enc"
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(VoiceDataDestroyed, match="altered"):
        vault.open("voice_1", "blob", wrapped)


def test_erase_removes_ciphertext(vault: VoiceVault, tmp_path: Path) -> None:
    key, _ = vault.new_key("voice_1")
    vault.seal("voice_1", "blob", key, b"audio")
    vault.erase("voice_1")
    assert not (tmp_path / "voices/voice_1").exists()


def test_master_key_file_is_private_and_sized(tmp_path: Path) -> None:
    MasterKey.load_or_create(tmp_path / "master.key")
    assert (tmp_path / "master.key").stat().st_mode & 0o777 == 0o600
    with pytest.raises(ValueError, match="32 bytes"):
        MasterKey(b"short")
