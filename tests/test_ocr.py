"""Scanned reports through the OCR reader into a warehouse: every cell right or
flagged, provenance kept, nothing fetched from the network.

OCR costs seconds a page, so CI reads one seed's scan (3 pages) and one JPEG of
its t2 page, once per session; the five-seed accuracy figure is measured by
``python -m benchmarks.ocr_accuracy``.
"""

from __future__ import annotations

import os
import socket
import sys

import pytest

from pipeline.parse import parse_bytes
from pipeline.readers import ocr

from . import render
from .conftest import SEED

if not ocr.available():
    if os.environ.get("CI"):
        pytest.fail("the OCR extra (rapidocr, onnxruntime) is missing in CI", pytrace=False)
    pytest.skip("OCR extra not installed: pip install 'ogi[ocr]'", allow_module_level=True)

from benchmarks import scans  # noqa: E402  (numpy/Pillow come with the extra)


def _cells(report) -> dict[tuple[str, str, str], object]:
    return {(f.table_code, f.row_code, f.col_code): f.value for f in report.facts or ()}


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """The 韶关市武江区 seed printed, scanned at 150 dpi with noise and a slight skew."""
    tmp = tmp_path_factory.mktemp("ocr")
    pdf = render.to_pdf(SEED["wujiang"], tmp / "wujiang.pdf").read_bytes()
    pages = scans.scanned_pages(pdf, dpi=150, seed=7)
    return {"pdf": scans.image_pdf(pages), "t2.jpg": scans.image_file(pages[1], "JPEG"), "pages": pages}


@pytest.fixture(scope="module")
def read(scanned):
    """Each scanned file parsed once, with every socket refused (no model download, no network)."""
    real = socket.socket

    class NoNetwork(real):
        def connect(self, *_a, **_k):
            raise OSError("network disabled by the test")

    socket.socket = NoNetwork
    try:
        return {name: parse_bytes(scanned[name], f"scan-{name}" if name != "pdf" else "scan.pdf")
                for name in ("pdf", "t2.jpg")}
    finally:
        socket.socket = real


def test_scanned_pdf_every_cell_right_or_flagged(read):
    truth = _cells(parse_bytes(SEED["wujiang"].read_bytes(), "wujiang.txt"))
    report = read["pdf"]
    assert report.ok, report.error
    assert report.layout.startswith("pdf-ocr")
    got = _cells(report)
    right = sum(got.get(k) == v for k, v in truth.items())
    assert right / len(truth) >= 0.99, f"{right} of {len(truth)} cells right"
    suspect = {f.locator for f in report.facts if report.cell_confidence.get(f.locator, 0) < 0.9}
    for f in report.facts:
        key = (f.table_code, f.row_code, f.col_code)
        if key in truth and f.value != truth[key]:
            assert f.locator in suspect, f"wrong OCR number not flagged: {key} {f.value} != {truth[key]}"
    assert (report.year, report.body) == (2024, "韶关市武江区人民政府办公室")


def test_scanned_jpeg_of_t2_reads_its_cells(read):
    truth = _cells(parse_bytes(SEED["wujiang"].read_bytes(), "wujiang.txt"))
    report = read["t2.jpg"]
    assert report.ok, report.error
    got = {k: v for k, v in _cells(report).items() if k[0] == "t2"}
    assert got, "no t2 cells read from the image"
    assert all(truth[k] == v for k, v in got.items())


def test_ocr_facts_carry_their_provenance_in_the_warehouse(read, tmp_path):
    from pipeline.warehouse import connect, load_batch

    con = connect(tmp_path / "w.duckdb")
    load_batch(con, [read["pdf"], parse_bytes(SEED["qindu"].read_bytes(), "qindu.txt")], [])
    rows = dict(con.execute("SELECT source, count(*) FROM facts GROUP BY source").fetchall())
    assert rows["ocr"] == len(read["pdf"].facts) and rows["text"] == 200
    scored, unscored_numbers = con.execute(
        "SELECT count(confidence), count(*) FILTER (WHERE confidence IS NULL AND value IS NOT NULL) "
        "FROM facts WHERE source = 'ocr'").fetchone()
    assert scored > 150 and unscored_numbers == 0
    assert con.execute("SELECT count(*) FROM facts WHERE source = 'text' AND suspect").fetchone()[0] == 0


def test_without_the_extra_a_scan_is_quarantined_with_the_install_hint(scanned, monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # import rapidocr -> ImportError
    report = parse_bytes(scanned["pdf"], "scan.pdf")
    assert report.error == "no text layer (scanned image): " + ocr.OCR_ADVICE
    assert "pip install 'ogi[ocr]'" in parse_bytes(scanned["t2.jpg"], "t2.jpg").error


def test_ocr_off_quarantines_scans_without_running_it(scanned, monkeypatch):
    monkeypatch.setenv("OGI_OCR", "off")
    assert parse_bytes(scanned["pdf"], "scan.pdf").error == "no text layer (scanned image) and OCR is off (--no-ocr)"


def test_a_blank_scan_is_quarantined_not_loaded_empty():
    from PIL import Image

    blank = scans.image_pdf([Image.new("L", (1240, 1754), 250)])
    assert "OCR found no text" in parse_bytes(blank, "blank.pdf").error


def test_a_broken_image_file_is_quarantined_with_a_reason():
    assert parse_bytes(b"\x89PNG\r\n\x1a\n broken", "t2.png").error.startswith("not a readable image")


def test_an_ocr_number_breaking_an_identity_becomes_suspect(read, tmp_path):
    """A misread digit breaks a 勾稽关系: validation marks the cells of the failing identity suspect."""
    from pipeline.checks import validate_warehouse
    from pipeline.warehouse import connect, load_batch

    con = connect(tmp_path / "w.duckdb")
    load_batch(con, [read["pdf"]], [])
    query = "SELECT row_code || '.' || col_code FROM facts WHERE table_code = 't2' AND suspect"
    before = {r[0] for r in con.execute(query).fetchall()}  # cells read with a low score
    # As if OCR had read 3 for the 0 of 予以公开 / 自然人.
    con.execute("UPDATE facts SET value = 3 WHERE row_code = 'granted' AND col_code = 'natural_person'")
    validate_warehouse(con, tmp_path / "quality")
    suspect = {r[0] for r in con.execute(query).fetchall()} - before
    assert "granted.natural_person" in suspect
    assert "new_received.total" not in suspect  # in no failing identity

    # The report's quality page says what the identities show about the OCR.
    rid, = con.execute("SELECT report_id FROM reports").fetchone()
    held, broken, flagged = con.execute(
        "SELECT count(*) FILTER (WHERE passed), count(*) FILTER (WHERE NOT passed), "
        "(SELECT count(*) FROM facts WHERE source = 'ocr' AND suspect) "
        "FROM check_results WHERE suite = 'identities'").fetchone()
    page = (tmp_path / "quality" / "r" / rid[:2] / f"{rid}.html").read_text(encoding="utf-8")
    assert held > 0 and broken > 0
    assert f"勾稽关系 {held} 项成立、{broken} 项不成立" in page
    assert f"不成立的关系所涉单元格已标为可疑（红框，共 {flagged} 个）" in page


def test_no_ocr_flag_quarantines_scans_with_the_reason(scanned, tmp_path, monkeypatch):
    from pipeline.cli import main

    monkeypatch.setenv("OGI_OCR", "on")  # restored after the test: main() sets it for its run
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "scan.pdf").write_bytes(scanned["pdf"])
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(raw), "--db", str(db), "--no-ocr", "-q", "--jobs", "1"]) == 1
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT reason FROM quarantine").fetchone()[0].endswith("OCR is off (--no-ocr)")
    con.close()


def test_an_ocr_page_has_its_own_time_limit_and_gives_the_file_its_time_back():
    """A scan of many pages is not cut off by --timeout, which is sized for text layers."""
    import signal

    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        with ocr.page_time_limit("page 1"):
            during, _ = signal.getitimer(signal.ITIMER_REAL)
        after, _ = signal.getitimer(signal.ITIMER_REAL)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    assert ocr.PAGE_SECONDS - 5 < during <= ocr.PAGE_SECONDS
    assert 25 < after <= 30


def test_a_page_ocr_cannot_finish_in_time_quarantines_the_file_naming_the_page(scanned, monkeypatch):
    from pipeline.ingest import _parse_job

    monkeypatch.setattr(ocr, "PAGE_SECONDS", 0.05)
    report = _parse_job((scanned["pdf"], "scan.pdf", 30))
    assert report.error == ("OCR of page 1 took longer than 0.05 s (per-page limit, OGI_OCR_PAGE_SECONDS): "
                            "skipped")
    report = _parse_job((scanned["t2.jpg"], "t2.jpg", 30))
    assert report.error.startswith("OCR of the image took longer than 0.05 s")


def _cell_with(draw_mark, detected: str | None = "一") -> list[list[str]]:
    """A 2 x 3 ruled table whose one value cell holds what ``draw_mark`` draws, handed to
    the grid builder with a box the detector read as ``detected`` over it (None: the
    detector found nothing there)."""
    from PIL import Image, ImageDraw, ImageFont

    from pipeline.readers.ocr import Box
    from pipeline.readers.ocr_grid import page_items

    image = Image.new("L", (700, 260), 255)
    d = ImageDraw.Draw(image)
    for y in (60, 120, 180):
        d.line([(40, y), (660, y)], fill=0, width=2)
    for x in (40, 340, 500, 660):
        d.line([(x, 60), (x, 180)], fill=0, width=2)
    font = ImageFont.load_default(size=30)
    d.text((70, 72), "总计", fill=0, font=font)
    d.text((410, 72), "7", fill=0, font=font)
    draw_mark(d, font)
    boxes = [Box("总计", 0.99, 66, 70, 140, 108), Box("7", 0.99, 404, 70, 430, 108),
             Box("名称", 0.99, 66, 130, 140, 168)]
    if detected is not None:
        boxes.append(Box(detected, 0.85, 404, 130, 450, 168))
    found = page_items(image, boxes, "ocr")
    return [[text for text, _loc in row] for _top, kind, grid in found.items if kind == "table" for row in grid]


def test_a_digit_misread_as_a_cjk_stroke_is_read_again_on_its_own():
    cells = _cell_with(lambda d, font: d.text((410, 132), "1", fill=0, font=font))
    assert cells == [["总计", "7", ""], ["名称", "1", ""]]


def test_a_dash_read_as_a_cjk_stroke_stays_a_dash_not_a_digit():
    cells = _cell_with(lambda d, _font: d.line([(404, 150), (430, 150)], fill=0, width=2))
    assert cells[1][1] == "一"  # the mapper reads it as text, never as the number 1


def test_a_blot_read_as_a_cjk_stroke_is_not_made_a_number():
    cells = _cell_with(lambda d, _font: d.rectangle([404, 132, 430, 166], fill=0))
    assert cells[1][1] == "一"


def test_a_digit_the_detector_found_no_box_for_is_read_in_its_cell():
    cells = _cell_with(lambda d, font: d.text((410, 132), "5", fill=0, font=font), detected=None)
    assert cells[1][1] == "5"


def test_a_second_look_that_loses_a_character_is_not_taken(monkeypatch):
    """'L1' for 17 read again as '1' would be a wrong number: left blank instead."""
    monkeypatch.setattr(ocr, "recognise_line", lambda _crop: ("1", 0.99))
    cells = _cell_with(lambda d, font: d.text((410, 132), "17", fill=0, font=font), detected="L1")
    assert cells[1][1] == ""  # unreadable: blank with a warning, never 1


def test_the_pages_of_one_scan_are_read_side_by_side_and_in_page_order(scanned, read, monkeypatch):
    """Alone on the main thread, a scan's pages are OCR'd on a thread per core; the report
    equals one read a page at a time (OGI_OCR_THREADS=1)."""
    import threading

    seen: dict[str, str] = {}
    ocr_page = ocr.ocr_page

    def recording(image, where):
        seen[where] = threading.current_thread().name
        return ocr_page(image, where)

    monkeypatch.setattr(ocr, "ocr_page", recording)
    monkeypatch.setenv("OGI_OCR_THREADS", "2")
    side_by_side = parse_bytes(scanned["pdf"], "scan.pdf")
    assert sorted(seen) == [f"page {i} ocr" for i in range(1, len(scanned["pages"]) + 1)]
    assert all(name.startswith("ogi-ocr-page") for name in seen.values()), seen
    monkeypatch.setenv("OGI_OCR_THREADS", "1")
    seen.clear()
    one_at_a_time = parse_bytes(scanned["pdf"], "scan.pdf")
    assert set(seen.values()) == {threading.main_thread().name}
    as_rows = lambda r: [(f.table_code, f.row_code, f.col_code, f.value, f.locator) for f in r.facts]  # noqa: E731
    assert as_rows(side_by_side) == as_rows(one_at_a_time)
    assert side_by_side.warnings == one_at_a_time.warnings


def test_a_worker_process_reads_its_pages_one_at_a_time(monkeypatch):
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "parent_process", lambda: object())
    assert ocr.page_threads(5) == 1
