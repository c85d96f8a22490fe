"""Content rules (content_rules.yaml): what a voice that is not the requester's may not say."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from policies.errors import PolicyError
from policies.watched import WatchedRules


class ContentBlocked(PolicyError):
    code = "content_blocked"

    def __init__(self, reason: str, category: str) -> None:
        super().__init__(reason)
        self.category = category


@dataclass(frozen=True)
class _Category:
    name: str
    phrases: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class ContentRuleSet:
    apply_to_own_voice: bool
    categories: tuple[_Category, ...]

    def check(self, text: str, *, own_voice: bool) -> None:
        """Raises ContentBlocked naming the first category the text falls in."""
        if own_voice and not self.apply_to_own_voice:
            return
        normalised = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
        for category in self.categories:
            hit = any(phrase in normalised for phrase in category.phrases) or any(
                pattern.search(normalised) for pattern in category.patterns
            )
            if hit:
                raise ContentBlocked(
                    f"a voice that is not the requester's may not speak {category.name} "
                    "instructions",
                    category.name,
                )


def load_content_rules(path: Path) -> ContentRuleSet:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    categories = tuple(
        _Category(
            name=str(name),
            phrases=tuple(
                unicodedata.normalize("NFKC", str(p)).casefold() for p in raw.get("phrases", [])
            ),
            patterns=tuple(re.compile(str(p), re.IGNORECASE) for p in raw.get("patterns", [])),
        )
        for name, raw in data["categories"].items()
    )
    return ContentRuleSet(bool(data.get("apply_to_own_voice", True)), categories)


class ContentRules:
    """content_rules.yaml, reloaded when it changes."""

    def __init__(self, path: Path) -> None:
        self._rules = WatchedRules([path], lambda: load_content_rules(path), path.name)

    def check(self, text: str, *, own_voice: bool) -> None:
        """Raises ContentBlocked, or PolicyUnavailable if the rules cannot be loaded."""
        self._rules.current().check(text, own_voice=own_voice)
