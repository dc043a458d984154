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


def cells_of(report) -> dict[tuple[str, str, str], float | None]:
    return {(f.table_code, f.row_code, f.col_code): f.value for f in report.facts or []}


def check_never_wrong(seed: Path, report) -> list[tuple[str, str, str]]:
    """Every loaded cell equals the seed's own value (its TXT parse); every cell not
    loaded has a warning naming its row. Returns the cells not loaded."""
    from pipeline.parse import parse_bytes

    assert report.ok, report.error
    want = cells_of(parse_bytes(seed.read_bytes(), str(seed)))
    got = cells_of(report)
    wrong = {k: (v, want.get(k, "absent")) for k, v in got.items() if want.get(k, "absent") != v}
    assert not wrong, f"cells loaded with a wrong value (loaded, seed): {wrong}"
    missing = sorted(want.keys() - got.keys())
    text = " ".join(w for _stage, w in report.warnings)
    unwarned = [k for k in missing if k[1] not in text and not (k[0] == "t3" and "t3:" in text)]
    assert not unwarned, f"cells missing without a warning naming their row: {unwarned}"
    return missing


def needs(binary: str) -> None:
    """Skip when a system program is missing, except in CI (env CI set): there it fails."""
    import os
    import shutil

    import pytest

    if shutil.which(binary) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{binary} is required in CI but not installed")
        pytest.skip(f"{binary} not installed")
