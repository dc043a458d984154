"""Files that are not readable reports land in quarantine with a specific reason."""

from __future__ import annotations

import io

from pipeline.parse import parse_bytes

from . import render
from .conftest import SEED


def _blank_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(100, 100, 200, 200, fill=1)  # an image-only page: drawing, no text
    c.showPage()
    c.save()
    return buf.getvalue()


def _encrypted_pdf() -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    c.drawString(100, 100, "2024")
    c.save()
    return buf.getvalue()


def test_scanned_pdf():
    # With the OCR extra the blank page is OCR'd and found empty; without it, the install hint.
    assert parse_bytes(_blank_pdf(), "scan.pdf").error.startswith("no text layer")


def test_password_protected_pdf():
    assert "password-protected PDF" in parse_bytes(_encrypted_pdf(), "locked.pdf").error


def test_truncated_pdf(tmp_path):
    data = render.to_pdf(SEED["chuanhui"], tmp_path / "r.pdf").read_bytes()
    error = parse_bytes(data[: len(data) // 3], "cut.pdf").error
    assert error and ("truncated" in error or "damaged" in error or "no recognisable table" in error)


def test_docx_that_is_not_a_zip():
    assert "not a zip package" in parse_bytes(b"PK? this is not a zip", "fake.docx").error


def test_legacy_doc_and_images():
    assert parse_bytes(b"\xd0\xcf\x11\xe0", "old.doc").error.startswith("not a valid Word 97-2003 .doc file")
    error = parse_bytes(b"\x89PNG", "scan.png").error
    assert error.startswith("not a readable image") or "pip install 'ogi[ocr]'" in error
