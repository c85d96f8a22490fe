"""``/readyz``: may this gateway be sent traffic? (``/healthz`` says only that it is alive.)

Each check does, in small, what a request will need: the database answers with this gateway's
schema, the C2PA signer signs a 1×1 image that reads back trusted, the audit checkpoint key
signs and its file can be written, and the generation lanes answer with a slot that is not
stuck. A check runs on its own thread with a deadline, so a locked or unreachable database
makes the probe answer 503 in time instead of hanging the load balancer; a check still
running from an earlier probe is not started again (probes cannot pile up threads).
"""

from __future__ import annotations

import io
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING

from PIL import Image
from pydantic import BaseModel

from gateway import __version__
from gateway.schema import schema_state
from watermark import GenerationManifest

if TYPE_CHECKING:
    from gateway.executor import GenerationExecutor
    from gateway.services import Services

_log = logging.getLogger(__name__)

CHECK_DEADLINE_S = 2.0  # well inside a load balancer's probe timeout (commonly 5 s)
_NONCE = b"consentgate readiness"


class CheckPublic(BaseModel):
    ok: bool
    detail: str | None = None  # why not, in words; never a driver's message (it may hold SQL)


class ReadinessPublic(BaseModel):
    status: str  # "ready" or "not_ready"
    checks: dict[str, CheckPublic]


class NotReady(Exception):
    """A check's own finding, said to the prober as it is."""


def _probe_image() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1, 1)).save(buffer, "PNG")
    return buffer.getvalue()


class Readiness:
    def __init__(self, services: Services, executor: GenerationExecutor) -> None:
        self._s = services
        self._executor = executor
        self._checks: dict[str, Callable[[], None]] = {
            "database": self._database,
            "signer": self._signer,
            "audit_checkpoint": self._audit_checkpoint,
            "engines": self._engines,
        }
        self._pool = ThreadPoolExecutor(len(self._checks), thread_name_prefix="readyz")
        self._running: dict[str, Future[None]] = {}
        self._lock = threading.Lock()
        self._image = _probe_image()

    def check(self) -> ReadinessPublic:
        """Run every check (each within ``CHECK_DEADLINE_S``); never raises."""
        futures = {name: self._start(name) for name in self._checks}
        wait(futures.values(), timeout=CHECK_DEADLINE_S)
        results = {name: _outcome(name, future) for name, future in futures.items()}
        ready = all(result.ok for result in results.values())
        return ReadinessPublic(status="ready" if ready else "not_ready", checks=results)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _start(self, name: str) -> Future[None]:
        with self._lock:
            running = self._running.get(name)
            if running is None or running.done():
                try:
                    running = self._pool.submit(self._checks[name])
                except RuntimeError as exc:  # shutting down: the pool takes no more work
                    running = Future()
                    running.set_exception(NotReady(f"shutting down ({exc})"))
                self._running[name] = running
            return running

    def _database(self) -> None:
        state = schema_state(self._s.db)
        if not state.at_head:
            raise NotReady(f"schema at {state.current or 'none'}, this gateway needs {state.head}")
        self._database_takes_writes()

    def _database_takes_writes(self) -> None:
        """Take the write lock and let it go: a SQLite file another process holds exclusively
        still answers reads (WAL), while every audit append would wait and then fail (found by
        the attack: ready, and a generation refused after 63 s). PostgreSQL: the audit chain's
        advisory lock, as an append takes it."""
        with self._s.db.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                conn.exec_driver_sql("ROLLBACK")
            else:
                with conn.begin():
                    conn.exec_driver_sql("LOCK TABLE audit_entries IN ROW EXCLUSIVE MODE NOWAIT")

    def _signer(self) -> None:
        manifest = GenerationManifest(
            title="readiness.png",
            engine="readiness",
            model_id="none",
            request_id="readiness",
            audit_seq=0,
            purpose="internal",
            licence="none",
            software_version=__version__,
        )
        self._s.signer.sign(self._image, "image/png", manifest)  # raises unless it reads back

    def _audit_checkpoint(self) -> None:
        key = self._s.audit.checkpoint_key
        key.public_key.verify(key.sign_bytes(_NONCE), _NONCE)
        path = self._s.audit.checkpoint_file.path
        if not os.access(path if path.exists() else path.parent, os.W_OK):
            raise NotReady("the checkpoint file cannot be written")

    def _engines(self) -> None:
        for kind, lane in self._executor.status().items():
            if lane["slots"] and lane["stuck"] >= lane["slots"]:
                raise NotReady(f"every {kind} slot is stuck past its time limit")


def _outcome(name: str, future: Future[None]) -> CheckPublic:
    if not future.done():
        return CheckPublic(ok=False, detail=f"no answer within {CHECK_DEADLINE_S:g} s")
    error = future.exception()
    if error is None:
        return CheckPublic(ok=True)
    if isinstance(error, NotReady):
        return CheckPublic(ok=False, detail=str(error))
    _log.warning("readiness check %s failed", name, exc_info=error)
    return CheckPublic(ok=False, detail=f"failed ({type(error).__name__})")
