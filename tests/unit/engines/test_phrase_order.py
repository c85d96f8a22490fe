"""The Whisper verifier's decision: the phrase's words heard in order, nothing else."""

from __future__ import annotations

import pytest

from engines.transcription import phrase_in_order


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("My phrase is: Amber, willow, comet, lantern.", True),
        ("my phrase is amber uh willow comet and lantern", True),
        ("my phrase is willow amber comet lantern", False),  # order matters
        ("my phrase is amber willow comet", False),  # a word missing
        ("", False),
    ],
)
def test_phrase_words_must_be_heard_in_order(heard: str, expected: bool) -> None:
    assert phrase_in_order(heard, "amber willow comet lantern") is expected
