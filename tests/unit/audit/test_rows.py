"""The fast hash of a stored row is the hash of the fields it holds, whatever the row holds."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from audit.record import entry_hash
from audit.rows import ENTRY_COLUMNS, stored_fields, stored_hash
from tests.unit.audit.test_canonical import texts, values


@st.composite
def json_texts(draw: st.DrawFn) -> str:
    """JSON as the log writes it, as someone else might, or not JSON at all."""
    value = draw(values)
    style = draw(st.sampled_from(["log", "ascii", "spaced", "unsorted", "garbage"]))
    if style == "garbage":
        return draw(texts)
    try:
        return json.dumps(
            value,
            ensure_ascii=style == "ascii",
            sort_keys=style != "unsorted",
            separators=(", ", ": ") if style == "spaced" else (",", ":"),
        )
    except (TypeError, ValueError):
        return draw(texts)


column_values = st.none() | texts | st.integers() | st.floats() | st.binary(max_size=4)
json_column = json_texts() | st.none() | st.integers()


@st.composite
def rows(draw: st.DrawFn) -> tuple[Any, ...]:
    row = {name: draw(column_values) for name in ENTRY_COLUMNS}
    row["seq"] = draw(st.integers() | st.integers(1, 10**6) | texts)
    for name in ("roles", "policy_rule", "details"):
        row[name] = draw(json_column)
    return tuple(row[name] for name in ENTRY_COLUMNS)


def _outcome(row: tuple[Any, ...], hasher: Any) -> str | type[BaseException]:
    try:
        return hasher(row)
    except (ValueError, TypeError, RecursionError) as exc:
        return type(exc)


def _reference(row: tuple[Any, ...]) -> str:
    return entry_hash(stored_fields(row))


def _row(**overrides: Any) -> tuple[Any, ...]:
    row = {name: "x" for name in ENTRY_COLUMNS}
    row.update({"seq": 1, "roles": '["employee"]', "policy_rule": None, "details": "{}"})
    row.update(overrides)
    return tuple(row[name] for name in ENTRY_COLUMNS)


@settings(max_examples=1000, deadline=None)
@given(rows())
@example(_row(details='{"n":1e21}'))
@example(_row(details='{"n":9007199254740993}'))
@example(_row(details='{"\\ud83d\\ude00":1,"\\uffff":2}'))
@example(_row(details='{"😀":1,"\uffff":2}'))
@example(_row(details=' {"a":1}'))
@example(_row(details='{"a":1} x'))
@example(_row(details='{"a":NaN}'))
@example(_row(seq=2**53))
@example(_row(reason=3.5))
def test_fast_row_hash_matches_the_reference(row: tuple[Any, ...]) -> None:
    assert _outcome(row, stored_hash) == _outcome(row, _reference)
