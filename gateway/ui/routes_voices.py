"""Voice owners' pages: their voices (every owner's for those who review voices), one voice with
every use and its signed consent record, revocation, and enrolment in the browser.

Each page calls the voice desk exactly as its API twin does (``GET /v1/voices``,
``GET /v1/voices/{id}/uses``, ``GET /v1/voices/{id}/consent``, ``POST /v1/voices/{id}/revoke``,
``POST /v1/voices/challenge``, ``POST /v1/voices``), so it is authorised and audited the same.
Enrolment is two steps: a form for the language and scope issues the statement; the page
showing it records the statement and references (static/enrol.js, MediaRecorder) or takes
uploads, and posts them to ``/ui/voices/enrol``, which answers with the result page.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import Depends, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from starlette.concurrency import run_in_threadpool

from audit import MAX_PAGE
from consent import MAX_REFERENCES, VoiceSummary
from consent.scope import MAX_SCOPE_ENTRIES
from gateway.deps import ContextDep, ServicesDep, VoiceDeskDep
from gateway.errors import InvalidRequest
from gateway.schemas import (
    ID_PATTERN,
    ChallengeCreate,
    PathId,
    ScopeIn,
    ScopeName,
    VoiceUsePublic,
)
from gateway.ui.deps import PagePrincipalDep, page_guard, page_router
from gateway.ui.pages import redirect, render
from policies import Purpose

router = page_router()
ENROL_PATH = "/ui/voices/enrol"  # gateway/edge.py gives it the API enrolment's body limit
USES_PAGE = 50
# A consent lasts until the end of the day the owner picks, in UTC (the scope's time zone).
_END_OF_DAY = dt.time(23, 59, 59, tzinfo=dt.UTC)
_NAME_SEPARATORS = re.compile(r"[\s,，、]+")  # commas or spaces, Chinese commas included
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9_-]")
_ENDED = frozenset({"revoked", "rejected"})


class StatementForm(BaseModel):
    """The enrolment form: who may use the voice (names separated by commas or spaces), for
    what, until which day, how many times. Its fields carry the API's own constraints."""

    model_config = ConfigDict(extra="ignore")  # the csrf_token field rides along

    language: str = Field(max_length=16)
    subjects: list[ScopeName] = Field(default_factory=list, max_length=MAX_SCOPE_ENTRIES)
    groups: list[ScopeName] = Field(default_factory=list, max_length=MAX_SCOPE_ENTRIES)
    roles: list[ScopeName] = Field(default_factory=list, max_length=MAX_SCOPE_ENTRIES)
    purposes: list[Purpose] = Field(min_length=1, max_length=5)
    expires_on: dt.date
    max_uses: int | None = Field(default=None, ge=1, le=1_000_000)

    @field_validator("subjects", "groups", "roles", mode="before")
    @classmethod
    def _split_names(cls, value: Any) -> Any:
        texts = value if isinstance(value, list) else [value]
        if not all(isinstance(text, str) for text in texts):
            return value
        return [name for text in texts for name in _NAME_SEPARATORS.split(text) if name]

    @field_validator("max_uses", mode="before")
    @classmethod
    def _blank_is_unlimited(cls, value: Any) -> Any:
        return None if value == "" else value

    def challenge(self) -> ChallengeCreate:
        """The API's request body for the same statement.

        Raises:
            InvalidRequest: ``invalid_request`` (422), for a scope the API's body refuses (the
                form's own fields passed; the API checks more, e.g. how far off the end is).
        """
        try:
            scope = ScopeIn(
                subjects=self.subjects,
                groups=self.groups,
                roles=self.roles,
                purposes=self.purposes,
                expires_at=dt.datetime.combine(self.expires_on, _END_OF_DAY),
                max_uses=self.max_uses,
            )
            return ChallengeCreate(language=self.language, scope=scope)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise InvalidRequest("invalid_request", f"{where}: {first['msg']}") from None


def _find(voices: list[VoiceSummary], voice_id: str) -> VoiceSummary | None:
    return next((voice for voice in voices if voice.voice_id == voice_id), None)


@router.get("/voices")
def voices_page(
    request: Request, principal: PagePrincipalDep, desk: VoiceDeskDep, ctx: ContextDep
) -> Response:
    """The voices and the state of their consents."""
    voices = desk.voices_of(principal, None, ctx)
    return render(request, "voices.html", {"voices": voices})


@router.get("/voices/new", dependencies=[Depends(page_guard("voice", "enrol"))])
def enrol_page(request: Request, services: ServicesDep) -> Response:
    """The form for the statement: language and scope."""
    today = dt.datetime.now(dt.UTC).date()
    context = {
        "languages": services.statements.languages(),
        "purposes": [str(p) for p in Purpose],
        "min_day": today + dt.timedelta(days=1),
        "default_day": today + dt.timedelta(days=365),
    }
    return render(request, "voice_new.html", context)


@router.post("/voices/new")
def statement_page(
    request: Request,
    form: Annotated[StatementForm, Form()],
    principal: PagePrincipalDep,
    desk: VoiceDeskDep,
    ctx: ContextDep,
) -> Response:
    """Issue the statement (as ``POST /v1/voices/challenge``) and show it to be recorded."""
    challenge = desk.issue_challenge(principal, form.challenge(), ctx)
    context = {"challenge": challenge, "max_references": MAX_REFERENCES, "enrol_path": ENROL_PATH}
    return render(request, "voice_record.html", context)


@router.post("/voices/enrol")
async def enrol(
    request: Request,
    challenge_id: Annotated[str, Form(min_length=1, max_length=64, pattern=ID_PATTERN)],
    references: Annotated[list[UploadFile], File()],
    statement: Annotated[UploadFile, File()],
    principal: PagePrincipalDep,
    desk: VoiceDeskDep,
    ctx: ContextDep,
) -> Response:
    """Enrol with the recordings, as ``POST /v1/voices`` does; the result as a page."""
    enrolment = await desk.enrol_uploads(principal, challenge_id, references, statement, ctx)
    threshold = enrolment.document["record"]["speaker_verification"]["threshold"]
    context = {"enrolment": enrolment, "threshold": threshold}
    return await run_in_threadpool(render, request, "voice_enrolled.html", context, 201)


@router.get("/voices/{voice_id}")
def voice_page(
    request: Request,
    voice_id: PathId,
    principal: PagePrincipalDep,
    desk: VoiceDeskDep,
    ctx: ContextDep,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """One voice: its consent and every use. The uses are read first: for a voice the caller
    may not see they are refused (404, audited) before anything else is looked up."""
    uses = desk.uses(principal, voice_id, ctx, min(USES_PAGE, MAX_PAGE), cursor)
    voice = _find(desk.voices_of(principal, None, ctx), voice_id)
    context = {
        "voice_id": voice_id,
        "voice": voice,
        "owner": voice is not None and voice.owner == principal.subject,
        "revocable": voice is not None and voice.status not in _ENDED,
        "uses": [VoiceUsePublic.from_entry(entry) for entry in uses.items],
        "next_cursor": uses.next_cursor,
    }
    return render(request, "voice_detail.html", context)


@router.get("/voices/{voice_id}/consent")
def consent_record(
    voice_id: PathId, principal: PagePrincipalDep, desk: VoiceDeskDep, ctx: ContextDep
) -> Response:
    """The signed consent record as a file (verify offline: ``consentgate consent verify``)."""
    document = desk.record(principal, voice_id, ctx)
    # The id is the gateway's own ULID; kept to safe characters all the same (a header value).
    name = f"consent-{_UNSAFE_IN_NAME.sub('', str(document['record']['consent_id']))}.json"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    return JSONResponse(document, headers=disposition)


@router.post("/voices/{voice_id}/revoke")
def revoke(
    voice_id: PathId, principal: PagePrincipalDep, desk: VoiceDeskDep, ctx: ContextDep
) -> Response:
    """The owner revokes (as ``POST /v1/voices/{id}/revoke``); back to the voice's page."""
    desk.revoke(principal, voice_id, ctx)
    return redirect(f"/ui/voices/{voice_id}?revoked=1")
