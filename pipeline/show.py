"""Human-readable views of one report (`ogi show`) and of the runs (`ogi status`)."""

from __future__ import annotations

import duckdb

from . import template as tpl
from .terminal import one_line
from .warehouse import sql


def clean(text) -> str:
    """Report text made safe for a terminal (pipeline/terminal.py): escape codes shown as visible escapes."""
    return one_line("" if text is None else text)


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


def _failed_checks(con: duckdb.DuckDBPyConnection, rid: str) -> list[tuple]:
    try:
        return con.execute(sql("report_failed_checks.sql"), [rid]).fetchall()
    except (duckdb.Error, FileNotFoundError):
        return []


def _marks(failed: list[tuple]) -> tuple[dict[str, str], dict[str, list[int]]]:
    """cell -> '!' (suspect) or '*' (covered by a failed check); cell -> finding numbers."""
    mark: dict[str, str] = {}
    refs: dict[str, list[int]] = {}
    for n, (_suite, _name, _sev, _msg, cells, suspects, passed, _status) in enumerate(failed, 1):
        for c in cells:
            refs.setdefault(c, []).append(n)
            if passed is False:
                mark.setdefault(c, "*")
        for c in suspects:
            mark[c] = "!"
    return mark, refs


def _table_lines(table: str, rows: list, mark: dict, refs: dict) -> list[str]:
    out = []
    if table == "t3":
        out.append(f"  {'':34}" + "".join(f"{c:>11}" for c in tpl.T3_COLS))
    elif table == "t2":
        out.append(f"  {'':34}" + "".join(f"{c[:10]:>11}" for c in tpl.T2_COLS))
    current, line, row_refs = None, "", set()
    for _t, row, col, row_label, _col_label, value, raw in rows:
        if row != current:
            if line:
                out.append(line + (f"  ◀ [{', '.join(map(str, sorted(row_refs)))}]" if row_refs else ""))
            current, row_refs = row, set()
            label = f"{row} {row_label.split('·')[-1]}"
            line = f"  {label[:34]:34}"
        key = f"{table}.{row}.{col}"
        cell = clean(_fmt(value, raw)) + mark.get(key, "")
        row_refs.update(refs.get(key, []))
        line += f"{cell:>11}" if table != "t1" else f"  {col}={cell}"
    if line:
        out.append(line + (f"  ◀ [{', '.join(map(str, sorted(row_refs)))}]" if row_refs else ""))
    return out


def show_report(con: duckdb.DuckDBPyConnection, ref: str) -> str:
    rid, path, year, body, prov, city, county, code, version, layout, published = find_report(con, ref)
    out = [
        clean(f"{body or '(body unknown)'} · {year or '(year unknown)'} · template {version}"),
        f"  report {rid}",
        clean(f"  source {path} ({layout})"),
        clean(f"  place  {' '.join(x for x in (prov, city, county) if x) or '(unresolved)'} {code or ''}".rstrip()),
    ]
    if published:
        out.append(f"  published {published}")
    cells = con.execute(sql("report_cells.sql"), [rid]).fetchall()
    failed = _failed_checks(con, rid)
    mark, refs = _marks(failed)
    for table, title in tpl.TABLES.items():
        out.append("")
        out.append(f"{table} {title}")
        out.extend(_table_lines(table, [c for c in cells if c[0] == table], mark, refs))
    warnings = con.execute(sql("report_warnings.sql"), [rid]).fetchall()
    if warnings:
        out.append("")
        out.append(f"parse warnings ({len(warnings)})")
        out.extend(clean(f"  [{stage}] {msg}") for stage, msg in warnings)
    if failed:
        out.append("")
        out.append(f"failed and incomplete checks ({len(failed)}; ◀ [n] in the tables points here)")
        for n, (_suite, name, sev, msg, _cells, suspects, passed, status) in enumerate(failed, 1):
            kind = sev if passed is False else "incomplete"
            out.append(clean(f"  [{n}] [{kind}, {status}] {name}: {msg}"))
            if suspects:
                out.append(clean(f"      suspect: {', '.join(suspects)}"))
    out.append("")
    out.append("· = not printed in the source (cut off or unreadable); NULL = printed blank, —, / or 无; "
               "* = a cell of a failed check, ! = the suspect cell")
    return "\n".join(out)


def show_status(con: duckdb.DuckDBPyConnection) -> str:
    reports, facts, warnings, quarantined = con.execute(sql("counts.sql")).fetchall()[0]
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
