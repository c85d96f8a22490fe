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


@dataclass(frozen=True)
class SpeakerCheck:
    statement_similarity: float  # statement vs the centroid of the references
    reference_min_similarity: float  # the least consistent reference vs the centroid
    threshold: float
    centroid: np.ndarray

    @property
    def same_speaker(self) -> bool:
        return min(self.statement_similarity, self.reference_min_similarity) >= self.threshold


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
        """Embed every clip and compare the statement with the references' centroid."""
        embeddings = [self.embed(clip) for clip in references]
        centroid = _unit(np.mean(embeddings, axis=0))
        statement_embedding = self.embed(statement)
        return SpeakerCheck(
            statement_similarity=float(statement_embedding @ centroid),
            reference_min_similarity=min(float(e @ centroid) for e in embeddings),
            threshold=threshold,
            centroid=centroid,
        )


def _unit(vector: np.ndarray) -> np.ndarray:
    return (vector / np.linalg.norm(vector)).astype(np.float32)
