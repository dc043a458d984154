"""What a table cell's text means as a number.

Blank, "—", "/" and "无" are *missing* (NULL), kept apart from a real 0.
A whole number is an ``int``; a number with a fraction an exact ``Decimal``, never a
float (75394432.52元 is 7539.443252 万元, not 7539.4433).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

MISSING_MARKS = frozenset({"", "—", "——", "-", "--", "－", "/", "／", "无", "\\", "、", "…", "─"})

_NUMBER = re.compile(
    r"^(?P<sign>[+\-]|增|减|增加|减少)?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    r"(?P<unit>万元|元|件|条|个|项|次)?$"
)


@dataclass(frozen=True, slots=True)
class Parsed:
    value: int | Decimal | None
    unit: str | None = None


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@lru_cache(maxsize=65536)  # cells repeat ('0', '1', …): parsing each once is the hot path
def parse_value(text: str) -> Parsed | None:
    """A Parsed value (value None for a missing mark), or None if not a number cell."""
    s = _fold(text)
    if s in MISSING_MARKS:
        return Parsed(None)
    m = _NUMBER.match(s)
    if not m:
        return None
    digits = m["int"].replace(",", "")
    # Decimal only for fractions: most cells are counts, and an int is cheaper to build and load.
    number: int | Decimal = Decimal(digits + m["frac"]) if m["frac"] else int(digits)
    if m["sign"] in ("-", "减", "减少"):
        number = -number
    return Parsed(number, m["unit"])


def is_value(text: str) -> bool:
    return parse_value(text) is not None


_TRAILING_NUMBERS = re.compile(r"^(?P<head>.*?)(?P<nums>(?:\s+[+\-]?\d[\d,]*(?:\.\d+)?)+)\s*$")


def split_spaced_numbers(line: str) -> list[str]:
    """Split 'label 1 2 3' (PDF text layer) into ['label', '1', '2', '3'].

    A line of only numbers gives only numbers; a line without trailing numbers
    is one cell.
    """
    s = line.strip()
    if not s:
        return []
    if len(s.split(None, 1)) == 1:
        return [s]  # no white space inside: one cell, the usual line of one-cell-per-line text
    m = _TRAILING_NUMBERS.match(" " + s)
    if not m:
        return [s]
    head = m["head"].strip()
    nums = m["nums"].split()
    if head and not nums:
        return [head]
    return ([head] if head else []) + nums
