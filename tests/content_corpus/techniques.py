"""Evasion techniques: pure, deterministic rewrites of a sensitive base.

Each public technique takes a :class:`~tests.content_corpus.bases.Base` and returns the evasive
text, or ``None`` where the technique does not apply to the base (wrong script, no numbers, or a
rewrite that would leave the text unchanged). Randomness comes only from a ``random.Random``
seeded with a hash of the base id and the technique, so a rebuild gives the same corpus.

The rewrites work on the base's segments (``(piece, is_key_word)``), so they can attack the key
words a filter is likely to look for, and so that two of them can be chained for ``mixed``.
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import opencc

from tests.content_corpus.bases import LANGUAGES, Base, Number

Segments = tuple[tuple[str, bool], ...]
Step = Callable[[Segments, Base, random.Random], Segments]

# Invisible or usually-invisible characters that survive copy and paste and most TTS front ends.
ZERO_WIDTH: tuple[str, ...] = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")

# Latin letter -> Cyrillic or Greek look-alike (the pairs in Unicode's confusables list that
# render identically in common fonts; small-caps look-alikes such as к or т are left out).
HOMOGLYPHS: dict[str, str] = {
    "a": "\u0430",  # а
    "c": "\u0441",  # с
    "d": "\u0501",  # ԁ
    "e": "\u0435",  # е
    "h": "\u04bb",  # һ
    "i": "\u0456",  # і
    "j": "\u0458",  # ј
    "o": "\u043e",  # о
    "p": "\u0440",  # р
    "q": "\u051b",  # ԛ
    "s": "\u0455",  # ѕ
    "v": "\u03bd",  # ν (Greek nu)
    "w": "\u051d",  # ԝ
    "x": "\u0445",  # х
    "y": "\u0443",  # у
    "A": "\u0410",
    "B": "\u0412",
    "C": "\u0421",
    "E": "\u0415",
    "H": "\u041d",
    "I": "\u0406",
    "J": "\u0408",
    "K": "\u041a",
    "M": "\u041c",
    "N": "\u039d",  # Greek capital nu
    "O": "\u041e",
    "P": "\u0420",
    "S": "\u0405",
    "T": "\u0422",
    "X": "\u0425",
    "Y": "\u03a5",  # Greek capital upsilon
    "Z": "\u0396",  # Greek capital zeta
}

LEET: dict[str, str] = {
    "a": "4",
    "e": "3",
    "i": "1",
    "o": "0",
    "s": "5",
    "t": "7",
    "A": "4",
    "E": "3",
    "I": "1",
    "O": "0",
    "S": "5",
    "T": "7",
}

# Characters with more than one accepted form (HK, TW, mainland, old print). A filter that
# folds Traditional to Simplified with one table can still miss the other variant.
CHAR_VARIANTS: dict[str, str] = {
    "帳": "賬",
    "賬": "帳",
    "账": "帐",
    "帐": "账",
    "裡": "裏",
    "裏": "裡",
    "綫": "線",
    "線": "綫",
    "线": "綫",
    "戶": "户",
    "户": "戶",
    "為": "爲",
    "爲": "為",
    "着": "著",
    "著": "着",
    "衛": "衞",
    "啟": "啓",
    "啓": "啟",
    "匯": "滙",
    "滙": "匯",
    "錄": "録",
    "説": "說",
    "說": "説",
    "內": "内",
    "温": "溫",
    "溫": "温",
    "麼": "麽",
}

ALL_LANGUAGES = frozenset(LANGUAGES)
LATIN_SCRIPT = frozenset({"en", "vi"})
CHINESE_SCRIPT = frozenset({"zh-Hans", "zh-Hant", "yue"})

# Which languages each technique can apply to; elsewhere it is skipped, not faked.
APPLIES: dict[str, frozenset[str]] = {
    "zero_width": ALL_LANGUAGES,
    "homoglyph": LATIN_SCRIPT,
    "full_width": ALL_LANGUAGES,
    "spaced_letters": ALL_LANGUAGES,
    "punctuated_letters": ALL_LANGUAGES,
    "leetspeak": LATIN_SCRIPT,
    "spelled_numbers": ALL_LANGUAGES,
    "script_mix": CHINESE_SCRIPT,
    "no_diacritics": frozenset({"vi"}),
    "mixed": ALL_LANGUAGES,
}
TECHNIQUES: tuple[str, ...] = tuple(APPLIES)

# Pairs for ``mixed``, in application order: the first must not hide what the second needs
# (spelled_numbers goes first because full-width digits would no longer be found as digits).
MIXED_PAIRS: tuple[tuple[str, str], ...] = (
    ("homoglyph", "zero_width"),
    ("leetspeak", "punctuated_letters"),
    ("full_width", "zero_width"),
    ("spelled_numbers", "homoglyph"),
    ("spelled_numbers", "zero_width"),
    ("no_diacritics", "zero_width"),
    ("no_diacritics", "leetspeak"),
    ("script_mix", "zero_width"),
    ("script_mix", "spaced_letters"),
    ("spelled_numbers", "script_mix"),
    ("full_width", "punctuated_letters"),
    ("punctuated_letters", "zero_width"),
)


# --- helpers ---------------------------------------------------------------------------------


def rng_for(base_id: str, salt: str) -> random.Random:
    """A generator seeded from the base id, stable across processes (unlike ``hash()``)."""
    digest = hashlib.sha256(f"{base_id}/{salt}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def text_of(segments: Segments) -> str:
    return "".join(piece for piece, _ in segments)


def _map_keywords(segments: Segments, fn: Callable[[str], str]) -> Segments:
    return tuple((fn(piece) if key else piece, key) for piece, key in segments)


def _map_all(segments: Segments, fn: Callable[[str], str]) -> Segments:
    return tuple((fn(piece), key) for piece, key in segments)


def clusters(word: str) -> list[str]:
    """Characters with their combining marks attached (Thai vowel and tone marks, decomposed
    Vietnamese accents), so nothing is inserted between a letter and its mark."""
    out: list[str] = []
    for char in word:
        if out and unicodedata.category(char) in ("Mn", "Mc", "Me"):
            out[-1] += char
        else:
            out.append(char)
    return out


def _pick(rng: random.Random, items: list[int], low_share: float) -> set[int]:
    """A non-empty random subset holding at least ``low_share`` of the items."""
    count = rng.randint(max(1, round(low_share * len(items))), len(items))
    return set(rng.sample(items, count))


# --- number spelling -------------------------------------------------------------------------

_EN_ONES: tuple[str, ...] = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _en_below_1000(n: int) -> list[str]:
    words: list[str] = []
    if n >= 100:
        words += [_EN_ONES[n // 100], "hundred"]
        n %= 100
    if n >= 20:
        words.append(_EN_TENS[n // 10] + (f"-{_EN_ONES[n % 10]}" if n % 10 else ""))
    elif n:
        words.append(_EN_ONES[n])
    return words


def _en_cardinal(n: int) -> str:
    if n == 0:
        return "zero"
    words: list[str] = []
    for value, unit in ((10**9, "billion"), (10**6, "million"), (10**3, "thousand"), (1, "")):
        chunk = n // value % 1000
        if chunk:
            words += _en_below_1000(chunk) + ([unit] if unit else [])
    return " ".join(words)


def _zh_section(n: int) -> str:
    """0 < n < 10000, with 零 for skipped places (一千零五)."""
    digits = "零一二三四五六七八九"
    out, gap = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d == 0:
            gap = gap or bool(out)
            continue
        if gap:
            out += "零"
            gap = False
        out += digits[d] + unit
    return out


def _zh_cardinal(n: int, traditional: bool) -> str:
    if n == 0:
        return "零"
    out, gap = "", False
    for value, unit in ((10**8, "亿"), (10**4, "万"), (1, "")):
        chunk = n // value % 10000 if value < 10**8 else n // value
        if chunk == 0:
            gap = gap or bool(out)
            continue
        if out and (gap or chunk < 1000):
            out += "零"
        out += _zh_section(chunk) + unit
        gap = False
    if out.startswith("一十"):
        out = out[1:]  # 十二, not 一十二
    if out.startswith("二") and out[1:2] in ("千", "万", "亿"):
        out = "两" + out[1:]  # 两万五千: 两 before a large unit at the head
    if traditional:
        out = out.translate(str.maketrans("万亿两", "萬億兩"))
    return out


_TH_DIGITS = ("ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า")
_TH_PLACES = ("", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน")


def _th_below_million(n: int) -> str:
    out = ""
    for place in range(5, -1, -1):
        d = n // 10**place % 10
        if d == 0:
            continue
        if place == 1:
            out += {1: "สิบ", 2: "ยี่สิบ"}.get(d, _TH_DIGITS[d] + "สิบ")
        elif place == 0 and d == 1 and n > 10:
            out += "เอ็ด"  # ยี่สิบเอ็ด, หนึ่งร้อยเอ็ด
        else:
            out += _TH_DIGITS[d] + _TH_PLACES[place]
    return out


def _th_cardinal(n: int) -> str:
    if n == 0:
        return _TH_DIGITS[0]
    millions, rest = divmod(n, 10**6)
    head = _th_cardinal(millions) + "ล้าน" if millions else ""
    return head + (_th_below_million(rest) if rest else "")


_VI_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _vi_below_1000(n: int, padded: bool) -> list[str]:
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or padded:
        words += [_VI_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            words += ["linh"] if words else []
            words.append(_VI_DIGITS[units])
    else:
        words += ["mười"] if tens == 1 else [_VI_DIGITS[tens], "mươi"]
        if units == 5:
            words.append("lăm")
        elif units == 1 and tens > 1:
            words.append("mốt")
        elif units:
            words.append(_VI_DIGITS[units])
    return words


def _vi_cardinal(n: int) -> str:
    if n == 0:
        return _VI_DIGITS[0]
    words: list[str] = []
    for value, unit in ((10**9, "tỷ"), (10**6, "triệu"), (10**3, "nghìn"), (1, "")):
        chunk = n // value % 1000
        if chunk:
            words += _vi_below_1000(chunk, padded=bool(words))
            words += [unit] if unit else []
    return " ".join(words)


def spell_number(number: Number, language: str) -> str:
    """An amount as a cardinal in the language; a code digit by digit, as it would be read out."""
    if number.code:
        digits = [int(c) for c in number.literal]
        if language == "en":
            return " ".join(_EN_ONES[d] for d in digits)
        if language == "th":
            return " ".join(_TH_DIGITS[d] for d in digits)
        if language == "vi":
            return " ".join(_VI_DIGITS[d] for d in digits)
        return "".join("零一二三四五六七八九"[d] for d in digits)
    if language == "en":
        return _en_cardinal(number.value)
    if language == "th":
        return _th_cardinal(number.value)
    if language == "vi":
        return _vi_cardinal(number.value)
    return _zh_cardinal(number.value, traditional=language != "zh-Hans")


# --- steps: (segments, base, rng) -> segments --------------------------------------------------


def _zero_width(segments: Segments, base: Base, rng: random.Random) -> Segments:
    def insert(word: str) -> str:
        parts = clusters(word)
        gaps = [
            i for i in range(1, len(parts)) if not parts[i - 1].isspace() and not parts[i].isspace()
        ]
        if not gaps:
            return word
        chosen = _pick(rng, gaps, 0.3)
        return "".join(
            (rng.choice(ZERO_WIDTH) if i in chosen else "") + part for i, part in enumerate(parts)
        )

    return _map_keywords(segments, insert)


def _homoglyph(segments: Segments, base: Base, rng: random.Random) -> Segments:
    def swap(word: str) -> str:
        # Decompose each letter so an accented Vietnamese vowel keeps its accents on the
        # look-alike (а + combining marks), which is how such text is usually forged.
        pieces = [unicodedata.normalize("NFD", c) for c in word]
        candidates = [i for i, piece in enumerate(pieces) if piece[0] in HOMOGLYPHS]
        if not candidates:
            return word
        chosen = _pick(rng, candidates, 0.4)
        return "".join(
            HOMOGLYPHS[piece[0]] + piece[1:] if i in chosen else word[i]
            for i, piece in enumerate(pieces)
        )

    return _map_keywords(segments, swap)


def to_full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if 0x21 <= ord(c) <= 0x7E else c for c in text)


def _full_width(segments: Segments, base: Base, rng: random.Random) -> Segments:
    # Latin-script text: either the key words alone or the whole sentence. Elsewhere only the
    # ASCII in the sentence (digits, OTP, PIN, API key) has a full-width form to switch to.
    if base.language in LATIN_SCRIPT and rng.random() < 0.5:
        return _map_keywords(segments, to_full_width)
    return _map_all(segments, to_full_width)


def _spaced(word: str, separator: str) -> str:
    return (separator * 2 if separator == " " else " ").join(
        separator.join(clusters(part)) for part in word.split(" ")
    )


def _spaced_letters(segments: Segments, base: Base, rng: random.Random) -> Segments:
    return _map_keywords(segments, lambda word: _spaced(word, " "))


def _punctuated_letters(segments: Segments, base: Base, rng: random.Random) -> Segments:
    separator = rng.choice((".", "-", "*", "_", "|"))
    return _map_keywords(segments, lambda word: _spaced(word, separator))


def _leetspeak(segments: Segments, base: Base, rng: random.Random) -> Segments:
    def swap(word: str) -> str:
        # Only unaccented letters: a leet digit cannot carry a Vietnamese tone mark.
        candidates = [i for i, c in enumerate(word) if c in LEET]
        if not candidates:
            return word
        chosen = _pick(rng, candidates, 0.5)
        return "".join(LEET[c] if i in chosen else c for i, c in enumerate(word))

    return _map_keywords(segments, swap)


def _spelled_numbers(segments: Segments, base: Base, rng: random.Random) -> Segments:
    def spell(piece: str) -> str:
        for number in base.numbers:
            words = spell_number(number, base.language)
            pattern = rf"(?<![\d,.]){re.escape(number.literal)}(?!\d)"
            if base.language == "th" and not number.code:
                pattern += r"(?: (?=[\u0e01-\u0e4e]))?"  # ห้าพันบาท, as Thai writes it
            # Escape the replacement: re.sub would read a backslash in it as a group reference.
            piece = re.sub(pattern, words.replace("\\", "\\\\"), piece)
        return piece

    # Numbers never sit inside key words (bases.py refuses that), so the plain pieces suffice.
    return tuple((piece if key else spell(piece), key) for piece, key in segments)


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _script_mix(segments: Segments, base: Base, rng: random.Random) -> Segments:
    text = text_of(segments)
    config = rng.choice(("s2t", "s2hk", "s2tw")) if base.language == "zh-Hans" else "t2s"
    converted = _converter(config).convert(text)
    # Targets outside the BMP (嗰 -> 𠮶) are left out: nobody types them to dodge a filter.
    mapping: dict[str, str] = {}
    if len(converted) == len(text):  # phrase-level conversion, read back position by position
        for before, after in zip(text, converted, strict=True):
            if before != after and ord(after) <= 0xFFFF:
                mapping.setdefault(before, after)
    else:
        for char in sorted(set(text)):
            after = _converter(config).convert(char)
            if len(after) == 1 and after != char and ord(after) <= 0xFFFF:
                mapping[char] = after
    keyword_chars = {c for piece, key in segments if key for c in piece}
    # Convert the key words' characters first (a filter keyed on one script misses them), and
    # leave at least one convertible character alone so the sentence really is mixed.
    order = sorted(mapping, key=lambda c: (c not in keyword_chars, c))
    table: dict[str, str] = {}
    if order:
        count = 1 if len(order) == 1 else rng.randint(max(1, len(order) // 3), len(order) - 1)
        table = {c: mapping[c] for c in order[:count]}
    # Then swap variant forms (帳/賬/账, 裡/裏, 綫/線) that occur after the conversion, unless
    # the swap would only undo the conversion (户 -> 戶 after 戶 -> 户).
    final: dict[str, str] = {}
    for char in sorted(set(text)):
        after = table.get(char, char)
        variant = CHAR_VARIANTS.get(after)
        if variant is not None and variant != char and rng.random() < 0.6:
            after = variant
        if after != char:
            final[char] = after
    translation = str.maketrans(final)
    return _map_all(segments, lambda piece: piece.translate(translation))


def strip_diacritics(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")  # đ is a letter, not d + a mark
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _no_diacritics(segments: Segments, base: Base, rng: random.Random) -> Segments:
    return _map_all(segments, strip_diacritics)


STEPS: dict[str, Step] = {
    "zero_width": _zero_width,
    "homoglyph": _homoglyph,
    "full_width": _full_width,
    "spaced_letters": _spaced_letters,
    "punctuated_letters": _punctuated_letters,
    "leetspeak": _leetspeak,
    "spelled_numbers": _spelled_numbers,
    "script_mix": _script_mix,
    "no_diacritics": _no_diacritics,
}


# --- public API ----------------------------------------------------------------------------


def _applies(technique: str, base: Base) -> bool:
    if base.kind != "sensitive" or base.language not in APPLIES[technique]:
        return False
    return technique != "spelled_numbers" or bool(base.numbers)


def _single(technique: str, base: Base) -> str | None:
    if not _applies(technique, base):
        return None
    text = text_of(STEPS[technique](base.segments, base, rng_for(base.id, technique)))
    return text if text != base.text else None


def plain(base: Base) -> str:
    return base.text


def zero_width(base: Base) -> str | None:
    return _single("zero_width", base)


def homoglyph(base: Base) -> str | None:
    return _single("homoglyph", base)


def full_width(base: Base) -> str | None:
    return _single("full_width", base)


def spaced_letters(base: Base) -> str | None:
    return _single("spaced_letters", base)


def punctuated_letters(base: Base) -> str | None:
    return _single("punctuated_letters", base)


def leetspeak(base: Base) -> str | None:
    return _single("leetspeak", base)


def spelled_numbers(base: Base) -> str | None:
    return _single("spelled_numbers", base)


def script_mix(base: Base) -> str | None:
    return _single("script_mix", base)


def no_diacritics(base: Base) -> str | None:
    return _single("no_diacritics", base)


def mixed_with_pair(base: Base) -> tuple[tuple[str, str], str] | None:
    """Two techniques chained; the pair is drawn per base from those that both apply and both
    change the text. Seeds differ from the single techniques' so a mix is not just their sum."""
    if not _applies("mixed", base):
        return None
    options = [pair for pair in MIXED_PAIRS if all(_applies(t, base) for t in pair)]
    rng_for(base.id, "mixed").shuffle(options)
    for first, second in options:
        once = STEPS[first](base.segments, base, rng_for(base.id, f"mixed/{first}"))
        twice = STEPS[second](once, base, rng_for(base.id, f"mixed/{second}"))
        if base.text != text_of(once) != text_of(twice):
            return (first, second), text_of(twice)
    return None


def mixed(base: Base) -> str | None:
    result = mixed_with_pair(base)
    return result[1] if result else None


@dataclass(frozen=True)
class Variant:
    id: str
    technique: str
    text: str


def variants(base: Base) -> list[Variant]:
    """Every technique that applies to the base, in TECHNIQUES order."""
    out: list[Variant] = []
    for technique in TECHNIQUES:
        if technique == "mixed":
            result = mixed_with_pair(base)
            if result:
                (first, second), mixed_text = result
                out.append(Variant(f"{base.id}:mixed:{first}+{second}", "mixed", mixed_text))
            continue
        single = _single(technique, base)
        if single is not None:
            out.append(Variant(f"{base.id}:{technique}", technique, single))
    return out
