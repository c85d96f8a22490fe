"""Text as the content rules see it: one canonical spelling for the ways a word can be disguised.

``canonical`` undoes, in order: compatibility forms (NFKC: full-width letters, ligatures),
invisible characters (zero-width, format characters, soft hyphens, variation selectors),
case, look-alike letters from other scripts (Unicode TS #39 confusables: Cyrillic ``а`` is
``a``), diacritics on Latin letters (``pásswörd``, and Vietnamese written with or without
its marks reads the same), Traditional and Hong Kong/Taiwan variant characters (folded to
Simplified with OpenCC), digits standing in for letters (``p4ssw0rd``), letters spaced or
punctuated apart (``p a s s``, ``p.a.s.s``, ``密 码``), and numbers — digits in any script and
number words of each language — which all become ``#``. Rules are written in the same
canonical form (their phrases pass through the same function), so a rule never has to list a
disguise.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping

NUMBER = "#"

_INVISIBLE = frozenset(
    {
        "\u00ad",  # soft hyphen (Cf, listed for clarity)
        "\u034f",  # combining grapheme joiner
        "\u115f",  # Hangul fillers: render as nothing
        "\u1160",
        "\u3164",
        "\uffa0",
        "\u2800",  # braille blank
    }
)
_VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
# Scripts whose letters imitate Latin ones; CJK, Thai and the rest are never mapped to Latin.
_LOOKALIKE_SCRIPTS = (
    "CYRILLIC",
    "GREEK",
    "ARMENIAN",
    "CHEROKEE",
    "COPTIC",
    "LATIN",
    "MODIFIER",
    "SMALL CAPITAL",
    "LISU",
    "VAI",
    "TIFINAGH",
    "OLD ITALIC",
    "DESERET",
)
# Digits and symbols that stand for letters inside a word (never in a word of digits alone).
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                       "8": "b", "@": "a", "$": "s", "!": "i", "|": "l", "€": "e"})  # fmt: skip
_LEET_CHARS = "0134578@$!|€"
_AMOUNT_WORD = re.compile(r"^\d+(k|m|bn|mn|grand)?$")  # 20k is an amount, not "zok"
# A run of letters, digits and leet symbols; _unleet skips runs without a letter. (Not
# "[...]*[a-z][...]*": that backtracks quadratically over long digit runs.)
_LATIN_WORD = re.compile(r"[a-z0-9@$!|€]+")
# Any punctuation or symbol (dashes of every kind, dots, slashes, emoji…) between letters.
_PUNCT = r"(?:[^\w\s@$€]|_)"
_INTRA_WORD_PUNCT = re.compile(rf"(?<=[a-z0-9]){_PUNCT}+(?=[a-z0-9])")
# What a spaced-out word is made of: Latin letters (and symbols standing for them) or Han
# characters. Digits join only with digits (4 8 2 9); Thai has its own joiner below.
_GRAPHEME = r"(?:[a-z0-9@$€\u3400-\u9fff\uf900-\ufaff])"
_SEPARATOR = r"(?:[^\w@$€]|_)+"
_SPACED = re.compile(rf"(?<![a-z0-9]){_GRAPHEME}(?:{_SEPARATOR}{_GRAPHEME}){{2,}}(?![a-z0-9])")
_SPACED_DIGITS = re.compile(r"(?<!\d)\d(?:[\s.\-_*·•/|]\d){2,}(?!\d)")
_THAI_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_THAI_SEGMENT = re.compile(r"[\u0e00-\u0e7f]+")
_THAI_GRAPHEME = re.compile(rf"[\u0e00-\u0e7f][{_THAI_MARKS}]*")
_THAI_SEPARATOR = re.compile(r"^[\s.\-_*·•~|/+'’\"]+$")
_HAN = r"\u3400-\u9fff\uf900-\ufaff"
_BETWEEN_HAN = re.compile(rf"(?<=[{_HAN}])[\s.\-_*·•~|/'’\"+]+(?=[{_HAN}])")
_NUMBER_RUN = re.compile(rf"{re.escape(NUMBER)}(?:[\s,.\-]*{re.escape(NUMBER)})*")
_SPACES = re.compile(r"\s+")
# Simplified forms OpenCC leaves apart that mean the same in these rules (帳 → 帐, not 账).
_HAN_VARIANTS = str.maketrans({"帐": "账", "裏": "里"})


@functools.cache
def _lookalikes() -> dict[str, str]:
    """Characters of other scripts that look like a Latin letter or digit → that character."""
    from confusable_homoglyphs import confusables

    data = confusables.confusables_data

    def targets(char: str) -> list[str]:
        return [
            h["c"].lower()
            for h in data.get(char, ())
            if len(h["c"]) == 1 and h["c"].isascii() and h["c"].isalnum()
        ]

    mapping = {}
    for char in data:
        if len(char) != 1 or char.isascii():
            continue
        name = unicodedata.name(char, "")
        if not name.startswith(_LOOKALIKE_SCRIPTS) and "MATHEMATICAL" not in name:
            continue
        found = targets(char)
        if not found:
            continue
        # Capital І is listed as l (I and l look alike); its small form, and its name, say i.
        other_case = targets(char.lower()) + targets(char.upper())
        named = name.rsplit(" ", 1)[-1].lower()
        mapping[char] = named if named in other_case and named in found + other_case else found[0]
    # Small capitals the confusables table leaves out (ᴘᴀꜱꜱᴡᴏʀᴅ).
    for block_start, block_end in _SMALL_CAPITAL_BLOCKS:
        for code in range(block_start, block_end):
            char = chr(code)
            parts = unicodedata.name(char, "").split(" SMALL CAPITAL ")
            if char not in mapping and len(parts) == 2 and len(parts[1]) == 1:
                mapping[char] = parts[1].lower()
    return mapping


_SMALL_CAPITAL_BLOCKS = ((0x0250, 0x02B0), (0x1D00, 0x1D80), (0xA720, 0xA800))


@functools.cache
def _to_simplified() -> tuple[object, object]:
    import opencc

    return opencc.OpenCC("hk2s"), opencc.OpenCC("tw2s")


class Normaliser:
    """``canonical(text)`` with each language's number words (``numbers``: language → words,
    Latin-script words matched whole, Han and Thai ones as character sequences)."""

    def __init__(self, numbers: Mapping[str, Iterable[str]] | None = None) -> None:
        latin: set[str] = set()
        glyphs: set[str] = set()
        for words in (numbers or {}).values():
            for word in words:
                folded = self._letters(str(word))
                if not folded:
                    continue
                (latin if folded.isascii() else glyphs).add(folded)
        self._latin_numbers = frozenset(latin)
        # Longest first, so 二十 is one number, not two.
        self._glyph_numbers = (
            re.compile("|".join(re.escape(g) for g in sorted(glyphs, key=len, reverse=True)))
            if glyphs
            else None
        )

    def canonical(self, text: str) -> str:
        return self.canonical_forms(text)[0]

    def canonical_forms(self, text: str) -> tuple[str, ...]:
        """The canonical text, and other readings where it is ambiguous; a rule should see
        all of them: ``a p i n`` is "a pin" and ``a p p r o v a l`` "approval";
        ``tell-me-your-password``, ``TellMeYourPassword`` and words joined by invisible
        characters are words apart, while ``pass-word`` and ``pass\u200bword`` are one."""
        forms = []
        for source in (text, _words_apart(text)):
            letters = self._letters(source)
            for keep_article in (False, True):
                form = self._numbers(self._undo_spacing(letters, keep_article))
                forms.append(_SPACES.sub(" ", form).strip())
        return tuple(dict.fromkeys(forms))

    def _letters(self, text: str) -> str:
        """Compatibility forms, invisibles, case, look-alikes, diacritics, variants, leet."""
        text = unicodedata.normalize("NFKC", text)
        text = _VARIATION_SELECTORS.sub("", text)
        text = "".join(
            ch for ch in text if ch not in _INVISIBLE and unicodedata.category(ch) != "Cf"
        )
        # Look-alikes before and after case folding: Greek capital Nu is N, its small form
        # looks like v.
        lookalikes = _lookalikes()
        text = "".join(lookalikes.get(ch, ch) for ch in text).casefold()
        text = "".join(lookalikes.get(ch, ch) for ch in text)
        text = _fold_latin_marks(text)
        if re.search(f"[{_HAN}]", text):
            for converter in _to_simplified():
                text = converter.convert(text)  # type: ignore[attr-defined]
            text = text.translate(_HAN_VARIANTS)
        return text

    @staticmethod
    def _undo_spacing(text: str, keep_article: bool) -> str:
        text = _INTRA_WORD_PUNCT.sub("", text)  # pass-word, p.a.s.s.w.o.r.d
        text = _SPACED.sub(lambda m: _join_spaced(m, keep_article), text)  # p a s s
        text = _SPACED_DIGITS.sub(lambda m: re.sub(r"\D", "", m.group()), text)  # 4 8 2 9
        text = _BETWEEN_HAN.sub("", text)  # 密 码, 密.码
        text = _join_thai_fragments(text)  # ร หั ส, โ.อ.น
        # After joining, so a separator (p|a|y) is never read as a letter.
        return _LATIN_WORD.sub(_unleet, text)

    def _numbers(self, text: str) -> str:
        text = "".join(NUMBER if ch.isdecimal() else ch for ch in text)
        if self._latin_numbers:
            text = re.sub(
                r"[a-z]+",
                lambda m: NUMBER if m.group() in self._latin_numbers else m.group(),
                text,
            )
        if self._glyph_numbers is not None:
            text = self._glyph_numbers.sub(NUMBER, text)
        return _NUMBER_RUN.sub(NUMBER, text)


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_APOSTROPHES = frozenset("'’")  # don't, it's: one word


def _words_apart(text: str) -> str:
    """Another reading: camelCase, and any one punctuation mark, symbol or invisible between
    two letters, as a space (combining marks stay: they are part of their letter)."""
    text = _CAMEL.sub(" ", text)
    out = list(text)
    for i in range(1, len(text) - 1):
        ch = text[i]
        if ch in _APOSTROPHES or not (text[i - 1].isalnum() and text[i + 1].isalnum()):
            continue
        if unicodedata.category(ch)[0] in "PS" or unicodedata.category(ch) == "Cf":
            out[i] = " "
    return "".join(out)


def _join_thai_fragments(text: str) -> str:
    """Join Thai text split into fragments (``ร หั ส``, ``โ.อ.น``): a separator goes when the
    fragment on either side is one grapheme, which no Thai phrase is; spaces between real
    phrases (Thai's clause marks) stay."""
    if not _THAI_SEGMENT.search(text):
        return text
    out: list[str] = []
    last_end = 0
    previous: re.Match[str] | None = None
    for segment in _THAI_SEGMENT.finditer(text):
        between = text[last_end : segment.start()]
        joinable = (
            previous is not None
            and _THAI_SEPARATOR.match(between) is not None
            and (_single_grapheme(previous.group()) or _single_grapheme(segment.group()))
        )
        out.append("" if joinable else between)
        out.append(segment.group())
        last_end, previous = segment.end(), segment
    out.append(text[last_end:])
    return "".join(out)


def _single_grapheme(segment: str) -> bool:
    return len(_THAI_GRAPHEME.findall(segment)) == 1


def _join_spaced(match: re.Match[str], keep_article: bool) -> str:
    """``p a s s`` → ``pass``; a wider gap between letters (``g i a i  n g a n``) stays a
    space; digits after a space end the word (``w i r e 1,200``: an amount, not ``wire1``);
    with ``keep_article``, a leading "a" or "i" stays a word."""
    run = match.group()
    pieces = re.split(f"({_SEPARATOR})", run)
    letters, separators = pieces[0::2], pieces[1::2]
    # d|u|y|e|t k|h|o|a|n: where letters are joined by marks, a plain space parts words.
    marked = any(not any(ch.isspace() for ch in sep) for sep in separators)
    cut = len(letters)
    for i in range(1, len(letters)):
        if (
            letters[i].isdigit()
            and separators[i - 1].isspace()
            and all(p.isdigit() for p in letters[i:])
        ):
            cut = i
            break
    word = letters[0]
    for letter, separator in zip(letters[1:cut], separators[: cut - 1], strict=True):
        parts_words = separator.isspace() and (len(separator) > 1 or marked)
        word += (" " if parts_words else "") + letter
    if keep_article and cut >= 4 and letters[0] in ("a", "i") and separators[0].isspace():
        word = letters[0] + " " + word[1:]
    rest = "".join(s + p for s, p in zip(separators[cut - 1 :], letters[cut:], strict=True))
    return word + rest


def _fold_latin_marks(text: str) -> str:
    """Drop diacritics from Latin letters (Vietnamese is read without them too); keep the
    marks of other scripts (a Thai tone mark is part of its word)."""
    if text.isascii():
        return text
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if (
            unicodedata.category(ch) in ("Mn", "Me")
            and out
            and out[-1].isascii()
            and out[-1].isalpha()
        ):
            continue
        out.append(_LATIN_EXTRA.get(ch, ch))
    return unicodedata.normalize("NFC", "".join(out))


_LATIN_EXTRA = {"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ħ": "h", "ı": "i", "ɑ": "a", "ſ": "s"}


def _unleet(match: re.Match[str]) -> str:
    """Digits inside a word with letters are letters; symbols only when a letter or digit
    follows (``password!`` ends a sentence, ``p@ss`` is a disguise)."""
    word = match.group()
    if not any("a" <= ch <= "z" for ch in word):
        return word
    if _AMOUNT_WORD.match(word) or not any(ch in _LEET_CHARS for ch in word):
        return word
    end = len(word.rstrip("@$!|€"))
    return word[:end].translate(_LEET) + word[end:]
