"""Bounded request rates per key, and refusals of anonymous callers counted, not logged each.

``RateLimiter`` is a token bucket per key (a subject, a client address: use one limiter per
kind of key, or prefix the keys): ``check(key)`` takes a token or says how many whole
seconds to wait. ``RefusalTally`` counts refusals of callers without a valid token per
interval, so that a flood leaves a few individual audit entries and one summary per
interval instead of one entry each.

Both are thread-safe (sync routes run on a thread pool) and hold a bounded number of keys,
so many client addresses cannot grow them without bound. Clocks are injectable for tests.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

# An entry is a few hundred bytes: 100,000 keys stay within tens of MB whatever the traffic.
DEFAULT_MAX_KEYS = 100_000
# Distinct client addresses kept per tally interval; the rest are counted together.
DEFAULT_MAX_CLIENTS = 10_000
# Distinct codes kept per tally interval; codes come from the gateway, so this is a guard.
MAX_CODES = 64


@dataclass(frozen=True)
class RateDecision:
    """``allowed``, or else ``retry_after_s``: whole seconds (≥ 1) until a token is back."""

    allowed: bool
    retry_after_s: int = 0


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """A token bucket per key: ``per_minute`` tokens a minute, at most ``burst`` at once
    (default: ``per_minute``).

    At most ``max_keys`` buckets are kept. Buckets that have refilled are dropped first (a
    full bucket is the same as none); beyond that the least recently used go, counted in
    ``evictions``. An evicted key starts again with a full bucket, so eviction errs towards
    letting a caller through, never towards refusing one it has not seen.
    """

    def __init__(
        self,
        per_minute: int,
        burst: int | None = None,
        max_keys: int = DEFAULT_MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Raises ValueError for a rate, burst or key cap below 1."""
        burst = per_minute if burst is None else burst
        if per_minute < 1 or burst < 1 or max_keys < 1:
            raise ValueError("per_minute, burst and max_keys must be at least 1")
        self.per_minute = per_minute
        self.burst = burst
        self.max_keys = max_keys
        self.evictions = 0
        self._rate_per_s = per_minute / 60.0
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, key: str) -> RateDecision:
        """Take one token for ``key`` if there is one."""
        with self._lock:
            now = self._clock()
            bucket = self._buckets.pop(key, None)
            if bucket is None:
                bucket = _Bucket(float(self.burst), now)
            else:
                elapsed = max(0.0, now - bucket.updated)  # a clock going back refills nothing
                bucket.tokens = min(self.burst, bucket.tokens + elapsed * self._rate_per_s)
                bucket.updated = now
            self._make_room(now)
            self._buckets[key] = bucket  # most recently used at the end
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return RateDecision(True)
            wait_s = (1.0 - bucket.tokens) / self._rate_per_s
            return RateDecision(False, max(1, math.ceil(wait_s)))

    def __len__(self) -> int:
        with self._lock:
            return len(self._buckets)

    def _make_room(self, now: float) -> None:
        # Least recently used first. One untouched long enough to have refilled is the same
        # as no entry: dropping it forgets nothing, so memory shrinks when traffic does.
        while self._buckets:
            key, oldest = next(iter(self._buckets.items()))
            full = oldest.tokens + (now - oldest.updated) * self._rate_per_s >= self.burst
            if not full and len(self._buckets) < self.max_keys:
                return
            del self._buckets[key]
            if not full:
                self.evictions += 1


@dataclass(frozen=True)
class RefusalSummary:
    """What one interval's refusals came to; times are the tally clock's (UNIX seconds by
    default). ``top_clients`` holds the busiest ``top_n``; ``other_clients`` counts the
    refusals of every other address, including those past the cap on distinct ones."""

    started_at: float
    ended_at: float
    total: int
    recorded_individually: int
    by_code: tuple[tuple[str, int], ...]
    top_clients: tuple[tuple[str, int], ...]
    other_clients: int


class RefusalTally:
    """Counts refusals of callers without a valid token, per interval of ``interval_s``.

    ``count(code, client)`` says whether to record this refusal on its own (the first
    ``record_first`` of each interval); ``drain_due()`` hands over the summary of an interval
    that has ended, once, for one audit entry. An interval that ends while its summary is
    still undrained is merged into it, so memory stays bounded if nobody drains.
    """

    def __init__(
        self,
        interval_s: float = 60.0,
        record_first: int = 10,
        top_n: int = 10,
        max_clients: int = DEFAULT_MAX_CLIENTS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Raises ValueError for a non-positive interval or negative counts."""
        if interval_s <= 0 or record_first < 0 or top_n < 0 or max_clients < 0:
            raise ValueError("interval_s must be positive and the counts not negative")
        self.interval_s = interval_s
        self.record_first = record_first
        self.top_n = top_n
        self.max_clients = max_clients
        self._clock = clock
        self._lock = threading.Lock()
        self._window = _Window(clock())
        self._pending: _Window | None = None

    def count(self, code: str, client: str, now: float | None = None) -> bool:
        """Count one refusal; True when it should also be recorded on its own."""
        with self._lock:
            now = self._clock() if now is None else now
            self._roll(now)
            return self._window.add(code, client, self.record_first, self.max_clients)

    def drain_due(self, now: float | None = None) -> RefusalSummary | None:
        """The summary of the ended interval(s) not yet drained, or None when none has ended
        or no refusal was counted in them."""
        with self._lock:
            now = self._clock() if now is None else now
            self._roll(now)
            pending, self._pending = self._pending, None
            if pending is None or pending.total == 0:
                return None
            return pending.summary(self.top_n)

    def _roll(self, now: float) -> None:
        if now - self._window.started_at < self.interval_s:
            return
        # Every refusal in the window came before its end, or it would have rolled then.
        self._window.ended_at = self._window.started_at + self.interval_s
        if self._pending is None:
            self._pending = self._window
        else:
            self._pending.merge(self._window, self.max_clients)
        self._window = _Window(now)


def _bump(counter: Counter[str], key: str, n: int, cap: int) -> int:
    """Add ``n`` under ``key`` if it is known or there is room; returns what did not fit."""
    if key in counter or len(counter) < cap:
        counter[key] += n
        return 0
    return n


class _Window:
    def __init__(self, started_at: float) -> None:
        self.started_at = started_at
        self.ended_at = started_at
        self.total = 0
        self.recorded = 0
        self.by_code: Counter[str] = Counter()
        self.by_client: Counter[str] = Counter()
        self.other_codes = 0

    def add(self, code: str, client: str, record_first: int, max_clients: int) -> bool:
        self.total += 1
        self.other_codes += _bump(self.by_code, code, 1, MAX_CODES)
        _bump(self.by_client, client, 1, max_clients)  # the rest show in other_clients
        if self.recorded < record_first:
            self.recorded += 1
            return True
        return False

    def merge(self, later: _Window, max_clients: int) -> None:
        self.ended_at = later.ended_at
        self.total += later.total
        self.recorded += later.recorded
        self.other_codes += later.other_codes
        for code, n in later.by_code.items():
            self.other_codes += _bump(self.by_code, code, n, MAX_CODES)
        for client, n in later.by_client.items():
            _bump(self.by_client, client, n, max_clients)

    def summary(self, top_n: int) -> RefusalSummary:
        top = self.by_client.most_common(top_n)
        by_code = sorted(self.by_code.items(), key=lambda item: (-item[1], item[0]))
        if self.other_codes:
            by_code.append(("other", self.other_codes))
        return RefusalSummary(
            started_at=self.started_at,
            ended_at=self.ended_at,
            total=self.total,
            recorded_individually=self.recorded,
            by_code=tuple(by_code),
            top_clients=tuple(top),
            other_clients=self.total - sum(n for _, n in top),
        )
