"""Database tables owned by the audit package. Rows are only ever inserted."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, Text
from sqlmodel import Field, SQLModel

# Every filter of the search is an index led by its column and ending in seq, so "the newest
# entries matching X" walks one index backwards and stops at a page, on SQLite and PostgreSQL.
SEARCH_COLUMNS = (
    "request_id",
    "subject",
    "action",
    "engine",
    "model",
    "purpose",
    "decision",
    "code",
    "output_sha256",
    "artifact_id",
    "voice_id",
    "consent_id",
    "job_id",
)
LINK_COLUMNS = ("artifact_id", "voice_id", "consent_id", "job_id")

# An audit seq: 64-bit (PostgreSQL's integer would end at 2**31 - 1); plain INTEGER on SQLite,
# where it is 64-bit already and ``audit_entries.seq`` stays the rowid.
SEQ_TYPE = BigInteger().with_variant(Integer(), "sqlite")
"""Ids an entry's ``details`` may hold, copied to their own columns to be searched."""


class AuditEntryRow(SQLModel, table=True):
    __tablename__ = "audit_entries"
    __table_args__ = tuple(Index(f"ix_audit_{name}_seq", name, "seq") for name in SEARCH_COLUMNS)

    seq: int = Field(primary_key=True, sa_type=SEQ_TYPE, sa_column_kwargs={"autoincrement": False})
    time: str = Field(index=True)
    request_id: str
    subject: str | None = None
    roles: str  # JSON list
    action: str
    engine: str | None = None
    model: str | None = None
    purpose: str | None = None
    decision: str
    code: str
    reason: str
    prompt_hash: str | None = None
    output_sha256: str | None = None
    manifest_label: str | None = None
    policy_rule: str | None = None  # JSON list: the casbin rule that matched
    details: str  # JSON object: ids that later capabilities add (artifact, voice, consent…)
    prev_hash: str = Field(unique=True)
    hash: str = Field(unique=True)
    # Not hashed: copies of ids in ``details``, kept beside the entry to be searched.
    artifact_id: str | None = None
    voice_id: str | None = None
    consent_id: str | None = None
    job_id: str | None = None


class AuditRoleRow(SQLModel, table=True):
    """One row per role of an entry's caller (``roles`` is a JSON list): the role filter."""

    __tablename__ = "audit_entry_roles"

    role: str = Field(primary_key=True)
    # A derived copy: it goes with its entry (only tampering deletes one; verify finds that).
    seq: int = Field(
        sa_column=Column(
            SEQ_TYPE,
            ForeignKey("audit_entries.seq", ondelete="CASCADE", onupdate="CASCADE"),
            primary_key=True,
        )
    )


class AuditPromptRow(SQLModel, table=True):
    """The prompt text beside its entry, outside the hashed part, so it can be redacted."""

    __tablename__ = "audit_prompts"

    seq: int = Field(primary_key=True, foreign_key="audit_entries.seq", sa_type=SEQ_TYPE)
    fields: str | None  # JSON object, None once redacted
    redacted_at: str | None = None
    # The prompt's values as one text for the text search (trigram indexes), None once redacted.
    search_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class AuditCheckpointRow(SQLModel, table=True):
    __tablename__ = "audit_checkpoints"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(index=True, sa_type=SEQ_TYPE)
    head_hash: str
    time: str
    key_id: str
    signature: str


class AuditExportRow(SQLModel, table=True):
    """The signed digest of each finished export, so a detached digest (CSV) can be fetched
    after the stream ends, after a restart, and from another gateway on the same database."""

    __tablename__ = "audit_exports"

    export_id: str = Field(primary_key=True)  # a ULID, named in the export's audit entry
    exported_at: str = Field(index=True)
    format: str
    digest: str  # JSON: the signed digest (the inner object of {"export_digest": …})
