"""Hazard classes of issue 12 that the text reader and the mapper handle, as fixtures
built from the seeds at run time (nothing binary committed), for the hazard accuracy
benchmark; run alone it prints cells right per class:

    python -m benchmarks.hazards_text

Each fixture: Fixture(name, filename, data, expected) with expected mapping
(table, row, col) -> the value the seed prints (None for a blank cell). A cell counts
as right only when loaded with exactly that value; a wrong cell is counted apart.
"""

from __future__ import annotations

import random
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "data" / "raw").glob("*.txt"))


class Fixture(NamedTuple):
    name: str
    filename: str
    data: bytes
    expected: dict[tuple[str, str, str], object]


def _truth(seed: Path) -> tuple[dict[str, str], dict[tuple[str, str, str], object]]:
    from pipeline.parse import parse_bytes

    facts = parse_bytes(seed.read_bytes(), str(seed)).facts
    return ({f"{f.table_code}.{f.row_code}.{f.col_code}": f.raw_text for f in facts},
            {(f.table_code, f.row_code, f.col_code): f.value for f in facts})


def _copied(layout_mode: bool, blank_share: float = 0.0) -> list[Fixture]:
    sys.path.insert(0, str(ROOT))
    from tests import pdftext

    out = []
    rng = random.Random(12)
    with tempfile.TemporaryDirectory() as tmp:
        for seed in SEEDS:
            raw, expected = _truth(seed)
            blank = {k for k in sorted(raw) if rng.random() < blank_share}
            value = lambda key, blank=blank, raw=raw: "" if key in blank else raw[key]  # noqa: E731
            pdf = pdftext.to_pdf(pdftext.layout(seed, value), Path(tmp) / f"{seed.stem}.pdf",
                                 valign=rng.choice(["TOP", "MIDDLE", "BOTTOM"]), label_width=rng.randint(28, 60),
                                 footer=rng.choice(sorted(pdftext.FOOTERS)))
            text = pdftext.pdftotext(pdf, layout_mode)
            exp = {k: (None if ".".join(k) in blank else v) for k, v in expected.items()}
            mode = "layout" if layout_mode else "plain"
            out.append(Fixture(f"{seed.stem}-{mode}", f"{seed.stem}.txt", text.encode("utf-8"), exp))
    return out


def _radicals() -> list[Fixture]:
    """Text layers of browser-printed PDFs: Kangxi radicals and the CJK radicals supplement."""
    swaps = {"行": "⾏", "人": "⼈", "二": "⼆", "民": "⺠", "一": "⼀", "公": "⼋"}
    out = []
    for seed in SEEDS:
        _raw, expected = _truth(seed)
        text = seed.read_text(encoding="utf-8")
        for plain, radical in swaps.items():
            if plain != "公":
                text = text.replace(plain, radical)
        out.append(Fixture(f"{seed.stem}-radicals", seed.name, text.encode("utf-8"), expected))
    return out


def _label_drift() -> list[Fixture]:
    """Misspelled labels (2.其他法律行政止公开) placed by the template's order."""
    typos = {"2.其他法律行政法规禁止公开": "2.其他法律行政止公开", "6.属于四类过程性信息": "6.属于四类过程信息",
             "2.重复申请": "2.重复申清"}
    out = []
    for seed in SEEDS:
        _raw, expected = _truth(seed)
        text = seed.read_text(encoding="utf-8")
        for right, wrong in typos.items():
            text = text.replace(right, wrong).replace(right.replace(".", ". "), wrong)
        out.append(Fixture(f"{seed.stem}-label-drift", seed.name, text.encode("utf-8"), expected))
    return out


def _money() -> list[Fixture]:
    """A fee printed in 元 with fen: 万元 exactly."""
    from decimal import Decimal

    seed = SEEDS[1]
    _raw, expected = _truth(seed)
    text = seed.read_text(encoding="utf-8").replace("2090.6", "75394432.52元")
    return [Fixture("qindu-money-yuan", seed.name, text.encode("utf-8"),
                    {**expected, ("t1", "admin_fees", "amount_10k_yuan"): Decimal("7539.443252")})]


HAZARDS: dict[str, Callable[[], list[Fixture]]] = {
    "pdftotext -layout copy": lambda: _copied(True),
    "pdftotext -layout copy, blank cells": lambda: _copied(True, 0.1),
    "pdftotext plain copy": lambda: _copied(False),
    "pdftotext plain copy, blank cells": lambda: _copied(False, 0.1),
    "browser radicals": _radicals,
    "label drift": _label_drift,
    "money in yuan": _money,
}


def score(fixtures: list[Fixture]) -> tuple[int, int, int]:
    """(cells right, cells expected, cells wrong)."""
    from pipeline.parse import parse_bytes

    right = total = wrong = 0
    for fx in fixtures:
        report = parse_bytes(fx.data, fx.filename)
        got = {(f.table_code, f.row_code, f.col_code): f.value for f in report.facts or ()}
        total += len(fx.expected)
        right += sum(1 for k, v in fx.expected.items() if k in got and got[k] == v)
        wrong += sum(1 for k, v in got.items() if k in fx.expected and fx.expected[k] != v)
    return right, total, wrong


def main() -> int:
    for name, build in HAZARDS.items():
        right, total, wrong = score(build())
        print(f"{name:38s} {right:5d}/{total:5d} cells right ({100 * right / total:.1f}%), {wrong} wrong")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
