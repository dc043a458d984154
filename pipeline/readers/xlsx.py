"""Excel workbooks (.xlsx; .xls and .et arrive here converted by LibreOffice).

Every sheet is read top to bottom. A row with a single text cell that is a
section heading, or long (narrative), is a text block; a blank row or such a
text row ends a table; other rows form the table. A merged range's text sits
in its top-left cell and every other position it covers is empty — the same
grid as a DOCX span (text once, then blank fillers). Numbers are written as a
report prints them: whole numbers without ``.0``; dates as 2025年1月20日.

The workbook is read with openpyxl in read-only mode (streamed, cached formula
values), after the same zip-bomb and DTD checks as a .docx; grid sizes are
bounded by :mod:`.limits`.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from ..model import Document, ReportError
from ..template import section_of
from .docx import inspect_package
from .limits import MAX_COLUMNS, MAX_ROWS, CellBudget, check_width
from .sections import DocumentBuilder

_NARRATIVE = 40  # a lone cell longer than this is a paragraph, not a table cell


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")  # 7539.443252, never 7.539443252e3
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value).strip()


def _rows(ws, sheet_no: int, budget: CellBudget):
    """(row number, [cell texts]) of non-blank rows; trailing blanks dropped."""
    for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
        texts = [cell_text(v) for v in values[: MAX_COLUMNS + 1]]
        while texts and not texts[-1]:
            texts.pop()
        if len(values) > MAX_COLUMNS and any(v is not None for v in values[MAX_COLUMNS:]):
            check_width(len(values), f"sheet {sheet_no} row {r}")
        budget.spend(len(texts), f"sheet {sheet_no} row {r}")
        yield r, texts


class _SheetReader:
    def __init__(self, b: DocumentBuilder, budget: CellBudget) -> None:
        self.b, self.budget = b, budget
        self.tables = 0
        self.current: list[list[tuple[str, str]]] = []

    def flush(self) -> None:
        if not self.current:
            return
        self.tables += 1
        locator = f"table {self.tables}"
        if len(self.current) > MAX_ROWS:
            self.b.doc.warnings.append(f"{locator}: {len(self.current)} rows, over the {MAX_ROWS}-row limit "
                                       "of a report table; skipped")
        else:
            self.b.table(self.current, locator)
        self.current = []

    def sheet(self, ws, sheet_no: int) -> None:
        for r, texts in _rows(ws, sheet_no, self.budget):
            filled = [t for t in texts if t]
            if not filled:
                self.flush()
                continue
            # A lone cell outside a table is a paragraph (title, narrative, signature date); inside
            # one it is a merged row (第二十条第（一）项) unless it is a heading or long text.
            if len(filled) == 1 and (not self.current or section_of(filled[0]) or len(filled[0]) > _NARRATIVE):
                self.flush()
                self.b.text(filled[0], f"sheet {sheet_no} row {r}")
                continue
            row_no = len(self.current) + 1
            self.current.append([(t, f"table {self.tables + 1} r{row_no}c{c}") for c, t in enumerate(texts, start=1)])
        self.flush()


def read_xlsx(data: bytes, source_path: str) -> Document:
    inspect_package(data, ".xlsx")
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ReportError(f"not a valid .xlsx: {type(exc).__name__}: {exc}") from None
    b = DocumentBuilder(source_path, "xlsx", "xlsx-sheets")
    reader = _SheetReader(b, CellBudget())
    try:
        for sheet_no, ws in enumerate(wb.worksheets, start=1):
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue  # a hidden sheet is working data, not the published report
            reader.sheet(ws, sheet_no)
    finally:
        wb.close()
    return b.doc
