"""The one template mapper: grids of cell strings -> canonical facts.

Every reader's tables come through here. A row of a grid is read as label cells
followed by value cells; the labels are placed through the template's label
index (variants are data), the values by their count against the row's columns.
Whatever cannot be placed becomes a warning, never a silent skip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache, lru_cache, partial
from typing import NamedTuple

from . import template as tpl
from .model import Cell, Document, Fact, ReportError, Table, TextBlock, is_ocr_locator, new_fact
from .values import parse_value

_STRAY_DIGITS = re.compile(r"^(?P<label>.*?\D)(?P<digits>\d+)$")
# A number cell with letters in it ('1O', 'l2', 'O'): the figure cannot be trusted.
_CORRUPT_NUMBER = re.compile(r"^(?:(?=[0-9A-Za-z.,]*\d)(?=[0-9.,]*[A-Za-z])[0-9A-Za-z.,]{1,12}|[OolI])$")
MAX_VALUE = 10**12  # DECIMAL(24, 6) holds 1e18; no count in these tables comes near 1e12
SCALE = 6  # decimal places stored (facts.value DECIMAL(24, 6)): 元 with fen -> 万元 needs 2 + 4
_QUANTUM = Decimal(1).scaleb(-SCALE)
_2019_MARKERS = frozenset(
    strip for strip in (
        tpl.strip_numbering(tpl.normalize(s))
        for s in ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量",
                  "其他对外管理服务事项", "政府集中采购", "采购项目数量")
    )
)


@lru_cache(maxsize=1)
def _header_vocab() -> dict[str, tuple[tuple[str, ...], frozenset[str]]]:
    out = {}
    for t in tpl.TABLES:
        words = tpl.header_words(t)
        out[t] = (words, frozenset("".join(words)))
    return out


def _is_header(table: str, key: str) -> bool:
    if tpl.ARTICLE_REF.match(key):
        return True
    words, chars = _header_vocab()[table]
    if len(key) <= 2 and all(ch in chars for ch in key):
        return True  # header words stacked one character per line (结/果/维/持)
    rest = key
    for word in words:
        rest = rest.replace(word, "")
    return not re.sub(r"[\W\d_]", "", rest)


def _lookup(version: str, table: str, key: str, numbered: bool) -> tuple[str, str | None] | None:
    variants = tpl.label_index()[table].get(key, [])
    fits = [v for v in variants if v.template_version in ("any", version)]
    rows = [v for v in fits if v.kind == "row"]
    headers = [v for v in fits if v.kind == "header"]
    groups = [v for v in fits if v.kind == "group"]
    if rows and (numbered or not headers):
        return "row", rows[0].code
    if groups:
        return "group", groups[0].code
    if headers or (not fits and variants):
        return "header", None
    return None


@lru_cache(maxsize=65536)  # labels repeat across reports: place each text once
def _classify_text(version: str, table: str, text: str) -> tuple[str, str | None, str | None]:
    """(kind, row or group code, stray digits ignored) for one cell's text."""
    norm = tpl.normalize(text)
    key = tpl.strip_numbering(norm)
    if not key:
        return "empty", None, None
    numbered = key != norm
    found = _lookup(version, table, key, numbered)
    stray = None
    if found is None:
        m = _STRAY_DIGITS.match(key)
        if m:
            found = _lookup(version, table, m["label"], numbered)
            if found is not None:
                stray = m["digits"]
    if found is None and _is_header(table, key):
        found = ("header", None)
    if found is None:
        found = _split_label(version, table, norm)
    if found is None:
        return "unknown", None, None
    return found[0], found[1], stray


_OUTLINE = re.compile(r"(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、])")


def _split_label(version: str, table: str, norm: str) -> tuple[str, str | None] | None:
    """A group label and its row on one line ('三、本年度办理结果 (一) 予以公开', as PDF
    text layers print merged cells): the row, when the part before it is a group."""
    for m in _OUTLINE.finditer(norm):
        if m.start() == 0:
            continue
        head, tail = _classify_text(version, table, norm[: m.start()]), _classify_text(version, table, norm[m.start():])
        if tail[0] == "row" and head[0] in ("group", "header", "empty"):
            return tail[0], tail[1]
    return None


_ORDINAL = re.compile(r"^(?:(?P<cn>[一二三四五六七八九十]+)[、.]|\((?P<paren>[一二三四五六七八九十]+)\)|(?P<num>\d+)[.、,])")


def _ordinal(text: str) -> str | None:
    """'（三）' -> '(三)', '2.' / '2、' -> '2', '四、' -> '四、': the numbering a label starts with."""
    m = _ORDINAL.match(tpl.normalize(text))
    if not m:
        return None
    return m["num"] or (f"({m['paren']})" if m["paren"] else f"{m['cn']}、")


def _own_label(version: str, table: str, row: str) -> str:
    return dict((c.row_code, c.row_label_zh) for c in tpl.cells(version) if c.table_code == table)[row].split("·")[-1]


def _by_position(version: str, table: str, order: tuple[str, ...], placed: set[str],
                 segments: list[tuple[list[Label], list[Cell], bool]], i: int, text: str) -> str | None:
    import difflib

    def neighbour(indices) -> str | None:
        for k in indices:
            rows = [lab.code for lab in segments[k][0] if lab.kind == "row"]
            if rows:
                return rows[-1] if k < i else rows[0]
        return None

    prev, nxt = neighbour(range(i - 1, -1, -1)), neighbour(range(i + 1, len(segments)))
    lo = order.index(prev) + 1 if prev in order else 0
    hi = order.index(nxt) if nxt in order else len(order)
    ordinal, key = _ordinal(text), tpl.strip_numbering(tpl.normalize(text))
    fits = []
    for row in order[lo:hi]:
        own = _own_label(version, table, row)
        own_ordinal = _ordinal(own)
        if row in placed or (ordinal and own_ordinal and ordinal != own_ordinal):
            continue
        if difflib.SequenceMatcher(None, key, tpl.strip_numbering(tpl.normalize(own))).ratio() < 0.6:
            continue
        fits.append(row)
    if len(fits) != 1:
        return None  # ambiguous, or nothing like it: left unplaced
    row = fits[0]
    beside = (prev is not None and order.index(row) == lo) or (nxt is not None and order.index(row) == hi - 1)
    return row if beside else None


def _fragmentary(labels: list[Label]) -> bool:
    for lab in labels:
        if lab.kind == "unknown":
            return True
    return False


def _starts_outline(text: str) -> bool:
    return bool(_OUTLINE.match(tpl.normalize(text)))


class Label(NamedTuple):
    kind: str  # row | group | header | unknown | empty
    cell: Cell
    code: str | None = None


_new_label = partial(tuple.__new__, Label)
_T3_CELLS = tuple((r, c) for r in tpl.T3_ROWS for c in tpl.T3_COLS)
_NEEDS_CHECK = object()


@lru_cache(maxsize=65536)
def _plain_value(text: str) -> int | Decimal | None | object:
    """A cell's value when it needs no unit conversion or warning (a count in range, or
    missing), else _NEEDS_CHECK: emit() then handles it."""
    parsed = parse_value(text)
    if parsed is None:
        return _NEEDS_CHECK
    value = parsed.value
    if value is None or (0 <= value < MAX_VALUE and (type(value) is int or value.as_tuple().exponent >= -SCALE)):
        return value
    return _NEEDS_CHECK


@dataclass
class MapResult:
    template_version: str
    facts: list[Fact]
    warnings: list[str] = field(default_factory=list)


def _short(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


@cache
def _row_columns(version: str, table: str, row: str) -> tuple[str, ...]:
    return tpl.row_columns(version, table, row)


class _Mapper:
    def __init__(self, version: str) -> None:
        self.version = version
        self.facts: dict[tuple[str, str, str], Fact] = {}
        self.warnings: list[str] = []
        self.corrupt: list[str] = []  # unreadable numbers: the report is quarantined

    # -- labels -------------------------------------------------------------
    def classify(self, table: str, cell: Cell) -> Label:
        kind, code, stray = _classify_text(self.version, table, cell.text)
        if stray:
            self.warnings.append(
                f"{table}: stray digits '{stray}' after label '{_short(cell.text)}' ignored ({cell.locator})"
            )
        if kind == "unknown" and _CORRUPT_NUMBER.match(cell.text.strip()):
            if is_ocr_locator(cell.locator):  # OCR's misreading, not the source's: this cell only
                self.warnings.append(f"{table}: OCR read '{cell.text.strip()}', not a number ({cell.locator})")
            else:
                self.corrupt.append(f"'{cell.text.strip()}' ({table}, {cell.locator})")
        return _new_label((kind, cell, code))

    # -- facts --------------------------------------------------------------
    def emit(self, table: str, row: str, col: str, cell: Cell) -> None:
        key = (table, row, col)
        raw = cell.text
        value = _plain_value(raw)
        if value is _NEEDS_CHECK or (value is not None and col in tpl.MONEY_COLS):
            parsed = parse_value(raw)
            value = None if parsed is None else self._check_value(table, row, col, cell, parsed)
        old = self.facts.get(key)
        if old is None:
            self.facts[key] = new_fact((table, row, col, value, raw, cell.locator))
        elif old.value != value:
            self.warnings.append(
                f"{table}.{row}.{col} printed twice ({old.locator}: '{old.raw_text}', "
                f"{cell.locator}: '{raw}'); kept the first"
            )

    def _emit_row(self, table: str, row: str, cols: tuple[str, ...], cells: list[Cell]) -> None:
        """emit() for a whole row, inlined: the common case and the hot loop."""
        facts = self.facts
        money = tpl.MONEY_COLS
        for col, cell in zip(cols, cells, strict=True):
            raw, locator = cell
            value = _plain_value(raw)
            key = (table, row, col)
            if value is _NEEDS_CHECK or key in facts or (value is not None and col in money):
                self.emit(table, row, col, cell)
            else:
                facts[key] = new_fact((table, row, col, value, raw, locator))

    def _check_value(self, table: str, row: str, col: str, cell: Cell, parsed) -> int | Decimal | None:
        """The rare values that need a unit conversion or a warning."""
        value, raw = parsed.value, cell.text
        if abs(value) >= MAX_VALUE:
            if is_ocr_locator(cell.locator):  # OCR ran two cells' digits together: left blank
                self.warnings.append(f"{table}.{row}.{col}: OCR read '{raw}', too large for a count; left blank "
                                     f"({cell.locator})")
                return None
            self.corrupt.append(f"'{raw}' is too large for a count ({table}.{row}.{col}, {cell.locator})")
        if col in tpl.MONEY_COLS and parsed.unit == "元":
            value = Decimal(value).scaleb(-4)  # exact: a shift of the decimal point, no division
            self.warnings.append(f"{table}.{row}.{col}: '{raw}' printed in 元, stored as {value:f} 万元")
        elif col in tpl.MONEY_COLS and self.version == "2019" and row == "central_procurement" and not parsed.unit:
            self.warnings.append(f"{table}.{row}.{col}: '{raw}' printed with no unit; kept as printed")
        elif col not in tpl.SIGNED_COLS and value < 0:
            self.warnings.append(f"{table}.{row}.{col}: negative count '{raw}' ({cell.locator})")
        if type(value) is Decimal and value.as_tuple().exponent < -SCALE:
            value = value.quantize(_QUANTUM, rounding=ROUND_HALF_EVEN)
            self.warnings.append(f"{table}.{row}.{col}: '{raw}' has more than {SCALE} decimal places; stored as {value:f}")
        return value

    def place_values(self, table: str, row: str, label: Cell, values: list[Cell],
                     positional: bool, final: bool, between: Cell | None = None) -> None:
        cols = _row_columns(self.version, table, row)
        n = len(cols)
        if positional:
            while values and not values[-1].text:
                values.pop()
            while len(values) > n and not values[0].text:
                values.pop(0)
        else:
            values = [v for v in values if v.text]
        k = len(values)
        if k == n:
            self._emit_row(table, row, cols, values)
            return
        where = f"{table}.{row} ({label.locator})"
        if k > n and not positional:
            # Blank cells dropped and more numbers than columns: the labels of the rows these
            # numbers belong to were read elsewhere (a PDF viewer's reading order).
            self.warnings.append(f"{where}: blank cells dropped; {k} values for {n} columns, the rows they "
                                 "belong to are not certain — not loaded")
            return
        if k > n:
            extra = ", ".join(repr(v.text) for v in values[n:])
            self.warnings.append(f"{where}: {k} values for {n} columns; extra cells {extra} ignored")
            for col, cell in zip(cols, values, strict=False):
                self.emit(table, row, col, cell)
            return
        if final:
            self.warnings.append(f"{where}: cut off after {k} of {n} values")
            for col, cell in zip(cols, values, strict=False):
                self.emit(table, row, col, cell)
            return
        if positional and between is not None:
            self.warnings.append(f"{where}: '{_short(between.text)}' stands before the numbers ({between.locator}); "
                                 f"{k} values for {n} columns, their columns are not certain — not loaded")
            return
        if positional:
            self.warnings.append(f"{where}: {k} of {n} cells printed; the rest read as blank")
            for i, col in enumerate(cols):
                self.emit(table, row, col, values[i] if i < k else Cell("", label.locator))
            return
        if k == 0:
            # Labels with no numbers at all: the source dropped every blank cell.
            for col in cols:
                self.emit(table, row, col, Cell("", label.locator))
            return
        nums = [parse_value(v.text) for v in values]
        if "total" in cols and k >= 2 and all(p and p.value is not None for p in nums):
            head, last = [p.value for p in nums[:-1]], nums[-1].value
            if sum(head) == last and last > 0:  # '0 0' may as well be two zeros beside a blank 总计
                self.emit(table, row, "total", values[-1])
                self.warnings.append(
                    f"{where}: blank cells dropped; {k} values for {n} columns — the last equals "
                    f"the sum of the others and is read as 总计; columns of {', '.join(v.text for v in values[:-1])} unknown"
                )
                return
        self.warnings.append(
            f"{where}: blank cells dropped; {k} values ({', '.join(v.text for v in values)}) "
            f"for {n} columns, positions ambiguous — not loaded"
        )

    # -- tables -------------------------------------------------------------
    def identify(self, table: Table) -> str | None:
        if table.hint:
            return table.hint
        scores = {}
        for t in ("t1", "t2"):
            scores[t] = sum(
                1 for row in table.rows for c in row if self.classify(t, c).kind == "row"
            )
        best = max(scores, key=scores.get)
        if scores[best]:
            return best
        values = sum(1 for row in table.rows for c in row if c.text and parse_value(c.text) is not None)
        return "t3" if values in (15, 14, 13) else None

    def map_rows(self, table_code: str, table: Table, truncated: bool) -> None:
        segments: list[tuple[list[Label], list[Cell], bool]] = []
        classify, number = self.classify, parse_value  # locals: the loop below runs per cell
        loose = table.loose_rows
        mixed: set[int] = set()  # segments whose numbers may be of two rows
        for ri, row in enumerate(table.rows):
            positional = table.positional and ri not in loose
            labels: list[Label] = []
            values: list[Cell] = []
            pending_blank: list[Cell] = []
            has_value = False
            for cell in row:
                text = cell[0]  # readers strip their cells
                if not text:
                    if positional and (labels or values):
                        pending_blank.append(cell)
                    continue
                if number(text) is not None:
                    if pending_blank:
                        values.extend(pending_blank)
                        pending_blank = []
                    values.append(cell)
                    has_value = True
                    continue
                if has_value:  # a label after numbers starts the next row
                    segments.append((labels, values, positional))
                    labels, values, has_value = [], [], False
                pending_blank = []
                labels.append(classify(table_code, cell))
            if labels or values:
                segments.append((labels, values, positional))
            if ri in table.mixed_rows:
                mixed.add(len(segments) - 1)
        for i, (labels, values, positional) in enumerate(segments):
            if len(labels) > 1 and _fragmentary(labels):
                segments[i] = (self.join_fragments(table_code, labels), values, positional)
        # Only one-cell-per-line text has a reading order to doubt; a layout copy's loose rows
        # keep their labels on their own lines.
        distrust = self.displaced(table_code, segments, table.reordered) | mixed if not table.positional else set()
        self.place_by_position(table_code, segments, distrust)
        for i, (labels, values, positional) in enumerate(segments):
            final = truncated and i == len(segments) - 1
            if i in distrust:
                shown = ", ".join(_short(lab.cell.text) for lab in labels if lab.kind == "row")
                if i in mixed and values:
                    self.warnings.append(f"{table_code}: numbers {_short(', '.join(v.text for v in values), 40)} "
                                         f"({values[0].locator}) may be of two rows (printed one under another, or "
                                         f"across a page break) — not loaded")
                elif shown:
                    self.warnings.append(f"{table_code}: labels and numbers out of order near {shown} (reading order "
                                         "of text copied from a PDF); their numbers are not certain — not loaded")
                continue
            rows_here = []
            for lab in labels:
                if lab.kind == "row":
                    rows_here.append(lab)
                elif lab.kind == "unknown":
                    self.warnings.append(
                        f"{table_code}: unplaced label '{_short(lab.cell.text, 40)}' ({lab.cell.locator})"
                    )
            has_values = bool(values)  # blank cells enter values only ahead of a number
            if not rows_here:
                if has_values:
                    shown = ", ".join(v.text for v in values if v.text)
                    self.warnings.append(f"{table_code}: values ({_short(shown, 40)}) with no row label ({values[0].locator})")
                continue
            # Labels with no numbers between them (every blank cell dropped).
            for lab in rows_here[:-1]:
                self.place_values(table_code, lab.code, lab.cell, [], positional, False)
            last = rows_here[-1]
            # Cut off inside this row only if nothing follows its label and values.
            final = final and labels[-1] is last
            if final and not has_values:
                self.warnings.append(f"{table_code}.{last.code}: cut off after its label ({last.cell.locator})")
                continue
            # Text between the row's label and its numbers ('一' read for a 1 by OCR): in a short
            # row it may be one of the numbers, so the numbers' columns are not certain.
            after = labels[next(j for j, lab in enumerate(labels) if lab is last) + 1:]
            between = after[-1].cell if after and has_values else None
            if not positional and has_values and any(lab.kind == "unknown" for lab in after):
                # One cell per line: text the index does not know between the label and the
                # numbers may be the label they belong to, wrapped round them (行政事 / 业性收 0 / 费).
                self.warnings.append(f"{table_code}.{last.code} ({last.cell.locator}): unknown text "
                                     f"'{_short(''.join(lab.cell.text for lab in after), 30)}' stands between it and "
                                     f"the numbers {_short(', '.join(v.text for v in values if v.text), 30)}: "
                                     f"whose they are is not certain — not loaded")
                continue
            if table.reordered and _total_breaks(_row_columns(self.version, table_code, last.code), values):
                self.warnings.append(f"{table_code}.{last.code} ({last.cell.locator}): in a PDF viewer's reading "
                                     f"order its numbers ({_short(', '.join(v.text for v in values), 40)}) do not "
                                     f"add up to its 总计: of other rows or columns — not loaded")
                continue
            self.place_values(table_code, last.code, last.cell, values, positional, final, between)

    def place_by_position(self, table: str, segments: list[tuple[list[Label], list[Cell], bool]],
                          distrust: set[int]) -> None:
        """Rows whose label the index does not know (misspelled: 2.其他法律行政止公开), placed
        by the template's order when that is unambiguous: the one unplaced template row
        beside a placed neighbour, with the label's ordinal (（三）, 2., 四、) and most of its
        wording. A 2021 report printing 2019's one-row （六）其他处理 keeps the 2019 code."""
        todo = [i for i, (labels, values, _p) in enumerate(segments)
                if values and labels and i not in distrust and all(lab.kind != "row" for lab in labels)]
        if not todo:
            return  # every segment with numbers has its row label: the common case
        order = tpl.table_rows(self.version, table)
        placed = {lab.code for labels, _v, _p in segments for lab in labels if lab.kind == "row"}
        for i in todo:
            labels = segments[i][0]
            unknown = [j for j, lab in enumerate(labels) if lab.kind == "unknown"]
            groups = [j for j, lab in enumerate(labels) if lab.kind == "group"]
            if (table == "t2" and self.version == "2021" and not unknown and groups
                    and labels[groups[-1]].code == "other" and not placed & set(tpl.T2_ROWS["2021"]) - set(tpl.T2_ROWS["2019"])):
                j, code = groups[-1], "other_processing"
                self.warnings.append(f"t2: '{_short(labels[j].cell.text)}' printed as one row, as in the 2019 "
                                     f"template: stored as t2.other_processing ({labels[j].cell.locator})")
            elif len(unknown) == 1:
                j = unknown[0]
                code = _by_position(self.version, table, order, placed, segments, i, labels[j].cell.text)
                if code is None:
                    continue
                self.warnings.append(f"{table}.{code}: label '{_short(labels[j].cell.text, 40)}' not known; "
                                     f"placed by position ({labels[j].cell.locator})")
            else:
                continue
            labels[j] = _new_label(("row", labels[j].cell, code))
            placed.add(code)

    def displaced(self, table: str, segments: list[tuple[list[Label], list[Cell], bool]],
                  reordered: bool) -> set[int]:
        """Segments of one-cell-per-line text whose numbers may not be their label's.

        Plain pdftotext prints cells in its reading order, which moves labels away from
        their numbers (a page's last labels after its numbers, a label after the numbers
        it heads). Signs of it: more numbers after a label than its row has columns, a
        row label followed at once by another, numbers with no label before them, row
        labels after the table's last number; in a viewer's reading order (``reordered``) also
        fewer numbers than columns: a blank cell, or a number moved past its label.
        From two segments before the first such sign to the table's end, nothing is trusted."""
        signs: list[int] = []
        last_values = -1
        for i, (labels, values, positional) in enumerate(segments):
            if positional:
                continue
            rows = [lab for lab in labels if lab.kind == "row"]
            k = sum(1 for v in values if v.text)
            if k:
                last_values = i
            n = len(_row_columns(self.version, table, rows[-1].code)) if rows else 0
            if (rows and (k > n or (len(rows) > 1 and k) or (reordered and 0 < k < n))) \
                    or (k and not rows and (reordered or not any(lab.kind == "unknown" for lab in labels))):
                signs.append(i)
        if last_values < 0:
            return set()  # no numbers at all: a table printed blank
        trailing = [i for i in range(last_values + 1, len(segments))
                    if not segments[i][2] and any(lab.kind == "row" for lab in segments[i][0])]
        if trailing:
            signs.append(last_values)
        if not signs:
            return set()
        # Once the order slips it may stay slipped (each label ahead of the numbers of the
        # row above it): nothing from two segments before the first sign on is trusted.
        return set(range(max(0, min(signs) - 2), len(segments)))

    @staticmethod
    def _t3_order_doubt(values: list[Cell], mixed: bool, foreign: bool) -> str | None:
        """Why t3's numbers, read in a viewer's order, may not be its own (None: no doubt)."""
        if mixed:
            return "may be of other rows"
        if foreign:
            return "stand among another table's labels"
        width = len(tpl.T3_COLS)
        if any(_total_breaks(tuple(tpl.T3_COLS), values[i: i + width]) for i in range(0, len(_T3_CELLS), width)):
            return "do not add up to their 总计"
        return None

    def join_fragments(self, table: str, labels: list[Label]) -> list[Label]:
        """A label wrapped over several lines, each line a cell ('1.申请人无正当理由逾期不补',
        '正、行政机关不再处理其政', …): adjacent cells that together are a known row label."""
        out: list[Label] = []
        i = 0
        while i < len(labels):
            best = None
            text = labels[i].cell.text
            for j in range(i + 1, min(len(labels), i + 8)):
                if _starts_outline(labels[j].cell.text):
                    break  # an outline number starts the next label
                text += labels[j].cell.text
                kind, code, _stray = _classify_text(self.version, table, text)
                if kind in ("row", "group"):
                    best = (j, _new_label((kind, Cell(text, labels[i].cell.locator), code)))
            if best is None:
                out.append(labels[i])
                i += 1
            else:
                out.append(best[1])
                i = best[0] + 1
        return out

    def map_t3(self, table: Table, truncated: bool) -> None:
        values: list[Cell] = []
        certain = True  # every row's numbers in their printed columns
        labelled = False  # a column heading seen: values come after their headings
        mixed = False  # numbers maybe of two rows (see Table.mixed_rows)
        foreign = False  # text not of t3 inside its block (another table's labels)
        headings = _t3_column_words(self.version)
        for ri, row in enumerate(table.rows):
            positional = table.positional and ri not in table.loose_rows
            nonblank = []
            for i, c in enumerate(row):
                if not c.text:
                    continue
                if parse_value(c.text) is not None:
                    nonblank.append(i)
                elif self.classify("t3", c).kind == "unknown":
                    self.warnings.append(f"t3: unplaced label '{_short(c.text, 40)}' ({c.locator})")
                    foreign = True
                elif not labelled and any(word in "".join(c.text.split()) for word in headings):
                    labelled = True
            if not nonblank:
                continue
            if not labelled and not positional:
                # Text copied out of a PDF viewer can put a number before the table's column
                # headings (reading order by blocks): it is no value of the first row.
                shown = ", ".join(row[i].text for i in nonblank)
                self.warnings.append(f"t3: numbers {shown} before the table's column headings ignored "
                                     f"({row[nonblank[0]].locator})")
                continue
            mixed = mixed or ri in table.mixed_rows
            span = row[nonblank[0]: nonblank[-1] + 1] if positional else [row[i] for i in nonblank]
            certain = certain and positional
            values.extend(c for c in span if not c.text or parse_value(c.text) is not None)
        cols = _T3_CELLS
        if not values:
            if not truncated:
                self.warnings.append("t3: no values found")
            return
        if len(values) < len(cols) and not certain:
            shown = ", ".join(v.text for v in values)
            self.warnings.append(f"t3: blank cells dropped; {len(values)} values ({_short(shown, 40)}) for "
                                 f"{len(cols)} cells, positions ambiguous — not loaded ({values[0].locator})")
            return
        if not certain and table.reordered:
            doubt = self._t3_order_doubt(values, mixed, foreign)
            if doubt:
                self.warnings.append(f"t3: in a PDF viewer's reading order its numbers "
                                     f"({_short(', '.join(v.text for v in values), 40)}) {doubt} — not loaded "
                                     f"({values[0].locator})")
                return
        if len(values) < len(cols):
            self.warnings.append(f"t3: {len(values)} of {len(cols)} values{' (cut off)' if truncated else ''}; the rest missing")
        elif len(values) > len(cols):
            extra = ", ".join(v.text for v in values[len(cols):])
            self.warnings.append(f"t3: {len(values)} values for {len(cols)} cells; extra {extra} ignored")
        for (r, c), cell in zip(cols, values, strict=False):
            self.emit("t3", r, c, cell)


def _total_breaks(cols: tuple[str, ...], values: list[Cell]) -> bool:
    """A full row of plain numbers whose 总计 is not the sum of the others."""
    if "total" not in cols or len(values) != len(cols):
        return False
    nums = [parse_value(v.text) for v in values]
    if any(p is None or p.value is None for p in nums):
        return False
    by_col = dict(zip(cols, (p.value for p in nums), strict=True))
    return by_col.pop("total") != sum(by_col.values())


@cache
def _t3_column_words(version: str) -> frozenset[str]:
    """t3's column headings as printed whole or split over two lines (结果 / 维持): a cell
    holding one of them is a column heading."""
    labels = {c.col_label_zh for c in tpl.cells(version) if c.table_code == "t3"}
    return frozenset(w for label in labels for w in (label, label[:2], label[-2:]))


def detect_version(doc: Document) -> str:
    """2019 when the tables use the 2019 template's t1 wording, else 2021."""
    blob = "".join(
        "".join(cell.text for cell in row) for table in doc.tables if table.hint in ("t1", None) for row in table.rows
    )
    compact = "".join(blob.split())
    if any(marker in compact for marker in _2019_MARKERS):
        return "2019"
    if _NEEDS_FOLDING.search(compact):  # traditional characters or pinyin glosses: compare folded
        folded = tpl.normalize(compact)
        return "2019" if any(marker in folded for marker in _2019_MARKERS) else "2021"
    return "2021"


# Characters that only traditional text has among the markers' own, and '(' + latin (pinyin).
_NEEDS_FOLDING = re.compile(r"[製數對處採購開務規]|\([a-zāáǎàēéěèīíǐìōóǒòūúǔù]")


def map_document(doc: Document) -> MapResult:
    """Map a read document to facts; raise ReportError when nothing is recognisable."""
    version = detect_version(doc)
    m = _Mapper(version)
    m.warnings.extend(doc.warnings)
    tables = doc.tables
    if not tables:
        raise ReportError("no recognisable table: none of the sections 二、三、四 (t1, t2, t3) holds a table")
    last_table = tables[-1]
    tail_text = False
    seen_last = False
    for item in doc.items:
        if item is last_table:
            seen_last = True
        elif seen_last and isinstance(item, TextBlock):
            tail_text = True
    for table in tables:
        code = m.identify(table)
        truncated = table is last_table and not tail_text
        if code is None:
            m.warnings.append(f"table at {table.locator}: not recognisable as t1, t2 or t3; skipped")
            continue
        if code == "t3":
            m.map_t3(table, truncated)
        else:
            m.map_rows(code, table, truncated)
    if m.corrupt:
        shown = "; ".join(m.corrupt[:5]) + (f"; and {len(m.corrupt) - 5} more" if len(m.corrupt) > 5 else "")
        raise ReportError(f"unreadable numbers (letters in number cells or absurd values): {shown}; fix the source file")
    if not m.facts:
        raise ReportError("no recognisable table: no row of t1, t2 or t3 could be placed")
    _report_missing(m, version)
    return MapResult(version, list(m.facts.values()), m.warnings)  # in the order printed


def _report_missing(m: _Mapper, version: str) -> None:
    if len(m.facts) == len(tpl.cells(version)):
        return  # every fact is keyed by a template cell: all are there
    for table in tpl.TABLES:
        missing_rows = []
        for row in tpl.table_rows(version, table):
            cols = tpl.row_columns(version, table, row)
            have = [c for c in cols if (table, row, c) in m.facts]
            if len(have) < len(cols):
                missing_rows.append(row if not have else f"{row}({len(cols) - len(have)} cells)")
        if missing_rows:
            n = len(tpl.table_rows(version, table))
            if len(missing_rows) == n:
                m.warnings.append(f"{table}: missing entirely")
            else:
                m.warnings.append(f"{table}: missing {', '.join(missing_rows)}")
