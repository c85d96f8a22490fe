from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from gateway.deps import ContextDep, PrincipalDep
from gateway.file_check import MAX_VERIFY_BYTES, FileCheck
from gateway.file_verifier import FileVerifier

router = APIRouter(prefix="/v1", tags=["verify"])


def get_file_verifier(request: Request) -> FileVerifier:
    return request.app.state.file_verifier


FileVerifierDep = Annotated[FileVerifier, Depends(get_file_verifier)]


@router.post("/verify", response_model=FileCheck)
async def verify_file(
    file: Annotated[UploadFile, File(description="an image, audio or video file; at most 32 MiB")],
    principal: PrincipalDep,
    verifier: FileVerifierDep,
    ctx: ContextDep,
) -> FileCheck:
    """Did this file come from us? Its C2PA manifest, judged against the organisation's trust
    anchors and this gateway's own certificate; the audit entry and artifact it names, for
    their requester and officers. A file without a manifest, a broken one or a foreign one
    is a 200 answer (``state``); a file that is no image, audio or video is 415."""
    data = await file.read(MAX_VERIFY_BYTES + 1)
    return await run_in_threadpool(verifier.verify, principal, data, ctx)
