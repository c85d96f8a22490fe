"""Which texts a speech engine is asked to speak."""

from __future__ import annotations

import pytest

from engines.text import TextUnspeakable, check_speakable, unspeakable_reason


@pytest.mark.parametrize(
    "text",
    ["a", ".", "!?", "中", "ๆ", "😀", "\u0301", "a\u200bb", "line one\nline two", "tab\tstop"],
)
def test_odd_but_speakable_texts_pass(text: str) -> None:
    assert unspeakable_reason(text) is None
    check_speakable(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "nothing"),
        (" ", "nothing"),
        ("\t", "nothing"),
        ("\n\r\n", "nothing"),
        ("\u3000", "nothing"),  # ideographic space
        ("\u200b\u200d", "nothing"),  # zero-width format characters
        ("\ue000", "nothing"),  # private use
        ("\0", "U\\+0000"),
        ("hello\0world", "U\\+0000"),
        ("bell\x07", "U\\+0007"),
        ("\x1b[31mred", "U\\+001B"),
        ("lone \ud800 surrogate", "U\\+D800"),
    ],
)
def test_unspeakable_texts_are_refused(text: str, reason: str) -> None:
    with pytest.raises(TextUnspeakable, match=reason) as raised:
        check_speakable(text)
    assert raised.value.code == "text_unspeakable"
