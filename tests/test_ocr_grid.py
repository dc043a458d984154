"""The OCR grid builder on drawn pages with known boxes: no OCR engine needed."""

from __future__ import annotations

import pytest

PIL = pytest.importorskip("PIL")
pytest.importorskip("cv2")

from PIL import Image, ImageDraw  # noqa: E402

from pipeline.readers.ocr import Box  # noqa: E402
from pipeline.readers.ocr_grid import aligned_grid, deskew, page_items  # noqa: E402


def _ruled_page(merge_label_rows: bool = True) -> Image.Image:
    """A 3-column, 4-row ruled table; the label column's rows 2-3 merged (no border between)."""
    image = Image.new("L", (900, 600), 255)
    d = ImageDraw.Draw(image)
    xs, ys = [100, 400, 600, 800], [100, 160, 220, 280, 340]
    for y in ys:
        d.line([(xs[0], y), (xs[-1], y)], fill=0, width=2)
    for x in xs:
        d.line([(x, ys[0]), (x, ys[-1])], fill=0, width=2)
    if merge_label_rows:
        d.line([(xs[0] + 2, ys[2]), (xs[1] - 2, ys[2])], fill=255, width=4)  # rows 2 and 3 share the label
    return image


def _box(text, x, y, w=60, h=20, score=0.99):
    return Box(text, score, x, y, x + w, y + h)


def test_ruled_table_cells_and_merged_label_in_its_top_left_cell():
    boxes = [_box("（三）不予公开", 150, 200, w=150), _box("1", 480, 170), _box("2", 680, 170),
             _box("3", 480, 230), _box("4", 680, 230), _box("总计", 150, 290), _box("7", 480, 290),
             _box("本年", 150, 110)]
    found = page_items(_ruled_page(), boxes, "page 1 ocr")
    tables = [c for _t, kind, c in found.items if kind == "table"]
    assert len(tables) == 1
    cells = [[text for text, _loc in row] for row in tables[0]]
    # The merged label (rows 2-3) sits in row 2, as pdfplumber gives a merged cell.
    assert cells == [["本年", "", ""], ["（三）不予公开", "1", "2"], ["", "3", "4"], ["总计", "7", ""]]
    assert found.confidence["page 1 ocr table 1 r2c2"] == pytest.approx(0.99)


def test_marks_in_a_cell_with_no_text_read_are_reported_not_filled():
    image = _ruled_page()
    ImageDraw.Draw(image).rectangle([470, 290, 490, 330], fill=0)  # a blot OCR returned nothing for
    found = page_items(image, [_box("总计", 150, 290), _box("x", 150, 110)], "p")
    assert any("r4c2: marks in the cell but no text read" in w for w in found.warnings)
    cells = [[t for t, _ in row] for _top, kind, grid in found.items if kind == "table" for row in grid]
    assert cells[3][1] == ""


def test_a_box_across_a_drawn_border_is_not_placed():
    boxes = [_box("12 34", 430, 170, w=240), _box("总计", 150, 290), _box("本年", 150, 110)]
    found = page_items(_ruled_page(), boxes, "p")
    assert any("'12 34' crosses a ruling line" in w for w in found.warnings)
    cells = [t for _top, kind, grid in found.items if kind == "table" for row in grid for t, _ in row]
    assert "12 34" not in cells


def test_text_outside_tables_becomes_lines_in_page_order():
    boxes = [_box("四、政府信息公开行政复议", 100, 40, w=300), _box("总计", 150, 290), _box("本年", 150, 110),
             _box("存在的主要问题", 100, 400, w=200)]
    found = page_items(_ruled_page(), boxes, "p")
    kinds = [(kind, c if kind == "text" else "table") for _t, kind, c in found.items]
    assert kinds == [("text", "四、政府信息公开行政复议"), ("table", "table"), ("text", "存在的主要问题")]


def test_deskew_levels_a_rotated_page():
    import numpy as np

    page = _ruled_page(merge_label_rows=False).rotate(0.6, fillcolor=255, resample=Image.BICUBIC)
    level = np.asarray(deskew(page))
    rows = (level[:, 150:750] < 128).sum(axis=1)
    assert rows.max() > 550  # a rule lies along one pixel row again


def test_unruled_numbers_go_to_the_column_they_are_under_or_nowhere():
    rows = [("一、本年新收", ["4", "0", "4"]), ("二、上年结转", ["0", "0", "0"]), ("（七）总计", ["3", "0", "3"])]
    boxes = []
    for r, (label, values) in enumerate(rows):
        y = 100 + 40 * r
        boxes.append(_box(label, 20, y, w=150))
        boxes += [_box(v, 300 + 150 * c, y, w=20) for c, v in enumerate(values)]
    boxes.append(_box("9", 375 + 10, 100 + 40 * 3, w=20))  # half-way between two columns
    boxes.append(_box("四、结转", 20, 220, w=100))
    boxes.append(_box("1", 450, 220, w=20))
    boxes.append(_box("1", 600, 220, w=20))
    from pipeline.readers.ocr_grid import PageItems

    out = PageItems()
    top, grid, _taken = aligned_grid(boxes, 20, "p", out)
    cells = [[t for t, _ in row] for row in grid]
    assert cells[0] == ["一、本年新收", "4", "0", "4"]
    assert cells[3] == ["四、结转", "", "1", "1"]
    assert any("'9' is between columns" in w for w in out.warnings)


def test_a_misread_number_is_left_blank_with_a_warning_not_guessed():
    boxes = [_box("（三）不予公开", 150, 200, w=150), _box("I1", 480, 170), _box("2", 680, 170),
             _box("总计", 150, 290), _box("本年", 150, 110)]
    found = page_items(_ruled_page(), boxes, "p")
    cells = [[t for t, _ in row] for _top, kind, grid in found.items if kind == "table" for row in grid]
    assert cells[1][1:] == ["", "2"]
    assert any("OCR read 'I1', not a number; left blank" in w for w in found.warnings)
