"""Body identities: which government body a report belongs to, stable across runs.

A body is a division (GB/T 2260 code, from pipeline/divisions.py) and a name
within it. The name is folded and rewritten by the rules in
``data/body_names.csv`` (traditional -> simplified, full-width, 区政府办公室 =
区人民政府办公室, ...), its leading place names (current or former, through
``data/division_aliases.csv``) are dropped and the division's own names put back,
so 韶关市武江区人民政府办公室, 武江区政府办公室 and 武江区人民政府辦公室 are one body:

    body_id = '440203:韶关市武江区人民政府办公室'

The id is made of the code and the canonical name only, never a row number, so
re-running, re-parsing or ingesting in another order gives the same ids. A body
with no resolved division, or no printed name, gets no id (and a warning): a
name alone (太平镇人民政府) is shared by dozens of places.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from . import divisions

_PINYIN = re.compile(r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]+\)")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def fold_script(text: str) -> str:
    """Traditional characters to simplified, nothing else (lengths are kept)."""
    if all(ord(ch) < 0x2E80 for ch in text):
        return text
    return _t2s().convert(text)


_FOLDS: dict[str, Callable[[str], str]] = {
    "nfkc": lambda s: unicodedata.normalize("NFKC", s),
    "t2s": lambda s: _t2s().convert(s),
    "space": lambda s: "".join(s.split()),
    "pinyin": lambda s: _PINYIN.sub("", s),
}


@lru_cache(maxsize=1)
def _rules() -> tuple[list[Callable[[str], str]], list[tuple[re.Pattern[str], str]]]:
    folds, rewrites = [], []
    with (resources.files("pipeline") / "data" / "body_names.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["kind"] == "fold":
                folds.append(_FOLDS[row["pattern"]])  # an unknown fold is a KeyError at load: a typo fails loudly
            elif row["kind"] == "regex":
                rewrites.append((re.compile(row["pattern"]), row["replacement"] or ""))
            else:
                raise ValueError(f"body_names.csv: unknown rule kind {row['kind']!r}")
    return folds, rewrites


@lru_cache(maxsize=65536)
def normalise_text(text: str) -> str:
    """The fold rules of body_names.csv (NFKC, t2s, no white space, no pinyin): the
    form in which a printed body is compared with its document."""
    for fold in _rules()[0]:
        text = fold(text)
    return text


def normalise_name(name: str) -> str:
    """A body name folded and rewritten by every rule of body_names.csv, in order."""
    s = normalise_text(name)
    for pattern, replacement in _rules()[1]:
        s = pattern.sub(replacement, s)
    return s


@dataclass(frozen=True)
class Body:
    body_id: str
    name: str  # canonical: the division's own names + the body's name within it
    division_code: str
    province: str
    city: str | None
    county: str | None
    level: str  # province | city | county | township
    body_type: str  # government | government office | department | township | subdistrict | other


_TOWNSHIP = re.compile(r"(.{1,12}?(?:镇|乡|苏木|街道))(?:人民政府|办事处)")
_GENERIC_LEVEL = {"province": "省", "city": "市", "county": "区县市旗"}
_DEPARTMENT = re.compile(r"(?:局|委员会|委|厅|办公室|办|中心|署|院|所|处|站|队|会)$")


@lru_cache(maxsize=4096)
def _place_names(d: divisions.Division) -> tuple[str, ...]:
    """Every name of the division and the divisions above it, longest first."""
    names = [n for code in {d.code, d.code[:4] + "00", d.code[:2] + "0000"} for n in divisions.names_of(code)]
    return tuple(sorted({p for p in names + [d.province, d.city or "", d.county or ""] if p}, key=len, reverse=True))


def _local_name(name: str, d: divisions.Division) -> str:
    """The name with its leading place names (province, city, county; current or former) dropped."""
    prefixes = _place_names(d)
    stripped = True
    while stripped:
        stripped = False
        for p in prefixes:
            if name.startswith(p):
                name, stripped = name[len(p):], True
                break
    if name and name[0] in _GENERIC_LEVEL[d.level] and len(name) > 2:
        name = name[1:]  # '区统计局' printed in a 区's report: the district's own 统计局
    return name


def _classify(local: str, d: divisions.Division) -> tuple[str, str]:
    if local == "人民政府":
        return d.level, "government"
    if local in ("人民政府办公室", "人民政府办公厅"):
        return d.level, "government office"
    town = _TOWNSHIP.fullmatch(local)
    if town:
        return "township", "subdistrict" if town[1].endswith("街道") else "township"
    if _DEPARTMENT.search(local):
        return d.level, "department"
    return d.level, "other"


def _prefix(d: divisions.Division) -> str:
    if d.level == "province":
        return d.province
    if d.level == "city":
        return d.city or d.province
    return (d.city if d.city and d.city != d.province else d.province) + (d.county or "")


def identify(body: str | None, division_code: str | None) -> tuple[Body | None, str | None]:
    """The body a report's printed name and division stand for, or (None, why not)."""
    if not body:
        return None, "no issuing body printed: body_id left NULL"
    d = divisions.by_code(division_code)
    if d is None:
        return None, f"body '{body}' has no resolved division (place unknown or ambiguous): body_id left NULL"
    local = _local_name(normalise_name(body), d)
    other = divisions.leading_name(local)
    if other:
        return None, (f"body '{body}' names {other}, not its division {d.code} "
                      f"({_prefix(d)}): body_id left NULL")
    if not local:
        local = "人民政府"  # a bare place name: the place's people's government (body_source says 'inferred')
    local = normalise_name(local)
    level, body_type = _classify(local, d)
    if level == "township" and d.level != "county":
        return None, f"township body '{body}' has no resolved county (only {d.province}{d.city or ''}): body_id left NULL"
    name = _prefix(d) + local
    return Body(f"{d.code}:{name}", name, d.code, d.province, d.city, d.county, level, body_type), None


# --- after every ingest: sidecar, bodies, versions ------------------------------------

_BODY_COLUMNS = ("body_id", "name", "division_code", "province", "city", "county", "level", "body_type")
_SIDECAR_SCHEMA = [
    ("report_id", "string"), ("manifest", "string"), ("line", "int32"), ("source_path", "string"),
    ("source_url", "string"), ("body", "string"), ("division_code", "string"), ("province", "string"),
    ("city", "string"), ("county", "string"), ("year", "int32"), ("published_on", "date32"),
]


def _arrow(rows: list[dict], schema: list[tuple[str, str]]):
    import pyarrow as pa

    s = pa.schema([(name, getattr(pa, typ)()) for name, typ in schema])
    return pa.Table.from_pylist(rows, schema=s)


def _sidecar_frames(con, roots) -> tuple[list[dict], list[dict]]:
    import os

    from . import sidecar
    from .warehouse import sql

    rows, problems = sidecar.read_manifests(roots)
    warnings = [{"report_id": None, "source_path": m, "stage": "sidecar", "message": msg} for m, msg in problems]
    if not rows:
        return [], warnings
    by_path = {os.path.normpath(os.path.abspath(p)): rid for p, rid in con.execute(sql("report_paths.sql")).fetchall()}
    out = []
    for row in rows:
        rid = by_path.get(row.source_path)
        if rid is None:
            warnings.append({"report_id": None, "source_path": row.manifest, "stage": "sidecar",
                             "message": f"{row.manifest} line {row.line}: no loaded report at {row.source_path}; row not applied"})
            continue
        code = row.division_code
        if code is None and row.body:
            res = divisions.resolve(fold_script(row.body))
            code = res.division.code if res.division else None
            if res.warning:
                warnings.append({"report_id": rid, "source_path": row.manifest, "stage": "sidecar",
                                 "message": f"{row.manifest} line {row.line}: {res.warning}; the parsed division is kept"})
        d = divisions.by_code(code)
        out.append({"report_id": rid, "manifest": row.manifest, "line": row.line, "source_path": row.source_path,
                    "source_url": row.source_url, "body": row.body, "division_code": d.code if d else None,
                    "province": d.province if d else None, "city": d.city if d else None,
                    "county": d.county if d else None, "year": row.year, "published_on": row.published_on})
    return out, warnings


def _links(candidates) -> tuple[list[dict], list[dict]]:
    links, bodies = [], {}
    for body, code in candidates:
        found, why = identify(body, code)
        links.append({"body": body, "division_code": code, "body_id": found.body_id if found else None, "warning": why})
        if found:
            bodies[found.body_id] = {k: getattr(found, k) for k in _BODY_COLUMNS}
    return links, [bodies[k] for k in sorted(bodies)]


def resolve_warehouse(con, roots) -> list[str]:
    """After an ingest: apply the sidecar manifests under ``roots``, link every report to
    its body, and decide which report of each body-year is active, in one transaction.
    Returns the sidecar warnings (also in parse_warnings, stage 'sidecar')."""
    import logging

    from .warehouse import sql

    sidecar_rows, warnings = _sidecar_frames(con, roots)
    frames = {"incoming_sidecar": _arrow(sidecar_rows, _SIDECAR_SCHEMA),
              "incoming_sidecar_warnings": _arrow(warnings, [(c, "string") for c in
                                                             ("report_id", "source_path", "stage", "message")])}
    con.begin()
    try:
        for name, table in frames.items():
            con.register(name, table)
        con.execute(sql("apply_sidecar.sql"))
        links, bodies = _links(con.execute(sql("body_candidates.sql")).fetchall())
        frames["incoming_body_links"] = _arrow(links, [(c, "string") for c in ("body", "division_code", "body_id", "warning")])
        frames["incoming_bodies"] = _arrow(bodies, [(c, "string") for c in _BODY_COLUMNS])
        for name in ("incoming_body_links", "incoming_bodies"):
            con.register(name, frames[name])
        con.execute(sql("link_bodies.sql"))
        con.execute(sql("resolve_versions.sql"))
        con.commit()
    except BaseException:
        con.rollback()
        raise
    finally:
        for name in frames:
            try:
                con.unregister(name)
            except Exception:  # noqa: BLE001 - never registered when an earlier step failed
                pass
    log = logging.getLogger("ogi")
    for w in warnings:
        log.warning("sidecar: %s", w["message"])
    return [w["message"] for w in warnings]
