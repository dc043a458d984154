"""The five bundled reports through `ogi run` into a temporary warehouse."""

from __future__ import annotations

import duckdb
import pytest

from pipeline.cli import main

from .conftest import SEED

# Read by hand from the seed files: t2 (new_received, total_handled, carried_forward) totals,
# and the 15 t3 numbers in printed order.
EXPECTED = {
    "wujiang": {"t2": (4, 3, 1), "t3": [0] * 15, "granted": 0, "not_held": 3},
    "qindu": {"t2": (122, 126, 7), "t3": [37, 26, 57, 24, 144, 9, 3, 3, 67, 82, 7, 3, 2, 3, 15], "granted": 67, "not_held": 48},
    "xushui": {"t2": (22, 22, 0), "t3": [0] * 15, "granted": 8, "not_held": None},
    "zhanhe": {"t2": (0, 0, 0), "t3": [0] * 15, "granted": 0, "not_held": 0},
    "chuanhui": {"t2": (25, 25, 0), "t3": [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1], "granted": 8, "not_held": 17},
}
PLACES = {
    "wujiang": ("韶关市武江区人民政府办公室", "广东省", "韶关市", "武江区", "440203"),
    "qindu": ("秦都区", "陕西省", "咸阳市", "秦都区", "610402"),
    "xushui": ("保定市徐水区人民政府办公室", "河北省", "保定市", "徐水区", "130609"),
    "zhanhe": ("湛河区信访局", "河南省", "平顶山市", "湛河区", "410411"),
    "chuanhui": ("川汇区政府办公室", "河南省", "周口市", "川汇区", "411602"),
}


@pytest.fixture
def warehouse(raw_dir, db, tmp_path):
    assert main(["run", "--raw", str(raw_dir), "--db", str(db), "--out", str(tmp_path / "out"), "-q", "--jobs", "1"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def _report_id(con, name):
    return con.execute("SELECT report_id FROM reports WHERE source_path LIKE ?", [f"%{SEED[name].name}"]).fetchone()[0]


def test_five_seeds_give_exactly_1000_facts(warehouse):
    assert warehouse.execute("SELECT count(*) FROM facts").fetchone()[0] == 1000
    per_report = warehouse.execute("SELECT count(*) FROM facts GROUP BY report_id").fetchall()
    assert sorted(n for (n,) in per_report) == [200] * 5
    assert warehouse.execute("SELECT count(*) FROM facts WHERE value IS NULL").fetchone()[0] == 0


def test_every_value_is_the_printed_number(warehouse):
    rows = warehouse.execute("SELECT value, raw_text FROM facts").fetchall()
    assert all(float(v) == float(raw) for v, raw in rows)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_seed_values(warehouse, name):
    rid = _report_id(warehouse, name)
    exp = EXPECTED[name]

    def cell(t, r, c):
        v = warehouse.execute(
            "SELECT value FROM facts WHERE report_id=? AND table_code=? AND row_code=? AND col_code=?", [rid, t, r, c]
        ).fetchone()[0]
        return None if v is None else float(v)

    assert (cell("t2", "new_received", "total"), cell("t2", "total_handled", "total"),
            cell("t2", "carried_forward", "total")) == exp["t2"]
    t3 = warehouse.execute(
        "SELECT f.value FROM facts f JOIN reports r USING (report_id) JOIN dim_cells d ON d.template_version = "
        "r.template_version AND (d.table_code, d.row_code, d.col_code) = (f.table_code, f.row_code, f.col_code) "
        "WHERE f.report_id = ? AND f.table_code = 't3' ORDER BY d.sort_order", [rid]
    ).fetchall()
    assert [float(v) for (v,) in t3] == exp["t3"]
    assert cell("t2", "granted", "total") == exp["granted"]
    if exp["not_held"] is not None:
        assert cell("t2", "unavailable_not_held", "total") == exp["not_held"]


@pytest.mark.parametrize("name", list(PLACES))
def test_seed_metadata(warehouse, name):
    rid = _report_id(warehouse, name)
    row = warehouse.execute(
        "SELECT body, province, city, county, division_code, year, template_version FROM reports WHERE report_id=?", [rid]
    ).fetchone()
    assert row[:5] == PLACES[name]
    assert row[5] == 2024 and row[6] == "2021"


def test_publication_date_and_narrative(warehouse):
    rid = _report_id(warehouse, "wujiang")
    assert str(warehouse.execute("SELECT published_on FROM reports WHERE report_id=?", [rid]).fetchone()[0]) == "2025-01-24"
    qindu = dict(warehouse.execute(
        "SELECT metric, value FROM narrative_facts WHERE report_id=?", [_report_id(warehouse, "qindu")]).fetchall())
    assert {k: float(v) for k, v in qindu.items()}.items() >= {
        "applications_received": 122, "applications_carried_over": 11, "applications_handled": 126,
        "applications_carried_forward": 7, "review_cases": 144, "litigation_cases": 97}.items()
    sentence = warehouse.execute(
        "SELECT sentence FROM narrative_facts WHERE metric='review_cases'").fetchone()[0]
    assert "行政复议144件" in sentence


def test_facts_carry_their_line(warehouse):
    rid = _report_id(warehouse, "zhanhe")
    loc = warehouse.execute(
        "SELECT locator FROM facts WHERE report_id=? AND row_code='new_received' AND col_code='natural_person'", [rid]
    ).fetchone()[0]
    assert loc.startswith("line 39 ")  # 一、本年新收… is line 39 of 003
