"""PDF hazard classes for benchmarks.hazard_accuracy: each seed printed the ways real PDFs are."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from . import render
from .hazard_accuracy import Fixture, hazard, seed_cells, seed_paths
from .render_pdf import PdfLayout, chromium_pdf, seed_items, soffice_pdf, to_docx_for_print, to_pdf

# Rows with the longest labels: where a page break cuts a label in real reports.
CUT_ROWS = (("partially_granted", 1), ("withheld_prohibited_by_law", 1), ("unavailable_needs_creation", 1),
            ("not_processed_confirmation", 1), ("other_overdue_correction", 2), ("other_overdue_fee", 3))


def _pdfs(name: str, layouts: list[PdfLayout]) -> Iterator[Fixture]:
    with tempfile.TemporaryDirectory() as tmp:
        for i, seed in enumerate(seed_paths()):
            items = seed_items(seed)
            for j, layout in enumerate(layouts):
                if len(layouts) > 5 and (j - i) % 2:  # many variants: half of them per seed, rotating
                    continue
                path = to_pdf(items, Path(tmp) / f"{seed.stem}-{name}-{j}.pdf", layout)
                yield Fixture(f"{seed.stem}/{name}-{j}", path.name, path.read_bytes(), seed_cells(seed))


@hazard("pdf-wrapped-labels")
def wrapped_labels() -> Iterator[Fixture]:
    return _pdfs("wrapped", [PdfLayout(label_width=w, font_size=fs) for w, fs in ((110, 9), (150, 10.5))])


@hazard("pdf-row-cut-by-page-break")
def row_cut() -> Iterator[Fixture]:
    return _pdfs("cut", [PdfLayout(cut_row=row, cut_lines=n, repeat_header=rep)
                         for row, n in CUT_ROWS for rep in (False, True)]
                 + [PdfLayout(cut_row=row, cut_lines=n, cut_values="tail", repeat_header=True)
                    for row, n in CUT_ROWS[1::2]])


@hazard("pdf-repeated-header-rows")
def repeated_header() -> Iterator[Fixture]:
    return _pdfs("repeat", [PdfLayout(break_before=row, repeat_header=True)
                            for row in ("granted", "withheld_third_party", "not_processed_petition", "total_handled")])


@hazard("pdf-split-table-xubiao")
def split_table() -> Iterator[Fixture]:
    return _pdfs("split", [
        PdfLayout(split_at="withheld_third_party"),
        PdfLayout(split_at="withheld_third_party", split_header=False, split_group="blank"),
        PdfLayout(split_at="unavailable_unclear", split_caption="（续上表）", split_new_page=False),
        PdfLayout(split_at="not_processed_duplicate", split_header=False, split_caption="续表："),
    ])


@hazard("pdf-borderless")
def borderless() -> Iterator[Fixture]:
    return _pdfs("borderless", [
        PdfLayout(borders=False),
        PdfLayout(borders=False, label_width=120),
        PdfLayout(borders=False, valign="TOP", font_size=10.5),
        PdfLayout(borders=False, cut_row="not_processed_confirmation"),
        PdfLayout(borders=False, cut_row="other_overdue_fee", cut_lines=2, repeat_header=True),
    ])


@hazard("pdf-t3-landscape-page")
def t3_landscape() -> Iterator[Fixture]:
    return _pdfs("t3page", [PdfLayout(t3_page="wide"), PdfLayout(t3_page="rotate")])


@hazard("pdf-libreoffice-page-breaks")
def libreoffice() -> Iterator[Fixture]:
    """DOCX (python-docx) printed by LibreOffice: rows broken across pages, header rows
    repeated, t3's header one character per line. Needs soffice."""
    if shutil.which("soffice") is None:
        print("pdf-libreoffice-page-breaks: soffice not installed; class skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        docs = {}
        for seed in seed_paths():
            for filler in (0, 3):
                d = to_docx_for_print(seed_items(seed), Path(tmp) / f"{seed.stem}-{filler}.docx", filler=filler)
                docs[d] = seed
        for d, pdf in zip(docs, soffice_pdf(list(docs), Path(tmp)), strict=True):
            yield Fixture(f"{docs[d].stem}/{d.stem}", pdf.name, pdf.read_bytes(), seed_cells(docs[d]))


@hazard("pdf-browser-print")
def browser_print() -> Iterator[Fixture]:
    """The seeds' web pages printed by headless Chromium (header/footer in the margins,
    Kangxi radicals in the text layer). Needs chromium."""
    if shutil.which("chromium") is None:
        print("pdf-browser-print: chromium not installed; class skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seed_paths():
            page = Path(tmp) / f"{seed.stem}.html"
            page.write_bytes(render.to_html(seed_items(seed)))
            pdf = chromium_pdf(page, Path(tmp) / f"{seed.stem}.pdf")
            yield Fixture(f"{seed.stem}/chromium", pdf.name, pdf.read_bytes(), seed_cells(seed))
