"""The seeds as render items: their own text blocks, their values in the official tables."""

from __future__ import annotations

from pathlib import Path

from benchmarks import render, render_pdf


def layout(seed: Path) -> list[render.Item]:
    return render_pdf.seed_items(seed)


def to_html(seed: Path, charset: str = "utf-8") -> bytes:
    return render.to_html(layout(seed), charset)


def to_docx(seed: Path, path: Path) -> Path:
    return render.to_docx(layout(seed), path)


def to_pdf(seed: Path, path: Path, break_t2: bool = False) -> Path:
    return render.to_pdf(layout(seed), path, break_t2)


def to_pdf_layout(seed: Path, path: Path, pdf_layout: render_pdf.PdfLayout) -> Path:
    """A seed printed as a real-looking PDF with the hazards `pdf_layout` asks for."""
    return render_pdf.to_pdf(layout(seed), path, pdf_layout)
