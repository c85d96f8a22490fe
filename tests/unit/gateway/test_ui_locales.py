"""The workspace's message catalogs: English and Traditional Chinese hold the same keys, and every
key a template or the code asks for is in them (a missing zh-Hant message fails here, not on a
page in front of a reader)."""

from __future__ import annotations

import re
import string

import pytest
import yaml

from gateway.routes.voices import VoiceState
from gateway.ui import errors
from gateway.ui.locale import LOCALES, LOCALES_DIR, catalog, negotiate, translate
from gateway.ui.pages import NAVIGATION, TEMPLATES_DIR
from policies import DEFAULT_POLICY_DIR

# t("key") or t("key", name=…); a key built from parts ("role." + role) is in _code_keys.
_LITERAL_KEY = re.compile(r"""\bt\(\s*["']([^"']+)["']\s*[,)]""")


def _template_keys() -> set[str]:
    return {
        key
        for template in TEMPLATES_DIR.glob("*.html")
        for key in _LITERAL_KEY.findall(template.read_text(encoding="utf-8"))
    }


def _code_keys() -> set[str]:
    """Keys built at run time: roles, decisions, voice states, navigation, refusals."""
    roles = yaml.safe_load((DEFAULT_POLICY_DIR / "roles.yaml").read_text())["roles"]
    ui_codes = {
        cls.code
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, errors.UiError) and cls is not errors.UiError
    }
    return (
        {f"role.{role}" for role in roles}
        | {f"decision.{d}" for d in ("allow", "deny", "error")}
        | {f"voice_status.{state}" for state in VoiceState}
        | {item.message for item in NAVIGATION}
        | {f"{item.message}_about" for item in NAVIGATION if item.resource}
        | {f"language.{locale}" for locale in LOCALES}
        | {f"error.{code}" for code in ui_codes}
    )


def test_every_locale_has_a_catalog() -> None:
    assert sorted(p.stem for p in LOCALES_DIR.glob("*.json")) == sorted(LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_both_catalogs_hold_the_same_keys(locale: str) -> None:
    assert sorted(set(catalog("en")) ^ set(catalog(locale))) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_every_key_asked_for_is_in_the_catalog(locale: str) -> None:
    wanted = _template_keys() | _code_keys()
    assert len(wanted) > 40  # the collection itself works
    assert sorted(wanted - set(catalog(locale))) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_match_english_and_no_message_is_empty(locale: str) -> None:
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key, english in catalog("en").items():
        assert catalog(locale)[key].strip(), key
        assert fields(catalog(locale)[key]) == fields(english), key


def test_the_chinese_catalog_is_translated() -> None:
    """A copied English message is a missing translation (names and codes excepted)."""
    same = {k for k, v in catalog("zh-Hant").items() if v == catalog("en")[k]}
    assert same <= {"language.en", "language.zh-Hant", "audit.seq"} | {
        k for k in same if "CONSENTGATE_" in catalog("en")[k]
    }


def test_a_missing_key_shows_english_or_the_given_default() -> None:
    assert translate("zh-Hant", "home.greeting", {"name": "Ann"}) == "歡迎，Ann"
    assert translate("zh-Hant", "no.such.key", default="fallback") == "fallback"
    assert translate("en", "no.such.key") == "no.such.key"


@pytest.mark.parametrize(
    ("header", "chosen", "expected"),
    [
        (None, None, "en"),
        ("zh-TW", None, "zh-Hant"),
        ("zh-CN", None, "zh-Hant"),  # the only Chinese offered
        ("de, zh-HK;q=0.4", None, "zh-Hant"),
        ("zh-TW", "en", "en"),  # the switch wins
        ("en", "zh-Hant", "zh-Hant"),
        ("en", "not-a-locale", "en"),
        ("zh;q=abc, en;q=0.5", None, "en"),  # a broken weight counts as 0
        (",,;;=", None, "en"),
    ],
)
def test_negotiate(header: str | None, chosen: str | None, expected: str) -> None:
    assert negotiate(header, chosen) == expected
