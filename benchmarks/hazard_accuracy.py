"""Cells right / wrong / missing per document-hazard class, on fixtures built from the seeds.

    python -m benchmarks.hazard_accuracy                 # every class
    python -m benchmarks.hazard_accuracy pdf-borderless  # some classes
    python -m benchmarks.hazard_accuracy -v              # also list every wrong/missing cell

A hazard class is a kind of real-world document damage (a PDF row cut by a page
break, a table with no ruling lines, ...). Each class is one entry of HAZARDS: a
function that builds fixtures — (name, filename, bytes, expected cells) — from the
seeds in data/raw, the expected cells being the seed's own values as its TXT
parses. Scoring parses each fixture with the same code `ogi ingest` uses:

- right:   the cell was loaded with the expected value;
- wrong:   a cell was loaded with another value, or a cell the seed does not have
           was loaded (the worst defect: an analyst would sum it);
- missing: an expected cell was not loaded (honest, when it comes with a warning).

To add classes: a module benchmarks/hazards_<topic>.py whose functions return
fixtures, each registered with ``@hazard("name")`` (or ``HAZARDS["name"] = fn``);
every hazards_*.py module is imported by main(), so nothing here needs an edit.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import NamedTuple

from pipeline.parse import parse_bytes

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "raw"

Cell = tuple[str, str, str]  # (table_code, row_code, col_code)


class Fixture(NamedTuple):
    name: str
    filename: str
    data: bytes
    expected: dict[Cell, float | None]


HAZARDS: dict[str, Callable[[], Iterable[Fixture]]] = {}


def hazard(name: str) -> Callable:
    def register(fn: Callable[[], Iterable[Fixture]]) -> Callable[[], Iterable[Fixture]]:
        HAZARDS[name] = fn
        return fn

    return register


def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@cache
def seed_cells(seed: Path) -> dict[Cell, float | None]:
    """The seed's own cells, as its TXT parses (the reference every fixture is scored against)."""
    report = parse_bytes(seed.read_bytes(), str(seed))
    if not report.ok:
        raise RuntimeError(f"{seed}: {report.error}")
    return {(f.table_code, f.row_code, f.col_code): f.value for f in report.facts}


class Score(NamedTuple):
    right: int
    wrong: int
    missing: int
    wrong_cells: list[str]
    missing_cells: list[str]


def score(fixture: Fixture) -> Score:
    report = parse_bytes(fixture.data, fixture.filename)
    got = {} if not report.ok else {(f.table_code, f.row_code, f.col_code): f.value for f in report.facts}
    right = wrong = missing = 0
    wrong_cells, missing_cells = [], []
    for key, want in fixture.expected.items():
        if key not in got:
            missing += 1
            missing_cells.append(".".join(key) + (f" [{report.error}]" if report.error else ""))
        elif got[key] == want:
            right += 1
        else:
            wrong += 1
            wrong_cells.append(f"{'.'.join(key)}: expected {want!r}, loaded {got[key]!r}")
    for key in got.keys() - fixture.expected.keys():
        wrong += 1
        wrong_cells.append(f"{'.'.join(key)}: not in the seed, loaded {got[key]!r}")
    return Score(right, wrong, missing, wrong_cells, missing_cells)


def all_hazards() -> dict[str, Callable[[], Iterable[Fixture]]]:
    """HAZARDS after importing every benchmarks/hazards_*.py (importing one registers its
    classes, so a new module of classes needs no edit here)."""
    import importlib
    import pkgutil

    # Under `python -m` this file runs as __main__: register into the importable module.
    registry = importlib.import_module("benchmarks.hazard_accuracy")
    for mod in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if mod.name.startswith("hazards_"):
            importlib.import_module(f"benchmarks.{mod.name}")
    return registry.HAZARDS


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("classes", nargs="*", help="hazard classes to run (default: all)")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)
    hazards = all_hazards()
    names = args.classes or list(hazards)
    unknown = [n for n in names if n not in hazards]
    if unknown:
        print(f"unknown hazard class {', '.join(unknown)}; known: {', '.join(hazards)}", file=sys.stderr)
        return 2
    total = Score(0, 0, 0, [], [])
    print(f"{'hazard class':34} {'files':>5} {'cells':>6} {'right':>6} {'wrong':>6} {'missing':>7}  right%")
    for name in names:
        files = 0
        r = w = m = 0
        for fx in hazards[name]():
            files += 1
            s = score(fx)
            r, w, m = r + s.right, w + s.wrong, m + s.missing
            if args.verbose:
                for line in s.wrong_cells:
                    print(f"    {fx.name}: WRONG {line}")
                for line in s.missing_cells:
                    print(f"    {fx.name}: missing {line}")
        cells = r + m + w
        print(f"{name:34} {files:5d} {cells:6d} {r:6d} {w:6d} {m:7d}  {100 * r / max(1, cells):6.2f}")
        total = Score(total.right + r, total.wrong + w, total.missing + m, [], [])
    cells = total.right + total.wrong + total.missing
    print(f"{'all':34} {'':5} {cells:6d} {total.right:6d} {total.wrong:6d} {total.missing:7d}  "
          f"{100 * total.right / max(1, cells):6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
