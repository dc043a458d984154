"""summary.xlsx for offices: one sheet per table, Chinese headers, a frozen header
row and filters, the three tables of every report in wide form.

Written with openpyxl's write-only mode, rows fetched from DuckDB in chunks, so memory
stays bounded; a table longer than a sheet continues on a sheet named "… (2)".
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb

from .warehouse import sql

SHEETS = {  # sheet title -> SQL file
    "报告": "export_xlsx_reports.sql",
    "汇总": "export_xlsx_summary.sql",
    "表一 主动公开": "export_xlsx_t1.sql",
    "表二 依申请公开": "export_xlsx_t2.sql",
    "表三 复议诉讼": "export_xlsx_t3.sql",
    "未通过核查": "export_xlsx_failed_checks.sql",
}
SHEET_MAX_ROWS = 1_048_576
CHUNK = 5000


def headers_zh(columns: list[str]) -> list[str]:
    """The data dictionary's Chinese label of each column, else its code."""
    from .dictionary import column_docs

    docs = column_docs()
    return [docs.get(c, {}).get("label_zh") or c for c in columns]


def _cell(ws, value):
    """Numbers as numbers (a count as an integer), text always as text: a string that
    starts with '=' would otherwise become a formula."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    if isinstance(value, str) and value[:1] == "=":
        cell = WriteOnlyCell(ws, value)
        cell.data_type = "s"
        return cell
    return value


def _new_sheet(wb, title: str, header: list[str]):
    from openpyxl.styles import Font

    ws = wb.create_sheet(title[:31])
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for h in header:
        from openpyxl.cell import WriteOnlyCell

        c = WriteOnlyCell(ws, h)
        c.font = bold
        cells.append(c)
    ws.append(cells)
    return ws


def _close_sheet(ws, width: int, rows: int) -> None:
    from openpyxl.utils import get_column_letter

    ws.auto_filter.ref = f"A1:{get_column_letter(max(width, 1))}{rows + 1}"


def write_summary_xlsx(con: duckdb.DuckDBPyConnection, path: Path, max_rows: int = SHEET_MAX_ROWS) -> dict[str, int]:
    """Write the workbook; returns data rows per sheet."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    written: dict[str, int] = {}
    for title, sql_file in SHEETS.items():
        cur = con.execute(sql(sql_file))
        columns = [d[0] for d in cur.description]
        header = headers_zh(columns)
        ws, rows, part = _new_sheet(wb, title, header), 0, 1
        while chunk := cur.fetchmany(CHUNK):
            for row in chunk:
                if rows == max_rows - 1:
                    _close_sheet(ws, len(columns), rows)
                    written[ws.title] = rows
                    part += 1
                    ws, rows = _new_sheet(wb, f"{title} ({part})", header), 0
                ws.append([_cell(ws, v) for v in row])
                rows += 1
        _close_sheet(ws, len(columns), rows)
        written[ws.title] = rows
    wb.save(path)
    return written
