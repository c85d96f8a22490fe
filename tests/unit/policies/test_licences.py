from __future__ import annotations

from pathlib import Path

import pytest

from policies import (
    DEFAULT_POLICY_DIR,
    LicenceForbidsPurpose,
    LicenceRules,
    LicenceUnknown,
    PolicyUnavailable,
    Purpose,
    load_licence_book,
)

SHIPPED = DEFAULT_POLICY_DIR / "licences.yaml"


@pytest.mark.parametrize("purpose", list(Purpose))
def test_permissive_model_allows_every_purpose(purpose: Purpose) -> None:
    licence = LicenceRules(SHIPPED).check("consentgate/tiny-sd", purpose)
    assert licence.label == "Apache-2.0"


@pytest.mark.parametrize(
    ("purpose", "allowed"),
    [
        (Purpose.INTERNAL, True),
        (Purpose.RESEARCH, True),
        (Purpose.COMMERCIAL, False),
        (Purpose.MARKETING, False),
        (Purpose.TRAINING, False),
    ],
)
def test_non_commercial_model(purpose: Purpose, allowed: bool) -> None:
    rules = LicenceRules(SHIPPED)
    if allowed:
        assert not rules.check("stabilityai/sd-turbo", purpose).commercial_use
    else:
        with pytest.raises(LicenceForbidsPurpose, match=f"does not allow {purpose.value} use"):
            rules.check("stabilityai/sd-turbo", purpose)


def test_model_without_entry_is_unknown() -> None:
    with pytest.raises(LicenceUnknown, match="no licence entry"):
        LicenceRules(SHIPPED).check("acme/mystery", Purpose.INTERNAL)


def test_shipped_book_is_consistent() -> None:
    book = load_licence_book(SHIPPED)
    for licence in book.licences.values():
        if not licence.commercial_use:
            assert Purpose.COMMERCIAL not in licence.purposes


def test_non_commercial_licence_cannot_list_commercial_purpose(tmp_path: Path) -> None:
    path = tmp_path / "licences.yaml"
    path.write_text(
        "licences:\n  nc:\n    name: NC\n    commercial_use: false\n    purposes: [commercial]\n"
        "models:\n  m: nc\n"
    )
    with pytest.raises(PolicyUnavailable, match="forbids commercial use"):
        LicenceRules(path).check("m", Purpose.INTERNAL)


def test_model_pointing_at_undefined_licence_fails_closed(tmp_path: Path) -> None:
    path = tmp_path / "licences.yaml"
    path.write_text("licences: {}\nmodels:\n  m: nowhere\n")
    with pytest.raises(PolicyUnavailable, match="undefined licences"):
        LicenceRules(path).check("m", Purpose.INTERNAL)


def test_licences_reload(tmp_path: Path) -> None:
    path = tmp_path / "licences.yaml"
    path.write_text(SHIPPED.read_text())
    rules = LicenceRules(path)
    with pytest.raises(LicenceUnknown):
        rules.check("acme/new-model", Purpose.INTERNAL)
    path.write_text(SHIPPED.read_text() + "  acme/new-model: apache-2.0\n")
    assert rules.check("acme/new-model", Purpose.INTERNAL).label == "Apache-2.0"


@pytest.mark.parametrize(
    ("declared", "purpose", "allowed"),
    [
        ("own-recording", Purpose.COMMERCIAL, True),
        ("public-domain", Purpose.MARKETING, True),
        ("cc-by", Purpose.COMMERCIAL, True),
        ("cc-by-nc", Purpose.INTERNAL, True),
        ("cc-by-nc", Purpose.COMMERCIAL, False),
        ("cc-by-nc", Purpose.MARKETING, False),
        ("cc-by-sa", Purpose.MARKETING, False),
        ("cc-by-nd", Purpose.INTERNAL, False),
    ],
)
def test_input_licences(declared: str, purpose: Purpose, allowed: bool) -> None:
    from policies import InputLicenceForbidsPurpose

    rules = LicenceRules(SHIPPED)
    if allowed:
        assert rules.check_input(declared, purpose).id == declared
    else:
        with pytest.raises(InputLicenceForbidsPurpose):
            rules.check_input(declared, purpose)


def test_undeclared_and_unknown_input_licences() -> None:
    from policies import InputLicenceMissing, InputLicenceUnknown

    rules = LicenceRules(SHIPPED)
    with pytest.raises(InputLicenceMissing):
        rules.check_input(None, Purpose.INTERNAL)
    with pytest.raises(InputLicenceUnknown, match="unknown input licence"):
        rules.input_licence("borrowed", None)
    with pytest.raises(InputLicenceUnknown, match="needs a licence_id"):
        rules.input_licence("licensed", None)
    assert rules.input_licence("licensed", "AGR-1").requires_licence_id


def test_musicgen_small_is_non_commercial() -> None:
    rules = LicenceRules(SHIPPED)
    assert rules.check("facebook/musicgen-small", Purpose.INTERNAL).label == "CC-BY-NC-4.0"
    for purpose in (Purpose.COMMERCIAL, Purpose.MARKETING):
        with pytest.raises(LicenceForbidsPurpose):
            rules.check("facebook/musicgen-small", purpose)
