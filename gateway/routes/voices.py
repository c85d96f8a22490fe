from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Response, UploadFile

from audit import MAX_PAGE
from gateway.deps import ContextDep, PrincipalDep, VoiceDeskDep
from gateway.query_params import KnownQueryOnly
from gateway.schemas import (
    ID_PATTERN,
    ChallengeCreate,
    ChallengePublic,
    EnrolmentPublic,
    LegalHoldUpdate,
    PathId,
    ReviewCreate,
    SuspendCreate,
    VoicePublic,
    VoiceUsePublic,
    VoiceUsesPublic,
)

router = APIRouter(prefix="/v1/voices", tags=["voices"], dependencies=[KnownQueryOnly])


class VoiceState(StrEnum):
    ACTIVE = "active"
    PENDING_REVIEW = "pending_review"
    REJECTED = "rejected"
    REVOKED = "revoked"
    SUSPENDED = "suspended"


@router.post("/challenge", status_code=201, response_model=ChallengePublic)
def create_challenge(
    body: ChallengeCreate, principal: PrincipalDep, desk: VoiceDeskDep, ctx: ContextDep
) -> ChallengePublic:
    """A consent statement to read aloud: single use, valid 10 minutes, bound to the caller."""
    challenge = desk.issue_challenge(principal, body, ctx)
    return ChallengePublic(
        challenge_id=challenge.id,
        statement=challenge.statement,
        language=challenge.language,
        template_version=challenge.template_version,
        expires_at=challenge.expires_at.isoformat().replace("+00:00", "Z"),
    )


@router.post("", status_code=201, response_model=EnrolmentPublic)
async def enrol_voice(
    challenge_id: Annotated[str, Form(min_length=1, max_length=64, pattern=ID_PATTERN)],
    references: Annotated[list[UploadFile], File(description="Your own recordings (1-5).")],
    statement: Annotated[UploadFile, File(description="You, reading the challenge aloud.")],
    principal: PrincipalDep,
    desk: VoiceDeskDep,
    ctx: ContextDep,
) -> EnrolmentPublic:
    """Enrol your voice (WAV, FLAC, MP3 or OGG; 1-60 s and at most 10 MiB each)."""
    enrolment = await desk.enrol_uploads(principal, challenge_id, references, statement, ctx)
    record = enrolment.document["record"]
    return EnrolmentPublic(
        voice_id=enrolment.voice_id,
        consent_id=enrolment.consent_id,
        similarity=round(enrolment.similarity, 4),
        reference_similarity=round(enrolment.reference_min_similarity, 4),
        threshold=record["speaker_verification"]["threshold"],
        status=enrolment.status,
        phrase_check=record["statement"]["phrase_check"],
    )


@router.get("", response_model=list[VoicePublic])
def list_voices(
    principal: PrincipalDep,
    desk: VoiceDeskDep,
    ctx: ContextDep,
    status: Annotated[VoiceState | None, Query(description="only voices in this state")] = None,
) -> list[VoicePublic]:
    """The caller's own voices and the state of their consents; every owner's for compliance
    officers (the review queue: ``?status=pending_review``)."""
    voices = desk.voices_of(principal, None if status is None else str(status), ctx)
    return [VoicePublic.model_validate(v, from_attributes=True) for v in voices]


@router.get("/{voice_id}/statement", response_class=Response)
def get_statement_for_review(
    voice_id: PathId, principal: PrincipalDep, desk: VoiceDeskDep, ctx: ContextDep
) -> Response:
    """The spoken statement of a pending enrolment, for the officer reviewing it (audited);
    nobody else ever gets audio back, and nobody gets it once the review is over."""
    audio, mime_type = desk.statement(principal, voice_id, ctx)
    return Response(audio, media_type=mime_type, headers={"Cache-Control": "no-store"})


@router.post("/{voice_id}/review", response_model=VoicePublic)
def review_voice(
    voice_id: PathId,
    body: ReviewCreate,
    principal: PrincipalDep,
    desk: VoiceDeskDep,
    ctx: ContextDep,
) -> VoicePublic:
    """Approve (active, owner verified) or reject (data shredded) a pending enrolment; not
    one's own."""
    summary = desk.review(principal, voice_id, body.decision, body.reason, ctx)
    return VoicePublic.model_validate(summary, from_attributes=True)


@router.post("/{voice_id}/resume", response_model=VoicePublic)
def resume_voice(
    voice_id: PathId, principal: PrincipalDep, desk: VoiceDeskDep, ctx: ContextDep
) -> VoicePublic:
    """Lift a suspension: the voice returns to the state it was suspended from."""
    return VoicePublic.model_validate(desk.resume(principal, voice_id, ctx), from_attributes=True)


@router.post("/{voice_id}/end", response_model=VoicePublic)
def end_suspended_voice(
    voice_id: PathId,
    body: SuspendCreate,
    principal: PrincipalDep,
    desk: VoiceDeskDep,
    ctx: ContextDep,
) -> VoicePublic:
    """End a suspended voice for good: revoked, and its data shredded unless on legal hold."""
    summary = desk.end_suspension(principal, voice_id, body.reason, ctx)
    return VoicePublic.model_validate(summary, from_attributes=True)


@router.get("/{voice_id}/consent")
def get_consent_record(
    voice_id: PathId, principal: PrincipalDep, desk: VoiceDeskDep, ctx: ContextDep
) -> dict[str, Any]:
    """The signed consent record (verify offline with `consentgate consent verify FILE`)."""
    return desk.record(principal, voice_id, ctx)


@router.get("/{voice_id}/uses", response_model=VoiceUsesPublic)
def get_voice_uses(
    voice_id: PathId,
    principal: PrincipalDep,
    desk: VoiceDeskDep,
    ctx: ContextDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
) -> VoiceUsesPublic:
    """Every clone made with the voice, newest first: who, when, for what purpose, with which
    model, each with its audit seq (the owner, and compliance officers)."""
    page = desk.uses(principal, voice_id, ctx, limit, cursor)
    return VoiceUsesPublic(
        items=[VoiceUsePublic.from_entry(entry) for entry in page.items],
        next_cursor=page.next_cursor,
    )


@router.post("/{voice_id}/revoke", response_model=VoicePublic)
def revoke_voice(
    voice_id: PathId, principal: PrincipalDep, desk: VoiceDeskDep, ctx: ContextDep
) -> VoicePublic:
    """The owner revokes consent: effective on the next request; the voice data is destroyed
    unless a legal hold is set."""
    return VoicePublic.model_validate(desk.revoke(principal, voice_id, ctx), from_attributes=True)


@router.post("/{voice_id}/suspend", response_model=VoicePublic)
def suspend_voice(
    voice_id: PathId,
    body: SuspendCreate,
    principal: PrincipalDep,
    desk: VoiceDeskDep,
    ctx: ContextDep,
) -> VoicePublic:
    """A compliance officer stops all use of a voice; its data is kept as evidence until the
    suspension is resumed or ended."""
    summary = desk.suspend(principal, voice_id, body.reason, ctx)
    return VoicePublic.model_validate(summary, from_attributes=True)


@router.put("/{voice_id}/legal-hold", response_model=VoicePublic)
def set_legal_hold(
    voice_id: PathId,
    body: LegalHoldUpdate,
    principal: PrincipalDep,
    desk: VoiceDeskDep,
    ctx: ContextDep,
) -> VoicePublic:
    """Keep an ended voice's data for legal reasons; clearing the hold destroys it."""
    summary = desk.legal_hold(principal, voice_id, body.hold, ctx)
    return VoicePublic.model_validate(summary, from_attributes=True)
