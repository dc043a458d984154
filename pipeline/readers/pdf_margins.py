"""Running headers and footers: recognised by position and shape, and left out.

Word prints page numbers (``- 3 -``, ``第3页 共5页``) and a running title in the
margins; a browser's "print to PDF" prints the date and time and the page title at
the top and the URL and a ``1/5`` counter at the foot of every page. None of it is
report text, and between two fragments of a table it would stop the second from
continuing the first. A line in the top or bottom margin band is left out when it
has such a shape (a page counter, a date or time, a URL), or when the same line
(digits aside) stands in the same band on another page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

BAND = 0.085  # of the page height: the top and bottom margin bands
_SHAPE = re.compile(
    r"^(?:第?#页(?:[/,，]?共#页)?|[-—–]?#[-—–]?|#/#|page#(?:of#)?|#of#)$", re.IGNORECASE)
_STAMP = re.compile(r"\d{4}[/\-.]\d{1,2}[/\-.]\d{1,2}|\b\d{1,2}:\d{2}\b|https?://|file:/|www\.|\.s?html?\b")


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", "".join(text.split()))


def _band_lines(page) -> list[tuple[str, float, float, str]]:
    """(band, top, bottom, text) of the text lines in a page's margin bands."""
    height = page.width if page.rotation in (90, 270) else page.height
    lo, hi = BAND * height, (1 - BAND) * height
    rows: dict[int, list[dict]] = {}
    for c in page.chars:
        if c["bottom"] <= lo or c["top"] >= hi:
            rows.setdefault(round(c["top"]), []).append(c)
    out = []
    for top in sorted(rows):
        chars = sorted(rows[top], key=lambda c: c["x0"])
        text = "".join(c["text"] for c in chars)
        band = "top" if chars[0]["bottom"] <= lo else "bottom"
        out.append((band, min(c["top"] for c in chars) - 0.5, max(c["bottom"] for c in chars) + 0.5, text))
    return out


class MarginFilter:
    def __init__(self, pages) -> None:
        bands = [_band_lines(p) for p in pages]
        seen = Counter((band, _key(text)) for lines in bands for band, _t, _b, text in set(lines))
        many = len(pages) > 1
        self.drop: list[list[tuple[float, float]]] = []
        for lines in bands:
            out = []
            for band, top, bottom, text in lines:
                key = _key(text)
                if _SHAPE.match(key) or _STAMP.search(text) or (many and seen[(band, key)] > 1 and key):
                    out.append((top, bottom))
            self.drop.append(out)

    def keep_for(self, index: int) -> Callable[[dict], bool] | None:
        """The page's filter (True: keep the object), or None when nothing is dropped."""
        drop = self.drop[index]
        if not drop:
            return None

        def keep(obj: dict) -> bool:
            y = (obj["top"] + obj["bottom"]) / 2
            return not any(top <= y <= bottom for top, bottom in drop)

        return keep
