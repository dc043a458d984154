"""HTML reports: the report body inside a full government web page.

Scripts, styles, navigation and footers are dropped; tables are expanded to a
grid (colspan -> text once plus empty fillers, rowspan -> empty cells below),
as the text reader's tab layout would show them. The page's own meta charset
decides its encoding (GBK/GB2312 read as GB18030).
"""

from __future__ import annotations

import re

from ..encoding import decode_bytes
from ..model import Document, ReportError
from .sections import DocumentBuilder

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_SKIP = {"script", "style", "nav", "header", "footer", "noscript", "iframe", "select", "button", "form"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "main",
          "center", "blockquote", "pre", "ul", "ol", "dl", "dd", "dt", "body", "table", "br", "hr"}


def _decode(data: bytes) -> str:
    m = _CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii").lower()
        if name in ("gbk", "gb2312", "gb_2312-80", "x-gbk"):
            name = "gb18030"
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data)[0]


def _cell_text(el) -> str:
    return " ".join(el.text_content().replace("\xa0", " ").split())


def _grid(table, t_index: int) -> list[list[tuple[str, str]]]:
    grid: list[list[tuple[str, str]]] = []
    pending: dict[tuple[int, int], int] = {}  # (row, col) covered by a rowspan above
    rows = [tr for tr in table.iter("tr") if tr.getparent() is not None and _owner(tr) is table]
    for r, tr in enumerate(rows):
        row: list[tuple[str, str]] = []
        col = 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while (r, col) in pending:
                row.append(("", f"table {t_index} r{r + 1}c{col + 1}"))
                col += 1
            span = int(td.get("colspan", "1") or 1) if str(td.get("colspan", "1")).isdigit() else 1
            rspan = int(td.get("rowspan", "1") or 1) if str(td.get("rowspan", "1")).isdigit() else 1
            loc = f"table {t_index} r{r + 1}c{col + 1}"
            row.append((_cell_text(td), loc))
            row.extend(("", loc) for _ in range(span - 1))
            for dr in range(1, min(rspan, 500)):
                for dc in range(span):
                    pending[(r + dr, col + dc)] = 1
            col += span
        while (r, col) in pending:
            row.append(("", f"table {t_index} r{r + 1}c{col + 1}"))
            col += 1
        grid.append(row)
    return grid


def _owner(tr):
    el = tr.getparent()
    while el is not None and el.tag != "table":
        el = el.getparent()
    return el


def read_html(data: bytes, source_path: str) -> Document:
    import lxml.html

    try:
        root = lxml.html.document_fromstring(_decode(data))
    except Exception as exc:
        raise ReportError(f"unreadable HTML: {exc}") from None
    b = DocumentBuilder(source_path, "html", "html-tables")
    counter = {"table": 0, "block": 0}

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP:
            return
        if tag == "table":
            counter["table"] += 1
            b.table(_grid(el, counter["table"]), f"table {counter['table']}")
            return
        if not any(isinstance(d.tag, str) and d.tag in _BLOCK for d in el.iterdescendants()):
            # A paragraph with only inline markup (<b>25</b>件) is one text block.
            text = el.text_content().replace("\xa0", " ").strip()
            if text:
                counter["block"] += 1
                b.text(text, f"block {counter['block']}")
            return
        if el.text and el.text.strip():
            counter["block"] += 1
            b.text(el.text.replace("\xa0", " "), f"block {counter['block']}")
        for child in el:
            walk(child)
            if child.tail and child.tail.strip():
                counter["block"] += 1
                b.text(child.tail.replace("\xa0", " "), f"block {counter['block']}")

    body = root.find("body")
    walk(body if body is not None else root)
    return b.doc
