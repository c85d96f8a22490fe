from __future__ import annotations

from fastapi import APIRouter

from gateway import __version__
from gateway.deps import ServicesDep
from gateway.schemas import HealthPublic

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthPublic)
def healthz(services: ServicesDep) -> HealthPublic:
    """Liveness and a glance at configuration; needs no token."""
    head_seq, _ = services.audit.head()
    return HealthPublic(
        status="ok",
        version=__version__,
        profile=services.settings.profile,
        auth_mode=services.settings.auth_mode,
        audit_head_seq=head_seq,
    )
