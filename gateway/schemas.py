"""Request and response schemas of the HTTP API (never database tables)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from engines.image import (
    MAX_GUIDANCE,
    MAX_PROMPT_CHARS,
    MAX_SEED,
    MAX_SIDE,
    MAX_STEPS,
    MIN_SIDE,
    SIDE_MULTIPLE,
)
from policies import Purpose


class ImageCreate(BaseModel):
    """A text-to-image request. Unset sizes and steps take the profile's defaults."""

    model_config = ConfigDict(extra="forbid")

    prompt: str = Field(min_length=1, max_length=MAX_PROMPT_CHARS)
    negative_prompt: str | None = Field(default=None, max_length=MAX_PROMPT_CHARS)
    purpose: Purpose = Field(description="What the output will be used for; licences decide.")
    model: str | None = Field(default=None, max_length=200)
    width: int | None = Field(default=None, ge=MIN_SIDE, le=MAX_SIDE)
    height: int | None = Field(default=None, ge=MIN_SIDE, le=MAX_SIDE)
    steps: int | None = Field(default=None, ge=1, le=MAX_STEPS)
    guidance_scale: float | None = Field(default=None, ge=0.0, le=MAX_GUIDANCE)
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED)

    @field_validator("width", "height")
    @classmethod
    def _multiple_of_eight(cls, value: int | None) -> int | None:
        if value is not None and value % SIDE_MULTIPLE:
            raise ValueError(f"must be a multiple of {SIDE_MULTIPLE}")
        return value


class GenerationPublic(BaseModel):
    artifact_id: str
    mime_type: str
    sha256: str
    audit_seq: int
    manifest_label: str
    model: str
    licence: str
    purpose: Purpose
    request_id: str


class AuditEntryPublic(BaseModel):
    seq: int
    time: str
    request_id: str
    subject: str | None
    roles: list[str]
    action: str
    engine: str | None
    model: str | None
    purpose: str | None
    decision: str
    code: str
    reason: str
    prompt_hash: str | None
    output_sha256: str | None
    manifest_label: str | None
    policy_rule: list[str] | None
    details: dict[str, Any]
    prev_hash: str
    hash: str
    prompt: dict[str, str | None] | None = Field(
        default=None, description="The prompt kept beside the entry; null once redacted."
    )


class AuditPagePublic(BaseModel):
    items: list[AuditEntryPublic]
    next_cursor: str | None


class ProblemPublic(BaseModel):
    seq: int
    what: str


class VerifyPublic(BaseModel):
    ok: bool
    entries: int
    checkpoints: int
    head_seq: int
    head_hash: str
    first_bad_seq: int | None
    problems: list[ProblemPublic]


class CheckpointPublic(BaseModel):
    seq: int
    head_hash: str
    time: str
    key_id: str
    signature: str


class HealthPublic(BaseModel):
    status: str
    version: str
    profile: str
    auth_mode: str
    audit_head_seq: int


class ManifestPublic(BaseModel):
    artifact_id: str
    manifest_label: str | None
    validation_state: str | None = Field(
        description="Trusted: signature, hashes and certificate chain to the organisation's CA "
        "all check out. Valid: intact but signed by a certificate this gateway does not trust. "
        "Invalid or null: altered, or no manifest."
    )
    trusted: bool
    manifest: dict[str, Any] | None
    validation_results: dict[str, Any] | None
