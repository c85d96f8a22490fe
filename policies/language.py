"""Does a speech or voice-clone request's declared ``language`` match its text?

A request labelled ``en`` that carries Thai or German text would slip past review done for the
declared language, and a cloned voice would be made to speak a language nobody agreed to. So the
declared code is checked against the text, with a statistical identifier (lingua) that can be
wrong: the check is one-sided. It refuses an unknown code always, and a known code only when the
identifier is *confident* the text is another language; a name, "OK", digits or a greeting
cannot be judged and passes.

Declared codes (BCP-47 tags, which are case-insensitive, so ``zh-hans`` is ``zh-Hans``; nothing
else is forgiven, not surrounding spaces nor ``zh_Hans``):

    en                                  English      Latin script
    zh, cmn, zh-Hans, zh-Hant, yue      Chinese      Han (and kana, so Japanese is seen as such)
    th                                  Thai         Thai script
    vi                                  Vietnamese   Latin script

The Chinese codes are one family: identifiers cannot tell Simplified from Traditional script, nor
written Cantonese from Mandarin, so ``yue`` text declared ``zh-Hans`` passes.

How a text is judged (``LanguageCheck.check``):

1. an unknown code is refused, with ``detected=None``;
2. the text is split by script into the part written in the declared family's script and the
   rest, so that an English sentence with a Chinese name is judged on its English (lingua's rule
   engine would otherwise let three Han characters outvote ten English words);
3. the declared-script part is judged when it is long enough, else the rest when *it* is long
   enough, else nothing is judged and the text passes. Judging the rest is where script facts
   tell: Thai or Han text gives ``en`` no confidence at all;
4. the judged part is refused when lingua gives the declared family at most
   ``MAX_DECLARED_CONFIDENCE`` and one other language at least ``MIN_OTHER_CONFIDENCE``; the
   refusal names that language.
"""

from __future__ import annotations

import threading
import unicodedata
from typing import TYPE_CHECKING, Literal

from lingua import Language, LanguageDetectorBuilder

from policies.errors import PolicyError

if TYPE_CHECKING:
    from lingua import ConfidenceValue, LanguageDetector

__all__ = ["LanguageCheck", "LanguageMismatch"]

# The gateway's spoken languages, keyed by lower-cased BCP-47 tag: tags are case-insensitive.
_FAMILIES: dict[str, str] = {
    "en": "en",
    "zh": "zh",
    "cmn": "zh",
    "zh-hans": "zh",
    "zh-hant": "zh",
    "yue": "zh",
    "th": "th",
    "vi": "vi",
}

_FAMILY_LANGUAGE: dict[str, Language] = {
    "en": Language.ENGLISH,
    "zh": Language.CHINESE,
    "th": Language.THAI,
    "vi": Language.VIETNAMESE,
}

# Languages a workforce plausibly types besides ours, so that "confidently something else" can be
# said of German or Malay text rather than forcing it into the nearest of our four. Memory is in
# the Latin-script ones: lingua loads every Latin candidate's models for Latin text, about 22 MB
# each (the 13 here: ~290 MB resident, measured with psutil), while a script only one candidate
# uses (Han, Thai, kana, Hangul, Cyrillic, Arabic, Devanagari) is decided without a model.
_OTHER_LANGUAGES: tuple[Language, ...] = (
    Language.GERMAN,
    Language.FRENCH,
    Language.SPANISH,
    Language.PORTUGUESE,
    Language.ITALIAN,
    Language.DUTCH,
    Language.POLISH,
    Language.TURKISH,
    Language.INDONESIAN,
    Language.MALAY,
    Language.TAGALOG,
    Language.JAPANESE,
    Language.KOREAN,
    Language.RUSSIAN,
    Language.ARABIC,
    Language.HINDI,
)

_Script = Literal["latin", "cjk", "thai", "other"]

_FAMILY_SCRIPT: dict[str, _Script] = {"en": "latin", "zh": "cjk", "th": "thai", "vi": "latin"}

# Han (URO, extensions A to G, compatibility ideographs) and kana. Kana stays with the Han part so
# that Japanese declared as Chinese is recognised as Japanese, not judged on its kanji alone.
_CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x31F0, 0x31FF),  # katakana phonetic extensions
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3FFFF),
)
_THAI_RANGE = (0x0E00, 0x0E7F)  # whole block: Thai vowel and tone marks are not "letters"

# Below both of these a part is too short to judge and passes: a name, "OK", "Hello 王小明".
# lingua gives English only 0.13 for "Hello" and 0.54 for "Good morning team", while wrong
# declarations are to be refused from four words or six Han/Thai characters on.
MIN_WORDS = 4
MIN_DENSE_CHARS = 6  # Han, kana and Thai: scripts written without spaces between words

# Chosen on the calibration set in tests/unit/policies/test_language.py (77 sentences in our four
# families, 20 in other languages; lingua 2.1.1, high accuracy, the candidates below):
# - correct declarations long enough to judge (67): the declared family got 0.43 at the least
#   (0.20 over a further 28 short English phrases); wrong declarations (281 judged): 0.011 at
#   the most. 0.05 sits between them, about 4x from each.
MAX_DECLARED_CONFIDENCE = 0.05
# - wrong declarations: the language found got 0.43 at the least ("Thank you for listening.").
#   Text nobody can place (name lists, acronyms, Vietnamese typed without its marks) spreads
#   lingua's confidence thin, 0.37 at the most, so 0.4 lets it pass. Known miss: fillers such
#   as "mmm hmm uh huh" read as Tagalog at 0.63 and are refused.
MIN_OTHER_CONFIDENCE = 0.4


class LanguageMismatch(PolicyError):
    """The declared language is unknown, or the text is confidently in another language.

    ``detected`` is the family code (``en``, ``zh``, ``th``, ``vi``) or, for a language the
    gateway does not speak, its ISO 639-1 code (``de``); None when the declared code is unknown.
    """

    code = "language_mismatch"

    def __init__(self, reason: str, declared: str, detected: str | None) -> None:
        super().__init__(reason)
        self.declared = declared
        self.detected = detected

    @property
    def problem_extra(self) -> dict[str, str | None]:
        return {"declared": self.declared, "detected": self.detected}

    @property
    def audit_details(self) -> dict[str, str | None]:
        return {"declared_language": self.declared, "detected_language": self.detected}


class LanguageCheck:
    """Checks declared languages against texts; one instance serves all threads.

    The lingua detector is built on first use, not at import, so processes that never check a
    text (the CLI, migrations) do not pay for it. lingua documents a detector as safe to share
    between threads, and loads each language model once per process, on demand: the first
    Latin-script text takes about 3 s (a caller that minds can check one sentence at startup),
    later calls about 0.2 ms.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._detector: LanguageDetector | None = None

    @staticmethod
    def canonical(code: str) -> str | None:
        """The declared code as the gateway spells it (``EN`` → ``en``, ``zh-hans`` →
        ``zh-Hans``), or None if unknown: engines match tags exactly."""
        return _CANONICAL.get(code.lower())

    @staticmethod
    def family(code: str) -> str | None:
        """The family (``en``, ``zh``, ``th``, ``vi``) of a declared code, or None if unknown.

        Case-insensitive, as BCP-47 tags are; anything else (spaces, ``zh_Hans``) is unknown.
        """
        return _FAMILIES.get(code.lower())

    def check(self, text: str, declared: str) -> None:
        """Raises LanguageMismatch if ``declared`` is unknown or the text is confidently in
        another language; short or ambiguous text passes."""
        family = self.family(declared)
        if family is None:
            raise LanguageMismatch(
                f"the declared language {declared[:_CODE_SHOWN]!r} is not one this gateway speaks "
                f"(use one of: {', '.join(_DECLARABLE)})",
                declared,
                None,
            )
        normalised = unicodedata.normalize("NFKC", text)
        unspoken = _unspoken_script(normalised)
        if unspoken is not None:
            raise LanguageMismatch(
                f"the text is declared {declared!r} but is written in {unspoken} script, "
                "which no language of this gateway uses",
                declared,
                unspoken,
            )
        home = _FAMILY_SCRIPT[family]
        own = "".join(c if _script(c) in (home, None) else " " for c in normalised)
        rest = "".join(" " if _script(c) == home else c for c in normalised)
        # The larger part is judged when both could be: six Thai characters in front of a
        # paragraph of English do not make it Thai (found by an attack), while a Chinese name
        # in an English sentence still leaves it English.
        candidates = [p for p in (own, rest) if _judgeable(p)]
        if not candidates:
            return
        part = max(candidates, key=_letters)
        declared_confidence, other = self._confidences(part, family)
        if (
            other is None
            or declared_confidence > MAX_DECLARED_CONFIDENCE
            or other.value < MIN_OTHER_CONFIDENCE
        ):
            return
        detected = _code_of(other.language)
        raise LanguageMismatch(
            f"the text is declared {declared!r} but reads as {detected!r} "
            f"(confidence {other.value:.2f}, {declared!r} {declared_confidence:.2f}); "
            "declare the language the text is written in",
            declared,
            detected,
        )

    def _confidences(self, part: str, family: str) -> tuple[float, ConfidenceValue | None]:
        """lingua's confidence in the declared family, and its most likely other language."""
        declared_language = _FAMILY_LANGUAGE[family]
        values = self._built().compute_language_confidence_values(part)
        declared_confidence = next(
            (v.value for v in values if v.language == declared_language), 0.0
        )
        other = max(
            (v for v in values if v.language != declared_language),
            key=lambda v: v.value,
            default=None,
        )
        return declared_confidence, other

    def _built(self) -> LanguageDetector:
        """The detector, built by the first caller only; later callers skip the lock."""
        detector = self._detector
        if detector is None:
            with self._lock:
                if self._detector is None:
                    self._detector = _build_detector()
                detector = self._detector
        return detector


_DECLARABLE = ("en", "zh", "cmn", "zh-Hans", "zh-Hant", "yue", "th", "vi")
_CANONICAL = {code.lower(): code for code in _DECLARABLE}
# Scripts lingua's candidates cover (their text is identified, not refused by script alone).
_IDENTIFIED_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "ARABIC", "DEVANAGARI", "HANGUL"})
_CODE_SHOWN = 35  # longer than any real tag; bounds what an unknown code puts in the audit log


def _build_detector() -> LanguageDetector:
    # High accuracy mode (the default): the low accuracy mode uses trigrams only and is documented
    # as unreliable below 120 characters, which is most of what is spoken here. Models load lazily.
    languages = (*_FAMILY_LANGUAGE.values(), *_OTHER_LANGUAGES)
    return LanguageDetectorBuilder.from_languages(*languages).build()


def _code_of(language: Language) -> str:
    """Our family code for our languages, so ``detected`` compares with ``family()``."""
    for family, family_language in _FAMILY_LANGUAGE.items():
        if language == family_language:
            return family
    return language.iso_code_639_1.name.lower()


def _script(char: str) -> _Script | None:
    """The script of a letter, or None for what belongs to every script (digits, spaces,
    punctuation, marks)."""
    point = ord(char)
    if _THAI_RANGE[0] <= point <= _THAI_RANGE[1]:
        return "thai"
    if any(low <= point <= high for low, high in _CJK_RANGES):
        return "cjk"
    if not char.isalpha():
        return None
    if unicodedata.name(char, "").startswith("LATIN"):
        return "latin"
    return "other"


def _letters(part: str) -> int:
    return sum(1 for c in part if _script(c) is not None)


def _unspoken_script(text: str) -> str | None:
    """The script most of the text's letters are in, when it is one no language here (nor a
    candidate of the identifier) is written in — Lao, Khmer, Burmese… — and there is enough of
    it to judge; else None."""
    foreign: dict[str, int] = {}
    letters = 0
    for char in text:
        script = _script(char)
        if script is None:
            continue
        letters += 1
        if script == "other":
            name = unicodedata.name(char, "").split(" ", 1)[0]
            if name not in _IDENTIFIED_SCRIPTS:
                foreign[name] = foreign.get(name, 0) + 1
    if not foreign:
        return None
    name, count = max(foreign.items(), key=lambda item: item[1])
    if count >= MIN_DENSE_CHARS and count * 2 >= letters:
        return name.lower()
    return None


def _judgeable(part: str) -> bool:
    """Whether a part holds enough text for the identifier to be trusted (see MIN_WORDS)."""
    dense = sum(1 for c in part if _script(c) in ("cjk", "thai"))
    words = sum(1 for token in part.split() if any(_script(c) in ("latin", "other") for c in token))
    return words >= MIN_WORDS or dense >= MIN_DENSE_CHARS
