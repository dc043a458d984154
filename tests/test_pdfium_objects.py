"""pdfium as pdfplumber's object source: the hook it relies on, and the same cells
both ways on every PDF fixture the project makes."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from pipeline.parse import parse_bytes
from pipeline.readers.pdf_cells import table_cells
from pipeline.readers.pdfium_objects import PdfiumObjects

from . import render
from .conftest import SEED

IN_CI = bool(os.environ.get("CI"))


def _pdf_fixtures(tmp: Path) -> dict[str, Path]:
    """Every kind of PDF the tests can make here: reportlab (one and two page t2),
    LibreOffice exports of the DOCX renderings, and Chromium prints of the HTML ones."""
    out: dict[str, Path] = {}
    for name, seed in SEED.items():
        out[f"{name}-reportlab"] = render.to_pdf(seed, tmp / f"{name}.pdf")
        out[f"{name}-reportlab-break"] = render.to_pdf(seed, tmp / f"{name}-break.pdf", break_t2=True)
    soffice = shutil.which("soffice")
    if soffice:
        docx = [render.to_docx(seed, tmp / f"{name}-lo.docx") for name, seed in SEED.items()]
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/lo-profile", "--convert-to",
                        "pdf", "--outdir", str(tmp / "lo"), *map(str, docx)], check=True, timeout=180,
                       capture_output=True)
        out.update({f"{p.stem}": p for p in sorted((tmp / "lo").glob("*.pdf"))})
    elif IN_CI:
        pytest.fail("LibreOffice (soffice) is missing in CI")
    chromium = shutil.which("chromium")
    if chromium:
        for name, seed in list(SEED.items())[:2]:
            page = tmp / f"{name}.html"
            page.write_bytes(render.to_html(seed))
            target = tmp / f"{name}-chromium.pdf"
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            f"--user-data-dir={tmp}/chromium-profile", f"--print-to-pdf={target}", str(page)],
                           check=True, timeout=120, capture_output=True)
            out[f"{name}-chromium"] = target
    elif IN_CI:
        pytest.fail("Chromium is missing in CI")
    return out


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    return _pdf_fixtures(tmp_path_factory.mktemp("pdfium"))


def test_pdfplumber_reads_objects_from_the_page_cache(monkeypatch, pdfs):
    """The hook: a page whose ``_objects`` is set never runs pdfminer's interpreter.
    If pdfplumber stops reading ``page._objects``, this fails (pin in pyproject)."""
    import pdfplumber.page

    def no_pdfminer(*_a, **_k):
        raise AssertionError("pdfminer interpreted the page although its objects were given")

    monkeypatch.setattr(pdfplumber.page, "PDFPageInterpreter", no_pdfminer)
    path = pdfs["wujiang-reportlab"]
    source = PdfiumObjects(path.read_bytes())
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[1]
        assert source.fill(page) is None
        assert page.chars and page.lines
        assert page.extract_tables()
        assert "予以公开" in page.extract_text()
    source.close()


def _both_ways(path: Path):
    """(pdfminer page, pdfium page or fallback reason) for every page."""
    data = path.read_bytes()
    source = PdfiumObjects(data)
    with pdfplumber.open(path) as ours, pdfplumber.open(path) as theirs:
        for a, b in zip(theirs.pages, ours.pages, strict=True):
            yield a, b, source.fill(b)
    source.close()


def test_same_tables_and_text_on_every_pdf_fixture(pdfs):
    compared = 0
    for name, path in pdfs.items():
        for a, b, fallback in _both_ways(path):
            if fallback:
                assert "chromium" in name, f"{name} page {a.page_number} fell back: {fallback}"
                continue
            compared += 1
            assert b.extract_tables() == a.extract_tables(), f"{name} page {a.page_number}"
            assert b.extract_text() == a.extract_text(), f"{name} page {a.page_number}"
            assert [table_cells(t) for t in b.find_tables()] == a.extract_tables(), f"{name} page {a.page_number}"
    assert compared >= 20


def test_same_facts_both_ways_through_the_reader(pdfs, monkeypatch):
    for name, path in pdfs.items():
        data = path.read_bytes()
        monkeypatch.setenv("OGI_PDF_OBJECTS", "pdfminer")
        plain = parse_bytes(data, str(path))
        monkeypatch.setenv("OGI_PDF_OBJECTS", "pdfium")
        fast = parse_bytes(data, str(path))
        assert fast.facts == plain.facts, name
        assert (fast.year, fast.body, fast.division_code) == (plain.year, plain.body, plain.division_code), name
        fallbacks = [m for _stage, m in fast.warnings if "objects read by pdfminer" in m]
        assert bool(fallbacks) == ("pdfminer-pages" in fast.layout), name


def test_browser_printed_type3_pages_fall_back_and_say_so(pdfs, monkeypatch):
    printed = [p for n, p in pdfs.items() if n.endswith("-chromium")]
    if not printed:
        pytest.skip("Chromium is not installed")
    monkeypatch.setenv("OGI_PDF_OBJECTS", "pdfium")
    report = parse_bytes(printed[0].read_bytes(), str(printed[0]))
    assert "pdfminer-pages" in report.layout
    assert any("Type3 font" in m for _stage, m in report.warnings)
    assert len(report.facts) == 200


def test_rotated_page_falls_back(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "rotated.pdf"
    c = canvas.Canvas(str(path))
    c.setPageRotation(90)
    c.setFont("STSong-Light", 10)
    c.drawString(72, 720, "四、政府信息公开行政复议、行政诉讼情况")
    c.save()
    source = PdfiumObjects(path.read_bytes())
    with pdfplumber.open(path) as pdf:
        assert source.fill(pdf.pages[0]) == "rotated page (90°)"
        assert "行政复议" in pdf.pages[0].extract_text()  # pdfminer's objects, as before
    source.close()
