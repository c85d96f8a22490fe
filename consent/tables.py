"""Database tables owned by the consent package."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class ChallengeRow(SQLModel, table=True):
    __tablename__ = "consent_challenges"

    id: str = Field(primary_key=True)
    subject: str = Field(index=True)
    subject_name: str
    language: str
    scope: str  # JSON
    statement: str
    phrase: str
    template_version: str
    created_at: str
    expires_at: str
    used_at: str | None = None


class VoiceRow(SQLModel, table=True):
    __tablename__ = "voices"

    id: str = Field(primary_key=True)
    owner: str = Field(index=True)
    status: str  # active | pending_review | rejected | revoked | suspended
    wrapped_key: bytes | None  # None once shredded
    legal_hold: bool = False
    created_at: str
    ended_at: str | None = None
    ended_by: str | None = None
    end_reason: str | None = None
    # The owner is verified: the statement's phrase was heard, or an officer approved it.
    owner_verified: bool = False
    reviewed_by: str | None = None
    reviewed_at: str | None = None
    review_reason: str | None = None
    suspended_from: str | None = None  # the state a resumed suspension returns to


class ConsentRow(SQLModel, table=True):
    __tablename__ = "consents"

    id: str = Field(primary_key=True)
    voice_id: str = Field(index=True, foreign_key="voices.id")
    document: str  # the signed consent record, JSON
    scope: str  # JSON, as in the record (kept apart for checks)
    expires_at: str
    max_uses: int | None = None
    uses: int = 0


class VoiceAudioRow(SQLModel, table=True):
    """One stored recording: its hash and fingerprint (kept after shredding, to refuse re-use
    and copies) and blob id."""

    __tablename__ = "voice_audio"

    id: str = Field(primary_key=True)
    voice_id: str = Field(index=True, foreign_key="voices.id")
    kind: str  # reference | statement
    sha256: str = Field(unique=True)
    mime_type: str
    seconds: float
    # consent.fingerprint.Fingerprint.to_bytes(): kept after shredding to refuse copies of the
    # recording (it is not the audio); None for recordings enrolled before it existed.
    fingerprint: bytes | None = None
