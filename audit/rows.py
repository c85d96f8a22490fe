"""How an entry is stored: the columns of ``audit_entries`` and the conversions to and from them.

Three of the columns hold JSON text (``roles``, ``policy_rule``, ``details``); the hash covers the
values that text decodes to, not the text itself.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from json.scanner import make_scanner
from typing import TYPE_CHECKING, Any

from audit import canonical
from audit.record import HASHED_FIELDS, AuditEntry, to_json
from audit.tables import LINK_COLUMNS

if TYPE_CHECKING:
    from audit.tables import AuditEntryRow

ENTRY_COLUMNS = (*HASHED_FIELDS, "hash")
"""An entry's columns, hashed ones first: ``SELECT`` them in this order for ``stored_fields``."""

_JSON_COLUMNS = tuple(HASHED_FIELDS.index(name) for name in ("roles", "policy_rule", "details"))
_SEQ = HASHED_FIELDS.index("seq")
_TEXT_TYPES = frozenset({str, type(None)})
# 16 digits in a row may be an integer beyond ±(2**53 - 1), which RFC 8785 refuses.
_LONG_DIGITS = re.compile(r"\d{16}")


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


def stored_hash(row: Sequence[Any]) -> str:
    """``entry_hash(stored_fields(row))``, about twice as fast for the rows the log writes.

    Raises:
        ValueError, TypeError: as ``stored_fields`` and ``entry_hash``.
    """
    try:
        data = canonical.dumps_plain(_plain_fields(row))
    except _NotPlain:
        data = canonical.dumps(stored_fields(row))
    return hashlib.sha256(data).hexdigest()


class _NotPlain(Exception):
    """The row needs the full path: decoding and canonical JSON that check every value."""


def _refuse(_text: str) -> Any:
    raise _NotPlain


# Floats, NaN and infinities are the JSON numbers the C encoder writes differently.
_PLAIN_DECODER = json.JSONDecoder(parse_float=_refuse, parse_constant=_refuse)
# The decoder's own scanner, without json.loads's whitespace handling around it.
_scan_plain: Callable[[str, int], tuple[Any, int]] = make_scanner(_PLAIN_DECODER)  # type: ignore[arg-type]


def _plain_fields(row: Sequence[Any]) -> dict[str, Any]:
    """``stored_fields(row)`` when every value in it is plain (see ``canonical.dumps_plain``).

    Raises:
        _NotPlain: the row may hold something else (or no JSON): take the full path.
    """
    seq = row[_SEQ]
    if type(seq) is not int or not -canonical.SAFE_INTEGER <= seq <= canonical.SAFE_INTEGER:
        raise _NotPlain
    if not _TEXT_TYPES.issuperset(map(type, row[_SEQ + 1 : len(HASHED_FIELDS)])):
        raise _NotPlain
    fields = dict(zip(HASHED_FIELDS, row, strict=False))
    for index in _JSON_COLUMNS:
        text = row[index]
        if text is not None:
            fields[HASHED_FIELDS[index]] = _decode_plain(text)
    return fields


def _decode_plain(text: str) -> Any:
    # Non-ASCII or escaped text may hide a key beyond U+FFFF, whose order differs in RFC 8785.
    if not text.isascii() or "\\u" in text or _LONG_DIGITS.search(text):
        raise _NotPlain
    try:
        value, end = _scan_plain(text, 0)
    except (StopIteration, ValueError) as exc:
        raise _NotPlain from exc  # not JSON, or JSON with whitespace around it
    if end != len(text):
        raise _NotPlain
    return value


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
    for name in LINK_COLUMNS:  # searchable copies, outside the hash
        link = entry.details.get(name)
        values[name] = link if isinstance(link, str) else None
    return values


def role_values(entry: AuditEntry) -> list[dict[str, Any]]:
    """Rows of ``audit_entry_roles`` for ``entry``: one per distinct role."""
    return [{"role": role, "seq": entry.seq} for role in dict.fromkeys(entry.roles)]


def prompt_values(seq: int, prompt_fields: dict[str, str | None]) -> dict[str, Any]:
    """The ``audit_prompts`` row: the fields as JSON, and their text for the text search."""
    text = searchable("\n".join(value for _, value in sorted(prompt_fields.items()) if value))
    return {"seq": seq, "fields": to_json(prompt_fields), "search_text": text or None}


def searchable(text: str) -> str:
    """How prompts are indexed and search terms read: NFKC (full-width and compatibility
    forms), case-folded (SQLite's LIKE folds ASCII only; ``straße`` is ``STRASSE``), without
    format characters (zero-width spaces and joiners, soft hyphens…) and NUL (which PostgreSQL
    text cannot hold), so a prompt written ``p\u200bass`` or ``ｐａｓｓ`` is found by ``pass``."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if ch != "\x00" and unicodedata.category(ch) != "Cf")
