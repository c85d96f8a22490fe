from __future__ import annotations

from fastapi import APIRouter, Request

from gateway import __version__
from gateway.deps import ServicesDep
from gateway.schemas import HealthPublic

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthPublic)
def healthz(services: ServicesDep, request: Request) -> HealthPublic:
    """Liveness, the generation lanes (a stuck slot: a generation past its time limit that
    could not be interrupted), and a glance at configuration; needs no token."""
    head_seq, _ = services.audit.head()
    lanes = request.app.state.executor.status()
    stuck = sum(lane["stuck"] for lane in lanes.values())
    return HealthPublic(
        status="degraded" if stuck else "ok",
        engines=lanes,
        version=__version__,
        profile=services.settings.profile,
        auth_mode=services.settings.auth_mode,
        audit_head_seq=head_seq,
    )
