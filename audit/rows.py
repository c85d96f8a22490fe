"""How an entry is stored: the columns of ``audit_entries`` and the conversions to and from them.

Three of the columns hold JSON text (``roles``, ``policy_rule``, ``details``); the hash covers the
values that text decodes to, not the text itself.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from audit.record import HASHED_FIELDS, AuditEntry, to_json

if TYPE_CHECKING:
    from audit.tables import AuditEntryRow

ENTRY_COLUMNS = (*HASHED_FIELDS, "hash")
"""An entry's columns, hashed ones first: ``SELECT`` them in this order for ``stored_fields``."""


def stored_fields(row: Sequence[Any]) -> dict[str, Any]:
    """The hashed fields of a row read in ``ENTRY_COLUMNS`` order (the hash itself is ignored).

    Raises:
        ValueError: a JSON column does not hold JSON.
        TypeError: a JSON column holds no text.
    """
    fields = dict(zip(HASHED_FIELDS, row, strict=False))
    fields["roles"] = json.loads(fields["roles"])
    rule = fields["policy_rule"]
    fields["policy_rule"] = None if rule is None else json.loads(rule)
    fields["details"] = json.loads(fields["details"])
    return fields


def row_to_entry(row: AuditEntryRow) -> AuditEntry:
    """The entry an ORM row holds. Raises ValueError or TypeError as ``stored_fields``."""
    return AuditEntry(
        **stored_fields([getattr(row, name) for name in HASHED_FIELDS]), hash=row.hash
    )


def entry_values(entry: AuditEntry) -> dict[str, Any]:
    """Column values for inserting ``entry``."""
    values = entry.hashed_fields()
    values["roles"] = to_json(entry.roles)
    values["policy_rule"] = None if entry.policy_rule is None else to_json(entry.policy_rule)
    values["details"] = to_json(entry.details)
    values["hash"] = entry.hash
    return values
