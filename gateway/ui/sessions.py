"""Workspace sessions, kept server-side: the browser holds only a random id.

The cookie carries 32 random bytes; the table holds their SHA-256, so a copy of the database
signs nobody in. A session carries the Principal its sign-in verified (subject, mapped roles,
groups, name) and its own CSRF token. It ends after ``idle_s`` without a request, ``max_s``
after sign-in, or when the ID token it came from expires, whichever is first; sign-out
deletes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import delete, or_, update
from sqlmodel import Field, Session, SQLModel, col

from gateway.auth import Principal
from gateway.ui.errors import SessionExpired, SessionMissing

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

SESSION_ID_BYTES = 32  # 256 bits: not guessable, whatever the number of live sessions
# base64url of 32 bytes is 43 characters; anything longer is junk and is not even hashed.
MAX_COOKIE_CHARS = 64
# last_seen is written at most this often per session: a page view is not a database write,
# and the idle limit is still kept to within a minute.
TOUCH_INTERVAL_S = 60
MAX_NAME_CHARS = 200  # the display name, as the audit writer keeps it


class UiSessionRow(SQLModel, table=True):
    __tablename__ = "ui_sessions"

    id_sha256: str = Field(primary_key=True)
    subject: str
    roles: str  # JSON list: the consentgate roles the sign-in's token mapped to
    groups: str  # JSON list: the raw claim values they came from
    name: str
    csrf_token: str
    created_at: str
    last_seen_at: str = Field(index=True)
    expires_at: str = Field(index=True)  # the absolute end: max_s, or the ID token's exp


@dataclass(frozen=True)
class UiSession:
    """A live session, as a page sees it."""

    id_sha256: str
    principal: Principal
    csrf_token: str
    expires_at: dt.datetime

    def seconds_left(self) -> int:
        """Until its absolute end (the cookie's Max-Age), at least 1."""
        return max(1, int((self.expires_at - _now()).total_seconds()))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _principal(row: UiSessionRow) -> Principal:
    return Principal(
        subject=row.subject,
        roles=tuple(json.loads(row.roles)),
        groups=tuple(json.loads(row.groups)),
        claims={"sub": row.subject, "name": row.name},
    )


class SessionStore:
    def __init__(self, db: Engine, idle_s: int, max_s: int) -> None:
        self._db = db
        self._idle = dt.timedelta(seconds=idle_s)
        self._max = dt.timedelta(seconds=max_s)

    def open(self, principal: Principal, token_expires_at: dt.datetime) -> tuple[str, UiSession]:
        """A new session for ``principal``: the cookie value and the session. It ends at
        ``token_expires_at`` at the latest (the ID token it was opened with)."""
        self._forget_ended()
        now = _now()
        session_id = secrets.token_urlsafe(SESSION_ID_BYTES)
        row = UiSessionRow(
            id_sha256=session_hash(session_id),
            subject=principal.subject,
            roles=json.dumps(list(principal.roles)),
            groups=json.dumps(list(principal.groups)),
            name=principal.display_name[:MAX_NAME_CHARS],
            csrf_token=secrets.token_urlsafe(SESSION_ID_BYTES),
            created_at=_iso(now),
            last_seen_at=_iso(now),
            expires_at=_iso(min(now + self._max, token_expires_at)),
        )
        with Session(self._db) as session:
            session.add(row)
            session.commit()
            session.refresh(row)
        return session_id, self._live(row)

    def find(self, session_id: str | None) -> UiSession:
        """The live session this cookie names, its last request now.

        Raises:
            SessionMissing: no cookie, or one naming no session (signed out, or never was).
            SessionExpired: idle past the limit, or past its end; the session is deleted.
        """
        if not session_id or len(session_id) > MAX_COOKIE_CHARS:
            raise SessionMissing("no workspace session: sign in")
        with Session(self._db) as session:
            row = session.get(UiSessionRow, session_hash(session_id))
        if row is None:
            raise SessionMissing("this workspace session is not known: sign in again")
        now = _now()
        last_seen = dt.datetime.fromisoformat(row.last_seen_at)
        if now >= dt.datetime.fromisoformat(row.expires_at) or now - last_seen >= self._idle:
            self.close(session_id)
            raise SessionExpired("the workspace session has ended: sign in again")
        if (now - last_seen).total_seconds() >= TOUCH_INTERVAL_S:
            self._touch(row.id_sha256, now)
        return self._live(row)

    def close(self, session_id: str) -> None:
        """Delete the session (sign-out); nothing happens for an unknown one."""
        with Session(self._db) as session:
            session.exec(  # type: ignore[call-overload]
                delete(UiSessionRow).where(col(UiSessionRow.id_sha256) == session_hash(session_id))
            )
            session.commit()

    def _touch(self, id_sha256: str, now: dt.datetime) -> None:
        with Session(self._db) as session:
            session.exec(  # type: ignore[call-overload]
                update(UiSessionRow)
                .where(col(UiSessionRow.id_sha256) == id_sha256)
                .values(last_seen_at=_iso(now))
            )
            session.commit()

    def _forget_ended(self) -> None:
        now = _now()
        with Session(self._db) as session:
            session.exec(  # type: ignore[call-overload]
                delete(UiSessionRow).where(
                    or_(
                        col(UiSessionRow.expires_at) <= _iso(now),
                        col(UiSessionRow.last_seen_at) <= _iso(now - self._idle),
                    )
                )
            )
            session.commit()

    @staticmethod
    def _live(row: UiSessionRow) -> UiSession:
        return UiSession(
            id_sha256=row.id_sha256,
            principal=_principal(row),
            csrf_token=row.csrf_token,
            expires_at=dt.datetime.fromisoformat(row.expires_at),
        )
