"""PDFs from real producers: a DOCX printed by LibreOffice (rows that break across pages,
header rows repeated on every page, header words one character per line) and a web
page printed by Chromium (its date, title, URL and 1/5 counter in the margins, its
text layer in Kangxi radicals). Fails in CI when soffice/chromium are missing; skips
elsewhere."""

from __future__ import annotations

import pdfplumber
import pytest

from benchmarks.render_pdf import chromium_pdf, soffice_pdf, to_docx_for_print
from pipeline.parse import parse_bytes
from pipeline.readers.pdf import read_pdf
from pipeline.readers.pdf_margins import MarginFilter

from . import render
from .conftest import SEED


def _seed_cells(name):
    return render.cells_of(parse_bytes(SEED[name].read_bytes(), "seed.txt"))


def test_libreoffice_rows_broken_across_pages_and_repeated_headers(tmp_path):
    render.needs("soffice")
    docx = to_docx_for_print(render.layout(SEED["chuanhui"]), tmp_path / "chuanhui.docx", filler=0)
    pdf = soffice_pdf(docx, tmp_path)
    with pdfplumber.open(pdf) as doc:
        t2 = [t for p in doc.pages for t in p.extract_tables() if any("申请人情况" in (c or "") for c in t[0])]
        stacked = any("结\n果\n维\n持" in (c or "") for p in doc.pages for t in p.extract_tables() for r in t for c in r)
    assert len(t2) == 2, "t2 should run over a page break with its header repeated"
    body = [r for r in t2[1] if any(c and c.strip().isdigit() for c in r) or any(c for c in r[:3])]
    cut = [r for r in t2[1][3:5] if not any(c and c.strip().isdigit() for c in r)]
    assert cut, f"the page break should cut a row's label: {body[:3]}"
    assert stacked, "t3's header should stand one character per line"
    report = parse_bytes(pdf.read_bytes(), str(pdf))
    assert report.ok, report.error
    assert render.cells_of(report) == _seed_cells("chuanhui")


@pytest.fixture(scope="module")
def chromium_report(tmp_path_factory):
    render.needs("chromium")
    tmp = tmp_path_factory.mktemp("chromium")
    page = tmp / "report.html"
    page.write_bytes(render.to_html(SEED["qindu"]))
    return chromium_pdf(page, tmp / "report.pdf")


def test_browser_printed_pdf_has_its_hazards(chromium_report):
    with pdfplumber.open(chromium_report) as pdf:
        text = "".join(p.extract_text() for p in pdf.pages)
        assert len(pdf.pages) > 1
    assert "file://" in text and f"1/{len(pdf.pages)}" in text, "Chromium's header and footer"
    assert any(0x2F00 <= ord(c) <= 0x2FDF or 0x2E80 <= ord(c) <= 0x2EFF for c in text), "Kangxi radicals"


def test_browser_header_and_footer_stay_out_of_the_report(chromium_report):
    doc = read_pdf(chromium_report.read_bytes(), str(chromium_report))
    texts = [b.text for b in doc.blocks] + [c.text for t in doc.tables for r in t.rows for c in r]
    assert not [t for t in texts if "file://" in t or "report.html" in t or ":" in t and "M" in t and len(t) < 30]
    # the tables are whole: t2 runs over a page break and continues
    assert [t.hint for t in doc.tables] == ["t1", "t2", "t3"]


def test_browser_printed_pdf_reads_cell_for_cell(chromium_report):
    report = parse_bytes(chromium_report.read_bytes(), str(chromium_report))
    render.check_never_wrong(SEED["qindu"], report)
    # Table labels here are Kangxi-block characters (NFKC folds them); the supplement's
    # (⺠) stand in narrative text only, folded by the shared normaliser.
    assert render.cells_of(report) == _seed_cells("qindu")


class _Page:
    def __init__(self, lines, height=842.0):
        self.rotation, self.width, self.height = 0, 595.0, height
        self.chars = [{"text": ch, "x0": 50 + 6 * i, "x1": 56 + 6 * i, "top": top, "bottom": top + 8}
                      for top, text in lines for i, ch in enumerate(text)]


@pytest.mark.parametrize(("line", "dropped"), [
    ("12/2/26, 4:30 AM 政府信息公开", True), ("file:///tmp/report.html 1/3", True), ("- 2 -", True),
    ("第2页 共5页", True), ("2/5", True), ("四、政府信息公开行政复议、行政诉讼情况", False)])
def test_margin_lines_by_shape(line, dropped):
    page = _Page([(20, line), (400, "正文")])
    keep = MarginFilter([page]).keep_for(0) or (lambda obj: True)
    assert keep({"top": 20, "bottom": 28}) is (not dropped)
    assert keep({"top": 400, "bottom": 408})


def test_margin_lines_repeated_on_every_page():
    pages = [_Page([(15, "某某区人民政府信息公开年度报告"), (60, "行政复议")]) for _ in range(3)]
    keep = MarginFilter(pages).keep_for(1)
    assert not keep({"top": 15, "bottom": 23})
    assert keep({"top": 400, "bottom": 408})
