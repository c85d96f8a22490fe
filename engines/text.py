"""Text a speech engine is asked to speak: refused when nothing in it can be spoken.

A text is speakable when at least one character is neither whitespace nor a control, format,
surrogate, private-use or unassigned code point (Unicode categories Z* and C*): punctuation,
a single letter, a combining mark or an emoji is odd but valid, and an engine answers it with
audio or a coded error. Control characters other than tab and line breaks are refused
anywhere in a text: a NUL ends a C string early (eSpeak NG would speak only the part before
it), and none of them is meant to be read aloud.

EngineError
 ├── TextUnspeakable   (text_unspeakable)   nothing in the text can be spoken
 └── SynthesisFailed   (synthesis_failed)   the model failed on a text that passed the check
"""

from __future__ import annotations

import unicodedata

from engines.errors import EngineError

_LAYOUT = frozenset("\t\n\r")  # layout, not junk: multi-line scripts keep their line breaks


class TextUnspeakable(EngineError):
    code = "text_unspeakable"


class SynthesisFailed(EngineError):
    code = "synthesis_failed"


def unspeakable_reason(text: str) -> str | None:
    """Why ``text`` cannot be spoken, or None when it can."""
    speakable = False
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Cs") and char not in _LAYOUT:
            return f"the text holds a control character (U+{ord(char):04X})"
        speakable = speakable or category[0] not in "ZC"
    return None if speakable else "the text holds nothing that can be spoken"


def check_speakable(text: str) -> None:
    """Raises TextUnspeakable when nothing in ``text`` can be spoken (see the module)."""
    reason = unspeakable_reason(text)
    if reason is not None:
        raise TextUnspeakable(reason)
