from __future__ import annotations

from fastapi import APIRouter

from gateway.deps import AuditWriterDep, ContextDep, PrincipalDep, RefusalsDep, ServicesDep
from gateway.query_params import KnownQueryOnly
from gateway.schemas import InputLicencePublic, LicencesPublic, ModelLicencePublic

router = APIRouter(prefix="/v1/licences", tags=["policy"], dependencies=[KnownQueryOnly])


@router.get("", response_model=LicencesPublic)
def list_licences(
    principal: PrincipalDep,
    services: ServicesDep,
    writer: AuditWriterDep,
    refusals: RefusalsDep,
    ctx: ContextDep,
) -> LicencesPublic:
    """Each model's licence and each licence an upload may declare, with the purposes each
    allows: what a caller may put in ``purpose`` (any authenticated caller; audited)."""
    with refusals.guard(ctx, "read_licences"):
        book = services.licences.book()
    writer.allow(ctx, "read_licences", f"licences read by {principal.subject}")
    models = [
        ModelLicencePublic(
            model=model_id,
            licence=book.licences[licence_id].label,
            name=book.licences[licence_id].name,
            url=book.licences[licence_id].url,
            commercial_use=book.licences[licence_id].commercial_use,
            purposes=sorted(book.licences[licence_id].purposes),
        )
        for model_id, licence_id in sorted(book.models.items())
    ]
    inputs = [
        InputLicencePublic(
            licence=licence.id,
            name=licence.name,
            spdx=licence.spdx,
            requires_licence_id=licence.requires_licence_id,
            purposes=sorted(licence.purposes),
        )
        for _, licence in sorted(book.inputs.items())
    ]
    return LicencesPublic(models=models, inputs=inputs)
