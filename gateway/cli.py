"""The ``consentgate`` command: serve, dev-token, audit, consent, artifact inspect, db."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from gateway.cli_artifact import register as register_artifact_commands
from gateway.cli_db import register as register_db_commands
from gateway.cli_engines import register as register_engine_commands
from gateway.cli_export import add_commands as add_export_commands
from gateway.settings import AuthMode, get_settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from audit import AuditLog


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from gateway.app import create_app
    from gateway.logs import configure_logging
    from gateway.schema import SchemaOutOfDate

    settings = get_settings()
    configure_logging(settings.log_format)
    try:
        app = create_app(settings)
    except SchemaOutOfDate as exc:  # refused at start, not a 500 at the first request
        print(f"consentgate: not starting: {exc}", file=sys.stderr)
        return 2
    # log_config=None: uvicorn's lines go through the same handler, with the request id.
    # h11, always: the parser whose framing the edge is tested against (installing Ray Serve
    # brings httptools, which uvicorn would otherwise pick).
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, http="h11")
    return 0


def _dev_token(args: argparse.Namespace) -> int:
    from gateway.dev_identity import DevIdentity

    settings = get_settings()
    if settings.auth_mode is not AuthMode.DEV:
        print("dev-token works only with CONSENTGATE_AUTH_MODE=dev", file=sys.stderr)
        return 2
    identity = DevIdentity.load_or_create(settings.data_dir)
    print(identity.mint(args.sub, args.role or ["employee"], args.ttl, args.name))
    return 0


def _audit_log(*, migrate: bool) -> tuple[Engine, AuditLog]:
    """The database and the audit log alone: no engines, rules or other keys are loaded.

    ``migrate``: bring the schema up to date first, as a writer must. Verify reads the database
    as it finds it, which also spares it the migrations' imports (every table's module).
    """
    from audit import AuditLog

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    if migrate:
        from gateway.db import make_engine

        db = make_engine(settings.resolved_database_url)
    else:
        from sqlalchemy import create_engine

        db = create_engine(settings.resolved_database_url)
    log = AuditLog.in_directory(db, settings.data_dir / "audit", settings.audit_checkpoint_every)
    return db, log


def _audit_verify(args: argparse.Namespace) -> int:
    from audit import verify_log

    db, log = _audit_log(migrate=False)
    report = verify_log(db, log, log.checkpoint_key.public_key, processes=args.processes)
    if args.json:
        print(
            json.dumps(
                {
                    "ok": report.ok,
                    "entries": report.entries,
                    "checkpoints": report.checkpoints,
                    "head_seq": report.head_seq,
                    "first_bad_seq": report.first_bad_seq,
                    "problems": [{"seq": p.seq, "what": p.what} for p in report.problems],
                }
            )
        )
    elif report.ok:
        print(
            f"OK: {report.entries} entries, {report.checkpoints} checkpoints, "
            f"head {report.head_seq} {report.head_hash}"
        )
    else:
        first = report.first_problem()
        assert first is not None
        print(f"FAILED at seq {first.seq}: {first.what}")
        for problem in report.problems:
            if problem is not first:
                print(f"  also at seq {problem.seq}: {problem.what}")
    return 0 if report.ok else 1


def _audit_checkpoint(_args: argparse.Namespace) -> int:
    _db, log = _audit_log(migrate=True)
    checkpoint = log.checkpoint()
    if checkpoint is None:
        print("the audit log is empty; nothing to checkpoint")
        return 0
    print(f"checkpoint at seq {checkpoint.seq}: {checkpoint.head_hash}")
    return 0


def _consent_verify(args: argparse.Namespace) -> int:
    from consent import load_public_key, verify_document
    from consent.record import RecordSigner, public_pem

    try:
        document = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"INVALID: {args.file} is not a readable JSON record ({exc})")
        return 2
    if args.public_key:
        key = load_public_key(Path(args.public_key).read_text(encoding="utf-8"))
    else:
        key_path = get_settings().data_dir / "keys" / "consent-record-key.pem"
        if not key_path.exists():
            print("no --public-key given and no gateway key in the data dir", file=sys.stderr)
            return 2
        key = RecordSigner.load_or_create(key_path).public_key
    if verify_document(document, key):
        record = document["record"]
        print(
            f"VALID: consent {record['consent_id']} for voice {record['voice_id']} "
            f"(owner {record['owner']['subject']}), signed by key {document['signature']['key_id']}"
        )
        return 0
    embedded = document.get("public_key") if isinstance(document, dict) else None
    note = "" if embedded in (None, public_pem(key)) else " (it names a different signing key)"
    print(f"INVALID: the record does not verify against the trusted key{note}")
    return 1


def _consent_public_key(_args: argparse.Namespace) -> int:
    from consent.record import RecordSigner, public_pem

    signer = RecordSigner.load_or_create(get_settings().data_dir / "keys/consent-record-key.pem")
    print(public_pem(signer.public_key), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="consentgate", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the gateway")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_serve)

    token = commands.add_parser("dev-token", help="print a token signed by the dev key")
    token.add_argument("--sub", required=True, help="subject (user id)")
    token.add_argument("--role", action="append", help="a role; repeat for several")
    token.add_argument("--ttl", type=int, default=3600, help="seconds (default 3600)")
    token.add_argument("--name", help="display name (default: the subject)")
    token.set_defaults(run=_dev_token)

    audit_cmd = commands.add_parser("audit", help="audit log tools")
    audit_sub = audit_cmd.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="recompute the chain and checkpoints")
    verify.add_argument("--json", action="store_true", help="print a JSON report")
    verify.add_argument(
        "--processes",
        type=int,
        default=None,
        help="worker processes (default: by the size of the log, up to the number of CPUs)",
    )
    verify.set_defaults(run=_audit_verify)
    checkpoint = audit_sub.add_parser("checkpoint", help="sign the current head now")
    checkpoint.set_defaults(run=_audit_checkpoint)
    add_export_commands(audit_sub)  # public-key, verify-export

    consent_cmd = commands.add_parser("consent", help="consent record tools")
    consent_sub = consent_cmd.add_subparsers(dest="consent_command", required=True)
    consent_verify = consent_sub.add_parser("verify", help="verify a signed consent record")
    consent_verify.add_argument("file", help="the record JSON (GET /v1/voices/{id}/consent)")
    consent_verify.add_argument(
        "--public-key", help="the gateway's record key PEM (default: the one in the data dir)"
    )
    consent_verify.set_defaults(run=_consent_verify)
    public_key = consent_sub.add_parser("public-key", help="print the record signing key (PEM)")
    public_key.set_defaults(run=_consent_public_key)
    register_artifact_commands(commands)
    register_db_commands(commands)  # db upgrade, db current
    register_engine_commands(commands)  # engines serve
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
