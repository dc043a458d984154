"""The text reader: layouts detected from the lines themselves, never the file name."""

from __future__ import annotations

import pytest

from pipeline.encoding import decode_bytes
from pipeline.model import ReportError
from pipeline.readers.text import build_table, document_from_text, read_text

from .conftest import SEED


def _grid(lines: list[str], hint: str = "t2"):
    return build_table(list(enumerate(lines, start=1)), hint)


@pytest.mark.parametrize(
    ("name", "layouts"),
    [
        ("wujiang", {"newline-cell-per-line"}),
        ("qindu", {"pipe-cell-per-line"}),
        ("xushui", {"newline-cell-per-line"}),
        ("zhanhe", {"tab-rows"}),
        ("chuanhui", {"tab-rows"}),
    ],
)
def test_seed_layouts_detected(name, layouts):
    doc = read_text(SEED[name].read_bytes(), str(SEED[name]))
    assert set(doc.layout.split(",")) == layouts
    assert [t.hint for t in doc.tables] == ["t1", "t2", "t3"]


def test_tab_rows_keep_positions():
    # 003 line 39: label, an empty spanning cell, seven numbers, a trailing tab
    table, layout = _grid(["一、本年新收政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0\t"] * 3)
    assert layout == "tab-rows"
    assert [c.text for c in table.rows[0]] == ["一、本年新收政府信息公开申请数量", "", *["0"] * 7, ""]
    assert table.rows[0][2].locator == "line 1 col 3"


def test_pipe_cell_per_line_groups_rows_by_label():
    # 001: one cell per line ending in ' |', spanning cells as ' | ||'
    lines = ["行政许可 |", "132548 | ||", "第二十条第(六)项 | |||", "信息内容 |", "本年处理决定数量 | ||", "行政处罚 |", "916 | ||"]
    table, layout = _grid(lines, "t1")
    assert layout == "pipe-cell-per-line"
    assert [[c.text for c in row] for row in table.rows] == [
        ["行政许可", "132548"], ["第二十条第(六)项", "信息内容", "本年处理决定数量", "行政处罚", "916"]]
    assert not table.positional


def test_markdown_pipe_rows_drop_the_opening_bar():
    table, layout = _grid(["| 规章 |       0 |        0 |         0 | ", "| 行政规范性文件 |       2 |        0 |         8 | "], "t1")
    assert layout == "pipe-rows"
    assert [c.text for c in table.rows[1]][:4] == ["行政规范性文件", "2", "0", "8"]


def test_pdf_text_numbers_separated_by_spaces():
    table, layout = _grid(["结果 结果 其他 尚未 总", "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"], "t3")
    assert layout == "newline-rows"
    assert [c.text for c in table.rows[1]] == ["0"] * 15


def test_prose_inside_a_table_section_stays_text():
    doc = document_from_text("二、主动公开政府信息情况\n本年度我单位没有制发规章，也没有行政规范性文件，以下表格如实填列。各项数据如下。\n规章\n0\n0\n0\n", "x.txt")
    assert len(doc.tables) == 1
    assert any("各项数据如下" in b.text for b in doc.blocks)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig", "utf-16-be"])
def test_encodings_decode_to_the_same_text(encoding):
    text = SEED["chuanhui"].read_text(encoding="utf-8")
    data = text.encode(encoding)
    assert decode_bytes(data)[0] == text


def test_short_gbk_title_is_not_mistaken_for_utf16():
    data = "川汇区政府办公室".encode("gbk")
    assert decode_bytes(data) == ("川汇区政府办公室", "gb18030")


@pytest.mark.parametrize(("data", "reason"), [(b"", "empty file"), (b"  \n\n", "empty file"),
                                               (bytes(range(256)) * 4, "binary")])
def test_undecodable_input_has_a_reason(data, reason):
    with pytest.raises(ReportError, match=reason):
        decode_bytes(data)
