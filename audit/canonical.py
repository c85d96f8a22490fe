"""RFC 8785 (JCS) canonical JSON, fast for the values the audit log stores.

For strings, booleans, None, integers within ±(2**53 - 1), lists and dicts whose keys all lie
in the Basic Multilingual Plane, the C JSON encoder (sorted keys, no whitespace, non-ASCII kept)
writes exactly the bytes RFC 8785 asks for: it escapes the same characters the same way, and for
BMP strings code-point order is UTF-16 code-unit order. Everything else goes to the reference
implementation (``rfc8785``), so the bytes, and the errors, are the same either way:

- floats: ES6 number formatting differs from Python's ``repr`` (``1e+21``, ``1e-7``, ``1``);
- integers beyond ±(2**53 - 1): RFC 8785 refuses them;
- keys beyond U+FFFF: RFC 8785 sorts by UTF-16 code units, where they come before U+E000;
- lone surrogates, subclasses of str/int/dict/list, and any other type.
"""

from __future__ import annotations

import json
import re
from typing import Any

import rfc8785

SAFE_INTEGER = 2**53 - 1  # the largest integer an IEEE double holds exactly; RFC 8785's bound

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

# One encoder, built once: json.dumps with keyword arguments builds a new one on every call.
_ENCODER = json.JSONEncoder(
    ensure_ascii=False,
    check_circular=False,  # rfc8785 does not check either: both end in RecursionError
    allow_nan=False,
    sort_keys=True,
    separators=(",", ":"),
)


def dumps(value: Any) -> bytes:
    """The RFC 8785 canonical JSON of ``value``, as UTF-8 bytes.

    Raises:
        rfc8785.CanonicalizationError: ``value`` has no canonical form (a float that is NaN or
            infinite, an integer beyond ±(2**53 - 1), a non-string key, a lone surrogate, an
            unsupported type).
    """
    return dumps_plain(value) if _plain(value) else rfc8785.dumps(value)


def dumps_plain(value: Any) -> bytes:
    """``dumps`` for a value the caller has already found plain, without looking again.

    Plain: built only of str, bool, None, int within ±``SAFE_INTEGER``, list, tuple and dict
    with str keys no higher than U+FFFF (exact types, no subclasses).

    Raises:
        rfc8785.CanonicalizationError: a string holds a lone surrogate.
    """
    try:
        return _ENCODER.encode(value).encode("utf-8")
    except UnicodeEncodeError:
        return rfc8785.dumps(value)


def _plain(value: Any) -> bool:
    """True when the C encoder writes ``value`` byte for byte as RFC 8785 does."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return -SAFE_INTEGER <= value <= SAFE_INTEGER
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or (not key.isascii() and _ASTRAL.search(key)):
                return False
            if type(item) is not str and item is not None and not _plain(item):
                return False
        return True
    if kind is list or kind is tuple:
        # A loop rather than all(...): no generator to resume per item, a third faster.
        for item in value:  # noqa: SIM110
            if type(item) is not str and not _plain(item):
                return False
        return True
    return False
