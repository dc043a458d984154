"""From OCR boxes and the page image to text lines and table grids.

Ruled tables: horizontal and vertical ruling lines are found by morphological
opening with kernels longer than any glyph stroke (a multiple of the median text
height), their positions give the grid, and a border missing between two grid
cells merges them. Unruled tables: rows from the vertical centres of the boxes,
columns from the x-centres of the numbers (:func:`aligned_grid`).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from .ocr import Box

_NUMBER = re.compile(r"^[-+]?\d[\d,，.]*$")
# What OCR makes of a number it could not read: digits mixed with Latin letters (I1, 1O,
# L1, 5S) or a lone look-alike (O, l, |). Such a cell is left blank with a warning, never
# "corrected" to a guess (a second look at its ink may still read it as a plain number).
_MISREAD_NUMBER = re.compile(r"^(?=.*[A-Za-z|])(?:(?=.*\d)[\dA-Za-z|.,，]{1,12}|[OoIlL|])$")


def unreadable_number(text: str) -> bool:
    return bool(_MISREAD_NUMBER.match(text.replace(" ", "")))


# A short cell text made only of digits and what digits are misread as (一 for 1, I1,
# 1O, 。 for 0): worth reading again before it is left blank or stops a row loading.
_LOOKS_LIKE_A_MISREAD = re.compile(r"^(?=.*[\dOoIlL|一丨〇。])[\dA-Za-z|一丨〇口日\-—–－_.,，。、'`·]{1,6}$")
SECOND_LOOK_SCORE = 0.9


def worth_a_second_look(text: str) -> bool:
    return bool(_LOOKS_LIKE_A_MISREAD.match(text)) and not _NUMBER.match(text)


def second_look(gray, area: tuple[int, int, int, int], text_h: float, first: str = "") -> tuple[str, float] | None:
    """The number in ``area`` (x0, top, x1, bottom: inside the cell's rulings) read again
    by recognition alone on its ink, cut out tight and enlarged. The detector's crop of a
    lone digit in a wide cell is where misreads like 一 for 1 come from, and the detector
    sometimes finds no box at all around a small digit in a wide cell; read on its own the
    digit is usually clear. Kept only when the new reading is a plain number with a high
    score, the ink is digit-shaped (:func:`_glyph_box`), and, where the detector read
    something (``first``), it has as many characters: a look-alike stands for one digit,
    so '一' may become '1' and 'I1' '11', but 'L1' never '1' (a digit lost, not read)."""
    import numpy as np
    from PIL import Image

    from . import ocr

    if not ocr.available():
        return None
    x0, top, x1, bottom = (max(0, int(v)) for v in area)
    patch = gray[top:bottom, x0:x1]
    box = _glyph_box(patch, text_h)
    if box is None:
        return None
    y_lo, y_hi, x_lo, x_hi = box
    glyphs = np.pad(patch[y_lo:y_hi, x_lo:x_hi], 6, constant_values=255)
    scale = max(1.0, 48 / glyphs.shape[0])
    crop = Image.fromarray(glyphs).resize((round(glyphs.shape[1] * scale), round(glyphs.shape[0] * scale)),
                                          Image.BICUBIC)
    text, score = ocr.recognise_line(crop)
    text = text.replace(" ", "")
    if first and len(text) != len(first.replace(" ", "")):
        return None
    if _NUMBER.match(text) and score >= SECOND_LOOK_SCORE:
        return text, score
    return None


def _glyph_box(patch, text_h: float) -> tuple[int, int, int, int] | None:
    """(top, bottom, left, right) of the glyphs in a patch, or None when what is there is
    not digit-shaped. Ink is relative to the patch's paper (a scan's thin strokes can be
    lighter than any fixed threshold); specks of noise (under 4 px) do not count. Not
    digit-shaped: less than 0.3 of a text line tall (a digit is about half; a dash or an
    underline, also read as 一, is a stroke's width), a solid blot, or ink running to the
    patch's edge (a ruling's remnant or a neighbour's text, not this cell's glyphs)."""
    import cv2
    import numpy as np

    if patch.size == 0:
        return None
    paper, darkest = float(np.median(patch)), float(np.percentile(patch, 0.2))
    if paper - darkest < 40:
        return None  # nothing printed here
    # a third of the way from paper to the darkest ink: a lighter digit beside a dark one counts
    ink = (patch < paper - (paper - darkest) / 3).astype(np.uint8)
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    parts = [stats[i] for i in range(1, count) if stats[i][cv2.CC_STAT_AREA] >= 4]
    if not parts:
        return None
    x_lo = min(int(s[cv2.CC_STAT_LEFT]) for s in parts)
    y_lo = min(int(s[cv2.CC_STAT_TOP]) for s in parts)
    x_hi = max(int(s[cv2.CC_STAT_LEFT] + s[cv2.CC_STAT_WIDTH]) for s in parts)
    y_hi = max(int(s[cv2.CC_STAT_TOP] + s[cv2.CC_STAT_HEIGHT]) for s in parts)
    height, width = patch.shape
    if x_lo == 0 or y_lo == 0 or x_hi == width or y_hi == height:
        return None
    if y_hi - y_lo < max(4, 0.3 * text_h) or ink[y_lo:y_hi, x_lo:x_hi].mean() > 0.7:
        return None
    return y_lo, y_hi, x_lo, x_hi


@dataclass
class PageItems:
    """What one page image yields, in the order of the page."""

    items: list[tuple[float, str, object]] = field(default_factory=list)  # (top, 'text'|'table', content)
    confidence: dict[str, float] = field(default_factory=dict)  # cell locator -> recognition score
    warnings: list[str] = field(default_factory=list)


def page_items(image, boxes: list[Box], where: str) -> PageItems:
    import numpy as np

    gray = np.asarray(image.convert("L"))
    out = PageItems()
    if not boxes:
        return out
    text_h = statistics.median(b.height for b in boxes)
    tables = [t for t in _ruled_tables(gray, text_h) if t.rows >= 2 and t.cols >= 2]
    used: set[int] = set()
    for t_index, table in enumerate(tables, start=1):
        grid, taken = table.fill(boxes, gray, f"{where} table {t_index}", out)
        used |= taken
        out.items.append((table.ys[0], "table", grid))
    rest = [b for i, b in enumerate(boxes) if i not in used]
    if not tables:
        aligned = aligned_grid(rest, text_h, f"{where} table 1", out, gray)
        if aligned is not None:
            top, grid, taken = aligned
            out.items.append((top, "table", grid))
            rest = [b for i, b in enumerate(rest) if i not in taken]
    for line in _lines(rest, text_h):
        out.items.append((line[0].top, "text", " ".join(b.text for b in line)))
    out.items.sort(key=lambda it: it[0])
    return out


def _lines(boxes: list[Box], text_h: float) -> list[list[Box]]:
    """Boxes grouped into lines by vertical centre, each line left to right."""
    lines: list[list[Box]] = []
    for b in sorted(boxes, key=lambda b: b.cy):
        if lines and abs(lines[-1][-1].cy - b.cy) < 0.5 * text_h:
            lines[-1].append(b)
        else:
            lines.append([b])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


# --- ruled tables -------------------------------------------------------------

@dataclass
class _RuledTable:
    ys: list[int]  # horizontal ruling positions, top to bottom
    xs: list[int]  # vertical ruling positions, left to right
    horiz: object  # the horizontal-line mask (numpy array)
    vert: object
    text_h: float  # the page's median text height, px

    @property
    def rows(self) -> int:
        return len(self.ys) - 1

    @property
    def cols(self) -> int:
        return len(self.xs) - 1

    def fill(self, boxes: list[Box], gray, where: str, out: PageItems):
        """The grid of (text, locator) with each box in its (merged) cell."""
        region = self._regions()
        texts: dict[tuple[int, int], list[Box]] = {}
        taken: set[int] = set()
        for i, b in enumerate(boxes):
            cell = self._cell_of(b.cx, b.cy)
            if cell is None:
                continue
            taken.add(i)
            origin = region[cell]
            if self._crosses_border(b, cell):
                out.warnings.append(f"{where}: text '{b.text}' crosses a ruling line: not placed")
                continue
            texts.setdefault(origin, []).append(b)
        grid = []
        for r in range(self.rows):
            row = []
            for c in range(self.cols):
                loc = f"{where} r{r + 1}c{c + 1}"
                cell_boxes = sorted(texts.get((r, c), []), key=lambda b: (b.top, b.x0))
                if cell_boxes:
                    text = "\n".join(" ".join(b.text for b in line) for line in _lines(cell_boxes, _h(cell_boxes)))
                    out.confidence[loc] = min(b.score for b in cell_boxes)
                    if worth_a_second_look(text):
                        again = second_look(gray, self._around(cell_boxes, region, (r, c)), self.text_h, text)
                        if again is not None:
                            text, out.confidence[loc] = again
                    if unreadable_number(text):
                        out.warnings.append(f"{loc}: OCR read '{text}', not a number; left blank")
                        text = ""
                else:
                    text = ""
                    if region[(r, c)] == (r, c) and self._has_ink(gray, r, c):
                        again = second_look(gray, self._inside(r, c), self.text_h)
                        if again is not None:
                            text, out.confidence[loc] = again
                        else:
                            out.warnings.append(f"{loc}: marks in the cell but no text read; left blank")
                row.append((text, loc))
            grid.append(row)
        return grid, taken

    def _around(self, boxes: list[Box], region, origin: tuple[int, int]) -> tuple[int, int, int, int]:
        """The area of a cell's text boxes, a little larger, inside the (merged) cell's
        rulings: x0, top, x1, bottom."""
        cells = [cell for cell, root in region.items() if root == origin]
        rule = 2  # half a ruling line's width
        return (max(min(b.x0 for b in boxes) - 3, self.xs[min(c for _r, c in cells)] + rule),
                max(min(b.top for b in boxes) - 3, self.ys[min(r for r, _c in cells)] + rule),
                min(max(b.x1 for b in boxes) + 3, self.xs[max(c for _r, c in cells) + 1] - rule),
                min(max(b.bottom for b in boxes) + 3, self.ys[max(r for r, _c in cells) + 1] - rule))

    def _cell_of(self, x: float, y: float) -> tuple[int, int] | None:
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        c = max(i for i in range(self.cols) if self.xs[i] <= x)
        r = max(i for i in range(self.rows) if self.ys[i] <= y)
        return r, c

    def _border(self, mask, fixed: int, lo: int, hi: int, vertical: bool) -> bool:
        """Whether a ruling runs along most of [lo, hi] at ``fixed`` (±2 px)."""
        lo, hi = lo + 2, hi - 2
        if hi <= lo:
            return True
        band = mask[lo:hi, max(0, fixed - 2):fixed + 3] if vertical else mask[max(0, fixed - 2):fixed + 3, lo:hi]
        covered = band.any(axis=1 if vertical else 0)
        return covered.mean() > 0.5

    def _regions(self) -> dict[tuple[int, int], tuple[int, int]]:
        """Each grid cell -> the top-left cell of the merged cell it belongs to."""
        parent = {(r, c): (r, c) for r in range(self.rows) for c in range(self.cols)}

        def find(a):
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        def union(a, b):
            ra, rb = find(a), find(b)
            if ra != rb:
                keep, drop = min(ra, rb), max(ra, rb)
                parent[drop] = keep

        for r in range(self.rows):
            for c in range(self.cols):
                if c + 1 < self.cols and not self._border(self.vert, self.xs[c + 1], self.ys[r], self.ys[r + 1], True):
                    union((r, c), (r, c + 1))
                if r + 1 < self.rows and not self._border(self.horiz, self.ys[r + 1], self.xs[c], self.xs[c + 1],
                                                          False):
                    union((r, c), (r + 1, c))
        return {cell: find(cell) for cell in parent}

    def _crosses_border(self, b: Box, cell: tuple[int, int]) -> bool:
        """A box reaching well into a neighbouring cell across a drawn border (two cells read as one)."""
        r, c = cell
        width = b.x1 - b.x0
        for edge, inside in ((self.xs[c], b.x0 < self.xs[c] - 0.25 * width),
                             (self.xs[c + 1], b.x1 > self.xs[c + 1] + 0.25 * width)):
            if inside and self._border(self.vert, edge, int(b.top), int(b.bottom), True):
                return True
        return False

    def _inside(self, r: int, c: int) -> tuple[int, int, int, int]:
        """A grid cell's area inside its rulings: x0, top, x1, bottom."""
        pad = 4
        return self.xs[c] + pad, self.ys[r] + pad, self.xs[c + 1] - pad, self.ys[r + 1] - pad

    def _has_ink(self, gray, r: int, c: int) -> bool:
        x0, y0, x1, y1 = self._inside(r, c)
        if y1 <= y0 or x1 <= x0:
            return False
        patch = gray[y0:y1, x0:x1]
        return bool((patch < 128).mean() > 0.004) or _glyph_box(patch, self.text_h) is not None


def _h(boxes: list[Box]) -> float:
    return statistics.median(b.height for b in boxes)


def _positions(profile, min_count: int) -> list[int]:
    """Centres of the runs of rows (or columns) whose line pixels reach ``min_count``."""
    out: list[int] = []
    start = None
    for i, v in enumerate(list(profile) + [0]):
        if v >= min_count and start is None:
            start = i
        elif v < min_count and start is not None:
            out.append((start + i - 1) // 2)
            start = None
    merged: list[int] = []
    for p in out:  # a thick or anti-aliased rule reads as two runs a pixel or two apart
        if merged and p - merged[-1] <= 3:
            merged[-1] = (merged[-1] + p) // 2
        else:
            merged.append(p)
    return merged


def _ruled_tables(gray, text_h: float) -> list[_RuledTable]:
    import cv2
    import numpy as np

    ink = (gray < 160).astype(np.uint8)
    h_len = max(15, int(3 * text_h))
    v_len = max(10, int(1.6 * text_h))
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    lines = cv2.dilate(horiz | vert, np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    tables = []
    for i in range(1, count):
        x, y, w, h, _area = stats[i]
        if w < 4 * h_len or h < 2 * v_len:
            continue  # an underline or a stray rule, not a table
        sub_h = horiz[y:y + h, x:x + w] * (labels[y:y + h, x:x + w] == i)
        sub_v = vert[y:y + h, x:x + w] * (labels[y:y + h, x:x + w] == i)
        ys = [y + p for p in _positions(sub_h.sum(axis=1), h_len)]
        xs = [x + p for p in _positions(sub_v.sum(axis=0), v_len)]
        if len(ys) >= 3 and len(xs) >= 3:
            tables.append(_RuledTable(ys, xs, horiz, vert, text_h))
    tables.sort(key=lambda t: t.ys[0])
    return tables


# --- unruled tables -------------------------------------------------------------

def aligned_grid(boxes: list[Box], text_h: float, where: str, out: PageItems, gray=None):
    """A grid from box alignment: rows of boxes that hold numbers, columns from the
    x-centres of those numbers. A number whose centre is not clearly in one column
    is left out with a warning. None when fewer than three rows hold numbers."""
    lines = _lines(boxes, text_h)
    numeric_rows = [line for line in lines if sum(bool(_NUMBER.match(b.text)) for b in line) >= 2]
    if len(numeric_rows) < 3:
        return None
    centres = sorted(b.cx for line in numeric_rows for b in line if _NUMBER.match(b.text))
    columns: list[list[float]] = []
    for x in centres:
        if columns and x - columns[-1][-1] < 1.5 * text_h:
            columns[-1].append(x)
        else:
            columns.append([x])
    col_x = [statistics.median(c) for c in columns if len(c) >= 2]
    if len(col_x) < 2:
        return None
    half_gap = min(b - a for a, b in zip(col_x, col_x[1:], strict=False)) / 2
    first_row = lines.index(numeric_rows[0])
    taken: set[int] = set()
    index = {id(b): i for i, b in enumerate(boxes)}
    grid = []
    for r, line in enumerate(lines[first_row:], start=1):
        labels = [b for b in line if not _NUMBER.match(b.text) and b.cx < col_x[0] - half_gap]
        values = [b for b in line if b not in labels]
        if not values and not labels:
            continue
        row = [(" ".join(b.text for b in labels), f"{where} r{r}c1")]
        cells = _values_in_columns(values, col_x, half_gap, f"{where} r{r}", out, gray, text_h)
        row += [(t, f"{where} r{r}c{c + 2}") for c, t in enumerate(cells)]
        taken |= {index[id(b)] for b in line}
        grid.append(row)
    return numeric_rows[0][0].top, grid, taken


def _values_in_columns(values: list[Box], col_x: list[float], half_gap: float, row_at: str, out: PageItems,
                       gray, text_h: float) -> list[str]:
    """One row's value boxes in their columns; a box between two columns, or a number
    still unreadable after a second look, is left out with a warning."""
    cells = [""] * len(col_x)
    for b in values:
        distances = [abs(b.cx - x) for x in col_x]
        best = min(range(len(col_x)), key=distances.__getitem__)
        if distances[best] > 0.6 * half_gap:
            out.warnings.append(f"{row_at}: '{b.text}' is between columns: not placed")
            continue
        text, score = b.text, b.score
        if gray is not None and worth_a_second_look(text):
            again = second_look(gray, (b.x0 - 3, b.top - 3, b.x1 + 3, b.bottom + 3), text_h, text)
            if again is not None:
                text, score = again
        if unreadable_number(text):
            out.warnings.append(f"{row_at}c{best + 2}: OCR read '{text}', not a number; left blank")
            continue
        cells[best] = text
        out.confidence[f"{row_at}c{best + 2}"] = score
    return cells


def deskew(image):
    """The page turned level by the slope of its long horizontal rules (a scan is
    rarely straight: 0.4° moves a rule 15 px across a table, out of its row).
    Pages without long rules are returned as they are."""
    import cv2
    import numpy as np
    from PIL import Image

    gray = np.asarray(image.convert("L"))
    ink = (gray < 160).astype(np.uint8)
    width = gray.shape[1]
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(40, width // 40), 1)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(horiz, np.ones((3, 3), np.uint8)))
    angles = []
    for i in range(1, count):
        x, y, w, h, _area = stats[i]
        if w < width // 4:
            continue
        ys, xs = np.nonzero((labels[y:y + h, x:x + w] == i) & (horiz[y:y + h, x:x + w] > 0))
        if len(xs) > 50:
            slope = np.polyfit(xs, ys, 1)[0]
            angles.append(np.degrees(np.arctan(slope)))
    if not angles:
        return image
    angle = float(np.median(angles))
    if abs(angle) < 0.03 or abs(angle) > 5:
        return image
    return image.convert("L").rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
