from __future__ import annotations

from fastapi import APIRouter

from gateway.deps import ContextDep, PipelineDep, PrincipalDep
from gateway.schemas import GenerationPublic, ImageCreate

router = APIRouter(prefix="/v1", tags=["generation"])


@router.post("/images", status_code=201, response_model=GenerationPublic)
def create_image(
    body: ImageCreate, principal: PrincipalDep, pipeline: PipelineDep, ctx: ContextDep
) -> GenerationPublic:
    """Generate an image: authorised, licence-checked, C2PA-signed and audited."""
    generation = pipeline.generate_image(principal, body, ctx)
    return GenerationPublic.model_validate(generation, from_attributes=True)
