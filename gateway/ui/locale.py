"""The workspace's languages: English and Traditional Chinese, from plain JSON catalogs.

The language is the one the browser's switch stored (a cookie), else the best match of its
Accept-Language, else English. Every catalog holds the same keys (a test fails otherwise);
a key missing at run time shows English rather than failing the page.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LOCALE = "en"
LOCALES = ("en", "zh-Hant")
LANGUAGE_COOKIE = "consentgate_lang"
# Accept-Language is a client's header: bounded before it is parsed, like every other input.
MAX_ACCEPT_LANGUAGE_CHARS = 512
MAX_LANGUAGE_RANGES = 32


@lru_cache(maxsize=len(LOCALES))
def catalog(locale: str) -> dict[str, str]:
    """The messages of ``locale`` (one of LOCALES), by key."""
    messages = json.loads((LOCALES_DIR / f"{locale}.json").read_text(encoding="utf-8"))
    return {str(key): str(text) for key, text in messages.items()}


def translate(
    locale: str, key: str, values: Mapping[str, object] | None = None, default: str | None = None
) -> str:
    """The message ``key`` in ``locale`` (English if that catalog lacks it), with ``values``
    filled in by name; an unknown key shows ``default`` or itself, so a page never fails for
    a message."""
    text = catalog(locale).get(key) or catalog(DEFAULT_LOCALE).get(key) or default or key
    return text.format_map(values) if values else text


def _supported(tag: str) -> str | None:
    tag = tag.strip().lower()
    if tag == "en" or tag.startswith("en-"):
        return "en"
    # The only Chinese offered is Traditional: it serves zh-TW, zh-HK and zh-Hant readers, and
    # is closer than English for any other Chinese reader.
    if tag == "zh" or tag.startswith("zh-"):
        return "zh-Hant"
    return None


def _ranges(header: str) -> list[tuple[float, int, str]]:
    ranges = []
    for position, item in enumerate(header[:MAX_ACCEPT_LANGUAGE_CHARS].split(",")):
        if position >= MAX_LANGUAGE_RANGES:
            break
        tag, _, params = item.partition(";")
        quality = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
        if tag.strip() and 0 < quality <= 1:
            ranges.append((-quality, position, tag))
    return sorted(ranges)


def negotiate(accept_language: str | None, chosen: str | None) -> str:
    """The locale to answer in: ``chosen`` (the switch's cookie) if it is one we have, else
    Accept-Language's highest-weighted language we have, else English."""
    if chosen in LOCALES:
        return str(chosen)
    for _quality, _position, tag in _ranges(accept_language or ""):
        locale = _supported(tag)
        if locale is not None:
            return locale
    return DEFAULT_LOCALE
