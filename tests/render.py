"""The seeds as render items: their own text blocks, their values in the official tables."""

from __future__ import annotations

from pathlib import Path

from benchmarks import render
from pipeline.model import Table, TextBlock
from pipeline.parse import parse_bytes
from pipeline.readers.text import read_text

BUILDERS = {"t1": render.t1_spans, "t2": render.t2_spans, "t3": render.t3_spans}


def layout(seed: Path) -> list[render.Item]:
    report = parse_bytes(seed.read_bytes(), str(seed))
    raw = {f"{f.table_code}.{f.row_code}.{f.col_code}": f.raw_text for f in report.facts}
    out: list[render.Item] = []
    for item in read_text(seed.read_bytes(), str(seed)).items:
        if isinstance(item, TextBlock):
            out.append(("p", item.text))
        elif isinstance(item, Table):
            out.append(("table", BUILDERS[item.hint](raw.__getitem__)))
    return out


def to_html(seed: Path, charset: str = "utf-8") -> bytes:
    return render.to_html(layout(seed), charset)


def to_docx(seed: Path, path: Path) -> Path:
    return render.to_docx(layout(seed), path)


def to_pdf(seed: Path, path: Path, break_t2: bool = False) -> Path:
    return render.to_pdf(layout(seed), path, break_t2)
