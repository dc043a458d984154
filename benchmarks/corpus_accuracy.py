"""Parser accuracy against hand-read real reports (../shared/corpus/real).

    python -m benchmarks.corpus_accuracy [CORPUS_DIR] [--verbose]

For every NNN.gold.json, parses NNN.txt/.html with the same code `ogi ingest`
uses and compares each gold cell (canonical code -> value, null = blank) with
the parsed fact. Prints per-report and overall percentages; exit status 0.
2019-format cells that the gold file keeps apart (`*_2019` keys) are scored in
a second line, after translating their names to the warehouse's 2019 codes.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path

from pipeline.parse import parse_bytes

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real"

# gold's names for 2019 cells -> the spec's 2019 codes
_2019_ROWS = {"other_external_mgmt_services": "other_admin_services"}
_2019_COLS = {
    "new_made_2019": "made",
    "new_published_2019": "published",
    "total_published_2019": "published_total",
    "prev_year_items_2019": "prior_year_items",
    "change_2019": "change",
    "decisions_2019": "decisions",
    "items_2019": "items",
    "amount_2019": "amount_10k_yuan",
}


def _gold_value(v):
    # Exact, as ogi stores values: Decimal('21.2') is not the float 21.2.
    if isinstance(v, str):
        return Decimal(v.replace("+", ""))
    return None if v is None else Decimal(str(v))


def score(corpus: Path, verbose: bool = False) -> tuple[int, int, int, int]:
    hit = total = hit19 = total19 = 0
    for gold_path in sorted(corpus.glob("*.gold.json")):
        stem = gold_path.name.split(".")[0]
        src = next((p for p in corpus.glob(stem + ".*") if p.suffix in (".txt", ".html", ".htm")), None)
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        cells = {k: _gold_value(v) for k, v in gold.get("facts", {}).items()}
        extra = {}
        for k, v in gold.get("extra_facts_not_in_canonical_codes", {}).items():
            t, r, c = k.split(".")
            extra[f"{t}.{_2019_ROWS.get(r, r)}.{_2019_COLS.get(c, c)}"] = _gold_value(v)
        parsed = parse_bytes(src.read_bytes(), str(src)) if src else None
        got = {}
        if parsed is not None and parsed.facts is not None:
            got = {f"{f.table_code}.{f.row_code}.{f.col_code}": f.value for f in parsed.facts}
        misses = [k for k, v in cells.items() if k not in got or got[k] != v]
        misses19 = [k for k, v in extra.items() if k not in got or got[k] != v]
        hit += len(cells) - len(misses)
        total += len(cells)
        hit19 += len(extra) - len(misses19)
        total19 += len(extra)
        status = parsed.error if parsed is not None and parsed.error else "ok"
        print(f"{stem}: {len(cells) - len(misses)}/{len(cells)} cells"
              + (f", 2019 cells {len(extra) - len(misses19)}/{len(extra)}" if extra else "")
              + f" [{status}]")
        if verbose:
            for k in misses + misses19:
                print(f"    miss {k}: gold {cells.get(k, extra.get(k))!r}, parsed {got.get(k, 'absent')!r}")
    return hit, total, hit19, total19


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus folder not found: {args.corpus}", file=sys.stderr)
        return 2
    hit, total, hit19, total19 = score(args.corpus, args.verbose)
    print(f"canonical cells matched: {hit}/{total} = {100 * hit / max(1, total):.2f}%")
    if total19:
        print(f"2019-format cells matched: {hit19}/{total19} = {100 * hit19 / total19:.2f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
