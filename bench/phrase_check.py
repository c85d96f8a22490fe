"""Calibrate the offline phrase check (pocketsphinx) on synthesised consent statements.

Statements are rendered as enrolment renders them (``policies.StatementBook``: a name, the
organisation, purposes, an expiry date, a random four-word phrase), spoken by eSpeak NG in
British (``en``) and American (``en-us``) English with several voice variants, pitches and
speeds, at a microphone's 48 kHz, then checked as uploaded: WAV, and Opus (48 kHz Ogg, as a
browser records) decoded by ``consent.load_clip``.

- right text: the challenge's own statement, read.
- wrong text, three kinds in turn: the same statement with another random phrase (a replayed
  older statement: the hardest case, everything but the phrase matches), another person's
  statement (other name, purposes, date and phrase), and unrelated speech (the three-clips
  attack's third clip).

Prints each statement kind's share verified at each threshold (the score is the share of the
four phrase words heard) and the shipped threshold's rates. eSpeak voices are robotic and
their British accent is not what the en-US model was trained on: real readers differ.

    .venv/bin/python bench/phrase_check.py            # 40 right + 40 wrong, 2 encodings: ~2 min
    .venv/bin/python bench/phrase_check.py --n 200    # the calibration in docs: ~10 min
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from consent.audio import load_clip
from engines._espeak import Espeak, EspeakVoice
from engines.audio import encode_wav
from engines.phrase_sphinx import DEFAULT_THRESHOLD, SphinxPhraseVerifier
from policies import StatementBook
from policies.statements import load_statement_templates

STATEMENTS = Path(__file__).resolve().parent.parent / "policies/consent_statements.yaml"
MIC_RATE = 48_000
OPUS_BIT_RATE = 32_000  # a browser's speech setting; Chromium's MediaRecorder defaults higher
THRESHOLDS = (0.25, 0.5, 0.75, 1.0)
MAX_N = 1000  # bounds the run (each statement is decoded twice per encoding)
# (eSpeak language, variant): British and American English, male and female variants.
VOICES = [
    ("en", "m1"),
    ("en", "m3"),
    ("en", "m7"),
    ("en", "f2"),
    ("en", "f3"),
    ("en-us", "m1"),
    ("en-us", "m3"),
    ("en-us", "f1"),
    ("en-us", "f3"),
    ("en-us", "f5"),
]
PITCHES = (35, 45, 55, 65)
SPEEDS_WPM = (140, 160, 180)
NAMES = (
    "Alice Example",
    "Bob Martin",
    "Chen Wei",
    "Priya Natarajan",  # both words missing from the en-US dictionary
    "Nguyen Van An",
    "Siobhan Kelly",
    "Oluwaseun Adeyemi",  # missing too
    "Maria Garcia",
)
ORGANISATIONS = ("Acme Media", "Northwind Studios", "Example Corporation")
PURPOSES = ("internal", "training", "marketing", "commercial", "research")
UNRELATED = (
    "The quarterly safety review starts on Monday morning in the main hall.",
    "Please remember to wear your protective glasses near the cutting machines.",
    "Our new training videos explain each step of the assembly line clearly, and the "
    "supervisors will answer any questions you have after the session ends on Friday.",
    "I am calling about the invoice from last week; could you send the payment details "
    "again, because the account number did not match our records.",
)


@dataclass(frozen=True)
class Case:
    kind: str  # "right, <accent> voice" or a wrong-text kind
    spoken: str  # the text read aloud
    statement: str  # the challenge's statement
    phrase: str  # the challenge's phrase
    voice: EspeakVoice


def render(book: StatementBook, rng: random.Random) -> tuple[str, str]:
    purposes = rng.sample(PURPOSES, rng.randint(1, 3))
    expires = dt.datetime(2027, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=rng.randrange(700))
    statement = book.render("en", rng.choice(NAMES), rng.choice(ORGANISATIONS), purposes, expires)
    return statement.text, statement.phrase


def cases(n: int, rng: random.Random) -> list[Case]:
    book = StatementBook(STATEMENTS)
    out = []
    for i in range(n):
        language, variant = VOICES[i % len(VOICES)]
        voice = EspeakVoice(
            language, variant, rate_wpm=rng.choice(SPEEDS_WPM), pitch=rng.choice(PITCHES)
        )
        text, phrase = render(book, rng)
        accent = "British" if language == "en" else "American"
        out.append(Case(f"right, {accent} voice", text, text, phrase, voice))
        kind = ("same statement, other phrase", "another statement", "unrelated speech")[i % 3]
        if kind == "same statement, other phrase":
            _, other = render(book, rng)
            while other == phrase:
                _, other = render(book, rng)
            spoken = text.replace(phrase, other)
        elif kind == "another statement":
            spoken, _ = render(book, rng)
        else:
            spoken = rng.choice(UNRELATED)
        out.append(Case(kind, spoken, text, phrase, voice))
    return out


def speak(text: str, voice: EspeakVoice) -> np.ndarray:
    """eSpeak NG speech as float32 at MIC_RATE (a microphone's rate)."""
    speech = Espeak().synthesise(text, voice).astype(np.float32) / 32768
    return resample(speech, Espeak.sample_rate, MIC_RATE)


def resample(samples: np.ndarray, source: int, target: int) -> np.ndarray:
    resampler = av.AudioResampler(format="flt", layout="mono", rate=target)
    frame = av.AudioFrame.from_ndarray(samples[None, :], format="flt", layout="mono")
    frame.sample_rate = source
    out = [*resampler.resample(frame), *resampler.resample(None)]
    return np.concatenate([f.to_ndarray().reshape(-1) for f in out]).astype(np.float32)


def ogg_opus(samples: np.ndarray) -> bytes:
    """48 kHz Opus in Ogg, 20 ms frames, as a browser's recorder writes it."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="ogg") as out:
        stream = out.add_stream("libopus", rate=MIC_RATE)
        stream.layout = "mono"
        stream.bit_rate = OPUS_BIT_RATE
        for start in range(0, len(samples), 960):
            frame = av.AudioFrame.from_ndarray(
                samples[None, start : start + 960], format="flt", layout="mono"
            )
            frame.sample_rate, frame.pts = MIC_RATE, start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buffer.getvalue()


ENCODINGS = {"wav": lambda x: encode_wav(x, MIC_RATE), "opus": ogg_opus}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=40, help="right-text (and wrong-text) cases")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    n = min(args.n, MAX_N)
    words = load_statement_templates(STATEMENTS).languages["en"].words
    verifier = SphinxPhraseVerifier(lambda language: words)
    scores: dict[tuple[str, str], list[float]] = defaultdict(list)
    seconds: list[float] = []
    for case in cases(n, random.Random(args.seed)):
        speech = speak(case.spoken, case.voice)
        for encoding, encode in ENCODINGS.items():
            samples = load_clip(encode(speech)).samples
            started = time.perf_counter()
            _, score = verifier.verify(samples, case.statement, case.phrase, "en")
            seconds.append(time.perf_counter() - started)
            scores[(case.kind, encoding)].append(score)
    report(scores, seconds)


def report(scores: dict[tuple[str, str], list[float]], seconds: list[float]) -> None:
    kinds = sorted({kind for kind, _ in scores}, key=lambda k: (not k.startswith("right"), k))
    print(f"{'statement':<30} {'enc':<5} {'n':>4}" + "".join(f"  ≥{t:<5}" for t in THRESHOLDS))
    for kind in kinds:
        for encoding in ENCODINGS:
            values = np.array(scores[(kind, encoding)])
            shares = "".join(f"  {np.mean(values >= t):>6.1%}" for t in THRESHOLDS)
            print(f"{kind:<30} {encoding:<5} {len(values):>4}{shares}")
    right = np.concatenate([v for k, v in scores.items() if k[0].startswith("right")])
    wrong = np.concatenate([v for k, v in scores.items() if not k[0].startswith("right")])
    t = DEFAULT_THRESHOLD
    print(
        f"\nthreshold {t}: right text verified {np.mean(right >= t):.1%} of {len(right)}, "
        f"wrong text verified {np.mean(wrong >= t):.1%} of {len(wrong)} "
        f"({int(np.sum(wrong >= t))} false accepts)"
    )
    print(
        f"verify time: p50 {np.percentile(seconds, 50):.2f} s, "
        f"p95 {np.percentile(seconds, 95):.2f} s, max {max(seconds):.2f} s"
    )


if __name__ == "__main__":
    main()
