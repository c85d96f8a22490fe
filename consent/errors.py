"""Errors of the consent package. Each leaf has a stable code; the gateway picks the status.

ConsentError
 ├── ConsentDenied                        the voice may not be used for this request
 │    ├── ConsentMissing       (consent_missing)        no such voice, or no consent for it
 │    ├── ConsentRevoked       (consent_revoked)
 │    ├── ConsentSuspended     (consent_suspended)
 │    ├── ConsentExpired       (consent_expired)
 │    ├── ConsentOutOfScope    (consent_out_of_scope)   requester, purpose or engine
 │    └── ConsentExhausted     (consent_exhausted)      max_uses reached
 ├── EnrolmentRefused                     an enrolment was refused
 │    ├── ChallengeNotFound    (challenge_not_found)    unknown, or another person's
 │    ├── ChallengeExpired     (challenge_expired)
 │    ├── ChallengeUsed        (challenge_used)         single use
 │    ├── SpeakerMismatch      (consent_speaker_mismatch)
 │    ├── RecordingReused      (recording_reused)       same audio as an earlier enrolment
 │    └── PhraseNotSpoken      (consent_phrase_mismatch) ASR did not hear the random phrase
 ├── AudioRejected                        an uploaded recording is unusable
 │    ├── AudioUnsupported     (audio_unsupported)      not WAV, FLAC, MP3 or OGG
 │    ├── AudioTooLarge        (audio_too_large)
 │    └── AudioInvalid         (audio_invalid)          undecodable, too short or too long
 ├── ScopeInvalid              (consent_scope_invalid)  a scope that cannot be granted
 ├── VoiceNotFound             (voice_not_found)
 └── VoiceDataDestroyed        (voice_data_destroyed)   the key was shredded
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


class PhraseNotSpoken(EnrolmentRefused):
    code = "consent_phrase_mismatch"


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
