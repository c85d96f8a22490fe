"""Errors of the consent package. Each leaf has a stable code; the gateway picks the status.

ConsentError
 ├── ConsentDenied                        the voice may not be used for this request
 │    ├── ConsentMissing       (consent_missing)        no such voice, or no consent for it
 │    ├── ConsentRevoked       (consent_revoked)
 │    ├── ConsentSuspended     (consent_suspended)
 │    ├── ConsentExpired       (consent_expired)
 │    ├── ConsentOutOfScope    (consent_out_of_scope)   requester, purpose or engine
 │    ├── ConsentExhausted     (consent_exhausted)      max_uses reached
 │    ├── ConsentPendingReview (consent_pending_review) the phrase was not heard: awaits review
 │    └── ConsentRejected      (consent_rejected)       a compliance officer rejected it
 ├── EnrolmentRefused                     an enrolment was refused
 │    ├── ChallengeNotFound    (challenge_not_found)    unknown, or another person's
 │    ├── ChallengeExpired     (challenge_expired)
 │    ├── ChallengeUsed        (challenge_used)         single use
 │    ├── SpeakerMismatch      (consent_speaker_mismatch)
 │    ├── RecordingReused      (recording_reused)       same audio as an earlier enrolment
 │    └── StatementIsReference (statement_is_reference) the statement copies a reference
 │    (a phrase the recogniser did not hear is no refusal: the voice waits for review)
 ├── AudioRejected                        an uploaded recording is unusable
 │    ├── AudioUnsupported     (audio_unsupported)      not WAV, FLAC, MP3, OGG or WebM
 │    ├── AudioTooLarge        (audio_too_large)
 │    └── AudioInvalid         (audio_invalid)          undecodable, too short or too long
 ├── ScopeInvalid              (consent_scope_invalid)  a scope that cannot be granted
 ├── VoiceNotFound             (voice_not_found)
 ├── VoiceDataDestroyed        (voice_data_destroyed)   the key was shredded
 ├── VoiceStateConflict        (voice_state_conflict)   not in the state this change needs
 │    ├── ReviewNotPending     (review_not_pending)     only a pending enrolment is reviewed
 │    └── VoiceNotSuspended    (voice_not_suspended)    only a suspension is resumed or ended
 └── ReviewOwnEnrolment        (review_own_enrolment)   nobody reviews their own enrolment
"""

from __future__ import annotations


class ConsentError(Exception):
    code = "consent_error"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ConsentDenied(ConsentError):
    code = "consent_denied"


class ConsentMissing(ConsentDenied):
    code = "consent_missing"


class ConsentRevoked(ConsentDenied):
    code = "consent_revoked"


class ConsentSuspended(ConsentDenied):
    code = "consent_suspended"


class ConsentExpired(ConsentDenied):
    code = "consent_expired"


class ConsentOutOfScope(ConsentDenied):
    code = "consent_out_of_scope"


class ConsentExhausted(ConsentDenied):
    code = "consent_exhausted"


class ConsentPendingReview(ConsentDenied):
    code = "consent_pending_review"


class ConsentRejected(ConsentDenied):
    code = "consent_rejected"


class EnrolmentRefused(ConsentError):
    code = "enrolment_refused"


class ChallengeNotFound(EnrolmentRefused):
    code = "challenge_not_found"


class ChallengeExpired(EnrolmentRefused):
    code = "challenge_expired"


class ChallengeUsed(EnrolmentRefused):
    code = "challenge_used"


class SpeakerMismatch(EnrolmentRefused):
    code = "consent_speaker_mismatch"


class RecordingReused(EnrolmentRefused):
    code = "recording_reused"


class StatementIsReference(EnrolmentRefused):
    code = "statement_is_reference"


class AudioRejected(ConsentError):
    code = "audio_rejected"


class AudioUnsupported(AudioRejected):
    code = "audio_unsupported"


class AudioTooLarge(AudioRejected):
    code = "audio_too_large"


class AudioInvalid(AudioRejected):
    code = "audio_invalid"


class ScopeInvalid(ConsentError):
    code = "consent_scope_invalid"


class VoiceNotFound(ConsentError):
    code = "voice_not_found"


class VoiceDataDestroyed(ConsentError):
    code = "voice_data_destroyed"


class VoiceStateConflict(ConsentError):
    """The voice is not in the state this change needs."""

    code = "voice_state_conflict"


class ReviewNotPending(VoiceStateConflict):
    code = "review_not_pending"


class VoiceNotSuspended(VoiceStateConflict):
    code = "voice_not_suspended"


class ReviewOwnEnrolment(ConsentError):
    code = "review_own_enrolment"
