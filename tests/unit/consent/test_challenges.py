from __future__ import annotations

import datetime as dt
from pathlib import Path
from threading import Thread

import pytest

from consent import (
    CHALLENGE_TTL,
    ChallengeBook,
    ChallengeExpired,
    ChallengeNotFound,
    ChallengeUsed,
    ConsentScope,
)
from gateway.db import make_engine

NOW = dt.datetime.now(dt.UTC)
SCOPE = ConsentScope(purposes=("internal",), engines=("m",), expires_at=NOW + dt.timedelta(days=1))


@pytest.fixture
def book(tmp_path: Path) -> ChallengeBook:
    return ChallengeBook(make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}"))


def _issue(book: ChallengeBook, at: dt.datetime = NOW) -> str:
    return book.issue("olivia", "Olivia", SCOPE, "statement", "phrase", "en", "v1/en", at).id


def test_redeemed_once(book: ChallengeBook) -> None:
    challenge_id = _issue(book)
    assert book.redeem(challenge_id, "olivia", NOW).phrase == "phrase"
    with pytest.raises(ChallengeUsed):
        book.redeem(challenge_id, "olivia", NOW)


def test_expires_after_ten_minutes(book: ChallengeBook) -> None:
    challenge_id = _issue(book)
    with pytest.raises(ChallengeExpired):
        book.redeem(challenge_id, "olivia", NOW + CHALLENGE_TTL + dt.timedelta(seconds=1))


def test_bound_to_its_caller(book: ChallengeBook) -> None:
    challenge_id = _issue(book)
    with pytest.raises(ChallengeNotFound):
        book.redeem(challenge_id, "mallory", NOW)
    assert book.redeem(challenge_id, "olivia", NOW)  # the attempt did not spend it


def test_concurrent_redemptions_succeed_once(book: ChallengeBook) -> None:
    challenge_id = _issue(book)
    outcomes: list[str] = []

    def redeem() -> None:
        try:
            book.redeem(challenge_id, "olivia", NOW)
            outcomes.append("ok")
        except ChallengeUsed:
            outcomes.append("used")

    threads = [Thread(target=redeem) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] + ["used"] * 7
