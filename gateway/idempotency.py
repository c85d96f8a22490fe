"""``Idempotency-Key`` for generation requests: a retry returns the first result.

A client that lost the answer to a generation (a timeout, a dropped connection) retries with
the same key and body and gets the first answer back: the same artifact or job, and no second
consent use. A key is the caller's own (scoped by subject), is kept for ``KEY_TTL_S``, and
names one request: the same key with another body is refused (``idempotency_key_reused``);
while the first request still runs, a retry is told so (``idempotency_in_progress``). A
request that was refused or failed releases its key, so a corrected retry runs again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col

from gateway.errors import GatewayError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

KEY_TTL_S = 24 * 3600  # as long as a client could reasonably retry
MAX_KEY_CHARS = 200  # UUIDs and ULIDs fit many times over; bounds the row


class IdempotencyRow(SQLModel, table=True):
    __tablename__ = "idempotency_keys"

    subject: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    kind: str
    body_sha256: str
    status_code: int | None = None  # None while the first request runs
    response: str | None = None  # JSON of the first answer
    created_at: str = Field(index=True)


class IdempotencyConflict(GatewayError):
    status = 409


class IdempotencyKeyInvalid(GatewayError):
    status = 422


@dataclass(frozen=True)
class Replay:
    status_code: int
    body: dict[str, Any]


def body_digest(kind: str, body_json: str) -> str:
    return hashlib.sha256(f"{kind}\n{body_json}".encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class IdempotencyKeys:
    def __init__(self, db: Engine) -> None:
        self._db = db

    def claim(self, subject: str, key: str, kind: str, digest: str) -> Replay | None:
        """Claim ``key`` for this request; the first answer if it was already given.

        Raises:
            IdempotencyKeyInvalid: the key is empty, too long or not printable ASCII.
            IdempotencyConflict: the key names another request (``idempotency_key_reused``),
                or its first request is still running (``idempotency_in_progress``).
        """
        if not (0 < len(key) <= MAX_KEY_CHARS and key.isascii() and key.isprintable()):
            raise IdempotencyKeyInvalid(
                "idempotency_key_invalid",
                f"an Idempotency-Key is 1 to {MAX_KEY_CHARS} printable ASCII characters",
            )
        self._forget_expired()
        row = IdempotencyRow(
            subject=subject, key=key, kind=kind, body_sha256=digest, created_at=_now().isoformat()
        )
        try:
            with Session(self._db) as session:
                session.add(row)
                session.commit()
            return None
        except IntegrityError:
            pass  # claimed before: by the first request, or by a retry of it
        with Session(self._db) as session:
            first = session.get(IdempotencyRow, (subject, key))
        if first is None:  # released meanwhile: this request may run as the first
            return self.claim(subject, key, kind, digest)
        if (first.kind, first.body_sha256) != (kind, digest):
            raise IdempotencyConflict(
                "idempotency_key_reused", "this Idempotency-Key was used for another request"
            )
        if first.status_code is None or first.response is None:
            raise IdempotencyConflict(
                "idempotency_in_progress", "the first request with this key is still running"
            )
        return Replay(first.status_code, json.loads(first.response))

    def complete(self, subject: str, key: str, status_code: int, body: dict[str, Any]) -> None:
        """Keep the first answer for retries."""
        with Session(self._db) as session:
            row = session.get(IdempotencyRow, (subject, key))
            if row is not None:
                row.status_code, row.response = status_code, json.dumps(body)
                session.add(row)
                session.commit()

    def release(self, subject: str, key: str) -> None:
        """Forget a key whose request was refused or failed, so a retry runs again."""
        with Session(self._db) as session:
            session.exec(  # type: ignore[call-overload]
                delete(IdempotencyRow).where(
                    col(IdempotencyRow.subject) == subject, col(IdempotencyRow.key) == key
                )
            )
            session.commit()

    def _forget_expired(self) -> None:
        cutoff = (_now() - dt.timedelta(seconds=KEY_TTL_S)).isoformat()
        with Session(self._db) as session:
            session.exec(  # type: ignore[call-overload]
                delete(IdempotencyRow).where(col(IdempotencyRow.created_at) < cutoff)
            )
            session.commit()
