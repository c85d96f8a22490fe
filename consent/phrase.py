"""Did the owner read the statement? The phrase check an enrolment needs to be ``active``.

A recogniser implements ``PhraseVerifier`` (``engines`` provides them; the gateway wires one
in): given the statement audio and the text it should hold, it says whether the challenge's
random phrase was spoken. A miss is never a refusal: the enrolment waits for a human review.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np


class PhraseVerifier(Protocol):
    name: str

    def verify(
        self, samples: np.ndarray, statement: str, phrase: str, language: str
    ) -> tuple[bool, float]:
        """(verified, score) for 16 kHz mono float32 ``samples`` of someone reading
        ``statement`` (which contains ``phrase``). Languages it cannot check → (False, 0.0)."""
        ...
