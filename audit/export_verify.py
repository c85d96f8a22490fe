"""Check an export offline: the file, its digest and the audit public key, nothing else.

The checks, in order (the first that fails is raised, with what it found):

1. the digest is signed by the trusted key (a digest by another key is named as such), and so
   is the checkpoint it names;
2. the rows parse (a cut line or CSV record is a truncated file);
3. their number is the digest's ``row_count``;
4. their seqs rise strictly, start and end at the digest's ``seq_range``, and stay at or below
   its chain head;
5. each row's hash recomputes from its fields, a kept prompt matches the entry's prompt hash,
   consecutive seqs link (``prev_hash``), and a row at the chain head or at the checkpoint
   carries the hash those name;
6. the SHA-256 of the bytes is the digest's ``rows_sha256`` (which also catches what the
   checks above cannot see, such as spacing or a reordered JSON key).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from audit.errors import ExportInvalid
from audit.export_digest import DIGEST_RECORD, ExportDigest, check_signature, parse_digest
from audit.export_format import COLUMNS, read_csv_rows, read_jsonl_rows
from audit.record import GENESIS_HASH, HASHED_FIELDS, entry_hash, prompt_hash

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

_HASHED = tuple(name for name in COLUMNS if name in HASHED_FIELDS)


@dataclass(frozen=True)
class SplitExport:
    rows: bytes  # the bytes ``rows_sha256`` covers
    digest: ExportDigest | None  # the JSON Lines record at the end, if there is one


def split_jsonl(data: bytes) -> SplitExport:
    """The rows part of a JSON Lines export and the digest record that ends it, if any.

    Raises:
        ExportInvalid: the last line claims to be a digest but is not a valid one.
    """
    body = data[:-1] if data.endswith(b"\n") else data
    start = body.rfind(b"\n") + 1
    last = body[start:]
    if not last.startswith(b'{"' + DIGEST_RECORD.encode() + b'"'):
        return SplitExport(data, None)
    try:
        document = json.loads(last)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ExportInvalid(f"the digest record at the end is not JSON ({exc})") from exc
    return SplitExport(data[:start], parse_digest(document))


def verify_export(
    data: bytes, digest: ExportDigest | None, public_key: Ed25519PublicKey
) -> ExportDigest:
    """Check an export (the whole file as downloaded) against its digest and the public key.

    ``digest``: the detached digest (CSV; optional for JSON Lines, whose last record is one).
    Returns the digest that was checked.

    Raises:
        ExportInvalid: any check fails; the message says which and where.
    """
    rows = data
    if digest is None or digest.format == "jsonl":
        split = split_jsonl(data)
        if split.digest is not None:
            if digest is not None and digest.as_dict() != split.digest.as_dict():
                raise ExportInvalid("the digest given differs from the one the file ends with")
            digest, rows = split.digest, split.rows
    if digest is None:
        raise ExportInvalid(
            "no digest: the file does not end with an export_digest record (a JSON Lines "
            "export cut short, or a CSV export given without --digest)"
        )
    check_signature(digest, public_key)
    parsed = read_csv_rows(rows) if digest.format == "csv" else read_jsonl_rows(rows)
    _check_rows(_counted(parsed, digest), digest)
    if hashlib.sha256(rows).hexdigest() != digest.rows_sha256:
        raise ExportInvalid(
            "the rows' SHA-256 is not the digest's: the file was edited after export"
        )
    return digest


def _counted(rows: Iterator[dict[str, Any]], digest: ExportDigest) -> Iterator[dict[str, Any]]:
    """``rows``, refusing more of them than the digest counts, then fewer."""
    count = 0
    for row in rows:
        count += 1
        if count > digest.row_count:
            raise ExportInvalid(f"more rows than the digest's {digest.row_count}: rows added")
        yield row
    if count != digest.row_count:
        raise ExportInvalid(
            f"{count} rows, the digest says {digest.row_count}: rows deleted or the file cut"
        )


def _check_rows(rows: Iterator[dict[str, Any]], digest: ExportDigest) -> None:
    head, checkpoint = digest.chain_head, digest.checkpoint
    previous: dict[str, Any] | None = None
    for number, row in enumerate(rows, 1):
        seq = row["seq"]
        if isinstance(seq, bool) or not isinstance(seq, int):
            raise ExportInvalid(f"row {number}: seq {seq!r} is not an integer")
        _check_place(number, seq, previous, digest)
        _check_own_hash(number, row)
        if (
            previous is not None
            and seq == previous["seq"] + 1
            and (row["prev_hash"] != previous["hash"])
        ):
            raise ExportInvalid(f"row {number} (seq {seq}) does not follow seq {seq - 1}")
        if seq == 1 and row["prev_hash"] != GENESIS_HASH:
            raise ExportInvalid(f"row {number}: seq 1 does not start from the genesis hash")
        if seq == head.seq and row["hash"] != head.hash:
            raise ExportInvalid(f"row {number}: seq {seq} is not the chain head the digest names")
        if (
            checkpoint is not None
            and seq == checkpoint.seq
            and row["hash"] != (checkpoint.head_hash)
        ):
            raise ExportInvalid(f"row {number}: seq {seq} differs from the signed checkpoint")
        previous = row
    seqs = digest.seq_range
    if previous is not None and seqs is not None and previous["seq"] != seqs.last:
        raise ExportInvalid(
            f"the last row is seq {previous['seq']}, the digest's range ends at {seqs.last}: "
            "the file was cut or reordered"
        )


def _check_place(
    number: int, seq: int, previous: dict[str, Any] | None, digest: ExportDigest
) -> None:
    """Seqs rise strictly, from the range's first, and never past it or the chain head."""
    seqs = digest.seq_range
    if seqs is None:
        raise ExportInvalid(f"row {number}: the digest names no rows, but the file holds one")
    if previous is None and seq != seqs.first:
        raise ExportInvalid(
            f"the first row is seq {seq}, the digest's range starts at {seqs.first}: "
            "rows deleted or reordered"
        )
    if previous is not None and seq <= previous["seq"]:
        raise ExportInvalid(
            f"row {number} (seq {seq}) comes after seq {previous['seq']}: rows reordered"
        )
    if seq > seqs.last or seq > digest.chain_head.seq:
        raise ExportInvalid(f"row {number}: seq {seq} lies outside the digest's range")


def _check_own_hash(number: int, row: dict[str, Any]) -> None:
    seq = row["seq"]
    try:
        recomputed = entry_hash({name: row[name] for name in _HASHED})
    except (TypeError, ValueError) as exc:  # rfc8785.CanonicalizationError is a ValueError
        raise ExportInvalid(f"row {number} (seq {seq}) holds a value JSON cannot hash") from exc
    if recomputed != row["hash"]:
        raise ExportInvalid(f"row {number} (seq {seq}) was edited: its hash does not recompute")
    prompt = row["prompt"]
    if prompt is not None:
        try:
            kept = isinstance(prompt, dict) and prompt_hash(prompt) == row["prompt_hash"]
        except (TypeError, ValueError):
            kept = False
        if not kept:
            raise ExportInvalid(f"row {number} (seq {seq}): the prompt is not the one hashed")
