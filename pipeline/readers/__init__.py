"""One reader per file format, each returning the same :class:`~pipeline.model.Document`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from ..model import Document, ReportError
from .text import read_text

Reader = Callable[[bytes, str], Document]


def _lazy(module: str, func: str) -> Reader:
    def read(data: bytes, path: str) -> Document:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{module}"), func)(data, path)

    read.__name__ = func
    return read


READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".docx": _lazy("docx", "read_docx"),
    ".pdf": _lazy("pdf", "read_pdf"),
    ".html": _lazy("html", "read_html"),
    ".htm": _lazy("html", "read_html"),
    ".shtml": _lazy("html", "read_html"),
    ".xlsx": _lazy("xlsx", "read_xlsx"),
    # Converted by LibreOffice (optional: without soffice the file is quarantined, saying how to install it).
    ".doc": _lazy("office", "read_doc"),
    ".wps": _lazy("office", "read_wps"),
    ".rtf": _lazy("office", "read_rtf"),
    ".odt": _lazy("office", "read_odt"),
    ".xls": _lazy("office", "read_xls"),
    ".et": _lazy("office", "read_et"),
    # Scans and tables pasted as pictures: OCR (optional extra ogi[ocr]; quarantined with that advice without it).
    **{suffix: _lazy("ocr", "read_image") for suffix in (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")},
}

# What to tell a user about formats ogi does not read.
UNSUPPORTED = {
    ".docm": "macro-enabled Word file: save it as .docx",
    ".mht": "web archive .mht: save the page as .html",
    ".gif": "GIF image: convert it to PNG to have it OCR'd, or find the text, .docx or .pdf version",
    ".zip": "archive: unpack it into the raw folder first",
    ".rar": "archive: unpack it into the raw folder first",
    ".7z": "archive: unpack it into the raw folder first",
    ".gz": "archive: unpack it into the raw folder first",
}


def file_format(path: str) -> str:
    return PurePath(path).suffix.lower().lstrip(".") or "(none)"


def read_document(data: bytes, path: str) -> Document:
    """Read one file's bytes with the reader for its extension."""
    suffix = PurePath(path).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        advice = UNSUPPORTED.get(suffix, "unsupported file type; ogi reads .txt, .docx, .pdf, .html, .xlsx and "
                                 "(with LibreOffice) .doc, .wps, .rtf, .odt, .xls, .et")
        raise ReportError(f"unsupported format {suffix or '(no extension)'}: {advice}")
    return reader(data, path)
