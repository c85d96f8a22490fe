"""Request and response schemas of the HTTP API (never database tables)."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from consent.scope import MAX_SCOPE_ENTRIES
from engines import music, speech, video, voice_clone
from engines.image import (
    MAX_GUIDANCE,
    MAX_PROMPT_CHARS,
    MAX_SEED,
    MAX_SIDE,
    MAX_STEPS,
    MIN_SIDE,
    SIDE_MULTIPLE,
)
from engines.text import unspeakable_reason
from policies import Purpose

# OIDC Core caps `sub` at 255 ASCII characters; group and role names are shorter in every IdP
# we map from. Bounded so a consent record (signed, stored, read on every clone) stays small.
MAX_SCOPE_NAME_CHARS = 255
MAX_MODEL_ID_CHARS = 200  # a hub id ("owner/name") or a configured alias


def _speakable(text: str) -> str:
    """Refuses whitespace-only text and control characters (see engines.text)."""
    reason = unspeakable_reason(text)
    if reason is not None:
        raise ValueError(reason)
    return text


def _plain_name(name: str) -> str:
    """Refuses names that are blank or hold control characters (a NUL, a line break): no IdP
    issues such a subject, group or role, and they would only confuse the audit trail."""
    if not name.strip() or any(unicodedata.category(char) in ("Cc", "Cs") for char in name):
        raise ValueError("a name must be printable text")
    return name


def _printable(text: str) -> str:
    """Refuses control characters (a NUL above all: PostgreSQL can neither store nor compare
    one) and lone surrogates in an identifier or a one-line value."""
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in text):
        raise ValueError("control characters are not allowed")
    return text


_LINE_BREAKS = str.maketrans("\t\n\r", "   ")


def _printable_lines(text: str) -> str:
    """As ``_printable``, but tabs and line breaks are allowed (a reason someone writes)."""
    _printable(text.translate(_LINE_BREAKS))
    return text


# Ids the gateway issues are ULIDs, some with a short prefix (job_…, voice_…, input_…). Any
# other printable ASCII is looked up and simply not found; spaces, control characters and
# non-ASCII are refused before any lookup (a NUL would fail the query on PostgreSQL).
MAX_ID_CHARS = 128
ID_PATTERN = r"^[!-~]+$"
ResourceId = Annotated[str, Field(min_length=1, max_length=MAX_ID_CHARS, pattern=ID_PATTERN)]
PathId = Annotated[str, Path(min_length=1, max_length=MAX_ID_CHARS, pattern=ID_PATTERN)]
PrintableText = Annotated[str, AfterValidator(_printable)]
SpokenText = Annotated[str, AfterValidator(_speakable)]
ScopeName = Annotated[
    str, Field(min_length=1, max_length=MAX_SCOPE_NAME_CHARS), AfterValidator(_plain_name)
]
ModelId = Annotated[
    str, Field(min_length=1, max_length=MAX_MODEL_ID_CHARS), AfterValidator(_printable)
]


class ImageCreate(BaseModel):
    """A text-to-image request. Unset sizes and steps take the profile's defaults."""

    model_config = ConfigDict(extra="forbid")

    prompt: str = Field(min_length=1, max_length=MAX_PROMPT_CHARS)
    negative_prompt: str | None = Field(default=None, max_length=MAX_PROMPT_CHARS)
    purpose: Purpose = Field(description="What the output will be used for; licences decide.")
    model: ModelId | None = None
    width: int | None = Field(default=None, ge=MIN_SIDE, le=MAX_SIDE)
    height: int | None = Field(default=None, ge=MIN_SIDE, le=MAX_SIDE)
    steps: int | None = Field(default=None, ge=1, le=MAX_STEPS)
    guidance_scale: float | None = Field(default=None, ge=0.0, le=MAX_GUIDANCE)
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED)
    format: Literal["png", "jpeg", "webp"] = Field(
        default="png", description="PNG (lossless), JPEG or WebP (lossy, smaller); all signed"
    )

    @field_validator("width", "height")
    @classmethod
    def _multiple_of_eight(cls, value: int | None) -> int | None:
        if value is not None and value % SIDE_MULTIPLE:
            raise ValueError(f"must be a multiple of {SIDE_MULTIPLE}")
        return value


class SpeechCreate(BaseModel):
    """Speech with a built-in voice (``GET /v1/speech/voices`` lists them)."""

    model_config = ConfigDict(extra="forbid")

    text: SpokenText = Field(min_length=1, max_length=speech.MAX_TEXT_CHARS)
    language: str = Field(max_length=16, description="en, zh (Mandarin), yue, th, vi")
    voice: str | None = Field(default=None, max_length=64)
    purpose: Purpose


class VoiceCloneCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    voice_id: ResourceId
    text: SpokenText = Field(min_length=1, max_length=voice_clone.MAX_TEXT_CHARS)
    language: str = Field(max_length=16)
    purpose: Purpose
    model: ModelId | None = None
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED)


class MusicCreate(BaseModel):
    """Music from a text prompt, optionally continuing an uploaded melody."""

    model_config = ConfigDict(extra="forbid")

    prompt: str = Field(min_length=1, max_length=music.MAX_PROMPT_CHARS)
    duration_s: float = Field(ge=music.MIN_DURATION_S, le=music.MAX_DURATION_S)
    purpose: Purpose
    melody_input_id: ResourceId | None = Field(
        default=None, description="An input uploaded with POST /v1/inputs."
    )
    model: ModelId | None = None
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED)


_PART = Field(default=None, max_length=300)


class VideoCreate(BaseModel):
    """Text to video: a plain ``prompt``, or the structured prompt video users write."""

    model_config = ConfigDict(extra="forbid")

    prompt: str | None = Field(default=None, min_length=1, max_length=video.MAX_PROMPT_CHARS)
    subject: str | None = _PART
    action: str | None = _PART
    scene: str | None = _PART
    lighting: str | None = _PART
    camera: str | None = _PART
    style: str | None = _PART
    technical: str | None = _PART
    negative_prompt: str | None = Field(default=None, max_length=video.MAX_PROMPT_CHARS)
    frames: int | None = Field(default=None, ge=1, le=video.MAX_FRAMES)
    fps: int = Field(default=8, ge=1, le=video.MAX_FPS)
    width: int | None = Field(default=None, ge=video.MIN_SIDE, le=video.MAX_SIDE)
    height: int | None = Field(default=None, ge=video.MIN_SIDE, le=video.MAX_SIDE)
    steps: int | None = Field(default=None, ge=1, le=video.MAX_STEPS)
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED)
    purpose: Purpose
    model: ModelId | None = None

    @field_validator("width", "height")
    @classmethod
    def _multiple_of_sixteen(cls, value: int | None) -> int | None:
        if value is not None and value % video.SIDE_MULTIPLE:
            raise ValueError(f"must be a multiple of {video.SIDE_MULTIPLE}")
        return value

    @model_validator(mode="after")
    def _some_prompt(self) -> VideoCreate:
        if not self.prompt and not self.subject:
            raise ValueError("give a prompt, or at least a subject")
        return self


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
    consent_id: str | None = None
    voice_id: str | None = None


class ScopeIn(BaseModel):
    """Who may use the voice, for what, with which engines, until when."""

    model_config = ConfigDict(extra="forbid")

    subjects: list[ScopeName] = Field(default_factory=list, max_length=MAX_SCOPE_ENTRIES)
    groups: list[ScopeName] = Field(default_factory=list, max_length=MAX_SCOPE_ENTRIES)
    roles: list[ScopeName] = Field(default_factory=list, max_length=MAX_SCOPE_ENTRIES)
    purposes: list[Purpose] = Field(min_length=1, max_length=5)
    engines: list[ModelId] | None = Field(
        default=None, max_length=20, description="Voice-clone model ids; default: all served."
    )
    expires_at: AwareDatetime
    max_uses: int | None = Field(default=None, ge=1, le=1_000_000)


class ChallengeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: str = Field(max_length=16, description="en, zh-Hant, zh-Hans, vi, th")
    scope: ScopeIn


class ChallengePublic(BaseModel):
    challenge_id: str
    statement: str = Field(description="Read this aloud and upload the recording as `statement`.")
    language: str
    template_version: str
    expires_at: str


class EnrolmentPublic(BaseModel):
    voice_id: str
    consent_id: str
    similarity: float = Field(description="Statement vs references (cosine of d-vectors).")
    reference_similarity: float = Field(description="The least consistent reference.")
    threshold: float
    status: str = Field(
        description="active: the phrase was heard; pending_review: a compliance officer will "
        "listen to the statement and decide (the voice is unusable until then)."
    )
    phrase_check: dict[str, Any] = Field(description="How the phrase was checked, and its score.")


class VoicePublic(BaseModel):
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


class SuspendCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_printable_lines)]


class ReviewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "reject"]
    reason: Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_printable_lines)]


class LegalHoldUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hold: bool


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


class VoiceUsePublic(BaseModel):
    """One clone made with a voice, as its audit entry records it."""

    seq: int = Field(description="The audit entry (GET /v1/audit?seq_from=…&seq_to=…)")
    time: str
    subject: str | None = Field(description="Who made it")
    caller_name: str | None
    purpose: str | None
    model: str | None
    consent_id: str | None
    artifact_id: str | None
    job_id: str | None
    request_id: str

    @classmethod
    def from_entry(cls, entry: Any) -> VoiceUsePublic:
        def text(name: str) -> str | None:
            value = entry.details.get(name)
            return value if isinstance(value, str) else None

        return cls(
            seq=entry.seq,
            time=entry.time,
            subject=entry.subject,
            caller_name=text("caller_name"),
            purpose=entry.purpose,
            model=entry.model,
            consent_id=text("consent_id"),
            artifact_id=text("artifact_id"),
            job_id=text("job_id"),
            request_id=entry.request_id,
        )


class VoiceUsesPublic(BaseModel):
    items: list[VoiceUsePublic]
    next_cursor: str | None


class AuditGroupPublic(BaseModel):
    key: str | None = Field(description="The code, action, subject, model or UTC date")
    count: int


class AuditSummaryPublic(BaseModel):
    group_by: str
    groups: list[AuditGroupPublic]
    total: int = Field(description="Entries counted in the groups shown")
    truncated: bool = Field(description="More groups exist than were returned")


class ProblemPublic(BaseModel):
    seq: int
    what: str


class ProblemDetails(BaseModel):
    """How every refusal and error is answered: RFC 9457 ``application/problem+json``.

    Some codes add members (``errors`` for ``invalid_request``, ``retry_after_s``, ``cost`` and
    ``ceiling``, a limit at the edge), so members beyond these are allowed.
    """

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="urn:consentgate:problem:{code}")
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    instance: str
    code: str = Field(min_length=1, description="Stable machine code, e.g. role_forbidden.")
    request_id: str | None = Field(
        default=None, description="As in X-Request-Id and in the refusal's audit entry."
    )


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


class SeqRangePublic(BaseModel):
    first: int
    last: int


class ChainHeadPublic(BaseModel):
    seq: int
    hash: str


class ExportDigestPublic(BaseModel):
    """The signed digest of an export (formats in the README, "Exports an auditor can check")."""

    version: str
    export_id: str
    format: str
    filters: dict[str, Any]
    seq_range: SeqRangePublic | None = Field(description="Seqs of the first and last row.")
    row_count: int
    rows_sha256: str = Field(description="SHA-256 of the export's bytes before the digest.")
    chain_head: ChainHeadPublic = Field(description="The log was read and verified up to here.")
    checkpoint: CheckpointPublic | None
    exported_at: str
    key_id: str
    signature: str = Field(description="Ed25519 over the RFC 8785 JSON less the signature.")


class ExportDigestDocument(BaseModel):
    export_digest: ExportDigestPublic


class HealthPublic(BaseModel):
    status: str  # "ok", or "degraded" while a generation slot is stuck past its time limit
    version: str
    profile: str
    auth_mode: str
    audit_head_seq: int
    engines: dict[str, dict[str, int]]  # per kind: slots, running, queued, stuck


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


class InputPublic(BaseModel):
    input_id: str
    sha256: str
    mime_type: str
    licence: str | None
    licence_id: str | None


class JobProgress(BaseModel):
    step: int
    total: int


class JobPublic(BaseModel):
    job_id: str
    kind: str
    state: str = Field(description="queued, running, succeeded, failed or cancelled")
    progress: JobProgress
    result: GenerationPublic | None = None
    error: dict[str, Any] | None = Field(default=None, description="problem+json")
    created_at: str
    started_at: str | None
    finished_at: str | None
    submitted_audit_seq: int


class ModelLicencePublic(BaseModel):
    model: str
    licence: str = Field(description="SPDX id where there is one, else the licence's id")
    name: str
    url: str | None
    commercial_use: bool
    purposes: list[str] = Field(description="The purposes a request may declare for it")


class InputLicencePublic(BaseModel):
    licence: str = Field(description="What an upload declares")
    name: str
    spdx: str | None
    requires_licence_id: bool
    purposes: list[str]


class LicencesPublic(BaseModel):
    models: list[ModelLicencePublic]
    inputs: list[InputLicencePublic]
