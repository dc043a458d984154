"""Wrong cells in text copied out of a PDF viewer, over many random shapes.

    python -m benchmarks.pdftext_shapes [--shapes 200] [--start 0] [--layout]

The shapes of tests/test_pdftext_properties.py (a seed, 5% or 20% of its cells blank, label
column width, vertical alignment, page footer), drawn from ``random.Random(i)`` for shape i,
rendered with reportlab and copied through poppler's pdftotext (plain, or ``-layout``).
Prints each shape with a wrong cell, then the count; a wrong cell is a loaded value other
than the seed's (None for a cell left blank). Needs pdftotext (poppler-utils).
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path


def wrong_cells(trial: int, tmp: Path, layout_mode: bool) -> tuple[str, dict]:
    from pipeline.parse import parse_bytes
    from tests import pdftext
    from tests.conftest import SEED

    rnd = random.Random(trial)
    name = rnd.choice(sorted(SEED))
    raw = pdftext.seed_values(SEED[name])
    share = rnd.choice([0.05, 0.2])
    blank = {k for k in sorted(raw) if rnd.random() < share}
    shape = dict(valign=rnd.choice(["TOP", "MIDDLE", "BOTTOM"]), label_width=rnd.randint(26, 70),
                 footer=rnd.choice(sorted(pdftext.FOOTERS)))
    pdf = pdftext.to_pdf(pdftext.layout(SEED[name], lambda k: "" if k in blank else raw[k]),
                         tmp / f"{trial}.pdf", **shape)
    report = parse_bytes(pdftext.pdftotext(pdf, layout_mode).encode(), "copied.txt")
    return f"{name} blank {share:.0%} {shape}", pdftext.wrong_cells(report, raw, blank)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.pdftext_shapes", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shapes", type=int, default=200)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--layout", action="store_true", help="pdftotext -layout instead of plain")
    a = ap.parse_args(argv)
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for trial in range(a.start, a.start + a.shapes):
            shape, wrong = wrong_cells(trial, Path(tmp), a.layout)
            if wrong:
                bad += 1
                print(trial, shape, sorted(wrong.items())[:5])
    print(f"{bad} of {a.shapes} shapes with a wrong cell")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
