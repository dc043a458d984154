"""PDF reports (pdfplumber): ruled tables, joined across page breaks, with the
text layer as the fallback where a PDF has no ruling lines.

A merged cell's text sits in its top-left position and the rest come back as
None: read as empty cells, as the tab layout shows them. A table at the top of a
page with no heading above it continues the previous page's table.
"""

from __future__ import annotations

import io

from ..model import Document, ReportError
from .sections import DocumentBuilder
from .text import document_from_text

# An annual report runs to a few dozen pages; a PDF far longer is a compilation with the
# report at its start (a 1,863-page one was lost to the time limit): read this many pages.
MAX_PAGES = 80


def _open(data: bytes):
    import pdfplumber

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        name = type(exc).__name__
        # pdfplumber wraps pdfminer's PDFPasswordIncorrect in a message-less PdfminerException.
        causes = [exc, *exc.args, exc.__cause__, exc.__context__]
        if any("password" in type(c).__name__.lower() or "encrypt" in str(c).lower() for c in causes if c is not None):
            raise ReportError("password-protected PDF: remove the password and save again") from None
        raise ReportError(f"damaged or truncated PDF ({name}: {str(exc)[:80]})") from None


def read_pdf(data: bytes, source_path: str) -> Document:
    if not data.lstrip().startswith(b"%PDF"):
        raise ReportError("not a PDF: the file does not start with %PDF")
    pdf = _open(data)
    b = DocumentBuilder(source_path, "pdf", "pdf-tables")
    has_text = False
    found_table = False
    pages = pdf.pages[:MAX_PAGES]
    if len(pdf.pages) > MAX_PAGES:
        b.doc.warnings.append(f"PDF of {len(pdf.pages)} pages: only the first {MAX_PAGES} were read")
    try:
        for pno, page in enumerate(pages, start=1):
            try:
                has_text = has_text or bool(page.chars)
                tables = page.find_tables()
                boxes = [t.bbox for t in tables]

                def outside(obj, boxes=boxes) -> bool:
                    # By the object's centre: a heading touching a table's ruling stays text.
                    x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
                    return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

                lines = (page.filter(outside) if boxes else page).extract_text_lines()
                grids = [t.extract() for t in tables]
            except ReportError:
                raise
            except Exception as exc:
                raise ReportError(f"damaged PDF: page {pno} cannot be read ({type(exc).__name__})") from None
            items: list[tuple[float, str, object]] = [(line["top"], "text", line["text"]) for line in lines]
            for t_index, (t, rows) in enumerate(zip(tables, grids, strict=True), start=1):
                grid = [
                    [("" if c is None else c, f"page {pno} table {t_index} r{r + 1}c{c_i + 1}") for c_i, c in enumerate(row)]
                    for r, row in enumerate(rows)
                ]
                items.append((t.bbox[1], "table", grid))
            items.sort(key=lambda it: it[0])
            for i, (_top, kind, content) in enumerate(items):
                if kind == "text":
                    b.text(content, f"page {pno}")
                else:
                    found_table = True
                    # First thing on a later page, no heading in between: a continuation.
                    b.table(content, f"page {pno}", continues=(i == 0 and pno > 1))
        if has_text and not found_table:
            # No ruling lines: read the text layer like a .txt (space-separated numbers).
            text = "\n".join(page.extract_text() or "" for page in pages)
            doc = document_from_text(text, source_path, "pdf")
            doc.layout = "pdf-text," + doc.layout
            doc.warnings[:0] = b.doc.warnings
            return doc
    finally:
        pdf.close()
    if not has_text:
        raise ReportError("no text layer (scanned image); OCR not supported")
    return b.doc
