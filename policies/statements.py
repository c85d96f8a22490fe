"""Consent statement templates (consent_statements.yaml): render one for a challenge."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from policies.errors import PolicyError
from policies.watched import WatchedRules

PHRASE_WORDS = 4  # several words: a replayed or pre-recorded statement will not contain them


class StatementLanguageUnsupported(PolicyError):
    code = "statement_language_unsupported"


@dataclass(frozen=True)
class Statement:
    text: str
    phrase: str
    language: str
    template_version: str


@dataclass(frozen=True)
class _Template:
    template: str
    date_format: str
    list_joiner: str
    phrase_joiner: str
    purposes: dict[str, str]
    words: tuple[str, ...]


@dataclass(frozen=True)
class StatementTemplates:
    version: str
    languages: dict[str, _Template]

    def render(
        self,
        language: str,
        name: str,
        organisation: str,
        purposes: Sequence[str],
        expires_at: dt.datetime,
    ) -> Statement:
        """Raises StatementLanguageUnsupported for a language without a template."""
        template = self.languages.get(language)
        if template is None:
            supported = ", ".join(sorted(self.languages))
            raise StatementLanguageUnsupported(
                f"no consent statement in {language!r} (available: {supported})"
            )
        words = [secrets.choice(template.words) for _ in range(PHRASE_WORDS)]
        phrase = template.phrase_joiner.join(words)
        text = " ".join(
            template.template.format(
                name=name,
                organisation=organisation,
                purposes=template.list_joiner.join(template.purposes[p] for p in purposes),
                expires=expires_at.astimezone(dt.UTC).strftime(template.date_format),
                phrase=phrase,
            ).split()
        )
        return Statement(text, phrase, language, f"{self.version}/{language}")


def load_statement_templates(path: Path) -> StatementTemplates:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    languages = {}
    for code, raw in data["languages"].items():
        languages[str(code)] = _Template(
            template=str(raw["template"]),
            date_format=str(raw["date_format"]),
            list_joiner=str(raw["list_joiner"]),
            phrase_joiner=str(raw["phrase_joiner"]),
            purposes={str(k): str(v) for k, v in raw["purposes"].items()},
            words=tuple(str(w) for w in raw["words"]),
        )
        if len(set(languages[str(code)].words)) < 16:
            raise ValueError(f"{code}: a phrase needs at least 16 distinct words to draw from")
    return StatementTemplates(version=str(data["version"]), languages=languages)


class StatementBook:
    """consent_statements.yaml, reloaded when it changes."""

    def __init__(self, path: Path) -> None:
        self._rules = WatchedRules([path], lambda: load_statement_templates(path), path.name)

    def render(
        self,
        language: str,
        name: str,
        organisation: str,
        purposes: Sequence[str],
        expires_at: dt.datetime,
    ) -> Statement:
        """See StatementTemplates.render; also raises PolicyUnavailable."""
        return self._rules.current().render(language, name, organisation, purposes, expires_at)

    def languages(self) -> list[str]:
        return sorted(self._rules.current().languages)

    def phrase_words(self, language: str) -> tuple[str, ...]:
        """The words phrases in ``language`` are drawn from (empty for an unknown language);
        a phrase check weighs each heard word against all of them.

        Raises PolicyUnavailable as ``render``."""
        template = self._rules.current().languages.get(language)
        return template.words if template else ()
