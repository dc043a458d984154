"""Does a cell's text look like part of a report table? For readers that must tell the
report's own tables from page chrome (navigation, calendars, counters) by content.

Reads the template's label index (pipeline.template: data, no format library), so a
label variant added there is recognised here too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .. import template as tpl

_NUMBER = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?\s*(?:万元|元|件|个|项|条|%)?$")


@lru_cache(maxsize=65536)
def is_report_label(text: str) -> bool:
    """A row, group or header label of t1/t2/t3 (4+ characters: '总计' or '其他' alone say nothing)."""
    if not text or len(text) > 80:
        return False
    norm = tpl.normalize(text)
    if tpl.ARTICLE_REF.match(norm):
        return True
    key = tpl.strip_numbering(norm)
    if len(key) < 4:
        return False
    index = tpl.label_index()
    return any(key in index[t] for t in tpl.TABLES)


def is_number(text: str) -> bool:
    return bool(text) and len(text) <= 24 and bool(_NUMBER.match(text.strip()))
