"""Did this file come from us? A file dropped or chosen on the page is judged by the same
FileVerifier as ``POST /v1/verify``: the same casbin rule, the same ``verify`` entry, the audit
entry it names shown only to its requester and officers. The edge bounds the form as it bounds
the API's upload (gateway/edge.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, File, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from gateway.deps import ContextDep
from gateway.file_check import MAX_VERIFY_BYTES
from gateway.routes.verify import FileVerifierDep
from gateway.ui.deps import PagePrincipalDep, page_guard, page_router
from gateway.ui.pages import render

router = page_router()


@router.get("/verify", dependencies=[Depends(page_guard("file", "verify"))])
def verify_page(request: Request) -> Response:
    """The form: drop or choose a file."""
    return render(request, "verify.html", {"max_mib": MAX_VERIFY_BYTES >> 20})


@router.post("/verify")
async def verify_upload(
    request: Request,
    file: Annotated[UploadFile, File()],
    principal: PagePrincipalDep,
    verifier: FileVerifierDep,
    ctx: ContextDep,
) -> Response:
    """The verdict on the file, on the same page (nothing is kept to come back to)."""
    # One byte over the limit is enough for the check to refuse it; never read the rest.
    data = await file.read(MAX_VERIFY_BYTES + 1)
    checked = await run_in_threadpool(verifier.verify, principal, data, ctx)
    context = {"checked": checked, "name": file.filename or "", "max_mib": MAX_VERIFY_BYTES >> 20}
    return render(request, "verify.html", context)
