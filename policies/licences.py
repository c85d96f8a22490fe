"""Model licences against the purpose a caller declares (licences.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import yaml

from policies.errors import (
    InputLicenceForbidsPurpose,
    InputLicenceMissing,
    InputLicenceUnknown,
    LicenceForbidsPurpose,
    LicenceUnknown,
)
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
class InputLicence:
    """A licence a caller may declare for an uploaded input."""

    id: str
    name: str
    spdx: str | None
    requires_licence_id: bool
    purposes: frozenset[Purpose]


@dataclass(frozen=True)
class LicenceBook:
    licences: dict[str, Licence]
    models: dict[str, str]
    inputs: dict[str, InputLicence]

    def input_licence(self, declared: str, licence_id: str | None) -> InputLicence:
        """Validate a declaration at upload.

        Raises:
            InputLicenceUnknown: not a licence this book lists, or ``licensed`` without an id.
        """
        licence = self.inputs.get(declared)
        if licence is None:
            known = ", ".join(sorted(self.inputs))
            raise InputLicenceUnknown(f"unknown input licence {declared!r} (known: {known})")
        if licence.requires_licence_id and not licence_id:
            raise InputLicenceUnknown(f"licence {declared!r} needs a licence_id")
        return licence

    def check_input(self, declared: str | None, purpose: Purpose) -> InputLicence:
        """May an input with this declared licence be used for ``purpose``?

        Raises:
            InputLicenceMissing: nothing was declared.
            InputLicenceForbidsPurpose: the licence does not allow ``purpose``.
            InputLicenceUnknown: the declared licence is no longer listed.
        """
        if not declared:
            raise InputLicenceMissing("the input declares no licence; upload it with one")
        licence = self.inputs.get(declared)
        if licence is None:
            raise InputLicenceUnknown(f"input licence {declared!r} is not listed")
        if purpose not in licence.purposes:
            raise InputLicenceForbidsPurpose(
                f"an input under {licence.name} may not be used for {purpose.value}",
                licence.spdx or licence.id,
                licence.purposes,
            )
        return licence

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
                f"(allowed: {allowed})",
                licence.label,
                licence.purposes,
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
    inputs = {
        str(iid): InputLicence(
            id=str(iid),
            name=str(raw["name"]),
            spdx=raw.get("spdx"),
            requires_licence_id=bool(raw.get("requires_licence_id", False)),
            purposes=frozenset(Purpose(p) for p in raw.get("purposes", [])),
        )
        for iid, raw in (data.get("inputs") or {}).items()
    }
    return LicenceBook(licences=licences, models=models, inputs=inputs)


class LicenceRules:
    """licences.yaml, reloaded when it changes."""

    def __init__(self, path: Path) -> None:
        self._rules = WatchedRules([path], lambda: load_licence_book(path), "licences.yaml")

    def book(self) -> LicenceBook:
        """The rules in force. Raises PolicyUnavailable if the file cannot be loaded."""
        return self._rules.current()

    def check(self, model_id: str, purpose: Purpose) -> Licence:
        """See LicenceBook.check; also raises PolicyUnavailable if the file cannot be loaded."""
        return self._rules.current().check(model_id, purpose)

    def input_licence(self, declared: str, licence_id: str | None) -> InputLicence:
        """See LicenceBook.input_licence; also raises PolicyUnavailable."""
        return self._rules.current().input_licence(declared, licence_id)

    def check_input(self, declared: str | None, purpose: Purpose) -> InputLicence:
        """See LicenceBook.check_input; also raises PolicyUnavailable."""
        return self._rules.current().check_input(declared, purpose)
