"""How big a table grid may get before a reader refuses the file.

A report's tables are at most a few dozen columns and rows (t2 is 10 columns by
about 30 rows). Spans are expanded into filler cells, so a 169-byte HTML with
``colspan=100000000`` or a DOCX with a huge ``w:gridSpan`` would otherwise build
billions of cells. Every reader checks a span *before* expanding it, so the
refusal costs milliseconds and no memory.
"""

from __future__ import annotations

from ..model import ReportError

MAX_SPAN = 64  # colspan / gridSpan / gridBefore of one cell
MAX_COLUMNS = 64  # grid width of one table row
MAX_ROWS = 500  # rows of one table (a table past this is not a report table: skipped)
MAX_CELLS = 100_000  # grid cells of the whole document


def check_span(span: int, what: str, where: str) -> None:
    if span > MAX_SPAN:
        raise ReportError(f"{what}={span} at {where} exceeds the limit of {MAX_SPAN} (a report table is a few "
                          "dozen columns wide): refused as a span bomb")


def check_width(width: int, where: str) -> None:
    if width > MAX_COLUMNS:
        raise ReportError(f"table row {where} is {width} columns wide, over the limit of {MAX_COLUMNS}: refused")


class CellBudget:
    """Counts grid cells over a whole document; past MAX_CELLS the file is refused."""

    def __init__(self) -> None:
        self.used = 0

    def spend(self, n: int, where: str) -> None:
        self.used += n
        if self.used > MAX_CELLS:
            raise ReportError(f"more than {MAX_CELLS} table cells in the document (at {where}): refused "
                              "(a report has a few thousand)")


def too_many_rows(n_rows: int, locator: str) -> str | None:
    """The warning for a table too long to be a report table (it is skipped), else None."""
    if n_rows <= MAX_ROWS:
        return None
    return f"{locator}: {n_rows} rows, over the {MAX_ROWS}-row limit of a report table; skipped"


def drop_spanned_columns(grid: list[list[tuple[str, str]]], widths: list[list[int]]) -> list[list[tuple[str, str]]]:
    """Remove grid columns that no cell has to itself (every cell over them spans more).

    Word and LibreOffice leave hairline grid columns (a 1-twip ``w:gridCol`` that a
    ``w:gridSpan="2"`` 总计 cell covers): kept, their fillers would read as blank
    value cells and shift every value after them one column. ``widths[r][c]`` is
    the span of the cell that starts at (r, c), 0 where none starts. A cell that
    starts in a removed column starts in the next one instead.
    """
    width = max((len(row) for row in grid), default=0)
    dead, prev = [], -2
    for c in range(width):
        if not any(c < len(w) and w[c] == 1 for w in widths) and prev != c - 1 and c + 1 < width:
            dead.append(c)
            prev = c
    if not dead:
        return grid
    out = []
    for row, w in zip(grid, widths, strict=True):
        row, w = list(row), list(w)
        for c in reversed(dead):
            if c >= len(row):
                continue
            if w[c] >= 2 and c + 1 < len(row):
                row[c + 1], w[c + 1] = row[c], w[c] - 1
            del row[c], w[c]
        out.append(row)
    return out
