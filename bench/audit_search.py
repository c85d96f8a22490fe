"""Audit search over a long log: each filter alone, first page newest first, on SQLite and
PostgreSQL.

    .venv/bin/python bench/audit_search.py                         # 10^6 entries, both databases
    .venv/bin/python bench/audit_search.py --db sqlite --entries 100000

The log is built once per database with the bulk writer (``audit.bulk``: allow/deny/error
entries shaped like the gateway's, prompts beside most generations, in several scripts) and
reused while it holds the entries asked for: SQLite under ``--dir``, PostgreSQL in the database
``consentgate_bench_search`` at ``--pg-url`` (created if missing). A search is what
``GET /v1/audit`` runs: ``audit.search`` with one filter and a page of 50. Each query is timed
``--repeat`` times; p50 and the slowest are shown, with how many entries the page held. The
values searched for are taken from the log (a request id, an artifact id, an output hash from
its middle; a subject, a code, a role that many entries share).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

import audit
from audit import AuditFilter, AuditLog
from audit.bulk import synthetic_records, write_log
from gateway.db import make_engine, refresh_statistics

PAGE = 50
PG_DATABASE = "consentgate_bench_search"


def _sqlite_url(directory: Path) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / 'consentgate.db'}"


def _postgres_url(admin_url: str) -> str:
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": PG_DATABASE}
        ).first()
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{PG_DATABASE}"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{PG_DATABASE}"


def _open(url: str, directory: Path) -> AuditLog:
    directory.mkdir(parents=True, exist_ok=True)
    return AuditLog.in_directory(make_engine(url), directory / "audit", 1000)


def _build(log: AuditLog, entries: int) -> float | None:
    have = log.head()[0]
    if have >= entries:
        return None
    started = time.perf_counter()
    write_log(log, synthetic_records(entries - have, seed=have))
    return time.perf_counter() - started


def _middle_entry(log: AuditLog, **match: str) -> audit.AuditEntry:
    """An allowed generation from the middle of the log: a needle deep in the haystack."""
    head = log.head()[0]
    page = audit.search(
        log._engine, AuditFilter(seq_to=head // 2, action="generate", decision="allow"), 1, None
    )
    return page.items[0]


def _queries(log: AuditLog) -> list[tuple[str, AuditFilter]]:
    needle = _middle_entry(log)
    denial = audit.search(log._engine, AuditFilter(code="consent_revoked"), 1, None).items[0]
    head = log.head()[0]
    return [
        ("decision=deny", AuditFilter(decision="deny")),
        ("code=consent_revoked", AuditFilter(code="consent_revoked")),
        ("subject (one of 500 users)", AuditFilter(subject=needle.subject)),
        ("action=verify", AuditFilter(action="verify")),
        ("engine=music", AuditFilter(engine="music")),
        ("model=tiny/vits", AuditFilter(model="tiny/vits")),
        ("purpose=research", AuditFilter(purpose="research")),
        ("role=admin", AuditFilter(role="admin")),
        ("role=nobody (matches none)", AuditFilter(role="nobody")),
        ("request_id (middle of the log)", AuditFilter(request_id=needle.request_id)),
        ("sha256 of an output (middle)", AuditFilter(sha256=needle.output_sha256)),
        ("artifact_id (middle)", AuditFilter(artifact_id=needle.details["artifact_id"])),
        ("voice_id (middle)", AuditFilter(voice_id=denial.details["voice_id"])),
        ("consent_id=unknown (matches none)", AuditFilter(consent_id="no-such-consent")),
        (
            "seq_from/seq_to (1,000 in the middle)",
            AuditFilter(seq_from=head // 2, seq_to=head // 2 + 999),
        ),
        ("since (the newer half)", AuditFilter(since=needle.time)),
        ("until (the older half)", AuditFilter(until=needle.time)),
        ("exclude_reads", AuditFilter(exclude_reads=True)),
        ("q=lighthouse (trigram)", AuditFilter(q="lighthouse")),
        ("q=夕暮れの (trigram, Japanese)", AuditFilter(q="夕暮れの")),
        ("q=Klavierstück (trigram)", AuditFilter(q="Klavierstück")),
        ("q=灯台 (2 characters: scan)", AuditFilter(q="灯台")),
        ("q=quokka (trigram, matches none)", AuditFilter(q="quokka")),
        ("q=ü! (2 characters, matches none: full scan)", AuditFilter(q="ü!")),
    ]


def _time(run: Callable[[], int], repeat: int) -> tuple[float, float, int]:
    run()  # warm: the first query after a build pays for the page cache
    times = []
    found = 0
    for _ in range(repeat):
        started = time.perf_counter()
        found = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times), found


def _bench(name: str, log: AuditLog, repeat: int) -> list[tuple[str, str, float, float, int]]:
    rows = []
    for what, filters in _queries(log):
        p50, worst, found = _time(
            lambda f=filters: len(audit.search(log._engine, f, PAGE, None).items), repeat
        )
        rows.append((name, what, p50, worst, found))
    for group_by in ("code", "day"):
        p50, worst, found = _time(
            lambda g=group_by: len(audit.summary(log._engine, AuditFilter(), g)), repeat
        )
        rows.append((name, f"summary group_by={group_by} (whole log)", p50, worst, found))
    p50, worst, found = _time(
        lambda: len(audit.summary(log._engine, AuditFilter(decision="deny"), "code")), repeat
    )
    rows.append((name, "summary group_by=code, decision=deny", p50, worst, found))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--dir", type=Path, default=Path(tempfile.gettempdir()) / "consentgate-bench-search"
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "CONSENTGATE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
        help="an administrative URL; the bench database is created beside it",
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    rows = []
    for name in ("sqlite", "postgresql") if args.db == "both" else (args.db,):
        url = _sqlite_url(args.dir / "sqlite") if name == "sqlite" else _postgres_url(args.pg_url)
        log = _open(url, args.dir / name)
        built = _build(log, args.entries)
        if built is not None:
            print(f"{name}: built {args.entries:,} entries in {built:.0f} s", file=sys.stderr)
        refresh_statistics(log._engine)  # as the running gateway does (gateway.retention)
        rows += _bench(name, log, args.repeat)
        log._engine.dispose()

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{args.entries:,} entries; {os.cpu_count()} CPUs, load {load}; a page of {PAGE};")
    print(f"{args.repeat} runs each after one warm-up; p50 and the slowest run.\n")
    print(f"{'db':<11}{'query':<46}{'p50 ms':>9}{'max ms':>9}{'rows':>6}")
    for name, what, p50, worst, found in rows:
        print(f"{name:<11}{what:<46}{p50 * 1000:>9.1f}{worst * 1000:>9.1f}{found:>6}")


if __name__ == "__main__":
    main()
