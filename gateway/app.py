"""The FastAPI application factory."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.types import Scope

from engines import EngineKind
from gateway import __version__
from gateway.admission import STANDARD_CEILINGS, TINY_CEILINGS, AdmissionControl
from gateway.api_docs import install_offline_docs
from gateway.artifact_reader import ArtifactReader
from gateway.asks import AskBuilder
from gateway.audit_writer import AuditWriter
from gateway.context import RequestContext
from gateway.context_middleware import RequestContextMiddleware
from gateway.dispatch import Dispatcher
from gateway.edge import BodyLimitMiddleware
from gateway.errors import GatewayError
from gateway.executor import GenerationExecutor, Lane
from gateway.file_verifier import FileVerifier
from gateway.idempotency import IdempotencyKeys
from gateway.jobs import JobQueue
from gateway.metrics import app_registry
from gateway.pipeline import Pipeline
from gateway.problems import install_problem_handlers
from gateway.readiness import Readiness
from gateway.recovery import reconcile_artifacts
from gateway.refusals import RefusalPath
from gateway.retention import keep_redacting
from gateway.routes import (
    artifacts,
    audit,
    generation,
    health,
    inputs,
    jobs,
    licences,
    observability,
    verify,
    voices,
)
from gateway.services import Services, build_services
from gateway.settings import Profile, Settings, get_settings
from gateway.throttle import Throttle
from gateway.tracing import Tracing
from gateway.ui import install_ui
from gateway.uploads import Uploads
from gateway.voices import VoiceDesk

_log = logging.getLogger(__name__)


def admission_control(settings: Settings) -> AdmissionControl:
    """The profile's ceilings, with the settings' overrides."""
    defaults = TINY_CEILINGS if settings.profile is Profile.TINY else STANDARD_CEILINGS
    return AdmissionControl(defaults, settings.admission_ceilings)


def lanes(settings: Settings) -> dict[str, Lane]:
    """One generation lane per engine kind, sized by the settings."""
    lane = Lane(settings.engine_slots, settings.engine_queue, settings.engine_time_limit_s)
    kinds = {str(kind): lane for kind in EngineKind}
    # A batch of images holds one device slot: its callers all wait inside the engine, so the
    # image lane lets that many in per slot.
    kinds[str(EngineKind.IMAGE)] = Lane(
        settings.engine_slots * settings.image_batch_max,
        settings.engine_queue,
        settings.engine_time_limit_s,
    )
    return kinds


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """Build the app; ``services`` defaults to those built from ``settings``."""
    services = services or build_services(settings or get_settings())

    settings = services.settings
    writer = AuditWriter(services.audit)
    refusals = RefusalPath(writer)
    admission = admission_control(settings)
    executor = GenerationExecutor(lanes(settings))
    pipeline = Pipeline(services, refusals, admission)
    asks = AskBuilder(services)
    tracing = Tracing(settings)
    job_queue = JobQueue(
        services.db,
        pipeline,
        asks,
        writer,
        refusals,
        executor,
        workers=settings.job_workers,
        tracer=tracing.tracer,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        reconcile_artifacts(services)  # allowed entries whose artifact a crash lost
        job_queue.recover()
        job_queue.start()
        retention = asyncio.create_task(keep_redacting(services))
        yield
        retention.cancel()
        job_queue.stop()
        executor.shutdown()
        readiness.close()
        refusals.flush()
        # Sign the head at shutdown so that a tail cut off later is detected.
        head_seq, _ = services.audit.head()
        if head_seq > services.audit.last_checkpoint_seq():
            services.audit.checkpoint()
        tracing.shutdown()  # exports the spans still queued

    app = FastAPI(
        title="consentgate",
        version=__version__,
        description="Governance gateway for generative media: SSO, role and licence policy, "
        "voice consent, C2PA-signed outputs and a tamper-evident audit log.",
        lifespan=lifespan,
        docs_url=None,  # served with local assets by install_offline_docs
        redoc_url=None,
        # FastAPI's own telemetry would export through process-global providers (or ones it
        # configures from FASTAPI_OTEL_AUTO_CONFIGURE) with query strings and error messages:
        # traces are gateway/tracing.py's alone.
        telemetry={"tracing": False, "metrics": False, "logs": False, "auto_configure": False},
    )
    app.state.services = services
    app.state.pipeline = pipeline
    app.state.audit_writer = writer
    app.state.refusals = refusals
    app.state.asks = asks
    app.state.jobs = job_queue
    app.state.uploads = Uploads(services, pipeline, writer, refusals)
    app.state.voice_desk = VoiceDesk(services, pipeline, writer, refusals)
    app.state.artifact_reader = ArtifactReader(services, writer, refusals)
    app.state.file_verifier = FileVerifier(services, pipeline, writer, refusals)
    app.state.throttle = throttle = Throttle(settings)
    app.state.executor = executor
    app.state.tracing = tracing
    app.state.metrics = app_registry(executor.status)  # its lanes, beside the process's metrics
    app.state.readiness = readiness = Readiness(services, executor)
    keys = IdempotencyKeys(services.db)
    app.state.dispatcher = Dispatcher(
        pipeline, asks, job_queue, executor, admission, refusals, writer, keys
    )
    install_problem_handlers(app)
    install_offline_docs(app)
    routers = (
        health.router,
        observability.router,
        generation.router,
        inputs.router,
        jobs.router,
        voices.router,
        artifacts.router,
        audit.router,
        verify.router,
        licences.router,
    )
    for router in routers:
        app.include_router(router)
    install_ui(app)  # the web workspace at /ui, over the same services

    async def audit_edge_refusal(scope: Scope, status: int, code: str, detail: str) -> None:
        # A body refused at the edge never reached a route: record it the same way.
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        ctx = scope.get("state", {}).get("ctx")
        if ctx is None:
            client = scope.get("client")
            ctx = RequestContext(
                method=scope["method"], path=scope["path"], client=client[0] if client else None
            )
        refused = GatewayError(code, detail)
        refused.status = status

        def record() -> None:
            ctx.principal = pipeline.identify(headers.get("authorization"))
            refusals.record(ctx, "request", refused)

        await run_in_threadpool(record)

    # Outermost last: the context (request id, client rate) first, then the body bounds, so a
    # body refused at the edge is recorded and answered under the request's own id.
    app.add_middleware(BodyLimitMiddleware, on_refuse=audit_edge_refusal)
    app.add_middleware(RequestContextMiddleware, throttle=throttle, tracer=tracing.tracer)
    tracing.instrument(app)  # outermost: the server span covers the whole request
    return app
