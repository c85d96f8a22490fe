"""Requests per minute, per client address (before anything else) and per subject (once the
token is verified): one heavy caller cannot take the gateway from everyone else."""

from __future__ import annotations

from gateway.errors import RateLimited
from gateway.ratelimit import RateLimiter
from gateway.settings import Settings


class Throttle:
    def __init__(self, settings: Settings) -> None:
        self._clients = RateLimiter(settings.rate_limit_client_per_minute)
        self._subjects = RateLimiter(settings.rate_limit_subject_per_minute)

    def check_client(self, client: str | None) -> None:
        """Raises RateLimited when this address asked too often."""
        decision = self._clients.check(client or "unknown")
        if not decision.allowed:
            raise RateLimited("too many requests from this address", decision.retry_after_s)

    def check_subject(self, subject: str) -> None:
        """Raises RateLimited when this subject asked too often."""
        decision = self._subjects.check(subject)
        if not decision.allowed:
            raise RateLimited("too many requests from this subject", decision.retry_after_s)
