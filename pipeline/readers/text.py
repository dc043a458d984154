"""Read .txt reports: tab-separated, pipe-separated, one cell per line, PDF text.

The text between the section headings 二、三、四 is a table; everything else is
text blocks. How a table's lines become rows is decided per table from what its
lines look like, so a file mixing layouts still reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from ..encoding import decode_bytes, normalise_text
from ..model import Cell, Document, Table, TextBlock, new_cell
from ..template import section_of
from ..values import is_value, split_spaced_numbers
from .layout_text import build_layout_table, looks_like_layout

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


def _cells_tab(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def _cells_pipe(line: str) -> list[str]:
    cells = [c.strip() for c in line.split("|")]
    # '| a | b |' markdown rows: the first '|' opens, it is not an empty cell.
    return cells[1:] if line.lstrip().startswith("|") and len(cells) > 1 else cells


def _splitter(cut: Callable[[str], list[str]]) -> Callable[[str], tuple[tuple[str, ...], tuple]]:
    """A line's cells, and its filled cells each with whether it is a number: once per
    distinct line per run (table lines recur across reports: labels, '0', '0 |')."""

    @lru_cache(maxsize=65536)
    def split(line: str) -> tuple[tuple[str, ...], tuple[tuple[str, bool], ...]]:
        cells = tuple(cut(line))
        return cells, tuple((c, is_value(c)) for c in cells if c)

    return split


_SPLIT = {"tab": _splitter(_cells_tab), "pipe": _splitter(_cells_pipe), "newline": _splitter(split_spaced_numbers)}


@lru_cache(maxsize=65536)
def _line_locator(n: int) -> str:
    return f"line {n}"


@lru_cache(maxsize=65536)
def _row_locators(n: int, width: int) -> tuple[str, ...]:
    return tuple(f"line {n} col {i}" for i in range(1, width + 1))


def build_table(numbered_lines: list[tuple[int, str]], hint: str | None,
                pages: dict[int, int] | None = None) -> tuple[Table, str]:
    """Turn a table section's lines into a grid; returns (table, layout name).
    ``pages`` maps line numbers to pages when the text has form feeds (pdftotext)."""
    sep = _separator([ln for _, ln in numbered_lines])
    if sep == "newline" and looks_like_layout([ln for _, ln in numbered_lines]):
        paged = [(n, (pages or {}).get(n, 0), ln) for n, ln in numbered_lines]
        return build_layout_table(paged, hint), "pdftotext-layout"
    split = _SPLIT[sep]
    lines = [(n, split(ln)) for n, ln in numbered_lines]
    counts = [len(filled) for _, (_, filled) in lines]
    nonblank = len(counts) - counts.count(0)
    wide = nonblank - counts.count(1)
    first = numbered_lines[0][0] if numbered_lines else 0
    if wide >= 0.3 * max(1, nonblank):  # a row per line
        rows = [list(map(new_cell, zip(cells, _row_locators(n, len(cells)), strict=True)))
                for n, (cells, filled) in lines if filled]
        return Table(rows, f"line {first}", hint, positional=True), f"{sep}-rows"
    rows, mixed, reordered = _cell_per_line_rows(lines, pages or {})
    return (Table(rows, f"line {first}", hint, positional=False, mixed_rows=mixed, reordered=reordered),
            f"{sep}-cell-per-line")


def _cell_per_line_rows(lines: list[tuple[int, tuple]],
                        pages: dict[int, int]) -> tuple[list[list[Cell]], frozenset[int], bool]:
    """One cell per line, blank cells dropped: a text cell after a number cell starts a new row.

    Plain pdftotext prints each cell as its own block, a blank line after it, in its reading
    order (``reordered``). There, a row is not certain to hold one row's numbers (``mixed``)
    when two of its number lines have no blank line between (one block: cells one under the
    other in a column, so of two rows) or a page break between (a row is printed on one page)."""
    rows: list[list[Cell]] = []
    current: list[Cell] = []
    prev_value = False
    gaps = joined = 0  # filled lines after a blank line / right after a filled one
    mixed: list[int] = []
    prev_n = None
    for n, (_, filled) in lines:
        if not filled:
            continue
        if prev_n is not None:
            if prev_n == n - 1:
                joined += 1
            else:
                gaps += 1
        after_number = prev_value and (prev_n == n - 1 or pages.get(prev_n, 0) != pages.get(n, 0))
        locator = _line_locator(n)
        for i, (c, value) in enumerate(filled):
            if prev_value and not value:
                rows.append(current)
                current = []
            if i == 0 and value and after_number:
                mixed.append(len(rows))
            current.append(new_cell((c, locator)))
            prev_value = value
        prev_n = n
    if current:
        rows.append(current)
    reordered = gaps > 2 * joined  # most cells stand alone: pdftotext's block per cell
    return rows, frozenset(mixed) if reordered else frozenset(), reordered


def _line_kind(line: str) -> tuple[str, str | None, bool]:
    """(stripped line, the section it opens or None, whether it reads as a sentence)."""
    stripped = line.strip()
    prose = len(stripped) > 15 and ("。" in stripped or "；" in stripped)  # narrative inside a table section
    return stripped, section_of(stripped) if stripped else None, prose


# Short lines (table cells, headings) recur across reports: look at each once per run.
# Long ones are narrative, mostly unique: caching them would only hold memory.
_short_line_kind = lru_cache(maxsize=65536)(_line_kind)
_SHORT = 80


# Page furniture a PDF viewer copies along with the text: 第 2 页 共 5 页, - 3 -, 3/5, Page 3 of 5.
_PAGE_FOOTER = re.compile(
    r"^(?:第\s*\d+\s*页\s*[,，/]?\s*(?:共\s*\d+\s*页)?|共\s*\d+\s*页\s*[,，]?\s*第\s*\d+\s*页"
    r"|[-—–－]\s*\d+\s*[-—–－]|\d+\s*/\s*\d+|(?:page|页码)\s*\d+(?:\s*(?:of|/)\s*\d+)?)$", re.I)
_ANY_FOOTER = re.compile(r"^[ \t]*(?:第\s*\d+\s*页|共\s*\d+\s*页|[-—–－]\s*\d+\s*[-—–－][ \t]*$|\d+\s*/\s*\d+[ \t]*$|page\s*\d)",
                         re.M | re.I)


def _MAYBE_FOOTER(text: str) -> bool:  # noqa: N802 - a cheap gate before the regex
    # Substring tests run at memchr speed; a regex over the whole text costs a tenth of a
    # report's parse. Every footer form above has one of these.
    return "页" in text or "/" in text or "-" in text or "－" in text or "—" in text or "–" in text or "ag" in text


def _page_furniture(text: str) -> tuple[set[int], dict[int, int]]:
    """Line numbers of page footers, and each line's page when the text has form feeds
    (numbered as str.splitlines numbers them: a form feed ends a line). A bare number is
    a footer only as the last line of its page and equal to its number."""
    drop: set[int] = set()
    pages: dict[int, int] = {}
    page, last = 1, None
    for n, raw in enumerate(text.splitlines(keepends=True), start=1):
        pages[n] = page
        s = raw.strip()
        if s and len(s) <= 24:
            if _PAGE_FOOTER.match(s):
                drop.add(n)
            last = (n, s)
        elif s:
            last = None
        if raw.endswith("\f"):
            if last is not None and last[1] == str(page):
                drop.add(last[0])
            page, last = page + 1, None
    return drop, pages


def document_from_text(text: str, source_path: str, file_format: str = "txt") -> Document:
    """Split decoded text into text blocks and the three tables."""
    text = normalise_text(text)
    doc = Document(source_path, file_format, layout="")
    layouts: list[str] = []
    section: str | None = None
    buffer: list[tuple[int, str]] = []
    drop: set[int] = set()
    pages: dict[int, int] | None = None
    if "\f" in text or (_MAYBE_FOOTER(text) and _ANY_FOOTER.search(text)):
        drop, pages = _page_furniture(text)

    def flush() -> None:
        if section in TABLE_SECTIONS and buffer:
            table, layout = build_table(buffer, section, pages)
            doc.items.append(table)
            layouts.append(layout)
        buffer.clear()

    for n, line in enumerate(text.splitlines(), start=1):
        stripped, name, prose = _short_line_kind(line) if len(line) <= _SHORT else _line_kind(line)
        if name:
            flush()
            section = name
            doc.items.append(TextBlock(stripped, f"line {n}"))
        elif not stripped or n in drop:
            continue
        elif section in TABLE_SECTIONS and not prose:
            buffer.append((n, line))
        else:
            doc.items.append(TextBlock(stripped, f"line {n}"))
    flush()
    doc.layout = ",".join(dict.fromkeys(layouts)) or "text"
    return doc


def read_text(data: bytes, source_path: str) -> Document:
    text, _encoding = decode_bytes(data)
    return document_from_text(text, source_path)
