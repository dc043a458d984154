"""docs/data-dictionary.md, generated from the template module and the schema.

Column meanings live in ``data/columns.csv``; template column codes (issued,
natural_person, upheld, ...) take their Chinese labels from pipeline/template.py.
`ogi dictionary` rewrites the file; a test fails when it is stale or when a
column has no description.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import duckdb

from . import template as tpl
from .warehouse import create_views, sql

TABLE_DOCS = {
    "reports": "one row per report file loaded (every copy and version; status says which one counts)",
    "parsed_metadata": "one row per report: its metadata as the parser read it, before the sidecar manifest",
    "bodies": "one row per body (division x canonical name); rebuilt after every ingest",
    "sidecar": "one row per sidecar manifest row applied in the last run",
    "facts": "one row per printed cell of t1, t2, t3",
    "narrative_facts": "figures stated in 一、总体情况, with their sentence",
    "dim_cells": "every template cell with its Chinese labels and printed order",
    "parse_warnings": "what the parser could not place or had to guess",
    "quarantine": "files that could not be loaded, with the reason",
    "files": "what incremental runs know of each file",
    "ingest_runs": "one row per ingest run",
    "schema_info": "the schema version the warehouse was created at or migrated to, one row each",
    "check_results": "the latest validation: one row per report x check",
    "v_facts": "one row per fact of every report (duplicates and superseded versions too: join reports "
              "and keep status = 'active' to count), with place and cell labels",
    "v_t1": "t1 wide: one row per active report x row",
    "v_t2": "t2 wide: one row per active report x row, applicant columns as SQL columns",
    "v_t3": "t3 wide: one row per active report x row (review, litigation_direct, litigation_after_review)",
    "v_report_summary": "one row per active report = per body-year: the measures analysts compare",
    "v_rollup_year": "one row per grain (province / city / division) x division code x year: active reports summed, "
                     "rates from the sums",
    "v_jurisdiction_year": "one row per division code x year (a county, or a city's or province's own bodies; "
                           "unresolved reports under NULL)",
    "v_city_year": "one row per prefecture-level city x year, in GB/T 2260 order",
    "v_province_year": "one row per province x year, in GB/T 2260 order",
    "v_rollup_yoy": "one row per grain x division code x year, beside the previous year's",
    "v_body_yoy": "one row per active report: its body's (body_id) measures beside the previous year's",
    "v_rankings": "one row per active report x rank_scope (national / province / city): rank and percentile of its "
                  "rates; below the minimum denominator not ranked",
    "v_missing_reports": "one row per body x year it did not report, having reported the year before",
}


CONVENTIONS = """## Conventions

- **Grain.** Each table and view below says what one row is. The analyst's unit is the
  body-year: `v_report_summary` and every view built on it read *active* reports only
  (`reports.status = 'active'`, one per body and year); `reports`, `facts` and `v_facts` keep
  every report, duplicates and superseded versions included.
- **Duplicates and versions** (`sql/resolve_versions.sql`, after every run, independent of ingest
  order). Same body (`body_id`), year, template version, `published_on` and facts: one report in
  several files; the first by format (txt, html, docx, other, pdf), then path, stays, the others are
  `duplicate` (`duplicate_of`). Different facts: versions, ordered by `published_on` when all print
  one, else by file mtime; the latest is `active`, the earlier `superseded` (`superseded_by` = the
  next later). A tie for latest keeps both active and fails `integrity.one_report_per_body_year`.
- **NULL.** A fact's `value` is NULL when the cell was printed blank, `—`, `/` or `无` (not 0).
  `body` is NULL when the document prints no body (never made up); `body_id` is NULL when the body
  or its division cannot be resolved (with a `parse_warnings` row); `division_code` is NULL when the
  place is unknown or ambiguous. A rate is NULL when its denominator is 0 or unknown; a rank is NULL
  when its denominator is below the minimum (`ranking_min_handled()` = 20,
  `ranking_min_review_cases()` = 10). Sums skip NULLs.
"""


def column_docs() -> dict[str, dict[str, str]]:
    docs: dict[str, dict[str, str]] = {}
    with (resources.files("pipeline") / "data" / "columns.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            docs[row["column"]] = row
    labels = {**tpl.T1_COLS_2019, **tpl.T1_COLS_2021, **tpl.T2_COLS, **tpl.T3_COLS}
    for code, label in labels.items():
        docs.setdefault(code, {"column": code, "meaning": f"template column {code}", "unit": "count", "label_zh": label})
    docs["amount_10k_yuan"]["unit"] = "万元"
    return docs


def schema_columns() -> list[tuple[str, str, str, str]]:
    """(object, kind, column, type) for every table and view, from a scratch database."""
    con = duckdb.connect()
    con.execute(sql("schema.sql"))
    create_views(con)
    rows = con.execute(sql("dictionary_columns.sql")).fetchall()
    con.close()
    return rows


def render() -> str:
    docs = column_docs()
    out = ["# Data dictionary", "",
           "Generated by `ogi dictionary` from `pipeline/template.py`, `pipeline/data/columns.csv` and `sql/`.",
           "Do not edit by hand.", "", CONVENTIONS]
    current = None
    for obj, kind, col, typ in schema_columns():
        if obj != current:
            current = obj
            out += ["", f"## `{obj}` ({kind})", "", TABLE_DOCS.get(obj, ""), "",
                    "| column | type | meaning | unit | 中文 |", "|---|---|---|---|---|"]
        d = docs.get(col, {})
        out.append(f"| `{col}` | {typ} | {d.get('meaning', '')} | {d.get('unit', '')} | {d.get('label_zh', '')} |")
    out += ["", "## Template cells (`dim_cells`)", ""]
    for version in tpl.TEMPLATE_VERSIONS:
        out += [f"### {version} format", "", "| table | row | col | row label | column label |", "|---|---|---|---|---|"]
        out += [f"| {c.table_code} | `{c.row_code}` | `{c.col_code}` | {c.row_label_zh} | {c.col_label_zh} |"
                for c in tpl.cells(version)]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def undocumented() -> list[str]:
    docs = column_docs()
    return sorted({f"{obj}.{col}" for obj, _k, col, _t in schema_columns() if col not in docs}
                  | {obj for obj, *_ in schema_columns() if obj not in TABLE_DOCS})


def write_dictionary(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    return path
