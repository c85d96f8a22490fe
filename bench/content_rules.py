"""How well the content rules hold: catch rate per technique and language, false blocks.

Runs the shipped rules (``policies/content_rules.yaml``, rules alone unless ``--classifier``
names a model directory or hub id) over the corpus in ``tests/content_corpus/corpus.jsonl``:
evasive variants of sensitive instructions (zero-width characters, homoglyphs, full-width
forms, spaced and punctuated letters, leetspeak, spelled-out numbers, mixed Chinese scripts,
Vietnamese without diacritics, combinations, paraphrases) and benign sentences that mention
passwords, payments and approvals without asking for them. The corpus is split by base
line into tune, holdout and blind to blind5; each split was looked at once before the rules
changed on its misses, so only the last one (blind5) is unseen (docs/content-rules.md).

    .venv/bin/python bench/content_rules.py [--split SPLIT|all] [--classifier DIR] [--misses]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policies import DEFAULT_POLICY_DIR, ContentBlocked, ContentRules  # noqa: E402

CORPUS = ROOT / "tests/content_corpus/corpus.jsonl"
NOT_EVASIONS = ("plain", "paraphrase", "benign")


def _rows() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]


def _splits(rows: list[dict]) -> list[str]:
    """The corpus's splits in the order they were written (tune first, the newest last)."""
    return list(dict.fromkeys(row["split"] for row in sorted(rows, key=_split_order)))


def _split_order(row: dict) -> tuple[int, str]:
    name = row["split"]
    known = {"tune": 0, "holdout": 1}
    return (known.get(name, 2), name)


def _screens(classifier: str | None) -> tuple:
    if not classifier:
        return ()
    from engines import ModelLoader
    from gateway.content_screens import ClassifierScreen

    return (ClassifierScreen(classifier, ModelLoader(hub_downloads=False), 0.5),)


def _blocked(rules: ContentRules, screens: tuple, row: dict) -> bool:
    try:
        rules.check(row["text"], own_voice=False, language=row["language"], screens=screens)
    except ContentBlocked:
        return True
    return False


def _table(title: str, rows: list[tuple[str, ...]]) -> None:
    print(f"\n{title}")
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if n == 0:
            print("  ".join("-" * width for width in widths))


def _rate(hits: int, total: int) -> str:
    return f"{hits}/{total} {100 * hits / total:.1f}%" if total else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpus = _rows()
    names = _splits(corpus)
    parser.add_argument("--split", choices=[*names, "all"], default="all")
    parser.add_argument("--classifier", help="a text classifier directory or hub id")
    parser.add_argument("--misses", action="store_true", help="print what got through")
    args = parser.parse_args()

    rules = ContentRules(DEFAULT_POLICY_DIR / "content_rules.yaml")
    screens = _screens(args.classifier)
    splits = names if args.split == "all" else [args.split]
    for split in splits:
        rows = [row for row in corpus if row["split"] == split]
        caught: dict[tuple[str, str], list[bool]] = defaultdict(list)
        times = []
        misses = []
        for row in rows:
            start = time.perf_counter()
            blocked = _blocked(rules, screens, row)
            times.append(time.perf_counter() - start)
            caught[(row["technique"], row["language"])].append(blocked)
            wrong = blocked != (row["label"] == "block")
            if wrong:
                misses.append(row)
        languages = sorted({row["language"] for row in rows})
        techniques = sorted({t for t, _ in caught if t != "benign"})
        header = ("technique", *languages, "all")
        table = [header]
        for technique in techniques:
            cells = []
            for language in languages:
                got = caught.get((technique, language), [])
                cells.append(_rate(sum(got), len(got)))
            every = [b for (t, _), got in caught.items() if t == technique for b in got]
            table.append((technique, *cells, _rate(sum(every), len(every))))
        benign = [(lang, caught.get(("benign", lang), [])) for lang in languages]
        every_benign = [b for _, got in benign for b in got]
        table.append(
            ("benign blocked", *(_rate(sum(g), len(g)) for _, g in benign),
             _rate(sum(every_benign), len(every_benign)))
        )  # fmt: skip
        screen_name = "rules" + (f" + {screens[0].name}" if screens else " alone")
        _table(f"split {split} ({screen_name}): share blocked", table)
        evasions = [b for (t, _), got in caught.items() if t not in NOT_EVASIONS for b in got]
        print(
            f"\nnon-paraphrase evasions caught: {_rate(sum(evasions), len(evasions))}; "
            f"benign blocked: {_rate(sum(every_benign), len(every_benign))}; "
            f"check p50 {statistics.median(times) * 1000:.2f} ms, "
            f"max {max(times) * 1000:.2f} ms"
        )
        if args.misses:
            for row in misses:
                verdict = "passed" if row["label"] == "block" else "BLOCKED"
                print(f"  {verdict:8} {row['language']:8} {row['technique']:18} {row['text']}")


if __name__ == "__main__":
    main()
