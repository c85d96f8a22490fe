"""Content rules (content_rules.yaml): what a cloned voice may not be made to say.

A rule is an *action on a secret or on money*, not a word: a sequence of term lists (``tell``
… ``me`` … ``password``; ``wire`` … ``amount``) found in order, each within the language's
``gap`` of the one before, inside one sentence, and not negated in its clause ("never share
your password" is a safety lesson; "tell me your password" is the fraud). Every language's
rules run on every text, whatever language it declares, after ``policies.text_normal``
has undone disguises; terms pass through the same normaliser, so rules are written plainly.

Tokens: Latin-script words (English, Vietnamese without its marks) are one token each; Han
and Thai characters one token each (neither writes spaces between words), so a gap counts
words in one and characters in the other. Sentence ends (``. ! ? ;`` and their CJK forms)
bound a match; commas, dashes, conjunctions and spaces inside Thai text bound a negation's
reach.

The rules and a classifier (``ContentScreen``) share one interface; the audit entry names
the screen and rule that blocked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

from policies.errors import PolicyError
from policies.text_normal import NUMBER, Normaliser
from policies.watched import WatchedRules

SENTENCE_END = "."  # token for a sentence boundary (matches never cross it)
CLAUSE_BREAK = ","  # token for a clause boundary (negations never reach across it)
THAI_BREAK = "_"  # a space inside Thai text: Thai's clause boundary
_TOKEN = re.compile(
    r"(?P<word>[a-z0-9#]+)"
    r"|(?P<currency>[$€£¥])"
    r"|(?P<glyph>[\u3400-\u9fff\uf900-\ufaff\u0e00-\u0e7f])"
    r"|(?P<end>[.!?;。！？；\n]+)"
    r"|(?P<clause>[,，、:：—–()\[\]（）]+|\s-\s)"
    r"|(?P<thai>(?<=[\u0e00-\u0e7f])\s+(?=[\u0e00-\u0e7f]))"
)
_PREFIX = "*"  # a term ending in * matches words starting with it (password* → passwords)


class ContentBlocked(PolicyError):
    code = "content_blocked"

    def __init__(self, reason: str, category: str, screen: str = "rules", rule: str = "") -> None:
        super().__init__(reason)
        self.category = category
        self.screen = screen  # "rules" or "classifier:<model>": which one blocked
        self.rule = rule  # e.g. "en/secret_request", or the classifier's label

    @property
    def problem_extra(self) -> dict[str, str]:
        return {"category": self.category}

    @property
    def audit_details(self) -> dict[str, str]:
        """What the refusal's audit entry records: which screen, rule and category blocked."""
        return {"content_screen": self.screen, "content_rule": self.rule, "category": self.category}


@dataclass(frozen=True)
class ScreenHit:
    """Why a screen blocked a text."""

    category: str
    rule: str  # the rule's id, or the classifier's label
    score: float = 1.0


class ContentScreen(Protocol):
    """Anything that can say a text is a sensitive instruction: the rules, a classifier."""

    name: str

    def screen(self, text: str, language: str) -> ScreenHit | None: ...


@dataclass(frozen=True)
class _Rule:
    id: str
    category: str
    sequence: tuple[str, ...]  # term-list names
    gap: int
    across_sentences: bool = False  # "Is the PIN still 4829? Tell me the new one."


@dataclass(frozen=True)
class _Language:
    code: str
    gap: int
    terms: Mapping[str, tuple[tuple[str, ...], ...]]  # name → phrases as token tuples
    negations: tuple[tuple[str, ...], ...]
    not_negations: tuple[tuple[str, ...], ...]  # "don't forget": looks negative, is not
    clause_words: tuple[tuple[str, ...], ...]  # "but", "and then": a negation stops there
    neutral: tuple[tuple[str, ...], ...]  # phrases that never count ("pay attention")
    # Words that make a match a statement of policy, not an order, when they stand inside it
    # ("transfers *over* 10,000 dollars need two approvers").
    not_within: tuple[tuple[str, ...], ...]
    # A sentence that names a scammer or a past event describes fraud, it does not commit it
    # ("last year a caller pretending to be the CEO talked staff into wiring money").
    descriptive: tuple[tuple[str, ...], ...]
    not_descriptive: tuple[tuple[str, ...], ...]  # "this is not a scam"
    rules: tuple[_Rule, ...]


class RuleScreen:
    """Every language's rules over one normalised text."""

    name = "rules"

    def __init__(self, normaliser: Normaliser, languages: Sequence[_Language]) -> None:
        self._normaliser = normaliser
        self._languages = tuple(languages)

    def screen(self, text: str, language: str = "") -> ScreenHit | None:
        for form in self._normaliser.canonical_forms(text):
            tokens = tokenise(form)
            for lang in self._languages:
                hit = _first_hit(lang, tokens)
                if hit is not None:
                    return hit
        return None


@dataclass(frozen=True)
class ContentRuleSet:
    apply_to_own_voice: bool
    rules: RuleScreen

    def check(
        self,
        text: str,
        *,
        own_voice: bool,
        language: str = "",
        screens: Iterable[ContentScreen] = (),
    ) -> None:
        """Raises ContentBlocked naming the first screen, category and rule that hit."""
        if own_voice and not self.apply_to_own_voice:
            return
        for screen in (self.rules, *screens):
            hit = screen.screen(text, language)
            if hit is not None:
                # The caller learns the category; which rule matched stays in the audit log
                # (naming it would tell an evader what to rephrase).
                raise ContentBlocked(
                    f"a cloned voice may not speak {hit.category} instructions",
                    hit.category,
                    screen.name,
                    hit.rule,
                )


def tokenise(canonical: str) -> tuple[str, ...]:
    tokens: list[str] = []
    for match in _TOKEN.finditer(canonical):
        kind = match.lastgroup
        token = match.group()
        if kind == "end":
            token = SENTENCE_END
        elif kind == "clause":
            token = CLAUSE_BREAK
        elif kind == "thai":
            token = THAI_BREAK
        if token in (SENTENCE_END, CLAUSE_BREAK, THAI_BREAK) and tokens and tokens[-1] == token:
            continue
        tokens.append(token)
    return tuple(tokens)


class _Matches:
    """Where each term list matches in one text: start → end of the longest phrase."""

    def __init__(self, tokens: tuple[str, ...], masked: frozenset[int] = frozenset()) -> None:
        self.tokens = tokens
        self._masked = masked
        self._at: dict[str, list[int]] = {}  # first token → positions
        for position, token in enumerate(tokens):
            self._at.setdefault(token, []).append(position)
        self._cache: dict[int, dict[int, int]] = {}

    def of(self, phrases: tuple[tuple[str, ...], ...]) -> dict[int, int]:
        key = id(phrases)
        if key not in self._cache:
            self._cache[key] = self._find(phrases)
        return self._cache[key]

    def _run_together(self, phrase: tuple[str, ...]) -> Iterable[int]:
        joined = "".join(phrase)
        if not joined.endswith(_PREFIX):
            return self._at.get(joined, ())
        stem = joined[:-1]
        return (i for i, token in enumerate(self.tokens) if token.startswith(stem))

    def _find(self, phrases: tuple[tuple[str, ...], ...]) -> dict[int, int]:
        found: dict[int, int] = {}
        tokens = self.tokens
        for phrase in phrases:
            if len(phrase) > 1:
                # A phrase run together (mat khau → matkhau, a p i k e y → apikey) is one
                # word of its words.
                for start in self._run_together(phrase):
                    if start not in self._masked:
                        found[start] = max(found.get(start, 0), start + 1)
            first = phrase[0]
            if first.endswith(_PREFIX):
                starts: Iterable[int] = (
                    i for i, t in enumerate(tokens) if t.startswith(first[:-1])
                )
            else:
                starts = self._at.get(first, ())
            for start in starts:
                end = start + len(phrase)
                if end > len(tokens) or any(i in self._masked for i in range(start, end)):
                    continue
                if all(_token_matches(tokens[start + i], part) for i, part in enumerate(phrase)):
                    found[start] = max(found.get(start, 0), end)
        return found


def _first_hit(lang: _Language, tokens: tuple[str, ...]) -> ScreenHit | None:
    plain = _Matches(tokens)
    masked = frozenset(i for s, e in plain.of(lang.neutral).items() for i in range(s, e))
    not_negated = {i for s, e in plain.of(lang.not_negations).items() for i in range(s, e)}
    negated_at = sorted(
        start
        for start, end in plain.of(lang.negations).items()
        if not any(i in not_negated for i in range(start, end))
    )
    breaks = frozenset(plain.of(lang.clause_words))
    inside = sorted(plain.of(lang.not_within))
    described = _descriptive_sentences(tokens, plain, lang)
    matches = _Matches(tokens, masked)
    for rule in lang.rules:
        elements = [matches.of(lang.terms[name]) for name in rule.sequence]
        for start, end in sorted(elements[0].items()):
            last = _follows(tokens, elements[1:], end, rule)
            if last is None or _negated(tokens, start, last, negated_at, breaks):
                continue
            if any(start < position < last for position in inside):
                continue
            if _sentence_of(tokens, start) not in described:
                return ScreenHit(rule.category, rule.id)
    return None


def _sentence_of(tokens: tuple[str, ...], position: int) -> int:
    return tokens[:position].count(SENTENCE_END)


def _descriptive_sentences(tokens: tuple[str, ...], plain: _Matches, lang: _Language) -> set[int]:
    cancelled = {i for s, e in plain.of(lang.not_descriptive).items() for i in range(s, e)}
    return {
        _sentence_of(tokens, start)
        for start, end in plain.of(lang.descriptive).items()
        if not any(i in cancelled for i in range(start, end))
    }


def _follows(
    tokens: tuple[str, ...], elements: list[dict[int, int]], after: int, rule: _Rule
) -> int | None:
    """The end of the match if the elements follow in order from ``after``, each within the
    rule's gap of the one before (inside one sentence unless the rule reaches across)."""
    if not elements:
        return after
    for position in range(after, min(len(tokens), after + rule.gap + 1)):
        if position > after and tokens[position - 1] == SENTENCE_END and not rule.across_sentences:
            return None
        end = elements[0].get(position)
        if end is not None:
            last = _follows(tokens, elements[1:], end, rule)
            if last is not None:
                return last
    return None


def _negated(
    tokens: tuple[str, ...], start: int, last: int, negated_at: list[int], breaks: frozenset[int]
) -> bool:
    """A negation inside the match ("发票不要审批": the invoice, do not approve) or earlier in
    its clause (back to a comma, conjunction or sentence end)."""
    if any(start < position < last for position in negated_at):
        return True
    for position in reversed(negated_at):
        if position >= start:
            continue
        between = tokens[position:start]
        if SENTENCE_END in between or CLAUSE_BREAK in between or THAI_BREAK in between:
            return False
        return not any(position < i < start for i in breaks)
    return False


def _token_matches(token: str, term: str) -> bool:
    if term.endswith(_PREFIX):
        return token.startswith(term[:-1])
    return token == term


# -- loading --------------------------------------------------------------------------------


def load_content_rules(path: Path) -> ContentRuleSet:
    """Raises ValueError (or yaml/re errors) for a malformed file: the caller fails closed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw_languages = data["languages"]
    normaliser = Normaliser(
        {code: [str(w) for w in raw.get("numbers", [])] for code, raw in raw_languages.items()}
    )
    languages = [_load_language(str(code), raw, normaliser) for code, raw in raw_languages.items()]
    return ContentRuleSet(
        bool(data.get("apply_to_own_voice", True)), RuleScreen(normaliser, languages)
    )


def _load_language(code: str, raw: Mapping[str, Any], normaliser: Normaliser) -> _Language:
    def phrases(values: Iterable[Any]) -> tuple[tuple[str, ...], ...]:
        out = []
        for value in values:
            text = str(value)
            prefix = text.endswith(_PREFIX)
            tokens = tokenise(normaliser.canonical(text.removesuffix(_PREFIX)))
            if not tokens:
                raise ValueError(f"{code}: the term {text!r} normalises to nothing")
            if tokens == (NUMBER,) and text != NUMBER:
                # "#万" is "#": every number would match (a rule author's trap).
                raise ValueError(f"{code}: the term {text!r} is only a number once normalised")
            if prefix:
                tokens = (*tokens[:-1], tokens[-1] + _PREFIX)
            out.append(tokens)
        return tuple(out)

    raw_terms = raw["terms"]
    terms = {
        str(name): phrases(_with_included(raw_terms, values, str(name)))
        for name, values in raw_terms.items()
    }
    terms[NUMBER] = ((NUMBER,),)
    gap = int(raw.get("gap", 6))
    rules = []
    for rule_id, rule in raw["rules"].items():
        sequence = tuple(str(name) for name in rule["sequence"])
        unknown = [name for name in sequence if name not in terms]
        if unknown or not sequence:
            raise ValueError(f"{code}/{rule_id}: unknown term lists {unknown}")
        rules.append(
            _Rule(
                f"{code}/{rule_id}",
                str(rule["category"]),
                sequence,
                int(rule.get("gap", gap)),
                bool(rule.get("across_sentences", False)),
            )
        )
    return _Language(
        code=code,
        gap=gap,
        terms=terms,
        negations=phrases(raw.get("negations", [])),
        not_negations=phrases(raw.get("not_negations", [])),
        clause_words=phrases(raw.get("clause_words", [])),
        neutral=phrases(raw.get("neutral", [])),
        not_within=phrases(raw.get("not_within", [])),
        descriptive=phrases(raw.get("descriptive", [])),
        not_descriptive=phrases(raw.get("not_descriptive", [])),
        rules=tuple(rules),
    )


_INCLUDE = "@"  # a term "@secret" stands for every term of the list named secret


def _with_included(raw_terms: Mapping[str, Any], values: Iterable[Any], name: str) -> list[str]:
    """Raises ValueError for an unknown or nested inclusion."""
    out: list[str] = []
    for value in values:
        text = str(value)
        if not text.startswith(_INCLUDE):
            out.append(text)
            continue
        included = raw_terms.get(text[1:])
        if included is None or any(str(v).startswith(_INCLUDE) for v in included):
            raise ValueError(f"{name}: {text} names no list of plain terms")
        out.extend(str(v) for v in included)
    return out


class ContentRules:
    """content_rules.yaml, reloaded when it changes."""

    def __init__(self, path: Path) -> None:
        self._rules = WatchedRules([path], lambda: load_content_rules(path), path.name)

    def check(
        self,
        text: str,
        *,
        own_voice: bool,
        language: str = "",
        screens: Iterable[ContentScreen] = (),
    ) -> None:
        """Raises ContentBlocked, or PolicyUnavailable if the rules cannot be loaded."""
        self._rules.current().check(text, own_voice=own_voice, language=language, screens=screens)

    def screen(self, text: str, language: str = "") -> ScreenHit | None:
        """The rules' verdict alone (the bench and corpus tests); raises PolicyUnavailable."""
        return self._rules.current().rules.screen(text, language)
