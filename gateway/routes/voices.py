from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from starlette.concurrency import run_in_threadpool

from consent import MAX_AUDIO_BYTES
from gateway.deps import ContextDep, PrincipalDep, VoiceDeskDep
from gateway.schemas import (
    ID_PATTERN,
    ChallengeCreate,
    ChallengePublic,
    EnrolmentPublic,
    LegalHoldUpdate,
    PathId,
    SuspendCreate,
    VoicePublic,
)

router = APIRouter(prefix="/v1/voices", tags=["voices"])


async def _read_bounded(upload: UploadFile) -> bytes:
    # One byte over the limit is enough for the check to refuse it; never read the rest.
    return await upload.read(MAX_AUDIO_BYTES + 1)


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
    await run_in_threadpool(desk.admit_enrolment, principal, challenge_id, len(references), ctx)
    clips = [await _read_bounded(upload) for upload in references]
    spoken = await _read_bounded(statement)
    enrolment = await run_in_threadpool(desk.enrol, principal, challenge_id, clips, spoken, ctx)
    threshold = enrolment.document["record"]["speaker_verification"]["threshold"]
    return EnrolmentPublic(
        voice_id=enrolment.voice_id,
        consent_id=enrolment.consent_id,
        similarity=round(enrolment.similarity, 4),
        reference_similarity=round(enrolment.reference_min_similarity, 4),
        threshold=threshold,
    )


@router.get("", response_model=list[VoicePublic])
def list_my_voices(
    principal: PrincipalDep, desk: VoiceDeskDep, ctx: ContextDep
) -> list[VoicePublic]:
    """The caller's own voices and the state of their consents."""
    voices = desk.voices_of(principal, ctx)
    return [VoicePublic.model_validate(v, from_attributes=True) for v in voices]


@router.get("/{voice_id}/consent")
def get_consent_record(
    voice_id: PathId, principal: PrincipalDep, desk: VoiceDeskDep, ctx: ContextDep
) -> dict[str, Any]:
    """The signed consent record (verify offline with `consentgate consent verify FILE`)."""
    return desk.record(principal, voice_id, ctx)


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
    """A compliance officer stops all use of a voice (data destroyed unless on legal hold)."""
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
