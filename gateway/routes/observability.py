"""``/metrics`` (Prometheus) and ``/readyz``: for scrapers and load balancers, no token."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from gateway.deps import SettingsDep
from gateway.errors import NotFound
from gateway.metrics import CONTENT_TYPE_LATEST, exposition
from gateway.problems import problem
from gateway.readiness import ReadinessPublic

router = APIRouter(tags=["health"])


@router.get("/metrics", include_in_schema=False)
def metrics(settings: SettingsDep, request: Request) -> Response:
    """The Prometheus text exposition (CONSENTGATE_METRICS_ENABLED=false: 404)."""
    if not settings.metrics_enabled:
        raise NotFound("not_found", "metrics are turned off on this gateway")
    return Response(exposition(request.app.state.metrics), media_type=CONTENT_TYPE_LATEST)


@router.get("/readyz", response_model=ReadinessPublic)
def readyz(request: Request) -> JSONResponse:
    """Ready for traffic: database, signer, audit checkpoint key, engines. Not ready: 503
    problem+json ``not_ready`` (as every error here), its ``checks`` naming the one that
    failed. A probe, like /healthz: not audited (a load balancer asks every few seconds)."""
    report: ReadinessPublic = request.app.state.readiness.check()
    checks = report.model_dump(exclude_none=True)["checks"]
    if report.status == "ready":
        return JSONResponse({"status": "ready", "checks": checks})
    failing = sorted(name for name, check in checks.items() if not check["ok"])
    detail = f"not ready: {', '.join(failing)}"
    return problem(request, 503, "not_ready", detail, checks=checks)
