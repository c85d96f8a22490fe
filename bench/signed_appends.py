"""Signed appends per second: the C2PA manifest signed inside the audit append, or before it.

    .venv/bin/python bench/signed_appends.py [--appends 200] [--side 64]

Today the manifest names its own audit seq, so ``gateway/pipeline.py`` signs it inside
``AuditLog.append_built``'s build callback: the signing runs while this process holds the log,
one manifest after another, whichever thread asked. For comparison the same work is timed with
the signing done first, in the caller's thread (the manifest then cannot name the seq), and the
entry appended after it; and signing alone, without the log. Everything is real: the
``watermark.ManifestSigner`` with dev credentials, a PNG like the tiny profile's, SQLite in a
temporary data dir, group commit as the gateway runs it. Commits are counted, not timed. Each
row is the best of ``--repeat`` runs: the machine may be shared.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from sqlalchemy import event

from audit import AuditLog, AuditRecord, Decision
from gateway.db import make_engine
from watermark import GenerationManifest, ManifestSigner, SignedAsset, ensure_dev_credentials

THREADS = (1, 4)
WARMUP = 3  # the first signatures load the c2pa library's state


def _png(side: int) -> bytes:
    rng = random.Random(0)
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _sign(signer: ManifestSigner, png: bytes, request_id: str, seq: int) -> SignedAsset:
    manifest = GenerationManifest(
        title=f"{request_id}.png",
        engine="image",
        model_id="tiny/sd-tiny",
        request_id=request_id,
        audit_seq=seq,
        purpose="internal",
        licence="cc-by-4.0",
        software_version="bench",
        extra={"artifact_id": request_id},
    )
    return signer.sign(png, "image/png", manifest)


def _record(request_id: str, asset: SignedAsset) -> AuditRecord:
    return AuditRecord(
        request_id=request_id,
        action="generate",
        decision=Decision.ALLOW,
        code="ok",
        reason="employee may generate image; cc-by-4.0 allows internal",
        subject="bench@example.org",
        roles=("employee",),
        engine="image",
        model="tiny/sd-tiny",
        purpose="internal",
        output_sha256=hashlib.sha256(asset.data).hexdigest(),
        manifest_label=asset.manifest_label,
        details={"artifact_id": request_id},
    )


def _inside(log: AuditLog, signer: ManifestSigner, png: bytes) -> Callable[[str], None]:
    """Today's design: the manifest names the seq, so it is signed under the log."""

    def one(request_id: str) -> None:
        log.append_built(lambda seq: _record(request_id, _sign(signer, png, request_id, seq)))

    return one


def _before(log: AuditLog, signer: ManifestSigner, png: bytes) -> Callable[[str], None]:
    """Signed first, in the caller's thread (no seq in the manifest), then appended."""

    def one(request_id: str) -> None:
        log.append(_record(request_id, _sign(signer, png, request_id, 0)))

    return one


def _append_only(log: AuditLog, _signer: ManifestSigner, png: bytes) -> Callable[[str], None]:
    """The log's own ceiling: appends of a record signed once, up front."""
    asset = SignedAsset(data=png, manifest_label="urn:c2pa:bench")

    def one(request_id: str) -> None:
        log.append(_record(request_id, asset))

    return one


def _sign_only(_log: AuditLog, signer: ManifestSigner, png: bytes) -> Callable[[str], None]:
    """The ceiling: signing alone, no log."""

    def one(request_id: str) -> None:
        _sign(signer, png, request_id, 0)

    return one


def _run(work: Callable[[str], None], threads: int, total: int) -> float:
    """Seconds for ``threads`` threads to do ``total`` calls of ``work`` between them."""
    start = threading.Barrier(threads + 1)
    per_thread = total // threads

    def loop(t: int) -> None:
        start.wait()
        for i in range(per_thread):
            work(f"req-{t}-{i}-{os.urandom(4).hex()}")

    workers = [threading.Thread(target=loop, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    start.wait()
    began = time.perf_counter()
    for worker in workers:
        worker.join()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appends", type=int, default=200, help="per measurement")
    parser.add_argument("--side", type=int, default=64, help="PNG side in pixels")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best shown)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        data = Path(directory)
        db = make_engine(f"sqlite:///{data / 'consentgate.db'}")
        log = AuditLog.in_directory(db, data / "audit")
        signer = ManifestSigner(ensure_dev_credentials(data / "c2pa", "Bench Org"))
        png = _png(args.side)
        commits: list[int] = []
        event.listen(db, "commit", lambda _conn: commits.append(1))
        for i in range(WARMUP):
            _before(log, signer, png)(f"warmup-{i}")

        designs = [
            ("signed inside append_built (today)", _inside),
            ("signed before append", _before),
            ("appending only, no signing", _append_only),
            ("signing only, no log", _sign_only),
        ]
        rows = []
        for name, design in designs:
            for threads in THREADS:
                total = args.appends - args.appends % threads
                best = (float("inf"), 0)
                for _ in range(args.repeat):
                    commits.clear()
                    best = min(best, (_run(design(log, signer, png), threads, total), len(commits)))
                rows.append((name, threads, total, *best))

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} CPUs, load average {load}; {args.side}x{args.side} PNG; ", end="")
    print(f"best of {args.repeat}; commits include checkpoints (every 100 entries)\n")
    print(f"{'design':<38}{'threads':>8}{'calls':>7}{'seconds':>9}{'per s':>8}{'commits':>9}")
    for name, threads, total, seconds, count in rows:
        print(f"{name:<38}{threads:>8}{total:>7}{seconds:>9.2f}{total / seconds:>8.1f}{count:>9}")


if __name__ == "__main__":
    main()
