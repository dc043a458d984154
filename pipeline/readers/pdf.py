"""PDF reports (pdfplumber): ruled tables, joined across page breaks; tables printed
without ruling lines rebuilt from word positions.

A merged cell's text sits in its top-left position and the rest come back as
None: read as empty cells, as the tab layout shows them. A table at the top of a
page with no text above it (page headers and footers aside) continues the
previous page's table, as does a table after a ``续表`` caption: repeated header
rows are dropped and a label cut by the page break is joined (pdf_grid). Pages on
which pdfplumber finds no table but which print numbers are read by pdf_borderless.
Running headers and footers (page numbers, a browser's date, title, URL and
``1/5`` counter) are recognised by position and shape and dropped (pdf_margins).
"""

from __future__ import annotations

import io
import os

from ..model import Document, ReportError, Table
from ..template import section_of
from .pdf_borderless import Line, lines_of, looks_tabular, rebuild_grid, words_of
from .pdf_cells import table_cells
from .pdf_grid import CONTINUED, continue_table
from .pdf_margins import MarginFilter
from .sections import DocumentBuilder
from .text import build_table, document_from_text

TABLE_SECTIONS = ("t1", "t2", "t3")

# An annual report runs to a few dozen pages; a PDF far longer is a compilation with the
# report at its start (a 1,863-page one was lost to the time limit): read this many pages.
MAX_PAGES = 80


def _open(data: bytes):
    import logging

    import pdfplumber

    # pdfminer logs a warning per glyph of some fonts (Chromium's: "Could not get
    # FontBBox"); they say nothing about the report.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        name = type(exc).__name__
        # pdfplumber wraps pdfminer's PDFPasswordIncorrect in a message-less PdfminerException.
        causes = [exc, *exc.args, exc.__cause__, exc.__context__]
        if any("password" in type(c).__name__.lower() or "encrypt" in str(c).lower() for c in causes if c is not None):
            raise ReportError("password-protected PDF: remove the password and save again") from None
        raise ReportError(f"damaged or truncated PDF ({name}: {str(exc)[:80]})") from None


def _object_source(data: bytes, doc: Document):
    """pdfium's objects for pdfplumber (readers/pdfium_objects.py), about 10× faster to
    build than pdfminer's and the same tables on every fixture; ``OGI_PDF_OBJECTS=pdfminer``
    keeps pdfplumber's own for every page (the escape hatch). A page pdfium cannot give
    as pdfminer would keeps pdfminer's objects, with a warning (``_fill_objects``)."""
    if os.environ.get("OGI_PDF_OBJECTS", "pdfium") == "pdfminer":
        return None
    from .pdfium_objects import PdfiumObjects

    try:
        return PdfiumObjects(data)
    except Exception as exc:  # pdfium refuses a file pdfminer may still read: every page falls back
        doc.warnings.append(f"all pages: objects read by pdfminer, not pdfium (pdfium cannot open the file: "
                            f"{type(exc).__name__})")
        doc.layout += ",pdfminer-pages"
        return None


def _fill_objects(objects, pages, doc: Document) -> set[int]:
    """Give each page pdfium's objects; a page pdfium cannot map keeps pdfminer's, said in a
    warning. Returns the numbers of the pages given pdfium's."""
    if objects is None:
        return set()
    filled = set()
    for page in pages:
        reason = objects.fill(page)
        if reason:
            _record_pdfminer_page(doc, page.page_number, reason)
        else:
            filled.add(page.page_number)
    return filled


def _record_pdfminer_page(doc: Document, pno: int, reason: str) -> None:
    """Never a silent difference: a page read with pdfminer's objects says so and why."""
    doc.warnings.append(f"page {pno}: objects read by pdfminer, not pdfium ({reason})")
    if "pdfminer-pages" not in doc.layout:
        doc.layout += ",pdfminer-pages"


Item = tuple[float, str, object]  # (top, 'text' | 'table' | 'grid' | 'texttable', content)


def _ruled_items(page, pno: int, tables, keep) -> list[Item]:
    boxes = [t.bbox for t in tables]

    def outside(obj, boxes=boxes) -> bool:
        # By the object's centre: a heading touching a table's ruling stays text.
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return keep(obj) and not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    view = page.filter(outside) if boxes or keep is not _everything else page
    items: list[Item] = [(line["top"], "text", line["text"]) for line in view.extract_text_lines()]
    for t_index, t in enumerate(tables, start=1):
        grid = [
            [("" if c is None else c, f"page {pno} table {t_index} r{r + 1}c{c_i + 1}") for c_i, c in enumerate(row)]
            for r, row in enumerate(table_cells(t))
        ]
        items.append((t.bbox[1], "table", grid))
    items.sort(key=lambda it: it[0])
    return items


def _everything(obj) -> bool:
    return True


def _may_hold_borderless(items: list[Item], section: str | None) -> bool:
    """A page with no ruled table may hold a borderless one when it prints digits and is
    inside a table section (二、三、四) or opens one: only then is it rebuilt."""
    texts = [content for _top, _kind, content in items]
    if not any(ch.isdigit() for t in texts for ch in t):
        return False
    return section in TABLE_SECTIONS or any(section_of(t) in TABLE_SECTIONS for t in texts)


def _is_prose(line: Line) -> bool:
    """Running text inside a table section (a note), as the text reader decides it."""
    text = line.text
    return not line.has_gap and len(text) > 15 and ("。" in text or "；" in text)


def _borderless_items(page, pno: int, words, section: str | None, warnings: list[str]) -> list[Item]:
    """Text lines and tables of a page with no ruling lines. Table regions are the runs
    of lines in a table section (二、三、四) between headings and running text."""
    items: list[Item] = []
    region: list[Line] = []

    def flush() -> None:
        if not region:
            return
        where = f"page {pno} table {sum(1 for it in items if it[1] != 'text') + 1}"
        grid = rebuild_grid([w for ln in region for w in ln.words], where, warnings)
        top = region[0].top
        numbered = [ln for ln in region if any(w.numeric for w in ln.words)]
        if grid:
            items.append((top, "grid", grid))
        elif len(numbered) == 1 or numbered and all(not ln.words[0].numeric for ln in numbered):
            # Numbers not in columns but each row on one line, label first (or a single
            # line of numbers): read the lines like a .txt.
            items.append((top, "texttable", [ln.text for ln in region]))
        else:
            if numbered:
                warnings.append(f"{where}: numbers neither in columns nor on their labels' lines; table not read")
            items.extend((ln.top, "text", ln.text) for ln in region)
        region.clear()

    for line in lines_of(words):
        text = line.text
        name = section_of(text)
        if name:
            flush()
            section = name
            items.append((line.top, "text", text))
        elif section in TABLE_SECTIONS and not _is_prose(line):
            region.append(line)
        else:
            flush()
            items.append((line.top, "text", text))
    flush()
    return items


def _section_after(items: list[Item], section: str | None) -> str | None:
    for _top, kind, content in items:
        if kind == "text":
            section = section_of(content) or section
    return section


def _page_items(page, pno: int, keep, section: str | None, doc: Document, layouts: list[str]) -> list[Item]:
    """One page's text lines and tables, ruled or rebuilt from word positions."""
    tables = page.find_tables()
    items = _ruled_items(page, pno, tables, keep or _everything)
    if tables:
        layouts.append("pdf-tables")
    elif _may_hold_borderless(items, section):
        # The grid is rebuilt from the words of the page's own objects (pdfium's where the
        # page has them): on all 138 PDF hazard fixtures this gave the same facts, warnings
        # and layout as re-reading such pages with pdfminer, at a third of the cost.
        view = page.filter(keep) if keep else page
        words = words_of(view.extract_words(extra_attrs=["size"]))
        if looks_tabular(words, section):
            items = _borderless_items(page, pno, words, section, doc.warnings)
    return items


def _again_with_pdfminer(page, pno: int, keep, section: str | None, doc: Document, layouts: list[str],
                         exc: Exception) -> list[Item]:
    """A page pdfplumber failed on with pdfium's objects: read it once more with pdfminer's
    (said in a warning) before calling the page damaged."""
    failure = ReportError(f"damaged PDF: page {pno} cannot be read ({type(exc).__name__})")
    page.flush_cache()
    try:
        items = _page_items(page, pno, keep, section, doc, layouts)
    except ReportError:
        raise
    except Exception:
        raise failure from None
    _record_pdfminer_page(doc, pno, f"pdfplumber failed on pdfium's objects: {type(exc).__name__}")
    return items


def read_pdf(data: bytes, source_path: str) -> Document:
    if not data.lstrip().startswith(b"%PDF"):
        raise ReportError("not a PDF: the file does not start with %PDF")
    pdf = _open(data)
    b = DocumentBuilder(source_path, "pdf", "pdf-tables")
    has_text = False
    found_table = False
    layouts: list[str] = []  # how the tables were read, in order of first use
    section: str | None = None
    pages = pdf.pages[:MAX_PAGES]
    if len(pdf.pages) > MAX_PAGES:
        b.doc.warnings.append(f"PDF of {len(pdf.pages)} pages: only the first {MAX_PAGES} were read")
    objects = _object_source(data, b.doc)
    try:
        pdfium_pages = _fill_objects(objects, pages, b.doc)
        margins = MarginFilter(pages)
        for pno, page in enumerate(pages, start=1):
            keep = margins.keep_for(pno - 1)
            try:
                has_text = has_text or bool(page.chars)
                items = _page_items(page, pno, keep, section, b.doc, layouts)
            except ReportError:
                raise
            except Exception as exc:
                if page.page_number not in pdfium_pages:
                    raise ReportError(f"damaged PDF: page {pno} cannot be read ({type(exc).__name__})") from None
                items = _again_with_pdfminer(page, pno, keep, section, b.doc, layouts, exc)
            section = _section_after(items, section)
            found_table = _emit(b, items, pno, layouts) or found_table
        if has_text and not found_table:
            # No ruling lines and no columns: read the text layer like a .txt (space-separated numbers).
            text = "\n".join(page.extract_text() or "" for page in pages)
            doc = document_from_text(text, source_path, "pdf")
            doc.layout = "pdf-text," + doc.layout
            doc.warnings[:0] = b.doc.warnings
            if "pdfminer-pages" in b.doc.layout:
                doc.layout += ",pdfminer-pages"
            return doc
    finally:
        pdf.close()
        if objects is not None:
            objects.close()
    if not has_text:
        from .ocr import read_scanned_pdf

        return read_scanned_pdf(data, source_path)  # quarantined with advice when OCR is not installed
    b.doc.layout = (",".join(dict.fromkeys(layouts)) or "pdf-tables") + (
        ",pdfminer-pages" if "pdfminer-pages" in b.doc.layout else "")
    return b.doc


def _emit(b: DocumentBuilder, items: list[Item], pno: int, layouts: list[str]) -> bool:
    """Add one page's items to the document; True if it held a table."""
    found = False
    continues = pno > 1  # until text comes first: a table opening the page continues
    for _top, kind, content in items:
        if kind == "text":
            if CONTINUED.match(content.strip()):
                continues = True  # 续表: the next table continues the previous one
                continue
            b.text(content, f"page {pno}")
            continues = False
            continue
        found = True
        if kind == "texttable":
            table, layout = build_table(list(enumerate(content, start=1)), b.section if b.section in TABLE_SECTIONS else None)
            layouts += ["pdf-text", layout]
            grid = [[(c.text, f"page {pno} {c.locator}") for c in row] for row in table.rows]
        else:
            grid = content
            if kind == "grid":
                layouts.append("pdf-borderless")
        last = b.doc.items[-1] if b.doc.items else None
        if continues and isinstance(last, Table):
            grid = continue_table(last, grid)
        b.table(grid, f"page {pno}", continues=continues)
        continues = False
    return found
