"""Signed exports: plan (check the log up to its head), stream the rows, sign and keep the digest.

An export reads the log as it stood when it began: ``plan_export`` takes the head (seq and
hash), verifies the chain, the kept prompts and the signed checkpoints up to that head (the
fast verify of ``audit.verify``, bounded to it), and refuses when anything is wrong. The stream
then writes only entries at or below that head, so entries appended meanwhile never make rows
and digest disagree; each row's own hash is recomputed as it is written, and the rows' SHA-256
is taken over the bytes as they leave. The signed digest is stored (so a CSV's detached digest
can be fetched later, from any gateway on the same database), and for JSON Lines also written
as the last record.

A full verify per export costs time in the log's length (the check has to see every entry to
say none is missing). Memory stays bounded: the verify and the export read in batches.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from audit.chain import utc_now_iso
from audit.errors import ExportInvalid, ExportRefused
from audit.export_digest import (
    ChainHead,
    ExportDigest,
    SeqRange,
    check_signature,
    jsonable_filters,
    parse_digest,
    sign_digest,
)
from audit.export_format import FORMATS, CsvRows, jsonl_line, row_values
from audit.query import AuditFilter, export
from audit.record import entry_hash
from audit.tables import AuditExportRow, AuditPromptRow
from audit.verify import verify_log

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from audit.chain import AuditLog
    from audit.checkpoint import Checkpoint
    from audit.record import AuditEntry

ROW_BATCH = 500  # rows (and their kept prompts) read, encoded and sent together


@dataclass(frozen=True)
class ExportPlan:
    """An export the log was found fit for: what it will read and what it was checked against."""

    export_id: str
    format: str
    filters: AuditFilter
    named_filters: dict[str, Any]  # as the digest names them
    head: ChainHead
    checkpoint: Checkpoint | None


def digest_filters(filters: AuditFilter) -> dict[str, Any]:
    """The filters given, by name (unset ones, None or False, are left out)."""
    asked = {k: v for k, v in asdict(filters).items() if v is not None and v is not False}
    return jsonable_filters(asked)


def plan_export(
    engine: Engine, log: AuditLog, filters: AuditFilter, fmt: str, export_id: str
) -> ExportPlan:
    """Take the head and check the log up to it.

    Raises:
        ValueError: ``fmt`` is not one of ``FORMATS``.
        ExportRefused: the log does not verify up to its head (nothing is exported).
        sqlalchemy.exc.SQLAlchemyError: the database could not be read.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    head_seq, head_hash = log.head()
    report = verify_log(engine, log, log.checkpoint_key.public_key, up_to=head_seq)
    problem = report.first_problem()
    if problem is not None:
        raise ExportRefused(
            f"the audit log does not verify (seq {problem.seq}: {problem.what}); "
            "nothing is exported until it does"
        )
    if (report.head_seq, report.head_hash) != (head_seq, head_hash):
        raise ExportRefused("the audit log changed under the check; nothing was exported")
    return ExportPlan(
        export_id=export_id,
        format=fmt,
        filters=filters,
        named_filters=digest_filters(filters),
        head=ChainHead(head_seq, head_hash),
        checkpoint=_newest_checkpoint(log, head_seq),
    )


def _newest_checkpoint(log: AuditLog, up_to: int) -> Checkpoint | None:
    """The newest checkpoint in the file at or below ``up_to`` (the verify found it valid)."""
    below = [c for c in log.checkpoint_file.read_all() if c.seq <= up_to]
    return max(below, key=lambda c: c.seq, default=None)


def stream_export(engine: Engine, log: AuditLog, plan: ExportPlan) -> Iterator[bytes]:
    """The export's bytes, a batch at a time; stores the signed digest when the rows are done
    and, for JSON Lines, ends with it.

    Raises (while iterating; what was sent is then cut short, and no digest is stored):
        ExportRefused: an entry's hash does not recompute (changed after the plan's check).
        sqlalchemy.exc.SQLAlchemyError: the database could not be read or the digest stored.
    """
    rows_hash = hashlib.sha256()
    csv_rows = CsvRows() if plan.format == "csv" else None
    count, first, last = 0, 0, 0
    if csv_rows is not None:
        header = csv_rows.header()
        rows_hash.update(header)
        yield header
    for batch in _batches(_entries_to_head(engine, plan)):
        prompts = _kept_prompts(engine, [entry.seq for entry in batch])
        values = [row_values(_checked(entry), prompts.get(entry.seq)) for entry in batch]
        chunk = (
            csv_rows.rows(values)
            if csv_rows is not None
            else b"".join(jsonl_line(row) for row in values)
        )
        rows_hash.update(chunk)
        count += len(batch)
        first, last = first or batch[0].seq, batch[-1].seq
        yield chunk
    digest = sign_digest(
        log.checkpoint_key,
        ExportDigest(
            export_id=plan.export_id,
            format=plan.format,
            filters=plan.named_filters,
            seq_range=SeqRange(first, last) if count else None,
            row_count=count,
            rows_sha256=rows_hash.hexdigest(),
            chain_head=plan.head,
            checkpoint=plan.checkpoint,
            exported_at=utc_now_iso(),
            key_id="",
            signature="",
        ),
    )
    _store(engine, digest)
    if csv_rows is None:
        yield jsonl_line(digest.record())


def _entries_to_head(engine: Engine, plan: ExportPlan) -> Iterator[AuditEntry]:
    """The matching entries, oldest first, up to the head the plan checked."""
    return itertools.takewhile(lambda e: e.seq <= plan.head.seq, export(engine, plan.filters))


def _batches(entries: Iterator[AuditEntry]) -> Iterator[list[AuditEntry]]:
    while batch := list(itertools.islice(entries, ROW_BATCH)):
        yield batch


def _checked(entry: AuditEntry) -> AuditEntry:
    """Raises ExportRefused when the entry's hash does not recompute from its fields."""
    if entry_hash(entry.hashed_fields()) != entry.hash:
        raise ExportRefused(f"entry {entry.seq} changed after the log was checked")
    return entry


def _kept_prompts(engine: Engine, seqs: list[int]) -> dict[int, dict[str, str | None]]:
    """The kept (not redacted) prompts of ``seqs``, in one query."""
    prompt = AuditPromptRow
    query = select(prompt.seq, prompt.fields).where(
        col(prompt.seq).in_(seqs), col(prompt.fields).is_not(None)
    )
    with Session(engine) as session:
        return {seq: json.loads(text) for seq, text in session.exec(query) if text is not None}


def _store(engine: Engine, digest: ExportDigest) -> None:
    row = AuditExportRow(
        export_id=digest.export_id,
        exported_at=digest.exported_at,
        format=digest.format,
        digest=json.dumps(digest.as_dict(), ensure_ascii=False, separators=(",", ":")),
    )
    with Session(engine) as session:
        session.add(row)
        session.commit()


def stored_digest(engine: Engine, log: AuditLog, export_id: str) -> ExportDigest | None:
    """The digest of a finished export; None for an id no export finished with.

    Raises:
        ExportInvalid: the stored digest does not verify with the log's key (fail closed: a
            digest changed in the database is not served).
        sqlalchemy.exc.SQLAlchemyError: the database could not be read.
    """
    with Session(engine) as session:
        row = session.get(AuditExportRow, export_id)
    if row is None:
        return None
    try:
        digest = parse_digest({"export_digest": json.loads(row.digest)})
    except ValueError as exc:
        raise ExportInvalid(f"the stored digest of export {export_id} is not JSON") from exc
    if digest.export_id != export_id:
        raise ExportInvalid(f"the digest stored for export {export_id} names another export")
    check_signature(digest, log.checkpoint_key.public_key)
    return digest
