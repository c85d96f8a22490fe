"""Copies caught by content: every perturbation of a copy is found, no new take is."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlmodel import Session

from consent import RecordingReused, StatementIsReference, copies
from consent.audio import SAMPLE_RATE, load_clip
from consent.copies import COPY_THRESHOLD, FingerprintIndex, find_earlier_copy, refuse_copies
from consent.fingerprint import Fingerprint, fingerprint_of, probe, similarity
from consent.tables import VoiceAudioRow, VoiceRow
from gateway.db import make_engine
from tests.factories import REFERENCE_TEXTS
from tests.recordings import COPIES, MIC_RATE, resample, take, wav

TEXT = REFERENCE_TEXTS[0]


def _samples(data: bytes) -> np.ndarray:
    return load_clip(data).samples


@pytest.fixture(scope="module")
def original() -> np.ndarray:
    return take(TEXT)


@pytest.fixture(scope="module")
def stored(original: np.ndarray) -> Fingerprint:
    return fingerprint_of(_samples(wav(original)))


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    with Session(make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")) as session:
        yield session


def _store(session: Session, voice_id: str, prints: list[Fingerprint]) -> None:
    """A shredded voice (no key, no audio) whose recordings' fingerprints stay."""
    session.add(
        VoiceRow(id=voice_id, owner="o", status="revoked", wrapped_key=None, created_at="-")
    )
    session.flush()
    for number, stored in enumerate(prints):
        session.add(
            VoiceAudioRow(
                id=f"{voice_id}-{number}",
                voice_id=voice_id,
                kind="reference",
                sha256=f"{voice_id}-{number}",
                mime_type="audio/wav",
                seconds=5.0,
                fingerprint=stored.to_bytes(),
            )
        )
    session.commit()


@pytest.mark.parametrize("perturbation", sorted(COPIES))
def test_each_perturbed_copy_is_found(
    perturbation: str, original: np.ndarray, stored: Fingerprint
) -> None:
    candidate = probe(_samples(COPIES[perturbation](original)))
    assert similarity(candidate, stored) >= COPY_THRESHOLD
    match = FingerprintIndex([("original", stored)]).find_copy(candidate)
    assert match is not None and match.key == "original"


@pytest.mark.parametrize(
    "new_take",
    [
        {"text": REFERENCE_TEXTS[1]},
        {"text": TEXT, "rate_wpm": 140},
        {"text": TEXT, "rate_wpm": 180},
        {"text": TEXT, "pitch": 40},
        {"text": TEXT, "pitch": 60},
    ],
    ids=["another text", "slower", "faster", "lower", "higher"],
)
def test_a_new_take_of_the_same_voice_is_no_copy(
    new_take: dict[str, object], stored: Fingerprint
) -> None:
    candidate = probe(_samples(wav(take(**new_take))))  # type: ignore[arg-type]
    assert similarity(candidate, stored) < COPY_THRESHOLD
    assert FingerprintIndex([("original", stored)]).find_copy(candidate) is None


def test_a_copy_inside_a_longer_recording_is_found(
    original: np.ndarray, stored: Fingerprint
) -> None:
    """Padding a copy with other speech does not hide it: votes and overlap are counted
    against the shorter recording."""
    other = [take(text) for text in (*REFERENCE_TEXTS[1:], *REFERENCE_TEXTS[1:])]
    padded = np.concatenate([*other, original * 10 ** (-3 / 20)])
    candidate = probe(_samples(wav(padded)))
    assert len(padded) > 4 * len(original)
    match = FingerprintIndex([("original", stored)]).find_copy(candidate)
    assert match is not None and match.score >= COPY_THRESHOLD


def test_a_statement_copied_from_a_reference_is_refused(
    session: Session, original: np.ndarray
) -> None:
    references = [_samples(wav(take(REFERENCE_TEXTS[1]))), _samples(wav(original))]
    statement = _samples(COPIES["mp3"](original))
    with pytest.raises(StatementIsReference, match="copy of reference 2"):
        refuse_copies(session, references, statement)


def test_a_reference_uploaded_twice_is_refused(session: Session, original: np.ndarray) -> None:
    references = [_samples(wav(original)), _samples(COPIES["gain -3 dB"](original))]
    statement = _samples(wav(take(REFERENCE_TEXTS[2])))
    with pytest.raises(RecordingReused, match="reference 2 is a copy of reference 1"):
        refuse_copies(session, references, statement)


def test_a_copy_is_found_among_many_stored_recordings_in_batches(
    session: Session, original: np.ndarray, stored: Fingerprint, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(copies, "EARLIER_BATCH", 40)  # several batches, the copy in the middle
    rng = np.random.default_rng(8)
    for number in range(60):
        if number == 30:
            _store(session, "voice_original", [stored])
        frames = int(rng.integers(100, 900))
        words = rng.integers(0, 2**32, frames, dtype=np.uint64).astype(np.uint32)
        _store(session, f"voice_{number:03d}", [Fingerprint(words, rng.random(frames) < 0.9)])
    copy = probe(_samples(COPIES["opus ogg 16 kbit/s"](original)))
    match = find_earlier_copy(session, [copy])
    assert match is not None and match.key == "voice_original-0"
    references = [_samples(wav(take(REFERENCE_TEXTS[1]))), _samples(wav(take(TEXT, pitch=60)))]
    refuse_copies(session, references, _samples(wav(take(REFERENCE_TEXTS[2]))))  # new takes
    with pytest.raises(RecordingReused, match="earlier enrolment"):
        refuse_copies(session, references, _samples(COPIES["trimmed at the start"](original)))


def test_the_stored_form_round_trips_and_holds_a_few_bits_a_frame(stored: Fingerprint) -> None:
    data = stored.to_bytes()
    again = Fingerprint.from_bytes(data)
    assert np.array_equal(again.words, stored.words)
    assert np.array_equal(again.voiced, stored.voiced)
    seconds = len(stored.words) * 256 / SAMPLE_RATE
    assert len(data) <= 5 + seconds * 62.5 * 4.125 + 1  # 33 bits per 16 ms frame, no audio
    for broken in (b"", data[:-1], b"\x02" + data[1:], data + b"\0"):
        with pytest.raises(ValueError, match="fingerprint"):
            Fingerprint.from_bytes(broken)


def test_silence_and_short_sounds_match_nothing(stored: Fingerprint) -> None:
    silence = probe(np.zeros(SAMPLE_RATE * 3, np.float32))
    assert similarity(silence, stored) == 0.0
    blip = probe(resample(take("Hi."), MIC_RATE, SAMPLE_RATE))
    assert FingerprintIndex([("original", stored)]).find_copy(blip) is None


def test_steady_sounds_keep_the_search_bounded() -> None:
    """A minute of one tone shares one key in every frame: common keys are skipped, so the
    votes stay within (probe keys) x COMMON_KEY_LIMIT however many tones are stored."""
    seconds = np.arange(SAMPLE_RATE * 60) / SAMPLE_RATE
    tone = (0.3 * np.sin(2 * np.pi * 440 * seconds)).astype(np.float32)
    index = FingerprintIndex((str(n), fingerprint_of(tone * (1 + n / 100))) for n in range(20))
    candidate = probe(tone)
    tracemalloc.start()
    index.candidates(candidate)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 64 * 1024 * 1024
