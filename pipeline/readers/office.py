"""Legacy and office formats converted with LibreOffice, then read by an existing reader.

``.doc``, ``.wps``, ``.rtf`` and ``.odt`` become ``.docx`` (read by the DOCX
reader); ``.xls`` and ``.et`` become ``.xlsx`` (read by the XLSX reader).
LibreOffice is an optional system dependency: without ``soffice`` such a file is
quarantined with a reason that says how to install it.

Each conversion runs ``soffice --headless`` in its own temporary profile (so
parallel workers never share one), in its own process group, with a time
limit. Whatever ends it — success, failure, its own timeout, or the per-file
``--timeout`` alarm of the parsing process (an exception raised inside the
wait) — the whole process group (soffice and its soffice.bin child) is killed
and the temporary folder removed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from ..model import Document, ReportError

INSTALL_HINT = "install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)"
CONVERT_TIMEOUT = 120.0  # seconds; the per-file --timeout usually ends it sooner
_KIND = {".doc": "Word 97-2003 .doc", ".wps": "WPS Writer .wps", ".rtf": "RTF", ".odt": "OpenDocument .odt",
         ".xls": "Excel 97-2003 .xls", ".et": "WPS spreadsheet .et"}


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # soffice and the soffice.bin it starts
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # until the last member (soffice.bin) is gone
        try:
            os.killpg(proc.pid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.02)


def convert(data: bytes, suffix: str, target: str, timeout: float = CONVERT_TIMEOUT) -> bytes:
    """The bytes of ``data`` (a ``suffix`` file) converted by LibreOffice to ``target`` (docx, xlsx)."""
    exe = soffice()
    kind = _KIND.get(suffix, suffix)
    if exe is None:
        raise ReportError(f"{kind} needs LibreOffice to be read, and soffice was not found: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="ogi-soffice-") as tmp:
        src, out, profile = Path(tmp) / f"report{suffix}", Path(tmp) / "out", Path(tmp) / "profile"
        src.write_bytes(data)
        cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--nologo",
               "--norestore", "--nodefault", "--nolockcheck", "--convert-to", target, "--outdir", str(out), str(src)]
        env = {**os.environ, "HOME": tmp}
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env, start_new_session=True)
        try:
            _stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ReportError(f"LibreOffice took longer than {timeout:g} s to convert the {kind} file: killed") from None
        finally:
            _kill_group(proc)
        result = out / f"report.{target}"
        if not result.is_file() or result.stat().st_size == 0:
            why = (stderr or b"").decode("utf-8", "replace").strip().splitlines()
            detail = f" ({why[-1][:120]})" if why else ""
            raise ReportError(f"LibreOffice could not convert the {kind} file to .{target}: damaged, "
                              f"password-protected or not a {kind}{detail}")
        return result.read_bytes()


def _converted(doc: Document, suffix: str) -> Document:
    doc.file_format = suffix.lstrip(".")
    doc.layout = f"{doc.layout} (via LibreOffice)"
    return doc


def _is_package(data: bytes, part: str) -> bool:
    """A zip package holding ``part`` (a .docx / .xlsx saved under an old extension)."""
    import io
    import zipfile

    if data[:2] != b"PK":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return part in z.namelist()
    except zipfile.BadZipFile:
        return False


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<html", b"<!doctype html", b"<meta", b"<head")) or b"<html" in head[:300]


def _sniff(data: bytes, suffix: str) -> None:
    """Refuse, before starting LibreOffice, a file that is none of what it could convert."""
    kind = _KIND[suffix]
    if suffix == ".rtf":
        ok = data.lstrip()[:5] == b"{\\rtf"
    elif suffix == ".odt":
        ok = _is_package(data, "content.xml")
    else:
        ok = data[:8] == _OLE2 or data.lstrip()[:5] == b"{\\rtf" or data.lstrip()[:5] == b"<?xml"
    if not ok:
        raise ReportError(f"not a valid {kind} file: no {kind} header (damaged, or another format "
                          f"renamed to {suffix})")


def _read_as_docx(data: bytes, source_path: str, suffix: str) -> Document:
    from .docx import read_docx

    if _is_package(data, "word/document.xml"):  # a .docx under an old extension: no conversion needed
        return _converted(read_docx(data, source_path), suffix)
    if suffix != ".rtf" and _looks_like_html(data):  # Word's "save as web page" named .doc
        from .html import read_html

        return _converted(read_html(data, source_path), suffix)
    _sniff(data, suffix)
    return _converted(read_docx(convert(data, suffix, "docx"), source_path), suffix)


def _read_as_xlsx(data: bytes, source_path: str, suffix: str) -> Document:
    from .xlsx import read_xlsx

    if _is_package(data, "xl/workbook.xml"):
        return _converted(read_xlsx(data, source_path), suffix)
    if _looks_like_html(data):  # a web page table saved as .xls
        from .html import read_html

        return _converted(read_html(data, source_path), suffix)
    _sniff(data, suffix)
    return _converted(read_xlsx(convert(data, suffix, "xlsx"), source_path), suffix)


def read_doc(data: bytes, source_path: str) -> Document:
    return _read_as_docx(data, source_path, ".doc")


def read_wps(data: bytes, source_path: str) -> Document:
    return _read_as_docx(data, source_path, ".wps")


def read_rtf(data: bytes, source_path: str) -> Document:
    return _read_as_docx(data, source_path, ".rtf")


def read_odt(data: bytes, source_path: str) -> Document:
    return _read_as_docx(data, source_path, ".odt")


def read_xls(data: bytes, source_path: str) -> Document:
    return _read_as_xlsx(data, source_path, ".xls")


def read_et(data: bytes, source_path: str) -> Document:
    return _read_as_xlsx(data, source_path, ".et")
