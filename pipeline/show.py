"""Human-readable views of one report (`ogi show`) and of the runs (`ogi status`)."""

from __future__ import annotations

import duckdb

from . import template as tpl
from .terminal import one_line
from .warehouse import sql


def _fmt(value, raw: str | None) -> str:
    if value is None:
        return "·" if raw is None else (raw or "NULL")
    v = float(value)
    return str(int(v)) if v.is_integer() else f"{v:g}"


def find_report(con: duckdb.DuckDBPyConnection, ref: str) -> tuple:
    rows = con.execute(sql("find_report.sql"), [ref]).fetchall()
    if not rows:
        raise LookupError(f"no report matches '{ref}' (give an id prefix or a source path)")
    if len(rows) > 1:
        ids = ", ".join(r[0][:12] for r in rows[:5])
        raise LookupError(f"'{ref}' matches {len(rows)} reports ({ids}…): give a longer id prefix")
    return rows[0]


def show_report(con: duckdb.DuckDBPyConnection, ref: str) -> str:
    rid, path, year, body, prov, city, county, code, version, layout, published = find_report(con, ref)
    out = [
        f"{body or '(body unknown)'} · {year or '(year unknown)'} · template {version}",
        f"  report {rid}",
        f"  source {path} ({layout})",
        f"  place  {' '.join(x for x in (prov, city, county) if x) or '(unresolved)'} {code or ''}".rstrip(),
    ]
    if published:
        out.append(f"  published {published}")
    cells = con.execute(sql("report_cells.sql"), [rid]).fetchall()
    for table, title in tpl.TABLES.items():
        rows = [c for c in cells if c[0] == table]
        out.append("")
        out.append(f"{table} {title}")
        if table == "t3":
            cols = list(tpl.T3_COLS)
            out.append(f"  {'':34}" + "".join(f"{c:>11}" for c in cols))
        elif table == "t2":
            cols = list(tpl.T2_COLS)
            out.append(f"  {'':34}" + "".join(f"{c[:10]:>11}" for c in cols))
        current = None
        line = ""
        for _t, row, col, row_label, _col_label, value, raw in rows:
            if row != current:
                if line:
                    out.append(line)
                current = row
                label = f"{row} {row_label.split('·')[-1]}"
                line = f"  {label[:34]:34}" if table != "t1" else f"  {label[:34]:34}"
            cell = _fmt(value, raw)
            line += f"{cell:>11}" if table != "t1" else f"  {col}={cell}"
        if line:
            out.append(line)
    warnings = con.execute(sql("report_warnings.sql"), [rid]).fetchall()
    if warnings:
        out.append("")
        out.append(f"parse warnings ({len(warnings)})")
        out.extend(f"  [{stage}] {msg}" for stage, msg in warnings)
    try:
        failed = con.execute(sql("report_failed_checks.sql"), [rid]).fetchall()
    except (duckdb.Error, FileNotFoundError):
        failed = []
    if failed:
        out.append("")
        out.append(f"failed checks ({len(failed)})")
        out.extend(f"  [{sev}] {name}: {msg}" for _suite, name, sev, msg in failed)
    out.append("")
    out.append("· = not printed in the source (cut off or unreadable); NULL = printed blank, —, / or 无")
    return "\n".join(out)


def show_status(con: duckdb.DuckDBPyConnection) -> str:
    reports, facts, warnings, quarantined = con.execute(sql("counts.sql")).fetchone()
    out = [f"{reports} reports, {facts} facts, {warnings} parse warnings, {quarantined} files in quarantine"]
    runs = con.execute(sql("status_runs.sql")).fetchall()
    if runs:
        out.append("")
        out.append("last runs:")
        for run_id, started, _finished, status, seen, new, changed, unchanged, quar, checks in runs:
            out.append(
                f"  {started:%Y-%m-%d %H:%M:%S} {status:8} seen {seen}, new {new}, changed {changed}, "
                f"unchanged {unchanged}, quarantined {quar}, checks failed {checks}  ({run_id[:8]})"
            )
    rows = con.execute(sql("status_quarantine.sql")).fetchall()
    if rows:
        out.append("")
        out.append("quarantine:")
        out.extend(f"  {one_line(path)}: {one_line(reason)}" for path, reason, _first, _last in rows)
    return "\n".join(out)
