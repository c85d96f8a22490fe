"""Generation endpoints. Each runs now (``mode=sync``) or as a job (``mode=async``: 202 and a
``Location`` to follow); music and video default to jobs."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from engines.speech import BUILTIN_VOICES, LANGUAGES
from gateway.auth import Principal
from gateway.context import RequestContext
from gateway.deps import ContextDep, DispatcherDep, PrincipalDep, require
from gateway.schemas import (
    GenerationPublic,
    ImageCreate,
    JobPublic,
    MusicCreate,
    SpeechCreate,
    VideoCreate,
    VoiceCloneCreate,
)

router = APIRouter(prefix="/v1", tags=["generation"])


class Mode(StrEnum):
    SYNC = "sync"
    ASYNC = "async"


Generated = GenerationPublic | JobPublic


def _authorised(kind: str) -> Any:
    # A guard in the decorator runs before the body is validated: a caller who may not
    # generate at all learns nothing about the models served or the limits.
    return Depends(require(kind, "generate", engine=kind))


_RESPONSES: dict[int | str, dict] = {202: {"model": JobPublic, "description": "Queued as a job"}}
# Music and video answer 202 by default; with mode=sync they answer 201 as the others do.
_ASYNC_RESPONSES: dict[int | str, dict] = {
    **_RESPONSES,
    201: {"model": GenerationPublic, "description": "Generated (mode=sync)"},
}


async def _generate(
    kind: str,
    body: BaseModel,
    mode: Mode,
    principal: Principal,
    ctx: RequestContext,
    dispatcher: DispatcherDep,
    idempotency_key: str | None,
) -> JSONResponse:
    dispatched = await dispatcher.dispatch(
        kind, body, mode is Mode.SYNC, principal, ctx, idempotency_key
    )
    headers = {}
    if dispatched.location:
        headers["Location"] = dispatched.location
    if dispatched.replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(dispatched.body, status_code=dispatched.status_code, headers=headers)


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Retry safely: the same key and body give the first answer again "
        "(kept 24 h), and spend no second consent use.",
    ),
]


SyncMode = Annotated[Mode, Query(description="sync: answer when done; async: 202 and a job")]
AsyncMode = Annotated[Mode, Query(description="async (default): 202 and a job; sync: wait")]


@router.post(
    "/images",
    status_code=201,
    response_model=Generated,
    responses=_RESPONSES,
    dependencies=[_authorised("image")],
)
async def create_image(
    body: ImageCreate,
    principal: PrincipalDep,
    dispatcher: DispatcherDep,
    ctx: ContextDep,
    idempotency_key: IdempotencyKey = None,
    mode: SyncMode = Mode.SYNC,
) -> Any:
    """Generate an image: authorised, licence-checked, C2PA-signed and audited."""
    return await _generate("image", body, mode, principal, ctx, dispatcher, idempotency_key)


@router.post(
    "/speech",
    status_code=201,
    response_model=Generated,
    responses=_RESPONSES,
    dependencies=[_authorised("speech")],
)
async def create_speech(
    body: SpeechCreate,
    principal: PrincipalDep,
    dispatcher: DispatcherDep,
    ctx: ContextDep,
    idempotency_key: IdempotencyKey = None,
    mode: SyncMode = Mode.SYNC,
) -> Any:
    """Speech with a built-in voice (WAV with a C2PA manifest)."""
    return await _generate("speech", body, mode, principal, ctx, dispatcher, idempotency_key)


@router.get("/speech/voices")
def list_speech_voices() -> dict[str, object]:
    """The built-in voices and the languages they speak."""
    return {
        "languages": sorted(LANGUAGES),
        "voices": {name: voice.language for name, voice in sorted(BUILTIN_VOICES.items())},
    }


@router.post(
    "/voice-clones",
    status_code=201,
    response_model=Generated,
    responses=_RESPONSES,
    dependencies=[_authorised("voice_clone")],
)
async def create_voice_clone(
    body: VoiceCloneCreate,
    principal: PrincipalDep,
    dispatcher: DispatcherDep,
    ctx: ContextDep,
    idempotency_key: IdempotencyKey = None,
    mode: SyncMode = Mode.SYNC,
) -> Any:
    """Speech in an enrolled person's voice, within their consent (WAV whose C2PA manifest
    names the consent record)."""
    return await _generate("voice_clone", body, mode, principal, ctx, dispatcher, idempotency_key)


@router.post(
    "/music",
    status_code=202,
    response_model=Generated,
    responses=_ASYNC_RESPONSES,
    dependencies=[_authorised("music")],
)
async def create_music(
    body: MusicCreate,
    principal: PrincipalDep,
    dispatcher: DispatcherDep,
    ctx: ContextDep,
    idempotency_key: IdempotencyKey = None,
    mode: AsyncMode = Mode.ASYNC,
) -> Any:
    """Music with MusicGen (WAV, 32 kHz); a melody input is continued and named as an
    ingredient in the manifest."""
    return await _generate("music", body, mode, principal, ctx, dispatcher, idempotency_key)


@router.post(
    "/videos",
    status_code=202,
    response_model=Generated,
    responses=_ASYNC_RESPONSES,
    dependencies=[_authorised("video")],
)
async def create_video(
    body: VideoCreate,
    principal: PrincipalDep,
    dispatcher: DispatcherDep,
    ctx: ContextDep,
    idempotency_key: IdempotencyKey = None,
    mode: AsyncMode = Mode.ASYNC,
) -> Any:
    """Text to video (H.264 MP4 with the C2PA manifest embedded)."""
    return await _generate("video", body, mode, principal, ctx, dispatcher, idempotency_key)
