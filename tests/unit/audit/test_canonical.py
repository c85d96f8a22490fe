"""The fast canonical JSON writes the same bytes as the reference RFC 8785 implementation."""

from __future__ import annotations

import json
from collections import OrderedDict
from enum import StrEnum
from typing import Any

import pytest
import rfc8785
from hypothesis import example, given, settings
from hypothesis import strategies as st

from audit import canonical

# Every code point, lone surrogates and control characters included.
any_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=12)
# Mostly the characters where the encoders could differ: controls, escapes, astral, surrogates.
tricky_text = st.text(
    alphabet=st.sampled_from(
        list('"\\/\b\f\n\r\t\x00\x1f\x7f\u2028é\ue000\uffff\U0001f600\U00010000\ud800\udfffaZ0')
    ),
    max_size=6,
)
texts = any_text | tricky_text
integers = (
    st.integers()
    | st.integers(-(2**53) - 2, 2**53 + 2)
    | st.sampled_from([0, -1, 2**53 - 1, -(2**53 - 1), 2**53, -(2**53), 2**64])
)
floats = st.floats() | st.sampled_from(
    [0.0, -0.0, 1.0, 1e21, 1e20, 1e-7, 1e-6, 5e-324, 1.7976931348623157e308, 0.1, -2.5]
)
scalars = st.none() | st.booleans() | integers | floats | texts
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(texts, children, max_size=5)
    ),
    max_leaves=25,
)


def _outcome(dump: Any, value: Any) -> bytes | type[BaseException]:
    try:
        return dump(value)
    except (ValueError, UnicodeError, RecursionError) as exc:
        return type(exc)


@settings(max_examples=1500, deadline=None)
@given(values)
@example({"\U0001f600": 1, "\uffff": 2, "\ue000": 3, "a": 4})  # UTF-16 order, not code points
@example({"a": [1e21, 1e-7, -0.0, 1.0, 123456789012345680000.0]})
@example({"n": 2**53 - 1, "m": -(2**53 - 1)})
@example({"n": 2**53})
@example("\u2028\u2029\x7f\x00\x1f\ud800")
@example({"\ud800": 1})
@example([float("nan")])
@example({1: "not a string key"})
def test_byte_identical_to_rfc8785(value: Any) -> None:
    assert _outcome(canonical.dumps, value) == _outcome(rfc8785.dumps, value)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(any_text, st.none() | any_text, max_size=4))
def test_prompt_fields_round_trip_through_stored_json(fields: dict[str, str | None]) -> None:
    """What the log stores as text and reads back hashes as what it was given."""
    stored = json.dumps(fields, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    try:
        expected = rfc8785.dumps(fields)
    except ValueError:
        return  # lone surrogates: neither implementation writes them (nor can a database)
    assert canonical.dumps(json.loads(stored)) == expected


class Colour(StrEnum):
    RED = "red"


@pytest.mark.parametrize(
    "value",
    [
        {"kind": Colour.RED},  # a str subclass: the reference decides how it is written
        OrderedDict([("b", 1), ("a", 2)]),
        {"a": True, "b": False, "c": None, "d": []},
        [{"z": {"y": {"x": "deep"}}}],
    ],
)
def test_subclasses_and_nesting_match(value: Any) -> None:
    assert canonical.dumps(value) == rfc8785.dumps(value)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ({"n": 2**53}, rfc8785.IntegerDomainError),
        ([float("inf")], rfc8785.FloatDomainError),
        ({"s": "\udc00"}, rfc8785.CanonicalizationError),
        ({"x": object()}, rfc8785.CanonicalizationError),
    ],
)
def test_values_without_a_canonical_form_raise_the_reference_error(
    value: Any, error: type[Exception]
) -> None:
    with pytest.raises(error):
        canonical.dumps(value)
