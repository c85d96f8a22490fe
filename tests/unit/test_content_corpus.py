"""Checks of the content-rule corpus itself (tests/content_corpus), not of any rules."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from difflib import SequenceMatcher

import pytest

from tests.content_corpus.bases import BASES, LANGUAGES, Base
from tests.content_corpus.blind2_bases import BLIND2_BASES
from tests.content_corpus.blind2_bases import SLOT_PREFIX as BLIND2_PREFIX
from tests.content_corpus.blind3_bases import BLIND3_BASES
from tests.content_corpus.blind3_bases import SLOT_PREFIX as BLIND3_PREFIX
from tests.content_corpus.blind4_bases import BLIND4_BASES
from tests.content_corpus.blind4_bases import SLOT_PREFIX as BLIND4_PREFIX
from tests.content_corpus.blind5_bases import BLIND5_BASES
from tests.content_corpus.blind5_bases import SLOT_PREFIX as BLIND5_PREFIX
from tests.content_corpus.blind_bases import BLIND_BASES, SLOT_PREFIX
from tests.content_corpus.build import (
    ALL_BASES,
    ALL_BY_ID,
    CORPUS_PATH,
    FIELDS,
    SPLITS,
    records,
    render,
)
from tests.content_corpus.techniques import APPLIES, TECHNIQUES, ZERO_WIDTH

NOT_EVASIVE = ("plain", "paraphrase", "benign")
CHINESE_SCRIPT = ("zh-Hans", "zh-Hant", "yue")
# Each blind split with the bases written before it: a blind split must share no text with any
# earlier split, since every earlier split has been tuned on by the time the next is written.
BLIND_SPLITS: tuple[tuple[str, tuple[Base, ...], tuple[Base, ...]], ...] = (
    ("blind", BLIND_BASES, BASES),
    ("blind2", BLIND2_BASES, (*BASES, *BLIND_BASES)),
    ("blind3", BLIND3_BASES, (*BASES, *BLIND_BASES, *BLIND2_BASES)),
    ("blind4", BLIND4_BASES, (*BASES, *BLIND_BASES, *BLIND2_BASES, *BLIND3_BASES)),
    (
        "blind5",
        BLIND5_BASES,
        (*BASES, *BLIND_BASES, *BLIND2_BASES, *BLIND3_BASES, *BLIND4_BASES),
    ),
)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    text = CORPUS_PATH.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def _evasive(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [r for r in rows if r["technique"] not in NOT_EVASIVE]


def _full_width_count(text: str) -> int:
    return sum(0xFF01 <= ord(c) <= 0xFF5E for c in text)


def test_committed_corpus_is_what_build_produces() -> None:
    # A stale corpus.jsonl means someone edited bases or techniques without regenerating.
    assert CORPUS_PATH.read_text(encoding="utf-8") == render()
    assert render() == render(records())  # and a second build gives the same bytes


def test_records_have_the_documented_fields(rows: list[dict[str, str]]) -> None:
    for row in rows:
        assert tuple(row) == FIELDS
        assert row["label"] in ("block", "pass")
        assert row["split"] in SPLITS
        assert row["language"] in LANGUAGES
        assert row["technique"] in (*NOT_EVASIVE, *TECHNIQUES)
        assert row["text"].strip()


def test_ids_are_unique(rows: list[dict[str, str]]) -> None:
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({b.id for b in ALL_BASES}) == len(ALL_BASES)
    assert len(ALL_BY_ID) == len(ALL_BASES)


def test_texts_are_unique(rows: list[dict[str, str]]) -> None:
    duplicates = [t for t, n in Counter(r["text"] for r in rows).items() if n > 1]
    assert duplicates == []


def test_overall_counts(rows: list[dict[str, str]]) -> None:
    assert len(_evasive(rows)) >= 300
    assert sum(r["technique"] == "benign" for r in rows) >= 300


@pytest.mark.parametrize("language", LANGUAGES)
def test_counts_per_language(language: str) -> None:
    # The parallel tune/holdout bases (bases.py); the blind ones are counted below.
    own = [b for b in BASES if b.language == language]
    sensitive = [b for b in own if b.kind == "sensitive"]
    benign = [b for b in own if b.kind == "benign"]
    assert len(sensitive) >= 14
    assert {b.category for b in sensitive} == {"secret", "money", "approval"}
    assert sum(bool(b.numbers) for b in sensitive) >= 4
    assert sum(b.kind == "paraphrase" for b in own) >= 8
    assert len(benign) >= 55
    # Benign lines that name passwords, codes, payments... are the false-positive traps.
    assert 3 * sum(b.category == "mention" for b in benign) >= len(benign)
    for kind in ("sensitive", "paraphrase", "benign"):
        assert {b.split for b in own if b.kind == kind} == {"tune", "holdout"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_blind_counts_per_language(language: str) -> None:
    own = [b for b in BLIND_BASES if b.language == language]
    sensitive = [b for b in own if b.kind == "sensitive"]
    benign = [b for b in own if b.kind == "benign"]
    assert len(sensitive) >= 8
    assert {b.category for b in sensitive} == {"secret", "money", "approval"}
    assert sum(bool(b.numbers) for b in sensitive) >= 3
    assert sum(b.kind == "paraphrase" for b in own) >= 3
    assert len(benign) >= 25
    assert sum(b.category == "mention" for b in benign) >= 9


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "blind_bases",
    [BLIND2_BASES, BLIND3_BASES, BLIND4_BASES, BLIND5_BASES],
    ids=["blind2", "blind3", "blind4", "blind5"],
)
def test_later_blind_counts_per_language(language: str, blind_bases: tuple[Base, ...]) -> None:
    own = [b for b in blind_bases if b.language == language]
    sensitive = [b for b in own if b.kind == "sensitive"]
    paraphrases = [b for b in own if b.kind == "paraphrase"]
    benign = [b for b in own if b.kind == "benign"]
    assert len(sensitive) >= 9
    for category in ("secret", "money", "approval"):
        assert sum(b.category == category for b in sensitive) >= 3, category
        assert sum(b.category == category for b in paraphrases) >= 1, category
    assert sum(bool(b.numbers) for b in sensitive) >= 5
    assert len(paraphrases) >= 3
    assert len(benign) >= 25
    assert sum(b.category == "mention" for b in benign) >= 10
    assert sum(b.category == "neutral" for b in benign) >= 15


def test_blind_bases_are_marked_blind() -> None:
    assert BLIND_BASES
    for base in BLIND_BASES:
        assert base.split == "blind", base.id
        assert base.slot.startswith(SLOT_PREFIX), base.id
    for base in BLIND2_BASES:
        assert base.split == "blind2", base.id
        assert base.slot.startswith(BLIND2_PREFIX), base.id
    for base in BLIND3_BASES:
        assert base.split == "blind3", base.id
        assert base.slot.startswith(BLIND3_PREFIX), base.id
    for base in (*BASES, *BLIND_BASES):
        assert not base.slot.startswith(BLIND2_PREFIX), base.id
    for base in (*BASES, *BLIND_BASES, *BLIND2_BASES):
        assert not base.slot.startswith(BLIND3_PREFIX), base.id
    for base in BLIND4_BASES:
        assert base.split == "blind4", base.id
        assert base.slot.startswith(BLIND4_PREFIX), base.id
    for base in (*BASES, *BLIND_BASES, *BLIND2_BASES, *BLIND3_BASES):
        assert not base.slot.startswith(BLIND4_PREFIX), base.id
    for base in BLIND5_BASES:
        assert base.split == "blind5", base.id
        assert base.slot.startswith(BLIND5_PREFIX), base.id
    for base in (*BASES, *BLIND_BASES, *BLIND2_BASES, *BLIND3_BASES, *BLIND4_BASES):
        assert not base.slot.startswith(BLIND5_PREFIX), base.id
    for base in BASES:
        assert base.split in ("tune", "holdout"), base.id
        assert not base.slot.startswith(SLOT_PREFIX), base.id


@pytest.mark.parametrize(("split", "blind_bases", "earlier"), BLIND_SPLITS)
def test_blind_bases_share_no_text_with_the_other_splits(
    split: str, blind_bases: tuple[Base, ...], earlier: tuple[Base, ...]
) -> None:
    # Not the same sentence, and no copied clause either: a shared run of characters longer
    # than a stock phrase ("into your account") means a line was reworded, not written anew.
    # Chinese packs a clause into far fewer characters, hence the shorter limit.
    tuned = {b.text.casefold() for b in earlier}
    assert not [b.id for b in blind_bases if b.text.casefold() in tuned]
    for blind in blind_bases:
        limit = 10 if blind.language in CHINESE_SCRIPT else 25
        text = blind.text.casefold()
        for other in earlier:
            if other.language != blind.language:
                continue
            other_text = other.text.casefold()
            match = SequenceMatcher(None, text, other_text, autojunk=False).find_longest_match(
                0, len(text), 0, len(other_text)
            )
            assert match.size < limit, (blind.id, other.id, text[match.a : match.a + match.size])


@pytest.mark.parametrize(("split", "blind_bases", "earlier"), BLIND_SPLITS)
def test_blind_records_are_only_blind_bases(
    rows: list[dict[str, str]],
    split: str,
    blind_bases: tuple[Base, ...],
    earlier: tuple[Base, ...],
) -> None:
    blind_ids = {b.id for b in blind_bases}
    for row in rows:
        assert (row["split"] == split) == (row["base"] in blind_ids), row["id"]


def test_split_is_roughly_sixty_forty() -> None:
    # Of the parallel bases; blind is a separate set of lines, not a share of these.
    share = sum(b.split == "tune" for b in BASES) / len(BASES)
    assert 0.55 <= share <= 0.67


def test_translations_share_a_split() -> None:
    by_slot: dict[str, set[str]] = {}
    for base in BASES:
        by_slot.setdefault(base.slot, set()).add(base.split)
    assert all(len(splits) == 1 for splits in by_slot.values())


def test_every_technique_in_every_split(rows: list[dict[str, str]]) -> None:
    for technique in TECHNIQUES:
        splits = {r["split"] for r in rows if r["technique"] == technique}
        assert splits == set(SPLITS), technique


@pytest.mark.parametrize("split", SPLITS)
def test_every_split_has_each_kind_in_each_language(rows: list[dict[str, str]], split: str) -> None:
    present = {(r["language"], r["technique"]) for r in rows if r["split"] == split}
    for language in LANGUAGES:
        for technique in NOT_EVASIVE:
            assert (language, technique) in present, (split, language, technique)


@pytest.mark.parametrize("split", ["blind", "blind2", "blind3", "blind4", "blind5"])
def test_blind_techniques_cover_the_languages_they_apply_to(
    rows: list[dict[str, str]], split: str
) -> None:
    # Each blind split alone must exercise every technique wherever it applies.
    present = {(r["technique"], r["language"]) for r in rows if r["split"] == split}
    for technique, languages in APPLIES.items():
        for language in LANGUAGES:
            assert ((technique, language) in present) == (language in languages), (
                technique,
                language,
            )


def test_techniques_cover_the_languages_they_apply_to(rows: list[dict[str, str]]) -> None:
    present = {(r["technique"], r["language"]) for r in rows}
    for technique, languages in APPLIES.items():
        for language in LANGUAGES:
            assert ((technique, language) in present) == (language in languages), (
                technique,
                language,
            )


def test_variants_match_their_base(rows: list[dict[str, str]]) -> None:
    for row in rows:
        base = ALL_BY_ID[row["base"]]
        assert (row["language"], row["split"], row["category"]) == (
            base.language,
            base.split,
            base.category,
        )
        if row["technique"] in NOT_EVASIVE:
            assert row["text"] == base.text
        else:
            assert base.kind == "sensitive"
            assert row["label"] == "block"
            assert row["text"] != base.text, row["id"]


def test_labels(rows: list[dict[str, str]]) -> None:
    for row in rows:
        assert row["label"] == ("pass" if row["technique"] == "benign" else "block"), row["id"]


def test_zero_width_variants_hide_characters(rows: list[dict[str, str]]) -> None:
    for row in rows:
        if row["technique"] == "zero_width":
            assert any(c in ZERO_WIDTH for c in row["text"]), row["id"]


def test_homoglyph_variants_contain_non_latin_letters(rows: list[dict[str, str]]) -> None:
    for row in rows:
        if row["technique"] == "homoglyph":
            names = [unicodedata.name(c, "") for c in row["text"]]
            assert any(n.startswith(("CYRILLIC", "GREEK")) for n in names), row["id"]


def test_full_width_variants_add_full_width_forms(rows: list[dict[str, str]]) -> None:
    # CJK punctuation (，？) is already full width, so count rather than test for presence.
    for row in rows:
        if row["technique"] == "full_width":
            base = ALL_BY_ID[row["base"]]
            assert _full_width_count(row["text"]) > _full_width_count(base.text), row["id"]


def test_spelled_numbers_remove_the_digits(rows: list[dict[str, str]]) -> None:
    for row in rows:
        if row["technique"] == "spelled_numbers":
            assert not any(c.isdigit() for c in row["text"]), row["id"]


def test_no_diacritics_variants_are_bare(rows: list[dict[str, str]]) -> None:
    for row in rows:
        if row["technique"] == "no_diacritics":
            decomposed = unicodedata.normalize("NFD", row["text"])
            assert not any(unicodedata.combining(c) for c in decomposed), row["id"]
            assert "đ" not in row["text"].lower()


def test_spelled_numbers_examples() -> None:
    # Spot checks of the number spelling against how each locale writes amounts.
    from tests.content_corpus.bases import Number
    from tests.content_corpus.techniques import spell_number

    assert spell_number(Number("5,000", code=False), "en") == "five thousand"
    assert spell_number(Number("48,500", code=False), "en") == "forty-eight thousand five hundred"
    assert spell_number(Number("1234", code=True), "en") == "one two three four"
    assert spell_number(Number("5000", code=False), "zh-Hans") == "五千"
    assert spell_number(Number("25000", code=False), "zh-Hans") == "两万五千"
    assert spell_number(Number("12000", code=False), "yue") == "一萬二千"
    assert spell_number(Number("10050", code=False), "zh-Hant") == "一萬零五十"
    assert spell_number(Number("5,000", code=False), "th") == "ห้าพัน"
    assert spell_number(Number("21", code=False), "th") == "ยี่สิบเอ็ด"
    assert spell_number(Number("250,000", code=False), "th") == "สองแสนห้าหมื่น"
    assert spell_number(Number("5", code=False), "vi") == "năm"
    assert spell_number(Number("48.500", code=False), "vi") == "bốn mươi tám nghìn năm trăm"
    assert spell_number(Number("105", code=False), "vi") == "một trăm linh năm"
    assert spell_number(Number("21", code=False), "vi") == "hai mươi mốt"
