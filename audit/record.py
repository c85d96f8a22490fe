"""Audit values: what a caller hands in, what the log stores, and how an entry is hashed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

import rfc8785

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
        fields = asdict(self)
        del fields["hash"]
        return fields


def entry_hash(hashed_fields: dict[str, Any]) -> str:
    """SHA-256 (hex) over the RFC 8785 canonical JSON of an entry without its own hash."""
    return hashlib.sha256(rfc8785.dumps(hashed_fields)).hexdigest()


def prompt_hash(prompt_fields: dict[str, str | None]) -> str:
    """SHA-256 (hex) over the canonical JSON of a request's text fields (prompt, …)."""
    return hashlib.sha256(rfc8785.dumps(prompt_fields)).hexdigest()


def to_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
