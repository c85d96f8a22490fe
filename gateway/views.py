"""Stored rows turned into public responses (tables are never returned directly)."""

from __future__ import annotations

import json

from gateway.jobs import JobRow
from gateway.schemas import GenerationPublic, JobProgress, JobPublic


def job_public(row: JobRow) -> JobPublic:
    return JobPublic(
        job_id=row.id,
        kind=row.kind,
        state=row.state,
        progress=JobProgress(step=row.step, total=row.total),
        result=None if row.result is None else GenerationPublic(**json.loads(row.result)),
        error=None if row.error is None else json.loads(row.error),
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        submitted_audit_seq=row.submitted_seq,
    )
