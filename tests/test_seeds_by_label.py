"""The five seeds through `ogi run`, checked against cells read by hand from the files
and written by their *Chinese* row and column labels, as the report prints them.

The labels are resolved to codes through the template (pipeline/template.py) at test
time, so the expectations do not repeat the codes: if two columns of the template were
swapped in printed order (自然人 and 商业企业, 结果维持 and 结果纠正), the values would land
under the wrong labels and this suite fails.
"""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from pipeline import template as tpl
from pipeline.cli import main

from .conftest import SEED

T1 = ("规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费")
T2_COLS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
T3_COLS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
T3_ROWS = ("行政复议", "行政诉讼·未经复议直接起诉", "行政诉讼·复议后起诉")


def t2_row(label: str, *values: int) -> dict[tuple[str, str], int]:
    return {(label, col): v for col, v in zip(T2_COLS, values, strict=True)}


def t3_rows(*values: int) -> dict[tuple[str, str], int]:
    return {(r, c): values[i * 5 + j] for i, r in enumerate(T3_ROWS) for j, c in enumerate(T3_COLS)}


# Read by hand from data/raw (the 15 t3 numbers in printed order: 复议 5, 直接起诉 5, 复议后起诉 5).
EXPECTED: dict[str, dict[tuple[str, str], int | Decimal]] = {
    "wujiang": {  # 000, one cell per line
        ("规章", "本年制发件数"): 0, ("行政规范性文件", "现行有效件数"): 0,
        ("行政许可", "本年处理决定数量"): 0, ("行政事业性收费", "本年收费金额（单位：万元）"): 0,
        **t2_row("一、本年新收政府信息公开申请数量", 4, 0, 0, 0, 0, 0, 4),
        **t2_row("二、上年结转政府信息公开申请数量", 0, 0, 0, 0, 0, 0, 0),
        **t2_row("（一）予以公开", 0, 0, 0, 0, 0, 0, 0),
        **t2_row("1.本机关不掌握相关政府信息", 3, 0, 0, 0, 0, 0, 3),
        **t2_row("（七）总计", 3, 0, 0, 0, 0, 0, 3),
        **t2_row("四、结转下年度继续办理", 1, 0, 0, 0, 0, 0, 1),
        **t3_rows(*[0] * 15),
    },
    "qindu": {  # 001, pipe-terminated cells
        ("规章", "本年制发件数"): 0, ("规章", "本年废止件数"): 0, ("规章", "现行有效件数"): 0,
        ("行政规范性文件", "本年制发件数"): 0, ("行政规范性文件", "本年废止件数"): 5,
        ("行政规范性文件", "现行有效件数"): 6,
        ("行政许可", "本年处理决定数量"): 132548, ("行政处罚", "本年处理决定数量"): 916,
        ("行政强制", "本年处理决定数量"): 0,
        ("行政事业性收费", "本年收费金额（单位：万元）"): Decimal("2090.6"),
        **t2_row("一、本年新收政府信息公开申请数量", 117, 5, 0, 0, 0, 0, 122),
        **t2_row("二、上年结转政府信息公开申请数量", 11, 0, 0, 0, 0, 0, 11),
        **t2_row("（一）予以公开", 67, 0, 0, 0, 0, 0, 67),
        **t2_row("5.属于三类内部事务信息", 3, 0, 0, 0, 0, 0, 3),
        **t2_row("6.属于四类过程性信息", 1, 0, 0, 0, 0, 0, 1),
        **t2_row("7.属于行政执法案卷", 2, 0, 0, 0, 0, 0, 2),
        **t2_row("8.属于行政查询事项", 0, 3, 0, 0, 0, 0, 3),
        **t2_row("1.本机关不掌握相关政府信息", 48, 0, 0, 0, 0, 0, 48),
        **t2_row("3.补正后申请内容仍不明确", 0, 2, 0, 0, 0, 0, 2),
        **t2_row("（七）总计", 121, 5, 0, 0, 0, 0, 126),
        **t2_row("四、结转下年度继续办理", 7, 0, 0, 0, 0, 0, 7),
        **t3_rows(37, 26, 57, 24, 144, 9, 3, 3, 67, 82, 7, 3, 2, 3, 15),
    },
    "xushui": {  # 002, one cell per line, a stray '0' after 三、本年度办理结果
        ("规章", "现行有效件数"): 0, ("行政规范性文件", "本年制发件数"): 2,
        ("行政规范性文件", "本年废止件数"): 2, ("行政规范性文件", "现行有效件数"): 9,
        **t2_row("一、本年新收政府信息公开申请数量", 22, 0, 0, 0, 0, 0, 22),
        **t2_row("（一）予以公开", 8, 0, 0, 0, 0, 0, 8),
        **t2_row("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 13, 0, 0, 0, 0, 0, 13),
        **t2_row("1.属于国家秘密", 1, 0, 0, 0, 0, 0, 1),
        **t2_row("7.属于行政执法案卷", 0, 0, 0, 0, 0, 0, 0),
        **t2_row("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 0, 0, 0, 0, 0, 0, 0),
        **t2_row("（七）总计", 22, 0, 0, 0, 0, 0, 22),
        **t2_row("四、结转下年度继续办理", 0, 0, 0, 0, 0, 0, 0),
        **t3_rows(*[0] * 15),
    },
    "zhanhe": {  # 003, tab-separated; 本年度止件数 printed for 本年废止件数
        ("规章", "本年废止件数"): 0, ("行政规范性文件", "本年废止件数"): 0,
        ("行政处罚", "本年处理决定数量"): 0,
        **t2_row("一、本年新收政府信息公开申请数量", 0, 0, 0, 0, 0, 0, 0),
        **t2_row("3.其他", 0, 0, 0, 0, 0, 0, 0),
        **t2_row("（七）总计", 0, 0, 0, 0, 0, 0, 0),
        **t3_rows(*[0] * 15),
    },
    "chuanhui": {  # 004, tab-separated
        ("规章", "本年制发件数"): 0, ("行政规范性文件", "本年制发件数"): 6,
        ("行政规范性文件", "本年废止件数"): 3, ("行政规范性文件", "现行有效件数"): 10,
        ("行政许可", "本年处理决定数量"): 0,
        **t2_row("一、本年新收政府信息公开申请数量", 25, 0, 0, 0, 0, 0, 25),
        **t2_row("（一）予以公开", 8, 0, 0, 0, 0, 0, 8),
        **t2_row("1.本机关不掌握相关政府信息", 17, 0, 0, 0, 0, 0, 17),
        **t2_row("5.要求行政机关确认或重新出具已获取信息", 0, 0, 0, 0, 0, 0, 0),
        **t2_row("（七）总计", 25, 0, 0, 0, 0, 0, 25),
        **t2_row("四、结转下年度继续办理", 0, 0, 0, 0, 0, 0, 0),
        **t3_rows(1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1),
    },
}


def _tail(label: str) -> str:
    return label.split("·")[-1]


def resolve(row_label: str, col_label: str, version: str = "2021") -> tuple[str, str, str]:
    """(table, row, col) codes of the template cell printed with these labels."""
    found = [
        (c.table_code, c.row_code, c.col_code) for c in tpl.cells(version)
        if row_label in (c.row_label_zh, _tail(c.row_label_zh)) and col_label in (c.col_label_zh, _tail(c.col_label_zh))
    ]
    assert len(found) == 1, f"({row_label}, {col_label}) names {len(found)} template cells"
    return found[0]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    import shutil

    tmp = tmp_path_factory.mktemp("by-label")
    raw = tmp / "raw"
    shutil.copytree(SEED["qindu"].parent, raw)
    db = tmp / "warehouse.duckdb"
    assert main(["run", "--raw", str(raw), "--db", str(db), "--out", str(tmp / "out"), "-q", "--jobs", "1"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def test_expectations_cover_every_table_and_column():
    seen = {resolve(r, c) for cells in EXPECTED.values() for r, c in cells}
    assert {t for t, _r, _c in seen} == {"t1", "t2", "t3"}
    assert {c for t, _r, c in seen if t == "t2"} == set(tpl.T2_COLS)
    assert {c for t, _r, c in seen if t == "t3"} == set(tpl.T3_COLS)
    assert len(seen) >= 130 and sum(map(len, EXPECTED.values())) >= 300


@pytest.mark.parametrize("name", list(EXPECTED))
def test_seed_cells_by_chinese_label(warehouse, name):
    rows = warehouse.execute(
        "SELECT f.table_code, f.row_code, f.col_code, f.value FROM facts f JOIN reports r USING (report_id) "
        "WHERE r.source_path LIKE ?", [f"%{SEED[name].name}"]
    ).fetchall()
    got = {(t, r, c): v for t, r, c, v in rows}
    expected = {resolve(r, c): v for (r, c), v in EXPECTED[name].items()}
    wrong = {k: (got.get(k, "absent"), v) for k, v in expected.items() if got.get(k, "absent") != v}
    assert not wrong, f"{name}: (got, read by hand) {wrong}"
