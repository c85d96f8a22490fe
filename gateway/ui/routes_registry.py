"""The consent registry, for compliance officers: every owner's voices with their scope, uses and
state, as ``GET /v1/voices`` lists them for an officer; suspend with a reason, resume, end a
suspension and set or clear a legal hold, as ``POST /v1/voices/{id}/suspend|resume|end`` and
``PUT /v1/voices/{id}/legal-hold`` do, through the same voice desk (the same casbin rule, the
same entries, the same state rules)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Form, Query, Request, Response

from gateway.deps import ContextDep, VoiceDeskDep
from gateway.routes.voices import VoiceState
from gateway.schemas import LegalHoldUpdate, PathId, SuspendCreate
from gateway.ui.deps import PagePrincipalDep, page_router
from gateway.ui.pages import redirect, render
from gateway.ui.routes_review import REVIEWER, VoiceIdQuery

router = page_router()


class ReasonForm(SuspendCreate):
    """The API's suspend (and end) body as a form, beside the CSRF token."""

    csrf_token: str


class LegalHoldForm(LegalHoldUpdate):
    """The API's legal-hold body as a form, beside the CSRF token."""

    csrf_token: str


def _changed(voice_id: str) -> Response:
    """Back to the registry, which names the voice just changed (POST, then GET)."""
    return redirect(f"/ui/registry?changed={quote(voice_id, safe='')}")


@router.get("/registry", dependencies=[REVIEWER])
def registry_page(
    request: Request,
    principal: PagePrincipalDep,
    desk: VoiceDeskDep,
    ctx: ContextDep,
    status: Annotated[VoiceState | None, Query()] = None,
    changed: VoiceIdQuery = None,
) -> Response:
    """Every owner's voices (in one state with ``status``), newest first."""
    voices = desk.voices_of(principal, None if status is None else status.value, ctx)
    context = {"voices": voices, "status": status, "states": list(VoiceState), "changed": changed}
    return render(request, "registry.html", context)


@router.post("/registry/{voice_id}/suspend")
def suspend_voice(
    voice_id: PathId,
    form: Annotated[ReasonForm, Form()],
    principal: PagePrincipalDep,
    desk: VoiceDeskDep,
    ctx: ContextDep,
) -> Response:
    """Stop all use of a voice; its data is kept as evidence."""
    desk.suspend(principal, voice_id, form.reason, ctx)
    return _changed(voice_id)


@router.post("/registry/{voice_id}/resume")
def resume_voice(
    voice_id: PathId,
    principal: PagePrincipalDep,
    desk: VoiceDeskDep,
    ctx: ContextDep,
) -> Response:
    """Lift a suspension: the voice returns to the state it was suspended from (the form
    carries only its CSRF token)."""
    desk.resume(principal, voice_id, ctx)
    return _changed(voice_id)


@router.post("/registry/{voice_id}/end")
def end_voice(
    voice_id: PathId,
    form: Annotated[ReasonForm, Form()],
    principal: PagePrincipalDep,
    desk: VoiceDeskDep,
    ctx: ContextDep,
) -> Response:
    """End a suspended voice for good: revoked, shredded unless on legal hold."""
    desk.end_suspension(principal, voice_id, form.reason, ctx)
    return _changed(voice_id)


@router.post("/registry/{voice_id}/legal-hold")
def legal_hold(
    voice_id: PathId,
    form: Annotated[LegalHoldForm, Form()],
    principal: PagePrincipalDep,
    desk: VoiceDeskDep,
    ctx: ContextDep,
) -> Response:
    """Keep a voice's data for legal reasons; clearing the hold of an ended voice shreds it."""
    desk.legal_hold(principal, voice_id, form.hold, ctx)
    return _changed(voice_id)
