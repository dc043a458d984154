"""PDF tables printed without ruling lines: the grid rebuilt from word positions.
Fixtures: the seeds printed with borders off (benchmarks.render_pdf); every cell is
compared with the seed's own TXT."""

from __future__ import annotations

import pdfplumber
import pytest

from benchmarks.render_pdf import PdfLayout
from pipeline.parse import parse_bytes
from pipeline.readers.pdf_borderless import Word, rebuild_grid

from . import render
from .conftest import SEED


def _read(name: str, tmp_path, **options):
    path = render.to_pdf_layout(SEED[name], tmp_path / f"{name}.pdf", PdfLayout(borders=False, **options))
    return path, parse_bytes(path.read_bytes(), str(path))


@pytest.mark.parametrize(("name", "options"), [
    ("wujiang", {}),
    ("qindu", {"label_width": 110}),
    ("xushui", {"valign": "TOP", "font_size": 10.5}),
    ("zhanhe", {"cut_row": "not_processed_confirmation"}),
    ("chuanhui", {"cut_row": "other_overdue_fee", "cut_lines": 2, "repeat_header": True}),
])
def test_borderless_tables_read_cell_for_cell(name, options, tmp_path):
    path, report = _read(name, tmp_path, **options)
    with pdfplumber.open(path) as pdf:
        assert not any(p.find_tables() for p in pdf.pages), "the fixture must have no ruling lines"
        assert not any(p.lines or p.rects for p in pdf.pages)
    assert report.ok, report.error
    assert "pdf-borderless" in report.layout
    assert render.cells_of(report) == render.cells_of(parse_bytes(SEED[name].read_bytes(), "seed.txt"))


def test_t3_header_one_character_per_line(tmp_path):
    path, report = _read("chuanhui", tmp_path, font_size=10.5)
    with pdfplumber.open(path) as pdf:
        words = [w["text"] for p in pdf.pages for w in p.extract_words()]
    assert {"结", "果", "维", "持"} <= set(words), "the t3 header should stand one character per line"
    assert render.cells_of(report) == render.cells_of(parse_bytes(SEED["chuanhui"].read_bytes(), "seed.txt"))
    assert not [w for _s, w in report.warnings if w.startswith("t3")]


def _w(text, x0, top, size=9.0):
    from pipeline.values import is_value

    return Word(text, x0, x0 + size * max(1, len(text)) * (0.5 if text.isdigit() else 1), top, top + size, size,
                is_value(text))


def _table(rows):
    """Words of a small borderless table: label at x 50, values centred at x 200, 250, 300."""
    words, top = [], 100.0
    for label, values in rows:
        words.append(_w(label, 50, top))
        for x, v in zip((200, 250, 300), values, strict=False):
            if v is not None:
                words.append(_w(v, x - 2.25 * len(v) + (v == "7") * 0, top))
        top += 18
    return words


def test_a_number_between_two_columns_is_never_placed():
    words = _table([("规章", ("1", "2", "3")), ("行政规范性文件", ("4", "5", "6"))])
    words.append(_w("8", 225 - 2.25, 136))  # a third row, its one number half-way between columns 1 and 2
    words.append(_w("行政许可", 50, 136))
    warnings: list[str] = []
    grid = rebuild_grid(words, "page 1 table 1", warnings)
    texts = [[t for t, _ in row] for row in grid]
    assert ["规章", "1", "2", "3"] in texts and ["行政规范性文件", "4", "5", "6"] in texts
    assert not any("8" in row for row in texts)
    assert any("not clearly in one column" in w for w in warnings)


def test_numbers_not_in_columns_give_no_grid():
    words = [_w("规章", 50, 100), _w("1", 120, 100), _w("2", 130, 100), _w("行政规范性文件", 50, 118),
             _w("4", 150, 118), _w("5", 190, 118)]
    assert rebuild_grid(words, "page 1 table 1", []) is None
