"""DOCX, PDF and HTML renditions of every seed ingest to the same 200 facts as its TXT."""

from __future__ import annotations

import pytest

from pipeline.parse import parse_bytes

from . import render
from .conftest import SEED


def _parsed(path):
    r = parse_bytes(path.read_bytes(), str(path))
    assert r.ok, r.error
    return r


def _same_as_txt(seed, other):
    base, got = _parsed(seed), _parsed(other)
    values = lambda r: {(f.table_code, f.row_code, f.col_code): f.value for f in r.facts}  # noqa: E731
    assert values(got) == values(base)
    assert len(got.facts) == 200
    for name in ("year", "body", "province", "city", "county", "division_code", "published_on", "template_version"):
        assert getattr(got, name) == getattr(base, name), name
    return got


@pytest.mark.parametrize("name", list(SEED))
def test_docx_with_merged_cells(name, tmp_path):
    got = _same_as_txt(SEED[name], render.to_docx(SEED[name], tmp_path / f"{name}.docx"))
    assert all(f.locator.startswith("table ") for f in got.facts)


@pytest.mark.parametrize("name", list(SEED))
@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_html_with_colspan_rowspan_and_site_chrome(name, charset, tmp_path):
    path = tmp_path / f"{name}.html"
    path.write_bytes(render.to_html(SEED[name], charset))
    got = _same_as_txt(SEED[name], path)
    assert all(f.locator.startswith("table ") for f in got.facts)


@pytest.mark.parametrize("name", list(SEED))
@pytest.mark.parametrize("break_t2", [False, True])
def test_pdf_ruled_tables(name, break_t2, tmp_path):
    got = _same_as_txt(SEED[name], render.to_pdf(SEED[name], tmp_path / f"{name}.pdf", break_t2))
    assert all(f.locator.startswith("page ") for f in got.facts)
    if break_t2:
        pages = {f.locator.split()[1] for f in got.facts if f.table_code == "t2"}
        assert len(pages) > 1, "t2 should run over a page break in this variant"


def test_docx_nested_tables_and_text_boxes_do_not_crash(tmp_path):
    import docx

    path = render.to_docx(SEED["chuanhui"], tmp_path / "nested.docx")
    document = docx.Document(str(path))
    inner = document.tables[1].cell(5, 4).add_table(rows=2, cols=2)  # a table inside a t2 cell
    inner.cell(0, 0).text = "附注"
    document.add_paragraph("文本框").runs[0]._r.append(
        docx.oxml.parse_xml('<w:pict xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                            'xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent><w:p><w:r>'
                            "<w:t>框内文字</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict>"))
    document.save(path)
    report = parse_bytes(path.read_bytes(), str(path))
    assert report.ok, report.error
    assert len(report.facts) == 200


@pytest.mark.parametrize("name", ["zhanhe", "chuanhui"])
def test_pdf_without_ruling_lines_reads_the_text_layer(name, tmp_path):
    """A PDF whose 'table' is only text: numbers separated by spaces."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / f"{name}-text.pdf"
    c = canvas.Canvas(str(path))
    y = 800
    for line in SEED[name].read_text(encoding="utf-8").splitlines():
        c.setFont("STSong-Light", 6)
        c.drawString(20, y, " ".join(cell for cell in line.split("\t") if cell.strip())[:150])
        y -= 9
        if y < 30:
            c.showPage()
            y = 800
    c.save()
    got = _parsed(path)
    assert got.layout.startswith("pdf-text"), got.layout
    base = _parsed(SEED[name])
    assert {(f.table_code, f.row_code, f.col_code): f.value for f in got.facts} == {
        (f.table_code, f.row_code, f.col_code): f.value for f in base.facts}
