"""Cleaned exports for analysts, built in a temporary folder and swapped in whole.

DuckDB does the work (``COPY … TO`` from the SQL in ``sql/export_*.sql``), so memory
stays flat whatever the warehouse's size. What a run writes into the export folder:

- CSVs in UTF-8 with a BOM (Excel in China reads it right): counts as integers,
  decimals exactly, text cells Excel would take for formulas defused; a CSV that
  would pass Excel's 1,048,576 rows is split per year (then per province code);
- ``parquet/<table>/year=…/province_code=…/`` for every analyst table (ASCII keys,
  partition columns also inside the files);
- ``summary.xlsx`` for offices (pipeline/export_xlsx.py), optionally ``ogi.sqlite`` and
  a Datasette ``metadata.json`` (pipeline/export_sqlite.py);
- ``manifest.json``: run id, row counts and sha256 of every file, the CSV splits.

A failed or killed export leaves the previous folder as it was; its leftovers are
removed when the next export starts.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from .warehouse import fsync, sql

log = logging.getLogger("ogi")

BOM = b"\xef\xbb\xbf"
EXCEL_MAX_ROWS = 1_048_576  # rows in an Excel sheet, the header row included
MANIFEST = "manifest.json"
MEMORY_LIMIT = "512MB"  # DuckDB's own buffers; sorts and partitioned writes spill beyond it

# CSV name -> SQL file. Every query has `year` and `division_code` columns (for the split).
CSV_EXPORTS = {
    "facts": "export_facts.sql",
    "reports": "export_reports.sql",
    "t1": "export_t1.sql",
    "t2": "export_t2.sql",
    "t3": "export_t3.sql",
    "report_summary": "export_report_summary.sql",
    "check_results": "export_check_results.sql",
    "narrative_facts": "export_narrative_facts.sql",
}

# Parquet table -> SELECT (sql/export_parquet_*.sql); rollup views (v_*_year) are added when present.
PARQUET_TABLES = {
    "reports": "export_parquet_reports.sql",
    "facts": "export_parquet_facts.sql",
    "narrative_facts": "export_parquet_narrative_facts.sql",
    "check_results": "export_parquet_check_results.sql",
    "report_summary": "export_parquet_report_summary.sql",
}


@dataclass
class ExportResult:
    out: Path
    manifest: dict = field(default_factory=dict)

    @property
    def files(self) -> list[str]:
        return sorted(self.manifest.get("files", {}))


def _lit(path: Path) -> str:
    """A path as the inside of a SQL string literal (COPY takes no bound parameter)."""
    return str(path).replace("'", "''")


# --- the folder swap -------------------------------------------------------------

def _tmp_dirs(out: Path, kind: str) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.{kind}-*"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_leftovers(out: Path) -> list[Path]:
    """Undo what a killed or failed export left: put a set-aside folder back when the
    kill came between the two renames of the swap, remove unfinished builds."""
    removed = []
    asides = _tmp_dirs(out, "old")
    if asides and not out.exists():
        os.rename(asides.pop(), out)  # killed after setting the old folder aside
    for path in asides + _tmp_dirs(out, "tmp"):
        pid = path.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)) and ".tmp-" in path.name:
            continue  # another export is building right now
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _swap(tmp: Path, out: Path) -> None:
    """Publish the finished folder: old aside, new in, old removed."""
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        os.rename(out, old)
    os.rename(tmp, out)
    fsync(out.parent)
    shutil.rmtree(old, ignore_errors=True)


# --- CSV -------------------------------------------------------------------------

SPLIT_LEVELS = (  # (key, SQL expression it filters on)
    ("year", "coalesce(year, 0)"),
    ("province_code", "province_code(division_code)"),
    ("city_code", "city_code(division_code)"),
)


def _key_literal(level: int, value) -> str:
    if level == 0:
        return str(int(value))
    if value != "unknown" and not str(value).isdigit():
        raise ValueError(f"unexpected division code prefix {value!r}")
    return f"'{value}'"


def _split_plan(con: duckdb.DuckDBPyConnection, query: str, limit: int) -> tuple[list[str], list[tuple[str, str, int]]]:
    """(split_by, [(suffix, filter, rows)]): one part when the whole fits in an Excel
    sheet, else one per year; a year too big for a sheet is split per province, a
    province-year per city."""
    counts = con.execute(sql("export_split_counts.sql").replace("$query", query.replace("$filter", "TRUE"))).fetchall()
    depth_used = 0
    parts: list[tuple[str, str, int]] = []

    def split(groups: list[tuple], depth: int, suffix: str, where: list[str]) -> None:
        nonlocal depth_used
        rows = sum(g[-1] for g in groups)
        if rows < limit or depth == len(SPLIT_LEVELS):
            parts.append((suffix, " AND ".join(where) or "TRUE", rows))
            return
        depth_used = max(depth_used, depth + 1)
        keys: dict = {}
        for g in groups:
            keys.setdefault(g[depth], []).append(g)
        for key, sub in keys.items():
            name = ("unknown" if key == 0 else str(key)) if depth == 0 else str(key)
            split(sub, depth + 1, f"{suffix}_{name}", [*where, f"{SPLIT_LEVELS[depth][1]} = {_key_literal(depth, key)}"])

    split(counts, 0, "", [])
    return [k for k, _e in SPLIT_LEVELS[:depth_used]], parts


def _copy_csv(con: duckdb.DuckDBPyConnection, query: str, path: Path, spill: Path) -> None:
    """COPY to a scratch file, then the BOM and DuckDB's bytes after it (constant memory)."""
    part = spill / (path.name + ".part")
    con.execute(sql("export_copy_csv.sql").replace("$query", query).replace("$out", _lit(part)))
    with open(path, "wb") as dst, open(part, "rb") as src:
        dst.write(BOM)
        shutil.copyfileobj(src, dst, 1 << 20)
    part.unlink()


def write_csvs(con: duckdb.DuckDBPyConnection, folder: Path, spill: Path, limit: int = EXCEL_MAX_ROWS) -> dict:
    """Every CSV export; returns {name: {split_by, files: {file: rows}}} for the manifest."""
    written = {}
    for name, sql_file in CSV_EXPORTS.items():
        query = sql(sql_file).strip().rstrip(";")
        split_by, parts = _split_plan(con, query, limit)
        files = {}
        for suffix, where, rows in parts:
            path = folder / f"{name}{suffix}.csv"
            _copy_csv(con, query.replace("$filter", where), path, spill)
            files[path.name] = rows
            if rows >= limit:
                log.warning("%s has %d rows, more than an Excel sheet holds", path.name, rows)
        columns = {d[0]: str(d[1]) for d in con.execute(query.replace("$filter", "FALSE")).description}
        for column in re.findall(r"csv_num\(\w+\) AS (\w+)", query):
            columns[column] = "DECIMAL"  # written by csv_num(): 25, 2090.6
        written[name] = {"split_by": split_by, "files": files, "columns": columns,
                         "pandas_dtypes": {c: _pandas_dtype(t) for c, t in columns.items() if _pandas_dtype(t)}}
    return written


def _pandas_dtype(duck_type: str) -> str | None:
    """What pandas should read a CSV column as (``pd.read_csv(..., dtype=…)``): text stays
    text even when every value looks like a number (raw_text '0025', codes)."""
    t = duck_type.upper()
    if t == "VARCHAR":
        return "string"
    if t in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"):
        return "Int64"
    if t == "BOOLEAN":
        return "boolean"
    if t in ("DOUBLE", "FLOAT", "DECIMAL"):
        return "Float64"
    return None


# --- Parquet ---------------------------------------------------------------------

def _rollups(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Rollup views present (v_*_year), each with the SELECT that adds its province code."""
    out = {}
    for view, has_year, has_code, has_division, has_province in con.execute(sql("export_views.sql")).fetchall():
        if not view.endswith("_year"):
            continue
        if has_code:
            select = sql("export_parquet_own.sql")
        elif has_division:
            select = sql("export_parquet_view.sql")
        elif has_province:
            select = sql("export_parquet_rollup.sql")
        else:
            select = sql("export_parquet_own.sql")
        partitioned = has_year and (has_code or has_division or has_province)
        out[view.removeprefix("v_")] = (select.replace("$view", view), partitioned)
    return out


# Rows a partitioned COPY may buffer over all its open partitions (~65,536 for each of
# 30): each partition buffers up to the flush threshold, so a warehouse of 31 provinces
# x 4 years at a fixed 65,536 ran out of the 512 MB cap writing facts (100,000 reports).
FLUSH_ROWS = 2_000_000


def _flush_threshold(con: duckdb.DuckDBPyConnection) -> int:
    (partitions,) = con.execute("SELECT count(DISTINCT (year, province_code(division_code))) FROM reports").fetchone()
    return max(4096, FLUSH_ROWS // max(partitions, 1))


def write_parquet(con: duckdb.DuckDBPyConnection, folder: Path) -> list[str]:
    tables = {name: (sql(f), True) for name, f in PARQUET_TABLES.items()} | _rollups(con)
    folder.mkdir(parents=True, exist_ok=True)
    con.execute(f"SET partitioned_write_flush_threshold = {_flush_threshold(con)}")
    for name, (select, partitioned) in tables.items():
        select = select.strip().rstrip(";")
        target = folder / name
        if partitioned:
            con.execute(sql("export_parquet.sql").replace("$select", select).replace("$out", _lit(target)))
        else:
            target.mkdir(parents=True)
            con.execute(sql("export_parquet_plain.sql").replace("$select", select)
                        .replace("$out", _lit(target / "data_0.parquet")))
    return list(tables)


# --- manifest ----------------------------------------------------------------------

def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _rows(path: Path, csv_rows: dict[str, int]) -> int | None:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    return csv_rows.get(path.name) if path.parent.name != "parquet" else None


def _manifest(con: duckdb.DuckDBPyConnection, folder: Path, csvs: dict, parquet: list[str], extra: dict) -> dict:
    run = con.execute(sql("export_run_id.sql")).fetchone()
    csv_rows = {f: n for entry in csvs.values() for f, n in entry["files"].items()}
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        files[rel] = {"bytes": path.stat().st_size, "sha256": _sha256(path)}
        rows = _rows(path, csv_rows) if path.parent == folder or path.suffix == ".parquet" else None
        if rel in extra.get("rows", {}):
            rows = extra["rows"][rel]
        if rows is not None:
            files[rel]["rows"] = rows
    return {
        "format": 1,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "run_id": run[0] if run else None,
        "run_finished_at": run[1].isoformat() if run and run[1] else None,
        "excel_max_rows": EXCEL_MAX_ROWS,
        "csv": csvs,
        "parquet": {name: f"parquet/{name}/" for name in parquet},
        "files": files,
    }


# --- the whole export ------------------------------------------------------------

def export_all(con: duckdb.DuckDBPyConnection, out: Path, *, xlsx: bool = True, sqlite: bool = False,
               excel_max_rows: int = EXCEL_MAX_ROWS, memory_limit: str = MEMORY_LIMIT,
               after_step: Callable[[str], None] | None = None) -> ExportResult:
    """Write every export into a fresh folder next to ``out`` and swap it in when complete.

    ``after_step`` is called with each finished step's name (progress, tests).
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    for path in clean_leftovers(out):
        log.info("removed %s, left by an export that did not finish", path)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    spill = tmp / ".spill"
    spill.mkdir(parents=True)
    step = after_step or (lambda _name: None)
    try:
        con.execute(sql("export_macros.sql"))
        con.execute(sql("export_settings.sql").replace("$memory", memory_limit).replace("$tmp", _lit(spill)))
        csvs = write_csvs(con, tmp, spill, excel_max_rows)
        step("csv")
        parquet = write_parquet(con, tmp / "parquet")
        step("parquet")
        extra: dict = {"rows": {}}
        if xlsx:
            from .export_xlsx import write_summary_xlsx

            extra["rows"]["summary.xlsx"] = write_summary_xlsx(con, tmp / "summary.xlsx")
            step("xlsx")
        if sqlite:
            from .export_sqlite import write_datasette_metadata, write_sqlite

            extra["rows"]["ogi.sqlite"] = write_sqlite(con, tmp / "ogi.sqlite")
            write_datasette_metadata(tmp / "metadata.json", tables=extra["rows"]["ogi.sqlite"])
            step("sqlite")
        con.execute(sql("export_reset.sql"))
        shutil.rmtree(spill)
        manifest = _manifest(con, tmp, csvs, parquet, extra)
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        step("manifest")
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return ExportResult(out, manifest)
