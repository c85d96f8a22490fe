"""Prompt retention: prompts older than the configured days are redacted by the running
gateway, the redaction is itself recorded, search no longer finds them, and the chain
still verifies."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

import audit
import audit.chain
from audit import AuditFilter, AuditRecord
from gateway.app import create_app
from gateway.retention import redact_expired_prompts
from gateway.services import Services
from gateway.settings import Settings
from tests.factories import IdentityProvider, bearer

FIELDS = {"prompt": "秘密の灯台 lighthouse", "negative_prompt": None}


def _write(services: Services, n: int) -> list[int]:
    seqs = []
    for i in range(n):
        record = AuditRecord(
            request_id=f"r{i}",
            action="generate",
            decision="allow",
            code="ok",
            reason="test",
            subject="alice",
            roles=("employee",),
            prompt_hash=audit.prompt_hash(FIELDS),
        )
        seqs.append(services.audit.append(record, FIELDS).seq)
    return seqs


def _days_ago(days: float) -> str:
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def test_only_prompts_older_than_the_retention_are_redacted(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.settings.audit_prompt_retention_days = 30
    monkeypatch.setattr(audit.chain, "utc_now_iso", lambda: _days_ago(31))  # written back then
    old = _write(services, 3)
    monkeypatch.setattr(audit.chain, "utc_now_iso", lambda: _days_ago(29))
    recent = _write(services, 2)
    monkeypatch.undo()

    assert redact_expired_prompts(services) == 3
    assert [services.audit.prompt_fields(s) for s in old] == [None] * 3
    assert [services.audit.prompt_fields(s) for s in recent] == [FIELDS] * 2
    found = audit.search(services.db, AuditFilter(q="灯台"), 50, None).items
    assert [e.seq for e in found] == list(reversed(recent))
    last = services.audit.get(services.audit.head()[0])
    assert last is not None and (last.action, last.details["redacted"]) == ("redact_prompts", 3)
    assert redact_expired_prompts(services) == 0  # nothing left: no second entry
    assert services.audit.head()[0] == last.seq
    report = audit.verify_log(services.db, services.audit, services.audit.checkpoint_key.public_key)
    assert report.ok, report.problems


def test_zero_days_keeps_prompts_for_ever(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.settings.audit_prompt_retention_days = 0
    monkeypatch.setattr(audit.chain, "utc_now_iso", lambda: _days_ago(10_000))
    seqs = _write(services, 1)
    monkeypatch.undo()
    assert redact_expired_prompts(services) == 0
    assert services.audit.prompt_fields(seqs[0]) == FIELDS


def test_the_running_gateway_redacts_at_start(
    settings: Settings, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.audit_prompt_retention_days = 7
    monkeypatch.setattr(audit.chain, "utc_now_iso", lambda: _days_ago(8))
    seqs = _write(services, 2)
    monkeypatch.undo()
    with TestClient(create_app(services=services)):
        deadline = time.monotonic() + 20
        while services.audit.prompt_fields(seqs[0]) is not None:
            assert time.monotonic() < deadline, "the retention pass did not run"
            time.sleep(0.05)
    assert services.audit.prompt_fields(seqs[1]) is None
    entries = list(audit.export(services.db, AuditFilter(action="redact_prompts")))
    assert [e.details["redacted"] for e in entries] == [2]


def test_finished_jobs_lose_their_stored_request_too(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    """The job queue keeps each request to produce it later: once the job has ended and is
    past the retention, its prompt goes there as well (found by the attack)."""
    services.settings.audit_prompt_retention_days = 30
    headers = bearer(idp.token("alice"))
    prompt = {"prompt": "job zebrafish lighthouse", "purpose": "internal", "seed": 1}
    submitted = client.post("/v1/images?mode=async", json=prompt, headers=headers)
    assert submitted.status_code == 202, submitted.text
    job_id = submitted.json()["job_id"]
    deadline = time.monotonic() + 60
    while client.get(f"/v1/jobs/{job_id}", headers=headers).json()["state"] != "succeeded":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    assert redact_expired_prompts(services, now=later) >= 1
    with services.db.connect() as conn:
        body = conn.execute(text("SELECT body FROM jobs WHERE id = :i"), {"i": job_id}).scalar()
    assert "zebrafish" not in body
    assert client.get(f"/v1/jobs/{job_id}", headers=headers).json()["state"] == "succeeded"
    entries = list(audit.export(services.db, AuditFilter(action="redact_prompts")))
    assert entries[-1].details["job_bodies"] == 1
