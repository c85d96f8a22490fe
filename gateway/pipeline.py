"""The request path, in one place (see shared/DESIGN.md).

    1 authenticate   token → Principal                       (gateway.auth)
    2 authorise      may a role of the caller do this?       (policies, casbin)
    3 licence        the model's licence, and each input's, against the purpose (policies)
    4 consent        voice clones: valid, in-scope consent   (consent)
    5 content        someone else's voice: no payment, password… instructions (policies)
    6 generate       the engine                              (engines)
    7 mark           signed C2PA manifest in the bytes       (watermark)
    8 record         hash-chained audit entry, allow or deny (audit)
    9 respond        artifact id, manifest label, audit seq

``admit`` runs steps 2–5 and ``produce`` steps 6–9, so a job can be admitted when it is
submitted and produced later (admitted again then: rules, consent or inputs may have changed).
The first check that denies stops the path; it is recorded (step 8) before the error reaches
the caller. Steps 7 and 8 run together: the manifest names the audit seq of its own entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from dataclasses import dataclass
from typing import Any

from ulid import ULID

from audit import AuditEntry, AuditRecord, Decision, prompt_hash, utc_now_iso
from consent import ConsentGrant, Requester
from engines import (
    EngineError,
    EngineFailed,
    EngineOutOfMemory,
    EngineOutput,
    GenerationCancelled,
    ProgressCallback,
)
from gateway import __version__
from gateway.admission import AdmissionControl
from gateway.artifacts import ArtifactRow
from gateway.asks import GenerationAsk, Materials
from gateway.audit_writer import request_details
from gateway.auth import Principal
from gateway.context import ENGINE_STEP, RequestContext
from gateway.errors import InvalidRequest, NotFound
from gateway.executor import Watch
from gateway.inputs import StoredInput
from gateway.metrics import observe_generation
from gateway.refusals import RefusalPath
from gateway.services import Services
from policies import AccessGrant, Licence, Purpose
from watermark import GenerationManifest, Ingredient

_log = logging.getLogger(__name__)

_BEARER = "bearer "


@dataclass(frozen=True)
class Admission:
    """An ask that passed steps 2–5, with what they released and what its entries carry."""

    principal: Principal
    ask: GenerationAsk
    grant: AccessGrant
    licence: Licence
    materials: Materials
    audit: dict[str, Any]


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


def engine_failure(error: BaseException) -> EngineError:
    """What an engine's own exception means to a caller: out of memory, or a coded failure."""
    if isinstance(error, EngineError):
        return error
    if isinstance(error, MemoryError) or type(error).__name__ == "OutOfMemoryError":
        return EngineOutOfMemory("the engine ran out of memory")
    return EngineFailed(f"the engine failed ({type(error).__name__})")


class Pipeline:
    def __init__(
        self, services: Services, refusals: RefusalPath, admission: AdmissionControl
    ) -> None:
        self._s = services
        self._refusals = refusals
        self._admission = admission

    # -- 1. authenticate ---------------------------------------------------------------------

    def authenticate(self, authorization: str | None, ctx: RequestContext) -> Principal:
        """Verify the bearer token. A refusal is audited, then raised (AuthError)."""
        with ctx.step("auth"), self._refusals.guard(ctx, "authenticate"):
            principal = self._s.verifier.verify(bearer_token(authorization))
        ctx.principal = principal
        return principal

    def identify(self, authorization: str | None) -> Principal | None:
        """Who sent a request that failed before authentication ran (for its audit entry)."""
        try:
            return self._s.verifier.verify(bearer_token(authorization))
        except Exception:
            return None

    # -- 2. authorise ------------------------------------------------------------------------

    def authorise(
        self, principal: Principal, resource: str, action: str, ctx: RequestContext, **audit: Any
    ) -> AccessGrant:
        """Check the role permission; a denial is audited, then raised (PolicyError)."""
        with ctx.step("authorise"), self._refusals.guard(ctx, action, **audit):
            return self._s.access.check(principal.roles, resource, action)

    # -- the generation path -----------------------------------------------------------------

    def generate(self, principal: Principal, ask: GenerationAsk, ctx: RequestContext) -> Generation:
        """The whole path, now. Raises the first denial's error."""
        return self.produce(self.admit(principal, ask, ctx), ctx)

    def admit(self, principal: Principal, ask: GenerationAsk, ctx: RequestContext) -> Admission:
        """Steps 2–5: every check before the engine. A denial is audited, then raised."""
        audit: dict[str, Any] = {
            "engine": ask.engine.kind,
            "model": ask.model_id,
            "purpose": ask.purpose,
            "prompt_fields": ask.prompt_fields,
            "details": {} if ask.voice_id is None else {"voice_id": ask.voice_id},
        }
        # 2. authorise
        grant = self.authorise(principal, ask.engine.kind, "generate", ctx, **audit)
        audit["policy_rule"] = grant.rule
        self._check_language(ask, ctx, audit)
        self._refuse_invalid(ask, ctx, audit)
        self._refuse_costly(ask, ctx, audit)
        # 3. licence
        licence = self._check(
            ctx, audit, "licence", lambda: self._s.licences.check(ask.model_id, ask.purpose)
        )
        inputs = self._check_inputs(principal, ask, ctx, audit)
        # 4. consent
        consent = self._check_consent(principal, ask, ctx, audit)
        # 5. content
        self._check_content(principal, ask, consent, ctx, audit)
        return Admission(principal, ask, grant, licence, Materials(consent, inputs), audit)

    def produce(
        self,
        admission: Admission,
        ctx: RequestContext,
        progress: ProgressCallback | None = None,
        watch: Watch | None = None,
    ) -> Generation:
        """Steps 6–9 for an admitted ask, on a generation slot (``watch``: its cancel flag and
        time limit; nothing is marked or stored for a caller that stopped waiting)."""
        watch = watch or Watch(self._s.settings.engine_time_limit_s)
        # 6. generate
        output = self._generate(admission, ctx, progress, watch)
        # 7. mark + 8. record
        artifact_id = str(ULID())
        entry, data = self._mark_and_record(admission, output, artifact_id, ctx)
        # 9. respond
        return self._store(admission, output.mime_type, data, entry, artifact_id, ctx)

    def _refuse_invalid(self, ask: GenerationAsk, ctx: RequestContext, audit: dict) -> None:
        error = ask.invalid
        if error is None and ask.model_id not in ask.engine.model_ids():
            kind = ask.engine.kind
            error = InvalidRequest("model_unknown", f"{kind} model {ask.model_id!r} is not served")
        if error is not None:
            self._refusals.refuse(ctx, "generate", error, **audit)

    def _refuse_costly(self, ask: GenerationAsk, ctx: RequestContext, audit: dict) -> None:
        cost = ask.cost
        audit["details"] = {**audit["details"], "cost": {"work": cost.work, "unit": cost.unit}}
        with self._refusals.guard(ctx, "generate", **audit):
            self._admission.check(ask.engine.kind, cost)

    def _check(self, ctx: RequestContext, audit: dict, step: str, check: Any) -> Any:
        """Run one check, timed as ``step``; a refusal is audited, then raised."""
        with ctx.step(step), self._refusals.guard(ctx, "generate", **audit):
            return check()

    def _check_inputs(
        self, principal: Principal, ask: GenerationAsk, ctx: RequestContext, audit: dict
    ) -> tuple[StoredInput, ...]:
        found: list[StoredInput] = []
        for input_id in ask.input_ids:
            stored = self._s.inputs.get(input_id, principal.subject)
            if stored is None:
                missing = NotFound("input_not_found", f"no input {input_id} of yours")
                self._refusals.refuse(ctx, "generate", missing, **audit)
            found.append(stored)
            audit["details"] = {
                **audit["details"],
                "inputs": [item.audit_view() for item in found],
            }
            self._check_input_licence(stored, ask.purpose, ctx, audit)
        return tuple(found)

    def _check_input_licence(
        self, stored: StoredInput, purpose: Purpose, ctx: RequestContext, audit: dict
    ) -> None:
        check = self._s.licences.check_input
        self._check(ctx, audit, "licence", lambda: check(stored.licence, purpose))

    def _check_consent(
        self, principal: Principal, ask: GenerationAsk, ctx: RequestContext, audit: dict
    ) -> ConsentGrant | None:
        if ask.voice_id is None:
            return None  # only a voice clone imitates a person
        requester = Requester(principal.subject, principal.groups, principal.roles)
        voice_id = ask.voice_id
        grant = self._check(
            ctx,
            audit,
            "consent",
            lambda: self._s.consents.check(
                voice_id, requester, str(ask.purpose), ask.model_id, dt.datetime.now(dt.UTC)
            ),
        )
        audit["details"] = {
            **audit["details"],
            "voice_id": grant.voice_id,
            "consent_id": grant.consent_id,
        }
        return grant

    def _check_content(
        self,
        principal: Principal,
        ask: GenerationAsk,
        consent: ConsentGrant | None,
        ctx: RequestContext,
        audit: dict,
    ) -> None:
        if consent is None or ask.spoken_text is None:
            return
        # Only a verified owner (phrase heard, or approved) may be exempt, and only if the
        # policy exempts owners at all: whoever uploaded three clips is not thereby the owner.
        own_voice = consent.owner == principal.subject and consent.owner_verified
        text, language = ask.spoken_text, ask.spoken_language or ""
        screens = self._s.content_screens
        self._check(
            ctx,
            audit,
            "content",
            lambda: self._s.content_rules.check(
                text, own_voice=own_voice, language=language, screens=screens
            ),
        )

    def _check_language(self, ask: GenerationAsk, ctx: RequestContext, audit: dict) -> None:
        """The declared language of spoken text must be one the gateway speaks, and not
        confidently contradicted by the text (the content rules run on every language anyway;
        this keeps engines and the audit honest about what was said)."""
        if ask.spoken_text is None or ask.spoken_language is None:
            return
        text, declared = ask.spoken_text, ask.spoken_language
        self._check(ctx, audit, "language", lambda: self._s.languages.check(text, declared))

    def _generate(
        self,
        admission: Admission,
        ctx: RequestContext,
        progress: ProgressCallback | None,
        watch: Watch,
    ) -> EngineOutput:
        ask, materials, audit = admission.ask, admission.materials, admission.audit
        with self._refusals.guard(ctx, "generate", **audit):
            if materials.consent is not None:
                # Counted when generation starts (atomically against max_uses); every entry
                # from here on says so, so a failure after this point shows the spent use.
                uses = self._s.consents.consume(materials.consent)
                audit["details"] = {**audit["details"], "consent_uses": uses}
            request = ask.make_request(materials)
        with ctx.step(ENGINE_STEP):
            started = time.perf_counter()
            try:
                output = ask.engine.generate(request, progress=progress, cancel=watch.cancel)
            except Exception as raised:
                failure = engine_failure(raised)
                if isinstance(failure, GenerationCancelled) and watch.past_deadline:
                    failure = watch.timed_out  # cancelled by the time limit, not by a person
                self._refusals.refuse(ctx, "generate", failure, **audit)
        # Labelled by the configured model id the ask was admitted for (bounded, no user data).
        observe_generation(ask.engine.kind, ask.model_id, time.perf_counter() - started, output)
        if not watch.begin_delivery():  # its caller was answered engine_timed_out
            self._refusals.refuse(ctx, "generate", watch.timed_out, **audit)
        return output

    def _mark_and_record(
        self, admission: Admission, output: EngineOutput, artifact_id: str, ctx: RequestContext
    ) -> tuple[AuditEntry, bytes]:
        ask, licence, principal = admission.ask, admission.licence, admission.principal
        consent, inputs = admission.materials.consent, admission.materials.inputs
        signed: dict[int, bytes] = {}
        marked: dict[str, Any] = {"artifact_id": artifact_id}
        if consent is not None:
            # What the manifest says of a cloned voice: whose consent, and that it is synthetic.
            marked.update(
                voice_id=consent.voice_id, consent_id=consent.consent_id, synthetic_voice=True
            )
        if inputs:
            marked["inputs"] = [item.audit_view() for item in inputs]
        ingredients = tuple(
            Ingredient(f"input {item.id}", item.mime_type, item.read(), item.audit_view())
            for item in inputs
        )

        # The consent use counted when generation started (see _generate).
        spent = {
            key: admission.audit["details"][key]
            for key in ("consent_uses",)
            if key in admission.audit["details"]
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
                    extra=marked,
                )
                asset = self._s.signer.sign(output.data, output.mime_type, manifest, ingredients)
            signed[seq] = asset.data
            return AuditRecord(
                request_id=ctx.request_id,
                action="generate",
                decision=Decision.ALLOW,
                code="ok",
                reason=f"{admission.grant.role} may generate {ask.engine.kind}; "
                f"{licence.label} allows {ask.purpose}",
                subject=principal.subject,
                roles=principal.roles,
                engine=str(ask.engine.kind),
                model=ask.model_id,
                purpose=str(ask.purpose),
                prompt_hash=prompt_hash(ask.prompt_fields),
                output_sha256=hashlib.sha256(asset.data).hexdigest(),
                manifest_label=asset.manifest_label,
                policy_rule=admission.grant.rule,
                details={
                    **request_details(ctx),
                    "licence": licence.label,
                    "device": output.device,
                    **ask.details,
                    **spent,
                    **marked,
                },
            )

        audit = {**admission.audit, "details": {**admission.audit["details"], **marked}}
        with ctx.step("record"), self._refusals.guard(ctx, "generate", **audit):
            entry = self._s.audit.append_built(build, ask.prompt_fields)
        return entry, signed[entry.seq]

    def _store(
        self,
        admission: Admission,
        mime_type: str,
        data: bytes,
        entry: AuditEntry,
        artifact_id: str,
        ctx: RequestContext,
    ) -> Generation:
        assert entry.output_sha256 is not None and entry.manifest_label is not None
        consent = admission.materials.consent
        details = {**admission.audit["details"], "allowed_seq": entry.seq}
        audit = {**admission.audit, "details": details}
        with ctx.step("store"), self._refusals.guard(ctx, "generate", **audit):
            self._s.artifacts.save(
                ArtifactRow(
                    id=artifact_id,
                    owner=admission.principal.subject,
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
            model=admission.ask.model_id,
            licence=admission.licence.label,
            purpose=admission.ask.purpose,
            request_id=ctx.request_id,
            consent_id=consent.consent_id if consent else None,
            voice_id=consent.voice_id if consent else None,
        )
