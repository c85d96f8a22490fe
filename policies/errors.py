"""Errors of the policies package.

PolicyError
 ├── RoleForbidden          (role_forbidden)           no role of the caller may do this
 ├── LicenceUnknown         (licence_unknown)          the model has no licence entry
 ├── LicenceForbidsPurpose  (licence_forbids_purpose)  the licence does not allow the purpose
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


class LicenceForbidsPurpose(PolicyError):
    code = "licence_forbids_purpose"


class PolicyUnavailable(PolicyError):
    code = "policy_unavailable"
