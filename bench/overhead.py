"""Governance overhead per request: auth + policy + licence + C2PA + audit, beside the engine.

Runs the gateway in-process with the embedded defaults (SQLite, dev auth, tiny image engine)
in a temporary data dir, sends N image requests one after another, and prints p50/p95/p99
of each step (from the Server-Timing header), of the overhead the gateway reports
(X-Consentgate-Overhead-Ms: total time minus engine time) and of the engine itself.

    .venv/bin/python bench/overhead.py [--requests 200] [--steps 10] [--side 64]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.settings import Settings

WARMUP = 5


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def parse_server_timing(header: str) -> dict[str, float]:
    timings = {}
    for part in header.split(","):
        name, _, duration = part.strip().partition(";dur=")
        timings[name] = float(duration)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--side", type=int, default=64)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app(Settings(data_dir=Path(data_dir)))
        identity = app.state.services.dev_identity
        token = identity.mint("bench", ["employee"], ttl_s=3600)
        headers = {"Authorization": f"Bearer {token}"}
        body = {
            "prompt": "a lighthouse at dusk",
            "purpose": "internal",
            "steps": args.steps,
            "width": args.side,
            "height": args.side,
        }
        samples: dict[str, list[float]] = {}
        with TestClient(app) as client:
            for n in range(WARMUP + args.requests):
                start = time.perf_counter()
                response = client.post("/v1/images", json={**body, "seed": n}, headers=headers)
                wall_ms = (time.perf_counter() - start) * 1000
                response.raise_for_status()
                if n < WARMUP:
                    continue
                steps = parse_server_timing(response.headers["Server-Timing"])
                steps["record (includes mark)"] = steps.pop("record")
                steps["overhead (total - engine)"] = float(
                    response.headers["X-Consentgate-Overhead-Ms"]
                )
                steps["client wall time"] = wall_ms
                for name, value in steps.items():
                    samples.setdefault(name, []).append(value)
            device = app.state.services.image_engine._loader.device

    print(
        f"consentgate overhead: {args.requests} image requests, tiny profile, "
        f"{args.side}x{args.side}, {args.steps} steps, device {device}, SQLite, dev auth"
    )
    print(f"{'step':<28}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'mean ms':>10}")
    for name, values in samples.items():
        print(
            f"{name:<28}{percentile(values, 50):>10.2f}{percentile(values, 95):>10.2f}"
            f"{percentile(values, 99):>10.2f}{statistics.fmean(values):>10.2f}"
        )


if __name__ == "__main__":
    main()
