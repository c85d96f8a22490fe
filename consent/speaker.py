"""Speaker embeddings with resemblyzer (its encoder ships inside the package).

A d-vector is a unit-length 256-d vector; the similarity of two is their cosine (dot product).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from consent.audio import SAMPLE_RATE

ENCODER_NAME = "resemblyzer 0.1.4 VoiceEncoder"
# Every two recordings of one enrolment (references and statement) must also agree with each
# other, at the threshold less this margin: a centroid of two people sits near both of them
# (an attacker's clip beside a victim's scored 0.89 against their centroid while the two
# clips agreed 0.63-0.67). Same-voice clip pairs scored 0.855 or more (bench/voice docs).
PAIR_MARGIN = 0.10


@dataclass(frozen=True)
class SpeakerCheck:
    statement_similarity: float  # statement vs the centroid of the references
    reference_min_similarity: float  # the least consistent reference vs the centroid
    threshold: float
    centroid: np.ndarray
    pair_min_similarity: float = 1.0  # the least agreeing two recordings, each vs each

    @property
    def pair_threshold(self) -> float:
        return self.threshold - PAIR_MARGIN

    @property
    def same_speaker(self) -> bool:
        return (
            min(self.statement_similarity, self.reference_min_similarity) >= self.threshold
            and self.pair_min_similarity >= self.pair_threshold
        )


class SpeakerEncoder:
    """Loads the encoder once, on first use; embedding is thread-safe behind a lock."""

    def __init__(self, device: str = "cpu") -> None:
        self._device = device
        self._encoder: Any = None  # resemblyzer.VoiceEncoder, loaded on first use
        self._lock = threading.Lock()

    def embed(self, samples: np.ndarray) -> np.ndarray:
        from resemblyzer import VoiceEncoder, preprocess_wav

        with self._lock:
            if self._encoder is None:
                self._encoder = VoiceEncoder(self._device, verbose=False)
            wav = preprocess_wav(samples, source_sr=SAMPLE_RATE)
            if len(wav) == 0:
                wav = samples  # all "silence" to the VAD: embed what there is
            return np.asarray(self._encoder.embed_utterance(wav), dtype=np.float32)

    def compare(
        self, references: list[np.ndarray], statement: np.ndarray, threshold: float
    ) -> SpeakerCheck:
        """Embed every clip; compare the statement with the references' centroid, and every
        two recordings with each other."""
        embeddings = [self.embed(clip) for clip in references]
        centroid = _unit(np.mean(embeddings, axis=0))
        statement_embedding = self.embed(statement)
        every = [*embeddings, statement_embedding]
        pairs = [
            float(every[i] @ every[j]) for i in range(len(every)) for j in range(i + 1, len(every))
        ]
        return SpeakerCheck(
            statement_similarity=float(statement_embedding @ centroid),
            reference_min_similarity=min(float(e @ centroid) for e in embeddings),
            threshold=threshold,
            centroid=centroid,
            pair_min_similarity=min(pairs),
        )


def _unit(vector: np.ndarray) -> np.ndarray:
    return (vector / np.linalg.norm(vector)).astype(np.float32)
