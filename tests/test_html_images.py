"""Web pages whose tables are pictures: the images saved beside the page (or inline
as data: URIs) are OCR'd with the page into one report; an image beside its page
is never a report of its own.

The fixture is a seed as a CMS page with its t2 replaced by ``<img src=images/t2.png>``,
the PNG a 150-dpi noisy scan of that table printed alone.
"""

from __future__ import annotations

import base64
import os
import time

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.companions import image_sources, images_of
from pipeline.page_bundle import is_bundle, pack, unpack
from pipeline.parse import parse_bytes
from pipeline.readers import ocr

from . import render
from .conftest import SEED


def _needs_ocr() -> None:
    if not ocr.available():
        if os.environ.get("CI"):
            pytest.fail("the OCR extra (rapidocr, onnxruntime) is missing in CI", pytrace=False)
        pytest.skip("OCR extra not installed: pip install 'ogi[ocr]'")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """(page HTML with t2 as an image, the PNG, the seed's own cells)."""
    _needs_ocr()
    from benchmarks import render as shapes
    from benchmarks import scans

    items = render.layout(SEED["wujiang"])
    t2_at = [i for i, (kind, _c) in enumerate(items) if kind != "p"][1]
    pdf = shapes.to_pdf([items[t2_at]], tmp_path_factory.mktemp("t2") / "t2.pdf").read_bytes()
    png = scans.image_file(scans.scanned_pages(pdf, dpi=150, seed=3)[0], "PNG")
    items[t2_at] = ("img", "images/t2.png?v=2")
    truth = render.cells_of(parse_bytes(SEED["wujiang"].read_bytes(), "wujiang.txt"))
    return shapes.to_html(items), png, truth


def _right_or_left_out(facts: dict, truth: dict) -> int:
    """Every OCR'd t2 number equals the seed's (a cell OCR could not read is absent or
    blank, never another number); returns how many t2 cells are right."""
    for key, value in facts.items():
        if key[0] == "t2" and value is not None:
            assert value == truth[key], f"{key}: OCR placed {value}, the table says {truth[key]}"
    return sum(facts.get(k) == v for k, v in truth.items() if k[0] == "t2")


def test_a_page_and_the_table_image_beside_it_are_one_report(page, tmp_path):
    from pipeline.cli import main

    html, png, truth = page
    raw = tmp_path / "raw"
    (raw / "images").mkdir(parents=True)
    (raw / "report.html").write_bytes(html)
    (raw / "images" / "t2.png").write_bytes(png)
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(raw), "--db", str(db), "-q", "--jobs", "1"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    files = dict(con.execute("SELECT regexp_extract(source_path, '[^/]+$'), status FROM files").fetchall())
    assert files == {"report.html": "loaded", "t2.png": "page_image"}
    (layout,) = con.execute("SELECT layout FROM reports").fetchone()
    assert layout == "html-tables+ocr"
    facts = {(t, r, c): v for t, r, c, v in con.execute(
        "SELECT table_code, row_code, col_code, value FROM facts").fetchall()}
    sources = dict(con.execute("SELECT table_code, string_agg(DISTINCT source) FROM facts GROUP BY 1").fetchall())
    con.close()
    assert sources == {"t1": "text", "t2": "ocr", "t3": "text"}
    assert _right_or_left_out(facts, truth) >= 170  # of 175; measured 175 (168 before the second look at 一 for 1)
    assert all(facts[k] == v for k, v in truth.items() if k[0] != "t2")


def test_a_changed_table_image_re_reads_its_page(page, tmp_path):
    from pipeline.cli import main

    html, png, _truth = page
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "report.html").write_bytes(html.replace(b"images/t2.png?v=2", b"t2.png"))
    (raw / "t2.png").write_bytes(png)
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(raw), "--db", str(db), "-q", "--jobs", "1"]) == 0
    assert main(["ingest", str(raw), "--db", str(db), "-q", "--jobs", "1"]) == 0  # nothing new: nothing OCR'd
    con = duckdb.connect(str(db), read_only=True)
    first = con.execute("SELECT report_id FROM reports").fetchall()
    con.close()
    (raw / "t2.png").write_bytes(png + b"\0")  # other bytes, the same picture
    later = time.time() + 5
    os.utime(raw / "t2.png", (later, later))
    assert main(["ingest", str(raw), "--db", str(db), "-q", "--jobs", "1"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    assert len(first) == 1 and con.execute("SELECT report_id FROM reports").fetchall() != first
    assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 1  # replaced, not added
    con.close()


def test_a_table_image_inline_as_a_data_uri_is_read(page):
    html, png, truth = page
    inline = b"data:image/png;base64," + base64.b64encode(png)
    report = parse_bytes(html.replace(b"images/t2.png?v=2", inline), "report.html")
    assert report.ok, report.error
    assert _right_or_left_out(render.cells_of(report), truth) >= 170


def test_a_table_image_not_saved_beside_the_page_is_named_not_guessed(page):
    _needs_ocr()
    html, _png, _truth = page
    report = parse_bytes(html, "report.html")
    assert report.ok
    assert not [f for f in report.facts if f.table_code == "t2" and f.value is not None]
    assert any("t2: the table is an image (t2.png), not read" in w and "not beside the page" in w
               for _stage, w in report.warnings)


def test_image_sources_take_every_lazy_loading_attribute_and_the_page_encoding():
    page = ("<p><img class=x src=\"blank.gif\" data-src='表2.png?x=1&amp;y=2'><IMG SRC=t3.jpg></p>"
            .encode("gb18030"))
    assert image_sources(page) == ["blank.gif", "表2.png?x=1&y=2", "t3.jpg"]


def test_an_image_outside_the_page_folder_is_not_taken(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "secret.png").write_bytes(b"x")
    (tmp_path / "site" / "t2.png").write_bytes(b"x")
    page = tmp_path / "site" / "r.html"
    found = images_of(page, b"<img src='../secret.png'><img src='http://www.gov.cn/u/t2.png'>")
    assert found == {"http://www.gov.cn/u/t2.png": tmp_path / "site" / "t2.png"}  # by name, beside the page


@given(st.binary(max_size=200), st.dictionaries(st.text(min_size=1, max_size=20), st.binary(max_size=50), max_size=4))
def test_a_page_packed_with_its_images_comes_back_whole(page_bytes, images):
    packed = pack(page_bytes, images)
    assert is_bundle(packed) and unpack(packed) == (page_bytes, images)


def test_a_file_that_only_looks_packed_is_a_clear_error():
    from pipeline.page_bundle import MAGIC

    assert parse_bytes(MAGIC + b"[99]\n<html>", "x.html").error.startswith("a file that starts like a packed page")
