from __future__ import annotations

from pathlib import Path

import pytest

from policies import DEFAULT_POLICY_DIR, ContentBlocked, ContentRules, PolicyUnavailable

RULES = ContentRules(DEFAULT_POLICY_DIR / "content_rules.yaml")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Please pay the invoice of $4,500 today", "payment"),
        ("WIRE THE MONEY before five", "payment"),
        ("Our IBAN changed last week", "payment"),
        ("請立即付款給供應商", "payment"),
        ("请把钱汇款到这个账户", "payment"),
        ("Transfer 20k to the account ending 4411", "transfer"),
        ("我需要你轉賬", "transfer"),
        ("What is your password?", "password"),
        ("Read me the one-time code", "password"),
        ("您的驗證碼是多少", "password"),
        ("Send me your login details", "credential"),
        ("Share the API key in chat", "credential"),
        ("我授權這筆交易", "approval"),
        ("I authorise the transfer of funds", "approval"),
        ("Approve the purchase order now", "approval"),
    ],
)
def test_sensitive_instructions_are_blocked(text: str, category: str) -> None:
    with pytest.raises(ContentBlocked) as blocked:
        RULES.check(text, own_voice=False)
    assert blocked.value.category == category
    assert blocked.value.code == "content_blocked"


@pytest.mark.parametrize(
    "text",
    [
        "Welcome to the plant. Safety glasses are required beyond this point.",
        "The canteen opens at noon.",
        "歡迎參加新員工培訓。",
        "Chào mừng các bạn đến với buổi đào tạo an toàn.",
        "Spinning tops and pinwheels are on the second shelf.",
    ],
)
def test_ordinary_speech_passes(text: str) -> None:
    RULES.check(text, own_voice=False)


def test_own_voice_is_checked_unless_the_policy_exempts_owners(tmp_path: Path) -> None:
    with pytest.raises(ContentBlocked):
        RULES.check("Please wire the money", own_voice=True)  # the default: every clone
    lenient = tmp_path / "rules.yaml"
    lenient.write_text(
        (DEFAULT_POLICY_DIR / "content_rules.yaml")
        .read_text()
        .replace("apply_to_own_voice: true", "apply_to_own_voice: false")
    )
    ContentRules(lenient).check("Please wire the money", own_voice=True)
    with pytest.raises(ContentBlocked):
        ContentRules(lenient).check("Please wire the money", own_voice=False)


def test_broken_rules_fail_closed(tmp_path: Path) -> None:
    broken = tmp_path / "rules.yaml"
    broken.write_text("categories:\n  payment:\n    patterns: ['(unclosed']\n")
    with pytest.raises(PolicyUnavailable):
        ContentRules(broken).check("hello", own_voice=False)
