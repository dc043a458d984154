"""The DuckDB warehouse: schema, views and one-transaction batch loads.

Every SQL statement lives in ``sql/``; this module only registers DataFrames
and runs those files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from . import DEFAULT_DB
from . import template as tpl
from .model import is_ocr_locator
from .parse import ParsedReport

# Written into a new warehouse file: the oldest storage the DuckDB 1.x CLI line still
# reads (v1.0.0 = storage version 64; the 1.5 CLI reads 64-68, duckdb 2.0 writes 69 by default).
STORAGE_COMPATIBILITY = "v1.0.0"


def fsync(path: Path) -> None:
    """Flush a file or a folder (after a rename into it) to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sql_dir() -> Path:
    packaged = Path(__file__).with_name("sql")  # wheel installs: sql/ is force-included here
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[1] / "sql"


@cache
def sql(name: str) -> str:
    """The text of ``sql/<name>``."""
    return (sql_dir() / name).read_text(encoding="utf-8")


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """The analyst views: sql/views.sql, then the wide tables v_t1, v_t2, v_t3."""
    con.execute(sql("views.sql"))
    for table in tpl.TABLES:
        con.execute(wide_view_sql(table))


def wide_view_sql(table: str) -> str:
    """sql/view_wide_table.sql for one table, its columns from the template."""
    columns = ",\n       ".join(f"max(CASE WHEN f.col_code = '{col}' THEN f.value END) AS {col}"
                               for col in tpl.table_columns(table))
    return sql("view_wide_table.sql").replace("$columns", columns).replace("$table", table)


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


# Bump when sql/schema.sql changes: added columns and tables migrate by themselves
# (_add_missing_columns); anything else needs a sql/migrate_from_v<N>.sql step.
# 1: the releases before versions were recorded; 2: schema_info.
SCHEMA_VERSION = 3  # 3: facts.source, confidence, suspect (OCR)


class SchemaVersionError(Exception):
    """The warehouse was made by another ogi release and cannot be used as it is; the
    message says what to do."""


def schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The warehouse's schema version: None for a new, empty file, 1 for one made before
    versions were recorded."""
    tables = {name for (name,) in con.execute(sql("schema_tables.sql")).fetchall()}
    if "schema_info" in tables:
        return con.execute(sql("schema_version.sql")).fetchone()[0]
    return 1 if "reports" in tables else None


def _check_version(version: int | None, db: Path, read_only: bool) -> None:
    if version is not None and version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"warehouse {db} has schema version {version}, newer than this ogi ({_ogi_version()}) knows "
            f"({SCHEMA_VERSION}): upgrade ogi, or `ogi restore` the previous warehouse if it was made by this release")
    if read_only and version is not None and version < SCHEMA_VERSION:
        raise SchemaVersionError(
            f"warehouse {db} has schema version {version}, older than this ogi's ({SCHEMA_VERSION}): run "
            f"`ogi run` or `ogi ingest` once to migrate it (the file before migration is kept as {db}.prev)")


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, tuple[str, str | None]]]:
    tables: dict[str, dict[str, tuple[str, str | None]]] = {}
    for table, column, data_type, default in con.execute(sql("table_columns.sql")).fetchall():
        tables.setdefault(table, {})[column] = (data_type, default)
    return tables


def _add_missing_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Columns sql/schema.sql has and the warehouse's tables lack, added (with their
    default): the additive part of any migration."""
    scratch = duckdb.connect()
    try:
        scratch.execute(sql("schema.sql"))
        wanted = _columns(scratch)
    finally:
        scratch.close()
    have = _columns(con)
    for table, columns in wanted.items():
        for column, (data_type, default) in columns.items():
            if table in have and column not in have[table]:
                con.execute(sql("add_column.sql").format(
                    table=table, column=column, data_type=data_type,
                    default=f" DEFAULT {default}" if default is not None else ""))


def _migrate(con: duckdb.DuckDBPyConnection, version: int) -> None:
    """An older warehouse brought to SCHEMA_VERSION in one transaction."""
    con.begin()
    try:
        for step in range(version, SCHEMA_VERSION):
            if (sql_dir() / f"migrate_from_v{step}.sql").exists():
                con.execute(sql(f"migrate_from_v{step}.sql"))
        con.execute(sql("schema.sql"))
        _add_missing_columns(con)
        con.execute(sql("record_schema_version.sql"), [SCHEMA_VERSION, _ogi_version()])
        con.commit()
    except BaseException:
        con.rollback()
        raise


def connect(db: str | Path = DEFAULT_DB, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, creating schema, dimension tables and views if needed.

    The schema version is checked first: a newer one is refused, an older one is
    migrated (or, read-only, refused with what to do); see SCHEMA_VERSION."""
    db = Path(db)
    if not read_only:
        db.parent.mkdir(parents=True, exist_ok=True)
        if not db.exists():  # created apart, then reopened: one config for every connection to the file
            duckdb.connect(str(db), config={"storage_compatibility_version": STORAGE_COMPATIBILITY}).close()
    con = duckdb.connect(str(db), read_only=read_only)
    try:
        version = schema_version(con)
        _check_version(version, db, read_only)
        if read_only:
            return con
        if version is not None and version < SCHEMA_VERSION:
            _migrate(con, version)
        con.execute(sql("schema.sql"))
        if version is None:
            con.execute(sql("record_schema_version.sql"), [SCHEMA_VERSION, _ogi_version()])
        con.register("incoming_dim_cells", dim_cells_frame())
        con.execute(sql("refresh_dim_cells.sql"))
        con.unregister("incoming_dim_cells")
        create_views(con)
    except BaseException:
        con.close()
        raise
    return con


@dataclass
class FileSeen:
    source_path: str
    size: int
    mtime_ns: int
    sha256: str
    status: str  # loaded | quarantined | duplicate | page_image
    reason: str | None = None


_REPORT_SCHEMA = pa.schema([
    ("report_id", pa.string()), ("source_path", pa.string()), ("file_format", pa.string()), ("layout", pa.string()),
    ("template_version", pa.string()), ("year", pa.int32()), ("body", pa.string()), ("province", pa.string()),
    ("city", pa.string()), ("county", pa.string()), ("division_code", pa.string()), ("published_on", pa.date32()),
    ("ingested_at", pa.timestamp("us")), ("parser_version", pa.string()), ("source_missing", pa.bool_()),
    ("body_source", pa.string()), ("facts_fp", pa.string()),
])
# Values are exact: ints and Decimals from the mapper become decimal128 in Arrow's C++,
# never a float on the way (facts.value is DECIMAL(24, 6): 元 with fen in 万元 needs 6 places).
VALUE_TYPE = pa.decimal128(24, 6)
_FACT_SCHEMA = pa.schema([
    ("report_id", pa.string()), ("table_code", pa.string()), ("row_code", pa.string()), ("col_code", pa.string()),
    ("value", VALUE_TYPE), ("raw_text", pa.string()), ("locator", pa.string()),
])
_NARRATIVE_SCHEMA = pa.schema([("report_id", pa.string()), ("metric", pa.string()), ("value", VALUE_TYPE),
                               ("sentence", pa.string())])
_WARNING_SCHEMA = pa.schema([("report_id", pa.string()), ("source_path", pa.string()), ("stage", pa.string()),
                             ("message", pa.string())])


def _table(rows: list[tuple], schema: pa.Schema, ids: list[str] | None = None) -> pa.Table:
    """Row tuples to columns in Arrow's C++ (a struct array), not by transposing in Python;
    ``ids`` is a leading report_id column given apart."""
    fields = list(schema)[1:] if ids is not None else list(schema)
    table = pa.Table.from_struct_array(pa.array(rows, type=pa.struct(fields)))
    if ids is not None:
        table = table.add_column(0, schema.field(0), pa.array(ids, type=schema.field(0).type))
    return table


# An OCR'd cell read with a lower score than this is suspect (PP-OCR scores a clean digit ≥ 0.98).
SUSPECT_BELOW = 0.9


def _provenance(reports: list[ParsedReport]) -> tuple[list[str], list[float | None], list[bool]]:
    """facts.source / confidence / suspect, in the order report_tables lays the facts out."""
    source, confidence, suspect = [], [], []
    for r in reports:
        mixed = "ocr" in (r.layout or "")
        for f in r.facts or ():
            ocr = mixed and is_ocr_locator(f.locator)
            score = r.cell_confidence.get(f.locator) if ocr else None
            source.append("ocr" if ocr else "text")
            confidence.append(score)
            # A number OCR read with a low score, or an OCR'd cell with no score at all, is not trusted.
            suspect.append(ocr and f.value is not None and (score is None or score < SUSPECT_BELOW))
    return source, confidence, suspect


def _with_provenance(facts: pa.Table, reports: list[ParsedReport]) -> pa.Table:
    for name, values, kind in zip(("source", "confidence", "suspect"), _provenance(reports),
                                  (pa.string(), pa.float32(), pa.bool_()), strict=True):
        facts = facts.append_column(pa.field(name, kind), pa.array(values, type=kind))
    return facts


def report_tables(reports: list[ParsedReport], now: datetime | None = None) -> dict[str, pa.Table]:
    """Arrow tables of a batch of parsed reports, ready to bulk-insert.

    Built where the reports were parsed (a worker process, in parallel runs), so the
    one writer only hands columns to DuckDB.
    """
    now = now or datetime.now()
    rep, ids, facts, narr, warn = [], [], [], [], []
    for r in reports:
        rep.append((r.report_id, r.source_path, r.file_format, r.layout, r.template_version, r.year, r.body,
                    r.province, r.city, r.county, r.division_code, r.published_on, now, r.parser_version, False,
                    r.body_source, r.facts_fp))
        rid = r.report_id
        facts.extend(r.facts or ())
        ids.extend([rid] * len(r.facts or ()))
        narr.extend((rid, n.metric, n.value, n.sentence) for n in r.narrative)
        warn.extend((rid, r.source_path, stage, message) for stage, message in r.warnings)
    return {
        "incoming_reports": _table(rep, _REPORT_SCHEMA),
        "incoming_facts": _with_provenance(_table(facts, _FACT_SCHEMA, ids), reports),
        "incoming_narrative": _table(narr, _NARRATIVE_SCHEMA),
        "incoming_warnings": _table(warn, _WARNING_SCHEMA),
    }


def load_batch(con: duckdb.DuckDBPyConnection, reports: Iterable[ParsedReport], seen: Iterable[FileSeen],
               replaced: Iterable[str] = (), tables: dict[str, pa.Table] | None = None) -> None:
    """Load parsed reports and file records in one transaction.

    ``replaced`` names report ids already in the warehouse whose rows go first (a
    changed file's old version, a re-parsed report). Either the whole batch is
    visible afterwards or none of it. New reports need no delete, and skipping it
    keeps a batch's cost independent of the warehouse's size.
    """
    now = datetime.now()
    reports = list(reports)
    seen = list(seen)
    frames = tables if tables is not None else report_tables(reports, now)
    doomed = pd.DataFrame({"report_id": sorted(set(replaced))}, dtype="object")
    files = pd.DataFrame([
        {"source_path": s.source_path, "size": s.size, "mtime_ns": s.mtime_ns, "sha256": s.sha256,
         "status": s.status, "parser_version": reports[0].parser_version if reports else _pv(), "last_seen": now}
        for s in seen
    ], columns=["source_path", "size", "mtime_ns", "sha256", "status", "parser_version", "last_seen"])
    quarantine = pd.DataFrame([
        {"source_path": s.source_path, "sha256": s.sha256, "reason": s.reason, "first_seen": now, "last_seen": now}
        for s in seen if s.status == "quarantined"
    ], columns=["source_path", "sha256", "reason", "first_seen", "last_seen"])
    steps = (["delete_reports.sql"] if len(doomed) else []) + ["insert_batch.sql", "upsert_files.sql"]
    run_in_transaction(
        con, {"doomed": doomed, **frames, "incoming_files": files, "incoming_quarantine": quarantine}, *steps
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
        try:
            con.rollback()
        except duckdb.TransactionException:
            pass  # interrupted (SIGTERM) before begin took effect or after commit: the first error is what counts
        raise
    finally:
        for name in frames:
            try:
                con.unregister(name)
            except duckdb.Error:
                pass


def _ogi_version() -> str:
    from . import __version__

    return __version__


def _pv() -> str:
    from . import PARSER_VERSION

    return PARSER_VERSION
