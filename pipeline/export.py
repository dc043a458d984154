"""Cleaned exports for analysts: CSV in UTF-8 with a BOM (Excel in China reads
it right), and Parquet of facts partitioned by year and province."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from .warehouse import sql

# file name -> SQL file; a view that does not exist yet is skipped.
CSV_EXPORTS = {
    "facts.csv": "export_facts.sql",
    "reports.csv": "export_reports.sql",
    "t1.csv": "export_t1.sql",
    "t2.csv": "export_t2.sql",
    "t3.csv": "export_t3.sql",
    "report_summary.csv": "export_report_summary.sql",
    "check_results.csv": "export_check_results.sql",
}


def export_all(con: duckdb.DuckDBPyConnection, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, sql_file in CSV_EXPORTS.items():
        try:
            query = sql(sql_file)
        except FileNotFoundError:
            continue
        df = con.execute(query).df()
        if name == "check_results.csv" and df.empty:
            continue
        path = out / name
        df.to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    parquet = out / "facts_parquet"
    if parquet.exists():
        shutil.rmtree(parquet)
    con.execute(sql("export_facts_parquet.sql").replace("$out", str(parquet).replace("'", "''")))
    written.append(parquet)
    return written
