"""Tables in text copied out of a PDF viewer with its layout kept (``pdftotext -layout``).

Columns are runs of spaces, so a number's column is its character position in the
line, the way a borderless PDF's column is a number's x-position: a row that prints
fewer numbers than the table has columns is placed by matching those positions
against the full rows of the same page (the viewer lays out each page on its own
grid). Every other row is left *loose* (Table.loose_rows): the mapper then places it
only if its count of numbers is its row's count of columns, else it reports it
unplaced. Labels wrapped over several lines are joined per label column,
a fragment continuing the label above it while the two together still begin a label
the template knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Cell, Table
from ..template import TABLES, label_index, normalize, strip_numbering
from ..values import is_value

_MARKER = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十]+[)）]|\d+[.、．]|[①-⑩])")
# Columns of a full row, where the template fixes them: t1's widest rows (规章, 规范性文件) have
# three, t2's rows seven, t3's one printed row fifteen.
_WIDTH = {"t1": 3, "t2": 7, "t3": 15}
TOLERANCE = 1  # characters a number may sit off its column (centred numbers of other widths)


def looks_like_layout(lines: list[str]) -> bool:
    """Most lines hold runs of three or more spaces between their words."""
    sample = [ln.strip() for ln in lines if ln.strip()][:60]
    return bool(sample) and sum(1 for ln in sample if "   " in ln) >= 0.3 * len(sample)


@dataclass
class _Line:
    n: int  # line number in the file
    page: int
    labels: list[tuple[int, str]]  # (start column, text)
    numbers: list[tuple[int, int, str]]  # (start, end, text)


@dataclass
class _Label:
    start: int
    first: int  # index of the first and last line it covers
    last: int
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _parse(n: int, page: int, line: str) -> _Line:
    # Numbers are the trailing words that read as values (a label too long for its cell
    # runs up to its first number with one space between); the words before them are
    # label cells, a run of two spaces or more between cells.
    words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", line)]
    k = len(words)
    while k and is_value(words[k - 1][2]):
        k -= 1
    labels: list[tuple[int, str]] = []
    for start, end, text in words[:k]:
        if labels and start - labels[-1][2] < 2:
            labels[-1] = (labels[-1][0], labels[-1][1] + " " + text, end)
        else:
            labels.append((start, text, end))
    return _Line(n, page, [(s, t) for s, t, _e in labels], words[k:])


@lru_cache(maxsize=8)
def _prefixes(table: str | None) -> frozenset[str]:
    """Every beginning of a label the template knows, folded as the mapper folds them."""
    tables = [table] if table in TABLES else list(TABLES)
    out = set()
    for t in tables:
        for key in label_index()[t]:
            out.update(key[:i] for i in range(1, len(key) + 1))
    return frozenset(out)


def _continues(label: _Label, text: str, prefixes: frozenset[str]) -> bool:
    if _MARKER.match(text):
        return False  # an outline number starts a label
    return strip_numbering(normalize(label.text + text)) in prefixes


def _join_labels(lines: list[_Line], hint: str | None) -> list[_Label]:
    """Label fragments joined per label column. A label stays open over lines with
    nothing in its column (the numbers' line of a label centred beside them) and closes
    at a fragment in its column that does not continue it."""
    prefixes = _prefixes(hint)
    done: list[_Label] = []
    open_: list[_Label] = []
    for i, line in enumerate(lines):
        for start, text in line.labels:
            here = [lab for lab in open_ if abs(lab.start - start) <= 2]
            lab = here[0] if here else None
            if lab is not None and _continues(lab, text, prefixes):
                lab.parts.append(text)
                lab.last = i
                continue
            if lab is not None:
                open_.remove(lab)
                done.append(lab)
            open_.append(_Label(start, i, i, [text]))
    return sorted(done + open_, key=lambda lab: (lab.first, lab.start))


def _grid_of(lines: list[_Line], width: int) -> dict[int, list[tuple[tuple[int, int], ...]]]:
    """page -> the column positions of each of its rows that prints every column."""
    grids: dict[int, list[tuple[tuple[int, int], ...]]] = {}
    for line in lines:
        if len(line.numbers) == width:
            grids.setdefault(line.page, []).append(tuple((s, e) for s, e, _t in line.numbers))
    return grids


def _column(number: tuple[int, int, str], grid: tuple[tuple[int, int], ...]) -> int | None:
    s, e, _t = number
    hits = [j for j, (qs, qe) in enumerate(grid)
            if abs(s - qs) <= TOLERANCE or abs(e - qe) <= TOLERANCE or abs((s + e) - (qs + qe)) <= 2 * TOLERANCE]
    return hits[0] if len(hits) == 1 else None


def _place(numbers: list[tuple[int, int, str]], grids: list[tuple[tuple[int, int], ...]]) -> list[int] | None:
    """The columns of a short row's numbers, when every full row of its page agrees."""
    found = None
    for grid in grids:
        cols = [_column(num, grid) for num in numbers]
        if None in cols or len(set(cols)) != len(cols) or cols != sorted(cols):
            continue
        if found is not None and cols != found:
            return None  # two full rows disagree: not certain
        found = cols
    return found


def build_layout_table(numbered_lines: list[tuple[int, int, str]], hint: str | None) -> Table:
    """numbered_lines: (line number, page, text) of one table section."""
    lines = [_parse(n, page, text) for n, page, text in numbered_lines if text.strip()]
    # A row is full when it prints every column of its table (t3: one printed row; with a
    # blank cell it has no full row to be placed against). The widest row printed is no
    # measure: with a blank in every row, two numbers of three would pass for the grid and
    # a lone number be put in the first of them. A table not named has no grid.
    width = _WIDTH.get(hint or "", 0)
    grids = _grid_of(lines, width) if width else {}
    labels = _join_labels(lines, hint)
    # A label goes with the row whose numbers sit on one of its lines; one on no number line stays a row of its own.
    owner: dict[int, list[_Label]] = {}
    alone: list[tuple[int, _Label]] = []
    for lab in labels:
        rows_in = [i for i in range(lab.first, lab.last + 1) if lines[i].numbers]
        if rows_in:
            owner.setdefault(rows_in[0], []).append(lab)
        else:
            alone.append((lab.first, lab))
    rows: list[tuple[int, list[Cell]]] = []
    loose: list[int] = []
    for i, lab in alone:
        rows.append((i, [Cell(lab.text, f"line {lines[lab.first].n}")]))
    for i, line in enumerate(lines):
        if not line.numbers:
            continue
        locator = f"line {line.n}"
        cells = [Cell(lab.text, f"line {lines[lab.first].n}") for lab in sorted(owner.get(i, []), key=lambda x: x.start)]
        values = [Cell(t, f"{locator} col {s + 1}") for s, _e, t in line.numbers]
        # Only a row placed against its page's full rows has its numbers in known columns;
        # any other row is loose: the mapper places it when its count is its row's width.
        cols = _place(line.numbers, grids.get(line.page, [])) if len(values) < width else None
        if cols is not None:
            slots = [Cell("", locator) for _ in range(width)]
            for col, cell in zip(cols, values, strict=True):
                slots[col] = cell
            values = slots
        else:
            loose.append(i)
        rows.append((i, cells + values))
    rows.sort(key=lambda r: r[0])
    order = [i for i, _ in rows]
    first = numbered_lines[0][0] if numbered_lines else 0
    return Table([cells for _, cells in rows], f"line {first}", hint, positional=True,
                 loose_rows=frozenset(order.index(i) for i in loose))
