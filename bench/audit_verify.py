"""Audit verify throughput on a long SQLite log, and how fast `consentgate audit verify` starts.

    .venv/bin/python bench/audit_verify.py                  # 10^6 entries under $TMPDIR
    .venv/bin/python bench/audit_verify.py --entries 100000 --dir /tmp/audit-small

The log is built once with the bulk writer (``audit.bulk``: realistic allow/deny/error entries,
prompts kept beside most generations, a signed checkpoint every 100 entries), laid out as the
gateway's data dir, and reused while it holds the entries asked for. Each verify is timed
``--repeat`` times and the best run is shown: the machine may be shared, and the best run is
the one least disturbed by others. Point the CLI at the same log with
``CONSENTGATE_DATA_DIR=<dir> consentgate audit verify``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from audit import AuditLog, verify_log
from audit.bulk import synthetic_records, write_log
from gateway.db import make_engine

CHECKPOINT_EVERY = 100  # the gateway's default
CONSENTGATE = [str(Path(sys.executable).with_name("consentgate"))]  # the installed command


def _open(data_dir: Path) -> AuditLog:
    data_dir.mkdir(parents=True, exist_ok=True)
    db = make_engine(f"sqlite:///{data_dir / 'consentgate.db'}")
    return AuditLog.in_directory(db, data_dir / "audit", CHECKPOINT_EVERY)


def _build(log: AuditLog, entries: int) -> float | None:
    """Bring the log up to ``entries``; the seconds it took, or None if it was there already."""
    have = log.head()[0]
    if have >= entries:
        return None
    started = time.perf_counter()
    write_log(log, synthetic_records(entries - have, seed=have))
    return time.perf_counter() - started


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the verify workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _time_verify(log: AuditLog, processes: int, repeat: int) -> tuple[int, float, float]:
    """Entries, and wall and CPU seconds of the fastest of ``repeat`` runs."""
    best = (float("inf"), 0.0)
    entries = 0
    for _ in range(repeat):
        started, cpu = time.perf_counter(), _cpu_seconds()
        report = verify_log(log._engine, log, log.checkpoint_key.public_key, processes=processes)
        best = min(best, (time.perf_counter() - started, _cpu_seconds() - cpu))
        if not report.ok:
            raise SystemExit(f"the benchmark log does not verify: {report.first_problem()}")
        entries = report.entries
    return entries, *best


def _time_command(args: list[str], data_dir: Path, repeat: int) -> tuple[float, float]:
    """Wall and CPU seconds of the fastest of ``repeat`` runs of a command."""
    env = {**os.environ, "CONSENTGATE_DATA_DIR": str(data_dir)}
    best = (float("inf"), 0.0)
    for _ in range(repeat):
        started, cpu = time.perf_counter(), _cpu_seconds()
        subprocess.run(args, env=env, check=True, capture_output=True)
        best = min(best, (time.perf_counter() - started, _cpu_seconds() - cpu))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument(
        "--dir", type=Path, default=Path(tempfile.gettempdir()) / "consentgate-bench-audit"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best shown)")
    args = parser.parse_args()

    log = _open(args.dir)
    built = _build(log, args.entries)
    if built is not None:
        print(f"built the log: {args.entries:,} entries in {built:.1f} s under {args.dir}")

    rows = []
    for processes in (1, 2):
        entries, seconds, cpu = _time_verify(log, processes, args.repeat)
        plural = "es" if processes > 1 else ""
        rows.append((f"verify_log, {processes} process{plural}", entries, seconds, cpu))
    cli = _time_command([*CONSENTGATE, "audit", "verify"], args.dir, args.repeat)
    rows.append(("consentgate audit verify (whole command)", rows[0][1], *cli))

    with tempfile.TemporaryDirectory() as empty:
        help_s = _time_command([*CONSENTGATE, "audit", "verify", "--help"], Path(empty), 3)[0]
        start_s = _time_command([*CONSENTGATE, "audit", "verify"], Path(empty) / "data", 3)[0]

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{os.cpu_count()} CPUs, load average {load}; best of {args.repeat}.")
    print("CPU s: all processes' CPU time; entries/CPU-s is what one uncontended core does.\n")
    header = f"{'what':<42}{'entries':>11}{'seconds':>9}{'entries/s':>11}"
    print(f"{header}{'CPU s':>8}{'entries/CPU-s':>15}")
    for what, entries, seconds, cpu in rows:
        line = f"{what:<42}{entries:>11,}{seconds:>9.2f}{entries / seconds:>11,.0f}"
        print(f"{line}{cpu:>8.2f}{entries / cpu:>15,.0f}")
    print(f"\n{'CLI start':<42}{'seconds':>9}")
    print(f"{'consentgate audit verify --help':<42}{help_s:>9.2f}")
    print(f"{'consentgate audit verify, empty data dir':<42}{start_s:>9.2f}")


if __name__ == "__main__":
    main()
