"""Voices: the caller's own (every owner's for those who review voices), as ``GET /v1/voices``
lists them, through the same voice desk and its ``list_voices`` entry."""

from __future__ import annotations

from fastapi import Request, Response

from gateway.deps import ContextDep, VoiceDeskDep
from gateway.ui.deps import PagePrincipalDep, page_router
from gateway.ui.pages import render

router = page_router()


@router.get("/voices")
def voices_page(
    request: Request, principal: PagePrincipalDep, desk: VoiceDeskDep, ctx: ContextDep
) -> Response:
    """The voices and the state of their consents."""
    voices = desk.voices_of(principal, None, ctx)
    return render(request, "voices.html", {"voices": voices})
