from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from starlette.concurrency import run_in_threadpool

from gateway.deps import ContextDep, PrincipalDep, UploadsDep
from gateway.inputs import MAX_INPUT_BYTES
from gateway.schemas import InputPublic, PrintableText

router = APIRouter(prefix="/v1", tags=["inputs"])


@router.post("/inputs", status_code=201, response_model=InputPublic)
async def upload_input(
    file: Annotated[UploadFile, File(description="WAV, FLAC, MP3 or OGG; at most 10 MiB")],
    principal: PrincipalDep,
    uploads: UploadsDep,
    ctx: ContextDep,
    licence: Annotated[
        PrintableText | None, Form(max_length=64, description="own-recording, licensed, cc-by, …")
    ] = None,
    licence_id: Annotated[PrintableText | None, Form(max_length=200)] = None,
) -> InputPublic:
    """Upload an input once (e.g. a melody) and refer to it by id; declare its licence."""
    data = await file.read(MAX_INPUT_BYTES + 1)
    stored = await run_in_threadpool(uploads.upload, principal, data, licence, licence_id, ctx)
    return InputPublic(
        input_id=stored.id,
        sha256=stored.sha256,
        mime_type=stored.mime_type,
        licence=stored.licence,
        licence_id=stored.licence_id,
    )
