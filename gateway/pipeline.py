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
from dataclasses import dataclass
from typing import Any

from ulid import ULID

from audit import AuditEntry, AuditRecord, Decision, prompt_hash, utc_now_iso
from consent import ConsentError, ConsentGrant, Requester
from engines import CancelFlag, EngineError, EngineOutput, ProgressCallback
from gateway import __version__
from gateway.artifacts import ArtifactRow, StoredArtifact
from gateway.asks import GenerationAsk, Materials
from gateway.auth import AuthError, Principal
from gateway.context import ENGINE_STEP, RequestContext
from gateway.errors import InvalidRequest, NotFound
from gateway.inputs import StoredInput
from gateway.services import Services
from policies import AccessGrant, Licence, PolicyError, Purpose
from watermark import (
    GenerationManifest,
    Ingredient,
    ManifestReport,
    WatermarkError,
    read_manifest,
)

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
        self._refuse_invalid(ask, ctx, audit)
        # 2. authorise
        grant = self.authorise(principal, ask.engine.kind, "generate", ctx, **audit)
        audit["policy_rule"] = grant.rule
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
        cancel: CancelFlag | None = None,
    ) -> Generation:
        """Steps 6–9 for an admitted ask."""
        # 6. generate
        output = self._generate(admission, ctx, progress, cancel)
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
            self.record_denial(ctx, "generate", error.code, error.reason, **audit)
            raise error

    def _check(self, ctx: RequestContext, audit: dict, step: str, check: Any) -> Any:
        """Run one check, timed as ``step``; a refusal is audited, then raised."""
        with ctx.step(step):
            try:
                return check()
            except (PolicyError, ConsentError, NotFound) as error:
                self.record_denial(ctx, "generate", error.code, error.reason, **audit)
                raise

    def _check_inputs(
        self, principal: Principal, ask: GenerationAsk, ctx: RequestContext, audit: dict
    ) -> tuple[StoredInput, ...]:
        found: list[StoredInput] = []
        for input_id in ask.input_ids:
            stored = self._s.inputs.get(input_id, principal.subject)
            if stored is None:
                missing = NotFound("input_not_found", f"no input {input_id} of yours")
                self.record_denial(ctx, "generate", missing.code, missing.reason, **audit)
                raise missing
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
        own_voice = consent.owner == principal.subject
        text = ask.spoken_text
        self._check(
            ctx, audit, "content", lambda: self._s.content_rules.check(text, own_voice=own_voice)
        )

    def _generate(
        self,
        admission: Admission,
        ctx: RequestContext,
        progress: ProgressCallback | None,
        cancel: CancelFlag | None,
    ) -> EngineOutput:
        ask, materials, audit = admission.ask, admission.materials, admission.audit
        try:
            if materials.consent is not None:
                self._s.consents.consume(materials.consent)  # against max_uses, atomically
            request = ask.make_request(materials)
        except ConsentError as error:
            self.record_denial(ctx, "generate", error.code, error.reason, **audit)
            raise
        with ctx.step(ENGINE_STEP):
            try:
                return ask.engine.generate(request, progress=progress, cancel=cancel)
            except EngineError as error:
                self.record_denial(
                    ctx, "generate", error.code, error.reason, decision=Decision.ERROR, **audit
                )
                raise

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
                    **ctx.audit_links,
                    "licence": licence.label,
                    "device": output.device,
                    **ask.details,
                    **marked,
                },
            )

        try:
            with ctx.step("record"):
                entry = self._s.audit.append_built(build, ask.prompt_fields)
        except WatermarkError as error:
            audit = {**admission.audit, "details": {**admission.audit["details"], **marked}}
            self.record_denial(
                ctx, "generate", error.code, error.reason, decision=Decision.ERROR, **audit
            )
            raise
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
        with ctx.step("store"):
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

    def record(
        self,
        ctx: RequestContext,
        action: str,
        decision: str,
        code: str,
        reason: str,
        *,
        engine: str | None = None,
        model: str | None = None,
        purpose: str | None = None,
        policy_rule: tuple[str, ...] | None = None,
        prompt_fields: dict[str, str | None] | None = None,
        details: dict[str, Any] | None = None,
    ) -> AuditEntry:
        """Append one entry for the request in ``ctx`` (with its job links, if any)."""
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
            details={"method": ctx.method, "path": ctx.path, **ctx.audit_links, **(details or {})},
        )
        with ctx.step("record"):
            return self._s.audit.append(record, prompt_fields)

    def record_denial(
        self,
        ctx: RequestContext,
        action: str,
        code: str,
        reason: str,
        *,
        decision: str = Decision.DENY,
        **fields: Any,
    ) -> AuditEntry:
        """Append a deny (or error) entry; the caller then raises the matching error."""
        return self.record(ctx, action, decision, code, reason, **fields)

    def record_allow(
        self, ctx: RequestContext, action: str, reason: str, details: dict[str, Any] | None = None
    ) -> AuditEntry:
        return self.record(ctx, action, Decision.ALLOW, "ok", reason, details=details)
