"""Errors of the policies package.

PolicyError
 ├── RoleForbidden          (role_forbidden)           no role of the caller may do this
 ├── LicenceUnknown         (licence_unknown)          the model has no licence entry
 ├── LicenceForbidsPurpose  (licence_forbids_purpose)  the licence does not allow the purpose
 ├── InputLicenceMissing    (input_licence_missing)    an input used without a declared licence
 ├── InputLicenceUnknown    (input_licence_unknown)    a declared licence this gateway does not know
 ├── InputLicenceForbidsPurpose (input_licence_forbids_purpose)
 └── PolicyUnavailable      (policy_unavailable)       rules could not be loaded; fail closed
"""

from __future__ import annotations


class PolicyError(Exception):
    code = "policy_error"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RoleForbidden(PolicyError):
    code = "role_forbidden"


class LicenceUnknown(PolicyError):
    code = "licence_unknown"


class LicenceRefusal(PolicyError):
    """A licence said no: the entry names the licence checked and what it allows."""

    def __init__(self, reason: str, licence: str, allowed: frozenset[str]) -> None:
        super().__init__(reason)
        self.audit_details = {
            "licence": licence,
            "licence_allows": sorted(getattr(p, "value", p) for p in allowed),
        }


class LicenceForbidsPurpose(LicenceRefusal):
    code = "licence_forbids_purpose"


class InputLicenceMissing(PolicyError):
    code = "input_licence_missing"


class InputLicenceUnknown(PolicyError):
    code = "input_licence_unknown"


class InputLicenceForbidsPurpose(LicenceRefusal):
    code = "input_licence_forbids_purpose"


class PolicyUnavailable(PolicyError):
    code = "policy_unavailable"
