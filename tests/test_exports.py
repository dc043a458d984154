"""Exports as analysts and offices open them: CSV in Excel and pandas, Parquet in three
readers, summary.xlsx, and the folder swapped in whole (kill, injected failure)."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline import export
from pipeline.cli import main
from pipeline.warehouse import connect

from .conftest import ROOT

EXPORT_CSVS = ("facts.csv", "reports.csv", "t1.csv", "t2.csv", "t3.csv", "report_summary.csv", "check_results.csv",
               "narrative_facts.csv")


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _cells(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# --- CSV ---------------------------------------------------------------------------

def test_every_csv_has_a_bom_and_the_manifest_counts_its_rows(seeds):
    _, out = seeds
    manifest = _manifest(out)
    for name in EXPORT_CSVS:
        data = (out / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), name
        assert manifest["files"][name]["rows"] == len(_cells(out / name)), name
    assert manifest["files"]["facts.csv"]["rows"] == 1000
    assert manifest["csv"]["facts"]["split_by"] == []
    assert manifest["run_id"]


def test_counts_are_integers_and_decimals_exact(seeds):
    _, out = seeds
    summary = {r["body"]: r for r in _cells(out / "report_summary.csv")}
    assert summary["川汇区政府办公室"]["received"] == "25"
    assert summary["湛河区信访局"]["handled"] == "0"
    values = [r["value"] for r in _cells(out / "facts.csv")]
    assert "2090.6" in values  # an amount in 万元, exactly
    assert not [v for v in values if v.endswith(".0") or v.endswith("0000")]
    df = pd.read_csv(out / "report_summary.csv", encoding="utf-8-sig")
    assert df["received"].dtype == "int64" and df["received"].sum() == 25 + 22 + 4 + 122


def test_pandas_reads_raw_text_and_codes_as_text_with_the_manifest_dtypes(seeds):
    _, out = seeds
    dtypes = _manifest(out)["csv"]["facts"]["pandas_dtypes"]
    facts = pd.read_csv(out / "facts.csv", encoding="utf-8-sig", dtype=dtypes)
    assert facts["raw_text"].dtype == "string" and facts["division_code"].dtype == "string"
    assert facts["value"].dtype == "Float64" and facts["year"].dtype == "Int64"
    assert set(facts["division_code"]) == {"440203", "610402", "130609", "410411", "411602"}
    assert "2090.6" in set(facts["raw_text"].dropna())


def test_text_cells_that_look_like_formulas_are_defused_in_csv_and_xlsx(tmp_path):
    """Report text reaches Excel as text: =, +, -, @ cells get a leading apostrophe in
    text columns; numbers (also negative ones) and dashes are untouched."""
    openpyxl = pytest.importorskip("openpyxl")
    con = connect(tmp_path / "w.duckdb")
    con.execute("INSERT INTO reports (report_id, source_path, template_version, year, body, division_code) "
                "VALUES ('r1', '=cmd.txt', '2021', 2024, '=HYPERLINK(\"http://x\")', '440203')")
    rows = [("new_received", "natural_person", -5, "-5"), ("new_received", "commercial_enterprise", None, "-"),
            ("new_received", "research_institution", None, "=1+1"), ("new_received", "social_welfare_org", 2, "+2+A1"),
            ("new_received", "legal_service_org", None, "@SUM(A1)"), ("new_received", "other_org", None, "-3+B2"),
            ("new_received", "total", 3, "3")]
    con.executemany("INSERT INTO facts (report_id, table_code, row_code, col_code, value, raw_text, locator) "
                    "VALUES ('r1', 't2', ?, ?, ?, ?, 'line 1')", rows)
    con.execute("INSERT INTO narrative_facts (report_id, metric, value, sentence) "
                "VALUES ('r1', 'applications_received', 3, '=2+1 件')")
    con.close()
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    export.export_all(con, tmp_path / "out")
    con.close()
    facts = {r["col_code"]: r for r in _cells(tmp_path / "out" / "facts.csv")}
    assert {c: r["raw_text"] for c, r in facts.items()} == {
        "natural_person": "-5", "commercial_enterprise": "-", "research_institution": "'=1+1",
        "social_welfare_org": "'+2+A1", "legal_service_org": "'@SUM(A1)", "other_org": "'-3+B2", "total": "3"}
    assert facts["natural_person"]["value"] == "-5"  # a numeric column is never prefixed
    assert facts["total"]["body"] == "'=HYPERLINK(\"http://x\")"
    assert _cells(tmp_path / "out" / "narrative_facts.csv")[0]["sentence"] == "'=2+1 件"
    assert _cells(tmp_path / "out" / "reports.csv")[0]["source_path"] == "'=cmd.txt"
    wb = openpyxl.load_workbook(tmp_path / "out" / "summary.xlsx")
    ws = wb["报告"]
    body = [c for c in ws[2] if c.value and str(c.value).startswith("=HYPERLINK")][0]
    assert body.data_type == "s"  # text, exactly as printed, not a formula


def test_a_csv_past_the_excel_limit_is_split_per_year_then_province(seeds, tmp_path):
    db, _ = seeds
    con = duckdb.connect(str(db), read_only=True)
    result = export.export_all(con, tmp_path / "out", excel_max_rows=450, xlsx=False)
    con.close()
    split = result.manifest["csv"]["facts"]
    assert split["split_by"] == ["year", "province_code"]
    assert split["files"] == {"facts_2024_13.csv": 200, "facts_2024_41.csv": 400, "facts_2024_44.csv": 200,
                              "facts_2024_61.csv": 200}
    assert not (tmp_path / "out" / "facts.csv").exists()
    parts = [r for name in split["files"] for r in _cells(tmp_path / "out" / name)]
    assert len(parts) == 1000 and {r["division_code"][:2] for r in _cells(tmp_path / "out" / "facts_2024_41.csv")} == {"41"}
    assert result.manifest["csv"]["t2"]["split_by"] == [] and "t2.csv" in result.manifest["files"]
    assert result.manifest["csv"]["reports"]["files"] == {"reports.csv": 5}


# --- Parquet ---------------------------------------------------------------------------

def _normalise(rows: list[tuple]) -> list[tuple]:
    def cell(v):
        if isinstance(v, float | Decimal):
            return round(float(v), 6)
        return v
    return sorted((tuple(cell(v) for v in row) for row in rows), key=repr)


def test_parquet_of_every_table_reads_the_same_in_duckdb_pyarrow_and_polars(seeds):
    pl = pytest.importorskip("polars")
    import pyarrow.dataset as ds

    db, out = seeds
    manifest = _manifest(out)
    assert {"reports", "facts", "narrative_facts", "check_results", "report_summary", "jurisdiction_year"} <= set(
        manifest["parquet"])
    expected = {"reports": 5, "facts": 1000, "report_summary": 5}
    for table in manifest["parquet"]:
        folder = out / "parquet" / table
        for part in folder.rglob("*.parquet"):  # ASCII keys, and the same values inside the file
            rel = part.relative_to(folder).parts
            assert all(p.isascii() for p in rel), rel
            year, code = rel[0].removeprefix("year="), rel[1].removeprefix("province_code=")
            inside = duckdb.sql(f"SELECT DISTINCT year, province_code FROM read_parquet('{part}', hive_partitioning = false)").fetchall()
            assert inside == [(int(year), code)]
        glob = f"{folder}/**/*.parquet"
        by_duckdb = duckdb.sql(f"SELECT * FROM read_parquet('{glob}', hive_partitioning = false)")
        columns = by_duckdb.columns
        duck_rows = by_duckdb.fetchall()
        arrow = ds.dataset(folder, format="parquet", partitioning=None).to_table()
        arrow_rows = list(zip(*[arrow.column(c).to_pylist() for c in columns], strict=True))
        polars = pl.read_parquet(glob, hive_partitioning=False).select(columns)
        assert _normalise(duck_rows) == _normalise(arrow_rows) == _normalise(polars.rows()), table
        assert "province_code" in columns and "year" in columns
        if table in expected:
            assert len(duck_rows) == expected[table]
    con = duckdb.connect(str(db), read_only=True)
    want = con.execute("SELECT sum(value) FROM facts").fetchone()[0]
    con.close()
    got = duckdb.sql(f"SELECT sum(value) FROM '{out}/parquet/facts/**/*.parquet'").fetchall()[0][0]
    assert got == want and isinstance(got, Decimal)  # decimals stay exact in Parquet


# --- summary.xlsx ------------------------------------------------------------------

def test_summary_xlsx_has_a_sheet_per_table_with_chinese_headers(seeds):
    openpyxl = pytest.importorskip("openpyxl")
    _, out = seeds
    wb = openpyxl.load_workbook(out / "summary.xlsx")
    assert wb.sheetnames == ["报告", "汇总", "表一 主动公开", "表二 依申请公开", "表三 复议诉讼", "未通过核查"]
    summary = wb["汇总"]
    header = [c.value for c in summary[1]]
    assert {"发布机关", "本年新收申请", "办理总计", "公开率", "行政区划代码"} <= set(header)
    assert summary.freeze_panes == "A2" and summary.auto_filter.ref == f"A1:{summary.cell(1, len(header)).column_letter}6"
    rows = {r[header.index("发布机关")]: dict(zip(header, r, strict=True)) for r in summary.iter_rows(min_row=2, values_only=True)}
    assert rows["川汇区政府办公室"]["本年新收申请"] == 25 and isinstance(rows["川汇区政府办公室"]["本年新收申请"], int)
    assert rows["川汇区政府办公室"]["行政区划代码"] == "411602"  # a code stays text
    t2 = wb["表二 依申请公开"]
    assert t2.max_row == 1 + 5 * 25 and "自然人" in [c.value for c in t2[1]]
    assert wb["未通过核查"].max_row == 1 + 2


def test_a_table_longer_than_a_sheet_continues_on_the_next(seeds, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from pipeline.export_xlsx import write_summary_xlsx

    db, _ = seeds
    con = duckdb.connect(str(db), read_only=True)
    rows = write_summary_xlsx(con, tmp_path / "s.xlsx", max_rows=51)
    con.close()
    assert rows["表二 依申请公开"] == 50 and rows["表二 依申请公开 (2)"] == 50 and rows["表二 依申请公开 (3)"] == 25
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx", read_only=True)
    assert len(list(wb["表二 依申请公开 (3)"].iter_rows(values_only=True))) == 26


# --- the swap: a failed or killed export leaves the previous one --------------------------

def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_an_injected_failure_leaves_the_previous_export_intact(seeds, tmp_path):
    db, _ = seeds
    out = tmp_path / "out"
    con = duckdb.connect(str(db), read_only=True)
    export.export_all(con, out, xlsx=False)
    before = _snapshot(out)

    def fail(step):
        if step == "parquet":
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        export.export_all(con, out, xlsx=False, after_step=fail)
    con.close()
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing left beside it
    manifest = _manifest(out)
    for rel, entry in manifest["files"].items():
        assert export._sha256(out / rel) == entry["sha256"], rel


KILLED = """
import pathlib, sys, time
from pipeline import export
real = export.write_parquet
def slow(con, folder):
    real(con, folder)
    pathlib.Path(sys.argv[1]).write_text("half done")
    time.sleep(600)
export.write_parquet = slow
from pipeline.cli import main
sys.exit(main(["export", "--db", sys.argv[2], "--out", sys.argv[3], "--no-xlsx"]))
"""


def test_a_killed_export_leaves_the_previous_one_and_is_cleaned_up_next_time(seeds, tmp_path):
    db, _ = seeds
    out = tmp_path / "out"
    assert main(["export", "--db", str(db), "--out", str(out), "--no-xlsx"]) == 0
    before = _snapshot(out)
    marker = tmp_path / "marker"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(marker), str(db), str(out)], env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the export never got half way"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    leftover = [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")]
    assert leftover == [f".out.tmp-{proc.pid}"] and (tmp_path / leftover[0] / "parquet").is_dir()
    assert _snapshot(out) == before
    assert main(["export", "--db", str(db), "--out", str(out), "--no-xlsx"]) == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]
    assert _manifest(out)["files"]["facts.csv"]["rows"] == 1000


def test_a_kill_between_the_two_renames_is_undone_at_the_next_start(seeds, tmp_path):
    db, _ = seeds
    out = tmp_path / "out"
    con = duckdb.connect(str(db), read_only=True)
    export.export_all(con, out, xlsx=False)
    before = _snapshot(out)
    os.rename(out, tmp_path / ".out.old-999999")  # set aside, the new one never renamed in
    (tmp_path / ".out.tmp-999999").mkdir()
    with pytest.raises(RuntimeError):
        export.export_all(con, out, xlsx=False, after_step=lambda step: (_ for _ in ()).throw(RuntimeError(step)))
    con.close()
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
