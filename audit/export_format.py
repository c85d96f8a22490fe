"""How an exported entry is written as a JSON Lines record or a CSV row, and read back.

Both formats carry the same columns, in ``COLUMNS`` order: every hashed field of the entry, its
``hash``, and the kept ``prompt`` (outside the hash; null once redacted). So each row can be
checked on its own: ``hash`` = SHA-256 of the RFC 8785 JSON of the row without ``hash`` and
``prompt``.

JSON Lines: one JSON object per line, ASCII only (every other character as a ``\\uXXXX``
escape), ended by ``\\n``. ASCII keeps a line a line: a prompt holding U+2028, U+0085 or a lone
CR would otherwise split it for a reader that splits on every Unicode line break.

CSV (RFC 4180, UTF-8, ``\\r\\n`` between records, quotes only where needed): a header of the
column names, then one record per entry. ``seq`` is a decimal integer, the JSON columns
(``JSON_COLUMNS``) hold compact JSON text, the rest plain text. To keep spreadsheets from
running a cell as a formula, and to tell null from the empty string, every cell is written so:

- null is an empty cell;
- a value that is empty, or starts with a character in ``NEUTRALISED``, is written with one
  apostrophe (``'``) in front (``=1+1`` becomes ``'=1+1``, ``''`` becomes ``'``);
- any other value is written as it is.

Reading reverses it: an empty cell is null, a cell starting with ``'`` loses that one
character, any other cell is the value. A cell that starts with a character in
``NEUTRALISED`` is never written, so reading one is refused.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from audit.errors import ExportInvalid
from audit.record import HASHED_FIELDS, AuditEntry

COLUMNS = (*HASHED_FIELDS, "hash", "prompt")
"""The columns of an export, in order: the CSV header, the keys of a JSON Lines record."""

JSON_COLUMNS = frozenset({"roles", "policy_rule", "details", "prompt"})
"""Columns whose CSV cell holds JSON text (the rest hold text, and ``seq`` an integer)."""

NEUTRALISED = frozenset("=+-@\t\r\n|%'\uff1d\uff0b\uff0d\uff20")
"""First characters a CSV cell never starts with: those a spreadsheet may read as a formula
(= + - @, tab, CR, LF; | and % for older ones; the full-width = + - @ some versions convert),
and the apostrophe itself, so that a value starting with one reads back unchanged."""

ESCAPE = "'"

FORMATS = ("jsonl", "csv")
MEDIA_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}

CSV_LINE_END = "\r\n"  # RFC 4180


def row_values(entry: AuditEntry, prompt: dict[str, str | None] | None) -> dict[str, Any]:
    """The exported columns of ``entry``, in ``COLUMNS`` order."""
    values = entry.hashed_fields()
    values["hash"] = entry.hash
    values["prompt"] = prompt
    return values


def jsonl_line(values: dict[str, Any]) -> bytes:
    """One JSON Lines record: ASCII JSON and ``\\n``."""
    return (json.dumps(values, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii")


class CsvRows:
    """Writes CSV records to bytes, one call per batch, so a stream never holds the whole file."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator=CSV_LINE_END)

    def header(self) -> bytes:
        return self._take([list(COLUMNS)])

    def rows(self, rows: list[dict[str, Any]]) -> bytes:
        return self._take([[_cell(name, values[name]) for name in COLUMNS] for values in rows])

    def _take(self, records: list[list[str]]) -> bytes:
        self._writer.writerows(records)
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return text.encode("utf-8")


def _cell(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name == "seq":
        text = str(int(value))
    elif name in JSON_COLUMNS:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    else:
        text = str(value)
    return ESCAPE + text if not text or text[0] in NEUTRALISED else text


def read_jsonl_rows(data: bytes) -> Iterator[dict[str, Any]]:
    """The records of a JSON Lines export's rows part (no digest record).

    Raises:
        ExportInvalid: a line is not a JSON object with exactly ``COLUMNS`` (a truncated or
            edited file).
    """
    if data and not data.endswith(b"\n"):
        raise ExportInvalid("the last row has no line end: the file was truncated")
    for number, line in enumerate(data.split(b"\n")[:-1], 1):
        try:
            values = json.loads(line)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise ExportInvalid(f"row {number} is not a JSON record ({exc})") from exc
        if not isinstance(values, dict) or set(values) != set(COLUMNS):
            raise ExportInvalid(f"row {number} does not hold the export's columns")
        yield values


def read_csv_rows(data: bytes) -> Iterator[dict[str, Any]]:
    """The records of a CSV export, header checked, cells decoded as the module doc says.

    Raises:
        ExportInvalid: not UTF-8, not CSV, another header, a record of another width, a cell
            not written by an export (a formula without its apostrophe, a bad integer or JSON).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExportInvalid(f"the CSV is not UTF-8 ({exc})") from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header != list(COLUMNS):
            raise ExportInvalid("the CSV header is not the export's: " + ",".join(COLUMNS))
        for number, record in enumerate(reader, 1):
            if len(record) != len(COLUMNS):
                raise ExportInvalid(f"row {number} has {len(record)} cells, not {len(COLUMNS)}")
            cells = zip(COLUMNS, record, strict=True)
            yield {name: _read_cell(number, name, cell) for name, cell in cells}
    except csv.Error as exc:
        raise ExportInvalid(f"the CSV does not parse ({exc}): truncated or edited") from exc


def _read_cell(number: int, name: str, cell: str) -> Any:
    if cell == "":
        return None
    if cell[0] in NEUTRALISED and cell[0] != ESCAPE:
        raise ExportInvalid(
            f"row {number}, {name}: a cell starting with {cell[0]!r} has no apostrophe in "
            "front: the export did not write it"
        )
    text = cell[1:] if cell[0] == ESCAPE else cell
    if name == "seq":
        if not text.isascii() or not text.isdigit():
            raise ExportInvalid(f"row {number}: seq {text!r} is not an integer")
        return int(text)
    if name in JSON_COLUMNS:
        try:
            return json.loads(text)
        except (ValueError, RecursionError) as exc:  # nested past the stack: not ours
            raise ExportInvalid(f"row {number}, {name}: not JSON ({exc})") from exc
    return text
