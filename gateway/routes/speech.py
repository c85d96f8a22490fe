from __future__ import annotations

from fastapi import APIRouter

from engines.speech import BUILTIN_VOICES, LANGUAGES
from gateway.deps import ContextDep, PipelineDep, PrincipalDep
from gateway.schemas import GenerationPublic, SpeechCreate, VoiceCloneCreate

router = APIRouter(prefix="/v1", tags=["generation"])


@router.post("/speech", status_code=201, response_model=GenerationPublic)
def create_speech(
    body: SpeechCreate, principal: PrincipalDep, pipeline: PipelineDep, ctx: ContextDep
) -> GenerationPublic:
    """Speech with a built-in voice (WAV with a C2PA manifest)."""
    return GenerationPublic.model_validate(
        pipeline.speak(principal, body, ctx), from_attributes=True
    )


@router.get("/speech/voices")
def list_speech_voices() -> dict[str, object]:
    """The built-in voices and the languages they speak."""
    return {
        "languages": sorted(LANGUAGES),
        "voices": {name: voice.language for name, voice in sorted(BUILTIN_VOICES.items())},
    }


@router.post("/voice-clones", status_code=201, response_model=GenerationPublic)
def create_voice_clone(
    body: VoiceCloneCreate, principal: PrincipalDep, pipeline: PipelineDep, ctx: ContextDep
) -> GenerationPublic:
    """Speech in an enrolled person's voice, within their consent (WAV with a C2PA manifest
    naming the consent record)."""
    generation = pipeline.clone_voice(principal, body, ctx)
    return GenerationPublic.model_validate(generation, from_attributes=True)
