"""The long API fuzz: every operation in the OpenAPI schema, as every kind of caller.

Runs tests/integration/test_api_fuzz.py (the gateway in-process, real tokens from a local test
IdP, nothing leaves the machine) with N examples per operation and caller instead of CI's few,
with the tiny profile's own admission ceilings (heavy generation bodies really run, or become
jobs) and the rate limits lifted. The same checks hold every answer: no 5xx but the documented
capacity ones, problem+json with a code for every refusal, schema conformance, an audit entry
for every answer (or the refusal tally's exact count), and a chain that verifies afterwards.

Prints what each caller got and which operations failed; the exit status is pytest's.

    .venv/bin/python bench/fuzz_api.py --examples 200 [--callers employee,anonymous] [--seed 7]

Without --seed the examples are CI's (derandomized), only more of them; a seed draws others.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST = ROOT / "tests" / "integration" / "test_api_fuzz.py"
CALLERS = (
    "employee",
    "voice_user",
    "compliance_officer",
    "admin",
    "service",
    "anonymous",
    "garbage",
)


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    line = "  ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths))
    out = [line.format(*header), line.format(*("-" * w for w in widths))]
    out += [line.format(*row) for row in rows]
    return "\n".join(out)


def _report(path: Path) -> tuple[str, int]:
    runs = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    by_caller = []
    by_operation: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    failures = 0
    for run in runs:
        classes: collections.Counter[str] = collections.Counter()
        codes = set()
        for op, status, code, n in run["answers"]:
            classes[f"{status // 100}xx"] += n
            by_operation[op][str(status)] += n
            if code != "-":
                codes.add(code)
        failures += len(run["failures"])
        by_caller.append(
            [
                run["caller"],
                str(sum(classes.values())),
                str(classes["2xx"]),
                str(classes["4xx"]),
                str(classes["5xx"]),
                str(len(codes)),
                str(sum(run["anonymous"].values())),
                ", ".join(sorted(run["failures"])) or "-",
            ]
        )
    header = ["caller", "requests", "2xx", "4xx", "5xx", "codes", "no token", "failed operations"]
    ops = [
        [op, str(sum(statuses.values())), " ".join(f"{s}:{n}" for s, n in sorted(statuses.items()))]
        for op, statuses in sorted(by_operation.items())
    ]
    text = _table(by_caller, header) + "\n\n" + _table(ops, ["operation", "requests", "statuses"])
    return text, failures


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=100, help="per operation and caller")
    parser.add_argument("--callers", default=",".join(CALLERS), help="comma-separated")
    parser.add_argument("--seed", type=int, default=None, help="draw other examples than CI's")
    args = parser.parse_args()
    callers = [c for c in args.callers.split(",") if c]
    unknown = set(callers) - set(CALLERS)
    if unknown or args.examples < 1:
        parser.error(f"--examples must be at least 1; callers are {', '.join(CALLERS)}")

    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "fuzz.jsonl"
        os.environ["CONSENTGATE_FUZZ_EXAMPLES"] = str(args.examples)
        os.environ["CONSENTGATE_FUZZ_FULL"] = "1"
        os.environ["CONSENTGATE_FUZZ_REPORT"] = str(report)
        if args.seed is not None:
            os.environ["CONSENTGATE_FUZZ_SEED"] = str(args.seed)
        selection = " or ".join(f"test_api_fuzz[{caller}]" for caller in callers)
        start = time.perf_counter()
        status = pytest.main(
            [str(TEST), "-q", "-p", "no:cacheprovider", "--rootdir", str(ROOT), "-k", selection]
        )
        elapsed = time.perf_counter() - start
        text, failures = _report(report) if report.exists() else ("no run finished", 0)

    seed = "derandomized" if args.seed is None else f"seed {args.seed}"
    print(
        f"\nconsentgate API fuzz: {args.examples} examples per operation and caller ({seed}), "
        f"tiny profile's ceilings, {elapsed:.0f} s\n"
    )
    print(text)
    print(f"\n{failures} failed operation(s); pytest exit status {int(status)}")
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
