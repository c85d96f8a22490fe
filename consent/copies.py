"""Copies caught by content: an enrolment's recordings against each other and against every
recording of every earlier enrolment (shredded voices' included: their fingerprints stay).

Scoring is consent/fingerprint.py's ``similarity``: a recording is a copy at
``COPY_THRESHOLD`` or above (calibrated in docs/voice-consent.md, "Copies caught by content").

Searching is bounded. Each stored frame is indexed under two 16-bit keys (the halves of its
word); a probe's frames vote for the (recording, alignment) pairs that share a key, and only
the ``MAX_CANDIDATES`` recordings with the most votes at one alignment are scored. A copy
agrees on whole 16-bit halves in a tenth or more of its frames, all at one alignment (hundreds
of votes for a statement); unrelated recordings share keys by chance, scattered over
alignments (a few votes at most). Stored fingerprints are read ``EARLIER_BATCH`` recordings
at a time, so memory stays bounded however many are stored; time grows with them (about
50 ms per thousand, bench/copy_detection.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from sqlmodel import Session, col, select

from consent.errors import RecordingReused, StatementIsReference
from consent.fingerprint import Fingerprint, Probe, probe, similarity
from consent.tables import VoiceAudioRow

COPY_THRESHOLD = 0.85  # perturbed copies score 0.92-1.00, new takes at most 0.79 (measured)
MIN_VOTES = 4  # at one alignment; chance gives a recording 0-2
# Per sounding frame of the shorter recording: copies measured 0.45-3.2, other speech 0.04.
# The shorter, so that a copy padded with other audio still gets through to be scored.
MIN_VOTE_SHARE = 0.05
MAX_CANDIDATES = 4  # recordings scored per probe: a copy is the top vote-getter by far
# A key stored more often in a batch says nothing (pauses, steady tones) and is skipped: the
# votes per probe stay under (probe keys, at most 30,000) x 32, whatever is stored.
COMMON_KEY_LIMIT = 32
# Stored recordings indexed at a time: at most 500 x 3,750 frames x 2 keys x 12 bytes = 45 MB
# (all 60 s long), about 5 MB for typical 10 s recordings.
EARLIER_BATCH = 500
_KEY_SPACE = 1 << 17  # 16-bit halves, tagged low or high by bit 16


@dataclass(frozen=True)
class Candidate:
    """A stored recording that shares many keys with a probe at one alignment."""

    votes: int
    key: str
    print: Fingerprint


@dataclass(frozen=True)
class Match:
    """The stored recording a probe copies, and how closely."""

    key: str
    score: float


def refuse_copies(
    session: Session, references: Sequence[np.ndarray], statement: np.ndarray
) -> None:
    """Refuse recordings (16 kHz mono float samples) that copy one another or any recording
    of an earlier enrolment.

    Raises:
        StatementIsReference: the statement is a copy of one of the references.
        RecordingReused: two references are copies of one recording, or a recording is a copy
            of one used in an earlier enrolment.
        ValueError: a stored fingerprint is corrupt (the enrolment fails closed).
    """
    reference_probes = [probe(samples) for samples in references]
    statement_probe = probe(statement)
    own = FingerprintIndex((str(n), p.fingerprint) for n, p in enumerate(reference_probes, 1))
    match = own.find_copy(statement_probe)
    if match is not None:
        raise StatementIsReference(
            f"the statement is a copy of reference {match.key} ({_agreement(match)}): "
            "record yourself reading the statement aloud"
        )
    for number in range(1, len(reference_probes)):
        earlier = FingerprintIndex(
            (str(n), p.fingerprint) for n, p in enumerate(reference_probes[:number], 1)
        )
        match = earlier.find_copy(reference_probes[number])
        if match is not None:
            raise RecordingReused(
                f"reference {number + 1} is a copy of reference {match.key} ({_agreement(match)})"
            )
    match = find_earlier_copy(session, [*reference_probes, statement_probe])
    if match is not None:
        raise RecordingReused(
            f"a recording is a copy of one used in an earlier enrolment ({_agreement(match)})"
        )


def find_earlier_copy(session: Session, probes: Sequence[Probe]) -> Match | None:
    """The stored recording one of ``probes`` copies, searched EARLIER_BATCH at a time.

    Raises:
        ValueError: a stored fingerprint is corrupt.
    """
    shortlists: list[list[Candidate]] = [[] for _ in probes]
    for index in _earlier_batches(session):
        for candidate, shortlist in zip(probes, shortlists, strict=True):
            shortlist.extend(index.candidates(candidate))
            shortlist.sort(key=lambda c: -c.votes)
            del shortlist[MAX_CANDIDATES:]
    for candidate, shortlist in zip(probes, shortlists, strict=True):
        match = _best_match(candidate, shortlist)
        if match is not None:
            return match
    return None


class FingerprintIndex:
    """Stored fingerprints under their keys: searched by votes, the best few then scored."""

    def __init__(self, entries: Iterable[tuple[str, Fingerprint]]) -> None:
        self._keys: list[str] = []
        self._prints: list[Fingerprint] = []
        for key, stored in entries:
            self._keys.append(key)
            self._prints.append(stored)
        self._table = _Keyed.of(self._prints)
        self._sounding = np.array([int(p.voiced.sum()) for p in self._prints], np.int64)
        self._common = np.bincount(self._table.keys, minlength=_KEY_SPACE) > COMMON_KEY_LIMIT

    def __len__(self) -> int:
        return len(self._keys)

    def find_copy(self, candidate: Probe) -> Match | None:
        """The stored recording ``candidate`` copies (score ≥ COPY_THRESHOLD), or None."""
        return _best_match(candidate, self.candidates(candidate))

    def candidates(self, candidate: Probe) -> list[Candidate]:
        """The recordings with the most votes at one alignment, best first: at most
        MAX_CANDIDATES, each with at least MIN_VOTES and MIN_VOTE_SHARE."""
        if not self._keys:
            return []
        cells = self._votes(_Keyed.of([shifted.print for shifted in candidate.shifts]))
        found, counts = np.unique(cells, return_counts=True)
        shorter = np.minimum(self._sounding[found >> 32], candidate.sounding_frames)
        enough = counts >= np.maximum(MIN_VOTES, MIN_VOTE_SHARE * shorter)
        found, counts = found[enough], counts[enough]
        order = np.argsort(-counts, kind="stable")
        chosen: list[Candidate] = []
        for cell, votes in zip(found[order], counts[order], strict=True):
            recording = int(cell >> 32)
            if all(self._keys[recording] != c.key for c in chosen):
                chosen.append(Candidate(int(votes), self._keys[recording], self._prints[recording]))
            if len(chosen) == MAX_CANDIDATES:
                break
        return chosen

    def _votes(self, probe_keys: _Keyed) -> np.ndarray:
        """One (recording, alignment) cell per pair of stored and probe frames sharing a key.

        Keys common among the stored frames or within the probe (pauses, steady tones) are
        skipped, which bounds the pairs to (probe keys) x COMMON_KEY_LIMIT.
        """
        wanted = np.bincount(probe_keys.keys, minlength=_KEY_SPACE)
        wanted[self._common | (wanted > COMMON_KEY_LIMIT)] = 0
        stored = self._table.select(wanted[self._table.keys] > 0)
        count = wanted[stored.keys]
        order = np.argsort(probe_keys.keys, kind="stable")
        first = np.searchsorted(probe_keys.keys[order], stored.keys)
        within = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
        partner = order[np.repeat(first, count) + within]
        offsets = np.repeat(stored.frames, count) - probe_keys.frames[partner]
        owners = np.repeat(stored.recordings, count).astype(np.int64)
        return owners * (1 << 32) + offsets.astype(np.int64) + (1 << 31)


@dataclass(frozen=True)
class _Keyed:
    """Sounding frames under their keys (two per frame), with their recording and position."""

    keys: np.ndarray  # int32 in [0, _KEY_SPACE)
    recordings: np.ndarray  # int32: position in the list given to ``of``
    frames: np.ndarray  # int32

    @classmethod
    def of(cls, prints: Sequence[Fingerprint]) -> _Keyed:
        """Every sounding frame of ``prints`` under its word's low half and its high half."""
        if not prints:
            empty = np.zeros(0, np.int32)
            return cls(empty, empty, empty)
        lengths = np.array([len(p.words) for p in prints])
        words = np.concatenate([p.words for p in prints])
        sounding = np.concatenate([p.voiced for p in prints])
        recordings = np.repeat(np.arange(len(prints), dtype=np.int32), lengths)[sounding]
        frames = (np.arange(len(words)) - np.repeat(np.cumsum(lengths) - lengths, lengths))[
            sounding
        ].astype(np.int32)
        words = words[sounding]
        keys = np.concatenate([words & 0xFFFF, (words >> 16) | 0x10000]).astype(np.int32)
        return cls(keys, np.tile(recordings, 2), np.tile(frames, 2))

    def select(self, which: np.ndarray) -> _Keyed:
        return _Keyed(self.keys[which], self.recordings[which], self.frames[which])


def _best_match(candidate: Probe, shortlist: Iterable[Candidate]) -> Match | None:
    best: Match | None = None
    for stored in shortlist:
        score = similarity(candidate, stored.print)
        if score >= COPY_THRESHOLD and (best is None or score > best.score):
            best = Match(stored.key, score)
    return best


def _earlier_batches(session: Session) -> Iterator[FingerprintIndex]:
    """Every stored fingerprint, EARLIER_BATCH recordings at a time, in id order.

    Raises:
        ValueError: a stored fingerprint is corrupt.
    """
    after = ""
    while True:
        rows = session.exec(
            select(VoiceAudioRow.id, VoiceAudioRow.fingerprint)
            .where(col(VoiceAudioRow.fingerprint).is_not(None), col(VoiceAudioRow.id) > after)
            .order_by(col(VoiceAudioRow.id))
            .limit(EARLIER_BATCH)
        ).all()
        if not rows:
            return
        yield FingerprintIndex(
            (row_id, Fingerprint.from_bytes(data)) for row_id, data in rows if data is not None
        )
        after = rows[-1][0]


def _agreement(match: Match) -> str:
    return f"fingerprint agreement {match.score:.2f}, threshold {COPY_THRESHOLD:.2f}"
