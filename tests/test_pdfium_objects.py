"""pdfium as pdfplumber's object source: the hook it relies on, and the same cells
both ways on every PDF fixture the project makes."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from benchmarks import render_pdf
from benchmarks.render_pdf import PdfLayout
from pipeline.parse import parse_bytes
from pipeline.readers.pdf import read_pdf
from pipeline.readers.pdf_cells import table_cells
from pipeline.readers.pdfium_objects import PdfiumObjects

from . import render
from .conftest import SEED

IN_CI = bool(os.environ.get("CI"))


# One of every page kind benchmarks.render_pdf prints (the hazard classes' layouts).
HAZARD_LAYOUTS = {
    "narrow-labels": PdfLayout(label_width=110),
    "cut-row": PdfLayout(cut_row="withheld_prohibited_by_law", repeat_header=True),
    "cut-row-tail": PdfLayout(cut_row="other_overdue_fee", cut_lines=3, cut_values="tail", repeat_header=True),
    "break-repeat": PdfLayout(break_before="withheld_third_party", repeat_header=True),
    "split": PdfLayout(split_at="unavailable_unclear", split_caption="（续上表）", split_new_page=False),
    "split-blank": PdfLayout(split_at="withheld_third_party", split_header=False, split_group="blank"),
    "borderless": PdfLayout(borders=False, valign="TOP", font_size=10.5),
    "borderless-cut": PdfLayout(borders=False, cut_row="other_overdue_fee", cut_lines=2, repeat_header=True),
    "t3-wide": PdfLayout(t3_page="wide"),
    "t3-rotate": PdfLayout(t3_page="rotate"),
    "running-header": PdfLayout(running_header="某某区人民政府办公室"),
}

# Pages whose objects pdfium cannot give as pdfminer does, by fixture kind: the only
# fallbacks expected (any other is a regression of the pdfium source).
EXPECTED_FALLBACK = {"chromium": "Type3 font", "t3-rotate": "rotated page",
                     "-lo": "a text object without width"}


def _pdf_fixtures(tmp: Path) -> dict[str, Path]:
    """Every kind of PDF the tests can make here: reportlab (one and two page t2, and
    every render_pdf hazard layout), LibreOffice exports of the DOCX renderings, and
    Chromium prints of the HTML ones."""
    out: dict[str, Path] = {}
    for name, seed in SEED.items():
        out[f"{name}-reportlab"] = render.to_pdf(seed, tmp / f"{name}.pdf")
        out[f"{name}-reportlab-break"] = render.to_pdf(seed, tmp / f"{name}-break.pdf", break_t2=True)
    for i, (kind, pdf_layout) in enumerate(HAZARD_LAYOUTS.items()):
        name = list(SEED)[i % len(SEED)]  # the seeds in turn: different numbers in each layout
        out[f"{name}-{kind}"] = render.to_pdf_layout(SEED[name], tmp / f"{name}-{kind}.pdf", pdf_layout)
    soffice = shutil.which("soffice")
    if soffice:
        docx = [render.to_docx(seed, tmp / f"{name}-lo.docx") for name, seed in SEED.items()]
        docx += [render_pdf.to_docx_for_print(render.layout(SEED[name]), tmp / f"{name}-lo-print{filler}.docx",
                                              filler=filler) for name, filler in (("qindu", 0), ("chuanhui", 3))]
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


def _expected_fallback(name: str, reason: str) -> bool:
    return any(kind in name and reason.startswith(why) for kind, why in EXPECTED_FALLBACK.items())


def _y_tie(page, tolerance: float = 3.0) -> bool:
    """Two char tops exactly pdfplumber's y tolerance apart: pdfium's 32-bit floats can
    put them on one line where pdfminer's 64-bit ones make two (or the reverse)."""
    tops = sorted({round(c["top"], 6) for c in page.chars})
    return any(abs(b - a - tolerance) < 1e-3 for i, a in enumerate(tops) for b in tops[i + 1:] if b - a < tolerance + 1)


def _same_objects(a, b, where: str) -> None:
    """Same chars in the same order at the same place, and the same lines and rects. A run's
    last glyph has no next origin to end at: its x1 is pdfium's loose box, wider than
    pdfminer's /W advance for some CID glyphs (half-width digits: 0.05 × size)."""
    assert [c["text"] for c in b.chars] == [c["text"] for c in a.chars], where
    for ca, cb in zip(a.chars, b.chars, strict=True):
        assert abs(ca["x0"] - cb["x0"]) < 1e-3 and abs(ca["top"] - cb["top"]) < 1e-3, (where, ca["text"])
        assert abs(ca["x1"] - cb["x1"]) < 0.1 * ca["size"], (where, ca["text"])
    for kind in ("line", "rect"):
        boxes_a = sorted((round(o["x0"], 2), round(o["top"], 2), round(o["x1"], 2), round(o["bottom"], 2))
                         for o in a.objects.get(kind, []))
        boxes_b = sorted((round(o["x0"], 2), round(o["top"], 2), round(o["x1"], 2), round(o["bottom"], 2))
                         for o in b.objects.get(kind, []))
        assert boxes_b == boxes_a, (where, kind)


def test_same_cells_and_objects_on_every_pdf_fixture(pdfs):
    """Every page of every fixture: pdfium's objects give pdfplumber's exact tables (and cells
    by pdf_cells), the same chars and ruling, and the same text unless two lines sit exactly
    on the y tolerance; or the page keeps pdfminer's objects for a reason its kind explains."""
    compared = fallbacks = 0
    for name, path in pdfs.items():
        for a, b, fallback in _both_ways(path):
            where = f"{name} page {a.page_number}"
            if fallback:
                assert _expected_fallback(name, fallback), f"{where} fell back: {fallback}"
                fallbacks += 1
                continue
            compared += 1
            assert b.extract_tables() == a.extract_tables(), where
            assert [table_cells(t) for t in b.find_tables()] == a.extract_tables(), where
            _same_objects(a, b, where)
            if not _y_tie(a):
                assert b.extract_text() == a.extract_text(), where
    assert compared >= 60 and fallbacks >= 1


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
        # Apart from saying which pages pdfminer read, the same warnings and layout.
        assert [w for w in fast.warnings if "objects read by pdfminer" not in w[1]] == plain.warnings, name
        assert fast.layout.replace(",pdfminer-pages", "") == plain.layout, name


def test_pdfium_is_the_default_and_pdfminer_the_escape_hatch(pdfs, monkeypatch):
    data = pdfs["wujiang-reportlab"].read_bytes()
    monkeypatch.delenv("OGI_PDF_OBJECTS", raising=False)
    calls = []
    real_fill = PdfiumObjects.fill
    monkeypatch.setattr(PdfiumObjects, "fill", lambda self, page: calls.append(page.page_number) or real_fill(self, page))
    assert len(parse_bytes(data, "a.pdf").facts) == 200
    assert calls, "the default did not read the pages with pdfium"
    calls.clear()
    monkeypatch.setenv("OGI_PDF_OBJECTS", "pdfminer")
    assert len(parse_bytes(data, "a.pdf").facts) == 200
    assert not calls, "OGI_PDF_OBJECTS=pdfminer still read pages with pdfium"


def test_a_text_object_pdfium_leaves_out_sends_the_page_to_pdfminer(tmp_path, monkeypatch):
    """A text object drawn twice at one place (fake bold): pdfium's text page keeps one,
    pdfminer both. The page keeps pdfminer's objects and the reader says so."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "bold.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 10)
    c.drawString(72, 720, "二、主动公开政府信息情况")
    c.drawString(72.2, 720, "二、主动公开政府信息情况")
    c.drawString(72, 700, "规章 3 1 5")
    c.save()
    source = PdfiumObjects(path.read_bytes())
    with pdfplumber.open(path) as pdf:
        assert source.fill(pdf.pages[0]) == "a text object pdfium's text page leaves out (drawn twice)"
        assert pdf.pages[0].extract_text().count("主") == 2  # pdfminer's objects: both copies
    source.close()
    monkeypatch.setenv("OGI_PDF_OBJECTS", "pdfium")
    doc = read_pdf(path.read_bytes(), str(path))
    assert "pdfminer-pages" in doc.layout
    assert doc.warnings == ["page 1: objects read by pdfminer, not pdfium "
                            "(a text object pdfium's text page leaves out (drawn twice))"]


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
