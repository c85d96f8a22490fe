"""Audit values: what a caller hands in, what the log stores, and how an entry is hashed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from typing import Any

from audit import canonical

GENESIS_HASH = "0" * 64


class Decision:
    ALLOW = "allow"
    DENY = "deny"
    ERROR = "error"


@dataclass(frozen=True)
class AuditRecord:
    """One decision to record; the log adds seq, time, prev_hash and hash."""

    request_id: str
    action: str
    decision: str
    code: str
    reason: str
    subject: str | None = None
    roles: tuple[str, ...] = ()
    engine: str | None = None
    model: str | None = None
    purpose: str | None = None
    prompt_hash: str | None = None
    output_sha256: str | None = None
    manifest_label: str | None = None
    policy_rule: tuple[str, ...] | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditEntry:
    """A stored entry, as read back from the log."""

    seq: int
    time: str
    request_id: str
    subject: str | None
    roles: list[str]
    action: str
    engine: str | None
    model: str | None
    purpose: str | None
    decision: str
    code: str
    reason: str
    prompt_hash: str | None
    output_sha256: str | None
    manifest_label: str | None
    policy_rule: list[str] | None
    details: dict[str, Any]
    prev_hash: str
    hash: str

    def hashed_fields(self) -> dict[str, Any]:
        """Every field but ``hash``. Shallow: the lists and dicts are the entry's own."""
        return {name: getattr(self, name) for name in HASHED_FIELDS}


HASHED_FIELDS = tuple(f.name for f in fields(AuditEntry) if f.name != "hash")
"""The fields an entry's hash covers, in declaration order (the hash itself is the last)."""


def entry_hash(hashed_fields: dict[str, Any]) -> str:
    """SHA-256 (hex) over the RFC 8785 canonical JSON of an entry without its own hash.

    Raises:
        rfc8785.CanonicalizationError: a value has no canonical JSON form (NaN, an integer
            beyond ±(2**53 - 1), a type JSON does not have).
    """
    return hashlib.sha256(canonical.dumps(hashed_fields)).hexdigest()


def prompt_hash(prompt_fields: dict[str, str | None]) -> str:
    """SHA-256 (hex) over the canonical JSON of a request's text fields (prompt, …).

    Raises:
        rfc8785.CanonicalizationError: as ``entry_hash``.
    """
    return hashlib.sha256(canonical.dumps(prompt_fields)).hexdigest()


def to_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
