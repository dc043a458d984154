"""Which report a user means: `ogi show 3f2a9c`, `ogi show 秦都区 2024`, `ogi show x.pdf`."""

from __future__ import annotations

import duckdb

from .terminal import one_line
from .warehouse import sql

MAX_LISTED = 20


class Ambiguous(LookupError):
    """Several reports match; the message lists them, one line each."""


def resolve_report(con: duckdb.DuckDBPyConnection, ref: str, year: int | None = None) -> str:
    """The report id ``ref`` (and ``year``) names: an id prefix, a source path or part of
    one, or part of the body's name. LookupError if none, Ambiguous if several."""
    rows = con.execute(sql("find_report_by_name.sql"), [ref, year]).fetchall()
    exact = [r for r in rows if r[4]]
    rows = exact or rows
    where = f"'{one_line(ref)}'" + (f" in {year}" if year is not None else "")
    if not rows:
        raise LookupError(f"no report matches {where} (give an id prefix, a file name, or a body name and year)")
    if len(rows) == 1:
        return rows[0][0]
    lines = [f"{where} matches {len(rows)} reports; add the year or give an id prefix:"]
    for rid, ryear, body, path, _exact in rows[:MAX_LISTED]:
        lines.append(f"  {rid[:12]}  {ryear if ryear is not None else '----'}  {one_line(body or '(body unknown)')}  "
                     f"{one_line(path)}")
    if len(rows) > MAX_LISTED:
        lines.append(f"  … and {len(rows) - MAX_LISTED} more")
    raise Ambiguous("\n".join(lines))
