"""The text of a pdfplumber table's cells, as ``Table.extract()`` gives it, faster.

``Table.extract()`` tests every char of the page against every row and then every
char of the row against every cell: on a report page (~1,000 chars, ~30 rows of
10 cells) that is most of the time left once pdfium builds the objects. Here the
chars are sorted once by their vertical centre and each row takes its slice by
bisection; the test for a char being in a cell is pdfplumber's own (centre inside
the box, right and bottom edges open), and a cell's chars keep the page's order,
so the text is identical (tests/test_pdfium_objects.py compares both).
"""

from __future__ import annotations

from bisect import bisect_left

from pdfplumber.utils import extract_text


def table_cells(table) -> list[list[str | None]]:
    chars = table.page.chars
    mids = sorted(
        ((c["top"] + c["bottom"]) / 2, i, (c["x0"] + c["x1"]) / 2) for i, c in enumerate(chars)
    )
    v_mids = [m[0] for m in mids]
    out = []
    for row in table.rows:
        _x0, top, _x1, bottom = row.bbox
        band = mids[bisect_left(v_mids, top):bisect_left(v_mids, bottom)]
        r_x0, r_x1 = row.bbox[0], row.bbox[2]
        row_chars = sorted((i, h) for _v, i, h in band if r_x0 <= h < r_x1)
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            c_x0, c_top, c_x1, c_bottom = cell
            picked = [chars[i] for i, h in row_chars
                      if c_x0 <= h < c_x1 and c_top <= (chars[i]["top"] + chars[i]["bottom"]) / 2 < c_bottom]
            cells.append(extract_text(picked) if picked else "")
        out.append(cells)
    return out
