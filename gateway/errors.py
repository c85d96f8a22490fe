"""Errors raised by the gateway itself (input it refuses, things that are not there).

GatewayError
 ├── InvalidRequest   (422, code given per case, e.g. model_unknown)
 ├── NotFound         (404, code given per case, e.g. artifact_not_found)
 └── RateLimited      (429, rate_limited; Retry-After)
"""

from __future__ import annotations


class GatewayError(Exception):
    status = 400

    def __init__(self, code: str, reason: str, **problem_extra: object) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.problem_extra: dict[str, object] = problem_extra  # more members of the problem


class InvalidRequest(GatewayError):
    status = 422


class NotFound(GatewayError):
    status = 404


class RateLimited(GatewayError):
    """Too many requests from one subject or address (429, ``Retry-After``)."""

    status = 429

    def __init__(self, reason: str, retry_after_s: int) -> None:
        super().__init__("rate_limited", reason, retry_after_s=retry_after_s)
        self.headers = {"Retry-After": str(retry_after_s)}
