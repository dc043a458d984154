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

    Sizes are counted while streaming each part (a header's declared size can lie),
    stopping at the limit, so a bomb is never expanded past it.
    """
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ReportError("not a valid .docx: the file is not a zip package (a renamed .doc? save it as .docx)") from None
    total = 0
    with z:
        for info in z.infolist():
            try:
                with z.open(info) as part:
                    head = part.read(4096)
                    if info.filename.endswith((".xml", ".rels")) and (b"<!DOCTYPE" in head or b"<!ENTITY" in head):
                        raise ReportError(f"DOCX part {info.filename} declares a DTD / XML entities: refused "
                                          "(entity expansion attack or not a Word file)")
                    total += len(head)
                    while chunk := part.read(1 << 20):
                        total += len(chunk)
                        if total > MAX_UNCOMPRESSED:
                            raise ReportError(f"DOCX expands to more than {MAX_UNCOMPRESSED} bytes: refused as a zip bomb")
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
                raise ReportError(f"damaged .docx: part {info.filename} cannot be read ({type(exc).__name__})") from None


def _text(el) -> str:
    parts = []
    for node in el.iter(W + "t", W + "tab", W + "br", W + "p"):
        if node.tag == W + "t":
            parts.append(node.text or "")
        elif node.tag == W + "p" and parts:
            parts.append("\n")
        else:
            parts.append(" ")
    return "".join(parts).strip()


def _grid(tbl, t_index: int) -> list[list[tuple[str, str]]]:
    grid = []
    for r, tr in enumerate(tbl.findall(W + "tr")):
        row: list[tuple[str, str]] = []
        for tc in tr.findall(W + "tc"):
            pr = tc.find(W + "tcPr")
            span, continued = 1, False
            if pr is not None:
                gs = pr.find(W + "gridSpan")
                if gs is not None:
                    span = int(gs.get(W + "val", "1"))
                vm = pr.find(W + "vMerge")
                continued = vm is not None and vm.get(W + "val", "continue") != "restart"
            loc = f"table {t_index} r{r + 1}c{len(row) + 1}"
            row.append(("" if continued else _text(tc), loc))
            row.extend(("", loc) for _ in range(span - 1))
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
