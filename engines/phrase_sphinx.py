"""Offline phrase check for English: pocketsphinx decodes the statement against its own text.

Implements ``consent.PhraseVerifier`` (structurally; engines import no other domain package)
with the en-US acoustic model and dictionary that the ``pocketsphinx`` wheel ships, so it works
in every profile, with no download.

Plain recognition of a consent statement is hopeless with this model (eSpeak NG statements:
0 of 20 phrases heard), and keyword spotting trades hits for false hits. What the recogniser
does well is choose between known alternatives when the text around them is known. So the
audio is decoded against a grammar (``engines._sphinx_grammar``): the statement's words as
written, and at each phrase word a slot open to every word the phrase could have been drawn
from (the challenge's word list). The score is the share of slots where the recogniser chose
the challenge's word; the phrase is verified at ``threshold`` or above. A recording of another
statement (another phrase from the same list) fills the slots with its own words, and
unrelated speech fills them by chance (one in the list's size per slot), or the decoder finds
no path through the statement at all (score 0).

Before decoding, a faint noise floor is added (``NOISE_FLOOR_DB`` below the clip's level):
synthetic and noise-suppressed browser recordings hold digital silence between words, which
the acoustic model has never seen, and which otherwise makes it fold pauses into words.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import numpy as np

from engines._sphinx_grammar import (
    ALT_SUFFIX,
    SLOT_PREFIX,
    Grammar,
    PhraseNotInStatement,
    build,
    tokens,
)

_log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000  # the en-US model's rate (and consent's decoded rate)
LANGUAGES = frozenset({"en"})  # the wheel ships an en-US model only
MAX_SECONDS = 61.0  # uploads decode to at most 60 s; 60 s decode in about 2 s here
MAX_STATEMENT_WORDS = 400  # bounds the grammar (a statement is ~60 words)
MAX_VOCABULARY = 2000  # bounds each slot's alternatives (the English list has 64)
DEFAULT_THRESHOLD = 0.5  # 2 of 4 slots; calibrated by bench/phrase_check.py (docs)
NOISE_FLOOR_DB = -30.0  # relative to the clip's RMS: below speech, above digital silence
NOISE_SEED = 8  # the same audio always gives the same score (the record keeps it)
# Decoder settings (pocketsphinx names): 8 Gaussians per senone instead of 4 (better on
# unusual voices for ~50 % more time), deterministic dither, no n-gram model (a grammar only).
DECODER_SETTINGS = {"topn": 8, "dither": True, "seed": NOISE_SEED, "lm": None}

Vocabulary = Callable[[str], Collection[str]]


@dataclass(frozen=True)
class Hearing:
    """What the decoder chose at each phrase slot; ``score`` is the share of slots where it
    chose the phrase's own word (0 when no path through the statement was found)."""

    expected: tuple[str, ...]
    heard: tuple[str, ...]  # empty when no path through the statement was found
    score: float


class SphinxPhraseVerifier:
    """``consent.PhraseVerifier`` for English with pocketsphinx (offline, model in the wheel).

    ``vocabulary(language)`` gives the words phrases are drawn from (the challenge word list of
    ``policies/consent_statements.yaml``): each slot competes against all of them, so a phrase
    read from another statement is heard as the other words. A decoder is built per call
    (about 0.1 s): pocketsphinx decoders are not thread-safe and grammar words are added to
    their dictionary.

    Raises ValueError for a threshold outside (0, 1].
    """

    def __init__(
        self,
        vocabulary: Vocabulary,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        noise_floor_db: float = NOISE_FLOOR_DB,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        self._vocabulary = vocabulary
        self.threshold = threshold
        self._noise_floor_db = noise_floor_db
        # The record's "method": enough to know later how a phrase was judged.
        self.name = f"pocketsphinx 5.1.1 en-US statement grammar, threshold {threshold:g}"

    def verify(
        self, samples: np.ndarray, statement: str, phrase: str, language: str
    ) -> tuple[bool, float]:
        """(verified, share of phrase words heard) for 16 kHz mono float32 ``samples``.

        (False, 0.0) for a language other than English, audio longer than MAX_SECONDS, a
        statement over MAX_STATEMENT_WORDS, a phrase not in the statement or with a word the
        dictionary cannot pronounce.

        Raises:
            RuntimeError: pocketsphinx could not load its model or extend its dictionary (the
                enrolment then waits for a review).
        """
        hearing = self.hear(samples, statement, phrase, language)
        if hearing is None:
            return False, 0.0
        return hearing.score >= self.threshold, hearing.score

    def hear(
        self, samples: np.ndarray, statement: str, phrase: str, language: str
    ) -> Hearing | None:
        """The words chosen at each phrase slot; None where ``verify`` gives (False, 0.0).

        Raises:
            RuntimeError: as ``verify``.
        """
        if language not in LANGUAGES or len(samples) > MAX_SECONDS * SAMPLE_RATE:
            return None
        if len(statement.split()) > MAX_STATEMENT_WORDS:
            return None
        decoder = _new_decoder()
        words = list(self._vocabulary(language))[:MAX_VOCABULARY]
        try:
            grammar = build(statement, phrase, words, decoder.lookup_word)
        except PhraseNotInStatement:
            _log.warning("phrase check skipped: the phrase is not in the statement")
            return None
        if grammar is None:
            _log.warning("phrase check skipped: a phrase word is not in the en-US dictionary")
            return None
        expected = tuple(tokens(phrase))
        heard = _decode(decoder, grammar, self._prepared(samples))
        if len(heard) != len(expected):
            return Hearing(expected, (), 0.0)
        matched = sum(h == e for h, e in zip(heard, expected, strict=True))
        return Hearing(expected, tuple(heard), matched / len(expected))

    def _prepared(self, samples: np.ndarray) -> bytes:
        """16-bit PCM with the noise floor added (seeded: the same audio, the same score)."""
        audio = np.asarray(samples, dtype=np.float64)
        rms = float(np.sqrt(np.mean(audio**2))) if len(audio) else 0.0
        noise = np.random.default_rng(NOISE_SEED).normal(0.0, 1.0, len(audio))
        audio = audio + noise * rms * 10 ** (self._noise_floor_db / 20)
        return (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2").tobytes()


def _new_decoder() -> Any:
    from pocketsphinx import Decoder

    return Decoder(loglevel="FATAL", **DECODER_SETTINGS)


def _add_words(decoder: Any, entries: dict[str, str]) -> None:
    """Raises RuntimeError when a word could not be added."""
    for name, phones in entries.items():
        if decoder.lookup_word(name) is not None:
            continue
        # pocketsphinx 5.1.1's binding raises for words it did add (any new word, seen
        # here); the lookup below is the real test.
        with contextlib.suppress(RuntimeError):
            decoder.add_word(name, phones, False)
        if decoder.lookup_word(name) is None:
            raise RuntimeError(f"pocketsphinx could not add {name!r} to its dictionary")


def _decode(decoder: Any, grammar: Grammar, pcm: bytes) -> list[str]:
    """The words filling the slots, in order; empty when no path reached the grammar's end."""
    _add_words(decoder, grammar.entries)
    decoder.add_jsgf_string("statement", grammar.jsgf)
    decoder.activate_search("statement")
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    if decoder.hyp() is None:
        return []
    heard = []
    for segment in decoder.seg() or ():
        word = segment.word.removesuffix(ALT_SUFFIX)
        if word.startswith(SLOT_PREFIX):
            heard.append(word.removeprefix(SLOT_PREFIX))
    return heard
