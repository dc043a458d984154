"""The DuckDB warehouse: schema, views and one-transaction batch loads.

Every SQL statement lives in ``sql/``; this module only registers DataFrames
and runs those files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from . import template as tpl
from .parse import ParsedReport

DEFAULT_DB = Path("data/curated/warehouse.duckdb")
VIEW_FILES = ("views.sql",)


def sql_dir() -> Path:
    packaged = Path(__file__).with_name("sql")  # wheel installs: sql/ is force-included here
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[1] / "sql"


@cache
def sql(name: str) -> str:
    """The text of ``sql/<name>``."""
    return (sql_dir() / name).read_text(encoding="utf-8")


def dim_cells_frame() -> pd.DataFrame:
    rows = [
        {
            "template_version": c.template_version,
            "table_code": c.table_code,
            "row_code": c.row_code,
            "col_code": c.col_code,
            "row_label_zh": c.row_label_zh,
            "col_label_zh": c.col_label_zh,
            "sort_order": c.sort_order,
        }
        for v in tpl.TEMPLATE_VERSIONS
        for c in tpl.cells(v)
    ]
    return pd.DataFrame(rows)


def connect(db: str | Path = DEFAULT_DB, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, creating schema, dimension tables and views if needed."""
    db = Path(db)
    if read_only:
        return duckdb.connect(str(db), read_only=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db))
    con.execute(sql("schema.sql"))
    con.register("incoming_dim_cells", dim_cells_frame())
    con.execute(sql("refresh_dim_cells.sql"))
    con.unregister("incoming_dim_cells")
    for name in VIEW_FILES:
        if (sql_dir() / name).exists():
            con.execute(sql(name))
    return con


@dataclass
class FileSeen:
    source_path: str
    size: int
    mtime_ns: int
    sha256: str
    status: str  # loaded | quarantined | duplicate
    reason: str | None = None


_FACT_COLUMNS = ["report_id", "table_code", "row_code", "col_code", "value", "raw_text", "locator"]
_REPORT_COLUMNS = ["report_id", "source_path", "file_format", "layout", "template_version", "year", "body",
                   "province", "city", "county", "division_code", "published_on", "ingested_at",
                   "parser_version", "source_missing"]


def _frames(reports: list[ParsedReport], now: datetime) -> dict[str, pd.DataFrame]:
    rep, ids, facts, narr, warn = [], [], [], [], []
    for r in reports:
        rep.append((r.report_id, r.source_path, r.file_format, r.layout, r.template_version, r.year, r.body,
                    r.province, r.city, r.county, r.division_code, r.published_on, now, r.parser_version, False))
        facts.extend(r.facts or ())
        ids.extend([r.report_id] * len(r.facts or ()))
        narr.extend((r.report_id, n.metric, n.value, n.sentence) for n in r.narrative)
        warn.extend((r.report_id, r.source_path, stage, message) for stage, message in r.warnings)
    fact_frame = pd.DataFrame(facts, columns=_FACT_COLUMNS[1:]).astype({"value": "float64"})
    fact_frame.insert(0, "report_id", ids)
    return {
        "incoming_reports": pd.DataFrame(rep, columns=_REPORT_COLUMNS).astype({"year": "Int64", "published_on": "object"}),
        "incoming_facts": fact_frame,
        "incoming_narrative": pd.DataFrame(narr, columns=["report_id", "metric", "value", "sentence"]).astype({"value": "float64"}),
        "incoming_warnings": pd.DataFrame(warn, columns=["report_id", "source_path", "stage", "message"]),
    }


def load_batch(con: duckdb.DuckDBPyConnection, reports: Iterable[ParsedReport], seen: Iterable[FileSeen],
               replaced: Iterable[str] = ()) -> None:
    """Load parsed reports and file records in one transaction.

    ``replaced`` names report ids whose rows go first (a changed file's old
    version). Either the whole batch is visible afterwards or none of it.
    """
    now = datetime.now()
    reports = list(reports)
    seen = list(seen)
    frames = _frames(reports, now)
    doomed = pd.DataFrame({"report_id": sorted({r.report_id for r in reports} | set(replaced))}, dtype="object")
    files = pd.DataFrame([
        {"source_path": s.source_path, "size": s.size, "mtime_ns": s.mtime_ns, "sha256": s.sha256,
         "status": s.status, "parser_version": reports[0].parser_version if reports else _pv(), "last_seen": now}
        for s in seen
    ], columns=["source_path", "size", "mtime_ns", "sha256", "status", "parser_version", "last_seen"])
    quarantine = pd.DataFrame([
        {"source_path": s.source_path, "sha256": s.sha256, "reason": s.reason, "first_seen": now, "last_seen": now}
        for s in seen if s.status == "quarantined"
    ], columns=["source_path", "sha256", "reason", "first_seen", "last_seen"])
    run_in_transaction(
        con,
        {"doomed": doomed, **frames, "incoming_files": files, "incoming_quarantine": quarantine},
        "delete_reports.sql", "insert_batch.sql", "upsert_files.sql",
    )


def run_in_transaction(con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame], *sql_files: str) -> None:
    """Register frames and run SQL files as one transaction: all of it lands, or none."""
    con.begin()
    try:
        for name, df in frames.items():
            con.register(name, df)
        for name in sql_files:
            con.execute(sql(name))
        con.commit()
    except BaseException:
        con.rollback()
        raise
    finally:
        for name in frames:
            try:
                con.unregister(name)
            except duckdb.Error:
                pass


def _pv() -> str:
    from . import PARSER_VERSION

    return PARSER_VERSION
