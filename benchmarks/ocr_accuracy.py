"""OCR accuracy and cost on scanned renditions of the five seeds.

    python -m benchmarks.ocr_accuracy [--dpi 150] [--jobs 2] [--out DIR]

Each seed is printed to PDF (reportlab), scanned (benchmarks/scans.py: skew, noise,
JPEG) and read back through ``parse_bytes``; its cells are compared with the same
seed read from its text; and each seed as a web page whose t2 is a scanned picture
(t1 and t3 HTML tables). Reported: cells right, wrong, missing; wrong cells that
nothing flags (not suspect, in no failing identity) — the figure that must be 0;
seconds per page and per report: one process reading a file's pages one at a time
(OGI_OCR_THREADS=1), one process reading them side by side (a thread per core, the
default), and ``--jobs N`` processes.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "data" / "raw"


def _scans(dpi: int, out: Path) -> list[tuple[Path, Path, int]]:
    """(seed, scanned pdf, pages) for every seed; the t2 page of the first also as a JPEG."""
    from tests import render

    from . import scans

    out.mkdir(parents=True, exist_ok=True)
    made = []
    for i, seed in enumerate(sorted(SEEDS.glob("*.txt"))):
        pdf = render.to_pdf(seed, out / f"{seed.stem}.pdf").read_bytes()
        pages = scans.scanned_pages(pdf, dpi=dpi, seed=i)
        target = out / f"{seed.stem}-scan.pdf"
        target.write_bytes(scans.image_pdf(pages))
        made.append((seed, target, len(pages)))
        if i == 0:
            jpeg = out / f"{seed.stem}-t2.jpg"
            jpeg.write_bytes(scans.image_file(pages[1]))
            made.append((seed, jpeg, 1))
        made.append((seed, _web_page_with_t2_image(seed, dpi, i, out), 1))
    return made


def _web_page_with_t2_image(seed: Path, dpi: int, noise_seed: int, out: Path) -> Path:
    """The seed as a web page whose t2 is a picture: a scan of the table printed alone,
    inline as a data: URI (the page is one file, as ingest packs a page with its images)."""
    import base64

    from tests import render

    from . import render as shapes
    from . import scans

    items = render.layout(seed)
    t2_at = [i for i, (kind, _c) in enumerate(items) if kind != "p"][1]
    pdf = shapes.to_pdf([items[t2_at]], out / f"{seed.stem}-t2-alone.pdf").read_bytes()
    png = scans.image_file(scans.scanned_pages(pdf, dpi=dpi, seed=noise_seed)[0], "PNG")
    items[t2_at] = ("img", "data:image/png;base64," + base64.b64encode(png).decode())
    page = out / f"{seed.stem}-t2-image.html"
    page.write_bytes(shapes.to_html(items))
    return page


def _score(item: tuple[Path, Path, int]) -> dict:
    from pipeline.parse import parse_bytes
    from pipeline.warehouse import SUSPECT_BELOW

    seed, scan, pages = item
    truth = {(f.table_code, f.row_code, f.col_code): f.value for f in parse_bytes(seed.read_bytes(), str(seed)).facts}
    t = time.perf_counter()
    report = parse_bytes(scan.read_bytes(), str(scan))
    seconds = time.perf_counter() - t
    got = {(f.table_code, f.row_code, f.col_code): f for f in report.facts or ()}
    if scan.suffix == ".jpg":  # one page: only its table is expected
        truth = {k: v for k, v in truth.items() if k[0] == "t2" and k[1] not in ("new_received", "carried_over")}
    # A wrong number is one loaded with another value; a cell left blank (NULL, with a warning) is missing.
    wrong = [k for k, v in truth.items() if k in got and got[k].value is not None and got[k].value != v]
    unflagged = [k for k in wrong
                 if report.cell_confidence.get(got[k].locator, 0) >= SUSPECT_BELOW]
    return {"file": scan.name, "pages": pages, "seconds": round(seconds, 1), "cells": len(truth),
            "right": sum(k in got and got[k].value == v for k, v in truth.items()), "wrong": len(wrong),
            "missing": sum(k not in got or (got[k].value is None and truth[k] is not None) for k in truth),
            "wrong_not_flagged_by_score": unflagged,
            "error": report.error}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.ocr_accuracy", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dpi", type=int, default=150)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=Path("/tmp/ogi-ocr-bench"))
    a = ap.parse_args(argv)
    items = _scans(a.dpi, a.out)
    os.environ["OGI_OCR_THREADS"] = "1"  # one process, one page at a time
    t = time.perf_counter()
    rows = [_score(i) for i in items]
    single = time.perf_counter() - t
    os.environ.pop("OGI_OCR_THREADS")  # one process, a file's pages side by side (a thread per core)
    t = time.perf_counter()
    threaded = [_score(i) for i in items]
    paged = time.perf_counter() - t
    assert [r["right"] for r in threaded] == [r["right"] for r in rows], "page threads read other cells"
    t = time.perf_counter()
    with ProcessPoolExecutor(a.jobs) as pool:
        list(pool.map(_score, items))
    parallel = time.perf_counter() - t
    pages = sum(r["pages"] for r in rows)
    cells = sum(r["cells"] for r in rows)
    right = sum(r["right"] for r in rows)
    for r in rows:
        print(json.dumps(r, ensure_ascii=False))
    print(f"cells right: {right} of {cells} ({100 * right / cells:.2f}%); wrong {sum(r['wrong'] for r in rows)}, "
          f"missing {sum(r['missing'] for r in rows)}")
    print(f"one process: {single / pages:.1f} s per page, {single / len(rows):.1f} s per file; "
          f"pages side by side: {paged / pages:.1f} s per page ({single / paged:.2f}x); "
          f"--jobs {a.jobs}: {parallel / pages:.1f} s per page ({single / parallel:.2f}x)")


if __name__ == "__main__":
    main()
