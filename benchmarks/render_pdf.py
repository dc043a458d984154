"""Report PDFs as real ones are laid out, with the hazards real files have (reportlab, STSong-Light).

``to_pdf(items, path, PdfLayout(...))`` prints a report (the ('p', text) / ('table',
spans) items of benchmarks.render) on A4 portrait pages the way Word/WPS exports
look: narrow label columns whose long labels wrap over several lines, values
centred in their cells, page numbers in the footer. The options add one hazard
each:

- ``cut_row``: the page break falls inside that t2 row: its values and the first
  line(s) of its label end page N, the label's tail opens page N+1 (as Word
  prints a row allowed to break across pages);
- ``break_before``: the page break falls between two t2 rows;
- ``repeat_header``: the t2 header rows are printed again after the break;
- ``split_at``: the author split t2 into two tables before that row, with a
  ``续表`` caption between (header rows copied or not, a cut group label
  repeated or blank);
- ``borders=False``: no ruling lines at all;
- ``t3_page``: t3 alone on a landscape page, as a wide media box or as a
  portrait page turned by /Rotate 90;
- ``running_header``: a title line in the top margin of every page.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from pipeline.template import T2_ROWS

from .render import Item, grid

T2_LABEL_COLS = 3  # t2: 3 label columns, then 7 value columns
T2_HEADER_ROWS = 3


@dataclass(frozen=True)
class PdfLayout:
    label_width: float = 150.0  # pt: t2's three label columns together (A4 text width is 451 pt)
    font_size: float = 9.0  # table text (小五); narrative is 10.5 (五号)
    borders: bool = True
    valign: str = "MIDDLE"
    repeat_header: bool = False
    cut_row: str | None = None  # t2 row code whose label the page break cuts
    cut_lines: int = 1  # lines of that label left on page N
    cut_values: str = "head"  # the cut row's values on page N ('head') or N+1 ('tail')
    break_before: str | None = None  # t2 row code that opens page N+1 (a break between rows)
    split_at: str | None = None  # t2 row code that opens the second table
    split_caption: str = "续表"
    split_header: bool = True  # copy the header rows into the second table
    split_group: str = "repeat"  # a group label cut by the split: 'repeat' or 'blank'
    split_new_page: bool = True  # the second table starts on a new page
    t3_page: str = "portrait"  # 'portrait' | 'wide' | 'rotate'
    running_header: str | None = None
    page_numbers: bool = True


def t2_row_index(code: str) -> int:
    """Grid row of a t2 row code in benchmarks.render.t2_spans (3 header rows first)."""
    return T2_HEADER_ROWS + list(T2_ROWS["2021"]).index(code)


Placed = tuple[int, int, str, int, int]  # row, col, text, colspan, rowspan


def _label_cell(placed: list[Placed], k: int, label_cols: int) -> Placed:
    cells = [p for p in placed if p[0] == k and p[1] < label_cols and p[4] == 1]
    return max(cells, key=lambda p: p[1])


def cut_row(placed: list[Placed], k: int, head: str, tail: str, label_cols: int,
            values_with_tail: bool = False) -> list[Placed]:
    """Row k becomes two rows: the label's head with the values, then its tail with empty
    cells (or the head alone and the tail with the values)."""
    label = _label_cell(placed, k, label_cols)
    out: list[Placed] = []
    for p in placed:
        r, c, text, cs, rs = p
        if r > k:
            out.append((r + 1, c, text, cs, rs))
        elif p is label:
            out.append((r, c, head, cs, 1))
            out.append((r + 1, c, tail, cs, 1))
        elif r == k and rs == 1:
            out.append((r, c, "" if values_with_tail else text, cs, 1))
            out.append((r + 1, c, text if values_with_tail else "", cs, 1))
        elif r <= k <= r + rs - 1:
            out.append((r, c, text, cs, rs + 1))
        else:
            out.append(p)
    return out


def split_rows(placed: list[Placed], k: int, header_rows: int, copy_header: bool,
               group: str) -> tuple[list[Placed], list[Placed]]:
    """Two tables: rows before k, and rows from k (after the header rows when copied)."""
    first, second = [], []
    shift = header_rows if copy_header else 0
    for r, c, text, cs, rs in placed:
        if r < header_rows and copy_header:
            second.append((r, c, text, cs, rs))
        if r + rs <= k:
            first.append((r, c, text, cs, rs))
        elif r >= k:
            second.append((r - k + shift, c, text, cs, rs))
        else:  # a vertical merge cut by the split
            first.append((r, c, text, cs, k - r))
            second.append((shift, c, text if group == "repeat" else "", cs, r + rs - k))
    return first, second


def _styles(layout: PdfLayout):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10.5, leading=18, wordWrap="CJK",
                          firstLineIndent=21, spaceAfter=4)
    fs = layout.font_size
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=fs, leading=round(fs * 1.3, 1), wordWrap="CJK")
    centred = ParagraphStyle("centred", parent=cell, alignment=1)
    return body, cell, centred


def _split_label(text: str, width: float, lines: int, style) -> tuple[str, str]:
    """The first `lines` printed lines of a label in a cell `width` wide, and the rest."""
    from reportlab.platypus import Paragraph

    best = 1
    for i in range(1, len(text)):
        h = Paragraph(html.escape(text[:i]), style).wrap(width, 10_000)[1]
        if h <= lines * style.leading + 0.01:
            best = i
        else:
            break
    return text[:best], text[best:]


class _BreakInside:
    """A spacer before a heading + table, as tall as it takes for the page to end at
    `target` points into the table (the table then splits there)."""

    def __new__(cls, heading, target: float):
        from reportlab.platypus.flowables import Flowable

        class BreakInside(Flowable):
            def __init__(self) -> None:
                super().__init__()
                self.moved = False

            def wrap(self, aw, ah):
                need = heading.wrap(aw, ah)[1] + heading.style.spaceAfter + target
                h = ah - need
                if h >= 0:
                    self.height = h
                elif not self.moved:
                    self.moved = True
                    self.height = ah + 1  # does not fit: the frame moves it to the next page
                else:
                    self.height = 0
                return aw, self.height

            def split(self, aw, ah):
                return []

            def draw(self) -> None:
                pass

        return BreakInside()


def _table(placed: list[Placed], widths: list[float], layout: PdfLayout, styles, repeat: int = 0):
    from reportlab.platypus import Paragraph
    from reportlab.platypus import Table as RLTable

    _body, cell, centred = styles
    nrows = max(r + rs for r, _c, _t, _cs, rs in placed)
    ncols = len(widths)
    data: list[list[object]] = [[""] * ncols for _ in range(nrows)]
    cmds: list[tuple] = [("FONT", (0, 0), (-1, -1), "STSong-Light", layout.font_size),
                         ("VALIGN", (0, 0), (-1, -1), layout.valign), ("ALIGN", (0, 0), (-1, -1), "CENTER")]
    if layout.borders:
        cmds.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
    for r, c, text, cs, rs in placed:
        if text and not text.replace(".", "").isdigit():
            label_col = c < T2_LABEL_COLS if ncols == 10 else c == 0 and ncols == 4
            style = cell if label_col else centred
            data[r][c] = Paragraph(html.escape(text), style)
        else:
            data[r][c] = text
        if cs > 1 or rs > 1:
            cmds.append(("SPAN", (c, r), (c + cs - 1, r + rs - 1)))
    return RLTable(data, colWidths=widths, style=cmds, repeatRows=repeat)


def _widths(ncols: int, text_width: float, layout: PdfLayout) -> list[float]:
    if ncols == 10:  # t2: three label columns, seven value columns
        lw = layout.label_width
        return [lw * 0.2, lw * 0.3, lw * 0.5] + [(text_width - lw) / 7] * 7
    if ncols == 4:  # t1: label, three values
        return [text_width * 0.31] + [text_width * 0.23] * 3
    return [text_width / ncols] * ncols


def _t2_flowable(placed: list[Placed], header_rows: int, layout: PdfLayout, styles, widths: list[float]):
    """t2 as Word prints it: split across pages anywhere, also inside vertical merges
    (reportlab will not), a row allowed to break across pages (its label's first lines
    and its values on page N, the label's tail on page N+1), the header rows repeated
    after the break when `layout.repeat_header`."""
    from reportlab.platypus.flowables import Flowable

    leading = styles[1].leading

    class T2(Flowable):
        def __init__(self, cells: list[Placed], heads: int) -> None:
            super().__init__()
            self.cells, self.heads = cells, heads
            self.table = _table(cells, widths, layout, styles)

        def wrap(self, aw, ah):
            self.width, self.height = self.table.wrap(aw, ah)
            return self.width, self.height

        def draw(self) -> None:
            self.table.drawOn(self.canv, 0, 0)

        def split(self, aw, ah):
            self.wrap(aw, ah)
            heights = self.table._rowHeights
            top, k = 0.0, 0
            while k < len(heights) and top + heights[k] <= ah:
                top += heights[k]
                k += 1
            if k >= len(heights):
                return [self]
            room = ah - top - 6  # cell padding 3 + 3
            label = _label_cell(self.cells, k, T2_LABEL_COLS) if k >= self.heads else None
            if label is not None and room >= leading:
                w = sum(widths[label[1]: label[1] + label[3]]) - 12
                head, tail = _split_label(label[2], w, int(room // leading), styles[1])
                if tail and head:
                    cut = cut_row(self.cells, k, head, tail, T2_LABEL_COLS, layout.cut_values == "tail")
                    parts = self._parts(cut, k + 1, aw, ah)
                    if parts:
                        return parts
            return self._parts(self.cells, k, aw, ah) if k > self.heads else []

        def _parts(self, cells: list[Placed], k: int, aw, ah) -> list:
            first, second = split_rows(cells, k, self.heads, layout.repeat_header, "blank")
            part = T2(first, self.heads)
            if part.wrap(aw, ah)[1] > ah:
                return []
            return [part, T2(second, self.heads if layout.repeat_header else 0)]

    return T2(placed, header_rows)


def _t2_story(placed: list[Placed], heading, layout: PdfLayout, styles, text_width: float) -> list:
    from reportlab.platypus import PageBreak, Paragraph

    widths = _widths(10, text_width, layout)
    t2 = partial(_t2_flowable, layout=layout, styles=styles, widths=widths)
    if layout.cut_row or layout.break_before:
        # Move the table down until the page ends inside (or just before) that row.
        k = t2_row_index(layout.cut_row or layout.break_before)
        whole = _table(placed, widths, layout, styles)
        heights = whole.wrap(text_width, 100_000) and whole._rowHeights
        target = sum(heights[:k]) + (layout.cut_lines + 0.5) * styles[1].leading + 6 if layout.cut_row else sum(heights[:k]) + 1
        return [_BreakInside(heading, target), heading, t2(placed, T2_HEADER_ROWS)]
    if layout.split_at:
        k = t2_row_index(layout.split_at)
        first, second = split_rows(placed, k, T2_HEADER_ROWS, layout.split_header, layout.split_group)
        caption = Paragraph(html.escape(layout.split_caption), styles[0])
        return [heading, t2(first, T2_HEADER_ROWS), *([PageBreak()] if layout.split_new_page else []), caption,
                t2(second, T2_HEADER_ROWS if layout.split_header else 0)]
    return [heading, t2(placed, T2_HEADER_ROWS)]


def to_pdf(items: list[Item], path: Path, layout: PdfLayout | None = None) -> Path:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate, Paragraph

    layout = layout or PdfLayout()
    styles = _styles(layout)
    body = styles[0]
    margin_x, margin_y = 72, 72
    text_width = A4[0] - 2 * margin_x

    def decorate(canv, doc) -> None:
        canv.saveState()
        canv.setFont("STSong-Light", 9)
        w, h = canv._pagesize
        if layout.running_header:
            canv.drawCentredString(w / 2, h - 40, layout.running_header)
        if layout.page_numbers:
            canv.drawCentredString(w / 2, 36, f"- {doc.page} -")
        canv.restoreState()

    def rotated(canv, doc) -> None:
        # A portrait media box shown turned by /Rotate 90: the content is drawn turned
        # the other way so that it reads upright on screen.
        canv.translate(A4[0], 0)
        canv.rotate(90)
        canv.saveState()
        canv.setFont("STSong-Light", 9)
        if layout.page_numbers:
            canv.drawCentredString(A4[1] / 2, 36, f"- {doc.page} -")
        canv.restoreState()

    lw, lh = landscape(A4)
    Frame = partial(Frame, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)  # noqa: N806
    templates = [
        PageTemplate("portrait", [Frame(margin_x, margin_y, text_width, A4[1] - 2 * margin_y, id="p")],
                     onPage=decorate, pagesize=A4),
        PageTemplate("wide", [Frame(margin_y, margin_x, lw - 2 * margin_y, lh - 2 * margin_x, id="w")],
                     onPage=decorate, pagesize=(lw, lh)),
        PageTemplate("rotate", [Frame(margin_y, margin_x, lw - 2 * margin_y, lh - 2 * margin_x, id="r")],
                     onPage=rotated, pagesize=A4),
    ]
    templates[2].rotation = 90  # BaseDocTemplate sets /Rotate from the page template
    story: list = []
    for i, (kind, content) in enumerate(items):
        if kind == "p":
            nxt = items[i + 1] if i + 1 < len(items) else None
            if nxt and nxt[0] == "table":
                continue  # the heading goes with its table
            story.append(Paragraph(html.escape(content), body))
            continue
        heading = None
        if i > 0 and items[i - 1][0] == "p":
            heading = Paragraph(html.escape(items[i - 1][1]), replace_style(body))
        ncols, placed = grid(content)
        if ncols == 10:
            story.extend(_t2_story(placed, heading, layout, styles, text_width))
        elif ncols == 15 and layout.t3_page != "portrait":
            page_w = lw - 2 * margin_y
            story += [NextPageTemplate(layout.t3_page), PageBreak(), heading,
                      _table(placed, _widths(15, page_w, layout), layout, styles),
                      NextPageTemplate("portrait"), PageBreak()]
        else:
            story += [heading, _table(placed, _widths(ncols, text_width, layout), layout, styles)]
    story = [f for f in story if f is not None]
    doc = BaseDocTemplate(str(path), pagesize=A4, pageTemplates=templates, title="政府信息公开工作年度报告")
    doc.build(story)
    return path


def replace_style(style):
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle("heading", parent=style, firstLineIndent=0, spaceBefore=0, spaceAfter=6)




def seed_items(seed: Path) -> list[Item]:
    """A seed report as render items: its own text blocks, its values in the official tables."""
    from pipeline.model import Table, TextBlock
    from pipeline.parse import parse_bytes
    from pipeline.readers.text import read_text

    from . import render

    builders = {"t1": render.t1_spans, "t2": render.t2_spans, "t3": render.t3_spans}
    report = parse_bytes(seed.read_bytes(), str(seed))
    raw = {f"{f.table_code}.{f.row_code}.{f.col_code}": f.raw_text for f in report.facts}
    out: list[Item] = []
    for item in read_text(seed.read_bytes(), str(seed)).items:
        if isinstance(item, TextBlock):
            out.append(("p", item.text))
        elif isinstance(item, Table):
            out.append(("table", builders[item.hint](raw.__getitem__)))
    return out


# -- PDFs made by real producers: LibreOffice (from a DOCX) and Chromium (from HTML) ----


def to_docx_for_print(items: list[Item], path: Path, filler: int = 0, repeat_header: bool = True,
                      label_cm: float = 4.5, font_pt: float = 10.5) -> Path:
    """A DOCX laid out as reports are in Word: A4, t2's label columns `label_cm` wide in
    all, header rows marked to repeat on every page, rows allowed to break across pages;
    `filler` narrative paragraphs before t2 move the page break through it."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    from .render import grid as place

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    document.styles["Normal"].font.size = Pt(font_pt)
    text_cm = 16.0
    for kind, content in items:
        if kind == "p":
            document.add_paragraph(content)
            continue
        ncols, placed = place(content)
        if ncols == 10:
            for i in range(filler):
                document.add_paragraph(f"（{i + 1}）本段说明本年度政府信息公开工作的有关情况，"
                                       "包括主动公开、依申请公开和政府信息管理等方面的做法与成效。")
            widths = [label_cm * 0.2, label_cm * 0.3, label_cm * 0.5] + [(text_cm - label_cm) / 7] * 7
        elif ncols == 4:
            widths = [text_cm * 0.31] + [text_cm * 0.23] * 3
        else:
            widths = [text_cm / ncols] * ncols
        nrows = max(r + rs for r, _c, _t, _cs, rs in placed)
        table = document.add_table(rows=nrows, cols=ncols)
        table.style = "Table Grid"
        table.autofit = False
        for row in table.rows:
            for c, cell in enumerate(row.cells):
                cell.width = Cm(widths[c])
        for r, c, text, cs, rs in placed:
            cell = table.cell(r, c)
            if cs > 1 or rs > 1:
                cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
            cell.text = text
        if repeat_header and ncols == 10:
            for row in table.rows[:3]:
                tr_pr = row._tr.get_or_add_trPr()
                el = OxmlElement("w:tblHeader")
                el.set(qn("w:val"), "true")
                tr_pr.append(el)
    document.save(path)
    return path


def soffice_pdf(source: Path | list[Path], outdir: Path, timeout: float = 300) -> Path | list[Path]:
    """Convert one file (or several, in one LibreOffice start) with LibreOffice headless,
    in a private profile."""
    import subprocess
    import tempfile

    sources = source if isinstance(source, list) else [source]
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(outdir), *map(str, sources)], check=True, timeout=timeout,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = [outdir / (s.stem + ".pdf") for s in sources]
    return out if isinstance(source, list) else out[0]


def chromium_pdf(html_file: Path, out: Path, timeout: float = 120) -> Path:
    """Print an HTML file to PDF with headless Chromium (its default header and footer:
    date and time, page title, URL, page counter)."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", f"--print-to-pdf={out}", html_file.resolve().as_uri()],
                       check=True, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out
