"""Parsing as one pure function: a file's bytes -> its facts, metadata, warnings.

No shared state and a picklable result, so the same function runs in a local
process pool today and under a cluster engine (Ray, Dask) tomorrow.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

import pipeline

from . import metadata, narrative
from .mapper import map_document
from .model import Fact, ReportError
from .narrative import NarrativeFact
from .readers import file_format, read_document


@dataclass
class ParsedReport:
    report_id: str  # SHA-256 of the bytes
    source_path: str
    file_format: str
    parser_version: str = field(default_factory=lambda: pipeline.PARSER_VERSION)
    layout: str | None = None
    template_version: str | None = None
    year: int | None = None
    body: str | None = None  # as printed in the document, or None (never made up)
    body_source: str | None = None  # title | signature | source_line | text | inferred
    province: str | None = None
    city: str | None = None
    county: str | None = None
    division_code: str | None = None
    published_on: date | None = None
    facts: list[Fact] | None = None
    narrative: list[NarrativeFact] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (stage, message)
    # OCR'd reports: the recognition score of each fact's cell, by locator (empty for text layers).
    cell_confidence: dict[str, float] = field(default_factory=dict)
    error: str | None = None  # the quarantine reason when the file is not a report
    facts_fp: str | None = None  # facts_fingerprint(facts): same report in another file or format

    @property
    def ok(self) -> bool:
        return self.error is None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def facts_fingerprint(facts: list[Fact]) -> str:
    """MD5 of every cell's code and value in code order; the same text as
    sql/resolve_versions.sql builds for reports loaded without one (values as DECIMAL(24,6))."""
    cells = sorted((f.table_code, f.row_code, f.col_code, f.value) for f in facts)
    text = ";".join(f"{t}.{r}.{c}=" + ("-" if v is None else f"{v:.6f}") for t, r, c, v in cells)
    return hashlib.md5(text.encode()).hexdigest()


def parse_bytes(data: bytes, source_path: str) -> ParsedReport:
    """Parse one file. Never raises for bad input: the reason goes in ``error``."""
    report = ParsedReport(sha256(data), source_path, file_format(source_path))
    try:
        doc = read_document(data, source_path)
        report.layout = doc.layout
        mapped = map_document(doc)
    except ReportError as exc:
        report.error = str(exc)
        return report
    except Exception as exc:  # a reader bug must cost one file, not the run
        report.error = f"parser error ({type(exc).__name__}: {exc})"
        return report
    report.template_version = mapped.template_version
    report.facts = mapped.facts
    if doc.cell_confidence:
        report.cell_confidence = {f.locator: doc.cell_confidence[f.locator]
                                  for f in mapped.facts if f.locator in doc.cell_confidence}
    report.facts_fp = facts_fingerprint(mapped.facts)
    report.warnings.extend(("map", w) for w in mapped.warnings)
    meta = metadata.extract(doc)
    for name in ("year", "body", "body_source", "province", "city", "county", "division_code", "published_on"):
        setattr(report, name, getattr(meta, name))
    report.warnings.extend(("metadata", w) for w in meta.warnings)
    report.narrative = narrative.extract(doc)
    return report
