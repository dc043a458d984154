"""Shared by the DOCX, HTML and PDF readers: build a Document from ordered items.

Every paragraph and cell goes through encoding.normalise_text (radicals, full-width
digits), as the text reader's whole text does. Paragraph text becomes text blocks; a paragraph that is a section heading sets
the hint ('t1', 't2', 't3') of the tables that follow it.
"""

from __future__ import annotations

from ..encoding import normalise_text
from ..model import Cell, Document, Table, TextBlock
from ..template import section_of


class DocumentBuilder:
    def __init__(self, source_path: str, file_format: str, layout: str) -> None:
        self.doc = Document(source_path, file_format, layout)
        self.section: str | None = None

    def text(self, text: str, locator: str) -> None:
        for line in normalise_text(text).splitlines():
            line = line.strip()
            if not line:
                continue
            name = section_of(line)
            if name:
                self.section = name
            self.doc.items.append(TextBlock(line, locator))

    def table(self, grid: list[list[tuple[str, str]]], locator: str, continues: bool = False) -> None:
        """Add a grid of (text, locator) cells; ``continues`` joins it to the previous table."""
        rows = [[Cell(normalise_text(t.strip()), loc) for t, loc in row] for row in grid if any(t.strip() for t, _ in row)]
        if not rows:
            return
        last = self.doc.items[-1] if self.doc.items else None
        if continues and isinstance(last, Table):
            last.rows.extend(rows)
            return
        hint = self.section if self.section in ("t1", "t2", "t3") else None
        self.doc.items.append(Table(rows, locator, hint, positional=True))
