"""Enrolment challenges: a statement to read aloud, single use, short-lived, bound to its caller."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlmodel import Session, col
from ulid import ULID

from consent.errors import ChallengeExpired, ChallengeNotFound, ChallengeUsed
from consent.scope import ConsentScope, iso, parse_iso
from consent.tables import ChallengeRow

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

CHALLENGE_TTL = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Challenge:
    id: str
    subject: str
    subject_name: str
    language: str
    scope: ConsentScope
    statement: str
    phrase: str
    template_version: str
    expires_at: dt.datetime


def _to_challenge(row: ChallengeRow) -> Challenge:
    return Challenge(
        id=row.id,
        subject=row.subject,
        subject_name=row.subject_name,
        language=row.language,
        scope=ConsentScope.from_json(json.loads(row.scope)),
        statement=row.statement,
        phrase=row.phrase,
        template_version=row.template_version,
        expires_at=parse_iso(row.expires_at),
    )


class ChallengeBook:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def issue(
        self,
        subject: str,
        subject_name: str,
        scope: ConsentScope,
        statement: str,
        phrase: str,
        language: str,
        template_version: str,
        now: dt.datetime,
    ) -> Challenge:
        """Store a new challenge. Raises ScopeInvalid for a scope that cannot be granted."""
        scope.validate(now)
        row = ChallengeRow(
            id=str(ULID()),
            subject=subject,
            subject_name=subject_name,
            language=language,
            scope=json.dumps(scope.to_json()),
            statement=statement,
            phrase=phrase,
            template_version=template_version,
            created_at=iso(now),
            expires_at=iso(now + CHALLENGE_TTL),
        )
        with Session(self._engine) as session:
            session.add(row)
            session.commit()
            session.refresh(row)
        return _to_challenge(row)

    def redeem(self, challenge_id: str, subject: str, now: dt.datetime) -> Challenge:
        """Use a challenge up: it is spent by this call whatever happens next.

        Raises:
            ChallengeNotFound: unknown, or issued to someone else (indistinguishable).
            ChallengeUsed: already redeemed.
            ChallengeExpired: older than CHALLENGE_TTL.
        """
        with Session(self._engine) as session:
            row = session.get(ChallengeRow, challenge_id)
            if row is None or row.subject != subject:
                raise ChallengeNotFound(f"no challenge {challenge_id} for this caller")
            challenge = _to_challenge(row)
            # The conditional update makes redemption single-use even under concurrency.
            spent = session.exec(  # type: ignore[call-overload]
                update(ChallengeRow)
                .where(col(ChallengeRow.id) == challenge_id, col(ChallengeRow.used_at).is_(None))
                .values(used_at=iso(now))
            )
            session.commit()
        if spent.rowcount != 1:
            raise ChallengeUsed("this challenge was already used; ask for a new one")
        if now >= challenge.expires_at:
            raise ChallengeExpired("the challenge expired; ask for a new one")
        return challenge
