"""The small intermediate every reader produces and the mapper consumes.

A reader turns a file into a :class:`Document`: text blocks and tables (grids
of cell strings) in document order, each piece carrying a locator that says
where it came from (``line 12``, ``page 3 table 1 r4c2``, ``table 2 r7c3``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import NamedTuple


def is_ocr_locator(locator: str) -> bool:
    """Where OCR read it: the OCR reader's locators carry the word ``ocr`` (``page 2 ocr
    table 1 r4c2``, ``img 1 ocr table 1 r3c5``), so a page mixing a text layer and an
    OCR'd image keeps the provenance of each cell."""
    return "ocr" in locator.split()


class Cell(NamedTuple):
    # A NamedTuple, not a frozen dataclass: a report has thousands of cells and
    # building them is on the hot path.
    text: str
    locator: str


@dataclass(slots=True)
class Table:
    rows: list[list[Cell]]
    locator: str
    # What the reader saw around the table: 't1' / 't2' / 't3' when a section
    # heading named it, else None (the mapper then decides from the labels).
    hint: str | None = None
    # True when empty cells were dropped by the source (one-cell-per-line
    # text): a short row then cannot say which columns its numbers belong to.
    positional: bool = True
    # Rows (indices into rows) whose numbers the reader could not put in columns (text
    # copied from a PDF viewer, a short row not matching its page's grid): read as if
    # blank cells were dropped, so placed only when their count of numbers is certain.
    loose_rows: frozenset[int] = frozenset()
    # One-cell-per-line text in a PDF viewer's reading order (plain pdftotext: each cell its
    # own block), where a label and the numbers beside it can trade places.
    reordered: bool = False
    # Rows of such text whose numbers may be of two rows: printed one under another as one
    # block (cells of one column), or on both sides of a page break.
    mixed_rows: frozenset[int] = frozenset()


class TextBlock(NamedTuple):
    text: str
    locator: str


@dataclass(slots=True)
class Document:
    source_path: str
    file_format: str
    layout: str
    items: list[TextBlock | Table] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Recognition score of each cell read by OCR, by the cell's locator; empty for text layers.
    cell_confidence: dict[str, float] = field(default_factory=dict)

    @property
    def tables(self) -> list[Table]:
        return [i for i in self.items if isinstance(i, Table)]

    @property
    def blocks(self) -> list[TextBlock]:
        return [i for i in self.items if isinstance(i, TextBlock)]

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


class Fact(NamedTuple):
    table_code: str
    row_code: str
    col_code: str
    value: int | Decimal | None  # exact: never a float
    raw_text: str
    locator: str


# Cell((text, locator)) and Fact((...)) built without the NamedTuple's Python-level
# __new__ (a quarter of the cost of building one): for the readers' and the mapper's
# inner loops, which make a few hundred of each per report.
new_cell = partial(tuple.__new__, Cell)
new_fact = partial(tuple.__new__, Fact)


class ReportError(Exception):
    """A file that cannot become a report; the message is the quarantine reason."""


class TimeLimit(BaseException):
    """Raised by a time limit's alarm (a file's --timeout, an OCR'd page's own limit); a
    BaseException so parse_bytes' safety net does not catch it."""
