"""Signed consent records verify offline, and any edit breaks them (through the CLI too)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from consent import RecordSigner, verify_document
from consent.record import RECORD_FORMAT, public_pem
from gateway import cli
from gateway.settings import get_settings

RECORD = {
    "format": RECORD_FORMAT,
    "consent_id": "consent_01TEST",
    "voice_id": "voice_01TEST",
    "owner": {"subject": "olivia", "name": "Olivia"},
    "scope": {"purposes": ["internal"], "expires_at": "2027-01-01T00:00:00Z", "max_uses": None},
    "statement": {"text": "I, Olivia, am aware…", "language": "en"},
    "speaker_verification": {"statement_similarity": 0.9312, "threshold": 0.85},
}


@pytest.fixture
def signer(tmp_path: Path) -> RecordSigner:
    return RecordSigner.load_or_create(tmp_path / "record.pem")


def test_signed_record_verifies(signer: RecordSigner) -> None:
    assert verify_document(signer.sign(RECORD), signer.public_key)


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d["record"]["scope"]["purposes"].append("commercial"),
        lambda d: d["record"].__setitem__("voice_id", "voice_other"),
        lambda d: d["record"]["speaker_verification"].__setitem__("statement_similarity", 0.99),
        lambda d: d["record"]["owner"].__setitem__("subject", "mallory"),
        lambda d: d["signature"].__setitem__("value", d["signature"]["value"][:-4] + "AAAA"),
        lambda d: d["record"].__setitem__("format", "something/else"),
        lambda d: d.pop("signature"),
    ],
)
def test_edited_record_fails(signer: RecordSigner, edit) -> None:  # type: ignore[no-untyped-def]
    document = copy.deepcopy(signer.sign(RECORD))
    edit(document)
    assert not verify_document(document, signer.public_key)


def test_record_signed_by_another_key_fails(signer: RecordSigner, tmp_path: Path) -> None:
    other = RecordSigner.load_or_create(tmp_path / "other.pem")
    assert not verify_document(other.sign(RECORD), signer.public_key)


def test_key_file_is_private(signer: RecordSigner, tmp_path: Path) -> None:
    assert (tmp_path / "record.pem").stat().st_mode & 0o777 == 0o600


def test_cli_verifies_with_a_given_public_key(
    signer: RecordSigner, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record_file, key_file = tmp_path / "record.json", tmp_path / "key.pem"
    key_file.write_text(public_pem(signer.public_key))
    document = signer.sign(RECORD)
    record_file.write_text(json.dumps(document))
    assert cli.main(["consent", "verify", str(record_file), "--public-key", str(key_file)]) == 0
    assert capsys.readouterr().out.startswith("VALID: consent consent_01TEST")

    document["record"]["scope"]["max_uses"] = 1000
    record_file.write_text(json.dumps(document))
    assert cli.main(["consent", "verify", str(record_file), "--public-key", str(key_file)]) == 1
    assert capsys.readouterr().out.startswith("INVALID")


def test_cli_uses_the_gateways_key_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONSENTGATE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        gateway_signer = RecordSigner.load_or_create(tmp_path / "data/keys/consent-record-key.pem")
        record_file = tmp_path / "record.json"
        record_file.write_text(json.dumps(gateway_signer.sign(RECORD)))
        assert cli.main(["consent", "verify", str(record_file)]) == 0
        impostor = RecordSigner.load_or_create(tmp_path / "impostor.pem")
        record_file.write_text(json.dumps(impostor.sign(RECORD)))
        assert cli.main(["consent", "verify", str(record_file)]) == 1
        assert "names a different signing key" in capsys.readouterr().out
    finally:
        get_settings.cache_clear()
