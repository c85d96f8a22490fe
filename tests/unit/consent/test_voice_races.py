"""State changes of one voice, raced: each acts on the state it saw, or re-reads and decides
again. Found by an attacker: approve and reject both answered 200, and a resume undid an
owner's revocation."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session
from ulid import ULID

from consent import ConsentRegistry, MasterKey, VoiceVault
from consent.errors import ReviewNotPending, VoiceNotSuspended, VoiceStateConflict
from consent.registry import VoiceStatus
from consent.tables import ConsentRow, VoiceRow
from gateway.db import make_engine

OWNER = "olivia"

NOW = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)


def _race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at the same moment; each result is a value or the exception raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[i] = call()
        except Exception as error:  # the race's loser: asserted on below
            results[i] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.fixture
def registry(tmp_path: Path) -> ConsentRegistry:
    return ConsentRegistry(
        make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}"),
        VoiceVault(MasterKey.load_or_create(tmp_path / "master.key"), tmp_path / "voices"),
    )


def _voice(registry: ConsentRegistry, status: str, *, hold: bool = False) -> str:
    """A voice row with sealed data, in ``status``."""
    voice_id = f"voice_{ULID()}"
    vault = registry._vault
    data_key, wrapped = vault.new_key(voice_id)
    vault.seal(voice_id, "embedding", data_key, b"\x00" * 1024)
    with Session(registry._engine) as session:
        suspended_from = VoiceStatus.ACTIVE if status == VoiceStatus.SUSPENDED else None
        session.add(
            VoiceRow(
                id=voice_id,
                owner=OWNER,
                status=status,
                wrapped_key=wrapped,
                legal_hold=hold,
                created_at=NOW.isoformat(),
                suspended_from=suspended_from,
            )
        )
        session.flush()  # the consent refers to the voice
        session.add(
            ConsentRow(
                id=f"consent_{ULID()}",
                voice_id=voice_id,
                document="{}",
                scope="{}",
                expires_at=(NOW + dt.timedelta(days=1)).isoformat(),
            )
        )
        session.commit()
    return voice_id


def _state(registry: ConsentRegistry, voice_id: str) -> VoiceRow:
    voice, _ = registry._load(voice_id)
    assert voice is not None
    return voice


@pytest.mark.parametrize("trial", range(5))
def test_approve_and_reject_at_once_one_wins(registry: ConsentRegistry, trial: int) -> None:
    voice_id = _voice(registry, VoiceStatus.PENDING_REVIEW)
    approve, reject = _race(
        lambda: registry.review(voice_id, "carol", "approve", "heard", NOW),
        lambda: registry.review(voice_id, "rhea", "reject", "not her", NOW),
    )
    outcomes = [r for r in (approve, reject) if not isinstance(r, Exception)]
    losers = [r for r in (approve, reject) if isinstance(r, Exception)]
    assert len(outcomes) == 1 and len(losers) == 1
    assert isinstance(losers[0], ReviewNotPending)
    voice = _state(registry, voice_id)
    assert voice.status == outcomes[0].status
    # A rejection never leaves the owner verified; an approval never leaves the key shredded.
    assert (voice.status, voice.owner_verified, voice.wrapped_key is None) in {
        (VoiceStatus.ACTIVE, True, False),
        (VoiceStatus.REJECTED, False, True),
    }


@pytest.mark.parametrize("trial", range(5))
def test_a_resume_never_undoes_the_owners_revocation(registry: ConsentRegistry, trial: int) -> None:
    voice_id = _voice(registry, VoiceStatus.SUSPENDED, hold=True)
    revoked, resumed = _race(
        lambda: registry.revoke(voice_id, OWNER, NOW),
        lambda: registry.resume(voice_id),
    )
    assert not isinstance(revoked, Exception)  # the owner's revocation always applies
    assert isinstance(resumed, VoiceNotSuspended) or resumed.status == VoiceStatus.ACTIVE
    assert _state(registry, voice_id).status == VoiceStatus.REVOKED


@pytest.mark.parametrize("trial", range(4))
def test_two_shreds_at_once_both_answer(registry: ConsentRegistry, trial: int) -> None:
    voice_id = _voice(registry, VoiceStatus.SUSPENDED)
    results = _race(
        lambda: registry.revoke(voice_id, OWNER, NOW),
        lambda: registry.end_suspension(voice_id, "carol", "complaint upheld", NOW),
        lambda: registry.revoke(voice_id, OWNER, NOW),
    )
    for result in results:
        assert not isinstance(result, Exception) or isinstance(
            result, VoiceNotSuspended | VoiceStateConflict
        ), result
    voice = _state(registry, voice_id)
    assert voice.status == VoiceStatus.REVOKED and voice.wrapped_key is None
    assert not (registry._vault._directory / voice_id).exists()
