"""Uploading inputs: checked (audio only, bounded), licence declared, stored, audited."""

from __future__ import annotations

import hashlib

from ulid import ULID

from audit import utc_now_iso
from consent import AudioRejected, AudioTooLarge, AudioUnsupported
from consent.audio import AudioInfo, AudioTooLong, probe
from gateway.audit_writer import AuditWriter
from gateway.auth import Principal
from gateway.context import RequestContext
from gateway.errors import GatewayError
from gateway.inputs import MAX_INPUT_BYTES, InputRow, StoredInput
from gateway.pipeline import Pipeline
from gateway.refusals import RefusalPath
from gateway.services import Services

# An input is a melody or an audio prompt, of which engines use at most the first 10 s
# (music.MAX_MELODY_S); a minute is what MAX_INPUT_BYTES holds as 48 kHz stereo WAV, and it
# bounds the decoding that checks an upload (a 96 KB FLAC can decode to an hour).
MAX_INPUT_SECONDS = 60.0


class InputTooLarge(GatewayError):
    status = 413


class InputUnsupported(GatewayError):
    status = 415


class InputInvalid(GatewayError):
    status = 422


def checked_audio(data: bytes) -> AudioInfo:
    """Decode an input, at most MAX_INPUT_SECONDS of it, to check that it really is audio.

    Raises:
        InputTooLarge: over MAX_INPUT_BYTES (input_too_large).
        InputUnsupported: empty, or not WAV, FLAC, MP3, OGG or WebM (input_unsupported).
        InputInvalid: undecodable or without samples (input_invalid), or longer than
            MAX_INPUT_SECONDS (input_too_long).
    """
    too_large = InputTooLarge("input_too_large", "an input may be at most 10 MiB")
    if len(data) > MAX_INPUT_BYTES:
        raise too_large
    try:
        return probe(data, MAX_INPUT_SECONDS)
    except AudioTooLarge as error:
        raise too_large from error
    except AudioUnsupported as error:
        raise InputUnsupported(
            "input_unsupported", "inputs must be WAV, FLAC, MP3, OGG or WebM"
        ) from error
    except AudioTooLong as error:
        raise InputInvalid("input_too_long", error.reason) from error
    except AudioRejected as error:
        raise InputInvalid("input_invalid", error.reason) from error


class Uploads:
    def __init__(
        self, services: Services, pipeline: Pipeline, writer: AuditWriter, refusals: RefusalPath
    ) -> None:
        self._s = services
        self._pipeline = pipeline
        self._writer = writer
        self._refusals = refusals

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
        with self._refusals.guard(ctx, "upload", details=details):
            audio = checked_audio(data)
            if licence is not None:
                self._s.licences.input_licence(licence, licence_id)
        row = InputRow(
            id=f"input_{ULID()}",
            owner=principal.subject,
            sha256=sha256,
            mime_type=audio.mime_type,
            size=len(data),
            licence=licence,
            licence_id=licence_id,
            file_name="",
            created_at=utc_now_iso(),
        )
        self._s.inputs.save(row, data)
        self._writer.allow(ctx, "upload", "input stored", {**details, "input_id": row.id})
        stored = self._s.inputs.get(row.id, principal.subject)
        assert stored is not None
        return stored
