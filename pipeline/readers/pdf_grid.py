"""Joining a table's page fragments: repeated header rows, rows cut by the page break.

pdfplumber returns a table that runs over a page break as one table per page,
nothing linking them. When a page's first fragment continues the previous page's
table:

- header rows printed again on the new page (Word's "repeat header rows", or a
  table the author split and gave a copy of the header) are dropped, whatever the
  fragment's column count;
- a first row that has label text only and no value (the tail of a label the page
  break cut: values with the label's first lines on page N, ``明确`` alone on page
  N+1) is appended to the previous row's label.
"""

from __future__ import annotations

import re

from .. import template as tpl
from ..model import Cell, Table
from ..values import is_value
from .pdf_borderless import starts_new_row

Grid = list[list[tuple[str, str]]]

# A caption between the two halves of a table the author split: 续表, （续上表）, 续表1：
CONTINUED = re.compile(r"^[（(]?\s*续\s*(?:上\s*)?表\s*\d*\s*[)）]?\s*[：:]?$")


def _key(texts) -> str:
    return "".join("".join(t.split()) for t in texts)


def _numeric(texts) -> bool:
    return any(t and is_value(t.strip()) for t in texts)


def header_keys(rows: list[list[Cell]]) -> tuple[set[str], str]:
    """Keys of the rows above a table's first row of values, one per row and all together."""
    keys, block = set(), []
    for row in rows:
        texts = [c.text for c in row]
        if _numeric(texts):
            break
        keys.add(_key(texts))
        block.append(_key(texts))
    keys.discard("")
    return keys, "".join(block)


def _is_label_of_its_own(text: str) -> bool:
    """A label that opens a row of its own ('四、…', '3.…'), a template label or
    header ('信息内容', '第二十条第（五）项'): not the tail of a cut label."""
    return starts_new_row(text) or _is_whole_label(text)


def _is_whole_label(text: str) -> bool:
    key = tpl.strip_numbering(tpl.normalize(text))
    return bool(tpl.ARTICLE_REF.match(key)) or any(key in labels for labels in tpl.label_index().values())


def _label_index(row: list[Cell]) -> int | None:
    """The row's last label cell: the last text cell before its first value."""
    last = None
    for i, c in enumerate(row):
        if not c.text:
            continue
        if is_value(c.text):
            break
        last = i
    return last


def continue_table(last: Table, grid: Grid) -> Grid:
    """The rows of `grid` that extend `last` (a fragment on the next page): repeated
    header rows dropped, a cut label's tail joined to the row it belongs to."""
    keys, block = header_keys(last.rows)
    rows = [r for r in grid if any(t.strip() for t, _ in r)]
    lead = 0
    while lead < len(rows) and not _numeric(t for t, _ in rows[lead]):
        lead += 1
    if keys and lead:
        lead_keys = [_key(t for t, _ in r) for r in rows[:lead]]
        drop = 0
        if "".join(lead_keys) == block:
            drop = lead  # the whole header again, maybe in another column layout
        else:
            while drop < lead and lead_keys[drop] in keys:
                drop += 1
        rows = rows[drop:]
    if rows and len(last.rows) > 1 and _numeric(t for t, _ in rows[0]):
        _join_head(last, rows[0], keys)
    if rows and last.rows and not _numeric(t for t, _ in rows[0]):
        texts = [t.strip() for t, _ in rows[0] if t.strip()]
        prev = last.rows[-1]
        i = _label_index(prev)
        if texts and i is not None and _numeric(c.text for c in prev) and not _is_label_of_its_own(texts[-1]) \
                and _key(texts) not in keys:
            prev[i] = Cell(prev[i].text + texts[-1], prev[i].locator)
            rows = rows[1:]
    return rows


def _join_head(last: Table, first: list[tuple[str, str]], keys: set[str]) -> None:
    """The other way a break cuts a row: the label's first lines alone at the foot of
    page N, the rest of the label with the values on page N+1. The label-only row is
    taken out and its text put before the continuing label."""
    prev = last.rows[-1]
    texts = [c.text for c in prev if c.text]
    if not texts or _numeric(texts) or _key(texts) in keys or _is_whole_label(texts[-1]):
        return
    i = next((j for j, (t, _) in enumerate(first) if t.strip() and not is_value(t.strip())), None)
    if i is None or is_value(first[i][0].strip()) or _is_label_of_its_own(first[i][0].strip()):
        return
    if any(t.strip() and is_value(t.strip()) for t, _ in first[:i]):
        return  # values before the label: not a row this can join
    first[i] = (texts[-1] + first[i][0].strip(), first[i][1])
    last.rows.pop()
