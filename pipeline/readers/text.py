"""Read .txt reports: tab-separated, pipe-separated, one cell per line, PDF text.

The text between the section headings 二、三、四 is a table; everything else is
text blocks. How a table's lines become rows is decided per table from what its
lines look like, so a file mixing layouts still reads.
"""

from __future__ import annotations

from ..encoding import decode_bytes
from ..model import Cell, Document, Table, TextBlock
from ..template import section_of
from ..values import is_value, split_spaced_numbers

TABLE_SECTIONS = ("t1", "t2", "t3")


def _separator(lines: list[str]) -> str:
    # A table's lines share one layout: a sample decides it.
    lines = lines if len(lines) <= 60 else lines[:30] + lines[-30:]
    tabbed = piped = 0
    for ln in lines:
        if "\t" in ln.strip():  # a tab between two non-blank cells, not just indentation
            tabbed += 1
        if "|" in ln:
            piped += 1
    if tabbed >= 0.3 * len(lines):
        return "tab"
    if piped >= 0.3 * len(lines):
        return "pipe"
    return "newline"


def _split(line: str, sep: str) -> list[str]:
    if sep == "tab":
        return [c.strip() for c in line.split("\t")]
    if sep == "pipe":
        cells = [c.strip() for c in line.split("|")]
        # '| a | b |' markdown rows: the first '|' opens, it is not an empty cell.
        return cells[1:] if line.lstrip().startswith("|") and len(cells) > 1 else cells
    return split_spaced_numbers(line)


def _group_cells(cells: list[Cell]) -> list[list[Cell]]:
    """One cell per line: a text cell after a number cell starts a new row."""
    rows: list[list[Cell]] = []
    current: list[Cell] = []
    prev_value = False
    for cell in cells:
        value = is_value(cell.text)
        if current and prev_value and not value:
            rows.append(current)
            current = []
        current.append(cell)
        prev_value = value
    if current:
        rows.append(current)
    return rows


def build_table(numbered_lines: list[tuple[int, str]], hint: str | None) -> tuple[Table, str]:
    """Turn a table section's lines into a grid; returns (table, layout name)."""
    lines = [ln for _, ln in numbered_lines]
    sep = _separator(lines)
    split = [(n, _split(ln, sep)) for n, ln in numbered_lines]
    filled = [len(cells) - cells.count("") for _, cells in split]
    row_per_line = sum(1 for k in filled if k >= 2) >= 0.3 * max(1, sum(1 for k in filled if k))
    first = numbered_lines[0][0] if numbered_lines else 0
    if row_per_line:
        rows = [
            [Cell(c, f"line {n} col {i + 1}") for i, c in enumerate(cells)]
            for n, cells in split
            if any(cells)
        ]
        table = Table(rows, f"line {first}", hint, positional=True)
        return table, f"{sep}-rows"
    flat = [Cell(c, f"line {n}") for n, cells in split for c in cells if c]
    table = Table(_group_cells(flat), f"line {first}", hint, positional=False)
    return table, f"{sep}-cell-per-line"


def document_from_text(text: str, source_path: str, file_format: str = "txt") -> Document:
    """Split decoded text into text blocks and the three tables."""
    doc = Document(source_path, file_format, layout="")
    layouts: list[str] = []
    section: str | None = None
    buffer: list[tuple[int, str]] = []

    def flush() -> None:
        if section in TABLE_SECTIONS and buffer:
            table, layout = build_table(buffer, section)
            doc.items.append(table)
            layouts.append(layout)
        buffer.clear()

    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        name = section_of(stripped) if stripped else None
        if name:
            flush()
            section = name
            doc.items.append(TextBlock(stripped, f"line {n}"))
        elif not stripped:
            continue
        elif section in TABLE_SECTIONS and not (len(stripped) > 15 and ("。" in stripped or "；" in stripped)):
            buffer.append((n, line))
        else:
            doc.items.append(TextBlock(stripped, f"line {n}"))
    flush()
    doc.layout = ",".join(dict.fromkeys(layouts)) or "text"
    return doc


def read_text(data: bytes, source_path: str) -> Document:
    text, _encoding = decode_bytes(data)
    return document_from_text(text, source_path)
