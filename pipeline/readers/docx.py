"""DOCX reports: paragraphs and tables in document order.

The main document part is parsed with python-docx's own XML layer
(``docx.oxml.parse_xml``: its element classes, entities never resolved); the
package's other parts (styles, numbering, theme, settings), which python-docx's
``Document()`` parses too, carry nothing ogi reads, so they are left alone.

python-docx returns a merged cell once per grid position it covers, so the grid
is read from the row XML: a horizontally spanned cell (w:gridSpan) gives its
text once and empty fillers, a vertical-merge continuation (w:vMerge without
"restart") gives an empty cell, exactly as a tab-separated export would. Spans
are checked against :mod:`.limits` before they are expanded.

What Word writes that is not plain body content:

- text boxes: Word writes each twice, ``mc:AlternateContent`` with an
  ``mc:Choice`` (DrawingML ``wps:txbx``) and an ``mc:Fallback`` (VML
  ``v:textbox``) holding a copy of the same ``w:txbxContent``. Exactly one is
  read: the Choice, or the Fallback only when the Choice has no text box. The
  box's paragraphs and tables follow the paragraph it is anchored in.
- tracked changes: deleted text (``w:del``, ``w:delText``) and text moved away
  (``w:moveFrom``) never count, nor rows marked deleted; inserted (``w:ins``)
  and moved-here (``w:moveTo``) text counts: the document as it reads now.
- layout tables: a table of one cell, or of a few cells holding tables, is a
  frame around the content, not a report table: its cells are read as body.
- content controls (``w:sdt``) and custom XML wrappers are read through.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from ..model import Document, ReportError
from .limits import CellBudget, check_span, check_width, drop_spanned_columns, too_many_rows
from .sections import DocumentBuilder

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # a report's parts are a few MB at most


def inspect_package(data: bytes, kind: str = ".docx") -> None:
    """Refuse zip bombs and XML entity declarations before python-docx parses anything.

    zipfile never inflates a member past the size its directory declares (it stops,
    or fails the CRC), so the declared sizes bound what python-docx will expand.
    """
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ReportError(f"not a valid {kind}: the file is not a zip package "
                          f"(a renamed {'.xls' if kind == '.xlsx' else '.doc'}? save it as {kind})") from None
    with z:
        infos = z.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise ReportError(f"{kind} expands to {total} bytes (limit {MAX_UNCOMPRESSED}): refused as a zip bomb")
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                with z.open(info) as part:
                    head = part.read(2048)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
                raise ReportError(f"damaged {kind}: part {info.filename} cannot be read ({type(exc).__name__})") from None
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise ReportError(f"{kind} part {info.filename} declares a DTD / XML entities: refused "
                                  "(entity expansion attack or not an Office file)")


# --- paragraphs ----------------------------------------------------------------

_T, _TXBX, _ALT, _CHOICE, _FALLBACK = W + "t", W + "txbxContent", MC + "AlternateContent", MC + "Choice", MC + "Fallback"
_NEVER = frozenset({W + "del", W + "moveFrom", W + "delText", W + "instrText", W + "delInstrText"})
# A paragraph holding none of these reads as the plain concatenation of its w:t.
_SPECIAL = (W + "del", W + "moveFrom", _ALT, _TXBX)


def _paragraph(p) -> tuple[str, list]:
    """A paragraph's text as it reads now, and the text boxes anchored in it (w:txbxContent)."""
    if next(p.iter(*_SPECIAL), None) is None:
        return "".join(p.itertext(_T, with_tail=False)), []
    text: list[str] = []
    boxes: list = []
    _walk_runs(p, text, boxes)
    return "".join(text), boxes


def _walk_runs(el, text: list[str], boxes: list) -> None:
    for child in el:
        tag = child.tag
        if tag == _T:
            text.append(child.text or "")
        elif tag in _NEVER or not isinstance(tag, str):
            continue
        elif tag == _TXBX:
            boxes.append(child)  # read as body content, after the paragraph
        elif tag == _ALT:
            _walk_runs(_chosen(child), text, boxes)
        else:
            _walk_runs(child, text, boxes)


def _chosen(alt):
    """The one branch of an mc:AlternateContent to read: the first Choice, or the
    Fallback when no Choice holds a text box and the Fallback does."""
    choice = alt.find(_CHOICE)
    fallback = alt.find(_FALLBACK)
    if choice is not None and (fallback is None or next(choice.iter(_TXBX), None) is not None
                               or next(fallback.iter(_TXBX), None) is None):
        return choice
    return fallback if fallback is not None else alt.makeelement(_CHOICE, {})


def _cell_text(tc) -> str:
    """A cell's own paragraphs (not those of tables nested in it), one per line."""
    paras = tc.findall(W + "p")
    if len(paras) == 1:
        return _paragraph(paras[0])[0].strip()
    return "\n".join(_paragraph(p)[0] for p in paras).strip()


# --- tables --------------------------------------------------------------------

_TRPR, _TCPR, _SPAN, _VMERGE, _VAL = W + "trPr", W + "tcPr", W + "gridSpan", W + "vMerge", W + "val"
_BEFORE, _DEL, _CELLDEL, _TC = W + "gridBefore", W + "del", W + "cellDel", W + "tc"


def _int(el, default: int = 1) -> int:
    if el is None:
        return default
    v = el.get(_VAL, "")
    return int(v) if v.isdigit() else default


def _cell_props(tc) -> tuple[bool, int, bool] | None:
    """(a vertical-merge continuation, grid span, deleted) of a cell, from one pass over w:tcPr."""
    pr = tc.find(_TCPR)
    if pr is None:
        return None
    continued, span, deleted = False, 1, False
    for child in pr:
        tag = child.tag
        if tag == _SPAN:
            span = _int(child)
        elif tag == _VMERGE:
            continued = child.get(_VAL, "continue") != "restart"
        elif tag == _CELLDEL:
            deleted = True
    return continued, span, deleted


def _grid(rows: list, t_index: int, budget: CellBudget) -> list[list[tuple[str, str]]]:
    grid, starts = [], []
    spanned = False
    for r, tr in enumerate(rows, start=1):
        trpr = tr.find(_TRPR)
        row: list[tuple[str, str]] = []
        start: list[int] = []
        if trpr is not None:
            if trpr.find(_DEL) is not None:
                continue  # a row deleted with tracked changes on
            before = _int(trpr.find(_BEFORE), 0)
            if before:
                check_span(before, "w:gridBefore", f"table {t_index} r{r}")
                row.extend([("", f"table {t_index} r{r}c1")] * before)
                start.extend([0] * before)
                spanned = True
        for tc in tr.iterchildren(_TC):
            loc = f"table {t_index} r{r}c{len(row) + 1}"
            props = _cell_props(tc)
            if props is None:
                row.append((_cell_text(tc), loc))
                start.append(1)
                continue
            continued, span, deleted = props
            if deleted:
                continue
            row.append(("" if continued else _cell_text(tc), loc))
            start.append(span)
            if span > 1:
                check_span(span, "w:gridSpan", loc)
                check_width(len(row) + span - 1, f"table {t_index} r{r}")
                row.extend([("", loc)] * (span - 1))
                start.extend([0] * (span - 1))
                spanned = True
        check_width(len(row), f"table {t_index} r{r}")
        budget.spend(len(row), f"table {t_index} r{r}")
        grid.append(row)
        starts.append(start)
    return drop_spanned_columns(grid, starts) if spanned else grid


def _is_layout(tbl, rows: list) -> bool:
    """A frame around content: one cell, or at most four cells one of which holds a table."""
    cells = [tc for tr in rows for tc in tr.iterchildren(W + "tc")]
    if len(cells) == 1:
        return True
    return len(cells) <= 4 and any(tc.find(W + "tbl") is not None for tc in cells)


class _Reader:
    def __init__(self, source_path: str) -> None:
        self.b = DocumentBuilder(source_path, "docx", "docx-tables")
        self.paragraphs = 0
        self.tables = 0
        self.budget = CellBudget()

    def blocks(self, container, depth: int = 0) -> None:
        if depth > 20:
            raise ReportError("DOCX content nested more than 20 levels deep (tables in tables / text boxes): refused")
        for el in container.iterchildren():
            tag = el.tag
            if tag == W + "p":
                self.paragraphs += 1
                text, boxes = _paragraph(el)
                self.b.text(text, f"paragraph {self.paragraphs}")
                for box in boxes:
                    self.blocks(box, depth + 1)
            elif tag == W + "tbl":
                self.table(el, depth)
            elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"):
                self.blocks(el, depth + 1)

    def table(self, tbl, depth: int) -> None:
        rows = list(tbl.iterchildren(W + "tr"))
        for span in tbl.iter(_SPAN):  # every table's, frames' too: one number says it is a bomb
            check_span(_int(span), "w:gridSpan", f"table {self.tables + 1}")
        if _is_layout(tbl, rows):
            for tr in rows:
                for tc in tr.iterchildren(W + "tc"):
                    self.blocks(tc, depth + 1)
            return
        self.tables += 1
        locator = f"table {self.tables}"
        warning = too_many_rows(len(rows), locator)
        if warning:
            self.b.doc.warnings.append(warning)
            return
        self.b.table(_grid(rows, self.tables, self.budget), locator)


_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _main_part(z: zipfile.ZipFile) -> str:
    """The package's main document part, from _rels/.rels (word/document.xml by default)."""
    from docx.oxml.parser import parse_xml

    try:
        rels = parse_xml(z.read("_rels/.rels"))
        for rel in rels.iter(_REL):
            if rel.get("Type") == _OFFICE_DOCUMENT:
                return rel.get("Target").lstrip("/")
    except (KeyError, ValueError, SyntaxError):
        pass
    return "word/document.xml"


def read_docx(data: bytes, source_path: str) -> Document:
    inspect_package(data)
    from docx.oxml.parser import parse_xml

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            root = parse_xml(z.read(_main_part(z)))
    except KeyError:
        raise ReportError("not a Word document: the package has no main document part") from None
    except Exception as exc:
        raise ReportError(f"not a valid .docx: {type(exc).__name__}: {exc}") from None
    body = root.find(W + "body")
    if body is None:
        raise ReportError("not a Word document: no w:body in the main document part")
    reader = _Reader(source_path)
    reader.blocks(body)
    return reader.b.doc
