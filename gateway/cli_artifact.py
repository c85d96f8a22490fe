"""``consentgate artifact inspect FILE``: did this file come from us? Offline.

No server and no database: the file's manifest is judged against the organisation's trust
anchors and this gateway's signing certificate, read from the configured PEM files (or the dev
ones in the data dir), and the answer ``POST /v1/verify`` gives is printed as JSON (without
the audit entry, which lives in the database: ``record.status`` is ``offline``).

Exit status: 0 ``valid``, 1 any other state, 2 the file or the certificates could not be
used (an unsupported file is reported on stderr with its code).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gateway.settings import get_settings

EXIT_VALID = 0
EXIT_NOT_VALID = 1
EXIT_UNUSABLE = 2


def register(commands: Any) -> None:
    """Add ``artifact inspect`` to the ``consentgate`` sub-commands (``commands``: the
    parser's ``add_subparsers()``)."""
    artifact = commands.add_parser("artifact", help="tools for files the gateway made")
    artifact_sub = artifact.add_subparsers(dest="artifact_command", required=True)
    inspect = artifact_sub.add_parser(
        "inspect", help="did this file come from us? (offline; prints JSON)"
    )
    inspect.add_argument("file", help="an image, audio or video file")
    inspect.add_argument(
        "--trust-anchors",
        help="PEM of the CA certificates the organisation trusts "
        "(default: CONSENTGATE_C2PA_TRUST_ANCHORS_FILE, else the dev CA in the data dir)",
    )
    inspect.add_argument(
        "--signer-cert",
        help="PEM of this gateway's signing certificate, its own first "
        "(default: CONSENTGATE_C2PA_CERT_FILE, else the dev one in the data dir)",
    )
    inspect.set_defaults(run=_inspect)


def _default_paths() -> tuple[Path, list[Path]]:
    """The configured trust anchors and signing chain, else the dev files (never created)."""
    settings = get_settings()
    dev = settings.data_dir / "c2pa"
    anchors = settings.c2pa_trust_anchors_file or dev / "ca.pem"
    if settings.c2pa_cert_file:
        chain = [settings.c2pa_cert_file]
        if settings.c2pa_chain_file:
            chain.append(settings.c2pa_chain_file)
    else:
        chain = [dev / "signer.pem", dev / "ca.pem"]
    return anchors, chain


def _inspect(args: argparse.Namespace) -> int:
    from cryptography import x509

    from gateway.file_check import (
        MAX_VERIFY_BYTES,
        FileTooLarge,
        FileUnsupported,
        RecordLink,
        answer,
        inspect_bytes,
    )
    from watermark import CredentialsError, FileState, OwnSigner

    default_anchors, default_chain = _default_paths()
    anchors_path = Path(args.trust_anchors) if args.trust_anchors else default_anchors
    chain_paths = [Path(args.signer_cert)] if args.signer_cert else default_chain
    path = Path(args.file)
    try:
        if path.stat().st_size > MAX_VERIFY_BYTES:
            raise FileTooLarge("file_too_large", f"a file may be at most {MAX_VERIFY_BYTES} bytes")
        data = path.read_bytes()
        anchors = anchors_path.read_text(encoding="utf-8")
        chain = "".join(p.read_text(encoding="utf-8") for p in chain_paths if p.exists())
    except OSError as exc:
        print(f"cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return EXIT_UNUSABLE
    except FileTooLarge as exc:
        print(f"{exc.code}: {exc.reason}", file=sys.stderr)
        return EXIT_UNUSABLE
    try:
        x509.load_pem_x509_certificates(anchors.encode())
    except ValueError:
        print(f"{anchors_path} holds no PEM certificate", file=sys.stderr)
        return EXIT_UNUSABLE
    try:
        own = OwnSigner(chain, anchors) if chain else None
    except CredentialsError as exc:
        print(f"{exc.code}: {exc.reason}", file=sys.stderr)
        return EXIT_UNUSABLE
    if own is None:
        print("no signing certificate: signed_by_us is false for every file", file=sys.stderr)
    try:
        provenance = inspect_bytes(data, anchors, own)
    except (FileTooLarge, FileUnsupported) as exc:
        print(f"{exc.code}: {exc.reason}", file=sys.stderr)
        return EXIT_UNUSABLE
    checked = answer(data, provenance, RecordLink(status="offline"))
    print(checked.model_dump_json(indent=2))
    return EXIT_VALID if checked.state is FileState.VALID else EXIT_NOT_VALID
