"""The shipped rules against the corpus they were tuned on (tests/content_corpus): a guard that
a rule change does not undo what was reached. The honest numbers (a split looked at once) are
in docs/content-rules.md, from bench/content_rules.py."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from policies import DEFAULT_POLICY_DIR, ContentRules

CORPUS = Path(__file__).parents[2] / "content_corpus" / "corpus.jsonl"
TUNED_ON = ("tune", "holdout", "blind", "blind2", "blind3", "blind4")  # later splits: unseen
NOT_EVASIONS = ("plain", "paraphrase", "benign")


@pytest.fixture(scope="module")
def verdicts() -> list[tuple[dict, bool]]:
    rules = ContentRules(DEFAULT_POLICY_DIR / "content_rules.yaml")
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    return [
        (row, rules.screen(row["text"]) is not None) for row in rows if row["split"] in TUNED_ON
    ]


def test_every_technique_is_caught_in_every_language(verdicts: list[tuple[dict, bool]]) -> None:
    caught: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for row, blocked in verdicts:
        if row["technique"] not in ("paraphrase", "benign"):
            caught[(row["technique"], row["language"])].append(blocked)
    assert len(caught) >= 40  # 12 techniques over the languages each applies to
    never = sorted(key for key, got in caught.items() if not any(got))
    assert never == []


def test_benign_lines_that_mention_secrets_and_money_pass(
    verdicts: list[tuple[dict, bool]],
) -> None:
    blocked = [row["text"] for row, hit in verdicts if row["label"] == "pass" and hit]
    assert len([row for row, _ in verdicts if row["label"] == "pass"]) >= 600
    assert blocked == []


def test_evasions_are_caught_where_the_rules_were_tuned(
    verdicts: list[tuple[dict, bool]],
) -> None:
    evasions = [hit for row, hit in verdicts if row["technique"] not in NOT_EVASIONS]
    assert len(evasions) >= 1200
    assert sum(evasions) / len(evasions) >= 0.96
