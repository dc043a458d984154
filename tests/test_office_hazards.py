"""Real-world office hazards: span bombs, DOCX text boxes / layout tables / tracked
changes, old CMS pages, CSS-grid and image tables, .xlsx, and legacy formats
converted by LibreOffice. Fixtures are built here from the seeds' own values
(benchmarks/hazards_office.py), never committed binaries."""

from __future__ import annotations

import io
import os
import time
import tracemalloc
import zipfile

import pytest

from benchmarks import hazards_office as hz
from pipeline.parse import parse_bytes
from pipeline.readers import ocr, read_document

from .conftest import SEED

SEEDS = {name: path for name, path in SEED.items()}


def _values(report) -> dict:
    return {(f.table_code, f.row_code, f.col_code): f.value for f in report.facts}


def _check_like_txt(data: bytes, filename: str, seed) -> object:
    report = parse_bytes(data, filename)
    assert report.ok, report.error
    base = parse_bytes(seed.read_bytes(), str(seed))
    assert _values(report) == _values(base)
    for name in ("year", "body", "template_version"):
        assert getattr(report, name) == getattr(base, name), name
    return report


def _measured(data: bytes, filename: str):
    import docx.oxml.parser  # noqa: F401  (imports are not what is measured)
    import lxml.html  # noqa: F401

    import pipeline.readers.docx  # noqa: F401
    import pipeline.readers.html  # noqa: F401

    tracemalloc.start()
    start = time.perf_counter()
    try:
        report = parse_bytes(data, filename)
    finally:
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return report, elapsed, peak


# --- span bombs (issue 11 item 3) -------------------------------------------------

HTML_COLSPAN_BOMB = (b"<html><head><meta charset='utf-8'></head><body><p>2024\xe5\xb9\xb4</p><table>"
                     b"<tr><td colspan='2000000000'>\xe8\xa7\x84\xe7\xab\xa0</td><td>1</td></tr>"
                     b"<tr><td rowspan='900000000' colspan='60'>0</td></tr></table></body></html>")


def _gridspan_bomb() -> bytes:
    doc = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl>'
           '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2000000000"/></w:tcPr><w:p><w:r><w:t>规章</w:t></w:r></w:p></w:tc>'
           '</w:tr></w:tbl></w:body></w:document>')
    ct = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("word/document.xml", doc)
    return buf.getvalue()


@pytest.mark.parametrize("filename, data, reason", [
    ("bomb.html", HTML_COLSPAN_BOMB, "colspan=2000000000"),
    ("bomb.docx", _gridspan_bomb(), "w:gridSpan=2000000000"),
], ids=["html-colspan", "docx-gridspan"])
def test_a_span_bomb_is_quarantined_in_milliseconds(filename, data, reason):
    assert len(data) < 700  # a few hundred bytes, like the probe's 169-byte HTML and 532-byte DOCX
    report, elapsed, peak = _measured(data, filename)
    assert report.error and reason in report.error and "span bomb" in report.error
    # Safety bounds only (the figures are in benchmarks/RESULTS.md): before the cap this took 61-74 s and 6-8 GB.
    assert elapsed < 2 and peak < 100 * 2**20, (elapsed, peak)


def test_a_huge_rowspan_ends_with_the_table_as_in_a_browser():
    page = (b"<html><body><p>\xe4\xb8\x89\xe3\x80\x81</p><table><tr><td rowspan='999999999'>a</td><td>b</td></tr>"
            b"<tr><td>c</td></tr></table></body></html>")
    report, elapsed, peak = _measured(page, "rowspan.html")
    assert elapsed < 2 and peak < 100 * 2**20
    assert report.error  # no report in it, but no blow-up either


def test_a_table_wider_than_a_report_table_is_refused():
    cells = "".join(f"<td>{i}</td>" for i in range(70))
    page = (f"<html><body><table><tr><td>行政规范性文件</td>{cells}</tr><tr><td>行政许可</td><td>1</td></tr>"
            "<tr><td>行政处罚</td><td>2</td></tr></table></body></html>").encode()
    assert "columns wide" in parse_bytes(page, "wide.html").error


def test_a_table_longer_than_a_report_table_is_skipped_with_a_warning():
    from lxml import etree

    def annex_after_t3(zoom, rows):
        if not hz._is(rows, hz.render.t3_spans):
            return False
        hz._html_table(zoom, rows)
        annex = etree.SubElement(zoom, "table")
        for i in range(600):  # an annex: 600 rows, a template label and numbers in it
            tr = etree.SubElement(annex, "tr")
            etree.SubElement(tr, "td").text = "行政规范性文件" if i == 0 else f"附件目录第{i}项"
            etree.SubElement(tr, "td").text = str(i + 1)
        return True

    page = hz.cms_page(hz.seed_layout(SEEDS["chuanhui"])[0], charset="utf-8", table_hook=annex_after_t3)
    report = parse_bytes(page, "long.html")
    assert any("600 rows, over the 500-row limit" in w for _s, w in report.warnings)
    assert _values(report) == _values(parse_bytes(SEEDS["chuanhui"].read_bytes(), "x.txt"))


# --- DOCX (issue 12 item 5) -------------------------------------------------------

@pytest.mark.parametrize("name", list(SEEDS))
@pytest.mark.parametrize("builder", [hz.docx_text_boxes, hz.docx_layout_frames, hz.docx_tracked_changes])
def test_docx_hazards_read_like_the_txt(builder, name):
    _check_like_txt(builder(SEEDS[name]), f"{name}.docx", SEEDS[name])


def test_a_text_box_is_read_once_from_its_choice_not_its_vml_fallback():
    data = hz.docx_text_boxes(SEEDS["chuanhui"])
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert xml.count("<w:txbxContent>") == 4 and "v:textbox" in xml and "wps:txbx" in xml  # each box twice
    doc = read_document(data, "boxes.docx")
    plain = read_document(hz.docx_plain(SEEDS["chuanhui"]), "plain.docx")
    assert len(doc.tables) == len(plain.tables)
    assert [t.hint for t in doc.tables] == [t.hint for t in plain.tables]
    assert sum(b.text == "（单位：件）" for b in doc.blocks) == 2  # the boxes' captions, once each


def test_tracked_changes_read_the_document_as_it_reads_now():
    data = hz.docx_tracked_changes(SEEDS["chuanhui"])
    doc = read_document(data, "tracked.docx")
    assert "999" not in doc.text and "此句已删除" not in doc.text and "（补充说明。）" in doc.text
    report = _check_like_txt(data, "tracked.docx", SEEDS["chuanhui"])
    assert not any("printed twice" in w for _s, w in report.warnings)  # the deleted stale row is not read


# --- HTML from old CMS sites (issue 12 item 6) -------------------------------------

@pytest.mark.parametrize("name", list(SEEDS))
def test_cms_page_with_layout_tables_nav_calendar_counter(name):
    data = hz.html_cms(SEEDS[name])
    assert b"id=\"Zoom\"" in data and "网站标识码".encode("gb18030") in data and b"charset=gb2312" in data
    assert "办件统计".encode("gb18030") in data and b"<br>" in data and b"&nbsp;" in data
    report = _check_like_txt(data, f"{name}.html", SEEDS[name])
    assert all("not recognisable" not in w for _s, w in report.warnings)  # the chrome never reaches the mapper


@pytest.mark.parametrize("name", ["chuanhui", "xushui", "qindu"])
def test_css_grid_and_css_table_divs_are_read(name):
    data = hz.html_css_grid(SEEDS[name])
    assert b"grid-template-columns:repeat(10" in data and b"display:table-cell" in data
    _check_like_txt(data, f"{name}.html", SEEDS[name])


def test_div_rows_without_an_explicit_grid_are_quarantined_saying_so():
    error = parse_bytes(hz.html_div_rows(SEEDS["chuanhui"]), "flex.html").error
    assert "<div>s without an explicit grid" in error


def test_a_table_pasted_as_an_image_is_named_never_read():
    report = parse_bytes(hz.html_t2_image(SEEDS["chuanhui"]), "img.html")
    assert report.ok
    assert not [f for f in report.facts if f.table_code == "t2" and f.value is not None]
    assert any("t2: the table is an image (01_table.png)" in w for _s, w in report.warnings)
    base = _values(parse_bytes(SEEDS["chuanhui"].read_bytes(), "x.txt"))
    assert all(base[k] == v for k, v in _values(report).items() if k[0] != "t2")


def test_a_page_whose_tables_are_all_images_is_quarantined_naming_them(monkeypatch):
    """The page alone (its images not saved beside it): quarantined, naming the images and why."""
    error = parse_bytes(hz.html_all_images(SEEDS["chuanhui"]), "imgs.html").error
    assert error == ("the report's tables are images (01_table.png, 02_table.png, 03_table.png): no text to read; "
                     + ("the image file is not beside the page in the raw folder" if ocr.available() else ocr.OCR_ADVICE))
    monkeypatch.setenv("OGI_OCR", "off")
    assert parse_bytes(hz.html_all_images(SEEDS["chuanhui"]), "imgs.html").error.endswith("OCR is off (--no-ocr)")


# --- .xlsx (issue 12 item 7) --------------------------------------------------------

@pytest.mark.parametrize("name", list(SEEDS))
def test_xlsx_with_merged_and_numeric_cells(name):
    report = _check_like_txt(hz.xlsx_workbook(SEEDS[name]), f"{name}.xlsx", SEEDS[name])
    assert all(not f.raw_text.endswith(".0") for f in report.facts)
    assert 999999 not in _values(report).values()  # the hidden working sheet is not read


# --- legacy formats through LibreOffice -----------------------------------------------

def _need_soffice():
    from pipeline.readers.office import soffice

    if soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("soffice missing in CI: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) is not installed")


@pytest.fixture(scope="session")
def legacy() -> dict[str, hz.Fixture]:
    """.doc/.rtf/.odt/.xls of a seed, converted once per session (one soffice run per format)."""
    _need_soffice()
    seeds = [SEED["chuanhui"]]
    return {f.name: f for f in hz.legacy_files(seeds, ("doc", "rtf", "odt", "xls"))}


@pytest.mark.parametrize("fmt", ["doc", "rtf", "odt", "xls"])
@pytest.mark.parametrize("name", ["chuanhui"])
def test_legacy_formats_are_converted_and_read(legacy, fmt, name):
    fixture = legacy[f"{fmt}:{SEED[name].stem}"]
    report = _check_like_txt(fixture.data, fixture.filename, SEED[name])
    assert report.file_format == fmt and report.layout.endswith("(via LibreOffice)")


def test_a_wps_or_et_file_in_the_binary_word_or_excel_format_is_read(legacy):
    # LibreOffice cannot write Kingsoft's own formats: these are the .doc / .xls WPS saves
    # under its own names, not files made by WPS itself.
    doc, xls = legacy[f"doc:{SEED['chuanhui'].stem}"], legacy[f"xls:{SEED['chuanhui'].stem}"]
    _check_like_txt(doc.data, "report.wps", SEED["chuanhui"])
    _check_like_txt(xls.data, "report.et", SEED["chuanhui"])


def test_without_libreoffice_a_doc_is_quarantined_saying_how_to_install_it(monkeypatch):
    from pipeline.readers import office

    monkeypatch.setattr(office, "soffice", lambda: None)
    error = parse_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.doc").error
    assert "soffice was not found" in error and "apt-get install libreoffice-writer-nogui" in error


def test_garbage_named_doc_is_refused_without_starting_libreoffice(monkeypatch):
    from pipeline.readers import office

    monkeypatch.setattr(office.subprocess, "Popen", None)  # would fail loudly if started
    assert "not a valid Word 97-2003 .doc file" in parse_bytes(b"\xd0\xcf\x11\xe0 garbage", "old.doc").error


def _recording_popen(monkeypatch):
    from pipeline.readers import office

    started = []
    real = office.subprocess.Popen

    def popen(*args, **kwargs):
        proc = real(*args, **kwargs)
        started.append(proc)
        return proc

    monkeypatch.setattr(office.subprocess, "Popen", popen)
    return started


def _group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_conversion_past_its_time_limit_is_killed_with_its_process_group(legacy, monkeypatch):
    from pipeline.model import ReportError
    from pipeline.readers import office

    started = _recording_popen(monkeypatch)
    with pytest.raises(ReportError, match="took longer than 0.3 s"):
        office.convert(legacy[f"doc:{SEED['chuanhui'].stem}"].data, ".doc", "docx", timeout=0.3)
    assert started and started[0].returncode is not None and _group_gone(started[0].pid)


def test_the_per_file_alarm_kills_libreoffice_too(legacy, monkeypatch):
    from pipeline.ingest import _parse_job

    started = _recording_popen(monkeypatch)
    report = _parse_job((legacy[f"doc:{SEED['chuanhui'].stem}"].data, "slow.doc", 0.5))
    assert "parsing took longer than 0.5 s" in report.error
    assert started and _group_gone(started[0].pid)
    assert not [p for p in os.listdir("/tmp") if p.startswith("ogi-soffice-")]


def test_spreadsheet_numbers_are_written_as_the_report_prints_them():
    import datetime as dt

    from pipeline.readers.xlsx import cell_text

    assert [cell_text(v) for v in (25, 25.0, 2090.6, 7539.443252, 1e-7, None, " 规章 ")] == [
        "25", "25", "2090.6", "7539.443252", "0.0000001", "", "规章"]
    assert cell_text(dt.datetime(2025, 1, 20)) == "2025年1月20日"


def test_the_office_hazard_registry_has_the_accuracy_scripts_shape():
    first = next(iter(hz.HAZARDS["docx-layout-table"]()))  # builders are lazy: one is enough here
    assert isinstance(first, hz.Fixture) and len(hz.HAZARDS) == 8
    name, filename, data, expected = first
    assert filename.endswith(".docx") and data[:2] == b"PK" and len(expected) == 200
