"""ogi's PDF reader with pdfium objects against pdfplumber's bare extract_tables +
extract_text, side by side in one process, by CPU time (steadier than wall time on
a shared machine), on the same files:

    python -m benchmarks.pdf_objects [--rounds 3] [--mixed N] [FILE.pdf ...]

Without files: the five seeds printed by reportlab, once as one page per table
and once with t2 over a page break, plus their LibreOffice exports when soffice
is installed. ``--mixed N``: N reports instead, the seeds printed in turn with
each of benchmarks.render_pdf's layouts (wrapped labels, rows cut by a page
break, repeated headers, 续表 splits, no borders, landscape t3, running headers). Reports ogi (pdfium), ogi (OGI_PDF_OBJECTS=pdfminer) and bare
pdfplumber in ms per report, the ratios, and whether both ogi paths gave the same
facts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from .__main__ import _bare_pdfplumber

SEEDS = Path(__file__).resolve().parents[1] / "data" / "raw"


def _fixtures(tmp: Path) -> list[Path]:
    from tests import render

    out = []
    for seed in sorted(SEEDS.glob("*.txt")):
        out.append(render.to_pdf(seed, tmp / f"{seed.stem}.pdf"))
        out.append(render.to_pdf(seed, tmp / f"{seed.stem}-break.pdf", break_t2=True))
    soffice = shutil.which("soffice")
    if soffice:
        docx = [render.to_docx(seed, tmp / f"{seed.stem}-lo.docx") for seed in sorted(SEEDS.glob("*.txt"))]
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "pdf",
                        "--outdir", str(tmp / "lo"), *map(str, docx)], check=True, capture_output=True, timeout=300)
        out += sorted((tmp / "lo").glob("*.pdf"))
    return out


MIXED = [dict(), dict(label_width=110), dict(cut_row="withheld_prohibited_by_law", repeat_header=True),
         dict(cut_row="other_overdue_fee", cut_lines=3, cut_values="tail", repeat_header=True),
         dict(break_before="withheld_third_party", repeat_header=True), dict(split_at="unavailable_unclear"),
         dict(split_at="withheld_third_party", split_header=False, split_group="blank"),
         dict(borders=False), dict(borders=False, cut_row="not_processed_confirmation"),
         dict(t3_page="wide"), dict(t3_page="rotate"), dict(running_header="某某区人民政府办公室")]


def _mixed(tmp: Path, n: int) -> list[Path]:
    """n reports: seed i % 5 printed with layout i % len(MIXED) (both cycle, so the pairs vary)."""
    from .render_pdf import PdfLayout, seed_items, to_pdf

    seeds = sorted(SEEDS.glob("*.txt"))
    items = {s: seed_items(s) for s in seeds}
    return [to_pdf(items[seeds[i % len(seeds)]], tmp / f"mixed-{i:03d}.pdf", PdfLayout(**MIXED[i % len(MIXED)]))
            for i in range(n)]


def _ogi(paths: list[Path], data: list[bytes], objects: str) -> tuple[float, list]:
    from pipeline.parse import parse_bytes

    os.environ["OGI_PDF_OBJECTS"] = objects
    t = time.process_time()
    reports = [parse_bytes(d, str(p)) for p, d in zip(paths, data, strict=True)]
    return time.process_time() - t, reports


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.pdf_objects", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--mixed", type=int, metavar="N", help="N reportlab reports in render_pdf's layouts")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        paths = a.files or (_mixed(Path(tmp), a.mixed) if a.mixed else _fixtures(Path(tmp)))
        data = [p.read_bytes() for p in paths]
        _ogi(paths[:1], data[:1], "pdfium")  # imports and first-use costs out of the rounds
        for r in range(1, a.rounds + 1):
            bare = _bare_pdfplumber(paths, clock=time.process_time)
            fast, fast_reports = _ogi(paths, data, "pdfium")
            slow, slow_reports = _ogi(paths, data, "pdfminer")
            same = all(x.facts == y.facts for x, y in zip(fast_reports, slow_reports, strict=True))
            fallback = sum("pdfminer-pages" in x.layout for x in fast_reports)
            n = len(paths)
            print(f"round {r}: {n} PDFs; bare pdfplumber {1000 * bare / n:.0f} ms/report; "
                  f"ogi+pdfium {1000 * fast / n:.0f} ({fast / bare:.2f}x); "
                  f"ogi+pdfminer {1000 * slow / n:.0f} ({slow / bare:.2f}x); same facts: {same}; "
                  f"reports with pages read by pdfminer: {fallback}", flush=True)


if __name__ == "__main__":
    main()
