"""The text reader: layouts detected from the lines themselves, never the file name."""

from __future__ import annotations

import pytest

from pipeline.encoding import decode_bytes
from pipeline.model import ReportError
from pipeline.readers.text import build_table, document_from_text, read_text

from .conftest import SEED
from .pdftext import plain_copy


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


# --- the one text normaliser ----------------------------------------------------------

def test_radical_map_is_the_unicode_equivalent_unified_ideographs():
    import unicodedata

    from pipeline.encoding import normalise_text, radical_map

    assert normalise_text("⾏政 ⼈ ⼆ ⺠") == "行政 人 二 民"  # U+2F8F, U+2F08, U+2F06, U+2EA0
    m = radical_map()
    assert len(m) > 300
    assert all(0x2E80 <= k <= 0x2FD5 for k in m)
    assert all(unicodedata.name(chr(v)).startswith("CJK UNIFIED IDEOGRAPH") for v in m.values())
    # NFKC folds the Kangxi block the same way; the supplement it leaves alone
    assert all(unicodedata.normalize("NFKC", chr(k)) == chr(v) for k, v in m.items() if k >= 0x2F00)


def test_browser_printed_radicals_and_full_width_digits_read_like_plain_text():
    # the text layer of a page printed by Chromium: 行 as ⾏ (Kangxi), 民 as ⺠ (supplement)
    plain = SEED["qindu"].read_text(encoding="utf-8")
    radicals = plain.replace("行", "⾏").replace("人", "⼈").replace("民", "⺠").replace("2024年", "２０２４年")
    from pipeline.parse import parse_bytes

    a, b = parse_bytes(plain.encode(), "a.txt"), parse_bytes(radicals.encode(), "b.txt")
    assert [(f.row_code, f.col_code, f.value) for f in a.facts] == [(f.row_code, f.col_code, f.value) for f in b.facts]
    assert (b.year, b.body, b.narrative) == (a.year, a.body, a.narrative)


def test_builder_readers_normalise_cells_and_paragraphs():
    from pipeline.readers.sections import DocumentBuilder

    b = DocumentBuilder("x.docx", "docx", "docx-tables")
    b.text("⼆、主动公开政府信息情况", "p 1")
    b.table([[("⾏政许可", "r1c1"), ("１２", "r1c2")]], "table 1")
    assert b.doc.items[0].text == "二、主动公开政府信息情况"
    assert [c.text for c in b.doc.tables[0].rows[0]] == ["行政许可", "12"]
    assert b.doc.tables[0].hint == "t1"


def test_narrative_matches_traditional_text():
    from pipeline.narrative import extract

    doc = document_from_text("一、總體情況\n本年度共收到政府資訊公開申請２５件，已辦結25件。\n二、主动公开政府信息情况\n", "t.txt")
    got = {n.metric: n.value for n in extract(doc)}
    assert got["applications_received"] == 25 and got["applications_handled"] == 25
    assert "收到政府資訊公開申請" in extract(doc)[0].sentence  # kept as printed


# --- text copied from a PDF viewer -------------------------------------------------------

def _at(*parts: tuple[int, str]) -> str:
    """A line as pdftotext -layout prints it: each text at its character column."""
    line = ""
    for col, text in parts:
        line = line.ljust(col) + text
    return line


COLS = (40, 47, 54, 61, 68, 75, 82)  # the seven applicant columns


def _nums(*values: str) -> tuple[tuple[int, str], ...]:
    return tuple((c, v) for c, v in zip(COLS, values, strict=True) if v)


LAYOUT_T2 = "\n".join([
    "三、收到和处理政府信息公开申请情况",
    _at(*zip(COLS, ("自然人", "商业", "科研", "社会", "法律", "其他", "总计"), strict=True)),
    _at(*zip(COLS[1:5], ("企业", "机构", "公益", "服务"), strict=True)),
    _at((0, "一、本年新收政府信息公开申请数量"), *_nums("117", "5", "0", "0", "0", "0", "122")),
    _at((0, "二、上年结转政府信息公开申请数量"), *_nums("11", "", "0", "0", "0", "0", "11")),
    _at((0, "（二）部分公开（区分处理的，只")),
    _at((0, "计这一情形，不计其他情形）"), *_nums("0", "0", "0", "0", "0", "0", "0")),
    _at((12, "1.申请人无正当理由逾")),
    _at((0, "（六）其他"), (12, "期不补正、行政机关不"), *_nums("4", "", "", "", "", "", "4")),
    _at((0, "处理"), (12, "再处理其政府信息公开")),
    _at((12, "申请")),
    _at((30, "第 1 页 共 3 页")),
    "\f" + _at((12, "2.申请人逾期未按收费")),
    _at((12, "通知要求缴纳费用、行"), *_nums("0", "0", "0", "0", "0", "0", "0")),
    _at((12, "政机关不再处理其政府信")),
    _at((12, "息公开申请")),
    _at((30, "- 2 -")),
    _at((12, "3.其他"), (44, "1"), (57, "0"), (71, "0")),
    "四、政府信息公开行政复议、行政诉讼情况",
    "",
])


def test_layout_copy_places_numbers_by_their_columns_and_joins_wrapped_labels():
    doc = document_from_text(LAYOUT_T2, "copied.txt")
    assert doc.layout == "pdftotext-layout"
    from pipeline.mapper import map_document

    r = map_document(doc)
    f = {(x.row_code, x.col_code): x.value for x in r.facts}
    assert f[("new_received", "commercial_enterprise")] == 5
    # a blank cell under 商业企业: the 0s stay in their columns, the blank is NULL
    assert f[("carried_over", "natural_person")] == 11 and f[("carried_over", "commercial_enterprise")] is None
    assert f[("carried_over", "research_institution")] == 0 and f[("carried_over", "total")] == 11
    # labels wrapped over 2-4 lines, numbers on the middle line, a page footer after them
    assert f[("partially_granted", "total")] == 0
    assert f[("other_overdue_correction", "natural_person")] == 4 and f[("other_overdue_correction", "total")] == 4
    assert f[("other_overdue_correction", "other_org")] is None
    assert f[("other_overdue_fee", "total")] == 0
    # three numbers of seven, in columns no full row has: unplaced, with a warning
    assert not any(row == "other_other" for row, _ in f)
    assert any("other_other" in w and "not loaded" in w for w in r.warnings)
    assert not any("页" in w or "'- 2 -'" in w for w in r.warnings)  # footers are not labels


def test_page_footers_are_dropped_from_text():
    text = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\n1\n2\n第 2 页 共 5 页\n3\n- 3 -\n4\n3/5\n5\n6\n21\n\f"
    doc = document_from_text(text, "t.txt")
    cells = [c.text for row in doc.tables[0].rows for c in row]
    assert cells == ["一、本年新收政府信息公开申请数量", "1", "2", "3", "4", "5", "6", "21"]


def test_bare_page_number_is_a_footer_only_at_its_page_end():
    text = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\n1\n2\n3\n1\n\f4\n5\n6\n2\n\f"
    doc = document_from_text(text, "t.txt")
    cells = [c.text for row in doc.tables[0].rows for c in row]
    assert cells == ["一、本年新收政府信息公开申请数量", "1", "2", "3", "4", "5", "6"]


_RECEIVED = "一、本年新收政府信息公开申请数量"
_CARRIED = "二、上年结转政府信息公开申请数量"


def test_plain_copy_numbers_stacked_in_one_block_are_of_two_rows():
    # '3\n8': carried_over's 总计 and, under it in the same column, the next row's 总计.
    text = plain_copy(_RECEIVED, *"1000001", _CARRIED, "0", "0", "0", "0", "0", "3\n8", "（一）予以公开", "8")
    table, layout = _grid(text.split("\n"))
    assert layout == "newline-cell-per-line" and table.reordered
    stacked = [ri for ri, row in enumerate(table.rows) if row[0].text == _CARRIED]
    assert table.mixed_rows == frozenset(stacked)


def test_plain_copy_numbers_on_both_sides_of_a_page_break_are_of_two_rows():
    # received's six numbers on page 1; the '1' opening page 2 is of the row printed there.
    text = ("三、收到和处理政府信息公开申请情况\n\n" + plain_copy(_RECEIVED, *"100000")
            + "\f" + plain_copy("1", _CARRIED, *"000000"))
    doc = document_from_text(text, "copied.txt")
    [t2] = [t for t in doc.tables if t.hint == "t2"]
    assert t2.reordered
    assert [t2.rows[ri][0].text for ri in t2.mixed_rows] == [_RECEIVED]


def test_cell_per_line_text_without_blank_lines_is_not_a_viewers_reading_order():
    table, _ = _grid([_RECEIVED, *"1000001", _CARRIED, *"0000000"])
    assert not table.reordered and not table.mixed_rows


# pdftotext -layout of a t1 whose rows each leave a cell blank: no row prints all three columns.
LAYOUT_T1_BLANKS = """二、主动公开政府信息情况
               第二十条第（一）项
               信息内
               容         本年制发件数     本年废止件数         现行有效件数
               规章                   0
               行政规
               范性文
               件                    0              0
               第二十条第（五）项
               信息内
               容         本年处理决定数量
               行政许
               可         3
"""


def test_layout_copy_with_no_full_row_does_not_take_the_widest_row_for_the_grid():
    """规章's lone 0 stands under 本年废止件数; the widest row (two numbers) is no grid for it:
    both short rows are left out, never put in 本年制发件数."""
    from pipeline.mapper import map_document

    doc = document_from_text(LAYOUT_T1_BLANKS, "copied.txt")
    assert doc.layout == "pdftotext-layout"
    r = map_document(doc)
    f = {(x.row_code, x.col_code): x.value for x in r.facts}
    assert not any(row in ("regulation", "normative_document") for row, _ in f), f
    assert f[("licensing", "decisions")] == 3
    assert any("t1.regulation" in w and "not loaded" in w for w in r.warnings)
