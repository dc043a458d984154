"""Expectation suites: frames computed in DuckDB, validated by Great Expectations,
in chunks of reports so memory stays bounded however large the warehouse.

Each suite is a GX 1.x ExpectationSuite JSON file in ``expectations/``; its
``meta`` names the SQL file that builds its frame (one row per report x check,
for the reports of ``check_scope``), its severity, how many reports a chunk holds
(``chunk_reports``) and an optional ``prepare`` SQL run once before the chunks.
A frame row carries the cells it covers, the suspect ones, and its message as
data (a key of messages.csv and JSON arguments). The frame stays in DuckDB; only
the columns the expectations read go to GX, and only the failing rows come back
to Python to have their message written.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd

from ..warehouse import sql
from .gx import GXRunner, expectation_columns
from .messages import render

DEFAULT_CHUNK = 5000


def expectations_dir() -> Path:
    here = Path(__file__).resolve().parent.parent
    packaged = here / "expectations"
    return packaged if packaged.is_dir() else here.parent / "expectations"


def load_suites() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(expectations_dir().glob("*.json"))]


def _lit(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _statements(text: str) -> list[str]:
    return [s for s in text.split(";\n") if s.strip() and not all(
        line.strip().startswith("--") or not line.strip() for line in s.splitlines())]


def _verdicts(con: duckdb.DuckDBPyConnection, suite: dict, failed: dict[int, list[dict]]) -> pd.DataFrame:
    """Failing rows (passed false) and incomplete ones (passed NULL), with their messages."""
    cols = [r[0] for r in con.execute("DESCRIBE check_frame").fetchall()]
    incomplete = "OR NOT complete" if "complete" in cols else ""
    plain = "message" if "message" in cols else "NULL"
    bad = pd.DataFrame({"frame_row": sorted(failed)}, dtype="int64")
    con.register("check_failed_rows", bad)
    try:
        rows = con.execute(f"SELECT frame_row, message_key, CAST(args AS VARCHAR), {plain} FROM check_frame "
                           f"WHERE frame_row IN (SELECT frame_row FROM check_failed_rows) {incomplete}").fetchall()
    finally:
        con.unregister("check_failed_rows")
    out = []
    for frame_row, key, args, text in rows:
        whats = failed.get(frame_row)
        message = render(key, args, "en") if key else str(text)
        if whats:
            message += " [" + "; ".join(w.get("what", "") for w in whats) + "]"
        out.append((frame_row, False if whats else None, message))
    return pd.DataFrame(out, columns=["frame_row", "passed", "message"]).astype(
        {"frame_row": "int64", "passed": "boolean", "message": "object"})


def _complete_frame(con: duckdb.DuckDBPyConnection) -> None:
    """A frame written without cells or message data (one message column) gets empty ones."""
    cols = {r[0] for r in con.execute("DESCRIBE check_frame").fetchall()}
    for name, typ in (("cells", "VARCHAR[]"), ("suspect_cells", "VARCHAR[]"), ("message_key", "VARCHAR"),
                      ("args", "VARCHAR"), ("observed", "DOUBLE"), ("expected", "DOUBLE")):
        if name not in cols:
            con.execute(f"ALTER TABLE check_frame ADD COLUMN {name} {typ}")
    if "cells" not in cols:
        con.execute("UPDATE check_frame SET cells = []")


def run_suite(con: duckdb.DuckDBPyConnection, gx: GXRunner, suite: dict, run_id: str, n_reports: int) -> None:
    meta = suite["meta"]
    if meta.get("prepare"):
        con.execute(sql(meta["prepare"]))
    frame_sql = sql(meta["frame"]).strip().rstrip(";")
    columns = expectation_columns(suite)
    chunk = int(meta.get("chunk_reports", DEFAULT_CHUNK))
    store = sql("check_store.sql")
    for key, value in {"$run_id": _lit(run_id), "$suite": _lit(meta["suite"]), "$severity": _lit(meta["severity"]),
                       "$name": _lit(suite["name"]),
                       "$failures_only": "TRUE" if meta.get("store") == "failures" else "FALSE"}.items():
        store = store.replace(key, value)
    if "check_scope" not in frame_sql:  # a frame over the whole warehouse (small): one pass
        chunk = n_reports
    for start in range(0, n_reports, chunk):
        con.execute(sql("check_scope_chunk.sql").replace("$1", str(start)).replace("$2", str(start + chunk)))
        con.execute(sql("check_frame.sql").replace("$frame", frame_sql))
        _complete_frame(con)
        df = con.execute(f"SELECT {', '.join(columns)} FROM check_frame ORDER BY frame_row").df()
        if df.empty:
            continue
        failed = gx.failing_rows(suite, df)
        del df
        con.register("check_verdicts", _verdicts(con, suite, failed))
        try:
            for statement in _statements(store):
                con.execute(statement)
        finally:
            con.unregister("check_verdicts")
    con.execute("DROP TABLE IF EXISTS check_frame")


def run_suites(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Replace check_results with this run's results, suite by suite, chunk by chunk.

    Not one transaction: a run validates a working copy that is published only
    when everything succeeded (job.published_connection)."""
    con.execute("DELETE FROM check_results")
    con.execute(sql("check_scope.sql"))
    n_reports = con.execute("SELECT count(*) FROM check_chunks").fetchall()[0][0]
    if n_reports:
        gx = GXRunner()
        for suite in load_suites():
            run_suite(con, gx, suite, run_id, n_reports)
        con.execute(sql("check_suspects.sql"))
    con.execute("DROP TABLE IF EXISTS check_scope")
    con.execute("DROP TABLE IF EXISTS check_chunks")
