"""Rate limits per key and the refusal tally, on a clock the tests move."""

from __future__ import annotations

import threading

import pytest

from gateway.ratelimit import MAX_CODES, RateDecision, RateLimiter, RefusalTally


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


# -- RateLimiter ------------------------------------------------------------------------


def test_burst_then_refused_with_whole_seconds_to_wait() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute=60, burst=3, clock=clock)
    assert [limiter.check("alice").allowed for _ in range(3)] == [True, True, True]
    assert limiter.check("alice") == RateDecision(False, 1)
    clock.now += 0.25  # a quarter of a token back: still refused, still 1 s (rounded up)
    assert limiter.check("alice") == RateDecision(False, 1)
    clock.now += 0.75
    assert limiter.check("alice").allowed


def test_retry_after_reflects_a_slow_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute=2, burst=1, clock=clock)
    assert limiter.check("ip:10.0.0.1").allowed
    assert limiter.check("ip:10.0.0.1") == RateDecision(False, 30)
    clock.now += 29.5
    assert limiter.check("ip:10.0.0.1") == RateDecision(False, 1)


def test_keys_are_independent() -> None:
    limiter = RateLimiter(per_minute=1, clock=FakeClock())
    assert limiter.check("sub:alice").allowed
    assert not limiter.check("sub:alice").allowed
    assert limiter.check("sub:bob").allowed


def test_refill_never_exceeds_the_burst() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute=60, burst=2, clock=clock)
    clock.now += 3600
    allowed = [limiter.check("k").allowed for _ in range(4)]
    assert allowed == [True, True, False, False]


def test_a_clock_going_back_refills_nothing() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute=60, burst=1, clock=clock)
    assert limiter.check("k").allowed
    clock.now -= 100
    assert not limiter.check("k").allowed


def test_many_addresses_cannot_grow_it_past_max_keys() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute=1, max_keys=100, clock=clock)
    for n in range(10_000):
        limiter.check(f"ip:10.{n // 256}.{n % 256}.1")
    assert len(limiter) == 100
    assert limiter.evictions == 10_000 - 100


def test_the_least_recently_used_is_evicted_not_a_busy_key() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute=1, max_keys=3, clock=clock)
    assert limiter.check("busy").allowed
    for n in range(10):
        assert not limiter.check("busy").allowed  # touched each round: stays tracked
        limiter.check(f"flood-{n}")
    assert not limiter.check("busy").allowed


def test_refilled_buckets_are_dropped_without_counting_an_eviction() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute=60, burst=1, max_keys=1000, clock=clock)
    for n in range(500):
        limiter.check(f"k{n}")
    clock.now += 2  # every bucket has refilled: they are the same as none
    limiter.check("late")
    assert len(limiter) == 1
    assert limiter.evictions == 0


def test_the_current_key_is_never_its_own_eviction() -> None:
    limiter = RateLimiter(per_minute=1, max_keys=1, clock=FakeClock())
    assert limiter.check("only").allowed
    assert not limiter.check("only").allowed


def test_threads_share_one_budget_exactly() -> None:
    limiter = RateLimiter(per_minute=500, clock=FakeClock())
    results: list[bool] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(100):
            allowed = limiter.check("shared").allowed
            with lock:
                results.append(allowed)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 500
    assert len(results) == 800


@pytest.mark.parametrize(
    "kwargs", [{"per_minute": 0}, {"per_minute": 10, "burst": 0}, {"per_minute": 10, "max_keys": 0}]
)
def test_nonsense_settings_are_refused(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        RateLimiter(**kwargs)


# -- RefusalTally -----------------------------------------------------------------------


def test_first_few_are_recorded_individually_then_counted() -> None:
    clock = FakeClock()
    tally = RefusalTally(interval_s=60, record_first=3, clock=clock)
    flags = [tally.count("token_missing", "10.0.0.1") for _ in range(10)]
    assert flags == [True] * 3 + [False] * 7
    assert tally.drain_due() is None  # the interval has not ended
    clock.now += 60
    summary = tally.drain_due()
    assert summary is not None
    assert summary.total == 10
    assert summary.recorded_individually == 3
    assert summary.by_code == (("token_missing", 10),)
    assert summary.top_clients == (("10.0.0.1", 10),)
    assert (summary.started_at, summary.ended_at) == (1000.0, 1060.0)
    assert tally.drain_due() is None  # handed over once


def test_each_interval_gets_its_own_individual_budget() -> None:
    clock = FakeClock()
    tally = RefusalTally(interval_s=60, record_first=2, clock=clock)
    assert [tally.count("token_invalid", "a") for _ in range(3)] == [True, True, False]
    clock.now += 61
    assert tally.count("token_invalid", "a")  # a new interval, counted in it
    summary = tally.drain_due()
    assert summary is not None
    assert summary.total == 3


def test_summary_ranks_codes_and_top_clients() -> None:
    clock = FakeClock()
    tally = RefusalTally(interval_s=10, record_first=0, top_n=2, clock=clock)
    for client, n in (("a", 5), ("b", 3), ("c", 2), ("d", 1)):
        for _ in range(n):
            tally.count("token_expired" if client == "a" else "token_invalid", client)
    clock.now += 10
    summary = tally.drain_due()
    assert summary is not None
    assert summary.by_code == (("token_invalid", 6), ("token_expired", 5))
    assert summary.top_clients == (("a", 5), ("b", 3))
    assert summary.other_clients == 3
    assert summary.recorded_individually == 0


def test_distinct_clients_and_codes_are_capped() -> None:
    clock = FakeClock()
    tally = RefusalTally(interval_s=10, record_first=0, top_n=5, max_clients=50, clock=clock)
    for n in range(5000):
        tally.count(f"code_{n % (MAX_CODES + 10)}", f"10.0.{n // 256}.{n % 256}")
    clock.now += 10
    summary = tally.drain_due()
    assert summary is not None
    assert summary.total == 5000
    assert len(summary.by_code) == MAX_CODES + 1
    assert summary.by_code[-1][0] == "other"
    assert sum(n for _, n in summary.by_code) == 5000
    assert summary.other_clients == 5000 - sum(n for _, n in summary.top_clients)


def test_undrained_intervals_merge_into_one_summary() -> None:
    clock = FakeClock()
    tally = RefusalTally(interval_s=10, record_first=1, clock=clock)
    tally.count("token_missing", "a")
    clock.now += 10
    tally.count("token_missing", "b")
    clock.now += 10
    tally.count("token_invalid", "a")
    clock.now += 10
    summary = tally.drain_due()
    assert summary is not None
    assert summary.total == 3
    assert summary.recorded_individually == 3  # the first of each interval
    assert summary.top_clients == (("a", 2), ("b", 1))
    assert (summary.started_at, summary.ended_at) == (1000.0, 1030.0)


def test_quiet_interval_gives_no_summary() -> None:
    clock = FakeClock()
    tally = RefusalTally(interval_s=10, clock=clock)
    clock.now += 100
    assert tally.drain_due() is None


def test_explicit_now_overrides_the_clock() -> None:
    tally = RefusalTally(interval_s=10, clock=FakeClock(0.0))
    tally.count("token_missing", "a", now=1.0)
    assert tally.drain_due(now=5.0) is None
    summary = tally.drain_due(now=10.0)
    assert summary is not None
    assert summary.total == 1


def test_threads_count_every_refusal_once() -> None:
    clock = FakeClock()
    tally = RefusalTally(interval_s=60, record_first=7, clock=clock)
    recorded: list[bool] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        for _ in range(250):
            flag = tally.count("token_missing", f"c{n}")
            with lock:
                recorded.append(flag)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    clock.now += 60
    summary = tally.drain_due()
    assert summary is not None
    assert summary.total == 2000
    assert recorded.count(True) == 7 == summary.recorded_individually


def test_tally_refuses_nonsense_settings() -> None:
    with pytest.raises(ValueError, match="positive"):
        RefusalTally(interval_s=0)
