"""HTML reports: the report body inside a full government web page.

Old CMS sites put the report inside layout tables (``<td id="Zoom">`` three
levels deep) after navigation bars, a calendar (1–31) and a visitor counter,
all tables too. The report's own tables are found by their content: a table
with a template label and a number in its own cells is a report table; a table
that holds report tables is layout (its cells are read as body, the innermost
report tables win); any other table is page chrome and is dropped, text and all.

Tables are expanded to a grid (colspan -> text once plus empty fillers,
rowspan -> empty cells below) as the text reader's tab layout would show them.
Tables built of ``<div>``s are read when their grid is explicit (``display:
table/table-row/table-cell``, or ``display:grid`` with a column count in
``grid-template-columns``); div "tables" with no explicit grid are not guessed
at. Tables pasted as images are OCR'd where a table is missing (html_images.py)
when the image came with the page, else named in a warning. The page's own
meta charset decides its encoding (GBK/GB2312 read as GB18030).
"""

from __future__ import annotations

import os
import re
from pathlib import PurePosixPath

from ..encoding import decode_bytes
from ..model import Document, ReportError, Table, TextBlock
from ..page_bundle import src_key, unpack
from ..template import section_of
from . import css, ocr
from .html_images import PageImage, image_bytes, read_images, to_read
from .limits import CellBudget, check_span, check_width, drop_spanned_columns, too_many_rows
from .report_labels import is_number, is_report_label
from .sections import DocumentBuilder

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_SKIP = {"script", "style", "nav", "header", "footer", "noscript", "iframe", "select", "button", "form",
         "template", "svg", "object", "embed", "textarea"}
_NEVER_TEXT = {"script", "style", "noscript", "template", "select", "textarea"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "main",
          "center", "blockquote", "pre", "ul", "ol", "dl", "dd", "dt", "body", "table", "br", "hr", "img"}
# id / class words of page chrome; such an element is dropped unless it holds a report table.
_CHROME = re.compile(r"(?:^|[\s_-])(?:foot(?:er)?|bottom|copyright|nav(?:bar)?|menu|banner|header|sidebar|"
                     r"breadcrumbs?|crumbs?|calendar|rili|counter|visit(?:or)?s?|share|login|search)(?:$|[\s_\d-])", re.I)
_TITLE = re.compile(r"(?:19|20)\d{2}\s*年度?.{0,30}?(?:信息公开|政务公开).{0,8}?(?:报告|年报)")


def _decode(data: bytes) -> str:
    m = _CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii").lower()
        if name in ("gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936", "euc-cn"):
            name = "gb18030"
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data)[0]


def _tag(el) -> str:
    return el.tag if isinstance(el.tag, str) else ""


def _own_text(el, styles: css.Styles | None = None) -> str:
    """An element's text without that of tables nested in it (their own grids hold it)."""
    parts: list[str] = []

    def add(e) -> None:
        if e.text:
            parts.append(e.text)
        for child in e:
            tag = _tag(child)
            if tag and tag not in _NEVER_TEXT and tag != "table" and not (styles and styles.is_tabular(child)):
                add(child)
            if child.tail:
                parts.append(child.tail)

    add(el)
    return " ".join("".join(parts).replace("\xa0", " ").split())


def _span(value, default: int = 1) -> int:
    text = str(value or "").strip()
    m = re.match(r"\d+", text)
    n = int(m.group()) if m else default
    return n if n > 0 else default


# --- table-like elements: their cells as (element, colspan, rowspan) rows ---------

def _owner(tr):
    el = tr.getparent()
    while el is not None and el.tag != "table":
        el = el.getparent()
    return el


def _html_rows(table) -> list[list[tuple[object, int, int]]]:
    """Every table's spans are checked, chrome's too: one number says it is a bomb."""
    rows = []
    for tr in table.iter("tr"):
        if _owner(tr) is not table:
            continue
        row = [(td, _span(td.get("colspan")), _span(td.get("rowspan"))) for td in tr if _tag(td) in ("td", "th")]
        for td, colspan, _rowspan in row:
            check_span(colspan, "colspan", f"line {td.sourceline}")
        rows.append(row)
    return rows


def _cells(el, styles: css.Styles) -> list[list[tuple[object, int, int]]] | None:
    if el.tag == "table":
        return _html_rows(el)
    return styles.rows(el) if styles.rules or el.get("style") else None


class _Tabular:
    """One table-like element: its cell rows, whether it is a report table."""

    __slots__ = ("el", "rows", "labels", "numbers", "report", "layout")

    def __init__(self, el, rows, styles: css.Styles) -> None:
        self.el, self.rows = el, rows
        texts = [_own_text(c, styles) for row in rows for c, _cs, _rs in row]
        self.labels = sum(1 for t in texts if is_report_label(t))
        self.numbers = sum(1 for t in texts if is_number(t))
        self.report = self.labels >= 1 and self.numbers >= 1
        self.layout = False


def _expand(rows, t_index: int, budget: CellBudget, styles: css.Styles) -> list[list[tuple[str, str]]]:
    """Spans -> a grid of (text, locator): colspan fillers to the right, rowspan blanks below."""
    grid: list[list[tuple[str, str]]] = []
    starts: list[list[bool]] = []
    pending: set[tuple[int, int]] = set()  # (row, col) covered by a rowspan above
    n_rows = len(rows)
    for r, cells in enumerate(rows):
        row: list[tuple[str, str]] = []
        start: list[int] = []
        col = 0
        for td, span, rspan in cells:
            while (r, col) in pending:
                row.append(("", f"table {t_index} r{r + 1}c{col + 1}"))
                start.append(0)
                col += 1
            loc = f"table {t_index} r{r + 1}c{col + 1}"
            check_span(span, "colspan", loc)
            check_width(col + span, f"table {t_index} r{r + 1}")
            row.append((_own_text(td, styles), loc))
            row.extend(("", loc) for _ in range(span - 1))
            start.extend([span] + [0] * (span - 1))
            for dr in range(1, min(rspan, n_rows - r)):  # as browsers do: a rowspan ends with the table
                for dc in range(span):
                    pending.add((r + dr, col + dc))
            col += span
        while (r, col) in pending:
            row.append(("", f"table {t_index} r{r + 1}c{col + 1}"))
            start.append(0)
            col += 1
        budget.spend(len(row), f"table {t_index} r{r + 1}")
        grid.append(row)
        starts.append(start)
    return drop_spanned_columns(grid, starts)


class _PageReader:
    def __init__(self, root, source_path: str) -> None:
        self.b = DocumentBuilder(source_path, "html", "html-tables")
        self.blocks = 0
        self.tables = 0
        self.chrome_tables = 0
        self.budget = CellBudget()
        self.images: list[PageImage] = []
        self.section_tables: set[str | None] = set()
        self.styles = css.Styles(root)
        self.tabular: dict[object, _Tabular] = {}
        self.keep: set[object] = set()  # report tables and their ancestors: never dropped as chrome
        for el in root.iter():
            if not _tag(el):
                continue
            rows = _cells(el, self.styles)
            if rows is not None:
                self.tabular[el] = _Tabular(el, rows, self.styles)
        _drop_strays(self.tabular.values())
        for t in self.tabular.values():
            if not t.report:
                continue
            anc = t.el.getparent()
            while anc is not None:
                self.keep.add(anc)
                if anc in self.tabular:
                    self.tabular[anc].layout = True  # innermost report tables win
                anc = anc.getparent()
            self.keep.add(t.el)
        if not self.keep:
            # No report table at all: walk through every table, so that images and
            # div-drawn tables in it can be named in the reason the page gets.
            for t in self.tabular.values():
                t.layout = True

    def add_text(self, text: str) -> None:
        text = text.replace("\xa0", " ")
        if text.strip():
            self.blocks += 1
            self.b.text(text, f"block {self.blocks}")

    def walk(self, el) -> None:
        tag = _tag(el)
        if not tag or (el not in self.keep and (tag in _SKIP or _is_chrome(el))):
            return
        if tag == "img":
            self.image(el)
            return
        t = self.tabular.get(el)
        if t is not None:
            self.table(t)
            return
        if not any(_tag(d) in _BLOCK or d in self.tabular for d in el.iterdescendants()):
            # A paragraph with only inline markup (<b>25</b>件) is one text block.
            self.add_text(_own_text(el, self.styles))
            return
        if el.text:
            self.add_text(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.add_text(child.tail)

    def table(self, t: _Tabular) -> None:
        if t.layout:  # a frame around the content: its cells are body
            for row in t.rows:
                for cell, _cs, _rs in row:
                    self.walk(cell)
            return
        if not t.report:
            self.chrome_tables += 1  # navigation, calendar, counter: no report label and number
            return
        self.tables += 1
        locator = f"table {self.tables}"
        warning = too_many_rows(len(t.rows), locator)
        if warning:
            self.b.doc.warnings.append(warning)
            return
        self.section_tables.add(self.b.section)
        self.b.table(_expand(t.rows, self.tables, self.budget, self.styles), locator)

    def image(self, el) -> None:
        src = (el.get("data-src") or el.get("data-original") or el.get("src") or "").strip()
        inline = src.startswith("data:")
        name = ("(inline image)" if inline else PurePosixPath(src.split("?")[0]).name) or el.get("alt") or "(no src)"
        self.images.append(PageImage(self.b.section, name[:80], src if inline else src_key(src), len(self.b.doc.items)))


def _drop_strays(tables) -> None:
    """A table with only a label or two and a number (a sidebar's '行政许可 | 1234' widget)
    counts only inside the part of the page that holds the unmistakable report tables
    (three labels or more): their lowest common ancestor; on a page without one, nowhere."""
    tables = list(tables)
    strong = [t.el for t in tables if t.report and t.labels >= 3]
    if not strong:  # no report table at all: a widget alone is never one
        for t in tables:
            t.report = False
        return
    common = None
    for anc in strong[0].iterancestors():
        if all(any(a is anc for a in el.iterancestors()) for el in strong[1:]):
            common = anc
            break
    if common is None:
        return
    for t in tables:
        if t.report and t.labels < 3 and not any(a is common for a in t.el.iterancestors()):
            t.report = False


def _is_chrome(el) -> bool:
    names = f"{el.get('id') or ''} {el.get('class') or ''}"
    return bool(names.strip()) and bool(_CHROME.search(names))


def _trim_before_title(doc: Document) -> None:
    """Drop page text (breadcrumbs, banners) ahead of the report's title line."""
    for i, item in enumerate(doc.items):
        if isinstance(item, Table) or section_of(item.text):
            return  # the title is before the first table and the first section heading
        if i and _TITLE.search(item.text):
            above = doc.items[i - 1].text
            # A title broken after the body's name ('保定市徐水区人民政府办公室' / '2024年…报告').
            if len(above) <= 30 and not re.search(r"[>|:：/»›]|首页|位置", above):
                i -= 1
            del doc.items[:i]
            return


def _flattened_div_table(doc: Document) -> bool:
    """Report labels and numbers as separate text blocks: a table drawn with <div>s."""
    blocks = [b.text for b in doc.items if isinstance(b, TextBlock)]
    labels = sum(1 for t in blocks if is_report_label(t))
    numbers = sum(1 for t in blocks if is_number(t))
    return labels >= 3 and numbers >= 3


def _ocr_images(r: _PageReader, bundled: dict[str, bytes]) -> set[str | None]:
    """OCR the images that stand where a table is missing; the sections they filled."""
    doc = r.b.doc
    chosen = [i for i in to_read(r.images, r.section_tables, bool(doc.tables)) if image_bytes(i, bundled)]
    if not chosen or not ocr.available():
        return set()
    read = read_images(doc, chosen, bundled)
    if read:
        doc.layout += "+ocr"
    return {i.section for i in read}


def _not_read_because(bundled: dict[str, bytes]) -> str:
    if not ocr.available():
        return ocr.OCR_ADVICE if os.environ.get("OGI_OCR") != "off" else "OCR is off (--no-ocr)"
    return "the image file is not beside the page in the raw folder" if not bundled else "OCR read no table in it"


def _images_and_divs(r: _PageReader, bundled: dict[str, bytes], ocr_filled: set[str | None]) -> None:
    doc = r.b.doc
    content = [(i.section, i.name) for i in r.images if i.section is not None]  # after the first heading: no logo
    if not doc.tables:
        if content:
            names = ", ".join(n for _s, n in content[:6])
            raise ReportError(f"the report's tables are images ({names}): no text to read; "
                              f"{_not_read_because(bundled)}")
        if _flattened_div_table(doc):
            raise ReportError("the report's tables are built of <div>s without an explicit grid (no display:table "
                              "or grid-template-columns with a column count): columns cannot be told; not read")
        return
    for section in ("t1", "t2", "t3"):
        names = [n for s, n in content if s == section]
        if names and section not in r.section_tables and section not in ocr_filled:
            doc.warnings.append(f"{section}: the table is an image ({', '.join(names[:4])}), not read; "
                                f"no numbers taken from it ({_not_read_because(bundled)})")
    if _flattened_div_table(doc):
        doc.warnings.append("a table built of <div>s without an explicit grid (no display:table or "
                            "grid-template-columns with a column count): not read")


def read_html(data: bytes, source_path: str) -> Document:
    import lxml.html

    data, bundled = unpack(data)
    try:
        root = lxml.html.document_fromstring(_decode(data))
    except Exception as exc:
        raise ReportError(f"unreadable HTML: {exc}") from None
    body = root.find("body")
    r = _PageReader(root, source_path)
    r.walk(body if body is not None else root)
    filled = _ocr_images(r, bundled)
    _trim_before_title(r.b.doc)
    _images_and_divs(r, bundled, filled)
    return r.b.doc
