"""Tables printed without ruling lines: the grid rebuilt from word positions.

pdfplumber finds no table when the borders are off, and reading such a page as
text lines loses every row whose label wraps. Here:

- the value columns are the clusters of the x-centres of the numbers, taken from
  the rows that print the most numbers (a full row); a number that does not fall
  clearly inside one column band is never guessed: its row is left out, with a
  warning;
- a row is a line of numbers; the label column is everything left of the first
  value column. Label text is grouped into cell blocks (lines that overlap in x and
  follow each other at the line pitch); a block holding one row's numbers is that
  row's label; a block holding several rows' numbers (no visible gap between the
  cells) is divided among them only when the numbers sit at the centre (or top,
  or bottom) of consecutive line groups, consistently — else those rows are left
  out with a warning;
- label blocks with no numbers (headers, group labels centred across their rows,
  a label's tail cut off by a page break) become rows of text only: the mapper
  reads headers and group labels as such, and the PDF reader joins a tail at the
  top of a page to the row it belongs to.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..template import section_of
from ..values import is_value

Grid = list[list[tuple[str, str]]]


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    numeric: bool

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


_DIGIT = re.compile(r"\d")


def words_of(raw: list[dict]) -> list[Word]:
    """pdfplumber's words; numeric = a number ('—', '无', '、' count only where they
    stand in a value column: see _marks_in_bands)."""
    out = []
    for w in raw:
        text = w["text"].strip()
        if text:
            size = float(w.get("size") or (w["bottom"] - w["top"]) or 10)
            out.append(Word(text, w["x0"], w["x1"], w["top"], w["bottom"], size,
                            bool(_DIGIT.search(text)) and is_value(text)))
    return out


def _marks_in_bands(words: list[Word], bands: list[tuple[float, float]], rows: list[list[Word]]) -> None:
    """A missing-value mark ('—', '/', '无') standing in a value column on a row of
    numbers is a value (blank)."""
    tol = 0.6 * max(w.size for w in words)
    for w in words:
        if not w.numeric and is_value(w.text) and _band_of(w.xc, bands, tol) is not None \
                and any(abs(w.yc - r[0].yc) < 0.4 * w.size for r in rows):
            w.numeric = True


@dataclass(slots=True)
class Line:
    words: list[Word]
    top: float
    bottom: float

    @property
    def text(self) -> str:
        parts: list[str] = []
        prev = None
        for w in self.words:
            if prev is not None:
                parts.append(" ")
            parts.append(w.text)
            prev = w
        return "".join(parts)

    @property
    def has_gap(self) -> bool:
        """Words far apart on the line: cells of a table, not running text."""
        ws = self.words
        return any(b.x0 - a.x1 > 1.5 * max(a.size, b.size) for a, b in zip(ws, ws[1:], strict=False))


def lines_of(words: list[Word]) -> list[Line]:
    """Words into text lines by vertical overlap (reading order)."""
    lines: list[Line] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines:
            ln = lines[-1]
            overlap = min(ln.bottom, w.bottom) - max(ln.top, w.top)
            if overlap > 0.5 * min(ln.bottom - ln.top, w.bottom - w.top):
                ln.words.append(w)
                ln.bottom = max(ln.bottom, w.bottom)
                continue
        lines.append(Line([w], w.top, w.bottom))
    for ln in lines:
        ln.words.sort(key=lambda w: w.x0)
    return lines


def looks_tabular(words: list[Word], section: str | None) -> bool:
    """Whether a page with no ruled table may hold a borderless one: it prints numbers,
    and it is inside a table section (二、三、四) or opens one."""
    if not any(w.numeric for w in words):
        return False
    if section in ("t1", "t2", "t3"):
        return True
    return any(section_of(ln.text) in ("t1", "t2", "t3") for ln in lines_of(words))


# -- the grid ------------------------------------------------------------------------


@dataclass
class Block:
    """Label or header text of one cell (or of several cells with no gap between)."""

    words: list[Word]
    lines: list[tuple[float, float, str]] = field(default_factory=list)  # (top, bottom, text) per line

    @property
    def top(self) -> float:
        return self.lines[0][0]

    @property
    def bottom(self) -> float:
        return self.lines[-1][1]

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    def text(self, lines: list[tuple[float, float, str]] | None = None) -> str:
        return "".join(t for _, _, t in (self.lines if lines is None else lines))


def _blocks(words: list[Word], pitch: float) -> list[Block]:
    """Group words into cell blocks: x-overlapping lines that follow at the line pitch."""
    blocks: list[Block] = []
    open_: list[Block] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        home = None
        for b in open_:
            last = b.words[-1]
            same_line = abs(w.top - last.top) < 0.3 * w.size and 0 <= w.x0 - last.x1 < 0.6 * w.size
            below = 0 < w.top - last.top <= pitch * 1.15 and min(w.x1, _bx1(b)) - max(w.x0, b.x0) > 0
            if same_line or below:
                home = b
                break
        if home is None:
            home = Block([])
            blocks.append(home)
            open_.append(home)
        home.words.append(w)
        open_ = [b for b in open_ if w.top - b.words[-1].top <= pitch * 1.5]
    for b in blocks:
        b.lines = []
        for ln in lines_of(b.words):
            b.lines.append((ln.top, ln.bottom, "".join(x.text for x in ln.words)))
    return blocks


def _bx1(b: Block) -> float:
    return max(w.x1 for w in b.words)


def _pitch(words: list[Word]) -> float:
    """Line pitch inside a cell: the usual distance from a text line to the next one
    below it that overlaps it in x (the lines of one wrapped label)."""
    texts = sorted((w for w in words if not w.numeric), key=lambda w: w.top)
    size = sorted(w.size for w in words)[len(words) // 2]
    diffs: Counter[float] = Counter()
    for i, w in enumerate(texts):
        for v in texts[i + 1:]:
            d = v.top - w.top
            if d > 3 * size:
                break
            if d > 0.9 * size and min(w.x1, v.x1) - max(w.x0, v.x0) > 0:
                diffs[round(d * 2) / 2] += 1
                break
    if not diffs:
        return 1.3 * size
    common = max(diffs.values())
    # Every label on one line: the distance found is the row pitch; wrapped lines are
    # set closer than 1.6 em (single line spacing is about 1.3 em).
    return min(min(d for d, n in diffs.items() if n >= min(common, max(2, 0.2 * common))), 1.6 * size)


def _bands(rows: list[list[Word]]) -> list[tuple[float, float]] | None:
    """Value columns from the full rows: [(lo, hi)] x-centre bands, or None when they do
    not line up (then the numbers' columns are not certain anywhere)."""
    width = max(len(r) for r in rows)
    full = [r for r in rows if len(r) == width]
    size = max(w.size for r in full for w in r)
    xs = sorted(w.xc for r in full for w in r)
    clusters: list[list[float]] = [[xs[0]]]
    for x in xs[1:]:
        if x - clusters[-1][-1] > 1.2 * size:
            clusters.append([x])
        else:
            clusters[-1].append(x)
    if len(clusters) != width or any(len(c) != len(full) for c in clusters):
        return None
    bands = [(c[0], c[-1]) for c in clusters]
    if any(hi - lo > 2.5 * size for lo, hi in bands):
        return None
    return bands


def _band_of(x: float, bands: list[tuple[float, float]], tol: float) -> int | None:
    hits = [i for i, (lo, hi) in enumerate(bands) if lo - tol <= x <= hi + tol]
    return hits[0] if len(hits) == 1 else None


def _number_rows(nums: list[Word]) -> list[list[Word]]:
    rows: list[list[Word]] = []
    for w in sorted(nums, key=lambda w: (w.yc, w.x0)):
        if rows and abs(w.yc - rows[-1][0].yc) < 0.4 * w.size:
            rows[-1].append(w)
        else:
            rows.append([w])
    for r in rows:
        r.sort(key=lambda w: w.x0)
    return rows


def _partition(lines: list[tuple[float, float, str]], ys: list[float], tol: float,
               align: str) -> list[list[tuple[float, float, str]]] | None:
    """Divide a block's lines among rows whose numbers are at ys: consecutive groups of
    lines, each with its row's number at its centre / first line / last line."""
    groups: list[list[tuple[float, float, str]]] = []
    start = 0
    for i, y in enumerate(ys):
        found = None
        last = i == len(ys) - 1
        for end in range(start + 1, len(lines) + 1):
            if last and end != len(lines):
                continue
            g = lines[start:end]
            at = {"middle": (g[0][0] + g[-1][1]) / 2, "top": (g[0][0] + g[0][1]) / 2,
                  "bottom": (g[-1][0] + g[-1][1]) / 2}[align]
            if abs(at - y) <= tol:
                found = end
                break
        if found is None:
            return None
        groups.append(lines[start:found])
        start = found
    return groups


def _divide(block: Block, ys: list[float], tol: float) -> list[list[tuple[float, float, str]]] | None:
    results = [p for p in (_partition(block.lines, ys, tol, a) for a in ("middle", "top", "bottom")) if p]
    if not results:
        return None
    first = [len(g) for g in results[0]]
    return results[0] if all([len(g) for g in p] == first for p in results) else None


_ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.、．])")


def starts_new_row(text: str) -> bool:
    """A label that opens a row of its own ('四、…', '（六）…', '3.…'), not a wrapped tail."""
    return bool(_ORDINAL.match(text))


Piece = tuple[float, float, float, str]  # (top, bottom, x0, text) of text with no numbers beside it


def rebuild_grid(words: list[Word], where: str, warnings: list[str]) -> Grid | None:
    """The grid of one table region (its words), or None when its numbers do not stand
    in columns. Rows the numbers' columns or labels are uncertain for are left out
    (with a warning)."""
    nums = [w for w in words if w.numeric]
    if not nums:
        return None
    bands = _bands(_number_rows(nums))
    if bands is None:
        return None
    _marks_in_bands(words, bands, _number_rows(nums))
    rows = _number_rows([w for w in words if w.numeric])
    size = max(w.size for r in rows for w in r)
    first_col = bands[0][0] - 1.0 * size  # left of the first value column: labels
    pitch = _pitch(words)
    labels, doubtful, loose = _assign_text(words, rows, first_col, pitch, where, warnings)

    grid_rows: list[tuple[float, list[tuple[str, str]]]] = []
    unlabelled: list[float] = []
    for i, row in enumerate(rows):
        if i in doubtful:
            continue
        cells = _value_cells(row, bands, size)
        if cells is None:
            shown = " ".join(w.text for w in row)
            warnings.append(f"{where}: numbers '{shown[:40]}' not clearly in one column each; row left out")
            continue
        label_cells = [t for _, t in sorted(labels[i])] or [""]
        if not labels[i]:
            unlabelled.append(row[0].yc)
        loc = f"{where} r{i + 1}"
        out = [(t, f"{loc}c{j + 1}") for j, t in enumerate(label_cells)]
        out += [(t, f"{loc}c{len(label_cells) + j + 1}") for j, t in enumerate(cells)]
        grid_rows.append((row[0].top, out))
    # A label beside no numbers next to numbers with no label: they may be one row the
    # layout pulled apart; a label alone would read as a row of blanks. Neither is kept.
    # (A table with no label column at all, t3, has only unlabelled rows.)
    labelled = len(grid_rows) > len(unlabelled)
    near = [p for p in loose if labelled and p[2] < first_col
            and any(p[0] - 2 * pitch <= y <= p[1] + 2 * pitch for y in unlabelled)]
    for p in near:
        warnings.append(f"{where}: label '{p[3][:20]}' stands apart from its numbers; not placed")
    grid_rows += _text_rows([p for p in loose if p not in near], pitch, where)
    grid_rows.sort(key=lambda r: r[0])
    return [cells for _, cells in grid_rows]


def _assign_text(words: list[Word], rows: list[list[Word]], first_col: float, pitch: float,
                 where: str, warnings: list[str]) -> tuple[dict[int, list[tuple[float, str]]], set[int], list[Piece]]:
    """Each text block to the row whose numbers it holds: (labels per row, rows left out,
    text beside no numbers)."""
    texts = [w for w in words if not w.numeric]
    tol = 0.35 * pitch
    row_y = [r[0].yc for r in rows]
    labels: dict[int, list[tuple[float, str]]] = {i: [] for i in range(len(rows))}
    doubtful: set[int] = set()
    loose: list[Piece] = []
    spanning: list[tuple[Block, list[int]]] = []
    for block in _blocks(texts, pitch):
        inside = [i for i, y in enumerate(row_y) if block.top - tol <= y <= block.bottom + tol]
        if block.x0 > first_col and inside:
            doubtful.update(inside)  # text among the numbers: the row is not plain
            warnings.append(f"{where}: text '{block.text()[:20]}' among the numbers; row left out")
        elif not inside:
            loose.append((block.top, block.bottom, block.x0, block.text()))
        elif len(inside) == 1:
            labels[inside[0]].append((block.x0, block.text()))
        else:
            spanning.append((block, inside))
    for block, inside in spanning:
        if all(any(x > block.x0 for x, _ in labels[i]) for i in inside):
            # Every row has its own label to the right: a group label centred across them.
            labels[inside[len(inside) // 2]].append((block.x0, block.text()))
            continue
        parts = _divide(block, [row_y[i] for i in inside], tol)
        if parts is None:
            doubtful.update(inside)
            warnings.append(f"{where}: label '{block.text()[:20]}' spans {len(inside)} rows of numbers "
                            "with no gap between them; those rows left out")
            continue
        for i, g in zip(inside, parts, strict=True):
            labels[i].append((block.x0, block.text(g)))
    return labels, doubtful, loose


def _value_cells(row: list[Word], bands: list[tuple[float, float]], size: float) -> list[str] | None:
    """A row's numbers by column band; None when one is not clearly in one band."""
    cells = [""] * len(bands)
    for w in row:
        b = _band_of(w.xc, bands, 0.6 * size)
        if b is None or cells[b]:
            return None
        cells[b] = w.text
    return cells


def _text_rows(loose: list[Piece], pitch: float, where: str) -> list[tuple[float, list[tuple[str, str]]]]:
    """Text with no numbers beside it (headers, group labels, a cut label's tail): one
    row per run of vertically overlapping pieces, at its position."""
    runs: list[list[Piece]] = []
    for piece in sorted(loose):
        if runs and piece[0] < max(p[1] for p in runs[-1]) - 0.3 * pitch:
            runs[-1].append(piece)
        else:
            runs.append([piece])
    out = []
    for n, run in enumerate(runs, start=1):
        run.sort(key=lambda p: (p[2], p[0]))
        out.append((run[0][0], [(p[3], f"{where} text {n}.{j + 1}") for j, p in enumerate(run)]))
    return out
