"""FastAPI dependencies, as Annotated aliases; tests override these, not globals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from gateway.artifact_reader import ArtifactReader
from gateway.asks import AskBuilder
from gateway.audit_writer import AuditWriter
from gateway.auth import Principal
from gateway.context import RequestContext
from gateway.dispatch import Dispatcher
from gateway.jobs import JobQueue
from gateway.pipeline import Pipeline
from gateway.refusals import RefusalPath
from gateway.services import Services
from gateway.settings import Settings
from gateway.uploads import Uploads
from gateway.voices import VoiceDesk
from policies import AccessGrant

# The getters below only read the app's state: ``async def`` so FastAPI calls them on the event
# loop instead of handing each to a worker thread (three such hand-offs cost a request ~1 ms).

# auto_error=False: a missing token must reach our own check, so it is audited as such.
_bearer_scheme = HTTPBearer(auto_error=False, description="OIDC access token (JWT)")


async def get_services(request: Request) -> Services:
    return request.app.state.services


async def get_settings_dep(request: Request) -> Settings:
    return request.app.state.services.settings


async def get_pipeline(request: Request) -> Pipeline:
    return request.app.state.pipeline


async def get_asks(request: Request) -> AskBuilder:
    return request.app.state.asks


async def get_jobs(request: Request) -> JobQueue:
    return request.app.state.jobs


async def get_uploads(request: Request) -> Uploads:
    return request.app.state.uploads


async def get_voice_desk(request: Request) -> VoiceDesk:
    return request.app.state.voice_desk


async def get_context(request: Request) -> RequestContext:
    return request.state.ctx


async def get_audit_writer(request: Request) -> AuditWriter:
    return request.app.state.audit_writer


async def get_refusals(request: Request) -> RefusalPath:
    return request.app.state.refusals


async def get_dispatcher(request: Request) -> Dispatcher:
    return request.app.state.dispatcher


async def get_artifact_reader(request: Request) -> ArtifactReader:
    return request.app.state.artifact_reader


ServicesDep = Annotated[Services, Depends(get_services)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
PipelineDep = Annotated[Pipeline, Depends(get_pipeline)]
ContextDep = Annotated[RequestContext, Depends(get_context)]
VoiceDeskDep = Annotated[VoiceDesk, Depends(get_voice_desk)]
AsksDep = Annotated[AskBuilder, Depends(get_asks)]
JobsDep = Annotated[JobQueue, Depends(get_jobs)]
UploadsDep = Annotated[Uploads, Depends(get_uploads)]
AuditWriterDep = Annotated[AuditWriter, Depends(get_audit_writer)]
RefusalsDep = Annotated[RefusalPath, Depends(get_refusals)]
ArtifactReaderDep = Annotated[ArtifactReader, Depends(get_artifact_reader)]
DispatcherDep = Annotated[Dispatcher, Depends(get_dispatcher)]


def get_principal(
    request: Request,
    pipeline: PipelineDep,
    ctx: ContextDep,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer_scheme)],
) -> Principal:
    principal = pipeline.authenticate(request.headers.get("authorization"), ctx)
    with request.app.state.refusals.guard(ctx, "request"):
        request.app.state.throttle.check_subject(principal.subject)
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require(resource: str, action: str, engine: str | None = None) -> Callable[..., Any]:
    """A guard: the caller must hold a role that may do ``action`` on ``resource``; a refusal
    names ``engine`` when the resource is an engine kind."""

    def guard(principal: PrincipalDep, pipeline: PipelineDep, ctx: ContextDep) -> AccessGrant:
        return pipeline.authorise(principal, resource, action, ctx, engine=engine)

    return guard
