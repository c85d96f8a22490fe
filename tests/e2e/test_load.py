"""A bounded open-loop load on loopback against a served gateway (bench/load.py's machinery):
a denied route, the image route and the speech route, one after the other.

Throughput and p50/p95/p99 are printed (``pytest -s``) and never asserted: only correctness is.
Every request is answered; every answer is a success or a problem+json body whose code is one
the route may give under load (the image and speech lanes may be full: ``queue_full``; a caller
may be throttled: ``rate_limited``), never another 5xx; every success and every refusal other
than a throttle has its own audit entry; and the log verifies afterwards.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import create_engine

from audit import AuditFilter, AuditLog, export, verify_log

ROOT = Path(__file__).resolve().parents[2]
# (scenario, requests a second, seconds, statuses the route may answer under load)
PLAN = (
    ("denied", 40.0, 4.0, {403: {"role_forbidden"}, 429: {"rate_limited"}}),
    ("image", 8.0, 4.0, {201: set(), 503: {"queue_full"}, 429: {"rate_limited"}}),
    ("speech", 10.0, 4.0, {201: set(), 503: {"queue_full"}, 429: {"rate_limited"}}),
)
CONNECTIONS = 32
SUBJECTS = 20
ANSWER_TIMEOUT_S = 30.0  # after the last send; a bound, not an expectation


def _bench_load() -> ModuleType:
    """bench/load.py (the benchmarks are scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up here
    spec.loader.exec_module(module)
    return module


@dataclass
class Run:
    scenario: str
    rate: float
    latencies_ms: list[float] = field(default_factory=list)
    answers: Counter[tuple[int, str]] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)  # transport errors, timeouts
    bodies: list[tuple[int, Any]] = field(default_factory=list)
    span_s: float = 0.0


async def _offer(
    load: ModuleType, port: int, tokens: Any, name: str, rate: float, seconds: float
) -> Run:
    """``rate`` requests a second for ``seconds``, on a fixed schedule, as bench/load.py does."""
    scenario = load.SCENARIOS[name]
    pool = load.Pool(port, CONNECTIONS)
    loop = asyncio.get_running_loop()
    run = Run(name, rate)
    for n in range(load.WARMUP_REQUESTS):  # the first image request builds the tiny pipeline
        await asyncio.wait_for(pool.send(scenario.build(tokens, -1 - n)), load.STARTUP_TIMEOUT_S)

    async def one(n: int, scheduled: float) -> None:
        try:
            status, body = await pool.send(scenario.build(tokens, n))
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            run.failures.append(type(exc).__name__)
            return
        run.latencies_ms.append((loop.time() - scheduled) * 1000)
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        run.bodies.append((status, parsed))
        code = parsed.get("code", "") if isinstance(parsed, dict) and status >= 400 else ""
        run.answers[(status, code)] += 1

    start = loop.time() + 0.05
    tasks = []
    for n in range(int(rate * seconds)):
        scheduled = start + n / rate
        await asyncio.sleep(max(0.0, scheduled - loop.time()))
        tasks.append(asyncio.create_task(one(n, scheduled)))
    _, pending = await asyncio.wait(tasks, timeout=ANSWER_TIMEOUT_S)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    run.failures += ["timeout"] * len(pending)
    run.span_s = loop.time() - start
    pool.close()
    return run


def _report(load: ModuleType, runs: list[Run]) -> None:
    lines = [
        f"{'scenario':<9}{'offered/s':>10}{'answered':>9}{'201':>5}{'answered/s':>11}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  answers"
    ]
    for run in runs:
        lat = run.latencies_ms
        answers = ", ".join(
            f"{s} {c}".strip() + f" x{n}" for (s, c), n in sorted(run.answers.items())
        )
        lines.append(
            f"{run.scenario:<9}{run.rate:>10g}{len(lat):>9}{run.answers[(201, '')]:>5}"
            f"{len(lat) / run.span_s:>11.1f}"
            f"{load.percentile(lat, 50):>9.1f}{load.percentile(lat, 95):>9.1f}"
            f"{load.percentile(lat, 99):>9.1f}  {answers}"
        )
    lines.append("latency: from each request's scheduled send to its answer, any status")
    print("\n" + "\n".join(lines))  # noqa: T201  (pytest -s shows the table)


def _check_answers(run: Run, allowed: dict[int, set[str]]) -> list[str]:
    """Request ids that must have an audit entry; fails on any answer the route may not give."""
    assert run.failures == [], f"{run.scenario}: unanswered {Counter(run.failures)}"
    must_be_audited = []
    for status, body in run.bodies:
        assert status in allowed, f"{run.scenario}: {status} {body}"
        assert isinstance(body, dict), f"{run.scenario}: {status} without a JSON body"
        if status == 201:
            assert {"artifact_id", "sha256", "audit_seq", "request_id"} <= set(body)
        else:
            assert body["type"] == f"urn:consentgate:problem:{body['code']}"
            assert body["status"] == status and body["code"] in allowed[status], body
        if status != 429:  # throttled callers may be tallied into one entry per interval
            must_be_audited.append(body["request_id"])
    return must_be_audited


def test_bounded_load_answers_correctly_and_is_audited(tmp_path: Path) -> None:
    load = _bench_load()
    gateway = load.start_gateway(tmp_path, {})
    try:
        tokens = load.mint_tokens(gateway.data_dir, SUBJECTS)
        runs = [
            asyncio.run(_offer(load, gateway.port, tokens, name, rate, seconds))
            for name, rate, seconds, _allowed in PLAN
        ]
    finally:
        gateway.stop()
    _report(load, runs)

    audited = []
    for run, (_name, _rate, _seconds, allowed) in zip(runs, PLAN, strict=True):
        audited += _check_answers(run, allowed)
    db = create_engine(f"sqlite:///{gateway.data_dir / 'consentgate.db'}")
    log = AuditLog.in_directory(db, gateway.data_dir / "audit")
    recorded = Counter(entry.request_id for entry in export(db, AuditFilter(action="generate")))
    assert [rid for rid in audited if recorded[rid] != 1] == []  # one entry per answer
    assert verify_log(db, log, log.checkpoint_key.public_key).ok
