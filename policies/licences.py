"""Model licences against the purpose a caller declares (licences.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import yaml

from policies.errors import LicenceForbidsPurpose, LicenceUnknown
from policies.watched import WatchedRules


class Purpose(StrEnum):
    INTERNAL = "internal"
    TRAINING = "training"
    MARKETING = "marketing"
    COMMERCIAL = "commercial"
    RESEARCH = "research"


@dataclass(frozen=True)
class Licence:
    id: str
    name: str
    url: str | None
    spdx: str | None
    commercial_use: bool
    purposes: frozenset[Purpose]

    @property
    def label(self) -> str:
        return self.spdx or self.id


@dataclass(frozen=True)
class LicenceBook:
    licences: dict[str, Licence]
    models: dict[str, str]

    def check(self, model_id: str, purpose: Purpose) -> Licence:
        """The model's licence, if it allows ``purpose``.

        Raises:
            LicenceUnknown: the model has no licence entry.
            LicenceForbidsPurpose: its licence does not allow ``purpose``.
        """
        licence_id = self.models.get(model_id)
        if licence_id is None:
            raise LicenceUnknown(f"model {model_id!r} has no licence entry")
        licence = self.licences[licence_id]
        if purpose not in licence.purposes:
            allowed = ", ".join(sorted(licence.purposes))
            raise LicenceForbidsPurpose(
                f"{licence.name} does not allow {purpose.value} use of {model_id} "
                f"(allowed: {allowed})"
            )
        return licence


def _parse_licence(licence_id: str, raw: dict) -> Licence:
    purposes = frozenset(Purpose(p) for p in raw.get("purposes", []))
    commercial = bool(raw["commercial_use"])
    if not commercial and purposes & {Purpose.COMMERCIAL, Purpose.MARKETING}:
        raise ValueError(f"licence {licence_id} forbids commercial use but allows it as a purpose")
    return Licence(
        id=licence_id,
        name=str(raw["name"]),
        url=raw.get("url"),
        spdx=raw.get("spdx"),
        commercial_use=commercial,
        purposes=purposes,
    )


def load_licence_book(path: Path) -> LicenceBook:
    """Parse licences.yaml. Raises ValueError/KeyError on a malformed file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    licences = {
        str(lid): _parse_licence(str(lid), raw) for lid, raw in (data.get("licences") or {}).items()
    }
    models = {str(m): str(lid) for m, lid in (data.get("models") or {}).items()}
    missing = {lid for lid in models.values() if lid not in licences}
    if missing:
        raise ValueError(f"models refer to undefined licences: {sorted(missing)}")
    return LicenceBook(licences=licences, models=models)


class LicenceRules:
    """licences.yaml, reloaded when it changes."""

    def __init__(self, path: Path) -> None:
        self._rules = WatchedRules([path], lambda: load_licence_book(path), "licences.yaml")

    def check(self, model_id: str, purpose: Purpose) -> Licence:
        """See LicenceBook.check; also raises PolicyUnavailable if the file cannot be loaded."""
        return self._rules.current().check(model_id, purpose)
