"""``/metrics`` (Prometheus) and ``/readyz``: for scrapers and load balancers, no token."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from gateway.deps import SettingsDep
from gateway.errors import NotFound
from gateway.metrics import CONTENT_TYPE_LATEST, exposition
from gateway.readiness import ReadinessPublic

router = APIRouter(tags=["health"])


@router.get("/metrics", include_in_schema=False)
def metrics(settings: SettingsDep, request: Request) -> Response:
    """The Prometheus text exposition (CONSENTGATE_METRICS_ENABLED=false: 404)."""
    if not settings.metrics_enabled:
        raise NotFound("not_found", "metrics are turned off on this gateway")
    return Response(exposition(request.app.state.metrics), media_type=CONTENT_TYPE_LATEST)


@router.get(
    "/readyz",
    response_model=ReadinessPublic,
    responses={503: {"model": ReadinessPublic, "description": "a check failed"}},
)
def readyz(request: Request) -> JSONResponse:
    """Ready for traffic: database, signer, audit checkpoint key, engines; 503 names the
    check that failed."""
    report: ReadinessPublic = request.app.state.readiness.check()
    status = 200 if report.status == "ready" else 503
    return JSONResponse(report.model_dump(exclude_none=True), status_code=status)
