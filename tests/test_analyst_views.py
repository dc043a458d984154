"""The analyst's side: summary views, wide exports, Parquet hand-off, data dictionary."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.dictionary import render, undocumented

from .conftest import ROOT


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import shutil

    tmp = tmp_path_factory.mktemp("analyst")
    shutil.copytree(ROOT / "data" / "raw", tmp / "raw")
    db, out = tmp / "w.duckdb", tmp / "out"
    assert main(["run", "--raw", str(tmp / "raw"), "--db", str(db), "--out", str(out), "-q", "--jobs", "1"]) == 0
    return db, out


def _summary(db, like):
    con = duckdb.connect(str(db), read_only=True)
    row = con.execute("SELECT * FROM v_report_summary WHERE body LIKE ?", [f"%{like}%"]).df().iloc[0]
    con.close()
    return row


def test_report_summary_matches_the_reports(built):
    db, _ = built
    ch = _summary(db, "川汇")
    assert (ch.received, ch.granted, ch.not_held) == (25, 8, 17)
    assert ch.disclosure_rate == pytest.approx(0.32)
    assert _summary(db, "徐水").disclosure_rate == pytest.approx((8 + 13) / 22)
    qd = _summary(db, "秦都")
    assert (qd.review_total, qd.litigation_total) == (144, 97)
    assert qd.checks_failed_warning == 1 and qd.checks_failed_error == 0


def test_rates_are_null_when_nothing_was_handled(built):
    db, _ = built
    zh = _summary(db, "湛河")
    assert zh.handled == 0 and pd.isna(zh.disclosure_rate) and pd.isna(zh.not_held_rate)


def test_wide_views_and_jurisdiction_sums(built):
    db, _ = built
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM v_t2").fetchone()[0] == 5 * 25
    assert con.execute("SELECT count(*) FROM v_t3").fetchone()[0] == 5 * 3
    henan = con.execute("SELECT sum(received), sum(reports) FROM v_jurisdiction_year WHERE province = '河南省'").fetchone()
    assert henan == (25, 2)
    first = con.execute("SELECT body FROM v_rankings WHERE rank_scope = 'national' AND disclosure_rank = 1").fetchone()[0]
    assert "徐水" in first
    assert con.execute("SELECT count(*) FROM v_body_yoy WHERE prev_report_id IS NOT NULL").fetchone()[0] == 0
    con.close()


def test_exports_are_bom_csv_and_hive_parquet(built):
    _, out = built
    for name in ("facts.csv", "reports.csv", "t1.csv", "t2.csv", "t3.csv", "report_summary.csv", "check_results.csv"):
        data = (out / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), name
        df = pd.read_csv(out / name, encoding="utf-8-sig")
        assert "report_id" in df.columns and not df.columns[0].startswith("Unnamed")
    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/facts_parquet/**/*.parquet', hive_partitioning=true)").fetchall()[0][0]
    assert n == 1000
    provinces = duckdb.sql(
        f"SELECT DISTINCT province FROM read_parquet('{out}/facts_parquet/**/*.parquet', hive_partitioning=true)").fetchall()
    assert {p for (p,) in provinces} == {"广东省", "陕西省", "河北省", "河南省"}


def test_data_dictionary_is_current_and_complete():
    assert undocumented() == [], "document these in pipeline/data/columns.csv and dictionary.TABLE_DOCS"
    assert (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8") == render(), "run `ogi dictionary`"
