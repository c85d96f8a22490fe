"""``consentgate audit public-key`` and ``consentgate audit verify-export``.

verify-export works offline, as an auditor would: the export, its digest (inside a JSON Lines
export, or given with ``--digest``) and the checkpoint public key. No database, no server; the
data directory is read only when no ``--public-key`` is given (the key of this installation).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from gateway.settings import get_settings

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

CHECKPOINT_KEY = Path("audit") / "checkpoint-key.pem"  # under the data dir (audit.chain)


def _installed_key() -> Ed25519PublicKey | None:
    """The public half of this installation's checkpoint key; None when there is none."""
    from audit import CheckpointKey

    path = get_settings().data_dir / CHECKPOINT_KEY
    if not path.exists():  # never create one here: a new key would sign nothing we have
        return None
    return CheckpointKey.load_or_create(path).public_key


def _public_key(_args: argparse.Namespace) -> int:
    from cryptography.hazmat.primitives import serialization

    key = _installed_key()
    if key is None:
        print(
            f"no audit checkpoint key at {get_settings().data_dir / CHECKPOINT_KEY}",
            file=sys.stderr,
        )
        return 2
    pem = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    print(pem.decode(), end="")
    return 0


def _verify_export(args: argparse.Namespace) -> int:
    from audit import ExportInvalid, load_public_key, parse_digest, verify_export

    try:
        data = Path(args.file).read_bytes()
        digest_text = None if args.digest is None else Path(args.digest).read_bytes()
        key = (
            _installed_key()
            if args.public_key is None
            else load_public_key(Path(args.public_key).read_bytes())
        )
    except (OSError, ValueError) as exc:
        print(f"cannot read the input: {exc}", file=sys.stderr)
        return 2
    if key is None:
        print("no --public-key given and no audit key in the data dir", file=sys.stderr)
        return 2
    try:
        digest = None if digest_text is None else parse_digest(_json(digest_text))
        checked = verify_export(data, digest, key)
    except ExportInvalid as exc:
        print(f"INVALID: {exc.reason}")
        return 1
    seqs = checked.seq_range
    span = "no rows" if seqs is None else f"{checked.row_count} rows, seq {seqs.first}..{seqs.last}"
    checkpoint = "none" if checked.checkpoint is None else f"seq {checked.checkpoint.seq}"
    print(
        f"VALID: export {checked.export_id} ({checked.format}), {span}, filters "
        f"{json.dumps(checked.filters, sort_keys=True)}; the log verified up to seq "
        f"{checked.chain_head.seq} ({checked.chain_head.hash}), checkpoint {checkpoint}; "
        f"signed by key {checked.key_id} at {checked.exported_at}"
    )
    return 0


def _json(data: bytes) -> object:
    """Raises ExportInvalid: the digest file is not JSON."""
    from audit import ExportInvalid

    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ExportInvalid(f"the digest file is not JSON ({exc})") from exc


def add_commands(audit_commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``public-key`` and ``verify-export`` under ``consentgate audit``."""
    public_key = audit_commands.add_parser(
        "public-key", help="print the audit checkpoint public key (PEM), which signs exports"
    )
    public_key.set_defaults(run=_public_key)
    verify = audit_commands.add_parser(
        "verify-export", help="check an export against its signed digest, offline"
    )
    verify.add_argument("file", help="the export as downloaded (JSON Lines or CSV)")
    verify.add_argument(
        "--digest", help="the digest JSON (GET /v1/audit/exports/{id}/digest); CSV needs it"
    )
    verify.add_argument(
        "--public-key",
        help="the checkpoint public key PEM (default: this installation's, from the data dir)",
    )
    verify.set_defaults(run=_verify_export)
