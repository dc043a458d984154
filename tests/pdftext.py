"""Text copied out of a PDF viewer, made at test time: a seed rendered to PDF with
reportlab (narrow label columns, so labels wrap over several lines; a page footer on
every page, so footers fall inside the tables that cross a page), then really run
through poppler's ``pdftotext`` and ``pdftotext -layout``.

No binary is committed: the PDFs and texts are built from the seeds' own values.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks import render
from pipeline.model import Table, TextBlock
from pipeline.parse import parse_bytes
from pipeline.readers.text import read_text

FOOTERS = {
    "zh": lambda page, pages: f"第 {page} 页 共 {pages} 页",
    "dash": lambda page, pages: f"- {page} -",
}


def require_pdftotext() -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext (Debian package poppler-utils) is required in CI")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return exe


def seed_values(seed: Path) -> dict[str, str]:
    """'t2.granted.total' -> the raw text the seed prints."""
    report = parse_bytes(seed.read_bytes(), str(seed))
    return {f"{f.table_code}.{f.row_code}.{f.col_code}": f.raw_text for f in report.facts}


def plain_copy(*cells: str) -> str:
    """Text in plain pdftotext's shape: each cell its own block, a blank line after it
    ('\n' inside a cell: two lines of one block)."""
    return "".join(f"{c}\n\n" for c in cells)


def wrong_cells(report, raw: dict[str, str], blank: set[str]) -> dict[str, tuple]:
    """'t2.granted.total' -> (loaded value, the seed's value, locator) for every loaded cell
    whose value is not the seed's (None for a cell left blank)."""
    from pipeline.values import parse_value

    wrong = {}
    for f in report.facts or ():
        key = f"{f.table_code}.{f.row_code}.{f.col_code}"
        expected = None if key in blank else parse_value(raw[key]).value
        if f.value != expected:
            wrong[key] = (f.value, expected, f.locator)
    return wrong


def layout(seed: Path, value: Callable[[str], str]) -> list[render.Item]:
    """The seed's text blocks and its tables in the official merged-cell layout."""
    builders = {"t1": render.t1_spans, "t2": render.t2_spans, "t3": render.t3_spans}
    out: list[render.Item] = []
    for item in read_text(seed.read_bytes(), str(seed)).items:
        if isinstance(item, TextBlock):
            out.append(("p", item.text))
        elif isinstance(item, Table):
            out.append(("table", builders[item.hint](value)))
    return out


def _col_widths(ncols: int, label_width: float) -> list[float]:
    if ncols == 10:  # t2: three label columns, seven applicant columns
        return [label_width * 0.8, label_width, label_width * 2] + [40.0] * 7
    if ncols == 4:  # t1
        return [label_width * 1.5] + [70.0] * 3
    return [28.0] * ncols  # t3: fifteen numbers


def to_pdf(items: list[render.Item], path: Path, label_width: float = 40.0, footer: str = "zh",
           valign: str = "MIDDLE") -> Path:
    """Portrait A4 (t2 crosses a page), labels wrapped in narrow columns, a page footer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from reportlab.platypus import Table as RLTable

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=9, leading=12, wordWrap="CJK")
    cell_style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=7, leading=9, wordWrap="CJK")
    story = []
    for kind, content in items:
        if kind == "p":
            story.append(Paragraph(html.escape(content), style))
            continue
        ncols, placed = render.grid(unspan_label_rows(content))
        nrows = max(r + rs for r, _c, _t, _cs, rs in placed)
        data = [[""] * ncols for _ in range(nrows)]
        cmds = [("FONT", (0, 0), (-1, -1), "STSong-Light", 7), ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                ("VALIGN", (0, 0), (-1, -1), valign)]
        for r, c, text, cs, rs in placed:
            data[r][c] = text if render_plain(text) else Paragraph(html.escape(text), cell_style)
            if cs > 1 or rs > 1:
                cmds.append(("SPAN", (c, r), (c + cs - 1, r + rs - 1)))
        story.append(RLTable(data, colWidths=_col_widths(ncols, label_width), style=cmds, repeatRows=0))

    make_footer = FOOTERS[footer]
    pages = [0]

    class Doc(SimpleDocTemplate):
        def afterPage(self) -> None:  # noqa: N802 - reportlab's hook name
            self.canv.setFont("STSong-Light", 8)
            self.canv.drawCentredString(A4[0] / 2, 30, make_footer(self.canv.getPageNumber(), pages[0]))

    import copy
    import io

    counting = Doc(io.BytesIO(), pagesize=A4, leftMargin=50, rightMargin=50)
    counting.build(copy.deepcopy(story))
    pages[0] = counting.page
    Doc(str(path), pagesize=A4, leftMargin=50, rightMargin=50).build(story)
    return path


def unspan_label_rows(rows: list[list[render.Span]]) -> list[list[render.Span]]:
    """Group labels spanning many body rows (三、本年度办理结果 over 21 rows) printed in their
    first row only, the cells below blank: reportlab cannot break a page inside a span,
    and a table as tall as t2 with wrapped labels must cross a page."""
    out = [list(r) for r in rows]
    for r, row in enumerate(rows):
        if r < 3:
            continue  # header rows keep their spans
        shift = sum(1 for t in out[r] if t[2] == -1)  # blanks put in front by the spans above
        for i, (text, cs, rs) in enumerate(row):
            if rs > 1:
                out[r][i + shift] = (text, cs, 1)
                for below in range(r + 1, r + rs):
                    out[below].insert(sum(1 for t in out[below] if t[2] == -1), ("", 1, -1))
    return [[(t, cs, 1 if rs == -1 else rs) for t, cs, rs in row] for row in out]


def render_plain(text: str) -> bool:
    """Numbers and short words go in as strings; labels as wrapping paragraphs."""
    return len(text) <= 2 or text.replace(".", "").isdigit()


def pdftotext(pdf: Path, layout_mode: bool) -> str:
    exe = require_pdftotext()
    args = [exe, "-enc", "UTF-8"] + (["-layout"] if layout_mode else []) + [str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, timeout=60).stdout.decode("utf-8")
