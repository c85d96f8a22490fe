"""The consent registry: may this voice be used for this request; revoke, suspend, list."""

from __future__ import annotations

import datetime as dt
import json
import logging
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
    ConsentRevoked,
    ConsentSuspended,
    VoiceNotFound,
)
from consent.scope import ConsentScope, Requester, iso
from consent.tables import ConsentRow, VoiceAudioRow, VoiceRow
from consent.vault import VoiceVault

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

_log = logging.getLogger(__name__)


class VoiceStatus:
    ACTIVE = "active"
    REVOKED = "revoked"
    SUSPENDED = "suspended"


@dataclass(frozen=True)
class ConsentGrant:
    """Why a voice may be used now: what the audit entry and the manifest name."""

    consent_id: str
    voice_id: str
    owner: str


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
        return ConsentGrant(consent_id=consent.id, voice_id=voice_id, owner=voice.owner)

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
        """The owner ends the consent; the voice key is destroyed unless a legal hold is set.

        Raises VoiceNotFound for a voice that does not exist or is not the caller's.
        """
        return self._end(voice_id, VoiceStatus.REVOKED, owner, "revoked by the owner", now, owner)

    def suspend(self, voice_id: str, by: str, reason: str, now: dt.datetime) -> VoiceSummary:
        """A compliance officer ends use of the voice (same effect as a revocation)."""
        return self._end(voice_id, VoiceStatus.SUSPENDED, by, reason, now, None)

    def set_legal_hold(self, voice_id: str, hold: bool) -> VoiceSummary:
        """Keep (or stop keeping) an ended voice's data; clearing the hold shreds it."""
        with Session(self._engine) as session:
            voice = session.get(VoiceRow, voice_id)
            if voice is None:
                raise VoiceNotFound(f"no voice {voice_id}")
            voice.legal_hold = hold
            if not hold and voice.status != VoiceStatus.ACTIVE:
                self._shred(voice)
            session.add(voice)
            session.commit()
        return self.summary(voice_id)

    def _end(
        self,
        voice_id: str,
        status: str,
        by: str,
        reason: str,
        now: dt.datetime,
        owner: str | None,
    ) -> VoiceSummary:
        with Session(self._engine) as session:
            voice = session.get(VoiceRow, voice_id)
            if voice is None or (owner is not None and voice.owner != owner):
                raise VoiceNotFound(f"no voice {voice_id}")
            if voice.status == VoiceStatus.ACTIVE:
                voice.status, voice.ended_at, voice.ended_by = status, iso(now), by
                voice.end_reason = reason[:500]
            if not voice.legal_hold:
                self._shred(voice)
            session.add(voice)
            session.commit()
        return self.summary(voice_id)

    def _shred(self, voice: VoiceRow) -> None:
        voice.wrapped_key = None
        self._vault.erase(voice.id)
        _log.info("destroyed the key and data of voice %s", voice.id)

    def summary(self, voice_id: str) -> VoiceSummary:
        voice, consent = self._load(voice_id)
        if voice is None or consent is None:
            raise VoiceNotFound(f"no voice {voice_id}")
        return _summary(voice, consent)

    def voices_of(self, owner: str) -> list[VoiceSummary]:
        with Session(self._engine) as session:
            rows = session.exec(
                select(VoiceRow, ConsentRow)
                .join(ConsentRow, col(ConsentRow.voice_id) == col(VoiceRow.id))
                .where(VoiceRow.owner == owner)
                .order_by(col(VoiceRow.created_at).desc())
            ).all()
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
    )
