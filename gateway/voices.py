"""Voice owners and compliance officers: challenge, enrol, list, download, revoke, suspend.

Every decision here is audited, like the generation path: ``enrol``, ``revoke``,
``suspend`` and ``legal_hold`` entries carry the voice and consent ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from fastapi import UploadFile
from starlette.concurrency import run_in_threadpool

import audit
from consent import (
    MAX_AUDIO_BYTES,
    MAX_REFERENCES,
    Challenge,
    ConsentScope,
    Enrolment,
    ReviewOwnEnrolment,
    VoiceNotFound,
    VoiceSummary,
)
from gateway.audit_writer import AuditWriter
from gateway.auth import Principal
from gateway.context import RequestContext
from gateway.errors import InvalidRequest
from gateway.oversight import may_read_others
from gateway.pipeline import Pipeline
from gateway.refusals import RefusalPath
from gateway.schemas import ChallengeCreate
from gateway.services import Services

T = TypeVar("T")


class VoiceDesk:
    def __init__(
        self, services: Services, pipeline: Pipeline, writer: AuditWriter, refusals: RefusalPath
    ) -> None:
        self._s = services
        self._pipeline = pipeline
        self._writer = writer
        self._refusals = refusals

    def _audited(
        self, ctx: RequestContext, action: str, details: dict[str, Any], run: Callable[[], T]
    ) -> T:
        """Run ``run``; whatever it raises is recorded as the refusal of ``action``."""
        with self._refusals.guard(ctx, action, details=details):
            return run()

    def issue_challenge(
        self, principal: Principal, body: ChallengeCreate, ctx: RequestContext
    ) -> Challenge:
        """A statement for the caller to read aloud, binding the scope they grant."""
        self._pipeline.authorise(principal, "voice", "enrol", ctx)
        now = dt.datetime.now(dt.UTC)
        served = self._s.voice_clone_engine.model_ids()
        engines = tuple(body.scope.engines) if body.scope.engines is not None else tuple(served)

        def issue() -> Challenge:
            unknown = sorted(set(engines) - set(served))
            if unknown:
                raise InvalidRequest("engine_unknown", f"voice-clone engines not served: {unknown}")
            scope = ConsentScope(
                subjects=tuple(body.scope.subjects),
                groups=tuple(body.scope.groups),
                roles=tuple(body.scope.roles),
                purposes=tuple(str(p) for p in body.scope.purposes),
                engines=engines,
                expires_at=body.scope.expires_at,
                max_uses=body.scope.max_uses,
            )
            scope.validate(now)
            statement = self._s.statements.render(
                body.language,
                principal.display_name,
                self._s.settings.organisation,
                scope.purposes,
                scope.expires_at,
            )
            return self._s.challenges.issue(
                subject=principal.subject,
                subject_name=principal.display_name,
                scope=scope,
                statement=statement.text,
                phrase=statement.phrase,
                language=statement.language,
                template_version=statement.template_version,
                now=now,
            )

        challenge = self._audited(ctx, "challenge", {}, issue)
        self._writer.allow(
            ctx, "challenge", "consent statement issued", details={"challenge_id": challenge.id}
        )
        return challenge

    def admit_enrolment(
        self, principal: Principal, challenge_id: str, references: int, ctx: RequestContext
    ) -> None:
        """Before any recording is read: may the caller enrol, and is the count right?

        Raises:
            PolicyError: the caller may not enrol; InvalidRequest: 0 or too many references.
        """
        details = {"challenge_id": challenge_id}
        self._pipeline.authorise(principal, "voice", "enrol", ctx, details=details)
        if not 1 <= references <= MAX_REFERENCES:
            error = InvalidRequest(
                "references_count", f"upload 1 to {MAX_REFERENCES} reference recordings"
            )
            self._refusals.refuse(ctx, "enrol", error, details=details)

    def enrol(
        self,
        principal: Principal,
        challenge_id: str,
        references: Sequence[bytes],
        statement: bytes,
        ctx: RequestContext,
    ) -> Enrolment:
        """Verify the spoken statement against the references and record the consent."""
        details = {"challenge_id": challenge_id}
        self.admit_enrolment(principal, challenge_id, len(references), ctx)
        now = dt.datetime.now(dt.UTC)

        def enrol() -> Enrolment:
            challenge = self._s.challenges.redeem(challenge_id, principal.subject, now)
            return self._s.enroller.enrol(challenge, references, statement, now)

        with ctx.step("enrol"):
            enrolment = self._audited(ctx, "enrol", details, enrol)
        phrase_check = enrolment.document["record"]["statement"]["phrase_check"]
        self._writer.allow(
            ctx,
            "enrol",
            f"voice enrolled ({enrolment.status}) with similarity {enrolment.similarity:.3f}",
            details={
                **details,
                "voice_id": enrolment.voice_id,
                "consent_id": enrolment.consent_id,
                "similarity": round(enrolment.similarity, 4),
                "status": enrolment.status,
                "phrase_check": phrase_check,
            },
        )
        return enrolment

    async def enrol_uploads(
        self,
        principal: Principal,
        challenge_id: str,
        references: Sequence[UploadFile],
        statement: UploadFile,
        ctx: RequestContext,
    ) -> Enrolment:
        """``enrol`` from a form's files (the API's and the workspace's): the caller and the
        count are checked before a byte is read, and each file is read one byte past the
        limit at most (enough for the check to refuse it). Raises as those two do."""
        await run_in_threadpool(self.admit_enrolment, principal, challenge_id, len(references), ctx)
        clips = [await upload.read(MAX_AUDIO_BYTES + 1) for upload in references]
        spoken = await statement.read(MAX_AUDIO_BYTES + 1)
        return await run_in_threadpool(self.enrol, principal, challenge_id, clips, spoken, ctx)

    def voices_of(
        self, principal: Principal, status: str | None, ctx: RequestContext
    ) -> list[VoiceSummary]:
        """The caller's own voices; every owner's for those who review voices (the review
        queue: ``status=pending_review``). Audited: who looked, at what, how many they saw."""
        everyone = self._s.access.allows(principal.roles, "voice", "review_voice")
        owner = None if everyone else principal.subject
        voices = self._s.consents.voices(owner=owner, status=status)
        details = {"status": status, "all_owners": everyone, "returned": len(voices)}
        self._writer.allow(ctx, "list_voices", "voices listed", details)
        return voices

    def statement(
        self, principal: Principal, voice_id: str, ctx: RequestContext
    ) -> tuple[bytes, str]:
        """The statement audio of a pending enrolment, for its reviewer (audited). Nobody
        else ever gets audio back, and nobody gets it once the review is over."""
        details = {"voice_id": voice_id}
        self._pipeline.authorise(principal, "voice", "review_voice", ctx, details=details)
        audio = self._audited(
            ctx, "read_statement", details, lambda: self._reviewable_statement(principal, voice_id)
        )
        self._writer.allow(ctx, "read_statement", "statement played for review", details)
        return audio

    def _reviewable_statement(self, principal: Principal, voice_id: str) -> tuple[bytes, str]:
        if self._s.consents.owner_of(voice_id) == principal.subject:
            raise ReviewOwnEnrolment("nobody reviews their own enrolment")
        return self._s.consents.statement_audio(voice_id)

    def review(
        self, principal: Principal, voice_id: str, decision: str, reason: str, ctx: RequestContext
    ) -> VoiceSummary:
        """A compliance officer approves or rejects a pending enrolment (audited)."""
        details = {"voice_id": voice_id, "decision": decision}
        self._pipeline.authorise(principal, "voice", "review_voice", ctx, details=details)
        now = dt.datetime.now(dt.UTC)
        summary = self._audited(
            ctx,
            "review_voice",
            details,
            lambda: self._s.consents.review(voice_id, principal.subject, decision, reason, now),
        )
        self._record_end(ctx, "review_voice", f"{decision}: {reason}", summary)
        return summary

    def resume(self, principal: Principal, voice_id: str, ctx: RequestContext) -> VoiceSummary:
        """An officer lifts a suspension (audited)."""
        return self._officer_change(
            principal, voice_id, "resume", "suspension lifted", ctx,
            lambda: self._s.consents.resume(voice_id),
        )  # fmt: skip

    def end_suspension(
        self, principal: Principal, voice_id: str, reason: str, ctx: RequestContext
    ) -> VoiceSummary:
        """An officer ends a suspended voice for good (shredded unless on legal hold)."""
        now = dt.datetime.now(dt.UTC)
        return self._officer_change(
            principal, voice_id, "end_suspension", f"ended: {reason}", ctx,
            lambda: self._s.consents.end_suspension(voice_id, principal.subject, reason, now),
        )  # fmt: skip

    def record(self, principal: Principal, voice_id: str, ctx: RequestContext) -> dict[str, Any]:
        """The signed consent record: for the owner, or roles that may read any (audited)."""
        may_read_any = may_read_others(self._s.access, principal, "voice")
        details = {"voice_id": voice_id}
        document = self._audited(
            ctx,
            "read_consent",
            details,
            lambda: self._s.consents.document(voice_id, principal.subject, may_read_any),
        )
        self._writer.allow(ctx, "read_consent", "consent record read", details=details)
        return document

    def uses(
        self,
        principal: Principal,
        voice_id: str,
        ctx: RequestContext,
        limit: int,
        cursor: str | None,
    ) -> audit.AuditPage:
        """The clones made with the voice, newest first, from the audit log: for its owner or
        roles that may read any voice (audited). Shredded voices keep their history.

        Raises:
            VoiceNotFound: no such voice, or the caller may not see it (indistinguishable).
            CursorInvalid: ``cursor`` was not issued by the search.
        """
        may_read_any = may_read_others(self._s.access, principal, "voice")
        details = {"voice_id": voice_id, "cursor": cursor}
        produced = audit.AuditFilter(
            voice_id=voice_id, action="generate", decision=audit.Decision.ALLOW, code="ok"
        )

        def find() -> audit.AuditPage:
            owner = self._s.consents.owner_of(voice_id)
            if owner is None or not (owner == principal.subject or may_read_any):
                raise VoiceNotFound(f"no voice {voice_id}")
            return audit.search(self._s.db, produced, limit, cursor)

        page = self._audited(ctx, "read_voice_uses", details, find)
        returned = {**details, "returned": len(page.items)}
        self._writer.allow(ctx, "read_voice_uses", "uses of a voice read", details=returned)
        return page

    def revoke(self, principal: Principal, voice_id: str, ctx: RequestContext) -> VoiceSummary:
        """The owner revokes, whatever their roles: effective on the next request."""
        details = {"voice_id": voice_id}
        now = dt.datetime.now(dt.UTC)
        summary = self._audited(
            ctx,
            "revoke",
            details,
            lambda: self._s.consents.revoke(voice_id, principal.subject, now),
        )
        self._record_end(ctx, "revoke", "revoked by the owner", summary)
        return summary

    def suspend(
        self, principal: Principal, voice_id: str, reason: str, ctx: RequestContext
    ) -> VoiceSummary:
        """An officer stops all use of a voice, keeping its data (audited)."""
        now = dt.datetime.now(dt.UTC)
        return self._officer_change(
            principal, voice_id, "suspend", f"suspended: {reason}", ctx,
            lambda: self._s.consents.suspend(voice_id, principal.subject, reason, now),
        )  # fmt: skip

    def _officer_change(
        self,
        principal: Principal,
        voice_id: str,
        action: str,
        note: str,
        ctx: RequestContext,
        change: Callable[[], VoiceSummary],
    ) -> VoiceSummary:
        """A state change only officers may make (casbin ``voice, revoke``): authorised, then
        applied, each refusal and the result audited as ``action``."""
        details = {"voice_id": voice_id}
        self._pipeline.authorise(principal, "voice", "revoke", ctx, details=details)
        summary = self._audited(ctx, action, details, change)
        self._record_end(ctx, action, note, summary)
        return summary

    def legal_hold(
        self, principal: Principal, voice_id: str, hold: bool, ctx: RequestContext
    ) -> VoiceSummary:
        details = {"voice_id": voice_id, "hold": hold}
        self._pipeline.authorise(principal, "voice", "revoke", ctx, details=details)
        summary = self._audited(
            ctx, "legal_hold", details, lambda: self._s.consents.set_legal_hold(voice_id, hold)
        )
        self._record_end(ctx, "legal_hold", f"legal hold {'set' if hold else 'cleared'}", summary)
        return summary

    def _record_end(
        self, ctx: RequestContext, action: str, reason: str, summary: VoiceSummary
    ) -> None:
        self._writer.allow(
            ctx,
            action,
            reason,
            details={
                "voice_id": summary.voice_id,
                "consent_id": summary.consent_id,
                "status": summary.status,
                "legal_hold": summary.legal_hold,
                "data_destroyed": summary.data_destroyed,
            },
        )
