"""The request path, in one place (see shared/DESIGN.md).

    1 authenticate   token → Principal                       (gateway.auth)
    2 authorise      may a role of the caller do this?       (policies, casbin)
    3 licence        does the model's licence allow purpose? (policies)
    4 consent        voice clones: valid, in-scope consent   (consent)
    5 content        someone else's voice: no payment, password… instructions (policies)
    6 generate       the engine                              (engines)
    7 mark           signed C2PA manifest in the bytes       (watermark)
    8 record         hash-chained audit entry, allow or deny (audit)
    9 respond        artifact id, manifest label, audit seq

The first check that denies stops the path; it is recorded (step 8) before the error reaches
the caller. Steps 7 and 8 run together: the manifest names the audit seq of its own entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ulid import ULID

from audit import AuditEntry, AuditRecord, Decision, prompt_hash, utc_now_iso
from consent import ConsentError, ConsentGrant, Requester
from engines import Engine, EngineError, EngineOutput, ImageRequest
from engines.speech import ESPEAK_MODEL, SpeechRequest, VoiceUnknown, resolve_voice
from engines.voice_clone import VoiceCloneRequest
from gateway import __version__
from gateway.artifacts import ArtifactRow, StoredArtifact
from gateway.auth import AuthError, Principal
from gateway.context import ENGINE_STEP, RequestContext
from gateway.errors import InvalidRequest, NotFound
from gateway.schemas import ImageCreate, SpeechCreate, VoiceCloneCreate
from gateway.services import Services
from policies import AccessGrant, Licence, PolicyError, Purpose
from watermark import GenerationManifest, ManifestReport, WatermarkError, read_manifest

_log = logging.getLogger(__name__)

_BEARER = "bearer "


@dataclass(frozen=True)
class GenerationAsk:
    """What one generation request asks for, whatever the engine family.

    ``make_request`` builds the engine's request once the checks passed; it receives the
    consent grant when the ask names a voice (``voice_id``), whose owner must have consented.
    """

    engine: Engine
    model_id: str
    purpose: Purpose
    prompt_fields: dict[str, str | None]
    make_request: Callable[[ConsentGrant | None], Any]
    file_extension: str
    details: dict[str, Any] = field(default_factory=dict)
    voice_id: str | None = None
    spoken_text: str | None = None


@dataclass(frozen=True)
class Generation:
    artifact_id: str
    mime_type: str
    sha256: str
    audit_seq: int
    manifest_label: str
    model: str
    licence: str
    purpose: Purpose
    request_id: str
    consent_id: str | None = None
    voice_id: str | None = None


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    if authorization[: len(_BEARER)].lower() != _BEARER:
        return ""
    return authorization[len(_BEARER) :].strip()


class Pipeline:
    def __init__(self, services: Services) -> None:
        self._s = services

    # -- 1. authenticate ---------------------------------------------------------------------

    def authenticate(self, authorization: str | None, ctx: RequestContext) -> Principal:
        """Verify the bearer token. A refusal is audited, then raised (AuthError)."""
        with ctx.step("auth"):
            try:
                principal = self._s.verifier.verify(bearer_token(authorization))
            except AuthError as error:
                self.record_denial(ctx, "authenticate", error.code, error.reason)
                raise
        ctx.principal = principal
        return principal

    def identify(self, authorization: str | None) -> Principal | None:
        """Who sent a request that failed before authentication ran (for its audit entry)."""
        try:
            return self._s.verifier.verify(bearer_token(authorization))
        except (AuthError, PolicyError):
            return None

    # -- 2. authorise ------------------------------------------------------------------------

    def authorise(
        self, principal: Principal, resource: str, action: str, ctx: RequestContext, **audit: Any
    ) -> AccessGrant:
        """Check the role permission; a denial is audited, then raised (PolicyError)."""
        with ctx.step("authorise"):
            try:
                return self._s.access.check(principal.roles, resource, action)
            except PolicyError as error:
                self.record_denial(ctx, action, error.code, error.reason, **audit)
                raise

    # -- the generation path -----------------------------------------------------------------

    def generate_image(
        self, principal: Principal, body: ImageCreate, ctx: RequestContext
    ) -> Generation:
        """Run the path for a text-to-image request. Raises the first denial's error."""
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
            seed=secrets.randbelow(2**32) if body.seed is None else body.seed,
        )
        ask = GenerationAsk(
            engine=self._s.image_engine,
            model_id=model_id,
            purpose=body.purpose,
            prompt_fields={"prompt": body.prompt, "negative_prompt": body.negative_prompt},
            make_request=lambda _grant: request,
            file_extension="png",
            details={"width": request.width, "height": request.height, "seed": request.seed},
        )
        return self._run(principal, ask, ctx)

    def speak(self, principal: Principal, body: SpeechCreate, ctx: RequestContext) -> Generation:
        """Text to speech with a built-in voice: no consent needed, nobody is imitated."""
        try:
            resolve_voice(body.language, body.voice)
        except VoiceUnknown as unknown:
            error = InvalidRequest(unknown.code, unknown.reason)
            self.record_denial(ctx, "generate", error.code, error.reason, engine="speech")
            raise error from unknown
        request = SpeechRequest(
            model=ESPEAK_MODEL, text=body.text, language=body.language, voice=body.voice
        )
        ask = GenerationAsk(
            engine=self._s.speech_engine,
            model_id=ESPEAK_MODEL,
            purpose=body.purpose,
            prompt_fields={"text": body.text, "voice": body.voice, "language": body.language},
            make_request=lambda _grant: request,
            file_extension="wav",
            details={"language": body.language, "voice": body.voice},
        )
        return self._run(principal, ask, ctx)

    def clone_voice(
        self, principal: Principal, body: VoiceCloneCreate, ctx: RequestContext
    ) -> Generation:
        """Speech in an enrolled person's voice, within the scope of their consent."""
        model_id = body.model or self._s.settings.resolved_voice_clone_default_model
        seed = secrets.randbelow(2**32) if body.seed is None else body.seed

        def make_request(grant: ConsentGrant | None) -> VoiceCloneRequest:
            assert grant is not None
            references = (
                ()
                if model_id.startswith("consentgate/tiny")
                else tuple(self._s.consents.reference_audio(grant))
            )
            return VoiceCloneRequest(
                model=model_id,
                text=body.text,
                language=body.language,
                speaker_embedding=self._s.consents.speaker_embedding(grant),
                reference_audio=references,
                seed=seed,
            )

        ask = GenerationAsk(
            engine=self._s.voice_clone_engine,
            model_id=model_id,
            purpose=body.purpose,
            prompt_fields={"text": body.text, "language": body.language},
            make_request=make_request,
            file_extension="wav",
            details={"language": body.language, "seed": seed},
            voice_id=body.voice_id,
            spoken_text=body.text,
        )
        return self._run(principal, ask, ctx)

    def _run(self, principal: Principal, ask: GenerationAsk, ctx: RequestContext) -> Generation:
        kind = ask.engine.kind
        deny: dict[str, Any] = {
            "engine": kind,
            "model": ask.model_id,
            "purpose": ask.purpose,
            "prompt_fields": ask.prompt_fields,
            "details": {} if ask.voice_id is None else {"voice_id": ask.voice_id},
        }
        if ask.model_id not in ask.engine.model_ids():
            error = InvalidRequest("model_unknown", f"{kind} model {ask.model_id!r} is not served")
            self.record_denial(ctx, "generate", error.code, error.reason, **deny)
            raise error
        # 2. authorise
        grant = self.authorise(principal, kind, "generate", ctx, **deny)
        deny["policy_rule"] = grant.rule
        # 3. licence
        licence = self._check_licence(ask, ctx, deny)
        # 4. consent
        consent = self._check_consent(principal, ask, ctx, deny)
        # 5. content
        self._check_content(principal, ask, consent, ctx, deny)
        # 6. generate
        output = self._generate(ask, consent, ctx, deny)
        # 7. mark + 8. record
        artifact_id = str(ULID())
        entry, signed = self._mark_and_record(
            ask, output, licence, grant, consent, artifact_id, ctx
        )
        # 9. respond
        return self._store(
            principal, ask, output.mime_type, signed, entry, licence, artifact_id, consent, ctx
        )

    def _check_consent(
        self, principal: Principal, ask: GenerationAsk, ctx: RequestContext, deny: dict[str, Any]
    ) -> ConsentGrant | None:
        if ask.voice_id is None:
            return None  # only a voice clone imitates a person
        requester = Requester(principal.subject, principal.groups, principal.roles)
        with ctx.step("consent"):
            try:
                grant = self._s.consents.check(
                    ask.voice_id, requester, str(ask.purpose), ask.model_id, dt.datetime.now(dt.UTC)
                )
            except ConsentError as error:
                self.record_denial(ctx, "generate", error.code, error.reason, **deny)
                raise
        deny["details"] = {"voice_id": grant.voice_id, "consent_id": grant.consent_id}
        return grant

    def _check_content(
        self,
        principal: Principal,
        ask: GenerationAsk,
        consent: ConsentGrant | None,
        ctx: RequestContext,
        deny: dict[str, Any],
    ) -> None:
        if consent is None or ask.spoken_text is None:
            return
        with ctx.step("content"):
            try:
                self._s.content_rules.check(
                    ask.spoken_text, own_voice=consent.owner == principal.subject
                )
            except PolicyError as error:
                self.record_denial(ctx, "generate", error.code, error.reason, **deny)
                raise

    def _check_licence(
        self, ask: GenerationAsk, ctx: RequestContext, deny: dict[str, Any]
    ) -> Licence:
        with ctx.step("licence"):
            try:
                return self._s.licences.check(ask.model_id, ask.purpose)
            except PolicyError as error:
                self.record_denial(ctx, "generate", error.code, error.reason, **deny)
                raise

    def _generate(
        self,
        ask: GenerationAsk,
        consent: ConsentGrant | None,
        ctx: RequestContext,
        deny: dict[str, Any],
    ) -> EngineOutput:
        try:
            if consent is not None:
                self._s.consents.consume(consent)  # counted against max_uses, atomically
            request = ask.make_request(consent)
        except ConsentError as error:
            self.record_denial(ctx, "generate", error.code, error.reason, **deny)
            raise
        with ctx.step(ENGINE_STEP):
            try:
                return ask.engine.generate(request)
            except EngineError as error:
                self.record_denial(
                    ctx, "generate", error.code, error.reason, decision=Decision.ERROR, **deny
                )
                raise

    def _mark_and_record(
        self,
        ask: GenerationAsk,
        output: EngineOutput,
        licence: Licence,
        grant: AccessGrant,
        consent: ConsentGrant | None,
        artifact_id: str,
        ctx: RequestContext,
    ) -> tuple[AuditEntry, bytes]:
        principal = ctx.principal
        assert principal is not None
        signed: dict[int, tuple[bytes, str]] = {}
        voice: dict[str, Any] = {}
        if consent is not None:
            # What the manifest says of a cloned voice: whose consent, and that it is synthetic.
            voice = {
                "voice_id": consent.voice_id,
                "consent_id": consent.consent_id,
                "synthetic_voice": True,
            }

        def build(seq: int) -> AuditRecord:
            with ctx.step("mark"):
                manifest = GenerationManifest(
                    title=f"{artifact_id}.{ask.file_extension}",
                    engine=str(ask.engine.kind),
                    model_id=ask.model_id,
                    request_id=ctx.request_id,
                    audit_seq=seq,
                    purpose=str(ask.purpose),
                    licence=licence.label,
                    software_version=__version__,
                    extra={"artifact_id": artifact_id, **voice},
                )
                asset = self._s.signer.sign(output.data, output.mime_type, manifest)
            signed[seq] = (asset.data, asset.manifest_label)
            return AuditRecord(
                request_id=ctx.request_id,
                action="generate",
                decision=Decision.ALLOW,
                code="ok",
                reason=f"{grant.role} may generate {ask.engine.kind}; {licence.label} allows "
                f"{ask.purpose}",
                subject=principal.subject,
                roles=principal.roles,
                engine=str(ask.engine.kind),
                model=ask.model_id,
                purpose=str(ask.purpose),
                prompt_hash=prompt_hash(ask.prompt_fields),
                output_sha256=hashlib.sha256(asset.data).hexdigest(),
                manifest_label=asset.manifest_label,
                policy_rule=grant.rule,
                details={
                    "artifact_id": artifact_id,
                    "licence": licence.label,
                    "device": output.device,
                    **ask.details,
                    **voice,
                },
            )

        try:
            with ctx.step("record"):
                entry = self._s.audit.append_built(build, ask.prompt_fields)
        except WatermarkError as error:
            self.record_denial(
                ctx,
                "generate",
                error.code,
                error.reason,
                decision=Decision.ERROR,
                engine=ask.engine.kind,
                model=ask.model_id,
                purpose=ask.purpose,
                prompt_fields=ask.prompt_fields,
                details=voice,
            )
            raise
        return entry, signed[entry.seq][0]

    def _store(
        self,
        principal: Principal,
        ask: GenerationAsk,
        mime_type: str,
        data: bytes,
        entry: AuditEntry,
        licence: Licence,
        artifact_id: str,
        consent: ConsentGrant | None,
        ctx: RequestContext,
    ) -> Generation:
        assert entry.output_sha256 is not None and entry.manifest_label is not None
        with ctx.step("store"):
            self._s.artifacts.save(
                ArtifactRow(
                    id=artifact_id,
                    owner=principal.subject,
                    mime_type=mime_type,
                    sha256=entry.output_sha256,
                    size=len(data),
                    file_name="",
                    audit_seq=entry.seq,
                    manifest_label=entry.manifest_label,
                    created_at=utc_now_iso(),
                ),
                data,
            )
        return Generation(
            artifact_id=artifact_id,
            mime_type=mime_type,
            sha256=entry.output_sha256,
            audit_seq=entry.seq,
            manifest_label=entry.manifest_label,
            model=ask.model_id,
            licence=licence.label,
            purpose=ask.purpose,
            request_id=ctx.request_id,
            consent_id=consent.consent_id if consent else None,
            voice_id=consent.voice_id if consent else None,
        )

    # -- reading back ------------------------------------------------------------------------

    def fetch_artifact(
        self, principal: Principal, artifact_id: str, ctx: RequestContext
    ) -> StoredArtifact:
        """The artifact, for its requester or a role that may read others' (audited).

        Raises:
            NotFound: it does not exist, or the caller may not see it (indistinguishable).
        """
        artifact = self._s.artifacts.get(artifact_id)
        may_read = artifact is not None and (
            artifact.owner == principal.subject
            or self._s.access.allows(principal.roles, "artifact", "read_audit")
        )
        if artifact is None or not may_read:
            error = NotFound("artifact_not_found", f"no artifact {artifact_id}")
            self.record_denial(
                ctx, "read_artifact", error.code, error.reason, details={"artifact_id": artifact_id}
            )
            raise error
        self.record_allow(
            ctx,
            "read_artifact",
            f"read by {principal.subject}",
            details={"artifact_id": artifact_id, "owner": artifact.owner},
        )
        return artifact

    def artifact_manifest(
        self, principal: Principal, artifact_id: str, ctx: RequestContext
    ) -> ManifestReport:
        """The artifact's C2PA manifest as a reader trusting the organisation's CA sees it.

        Raises:
            NotFound: as for ``fetch_artifact``.
        """
        artifact = self.fetch_artifact(principal, artifact_id, ctx)
        data = artifact.path.read_bytes()
        return read_manifest(data, artifact.mime_type, self._s.signer.trust_anchors_pem)

    # -- 8. record (denials and plain allows) ------------------------------------------------

    def record_denial(
        self,
        ctx: RequestContext,
        action: str,
        code: str,
        reason: str,
        *,
        decision: str = Decision.DENY,
        engine: str | None = None,
        model: str | None = None,
        purpose: str | None = None,
        policy_rule: tuple[str, ...] | None = None,
        prompt_fields: dict[str, str | None] | None = None,
        details: dict[str, Any] | None = None,
    ) -> AuditEntry:
        """Append a deny (or error) entry; the caller then raises the matching error."""
        principal = ctx.principal
        record = AuditRecord(
            request_id=ctx.request_id,
            action=action,
            decision=decision,
            code=code,
            reason=reason,
            subject=principal.subject if principal else None,
            roles=principal.roles if principal else (),
            engine=None if engine is None else str(engine),
            model=model,
            purpose=None if purpose is None else str(purpose),
            prompt_hash=None if prompt_fields is None else prompt_hash(prompt_fields),
            policy_rule=policy_rule,
            details={"method": ctx.method, "path": ctx.path, **(details or {})},
        )
        with ctx.step("record"):
            return self._s.audit.append(record, prompt_fields)

    def record_allow(
        self, ctx: RequestContext, action: str, reason: str, details: dict[str, Any] | None = None
    ) -> AuditEntry:
        principal = ctx.principal
        assert principal is not None
        record = AuditRecord(
            request_id=ctx.request_id,
            action=action,
            decision=Decision.ALLOW,
            code="ok",
            reason=reason,
            subject=principal.subject,
            roles=principal.roles,
            details={"method": ctx.method, "path": ctx.path, **(details or {})},
        )
        with ctx.step("record"):
            return self._s.audit.append(record)
