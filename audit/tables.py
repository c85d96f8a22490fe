"""Database tables owned by the audit package. Rows are only ever inserted."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class AuditEntryRow(SQLModel, table=True):
    __tablename__ = "audit_entries"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    time: str = Field(index=True)
    request_id: str = Field(index=True)
    subject: str | None = Field(default=None, index=True)
    roles: str  # JSON list
    action: str
    engine: str | None = None
    model: str | None = None
    purpose: str | None = None
    decision: str = Field(index=True)
    code: str = Field(index=True)
    reason: str
    prompt_hash: str | None = None
    output_sha256: str | None = None
    manifest_label: str | None = None
    policy_rule: str | None = None  # JSON list: the casbin rule that matched
    details: str  # JSON object: ids that later capabilities add (artifact, voice, consent…)
    prev_hash: str = Field(unique=True)
    hash: str = Field(unique=True)


class AuditPromptRow(SQLModel, table=True):
    """The prompt text beside its entry, outside the hashed part, so it can be redacted."""

    __tablename__ = "audit_prompts"

    seq: int = Field(primary_key=True, foreign_key="audit_entries.seq")
    fields: str | None  # JSON object, None once redacted
    redacted_at: str | None = None


class AuditCheckpointRow(SQLModel, table=True):
    __tablename__ = "audit_checkpoints"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(index=True)
    head_hash: str
    time: str
    key_id: str
    signature: str
