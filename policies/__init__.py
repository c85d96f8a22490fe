"""Rules as data (casbin model and policy, role mapping, licences) and the thin code that loads
them into decisions."""

from pathlib import Path

from policies.access import AccessGrant, AccessPolicy
from policies.content import ContentBlocked, ContentRules, ContentScreen, ScreenHit
from policies.errors import (
    InputLicenceForbidsPurpose,
    InputLicenceMissing,
    InputLicenceUnknown,
    LicenceForbidsPurpose,
    LicenceUnknown,
    PolicyError,
    PolicyUnavailable,
    RoleForbidden,
)
from policies.language import LanguageCheck, LanguageMismatch
from policies.licences import (
    InputLicence,
    Licence,
    LicenceBook,
    LicenceRules,
    Purpose,
    load_licence_book,
)
from policies.roles import RoleMap, RoleMapper, load_role_map
from policies.statements import Statement, StatementBook, StatementLanguageUnsupported

DEFAULT_POLICY_DIR = Path(__file__).parent

__all__ = [
    "DEFAULT_POLICY_DIR",
    "AccessGrant",
    "AccessPolicy",
    "ContentBlocked",
    "ContentRules",
    "ContentScreen",
    "InputLicence",
    "InputLicenceForbidsPurpose",
    "InputLicenceMissing",
    "InputLicenceUnknown",
    "LanguageCheck",
    "LanguageMismatch",
    "Licence",
    "LicenceBook",
    "LicenceForbidsPurpose",
    "LicenceRules",
    "LicenceUnknown",
    "PolicyError",
    "PolicyUnavailable",
    "Purpose",
    "RoleForbidden",
    "RoleMap",
    "RoleMapper",
    "ScreenHit",
    "Statement",
    "StatementBook",
    "StatementLanguageUnsupported",
    "load_licence_book",
    "load_role_map",
]
