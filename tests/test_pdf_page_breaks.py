"""PDF tables over page breaks: rows cut by the break, repeated header rows, tables the
author split with 续表, t3 alone on a landscape page. Fixtures: the seeds printed by
benchmarks.render_pdf (reportlab, STSong-Light); every cell is compared with the
seed's own TXT."""

from __future__ import annotations

import pdfplumber
import pytest

from benchmarks.render_pdf import PdfLayout
from pipeline.model import Cell, Table
from pipeline.parse import parse_bytes
from pipeline.readers.pdf_grid import continue_table

from . import render
from .conftest import SEED


def _read(name: str, tmp_path, **options):
    path = render.to_pdf_layout(SEED[name], tmp_path / f"{name}.pdf", PdfLayout(**options))
    return path, parse_bytes(path.read_bytes(), str(path))


def _same_as_txt(name: str, report) -> None:
    assert report.ok, report.error
    assert render.cells_of(report) == render.cells_of(parse_bytes(SEED[name].read_bytes(), "seed.txt"))


def _fragments(path):
    with pdfplumber.open(path) as pdf:
        return [(i + 1, t) for i, p in enumerate(pdf.pages) for t in p.extract_tables()]


@pytest.mark.parametrize(("name", "row", "lines", "repeat"), [
    ("chuanhui", "withheld_prohibited_by_law", 1, False),
    ("wujiang", "partially_granted", 2, False),
    ("qindu", "unavailable_needs_creation", 1, True),
    ("xushui", "not_processed_confirmation", 1, True),
    ("zhanhe", "other_overdue_fee", 3, False),
])
def test_row_cut_by_a_page_break_is_joined(name, row, lines, repeat, tmp_path):
    path, report = _read(name, tmp_path, cut_row=row, cut_lines=lines, repeat_header=repeat)
    # The hazard is really in the file: a fragment on a later page opens (after any
    # repeated header) with a row of label text and no values.
    tails = []
    for _page, rows in _fragments(path)[1:]:
        body = [r for r in rows if not any("申请人情况" in (c or "") or "自然人" in (c or "") or "商业" in (c or "")
                                           or "勾稽" in (c or "") for c in r)]
        if body and not any((c or "").strip().isdigit() for c in body[0]):
            tails.append(body[0])
    assert tails, "no cut row in the fixture"
    _same_as_txt(name, report)


@pytest.mark.parametrize("borders", [True, False])
def test_row_cut_with_its_values_on_the_next_page(borders, tmp_path):
    path, report = _read("xushui", tmp_path, cut_row="not_processed_confirmation", cut_values="tail",
                         borders=borders, repeat_header=True)
    _same_as_txt("xushui", report)


@pytest.mark.parametrize("name", ["wujiang", "chuanhui"])
def test_header_rows_repeated_after_the_page_break(name, tmp_path):
    path, report = _read(name, tmp_path, break_before="withheld_third_party", repeat_header=True)
    heads = [page for page, rows in _fragments(path) if any("申请人情况" in (c or "") for c in rows[0])]
    assert len(heads) == 2, "the header should be printed on both pages"
    _same_as_txt(name, report)
    assert not [w for _stage, w in report.warnings if "t2" in w], report.warnings


@pytest.mark.parametrize(("options"), [
    dict(split_at="withheld_third_party"),
    dict(split_at="withheld_third_party", split_header=False, split_group="blank"),
    dict(split_at="unavailable_unclear", split_caption="（续上表）", split_new_page=False),
    dict(split_at="not_processed_duplicate", split_header=False, split_caption="续表："),
], ids=["copied-header", "no-header-blank-group", "xushangbiao-same-page", "no-header"])
def test_table_split_by_the_author_continues(options, tmp_path):
    path, report = _read("qindu", tmp_path, **options)
    with pdfplumber.open(path) as pdf:
        assert "续" in "".join(p.extract_text() for p in pdf.pages)
    _same_as_txt("qindu", report)
    doc_tables = [r for r in report.warnings if "not recognisable" in r[1]]
    assert not doc_tables


@pytest.mark.parametrize("page", ["wide", "rotate"])
def test_t3_alone_on_a_landscape_page(page, tmp_path):
    path, report = _read("wujiang", tmp_path, t3_page=page)
    with pdfplumber.open(path) as pdf:
        shapes = [(p.rotation, p.width > p.height) for p in pdf.pages]
    assert ((90, False) if page == "rotate" else (0, True)) in shapes
    _same_as_txt("wujiang", report)


def test_running_header_and_page_numbers_do_not_break_a_table(tmp_path):
    path, report = _read("chuanhui", tmp_path, running_header="川汇区人民政府2024年政府信息公开工作年度报告",
                         cut_row="withheld_prohibited_by_law")
    _same_as_txt("chuanhui", report)
    assert not [w for w in report.warnings if "- 3 -" in w[1] or "年度报告" in w[1]]


def _table(*rows):
    return Table([[Cell(t, f"r{r}c{c}") for c, t in enumerate(row)] for r, row in enumerate(rows)], "page 1")


def _grid(*rows):
    return [[(t, f"p2 r{r}c{c}") for c, t in enumerate(row)] for r, row in enumerate(rows)]


def test_continue_table_joins_the_tail_and_drops_the_header():
    head = ("（本列数据）", "申请人情况", "")
    last = _table(head, ("", "", "", ""), ("", "2.其他法律行政", "0", "1"))
    rows = continue_table(last, _grid(head, ("", "法规禁止公开", "", ""), ("", "3.危及", "2", "3")))
    assert last.rows[-1][1].text == "2.其他法律行政法规禁止公开"
    assert [t for t, _ in rows[0]] == ["", "3.危及", "2", "3"]


@pytest.mark.parametrize("first", ["四、结转下年度继续办理", "第二十条第（五）项", "信息内容"])
def test_a_label_of_its_own_is_not_joined(first):
    last = _table(("规章", "0", "0", "0"))
    rows = continue_table(last, _grid((first, "", "", "")))
    assert last.rows[-1][0].text == "规章"
    assert rows[0][0][0] == first


def test_continue_table_joins_a_label_head_left_alone_on_page_n():
    last = _table(("", "1.属于国家秘密", "0", "1"), ("", "2.其他法律行政", "", ""))
    rows = continue_table(last, _grid(("", "法规禁止公开", "2", "3")))
    assert [c.text for c in last.rows[-1]] == ["", "1.属于国家秘密", "0", "1"]
    assert [t for t, _ in rows[0]] == ["", "2.其他法律行政法规禁止公开", "2", "3"]
