"""The Enroller's phrase check: heard → active; missed, failed or unchecked → pending review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from consent import (
    ChallengeBook,
    ConsentScope,
    Enroller,
    MasterKey,
    RecordSigner,
    SpeakerEncoder,
    VoiceVault,
)
from gateway.db import make_engine
from tests.factories import REFERENCE_TEXTS, spoken_wav

NOW = dt.datetime.now(dt.UTC)


class FixedTranscript:
    """A phrase verifier whose transcript the test decides: exercises the decision alone."""

    name = "fixed-transcript"

    def __init__(self, transcript: str, fail: bool = False) -> None:
        self.transcript = transcript
        self.fail = fail
        self.heard: list[int] = []

    def verify(
        self, samples: np.ndarray, statement: str, phrase: str, language: str
    ) -> tuple[bool, float]:
        self.heard.append(len(samples))
        if self.fail:
            raise RuntimeError("the recogniser crashed")
        found = phrase.casefold() in self.transcript.casefold()
        return found, 1.0 if found else 0.0


def _setup(tmp_path: Path, transcriber: FixedTranscript | None):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    enroller = Enroller(
        engine,
        VoiceVault(MasterKey.load_or_create(tmp_path / "master.key"), tmp_path / "voices"),
        SpeakerEncoder(),
        RecordSigner.load_or_create(tmp_path / "record.pem"),
        threshold=0.85,
        organisation="Acme",
        verifier=transcriber,
    )
    scope = ConsentScope(
        purposes=("internal",), engines=("m",), expires_at=NOW + dt.timedelta(days=1)
    )
    book = ChallengeBook(engine)
    challenge = book.issue(
        "olivia",
        "Olivia",
        scope,
        "I, Olivia… My phrase is: amber river.",
        "amber river",
        "en",
        "v1/en",
        NOW,
    )
    return enroller, book.redeem(challenge.id, "olivia", NOW)


def _audio() -> tuple[list[bytes], bytes]:
    statement = (
        "I, Olivia, am aware that recordings of my voice will be used by Acme to create a "
        "synthetic version of my voice. My phrase is amber river."
    )
    return [spoken_wav(text) for text in REFERENCE_TEXTS[:2]], spoken_wav(statement)


def test_without_asr_the_record_says_the_phrase_was_not_verified(tmp_path: Path) -> None:
    enroller, challenge = _setup(tmp_path, None)
    references, statement = _audio()
    enrolment = enroller.enrol(challenge, references, statement, NOW)
    check = enrolment.document["record"]["statement"]["phrase_check"]
    assert check == {"verified": False, "method": "none: no phrase verifier is configured"}
    assert enrolment.status == "pending_review"


def test_asr_hearing_the_phrase_verifies_it(tmp_path: Path) -> None:
    asr = FixedTranscript("i olivia agree my phrase is amber river")
    enroller, challenge = _setup(tmp_path, asr)
    references, statement = _audio()
    enrolment = enroller.enrol(challenge, references, statement, NOW)
    assert enrolment.document["record"]["statement"]["phrase_check"]["verified"] is True
    assert enrolment.status == "active"
    assert asr.heard  # the statement audio went to the verifier


def test_a_missed_phrase_waits_for_review_instead_of_refusing(tmp_path: Path) -> None:
    enroller, challenge = _setup(tmp_path, FixedTranscript("something else entirely"))
    references, statement = _audio()
    enrolment = enroller.enrol(challenge, references, statement, NOW)
    assert enrolment.status == "pending_review"
    assert enrolment.document["record"]["statement"]["phrase_check"]["verified"] is False


def test_a_failing_recogniser_never_refuses_the_owner(tmp_path: Path) -> None:
    enroller, challenge = _setup(tmp_path, FixedTranscript("", fail=True))
    references, statement = _audio()
    enrolment = enroller.enrol(challenge, references, statement, NOW)
    assert enrolment.status == "pending_review"
    check = enrolment.document["record"]["statement"]["phrase_check"]
    assert check == {"verified": False, "method": "fixed-transcript: failed"}
