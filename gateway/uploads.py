"""Uploading inputs: checked (audio only, bounded), licence declared, stored, audited."""

from __future__ import annotations

import hashlib

from ulid import ULID

from audit import utc_now_iso
from consent.audio import sniff_format
from gateway.auth import Principal
from gateway.context import RequestContext
from gateway.errors import GatewayError
from gateway.inputs import MAX_INPUT_BYTES, InputRow, StoredInput
from gateway.pipeline import Pipeline
from gateway.services import Services
from policies import PolicyError

_MIME_TYPES = {"wav": "audio/wav", "flac": "audio/flac", "mp3": "audio/mpeg", "ogg": "audio/ogg"}


class InputTooLarge(GatewayError):
    status = 413


class InputUnsupported(GatewayError):
    status = 415


class Uploads:
    def __init__(self, services: Services, pipeline: Pipeline) -> None:
        self._s = services
        self._pipeline = pipeline

    def upload(
        self,
        principal: Principal,
        data: bytes,
        licence: str | None,
        licence_id: str | None,
        ctx: RequestContext,
    ) -> StoredInput:
        """Store an input. Raises InputTooLarge, InputUnsupported, InputLicenceUnknown."""
        self._pipeline.authorise(principal, "input", "generate", ctx)
        sha256 = hashlib.sha256(data).hexdigest()
        details = {"sha256": sha256, "licence": licence, "licence_id": licence_id}
        try:
            if len(data) > MAX_INPUT_BYTES:
                raise InputTooLarge("input_too_large", "an input may be at most 10 MiB")
            container = sniff_format(data)
            if container is None:
                raise InputUnsupported("input_unsupported", "inputs must be WAV, FLAC, MP3 or OGG")
            if licence is not None:
                self._s.licences.input_licence(licence, licence_id)
        except (GatewayError, PolicyError) as error:
            self._pipeline.record_denial(ctx, "upload", error.code, error.reason, details=details)
            raise
        row = InputRow(
            id=f"input_{ULID()}",
            owner=principal.subject,
            sha256=sha256,
            mime_type=_MIME_TYPES[container],
            size=len(data),
            licence=licence,
            licence_id=licence_id,
            file_name="",
            created_at=utc_now_iso(),
        )
        self._s.inputs.save(row, data)
        self._pipeline.record_allow(ctx, "upload", "input stored", {**details, "input_id": row.id})
        stored = self._s.inputs.get(row.id, principal.subject)
        assert stored is not None
        return stored
