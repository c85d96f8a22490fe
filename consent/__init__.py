"""Voice consent: enrolment with a spoken, speaker-verified statement; scoped, signed consent
records; revocation with crypto-shredding; voice data encrypted at rest."""

from consent.audio import MAX_AUDIO_BYTES, MAX_SECONDS, MIN_SECONDS, AudioClip, load_clip
from consent.challenges import CHALLENGE_TTL, Challenge, ChallengeBook
from consent.enrolment import MAX_REFERENCES, Enroller, Enrolment, Transcriber
from consent.errors import (
    AudioInvalid,
    AudioRejected,
    AudioTooLarge,
    AudioUnsupported,
    ChallengeExpired,
    ChallengeNotFound,
    ChallengeUsed,
    ConsentDenied,
    ConsentError,
    ConsentExhausted,
    ConsentExpired,
    ConsentMissing,
    ConsentOutOfScope,
    ConsentRevoked,
    ConsentSuspended,
    EnrolmentRefused,
    PhraseNotSpoken,
    RecordingReused,
    ScopeInvalid,
    SpeakerMismatch,
    VoiceDataDestroyed,
    VoiceNotFound,
)
from consent.record import RecordSigner, load_public_key, verify_document
from consent.registry import ConsentGrant, ConsentRegistry, VoiceStatus, VoiceSummary
from consent.scope import ConsentScope, Requester
from consent.speaker import SpeakerEncoder
from consent.vault import MasterKey, VoiceVault

__all__ = [
    "CHALLENGE_TTL",
    "MAX_AUDIO_BYTES",
    "MAX_REFERENCES",
    "MAX_SECONDS",
    "MIN_SECONDS",
    "AudioClip",
    "AudioInvalid",
    "AudioRejected",
    "AudioTooLarge",
    "AudioUnsupported",
    "Challenge",
    "ChallengeBook",
    "ChallengeExpired",
    "ChallengeNotFound",
    "ChallengeUsed",
    "ConsentDenied",
    "ConsentError",
    "ConsentExhausted",
    "ConsentExpired",
    "ConsentGrant",
    "ConsentMissing",
    "ConsentOutOfScope",
    "ConsentRegistry",
    "ConsentRevoked",
    "ConsentScope",
    "ConsentSuspended",
    "Enroller",
    "Enrolment",
    "EnrolmentRefused",
    "MasterKey",
    "PhraseNotSpoken",
    "RecordSigner",
    "RecordingReused",
    "Requester",
    "ScopeInvalid",
    "SpeakerEncoder",
    "SpeakerMismatch",
    "Transcriber",
    "VoiceDataDestroyed",
    "VoiceNotFound",
    "VoiceStatus",
    "VoiceSummary",
    "VoiceVault",
    "load_clip",
    "load_public_key",
    "verify_document",
]
