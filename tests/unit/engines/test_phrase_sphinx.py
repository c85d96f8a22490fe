"""The offline phrase check: pocketsphinx hears the challenge's phrase in real (eSpeak NG)
statement audio, and nothing else verifies: another phrase, silence, noise, other languages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engines import _sphinx_grammar as grammar
from engines.audio import decode_mono
from engines.phrase_sphinx import (
    DEFAULT_THRESHOLD,
    MAX_SECONDS,
    SAMPLE_RATE,
    SphinxPhraseVerifier,
)
from policies import StatementBook
from policies.statements import load_statement_templates
from tests.factories import spoken_wav

STATEMENTS = Path(__file__).resolve().parents[3] / "policies/consent_statements.yaml"
PHRASE = "garden spruce carpet juniper"
OTHER_PHRASE = "marble paper anchor falcon"
WORDS = load_statement_templates(STATEMENTS).languages["en"].words


@pytest.fixture(scope="module")
def verifier() -> SphinxPhraseVerifier:
    return SphinxPhraseVerifier(lambda language: WORDS)


@pytest.fixture(scope="module")
def statement() -> str:
    """A statement as a challenge renders it, with a fixed phrase (the audio is repeatable)."""
    rendered = StatementBook(STATEMENTS).render(
        "en",
        "Alice Example",
        "Acme Media",
        ["internal", "research"],
        dt.datetime(2027, 6, 30, tzinfo=dt.UTC),
    )
    return rendered.text.replace(rendered.phrase, PHRASE)


def _speech(text: str, language: str = "en", variant: str = "m3") -> np.ndarray:
    return decode_mono(spoken_wav(text, language, variant), SAMPLE_RATE)


@pytest.mark.parametrize(("language", "variant"), [("en", "m3"), ("en-us", "f5")])
def test_the_statement_read_with_its_phrase_verifies(
    verifier: SphinxPhraseVerifier, statement: str, language: str, variant: str
) -> None:
    verified, score = verifier.verify(
        _speech(statement, language, variant), statement, PHRASE, "en"
    )
    assert verified
    assert score >= DEFAULT_THRESHOLD


def test_the_same_statement_with_another_phrase_does_not_verify(
    verifier: SphinxPhraseVerifier, statement: str
) -> None:
    replayed = _speech(statement.replace(PHRASE, OTHER_PHRASE))
    hearing = verifier.hear(replayed, statement, PHRASE, "en")
    assert hearing is not None
    read = OTHER_PHRASE.split()
    assert sum(h == r for h, r in zip(hearing.heard, read, strict=True)) >= 3  # what was read
    assert verifier.verify(replayed, statement, PHRASE, "en") == (False, 0.0)


def test_unrelated_speech_does_not_verify(verifier: SphinxPhraseVerifier, statement: str) -> None:
    unrelated = _speech("The quarterly safety review starts on Monday morning in the main hall.")
    verified, score = verifier.verify(unrelated, statement, PHRASE, "en")
    assert not verified
    assert score < DEFAULT_THRESHOLD


def test_languages_other_than_english_are_not_checked(verifier: SphinxPhraseVerifier) -> None:
    chinese = StatementBook(STATEMENTS).render(
        "zh-Hans", "王芳", "Acme", ["internal"], dt.datetime(2027, 6, 30, tzinfo=dt.UTC)
    )
    audio = _speech(chinese.text, "cmn", None)
    assert verifier.verify(audio, chinese.text, chinese.phrase, "zh-Hans") == (False, 0.0)


def test_unusable_inputs_are_not_verified(verifier: SphinxPhraseVerifier, statement: str) -> None:
    audio = _speech(statement)
    too_long = np.zeros(int(MAX_SECONDS * SAMPLE_RATE) + 1, dtype=np.float32)
    assert verifier.verify(too_long, statement, PHRASE, "en") == (False, 0.0)
    assert verifier.verify(audio, statement, "not in the text", "en") == (False, 0.0)
    assert verifier.verify(audio, statement.replace(PHRASE, "xq zzv"), "xq zzv", "en") == (
        False,
        0.0,
    )  # words the dictionary cannot pronounce: not checkable
    assert verifier.verify(audio, "word " * 401 + PHRASE, PHRASE, "en") == (False, 0.0)


@settings(max_examples=6, deadline=None)
@given(
    seconds=st.floats(min_value=1.0, max_value=8.0),
    level=st.sampled_from([0.0, 1e-4, 0.01, 0.3]),
    seed=st.integers(min_value=0, max_value=2**16),
)
def test_silence_or_noise_never_verifies(
    verifier: SphinxPhraseVerifier, statement: str, seconds: float, level: float, seed: int
) -> None:
    noise = np.random.default_rng(seed).normal(0.0, level, int(seconds * SAMPLE_RATE))
    verified, score = verifier.verify(noise.astype(np.float32), statement, PHRASE, "en")
    assert not verified
    assert score < DEFAULT_THRESHOLD


def test_every_english_phrase_word_can_be_checked() -> None:
    """A word added to the list without a pronunciation would send every phrase holding it to
    review: the dictionary (or the American spelling) must know each one."""
    from pocketsphinx import Decoder

    lookup = Decoder(lm=None, loglevel="FATAL").lookup_word
    assert [w for w in WORDS if grammar.pronounce(w, lookup) is None] == []


@pytest.mark.parametrize(
    ("n", "forms"),
    [
        (14, ["fourteen", "[the] fourteenth [of]"]),
        (21, ["twenty one", "[the] twenty first [of]"]),
        (30, ["thirty", "[the] thirtieth [of]"]),
        (2027, ["two thousand [and] twenty seven", "twenty twenty seven"]),
        (2005, ["two thousand [and] five", "twenty oh five"]),
        (2000, ["two thousand"]),
        (345, ["three hundred [and] forty five"]),
    ],
)
def test_numbers_are_spelled_the_ways_people_read_them(n: int, forms: list[str]) -> None:
    assert grammar.number_forms(n) == forms


def test_grammar_words() -> None:
    assert grammar.tokens("I, O'Brien, consent: 14 June.") == [
        "i",
        "o'brien",
        "consent",
        "14",
        "june",
    ]
    assert grammar.non_rhotic("EH M B ER") == "EH M B AH"
    assert grammar.non_rhotic("HH AA R B ER") == "HH AA B AH"
    assert grammar.non_rhotic("K AE R AH T") == "K AE R AH T"  # R before a vowel stays
    known = {"harbor": "HH AA R B ER"}
    assert grammar.pronounce("harbour", known.get) == "HH AA R B ER"
    assert grammar.pronounce("zzv", known.get) is None
    with pytest.raises(grammar.PhraseNotInStatement, match="does not occur"):
        grammar.find_phrase(["my", "phrase", "is", "amber"], ["amber", "willow"])
