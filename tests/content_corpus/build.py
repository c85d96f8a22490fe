"""Write corpus.jsonl from the bases files and techniques.py, and print counts.

Run from the repository root: ``.venv/bin/python -m tests.content_corpus.build``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from tests.content_corpus.bases import BASES, LANGUAGES, Base
from tests.content_corpus.blind2_bases import BLIND2_BASES
from tests.content_corpus.blind3_bases import BLIND3_BASES
from tests.content_corpus.blind4_bases import BLIND4_BASES
from tests.content_corpus.blind5_bases import BLIND5_BASES
from tests.content_corpus.blind_bases import BLIND_BASES
from tests.content_corpus.techniques import TECHNIQUES, variants

CORPUS_PATH = Path(__file__).with_name("corpus.jsonl")
SPLITS: tuple[str, ...] = ("tune", "holdout", "blind", "blind2", "blind3", "blind4", "blind5")
# The parallel tune/holdout bases, then the blind ones (slots "blind-..."), the blind2 ones
# (slots "blind2-..."), the blind3 ones (slots "blind3-..."), the blind4 ones (slots
# "blind4-...") and the blind5 ones (slots "blind5-..."): every base written.
ALL_BASES: tuple[Base, ...] = (
    *BASES,
    *BLIND_BASES,
    *BLIND2_BASES,
    *BLIND3_BASES,
    *BLIND4_BASES,
    *BLIND5_BASES,
)
ALL_BY_ID: dict[str, Base] = {base.id: base for base in ALL_BASES}
# Row order of the summary and the technique values a record can carry.
ALL_TECHNIQUES: tuple[str, ...] = ("plain", "paraphrase", *TECHNIQUES, "benign")
FIELDS: tuple[str, ...] = (
    "id",
    "base",
    "language",
    "label",
    "category",
    "technique",
    "split",
    "text",
)

Record = dict[str, str]


def _record(base: Base, record_id: str, technique: str, text: str) -> Record:
    # Variants inherit the base's split, so no rewrite of a held-out line is ever tuned on.
    values = {
        "id": record_id,
        "base": base.id,
        "language": base.language,
        "label": base.label,
        "category": base.category,
        "technique": technique,
        "split": base.split,
        "text": text,
    }
    return {field: values[field] for field in FIELDS}


def records() -> list[Record]:
    out: list[Record] = []
    for base in ALL_BASES:
        if base.kind == "sensitive":
            out.append(_record(base, f"{base.id}:plain", "plain", base.text))
            out += [_record(base, v.id, v.technique, v.text) for v in variants(base)]
        elif base.kind == "paraphrase":
            out.append(_record(base, f"{base.id}:paraphrase", "paraphrase", base.text))
        else:
            out.append(_record(base, f"{base.id}:benign", "benign", base.text))
    # Language order as listed, then id: stable, and keeps a language's lines together.
    out.sort(key=lambda r: (LANGUAGES.index(r["language"]), r["id"]))
    return out


def render(rows: list[Record] | None = None) -> str:
    rows = records() if rows is None else rows
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def summary(rows: list[Record]) -> str:
    """Counts by technique (rows) x language (columns), one count per split in each cell:
    "tune/holdout/blind/blind2/blind3/blind4/blind5"."""
    counts = Counter((r["technique"], r["language"], r["split"]) for r in rows)
    columns = (*LANGUAGES, "all")

    def cell(technique: str | None, language: str) -> str:
        def n(split: str) -> int:
            return sum(
                count
                for (t, lang, s), count in counts.items()
                if (technique is None or t == technique)
                and (language == "all" or lang == language)
                and s == split
            )

        return "/".join(str(n(split)) for split in SPLITS)

    width = max(len(t) for t in ALL_TECHNIQUES) + 2
    cell_width = 30
    lines = ["technique".ljust(width) + "".join(c.rjust(cell_width) for c in columns)]
    for technique in ALL_TECHNIQUES:
        lines.append(
            technique.ljust(width) + "".join(cell(technique, c).rjust(cell_width) for c in columns)
        )
    lines.append("total".ljust(width) + "".join(cell(None, c).rjust(cell_width) for c in columns))
    evasive = sum(1 for r in rows if r["technique"] not in ("plain", "paraphrase", "benign"))
    labels = Counter(r["label"] for r in rows)
    lines.append("")
    lines.append(
        "cells are tune/holdout/blind/blind2/blind3/blind4/blind5; '0/0/0/0/0/0/0' means the "
        "technique does not apply to that language"
    )
    lines.append(
        f"{len(rows)} records: {labels['block']} block, {labels['pass']} pass; "
        f"{evasive} evasive variants"
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    rows = records()
    CORPUS_PATH.write_text(render(rows), encoding="utf-8")
    # stdout rather than print(): the project's ruff config bans print (T20) outside the CLI.
    sys.stdout.write(f"wrote {CORPUS_PATH}\n\n{summary(rows)}")


if __name__ == "__main__":
    main()
