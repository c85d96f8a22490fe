"""Calibrate copy detection: fingerprint agreement of perturbed copies against new takes.

Each "recording" is eSpeak NG speech (a reference sentence and a consent statement, in four
voice variants). Copies: the same recording with bytes appended, an LSB flipped, gain changed,
resampled, re-encoded (MP3, Opus in WebM and Ogg) or trimmed. New takes: the same voice with
another text, speed or pitch (a person never repeats a take exactly; eSpeak does, so these
stand in for a new take). Each is scored against the original (``consent.copies.similarity``,
the best alignment) and looked up in an index holding every original, as enrolment does
(refused = ``FingerprintIndex.find_copy`` found one).

Then: how long the search takes against a few thousand stored recordings in SQLite, and the
speaker similarity of Opus-encoded statements (browser recordings) against WAV references.

    .venv/bin/python bench/copy_detection.py [--stored 3000] [--no-speaker]
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
from sqlmodel import Session

from consent.audio import load_clip
from consent.copies import COPY_THRESHOLD, FingerprintIndex, find_earlier_copy
from consent.fingerprint import Fingerprint, Probe, fingerprint_of, probe, similarity
from consent.tables import VoiceAudioRow, VoiceRow
from engines._espeak import Espeak, EspeakVoice
from engines.audio import encode_wav
from gateway.db import make_engine

VARIANTS = ("m3", "f3", "m1", "f5")
REFERENCE = "The quarterly safety review starts on Monday morning in the main hall."
OTHER_REFERENCE = "Please remember to wear your protective glasses near the cutting machines."
STATEMENT = (
    "I, Olivia, am aware that recordings of my voice will be used to create a synthetic "
    "version of my voice. I consent to its use for internal use, training, until the end of "
    "next year. My phrase is: {phrase}."
)
PHRASES = ("amber river cloud seven", "forest eagle lamp nine")
OTHER_STATEMENT = (
    "I, Olivia, agree that my recorded voice may be used by Acme Test Org for marketing and "
    "commercial purposes for two years. My phrase is: {phrase}."
)
RATE = 22_050  # eSpeak NG's
TRIM_S = 0.5


def speak(text: str, variant: str, rate_wpm: int = 160, pitch: int = 50) -> np.ndarray:
    voice = EspeakVoice("en", variant, rate_wpm=rate_wpm, pitch=pitch)
    return Espeak().synthesise(text, voice).astype(np.float32) / 32768


def resample(samples: np.ndarray, source: int, target: int) -> np.ndarray:
    resampler = av.AudioResampler(format="flt", layout="mono", rate=target)
    frame = av.AudioFrame.from_ndarray(samples[None, :], format="flt", layout="mono")
    frame.sample_rate = source
    out = [*resampler.resample(frame), *resampler.resample(None)]
    return np.concatenate([f.to_ndarray().reshape(-1) for f in out]).astype(np.float32)


def encode(samples: np.ndarray, container: str, codec: str, rate: int, bit_rate: int) -> bytes:
    """Re-encode with PyAV (libmp3lame or libopus), as a browser or converter would."""
    audio = resample(samples, RATE, rate)
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = "mono"
        stream.bit_rate = bit_rate
        size = 960 if codec == "libopus" else 1152
        for start in range(0, len(audio), size):
            chunk = audio[None, start : start + size]
            frame = av.AudioFrame.from_ndarray(chunk, format="flt", layout="mono")
            frame.sample_rate, frame.pts = rate, start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buffer.getvalue()


def lsb_flipped(samples: np.ndarray) -> bytes:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    pcm[len(pcm) // 2] ^= 1
    return encode_wav(pcm, RATE)


TRIM = int(TRIM_S * RATE)
PERTURBATIONS: dict[str, Callable[[np.ndarray], bytes]] = {
    "one byte appended": lambda x: encode_wav(x, RATE) + b"\0",
    "one sample's LSB flipped": lsb_flipped,
    "gain +3 dB": lambda x: encode_wav(x * 10 ** (3 / 20), RATE),
    "gain -3 dB": lambda x: encode_wav(x * 10 ** (-3 / 20), RATE),
    "resampled to 44.1 kHz": lambda x: encode_wav(resample(x, RATE, 44_100), 44_100),
    "resampled to 16 kHz": lambda x: encode_wav(resample(x, RATE, 16_000), 16_000),
    "MP3 128 kbit/s (44.1 kHz)": lambda x: encode(x, "mp3", "libmp3lame", 44_100, 128_000),
    "MP3 32 kbit/s (22.05 kHz)": lambda x: encode(x, "mp3", "libmp3lame", 22_050, 32_000),
    "Opus WebM 64 kbit/s": lambda x: encode(x, "webm", "libopus", 48_000, 64_000),
    "Opus WebM 32 kbit/s": lambda x: encode(x, "webm", "libopus", 48_000, 32_000),
    "Opus Ogg 16 kbit/s": lambda x: encode(x, "ogg", "libopus", 48_000, 16_000),
    f"{TRIM_S} s trimmed at the start": lambda x: encode_wav(x[TRIM:], RATE),
    f"{TRIM_S} s trimmed at the end": lambda x: encode_wav(x[:-TRIM], RATE),
    "trim + gain -3 dB + MP3 64 kbit/s": lambda x: encode(
        x[TRIM:] * 10 ** (-3 / 20), "mp3", "libmp3lame", 44_100, 64_000
    ),
}


def new_takes(kind: str, variant: str) -> dict[str, np.ndarray]:
    """The same voice saying the recording again, differently."""
    text = REFERENCE if kind == "reference" else STATEMENT.format(phrase=PHRASES[0])
    other = OTHER_REFERENCE if kind == "reference" else OTHER_STATEMENT.format(phrase=PHRASES[1])
    return {
        "another text": speak(other, variant),
        "speed 140 wpm (160)": speak(text, variant, rate_wpm=140),
        "speed 180 wpm (160)": speak(text, variant, rate_wpm=180),
        "pitch 40 (50)": speak(text, variant, pitch=40),
        "pitch 60 (50)": speak(text, variant, pitch=60),
        "stress: speed 165 wpm (160)": speak(text, variant, rate_wpm=165),
        "stress: pitch 45 (50)": speak(text, variant, pitch=45),
        "stress: pitch 55 (50)": speak(text, variant, pitch=55),
    }


def decoded(data: bytes) -> np.ndarray:
    return load_clip(data).samples


def calibrate() -> None:
    originals: dict[tuple[str, str], np.ndarray] = {}
    for variant in VARIANTS:
        originals[(variant, "reference")] = speak(REFERENCE, variant)
        originals[(variant, "statement")] = speak(STATEMENT.format(phrase=PHRASES[0]), variant)
    prints = {key: fingerprint_of(decoded(encode_wav(x, RATE))) for key, x in originals.items()}
    index = FingerprintIndex((f"{v}/{k}", fp) for (v, k), fp in prints.items())
    print(
        f"recordings: eSpeak NG en, variants {', '.join(VARIANTS)}; a reference sentence "
        f"(~4 s) and a statement (~13 s) each; threshold {COPY_THRESHOLD:.2f}\n"
    )
    copies: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for key, samples in originals.items():
        for name, perturb in PERTURBATIONS.items():
            candidate = probe(decoded(perturb(samples)))
            copies[name].append((similarity(candidate, prints[key]), _refused(index, candidate)))
    takes: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for (variant, kind), _samples in originals.items():
        for name, take in new_takes(kind, variant).items():
            candidate = probe(decoded(encode_wav(take, RATE)))
            score = similarity(candidate, prints[(variant, kind)])
            takes[name].append((score, _refused(index, candidate)))
    splices: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for variant in VARIANTS:
        # eSpeak repeats the unchanged part of a statement sample for sample: a splice
        spliced = speak(STATEMENT.format(phrase=PHRASES[1]), variant)
        candidate = probe(decoded(encode_wav(spliced, RATE)))
        score = similarity(candidate, prints[(variant, "statement")])
        splices["same statement, another phrase"].append((score, _refused(index, candidate)))
    _table("perturbed copy", copies, worst=min)
    print()
    _table("new take of the same voice", takes, worst=max)
    print()
    _table("partial copy (eSpeak repeats the unchanged part)", splices, worst=min)


def _refused(index: FingerprintIndex, candidate: Probe) -> bool:
    return index.find_copy(candidate) is not None


def _table(
    title: str,
    rows: dict[str, list[tuple[float, bool]]],
    worst: Callable[[list[float]], float],
) -> None:
    print(f"| {title} | n | score min | score max | refused |")
    print("|---|---|---|---|---|")
    for name, results in rows.items():
        scores = [score for score, _ in results]
        refused = sum(refused for _, refused in results)
        print(
            f"| {name} | {len(results)} | {min(scores):.3f} | {max(scores):.3f} "
            f"| {refused}/{len(results)} |"
        )
    every = [score for results in rows.values() for score, _ in results]
    print(f"\n{title}: worst score {worst(every):.3f}")


def search_time(stored: int) -> None:
    """Fingerprinting 2 references + a statement, then searching ``stored`` recordings in
    SQLite (random fingerprints: the timing, not the matching, is measured here)."""
    rng = np.random.default_rng(8)
    clips = [speak(REFERENCE, "m7"), speak(OTHER_REFERENCE, "m7")]
    clips.append(speak(STATEMENT.format(phrase=PHRASES[1]), "m7"))
    samples = [decoded(encode_wav(clip, RATE)) for clip in clips]
    with tempfile.TemporaryDirectory() as directory:
        db = make_engine(f"sqlite:///{Path(directory) / 'bench.sqlite'}")
        with Session(db) as session:
            for number in range(stored // 3):
                _store_fake_voice(session, f"voice_{number:08d}", rng)
            session.commit()
        probing, searching = [], []
        for _ in range(5):
            start = time.perf_counter()
            probes = [probe(clip) for clip in samples]
            probing.append(time.perf_counter() - start)
            with Session(db) as session:
                start = time.perf_counter()
                if find_earlier_copy(session, probes) is not None:
                    raise SystemExit("a new recording was found to be a copy")
                searching.append(time.perf_counter() - start)
    print(
        f"\n| {stored} stored recordings (SQLite) | p50 ms | max ms |\n|---|---|---|\n"
        f"| fingerprint 2 references + statement ({sum(len(c) for c in samples) / 16_000:.0f} s)"
        f" | {1000 * np.median(probing):.0f} | {1000 * max(probing):.0f} |\n"
        f"| search all stored | {1000 * np.median(searching):.0f} | {1000 * max(searching):.0f} |"
    )


def _store_fake_voice(session: Session, voice_id: str, rng: np.random.Generator) -> None:
    """A shredded voice with two 5 s references and a 14 s statement (random fingerprints)."""
    session.add(
        VoiceRow(
            id=voice_id,
            owner="bench",
            status="revoked",
            wrapped_key=None,
            created_at="2026-01-01T00:00:00+00:00",
        )
    )
    session.flush()
    for number, seconds in enumerate((5, 5, 14)):
        frames = int(seconds * 62.5)
        words = rng.integers(0, 2**32, frames, dtype=np.uint64).astype(np.uint32)
        fake = Fingerprint(words, rng.random(frames) < 0.85)
        session.add(
            VoiceAudioRow(
                id=f"{voice_id}-{number}",
                voice_id=voice_id,
                kind="statement" if number == 2 else "reference",
                sha256=f"{voice_id}-{number}",
                mime_type="audio/wav",
                seconds=seconds,
                fingerprint=fake.to_bytes(),
            )
        )


def speaker_similarity_opus() -> None:
    """Statement vs the references' centroid, as enrolment compares: WAV and Opus statements
    (browser recordings), same voice and different voices."""
    from consent.speaker import SpeakerEncoder

    encoder = SpeakerEncoder()
    variants = ("m1", "m2", "m3", "m4", "m7", "f1", "f2", "f3", "f4", "f5")
    webm = lambda x: encode(x, "webm", "libopus", 48_000, 32_000)  # noqa: E731
    ogg = lambda x: encode(x, "ogg", "libopus", 48_000, 16_000)  # noqa: E731
    centroids: dict[tuple[str, str], np.ndarray] = {}
    statements: dict[tuple[str, str], np.ndarray] = {}
    for variant in variants:
        refs = [speak(REFERENCE, variant), speak(OTHER_REFERENCE, variant)]
        statement = speak(STATEMENT.format(phrase=PHRASES[0]), variant)
        for kind, encoded in (("WAV", lambda x: encode_wav(x, RATE)), ("Opus WebM", webm)):
            mean = np.mean([encoder.embed(decoded(encoded(r))) for r in refs], axis=0)
            centroids[(kind, variant)] = mean / np.linalg.norm(mean)
        for kind, encoded in (
            ("WAV", lambda x: encode_wav(x, RATE)),
            ("Opus WebM 32 kbit/s", webm),
            ("Opus Ogg 16 kbit/s", ogg),
        ):
            statements[(kind, variant)] = encoder.embed(decoded(encoded(statement)))
    print(
        "\n| references | statement | same voice min | p50 | different voices max "
        "| ≥ 0.85 (false accept) |\n|---|---|---|---|---|---|"
    )
    for references, statement in (
        ("WAV", "WAV"),
        ("WAV", "Opus WebM 32 kbit/s"),
        ("WAV", "Opus Ogg 16 kbit/s"),
        ("Opus WebM", "Opus WebM 32 kbit/s"),
    ):
        same = [float(statements[(statement, v)] @ centroids[(references, v)]) for v in variants]
        other = [
            float(statements[(statement, b)] @ centroids[(references, a)])
            for a in variants
            for b in variants
            if a != b
        ]
        accepted = np.mean(np.array(other) >= 0.85)
        print(
            f"| {references} 32 kbit/s | {statement} | {min(same):.3f} | {np.median(same):.3f} "
            f"| {max(other):.3f} | {accepted:.1%} |".replace("WAV 32 kbit/s", "WAV")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stored", type=int, default=3000, help="stored recordings to search")
    parser.add_argument("--no-speaker", action="store_true", help="skip the Opus similarity")
    args = parser.parse_args()
    calibrate()
    search_time(args.stored)
    if not args.no_speaker:
        speaker_similarity_opus()


if __name__ == "__main__":
    main()
