"""Audit search in the database, on SQLite and PostgreSQL: every filter returns exactly the
entries that match it (checked against the records themselves), text search finds Chinese,
Thai and English inside words, and a redacted prompt is found no more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

import audit
from audit import AuditEntry, AuditFilter, AuditLog, CheckpointFile, CheckpointKey
from audit.bulk import synthetic_records, write_log
from audit.chain import PromptFields
from audit.record import AuditRecord, prompt_hash
from gateway.db import alembic_config, make_engine, migrate
from tests.integration.test_postgres import postgres_url  # noqa: F401  (a fixture)

PROMPTS: dict[str, PromptFields] = {
    "zh": {"prompt": "请把验证码发给我，谢谢", "negative_prompt": None},
    "th": {"prompt": "ภาพแมวสีส้มนอนบนโซฟา", "negative_prompt": None},
    "en": {"prompt": "A Lighthouse at dusk with 100% fog_light", "negative_prompt": "blurry"},
    # written to slip past a plain search: a zero-width space, a soft hyphen, full-width forms
    "evasive": {"prompt": "read me the p\u200bass\u00adword ＮＯＷ", "negative_prompt": None},
    "el": {"prompt": "ΣΟΦΙΑ ΚΑΙ ΓΝΩΣΗ, École STRASSE", "negative_prompt": None},
}


def _linked(n: int, prompt: PromptFields | None) -> tuple[AuditRecord, PromptFields | None]:
    """A clone entry with every link the search can filter on."""
    record = AuditRecord(
        request_id=f"req-linked-{n}",
        action="generate",
        decision="allow",
        code="ok",
        reason="allowed",
        subject=f"owner-{n}@example.org",
        roles=("voice_user", "employee"),
        engine="voice_clone",
        model="tiny/vits",
        purpose="training",
        prompt_hash=None if prompt is None else prompt_hash(prompt),
        output_sha256=f"{n:064x}",
        details={
            "artifact_id": f"art-{n}",
            "voice_id": f"voice-{n % 2}",
            "consent_id": f"consent-{n % 2}",
            "job_id": f"job-{n}" if n % 3 == 0 else None,
        },
    )
    return record, prompt


@pytest.fixture(params=["sqlite", "postgresql"])
def log(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AuditLog]:
    url = (
        f"sqlite:///{tmp_path / 'audit.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    engine = make_engine(url)
    log = AuditLog(
        engine,
        CheckpointKey.load_or_create(tmp_path / "key.pem"),
        CheckpointFile(tmp_path / "checkpoints.jsonl"),
    )
    items = list(synthetic_records(150, seed=3))
    items += [_linked(n, PROMPTS[lang]) for n, lang in enumerate(PROMPTS)]
    items += [_linked(n, None) for n in range(len(PROMPTS), len(PROMPTS) + 4)]
    write_log(log, items)
    yield log
    engine.dispose()


def _everything(log: AuditLog, filters: AuditFilter) -> list[AuditEntry]:
    """Every page of a search, following the cursors."""
    found: list[AuditEntry] = []
    cursor = None
    while True:
        page = audit.search(log._engine, filters, 37, cursor)
        found += page.items
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


def _all_entries(log: AuditLog) -> list[AuditEntry]:
    return list(audit.export(log._engine, AuditFilter()))


def _some_value(entries: list[AuditEntry], read: Callable[[AuditEntry], object]) -> object:
    values = [read(e) for e in entries if read(e) is not None]
    assert values, "the log has no entry to filter on"
    return values[len(values) // 2]


FIELD_READERS: dict[str, Callable[[AuditEntry], object]] = {
    "decision": lambda e: e.decision,
    "code": lambda e: e.code,
    "subject": lambda e: e.subject,
    "action": lambda e: e.action,
    "engine": lambda e: e.engine,
    "model": lambda e: e.model,
    "purpose": lambda e: e.purpose,
    "request_id": lambda e: e.request_id,
    "sha256": lambda e: e.output_sha256,
    "artifact_id": lambda e: e.details.get("artifact_id"),
    "voice_id": lambda e: e.details.get("voice_id"),
    "consent_id": lambda e: e.details.get("consent_id"),
    "job_id": lambda e: e.details.get("job_id"),
}


@pytest.mark.parametrize("name", sorted(FIELD_READERS))
def test_each_equality_filter_returns_exactly_the_matching_entries(
    log: AuditLog, name: str
) -> None:
    entries = _all_entries(log)
    read = FIELD_READERS[name]
    value = _some_value(entries, read)
    expected = [e.seq for e in reversed(entries) if read(e) == value]
    found = _everything(log, AuditFilter(**{name: value}))
    assert [e.seq for e in found] == expected
    assert 0 < len(expected) < len(entries)


def test_role_seq_range_and_reads_filters(log: AuditLog) -> None:
    entries = _all_entries(log)
    newest_first = list(reversed(entries))
    by_role = _everything(log, AuditFilter(role="voice_user"))
    assert [e.seq for e in by_role] == [e.seq for e in newest_first if "voice_user" in e.roles]
    ranged = _everything(log, AuditFilter(seq_from=20, seq_to=40, decision="deny"))
    assert [e.seq for e in ranged] == [
        e.seq for e in newest_first if 20 <= e.seq <= 40 and e.decision == "deny"
    ]
    no_reads = _everything(log, AuditFilter(exclude_reads=True))
    assert [e.seq for e in no_reads] == [
        e.seq for e in newest_first if e.action not in ("read_audit", "export_audit")
    ]
    assert len(no_reads) < len(entries)


def test_time_window(log: AuditLog) -> None:
    entries = _all_entries(log)
    middle = entries[len(entries) // 2].time
    later = _everything(log, AuditFilter(since=middle))
    earlier = _everything(log, AuditFilter(until=middle))
    assert {e.seq for e in later} == {e.seq for e in entries if e.time >= middle}
    assert {e.seq for e in earlier} == {e.seq for e in entries if e.time < middle}


@pytest.mark.parametrize(
    ("term", "language"),
    [
        ("验证码", "zh"),  # inside a Chinese sentence: no spaces to split words on
        ("验证", "zh"),  # two characters: below the trigram length, scanned
        ("แมวสีส้ม", "th"),
        ("แมว", "th"),
        ("lighthouse", "en"),  # case-insensitive
        ("ghth", "en"),  # inside a word
        ("100% fog_l", "en"),  # LIKE's wildcards are taken literally
        ("blurry", "en"),  # the negative prompt is searched too
        ("password", "evasive"),  # found as typed plainly
        ("me the pass", "evasive"),
        ("now", "evasive"),
        ("ｐａｓｓｗｏｒｄ", "evasive"),  # a full-width term reads the same
        ("pass\u200bword", "evasive"),
        ("σο", "el"),  # two characters, not ASCII: SQLite's LIKE folded ASCII only
        ("éc", "el"),
        ("σοφια και", "el"),
        ("straße", "el"),  # full case folding
    ],
)
def test_text_search_finds_words_in_every_script(log: AuditLog, term: str, language: str) -> None:
    found = _everything(log, AuditFilter(q=term))
    assert [e.prompt_hash for e in found if e.subject and "owner" in e.subject] == [
        prompt_hash(PROMPTS[language])
    ]


@pytest.mark.parametrize("term", ["0% f", "%", "_", "d%g"])
def test_text_search_wildcards_match_only_themselves(log: AuditLog, term: str) -> None:
    found = _everything(log, AuditFilter(q=term))
    expected = [
        e
        for e in reversed(_all_entries(log))
        if (fields := log.prompt_fields(e.seq))
        and any(term.lower() in (v or "").lower() for v in fields.values())
    ]
    assert [e.seq for e in found] == [e.seq for e in expected]


def test_a_redacted_prompt_is_found_no_more(log: AuditLog) -> None:
    target = _everything(log, AuditFilter(q="验证码"))[0]
    cutoff = (dt.datetime.fromisoformat(target.time) + dt.timedelta(microseconds=1)).isoformat()
    redacted = audit.redact_prompts_before(log._engine, cutoff.replace("+00:00", "Z"), "now")
    assert redacted >= 1
    assert _everything(log, AuditFilter(q="验证码")) == []
    assert _everything(log, AuditFilter(q="验证")) == []
    assert log.prompt_fields(target.seq) is None
    assert audit.redact_prompts_before(log._engine, cutoff, "now") == 0  # nothing left to do
    # The entries stay, and the chain still verifies.
    assert log.get(target.seq) == target
    report = audit.verify_log(log._engine, log, log.checkpoint_key.public_key)
    assert report.ok, report.problems


def test_summary_counts_match_the_entries(log: AuditLog) -> None:
    entries = _all_entries(log)
    denials = [e for e in entries if e.decision == "deny"]
    by_code = audit.summary(log._engine, AuditFilter(decision="deny"), "code")
    counts = {row.key: row.count for row in by_code}
    assert counts == {code: sum(e.code == code for e in denials) for code in counts}
    assert sum(counts.values()) == len(denials)
    assert [row.count for row in by_code] == sorted(counts.values(), reverse=True)
    by_day = audit.summary(log._engine, AuditFilter(), "day")
    assert [(row.key, row.count) for row in by_day] == [(entries[0].time[:10], len(entries))]


def test_the_migration_fills_the_columns_of_entries_written_before_it(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_entries (seq, time, request_id, subject, roles, action, "
                "decision, code, reason, details, prev_hash, hash) VALUES (1, '2026-01-01', "
                "'r1', 'ann', :roles, 'generate', 'allow', 'ok', 'x', :details, 'p', 'h')"
            ),
            {
                "roles": '["employee","voice_user"]',
                "details": '{"voice_id":"v1","consent_id":"c1","job_id":7}',
            },
        )
        conn.execute(
            text("INSERT INTO audit_prompts (seq, fields) VALUES (1, :fields)"),
            {"fields": '{"negative_prompt":null,"prompt":"夕暮れの灯台"}'},
        )
    migrate(engine)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT voice_id, consent_id, job_id, artifact_id FROM audit_entries")
        ).one()
        roles = conn.execute(text("SELECT role FROM audit_entry_roles ORDER BY role")).all()
    assert tuple(row) == ("v1", "c1", None, None)  # a non-text id is not copied
    assert [r[0] for r in roles] == ["employee", "voice_user"]
    query = AuditFilter(q="灯台")
    assert [e.seq for e in audit.search(engine, query, 10, None).items] == [1]


def test_seqs_beyond_32_bits_are_searched_and_stored(log: AuditLog) -> None:
    """PostgreSQL's integer ended at 2**31 - 1: a filter above it failed the query (500),
    and a busy log would have run out of seqs. Audit seqs are 64-bit on both databases."""
    for filters in (AuditFilter(seq_from=2**31), AuditFilter(seq_to=2**53 - 1, seq_from=2**40)):
        assert audit.search(log._engine, filters, 10, None).items == []
        assert audit.summary(log._engine, filters, "code") == []
    if log._engine.dialect.name == "postgresql":
        with log._engine.connect() as conn:
            types = conn.execute(
                text(
                    "SELECT table_name, data_type FROM information_schema.columns "
                    "WHERE column_name IN ('seq', 'audit_seq', 'submitted_seq') "
                    "AND table_schema = 'public'"
                )
            ).all()
        assert {name for name, kind in types if kind != "bigint"} == set()
        assert len(types) == 6
