"""DOCX reports (python-docx): paragraphs and tables in document order.

python-docx returns a merged cell once per grid position it covers, so the grid
is read from the row XML instead: a horizontally spanned cell (w:gridSpan) gives
its text once and empty fillers, a vertical-merge continuation (w:vMerge without
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


_SPAN = W + "tcPr/" + W + "gridSpan"
_VMERGE = W + "tcPr/" + W + "vMerge"
_VAL = W + "val"


def _grid(tbl, t_index: int) -> list[list[tuple[str, str]]]:
    grid = []
    for r, tr in enumerate(tbl.iterchildren(W + "tr"), start=1):
        row: list[tuple[str, str]] = []
        for tc in tr.iterchildren(W + "tc"):
            loc = f"table {t_index} r{r}c{len(row) + 1}"
            vm = tc.find(_VMERGE)
            continued = vm is not None and vm.get(_VAL, "continue") != "restart"
            row.append(("" if continued else _text(tc), loc))
            gs = tc.find(_SPAN)
            if gs is not None:
                row.extend([("", loc)] * (int(gs.get(_VAL, "1")) - 1))
        grid.append(row)
    return grid


def read_docx(data: bytes, source_path: str) -> Document:
    _inspect_package(data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise ReportError(f"not a valid .docx: {type(exc).__name__}: {exc}") from None
    b = DocumentBuilder(source_path, "docx", "docx-tables")
    t_index = 0
    for p_index, el in enumerate(document.element.body.iterchildren()):
        if el.tag == W + "p":
            b.text(_text(el), f"paragraph {p_index + 1}")
        elif el.tag == W + "tbl":
            t_index += 1
            b.table(_grid(el, t_index), f"table {t_index}")
    return b.doc
