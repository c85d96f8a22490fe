"""The grammar pocketsphinx decodes an English consent statement against.

The statement's text is known, so everything but the phrase is spelled out word by word (as
the reader will say it), and each phrase word becomes a *slot* open to every word the phrase
could have been drawn from. The recogniser then only has to tell, at each slot, which word of
the list was read: the question it answers well when the rest of the text anchors the timing.

- Numbers (the expiry date) are spelled out the ways people read them: "14" as "fourteen" or
  "the fourteenth (of)", "2027" as "two thousand (and) twenty seven" or "twenty twenty seven".
- A word the dictionary lacks (a name, often) becomes a garbage unit (pocketsphinx's
  spoken-noise model, one or more): it absorbs the word without constraining it.
- British spellings the American dictionary lacks ("harbour") fall back to the American one, and
  every word also gets a non-rhotic pronunciation ("ember" as EH M B AH), since the acoustic
  model is American English and many readers are not.
- Slot words are entered in the dictionary under their own names (``slot_amber``), so the
  hypothesis says which words filled the slots whatever the rest of the text holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

GARBAGE_WORD = "spn_garbage"  # pocketsphinx's spoken-noise filler phone (+SPN+) as a word
GARBAGE_PHONE = "+SPN+"
SLOT_PREFIX = "slot_"  # statement tokens never hold "_" (see _TOKEN), so no clash
ALT_SUFFIX = "(9)"  # the dictionary's own alternates are (2), (3)…; ours never collide
MAX_SPELLED_NUMBER = 9999  # larger numbers are not expected in a statement: garbage

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_VOWELS = frozenset(
    ["AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"]
)
# British spellings → the American spelling cmudict lists (applied when the word is missing).
_SPELLINGS = ((r"our$", "or"), (r"ise$", "ize"), (r"isation$", "ization"), (r"tre$", "ter"))

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINAL_ENDINGS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}

Lookup = Callable[[str], "str | None"]  # word → its pronunciation (phones), or None


class PhraseNotInStatement(ValueError):
    """The phrase's words do not occur, in order, in the statement."""


@dataclass(frozen=True)
class Grammar:
    """A JSGF grammar and the dictionary entries (word → phones) it needs added."""

    jsgf: str
    entries: dict[str, str]
    slots: int


def tokens(text: str) -> list[str]:
    """Lower-case words and numbers of ``text``; punctuation dropped, inner apostrophes kept."""
    return _TOKEN.findall(text.casefold())


def pronounce(word: str, lookup: Lookup) -> str | None:
    """The dictionary's pronunciation of ``word``, or of its American spelling; else None."""
    found = lookup(word)
    if found:
        return found
    for pattern, replacement in _SPELLINGS:
        american = re.sub(pattern, replacement, word)
        if american != word and (found := lookup(american)):
            return found
    return None


def non_rhotic(phones: str) -> str:
    """The pronunciation without post-vocalic R: ``ER`` before a consonant or at the end
    becomes ``AH``, and an ``R`` after a vowel and not before one is dropped."""
    out: list[str] = []
    units = phones.split()
    for i, phone in enumerate(units):
        following = units[i + 1] if i + 1 < len(units) else None
        before_vowel = following in _VOWELS
        if phone == "R" and out and out[-1] in _VOWELS and not before_vowel:
            continue
        out.append("AH" if phone == "ER" and not before_vowel else phone)
    return " ".join(out)


def cardinal(n: int) -> str:
    """``n`` (0–9999) in words, as read aloud: 2027 → "two thousand and twenty seven"."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return f"{_ONES[n // 100]} hundred" + ("" if rest == 0 else f" and {cardinal(rest)}")
    rest = n % 1000
    joiner = " and " if 0 < rest < 100 else " "
    return f"{_ONES[n // 1000]} thousand" + ("" if rest == 0 else joiner + cardinal(rest))


def ordinal(n: int) -> str:
    """``n`` (1–99) as an ordinal: 14 → "fourteenth", 21 → "twenty first"."""
    words = cardinal(n).split()
    last = words[-1]
    if last in _ORDINAL_ENDINGS:
        words[-1] = _ORDINAL_ENDINGS[last]
    elif last.endswith("y"):
        words[-1] = last[:-1] + "ieth"
    else:
        words[-1] = last + "th"
    return " ".join(words)


def number_forms(n: int) -> list[str]:
    """The ways a reader says ``n``; "and" optional as British and American readers differ."""
    forms = [cardinal(n).replace(" and ", " [and] ")]
    if 1 <= n < 100:
        forms.append(f"[the] {ordinal(n)} [of]")
    if 1100 <= n < 2100 and n % 100 != 0:  # years: "twenty twenty seven", "nineteen oh five"
        low = n % 100
        spoken_low = cardinal(low) if low >= 10 else f"oh {cardinal(low)}"
        forms.append(f"{cardinal(n // 100)} {spoken_low}")
    return forms


def _spoken(token: str, lookup: Lookup, entries: dict[str, str]) -> str:
    """The JSGF expansion for one statement token (its pronunciations go into ``entries``)."""
    if token.isdigit():
        if int(token) > MAX_SPELLED_NUMBER:
            return f"{GARBAGE_WORD}+"
        forms = number_forms(int(token))
        for word in " ".join(forms).replace("[", " ").replace("]", " ").split():
            _enter(word, word, lookup, entries)
        return forms[0] if len(forms) == 1 else "( " + " | ".join(forms) + " )"
    if not _enter(token, token, lookup, entries):
        return f"{GARBAGE_WORD}+"
    return token


def _enter(name: str, word: str, lookup: Lookup, entries: dict[str, str]) -> bool:
    """Add ``word``'s pronunciations under ``name``; False when the dictionary lacks it."""
    phones = pronounce(word, lookup)
    if phones is None:
        return False
    entries[name] = phones
    if (variant := non_rhotic(phones)) != phones:
        entries[name + ALT_SUFFIX] = variant
    return True


def find_phrase(words: Sequence[str], phrase: Sequence[str]) -> int:
    """Index of the last occurrence of ``phrase`` in ``words``.

    Raises:
        PhraseNotInStatement: the phrase does not occur.
    """
    for start in range(len(words) - len(phrase), -1, -1):
        if list(words[start : start + len(phrase)]) == list(phrase):
            return start
    raise PhraseNotInStatement("the phrase does not occur in the statement")


def slot_name(word: str) -> str:
    return SLOT_PREFIX + word


def build(statement: str, phrase: str, vocabulary: Iterable[str], lookup: Lookup) -> Grammar | None:
    """The grammar for ``statement`` with one open slot per word of ``phrase``, each slot
    offering ``vocabulary`` and the phrase's own words. None when a phrase word has no
    pronunciation (the phrase cannot be checked).

    Raises:
        PhraseNotInStatement: the phrase does not occur in the statement.
    """
    words, wanted = tokens(statement), tokens(phrase)
    start = find_phrase(words, wanted) if wanted else -1
    if start < 0:
        raise PhraseNotInStatement("the phrase is empty")
    entries: dict[str, str] = {GARBAGE_WORD: GARBAGE_PHONE}
    choices: list[str] = []
    for word in dict.fromkeys([*wanted, *tokens(" ".join(vocabulary))]):
        if _enter(slot_name(word), word, lookup, entries):
            choices.append(slot_name(word))
        elif word in wanted:
            return None
    before = [_spoken(t, lookup, entries) for t in words[:start]]
    after = [_spoken(t, lookup, entries) for t in words[start + len(wanted) :]]
    body = " ".join([*before, *["<slot>"] * len(wanted), *after])
    jsgf = (
        "#JSGF V1.0;\ngrammar statement;\n"
        f"public <statement> = {body};\n"
        f"<slot> = {' | '.join(choices)};\n"
    )
    return Grammar(jsgf, entries, len(wanted))
