"""What a consent grants: who may use the voice, for which purposes and engines, until when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from consent.errors import ScopeInvalid

MAX_CONSENT_DAYS = 730  # a consent must be renewed at least every two years
MAX_SCOPE_ENTRIES = 100  # bounded so the signed record stays small


@dataclass(frozen=True)
class Requester:
    """Who asks to use a voice (the gateway builds it from the token)."""

    subject: str
    groups: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConsentScope:
    subjects: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    engines: tuple[str, ...] = ()  # voice-clone model ids
    expires_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    max_uses: int | None = None

    def validate(self, now: dt.datetime) -> None:
        """Raises ScopeInvalid for a scope that could not be honoured."""
        if self.expires_at.tzinfo is None:
            raise ScopeInvalid("expires_at must carry a time zone")
        if self.expires_at <= now:
            raise ScopeInvalid("expires_at must be in the future")
        if self.expires_at > now + dt.timedelta(days=MAX_CONSENT_DAYS):
            raise ScopeInvalid(f"a consent may last at most {MAX_CONSENT_DAYS} days")
        if not self.purposes:
            raise ScopeInvalid("a consent must name at least one purpose")
        if not self.engines:
            raise ScopeInvalid("a consent must name at least one engine")
        if self.max_uses is not None and self.max_uses < 1:
            raise ScopeInvalid("max_uses must be at least 1")
        for name in ("subjects", "groups", "roles", "purposes", "engines"):
            if len(getattr(self, name)) > MAX_SCOPE_ENTRIES:
                raise ScopeInvalid(f"at most {MAX_SCOPE_ENTRIES} {name}")

    def admits(self, requester: Requester, owner: str) -> bool:
        """The owner always may; others by subject, group or role."""
        return (
            requester.subject == owner
            or requester.subject in self.subjects
            or bool(set(requester.groups) & set(self.groups))
            or bool(set(requester.roles) & set(self.roles))
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "subjects": sorted(self.subjects),
            "groups": sorted(self.groups),
            "roles": sorted(self.roles),
            "purposes": sorted(self.purposes),
            "engines": sorted(self.engines),
            "expires_at": iso(self.expires_at),
            "max_uses": self.max_uses,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ConsentScope:
        return cls(
            subjects=tuple(data["subjects"]),
            groups=tuple(data["groups"]),
            roles=tuple(data["roles"]),
            purposes=tuple(data["purposes"]),
            engines=tuple(data["engines"]),
            expires_at=parse_iso(data["expires_at"]),
            max_uses=data["max_uses"],
        )


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_iso(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
