"""DOCX reports: paragraphs and tables in document order.

The main document part is parsed with python-docx's own XML layer
(``docx.oxml.parse_xml``: its element classes, entities never resolved); the
package's other parts (styles, numbering, theme, settings), which python-docx's
``Document()`` parses too, carry nothing ogi reads, so they are left alone.

python-docx returns a merged cell once per grid position it covers, so the grid
is read from the row XML: a horizontally spanned cell (w:gridSpan) gives its
text once and empty fillers, a vertical-merge continuation (w:vMerge without
"restart") gives an empty cell, exactly as a tab-separated export would.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from ..model import Document, ReportError
from .sections import DocumentBuilder

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # a report's parts are a few MB at most


def _inspect_package(data: bytes) -> None:
    """Refuse zip bombs and XML entity declarations before python-docx parses anything.

    zipfile never inflates a member past the size its directory declares (it stops,
    or fails the CRC), so the declared sizes bound what python-docx will expand.
    """
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ReportError("not a valid .docx: the file is not a zip package (a renamed .doc? save it as .docx)") from None
    with z:
        infos = z.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise ReportError(f"DOCX expands to {total} bytes (limit {MAX_UNCOMPRESSED}): refused as a zip bomb")
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                with z.open(info) as part:
                    head = part.read(2048)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
                raise ReportError(f"damaged .docx: part {info.filename} cannot be read ({type(exc).__name__})") from None
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise ReportError(f"DOCX part {info.filename} declares a DTD / XML entities: refused "
                                  "(entity expansion attack or not a Word file)")


def _text(el) -> str:
    """A paragraph's or cell's text (lxml's C itertext); a cell's paragraphs on separate lines."""
    paras = el.findall(W + "p")
    if len(paras) <= 1:
        return "".join(el.itertext(W + "t", with_tail=False)).strip()
    return "\n".join("".join(p.itertext(W + "t", with_tail=False)) for p in paras).strip()


_TCPR, _SPAN, _VMERGE, _VAL = W + "tcPr", W + "gridSpan", W + "vMerge", W + "val"


def _grid(tbl, t_index: int) -> list[list[tuple[str, str]]]:
    grid = []
    for r, tr in enumerate(tbl.iterchildren(W + "tr"), start=1):
        row: list[tuple[str, str]] = []
        for tc in tr.iterchildren(W + "tc"):
            loc = f"table {t_index} r{r}c{len(row) + 1}"
            pr = tc.find(_TCPR)
            vm = gs = None
            if pr is not None:
                vm, gs = pr.find(_VMERGE), pr.find(_SPAN)
            continued = vm is not None and vm.get(_VAL, "continue") != "restart"
            row.append(("" if continued else _text(tc), loc))
            if gs is not None:
                row.extend([("", loc)] * (int(gs.get(_VAL, "1")) - 1))
        grid.append(row)
    return grid


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
    _inspect_package(data)
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
    b = DocumentBuilder(source_path, "docx", "docx-tables")
    t_index = 0
    for p_index, el in enumerate(body.iterchildren(), start=1):
        if el.tag == W + "p":
            b.text(_text(el), f"paragraph {p_index}")
        elif el.tag == W + "tbl":
            t_index += 1
            b.table(_grid(el, t_index), f"table {t_index}")
    return b.doc
