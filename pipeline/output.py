"""Result sets as text: table and markdown for people, csv / json / jsonl for programs.

Rows are streamed from DuckDB in batches, so `--format csv` of a large result holds
one batch at a time. The human formats stop at a limit (200 rows by default) and then
say so with the total: output is never cut silently.
"""

from __future__ import annotations

import csv
import json
import math
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import IO

from .terminal import one_line

FORMATS = ("table", "csv", "json", "jsonl", "markdown")
HUMAN_FORMATS = ("table", "markdown")
DEFAULT_HUMAN_LIMIT = 200
CELL_WIDTH = 80  # display columns; longer cells end in "…" (use --format csv for the whole text)
_BATCH = 2048


def _rows(result) -> Iterator[tuple]:
    while True:
        batch = result.fetchmany(_BATCH)
        if not batch:
            return
        yield from batch


def _number_text(v) -> str:
    """25 rather than 25.0 or 25.0000 (counts are DECIMAL in the warehouse); exact otherwise."""
    if isinstance(v, Decimal):
        if not v.is_finite():
            return str(v)
        return str(v.quantize(Decimal(1))) if v == v.to_integral_value() else format(v.normalize(), "f")
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def text_value(v) -> str:
    """How one value reads in csv, table and markdown output ("" for NULL in csv)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, Decimal)):
        return _number_text(v)
    if isinstance(v, (datetime, date, time)):
        return v.isoformat(sep=" ") if isinstance(v, datetime) else v.isoformat()
    if isinstance(v, (bytes, bytearray, memoryview)):
        return "\\x" + bytes(v).hex()
    return str(v)


def json_value(v):
    if isinstance(v, Decimal):
        if not v.is_finite():
            return None
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, dict):
        return {str(k): json_value(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [json_value(x) for x in v]
    if isinstance(v, (datetime, date, time)):
        return v.isoformat()
    if isinstance(v, timedelta):
        return str(v)
    if v is None or isinstance(v, (bool, int, str)):
        return v
    return text_value(v)


def width(s: str) -> int:
    """Display columns: CJK and fullwidth characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _cut(s: str, limit: int = CELL_WIDTH) -> str:
    if width(s) <= limit:
        return s
    out, w = [], 0
    for c in s:
        cw = width(c)
        if w + cw > limit - 1:
            break
        out.append(c)
        w += cw
    return "".join(out) + "…"


def _pad(s: str, n: int, right: bool) -> str:
    gap = " " * (n - width(s))
    return gap + s if right else s + gap


def _is_number(v) -> bool:
    return isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)


def rows_footer(shown: int, total: int) -> str:
    if shown < total:
        return f"(showing {shown:,} of {total:,} rows; use --limit or --format csv)"
    return f"({total:,} row{'' if total == 1 else 's'})"


def _numeric_columns(columns: list[str], rows: list[tuple]) -> list[bool]:
    return [any(_is_number(r[i]) for r in rows) and all(r[i] is None or _is_number(r[i]) for r in rows)
            for i in range(len(columns))]


def render_table(columns: list[str], rows: list[tuple]) -> str:
    numeric = _numeric_columns(columns, rows)
    head = [_cut(one_line(c)) for c in columns]
    body = [[_cut(one_line("NULL" if v is None else text_value(v))) for v in r] for r in rows]
    widths = [max([width(h)] + [width(r[i]) for r in body]) for i, h in enumerate(head)]
    lines = [" │ ".join(_pad(h, widths[i], numeric[i]) for i, h in enumerate(head)).rstrip(),
             "─┼─".join("─" * w for w in widths)]
    lines += [" │ ".join(_pad(c, widths[i], numeric[i]) for i, c in enumerate(r)).rstrip() for r in body]
    return "\n".join(lines)


def _md_cell(v) -> str:
    return one_line(v).replace("|", "\\|")


def render_markdown(columns: list[str], rows: list[tuple]) -> str:
    numeric = _numeric_columns(columns, rows)
    lines = ["| " + " | ".join(_md_cell(c) for c in columns) + " |",
             "|" + "".join(" ---: |" if n else " --- |" for n in numeric)]
    lines += ["| " + " | ".join(_md_cell("NULL" if v is None else text_value(v)) for v in r) + " |" for r in rows]
    return "\n".join(lines)


def _write_human(columns, rows: Iterator[tuple], out: IO[str], fmt: str, limit: int) -> int:
    kept: list[tuple] = []
    total = 0
    for row in rows:  # keep the first `limit`, count the rest without holding them
        if total < limit:
            kept.append(row)
        total += 1
    render = render_table if fmt == "table" else render_markdown
    out.write(render(columns, kept) + "\n")
    out.write(("" if fmt == "table" else "\n") + rows_footer(len(kept), total) + "\n")
    return total


def write_result(result, out: IO[str], fmt: str = "table", limit: int | None = None) -> int:
    """Write a DuckDB result in ``fmt`` to ``out``; returns the number of rows in the result
    (human formats) or written (csv/json/jsonl)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    columns = [d[0] for d in (result.description or [])]
    rows = _rows(result)
    if fmt in HUMAN_FORMATS:
        return _write_human(columns, rows, out, fmt, DEFAULT_HUMAN_LIMIT if limit is None else limit)
    n = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
    elif fmt == "json":
        out.write("[")
    for row in rows:
        if limit is not None and n >= limit:
            break
        if fmt == "csv":
            writer.writerow([text_value(v) for v in row])
        else:
            line = json.dumps({c: json_value(v) for c, v in zip(columns, row, strict=True)}, ensure_ascii=False)
            out.write((("\n" if n == 0 else ",\n") + line) if fmt == "json" else line + "\n")
        n += 1
    if fmt == "json":
        out.write("]\n" if n == 0 else "\n]\n")
    return n
