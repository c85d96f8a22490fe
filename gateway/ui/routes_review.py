"""The review queue, for compliance officers: pending enrolments as ``GET
/v1/voices?status=pending_review`` lists them; one opened shows its consent record's statement
(the text, the phrase, what the check heard) and plays its spoken statement as ``GET
/v1/voices/{id}/statement`` serves it; approving or rejecting with a reason is ``POST
/v1/voices/{id}/review``. Every one of them goes through the same voice desk, so it is
authorised and audited as the API is (nobody reviews their own enrolment: the desk refuses
``review_own_enrolment``)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Form, Query, Request, Response

from gateway.deps import ContextDep, VoiceDeskDep
from gateway.routes.voices import VoiceState
from gateway.schemas import ID_PATTERN, MAX_ID_CHARS, PathId, ReviewCreate
from gateway.ui.deps import PagePrincipalDep, page_guard, page_router
from gateway.ui.pages import redirect, render

router = page_router()
# The queue lists every owner's pending voices, which the desk does for roles that may review
# them: the pages are guarded by that same rule (the desk checks it again on each action).
REVIEWER = Depends(page_guard("voice", "review_voice"))
VoiceIdQuery = Annotated[str | None, Query(max_length=MAX_ID_CHARS, pattern=ID_PATTERN)]


class ReviewForm(ReviewCreate):
    """The API's review body as a form: the same fields and checks, beside the CSRF token
    (checked by ``require_csrf``; declared so that any other field is still refused)."""

    csrf_token: str


@router.get("/review", dependencies=[REVIEWER])
def review_queue(
    request: Request,
    principal: PagePrincipalDep,
    desk: VoiceDeskDep,
    ctx: ContextDep,
    reviewed: VoiceIdQuery = None,
) -> Response:
    """The enrolments waiting for a reviewer, newest first."""
    voices = desk.voices_of(principal, VoiceState.PENDING_REVIEW.value, ctx)
    return render(request, "review.html", {"voices": voices, "reviewed": reviewed})


@router.get("/review/{voice_id}", dependencies=[REVIEWER])
def review_voice_page(
    request: Request,
    voice_id: PathId,
    principal: PagePrincipalDep,
    desk: VoiceDeskDep,
    ctx: ContextDep,
) -> Response:
    """One enrolment: its signed record's statement and scope (a ``read_consent`` entry)."""
    record = desk.record(principal, voice_id, ctx)["record"]
    return render(request, "review_voice.html", {"voice_id": voice_id, "record": record})


@router.get("/review/{voice_id}/statement")
def review_statement_audio(
    voice_id: PathId, principal: PagePrincipalDep, desk: VoiceDeskDep, ctx: ContextDep
) -> Response:
    """The spoken statement, for the page's player: only a reviewer, only while pending, never
    one's own (the desk's rules and its ``read_statement`` entry)."""
    audio, mime_type = desk.statement(principal, voice_id, ctx)
    return Response(audio, media_type=mime_type)


@router.post("/review/{voice_id}")
def review_decision(
    voice_id: PathId,
    form: Annotated[ReviewForm, Form()],
    principal: PagePrincipalDep,
    desk: VoiceDeskDep,
    ctx: ContextDep,
) -> Response:
    """Approve (active, owner verified) or reject (shredded) a pending enrolment."""
    desk.review(principal, voice_id, form.decision, form.reason, ctx)
    return redirect(f"/ui/review?reviewed={quote(voice_id, safe='')}")
