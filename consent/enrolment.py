"""Enrolment: the owner's references and spoken statement become a voice and a signed consent.

Accepted only when the statement's speaker matches the references (resemblyzer cosine ≥ the
threshold) and no recording was used in an earlier enrolment. The voice is ``active`` when a
phrase verifier heard the challenge's random phrase in the statement; otherwise it is
``pending_review`` until a compliance officer listens to the statement and decides: a
recogniser's miss never refuses an honest person, and nothing unheard is usable.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlmodel import Session, col, select
from ulid import ULID

from consent.audio import AudioClip, load_clip
from consent.challenges import Challenge
from consent.copies import refuse_copies
from consent.errors import RecordingReused, SpeakerMismatch, StatementIsReference
from consent.fingerprint import fingerprint_of
from consent.phrase import PhraseVerifier
from consent.record import RECORD_FORMAT, RecordSigner
from consent.scope import iso
from consent.speaker import ENCODER_NAME, SpeakerEncoder
from consent.tables import ConsentRow, VoiceAudioRow, VoiceRow
from consent.vault import VoiceVault

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

_log = logging.getLogger(__name__)

MAX_REFERENCES = 5  # bounds upload size and embedding time
EMBEDDING_BLOB = "embedding"


@dataclass(frozen=True)
class Enrolment:
    voice_id: str
    consent_id: str
    similarity: float
    reference_min_similarity: float
    document: dict[str, Any]
    status: str  # active (phrase heard) or pending_review


def encode_embedding(vector: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, vector.astype(np.float32), allow_pickle=False)
    return buffer.getvalue()


def decode_embedding(data: bytes) -> np.ndarray:
    return np.load(io.BytesIO(data), allow_pickle=False)


class Enroller:
    def __init__(
        self,
        engine: Engine,
        vault: VoiceVault,
        encoder: SpeakerEncoder,
        signer: RecordSigner,
        threshold: float,
        organisation: str,
        verifier: PhraseVerifier | None = None,
    ) -> None:
        self._engine = engine
        self._vault = vault
        self._encoder = encoder
        self._signer = signer
        self._threshold = threshold
        self._organisation = organisation
        self._verifier = verifier

    def enrol(
        self,
        challenge: Challenge,
        references: Sequence[bytes],
        statement: bytes,
        now: dt.datetime,
    ) -> Enrolment:
        """Create the voice and its consent from a redeemed challenge.

        Raises:
            AudioRejected subclasses: an upload is not usable audio.
            RecordingReused, StatementIsReference, SpeakerMismatch.
        """
        reference_clips = [load_clip(data) for data in references]
        statement_clip = load_clip(statement)
        clips = [*reference_clips, statement_clip]
        self._refuse_reuse(clips)
        check = self._encoder.compare(
            [c.samples for c in reference_clips], statement_clip.samples, self._threshold
        )
        if not check.same_speaker:
            raise SpeakerMismatch(
                f"the recordings are not all one speaker (statement "
                f"{check.statement_similarity:.3f}, references {check.reference_min_similarity:.3f}"
                f" against their centroid, threshold {self._threshold:.2f}; least agreeing two "
                f"recordings {check.pair_min_similarity:.3f}, threshold {check.pair_threshold:.2f})"
            )
        phrase_check = self._check_phrase(challenge, statement_clip)
        return self._store(challenge, reference_clips, statement_clip, check, phrase_check, now)

    def _refuse_reuse(self, clips: list[AudioClip]) -> None:
        """Refuse copies, by bytes and then by content; ``clips`` end with the statement.

        Raises:
            StatementIsReference: the statement is (a copy of) one of the references.
            RecordingReused: a reference uploaded twice, or a recording (or a copy of one)
                used in an earlier enrolment.
        """
        *references, statement = clips
        hashes = [c.sha256 for c in references]
        if statement.sha256 in hashes:
            raise StatementIsReference("the statement is one of the references")
        if len(set(hashes)) != len(hashes):
            raise RecordingReused("the same recording was uploaded twice")
        with Session(self._engine) as session:
            earlier = session.exec(
                select(VoiceAudioRow.sha256).where(
                    col(VoiceAudioRow.sha256).in_([*hashes, statement.sha256])
                )
            ).first()
            if earlier is not None:
                raise RecordingReused("a recording was already used in an earlier enrolment")
            refuse_copies(session, [c.samples for c in references], statement.samples)

    def _check_phrase(self, challenge: Challenge, statement: AudioClip) -> dict[str, Any]:
        """What the record says of the phrase; ``verified`` decides active or pending_review."""
        if self._verifier is None:
            return {"verified": False, "method": "none: no phrase verifier is configured"}
        try:
            heard, score = self._verifier.verify(
                statement.samples, challenge.statement, challenge.phrase, challenge.language
            )
        except Exception:  # a recogniser failing must not refuse the owner: a human decides
            _log.exception("phrase verifier %s failed", self._verifier.name)
            return {"verified": False, "method": f"{self._verifier.name}: failed"}
        return {"verified": bool(heard), "method": self._verifier.name, "score": round(score, 4)}

    def _store(
        self,
        challenge: Challenge,
        references: list[AudioClip],
        statement: AudioClip,
        check: Any,
        phrase_check: dict[str, Any],
        now: dt.datetime,
    ) -> Enrolment:
        voice_id, consent_id = f"voice_{ULID()}", f"consent_{ULID()}"
        data_key, wrapped = self._vault.new_key(voice_id)
        audio_rows = []
        for kind, clip in [*(("reference", c) for c in references), ("statement", statement)]:
            blob_id = str(ULID())
            self._vault.seal(voice_id, blob_id, data_key, clip.data)
            audio_rows.append(
                VoiceAudioRow(
                    id=blob_id,
                    voice_id=voice_id,
                    kind=kind,
                    sha256=clip.sha256,
                    mime_type=clip.mime_type,
                    seconds=round(clip.seconds, 3),
                    fingerprint=fingerprint_of(clip.samples).to_bytes(),
                )
            )
        self._vault.seal(voice_id, EMBEDDING_BLOB, data_key, encode_embedding(check.centroid))
        record = {
            "format": RECORD_FORMAT,
            "consent_id": consent_id,
            "voice_id": voice_id,
            "organisation": self._organisation,
            "owner": {"subject": challenge.subject, "name": challenge.subject_name},
            "scope": challenge.scope.to_json(),
            "statement": {
                "text": challenge.statement,
                "language": challenge.language,
                "template_version": challenge.template_version,
                "challenge_id": challenge.id,
                "phrase": challenge.phrase,
                "phrase_check": phrase_check,
            },
            "audio": [
                {"kind": r.kind, "sha256": r.sha256, "mime_type": r.mime_type, "seconds": r.seconds}
                for r in audio_rows
            ],
            "speaker_verification": {
                "encoder": ENCODER_NAME,
                "statement_similarity": round(check.statement_similarity, 4),
                "reference_min_similarity": round(check.reference_min_similarity, 4),
                "threshold": self._threshold,
                "pair_min_similarity": round(check.pair_min_similarity, 4),
                "pair_threshold": round(check.pair_threshold, 4),
            },
            "created_at": iso(now),
        }
        document = self._signer.sign(record)
        verified = bool(phrase_check["verified"])
        status = "active" if verified else "pending_review"
        with Session(self._engine) as session:
            session.add(
                VoiceRow(
                    id=voice_id,
                    owner=challenge.subject,
                    status=status,
                    wrapped_key=wrapped,
                    created_at=iso(now),
                    owner_verified=verified,
                )
            )
            session.flush()
            session.add_all(audio_rows)
            session.add(
                ConsentRow(
                    id=consent_id,
                    voice_id=voice_id,
                    document=json.dumps(document, ensure_ascii=False),
                    scope=json.dumps(challenge.scope.to_json()),
                    expires_at=iso(challenge.scope.expires_at),
                    max_uses=challenge.scope.max_uses,
                )
            )
            session.commit()
        _log.info("enrolled voice %s", voice_id)
        return Enrolment(
            voice_id=voice_id,
            consent_id=consent_id,
            similarity=check.statement_similarity,
            reference_min_similarity=check.reference_min_similarity,
            document=document,
            status=status,
        )
