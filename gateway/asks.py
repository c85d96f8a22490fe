"""Turn each kind of generation request into a GenerationAsk for the pipeline.

An ask says which engine and model, the declared purpose, the text to audit, the inputs and
voice it uses, and how to build the engine's request once every check has passed. Jobs
rebuild asks from their stored request bodies with ``AskBuilder.build``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import BaseModel

from consent import ConsentGrant
from engines import Cost, Engine, ImageRequest
from engines.music import MusicRequest
from engines.speech import ESPEAK_MODEL, SpeechRequest, VoiceUnknown, resolve_voice
from engines.video import VideoRequest, compose_prompt
from engines.voice_clone import VoiceCloneRequest, source_uses_reference_audio
from gateway.errors import InvalidRequest
from gateway.inputs import StoredInput
from gateway.schemas import ImageCreate, MusicCreate, SpeechCreate, VideoCreate, VoiceCloneCreate
from gateway.services import Services
from policies import Purpose
from policies.language import LanguageCheck

# The file extension of each image format a caller may ask for.
IMAGE_EXTENSIONS = {"png": "png", "jpeg": "jpg", "webp": "webp"}


@dataclass(frozen=True)
class Materials:
    """What the checks released for the engine request: the consent, the inputs."""

    consent: ConsentGrant | None = None
    inputs: tuple[StoredInput, ...] = ()


@dataclass(frozen=True)
class GenerationAsk:
    """What one generation request asks for, whatever the engine family.

    ``make_request`` builds the engine's request once the checks passed, from the consent
    grant (when ``voice_id`` names a voice) and the inputs (``input_ids``) they released.
    ``invalid`` carries a request error found while building the ask, refused at admission.
    """

    engine: Engine
    model_id: str
    purpose: Purpose
    prompt_fields: dict[str, str | None]
    make_request: Callable[[Materials], Any]
    file_extension: str
    cost: Cost
    details: dict[str, Any] = field(default_factory=dict)
    voice_id: str | None = None
    spoken_text: str | None = None  # speech and clones: checked against spoken_language
    spoken_language: str | None = None
    input_ids: tuple[str, ...] = ()
    invalid: InvalidRequest | None = None


def _spelled(language: str) -> str:
    """A declared language as engines expect it (tags are case-insensitive: ``EN`` is ``en``);
    an unknown one unchanged, for the language check to refuse."""
    return LanguageCheck.canonical(language) or language


def _seed(seed: int | None) -> int:
    return secrets.randbelow(2**32) if seed is None else seed


class AskBuilder:
    def __init__(self, services: Services) -> None:
        self._s = services
        self._builders: dict[str, tuple[type[BaseModel], Callable[[Any], GenerationAsk]]] = {
            "image": (ImageCreate, self.image),
            "speech": (SpeechCreate, self.speech),
            "voice_clone": (VoiceCloneCreate, self.voice_clone),
            "music": (MusicCreate, self.music),
            "video": (VideoCreate, self.video),
        }

    def build(self, kind: str, body_json: str) -> GenerationAsk:
        """Rebuild the ask of a stored request (a job). Raises KeyError for an unknown kind."""
        schema, builder = self._builders[kind]
        return builder(schema.model_validate_json(body_json))

    def image(self, body: ImageCreate) -> GenerationAsk:
        side, steps, guidance = self._s.settings.image_defaults
        model_id = body.model or self._s.settings.resolved_image_default_model
        request = ImageRequest(
            model=model_id,
            prompt=body.prompt,
            negative_prompt=body.negative_prompt,
            width=body.width or side,
            height=body.height or side,
            steps=body.steps or steps,
            guidance_scale=guidance if body.guidance_scale is None else body.guidance_scale,
            seed=_seed(body.seed),
            format=body.format,
        )
        return GenerationAsk(
            engine=self._s.image_engine,
            model_id=model_id,
            purpose=body.purpose,
            prompt_fields={"prompt": body.prompt, "negative_prompt": body.negative_prompt},
            make_request=lambda _materials: request,
            file_extension=IMAGE_EXTENSIONS[body.format],
            cost=self._s.image_engine.estimate(request),
            details={"width": request.width, "height": request.height, "seed": request.seed},
        )

    def speech(self, body: SpeechCreate) -> GenerationAsk:
        invalid = None
        language = _spelled(body.language)
        try:
            resolve_voice(language, body.voice)
        except VoiceUnknown as unknown:
            invalid = InvalidRequest(unknown.code, unknown.reason)
        request = SpeechRequest(
            model=ESPEAK_MODEL, text=body.text, language=language, voice=body.voice
        )
        return GenerationAsk(
            engine=self._s.speech_engine,
            model_id=ESPEAK_MODEL,
            purpose=body.purpose,
            prompt_fields={"text": body.text, "voice": body.voice, "language": body.language},
            make_request=lambda _materials: request,
            file_extension="wav",
            cost=self._s.speech_engine.estimate(request),
            details={"language": body.language, "voice": body.voice},
            spoken_text=body.text,
            spoken_language=body.language,
            invalid=invalid,
        )

    def voice_clone(self, body: VoiceCloneCreate) -> GenerationAsk:
        model_id = body.model or self._s.settings.resolved_voice_clone_default_model
        seed = _seed(body.seed)
        engine = self._s.voice_clone_engine
        language = _spelled(body.language)

        def make_request(materials: Materials) -> VoiceCloneRequest:
            grant = materials.consent
            assert grant is not None  # admission refuses a clone without consent
            references: tuple[bytes, ...] = ()
            # Decided from configuration: the engine may be a stand-in on the pool.
            source = self._s.settings.resolved_voice_clone_models.get(model_id, "")
            if source_uses_reference_audio(source):
                references = tuple(self._s.consents.reference_audio(grant))
            return VoiceCloneRequest(
                model=model_id,
                text=body.text,
                language=language,
                speaker_embedding=self._s.consents.speaker_embedding(grant),
                reference_audio=references,
                seed=seed,
            )

        return GenerationAsk(
            engine=engine,
            model_id=model_id,
            purpose=body.purpose,
            prompt_fields={"text": body.text, "language": body.language},
            make_request=make_request,
            file_extension="wav",
            cost=engine.estimate(
                VoiceCloneRequest(model_id, body.text, language, np.zeros(0, np.float32))
            ),
            details={"language": body.language, "seed": seed},
            voice_id=body.voice_id,
            spoken_text=body.text,
            spoken_language=body.language,
        )

    def music(self, body: MusicCreate) -> GenerationAsk:
        model_id = body.model or self._s.settings.resolved_music_default_model
        seed = _seed(body.seed)

        def make_request(materials: Materials) -> MusicRequest:
            melody = materials.inputs[0].read() if materials.inputs else None
            return MusicRequest(
                model=model_id,
                prompt=body.prompt,
                duration_s=body.duration_s,
                melody=melody,
                seed=seed,
            )

        return GenerationAsk(
            engine=self._s.music_engine,
            model_id=model_id,
            purpose=body.purpose,
            prompt_fields={"prompt": body.prompt},
            make_request=make_request,
            file_extension="wav",
            cost=self._s.music_engine.estimate(
                MusicRequest(
                    model_id,
                    body.prompt,
                    body.duration_s,
                    melody=b"" if body.melody_input_id else None,  # sized, not read, here
                )
            ),
            details={"duration_s": body.duration_s, "seed": seed},
            input_ids=(body.melody_input_id,) if body.melody_input_id else (),
        )

    def video(self, body: VideoCreate) -> GenerationAsk:
        width, height, frames, steps = self._s.settings.video_defaults
        model_id = body.model or self._s.settings.resolved_video_default_model
        prompt = body.prompt or compose_prompt(body.model_dump())
        request = VideoRequest(
            model=model_id,
            prompt=prompt,
            negative_prompt=body.negative_prompt,
            frames=body.frames or frames,
            fps=body.fps,
            width=body.width or width,
            height=body.height or height,
            steps=body.steps or steps,
            seed=_seed(body.seed),
        )
        return GenerationAsk(
            engine=self._s.video_engine,
            model_id=model_id,
            purpose=body.purpose,
            prompt_fields={"prompt": prompt, "negative_prompt": body.negative_prompt},
            make_request=lambda _materials: request,
            file_extension="mp4",
            cost=self._s.video_engine.estimate(request),
            details={
                "frames": request.frames,
                "fps": request.fps,
                "width": request.width,
                "height": request.height,
                "seed": request.seed,
            },
        )
