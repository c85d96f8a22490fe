"""The consent registry: may this voice be used for this request; review, revoke, suspend,
resume, list.

A voice's life: ``active`` once its owner's phrase was heard, else ``pending_review`` until a
compliance officer approves it (``active``, owner verified) or rejects it (``rejected``, data
shredded). An officer may suspend it (``suspended``: data kept as evidence, reversible with
``resume``, or ended: ``revoked`` and shredded). Its owner may revoke it from any state
(``revoked``: shredded at once unless a legal hold is set).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from consent.enrolment import EMBEDDING_BLOB, decode_embedding
from consent.errors import (
    ConsentExhausted,
    ConsentExpired,
    ConsentMissing,
    ConsentOutOfScope,
    ConsentPendingReview,
    ConsentRejected,
    ConsentRevoked,
    ConsentSuspended,
    ReviewNotPending,
    ReviewOwnEnrolment,
    VoiceNotFound,
    VoiceNotSuspended,
    VoiceStateConflict,
)
from consent.scope import ConsentScope, Requester, iso
from consent.tables import ConsentRow, VoiceAudioRow, VoiceRow
from consent.vault import VoiceVault

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

_log = logging.getLogger(__name__)

MAX_LISTED = 500  # voices in one listing: bounded like an audit page
TRANSITION_TRIES = 5  # compare-and-set retries of one state change (each re-reads the row)


class VoiceStatus:
    ACTIVE = "active"
    PENDING_REVIEW = "pending_review"  # the phrase was not heard: unusable until an officer decides
    REJECTED = "rejected"  # an officer rejected the enrolment; data shredded
    REVOKED = "revoked"  # ended by its owner (or an officer ending a suspension)
    SUSPENDED = "suspended"  # stopped by an officer; data kept as evidence; reversible
    ALL = frozenset({"active", "pending_review", "rejected", "revoked", "suspended"})
    ENDED = frozenset({"rejected", "revoked"})


class ReviewDecision:
    APPROVE = "approve"
    REJECT = "reject"


@dataclass(frozen=True)
class ConsentGrant:
    """Why a voice may be used now: what the audit entry and the manifest name."""

    consent_id: str
    voice_id: str
    owner: str
    owner_verified: bool = False  # phrase heard or approved: may an owner's clone be exempt


@dataclass(frozen=True)
class VoiceSummary:
    voice_id: str
    consent_id: str
    owner: str
    status: str
    created_at: str
    scope: dict[str, Any]
    uses: int
    max_uses: int | None
    legal_hold: bool
    data_destroyed: bool
    ended_at: str | None
    owner_verified: bool = False
    reviewed_by: str | None = None
    review_reason: str | None = None


class ConsentRegistry:
    def __init__(self, engine: Engine, vault: VoiceVault) -> None:
        self._engine = engine
        self._vault = vault

    # -- step 4 of the request path ---------------------------------------------------------

    def check(
        self, voice_id: str, requester: Requester, purpose: str, engine: str, now: dt.datetime
    ) -> ConsentGrant:
        """May ``requester`` use the voice for ``purpose`` with ``engine`` now?

        Raises:
            ConsentMissing, ConsentRevoked, ConsentSuspended, ConsentExpired,
            ConsentOutOfScope, ConsentExhausted.
        """
        voice, consent = self._load(voice_id)
        if voice is None or consent is None:
            raise ConsentMissing(f"no consent on record for voice {voice_id}")
        if voice.status == VoiceStatus.REVOKED:
            raise ConsentRevoked(f"the owner revoked consent for {voice_id}")
        if voice.status == VoiceStatus.SUSPENDED:
            raise ConsentSuspended(f"consent for {voice_id} is suspended")
        if voice.status == VoiceStatus.PENDING_REVIEW:
            raise ConsentPendingReview(f"the enrolment of {voice_id} awaits a compliance review")
        if voice.status == VoiceStatus.REJECTED:
            raise ConsentRejected(f"the enrolment of {voice_id} was rejected")
        if voice.status != VoiceStatus.ACTIVE:
            raise ConsentMissing(f"no usable consent for voice {voice_id}")
        scope = ConsentScope.from_json(json.loads(consent.scope))
        if now >= scope.expires_at:
            raise ConsentExpired(f"consent for {voice_id} expired at {iso(scope.expires_at)}")
        if not scope.admits(requester, voice.owner):
            raise ConsentOutOfScope(
                f"{requester.subject} is not among those who may use this voice"
            )
        if purpose not in scope.purposes:
            raise ConsentOutOfScope(f"the consent does not cover {purpose} use")
        if engine not in scope.engines:
            raise ConsentOutOfScope(f"the consent does not cover the engine {engine}")
        if consent.max_uses is not None and consent.uses >= consent.max_uses:
            raise ConsentExhausted(f"the consent's {consent.max_uses} uses are spent")
        return ConsentGrant(
            consent_id=consent.id,
            voice_id=voice_id,
            owner=voice.owner,
            owner_verified=voice.owner_verified,
        )

    def consume(self, grant: ConsentGrant) -> int:
        """Count one use, atomically against max_uses; returns the uses counted so far.

        Raises:
            ConsentExhausted: the uses are spent.
        """
        with Session(self._engine) as session:
            result = session.exec(  # type: ignore[call-overload]
                update(ConsentRow)
                .where(
                    col(ConsentRow.id) == grant.consent_id,
                    or_(
                        col(ConsentRow.max_uses).is_(None),
                        col(ConsentRow.uses) < col(ConsentRow.max_uses),
                    ),
                )
                .values(uses=ConsentRow.uses + 1)
            )
            # Read inside the same transaction: the row is still locked by the update.
            uses = session.exec(
                select(ConsentRow.uses).where(col(ConsentRow.id) == grant.consent_id)
            ).first()
            session.commit()
        if result.rowcount != 1:
            raise ConsentExhausted("the consent's uses are spent")
        return int(uses or 0)

    def speaker_embedding(self, grant: ConsentGrant) -> np.ndarray:
        """The voice's d-vector. Raises VoiceDataDestroyed after shredding."""
        voice, _ = self._load(grant.voice_id)
        return decode_embedding(
            self._vault.open(grant.voice_id, EMBEDDING_BLOB, voice.wrapped_key if voice else None)
        )

    def reference_audio(self, grant: ConsentGrant) -> list[bytes]:
        """The owner's reference recordings, decrypted in memory only."""
        voice, _ = self._load(grant.voice_id)
        wrapped = voice.wrapped_key if voice else None
        with Session(self._engine) as session:
            ids = session.exec(
                select(VoiceAudioRow.id).where(
                    VoiceAudioRow.voice_id == grant.voice_id, VoiceAudioRow.kind == "reference"
                )
            ).all()
        return [self._vault.open(grant.voice_id, blob_id, wrapped) for blob_id in ids]

    # -- owners and compliance officers ------------------------------------------------------

    def revoke(self, voice_id: str, owner: str, now: dt.datetime) -> VoiceSummary:
        """The owner ends the consent, whatever its state; the voice key is destroyed unless a
        legal hold is set (the owner's right to erasure).

        Raises VoiceNotFound for a voice that does not exist or is not the caller's.
        """

        def change(voice: VoiceRow) -> None:
            if voice.owner != owner:
                raise VoiceNotFound(f"no voice {voice_id}")
            if voice.status not in VoiceStatus.ENDED:
                voice.suspended_from = None
                self._mark_ended(voice, VoiceStatus.REVOKED, owner, "revoked by the owner", now)
            if not voice.legal_hold:
                voice.wrapped_key = None

        return self._transition(voice_id, change)

    def suspend(self, voice_id: str, by: str, reason: str, now: dt.datetime) -> VoiceSummary:
        """An officer stops all use of the voice (after a complaint): its data is kept as
        evidence and the suspension can be resumed or ended.

        Raises VoiceNotFound; VoiceStateConflict for a voice already ended.
        """

        def change(voice: VoiceRow) -> None:
            if voice.status in VoiceStatus.ENDED:
                raise VoiceStateConflict(f"voice {voice_id} has ended ({voice.status})")
            if voice.status != VoiceStatus.SUSPENDED:
                voice.suspended_from, voice.status = voice.status, VoiceStatus.SUSPENDED
                voice.ended_at, voice.ended_by, voice.end_reason = iso(now), by, reason[:500]

        return self._transition(voice_id, change)

    def resume(self, voice_id: str) -> VoiceSummary:
        """Lift a suspension: the voice returns to the state it was suspended from.

        Raises VoiceNotFound; VoiceNotSuspended.
        """

        def change(voice: VoiceRow) -> None:
            if voice.status != VoiceStatus.SUSPENDED:
                raise VoiceNotSuspended(f"voice {voice_id} is not suspended")
            voice.status = voice.suspended_from or VoiceStatus.ACTIVE
            voice.suspended_from = voice.ended_at = voice.ended_by = voice.end_reason = None

        return self._transition(voice_id, change)

    def end_suspension(self, voice_id: str, by: str, reason: str, now: dt.datetime) -> VoiceSummary:
        """An officer ends a suspended voice for good: revoked, and shredded unless on hold.

        Raises VoiceNotFound; VoiceNotSuspended.
        """

        def change(voice: VoiceRow) -> None:
            if voice.status != VoiceStatus.SUSPENDED:
                raise VoiceNotSuspended(f"voice {voice_id} is not suspended")
            voice.suspended_from = None
            self._mark_ended(voice, VoiceStatus.REVOKED, by, reason, now)
            if not voice.legal_hold:
                voice.wrapped_key = None

        return self._transition(voice_id, change)

    def review(
        self, voice_id: str, reviewer: str, decision: str, reason: str, now: dt.datetime
    ) -> VoiceSummary:
        """An officer's decision on a pending enrolment: approve (active, owner verified) or
        reject (shredded as a revocation is, unless on legal hold).

        Raises VoiceNotFound; ReviewOwnEnrolment; ReviewNotPending.
        """

        def change(voice: VoiceRow) -> None:
            if voice.owner == reviewer:
                raise ReviewOwnEnrolment("nobody reviews their own enrolment")
            if voice.status != VoiceStatus.PENDING_REVIEW:
                raise ReviewNotPending(f"voice {voice_id} is {voice.status}, not pending review")
            voice.reviewed_by, voice.reviewed_at, voice.review_reason = reviewer, iso(now), reason
            if decision == ReviewDecision.APPROVE:
                voice.status, voice.owner_verified = VoiceStatus.ACTIVE, True
            else:
                self._mark_ended(voice, VoiceStatus.REJECTED, reviewer, reason, now)
                if not voice.legal_hold:
                    voice.wrapped_key = None

        return self._transition(voice_id, change)

    def statement_audio(self, voice_id: str) -> tuple[bytes, str]:
        """The spoken statement of a pending enrolment, decrypted in memory, for its review.

        Raises VoiceNotFound; ReviewNotPending once the review is over (no audio leaves then).
        """
        voice, _ = self._load(voice_id)
        if voice is None:
            raise VoiceNotFound(f"no voice {voice_id}")
        if voice.status != VoiceStatus.PENDING_REVIEW:
            raise ReviewNotPending(f"voice {voice_id} is {voice.status}, not pending review")
        with Session(self._engine) as session:
            row = session.exec(
                select(VoiceAudioRow).where(
                    VoiceAudioRow.voice_id == voice_id, VoiceAudioRow.kind == "statement"
                )
            ).first()
        if row is None:
            raise VoiceNotFound(f"voice {voice_id} has no statement")
        return self._vault.open(voice_id, row.id, voice.wrapped_key), row.mime_type

    def set_legal_hold(self, voice_id: str, hold: bool) -> VoiceSummary:
        """Keep (or stop keeping) a voice's data; clearing the hold of an ended voice shreds it
        (a suspension keeps its evidence until it is ended)."""

        def change(voice: VoiceRow) -> None:
            voice.legal_hold = hold
            if not hold and voice.status in VoiceStatus.ENDED:
                voice.wrapped_key = None

        return self._transition(voice_id, change)

    def _transition(self, voice_id: str, change: Callable[[VoiceRow], None]) -> VoiceSummary:
        """Apply ``change`` to the voice's row only if nobody changed its state meanwhile.

        Compare-and-set on (status, legal hold): two officers deciding at once, or an owner's
        revocation racing a resumption, each act on the state they saw or not at all. The
        loser re-reads and decides again (a revocation still applies; a second review finds
        nothing pending). The vault's files go after the commit that destroyed the key.

        Raises VoiceNotFound; what ``change`` raises; VoiceStateConflict if the state kept
        changing under it.
        """
        for _ in range(TRANSITION_TRIES):
            voice, _consent = self._load(voice_id)
            if voice is None:
                raise VoiceNotFound(f"no voice {voice_id}")
            seen_status, seen_hold = voice.status, voice.legal_hold
            had_key = voice.wrapped_key is not None
            change(voice)
            values = voice.model_dump(exclude={"id"})
            with Session(self._engine) as session:
                result = session.exec(  # type: ignore[call-overload]
                    update(VoiceRow)
                    .where(
                        col(VoiceRow.id) == voice_id,
                        col(VoiceRow.status) == seen_status,
                        col(VoiceRow.legal_hold) == seen_hold,
                    )
                    .values(**values)
                )
                session.commit()
            if result.rowcount == 1:
                if had_key and voice.wrapped_key is None:
                    self._vault.erase(voice_id)
                    _log.info("destroyed the key and data of voice %s", voice_id)
                return self.summary(voice_id)
        raise VoiceStateConflict(f"voice {voice_id} kept changing; try again")

    @staticmethod
    def _mark_ended(voice: VoiceRow, status: str, by: str, reason: str, now: dt.datetime) -> None:
        voice.status, voice.ended_at, voice.ended_by = status, iso(now), by
        voice.end_reason = reason[:500]

    def summary(self, voice_id: str) -> VoiceSummary:
        voice, consent = self._load(voice_id)
        if voice is None or consent is None:
            raise VoiceNotFound(f"no voice {voice_id}")
        return _summary(voice, consent)

    def voices_of(self, owner: str) -> list[VoiceSummary]:
        return self.voices(owner=owner)

    def voices(
        self, owner: str | None = None, status: str | None = None, limit: int = MAX_LISTED
    ) -> list[VoiceSummary]:
        """Voices, newest first: one owner's (``owner``) or everyone's (for officers), in one
        state or all."""
        query = (
            select(VoiceRow, ConsentRow)
            .join(ConsentRow, col(ConsentRow.voice_id) == col(VoiceRow.id))
            .order_by(col(VoiceRow.created_at).desc())
            .limit(limit)
        )
        if owner is not None:
            query = query.where(VoiceRow.owner == owner)
        if status is not None:
            query = query.where(VoiceRow.status == status)
        with Session(self._engine) as session:
            rows = session.exec(query).all()
        return [_summary(voice, consent) for voice, consent in rows]

    def document(self, voice_id: str, caller: str, may_read_any: bool) -> dict[str, Any]:
        """The signed consent record, for its owner (or a role that may read any).

        Raises VoiceNotFound otherwise.
        """
        voice, consent = self._load(voice_id)
        if voice is None or consent is None or not (voice.owner == caller or may_read_any):
            raise VoiceNotFound(f"no voice {voice_id}")
        return json.loads(consent.document)

    def owner_of(self, voice_id: str) -> str | None:
        voice, _ = self._load(voice_id)
        return voice.owner if voice else None

    def _load(self, voice_id: str) -> tuple[VoiceRow | None, ConsentRow | None]:
        with Session(self._engine) as session:
            voice = session.get(VoiceRow, voice_id)
            consent = session.exec(
                select(ConsentRow).where(ConsentRow.voice_id == voice_id)
            ).first()
        return voice, consent


def _summary(voice: VoiceRow, consent: ConsentRow) -> VoiceSummary:
    return VoiceSummary(
        voice_id=voice.id,
        consent_id=consent.id,
        owner=voice.owner,
        status=voice.status,
        created_at=voice.created_at,
        scope=json.loads(consent.scope),
        uses=consent.uses,
        max_uses=consent.max_uses,
        legal_hold=voice.legal_hold,
        data_destroyed=voice.wrapped_key is None,
        ended_at=voice.ended_at,
        owner_verified=voice.owner_verified,
        reviewed_by=voice.reviewed_by,
        review_reason=voice.review_reason,
    )
