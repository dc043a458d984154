"""Expectation suites: frames computed in DuckDB, validated by Great Expectations.

Each suite is a GX 1.x ExpectationSuite JSON file in ``expectations/``; its
``meta`` names the SQL file that builds its check frame (one row per report x
check) and its severity. GX validates the frames through a pandas data source
(its DuckDB SQL source does not work, see ../shared/notes); each frame row
becomes a ``check_results`` row with a one-line message naming the cells.
GX is imported here only, lazily, so other commands stay fast.
"""

from __future__ import annotations

import html
import json
import os
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from .warehouse import run_in_transaction, sql

RESULT_COLUMNS = ["run_id", "report_id", "suite", "check_name", "severity", "passed", "observed", "expected", "message"]


def expectations_dir() -> Path:
    packaged = Path(__file__).with_name("expectations")
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[1] / "expectations"


def load_suites() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(expectations_dir().glob("*.json"))]


def _fmt(v) -> str | None:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


class _GX:
    """One ephemeral GX context for a validation run, quiet and offline."""

    def __init__(self) -> None:
        os.environ["GX_ANALYTICS_ENABLED"] = "false"  # no network here, and no telemetry wanted
        import great_expectations as gx

        self.gx = gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        self.source = self.context.data_sources.add_pandas("ogi_checks")

    def failing_rows(self, suite: dict, df: pd.DataFrame) -> dict[int, list[str]]:
        gx = self.gx
        name = suite["name"]
        batch = self.source.add_dataframe_asset(name=name).add_batch_definition_whole_dataframe(name)
        gx_suite = self.context.suites.add(gx.ExpectationSuite(name=name, expectations=suite["expectations"], meta=suite["meta"]))
        vd = self.context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=gx_suite))
        result = vd.run(batch_parameters={"dataframe": df}, result_format={"result_format": "COMPLETE"})
        failed: dict[int, list[str]] = defaultdict(list)
        for r in result.results:
            what = (r.expectation_config.meta or {}).get("what", r.expectation_config.type)
            if r.exception_info and r.exception_info.get("raised_exception"):
                raise RuntimeError(f"suite {name}: {r.exception_info.get('exception_message')}")
            for i in r.result.get("unexpected_index_list") or []:
                failed[int(i)].append(what)
        return failed


def run_suites(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    rows: list[dict] = []
    gx = _GX()
    for suite in load_suites():
        meta = suite["meta"]
        df = con.execute(sql(meta["frame"])).df().reset_index(drop=True)
        if df.empty:
            continue
        failed = gx.failing_rows(suite, df)
        observed = df["observed"] if "observed" in df else df.get("lhs")
        expected = df["expected"] if "expected" in df else df.get("rhs")
        only_failures = meta.get("store") == "failures"
        for i, rec in enumerate(df.itertuples(index=False)):
            bad = failed.get(i)
            if only_failures and not bad:
                continue
            rows.append({
                "run_id": run_id, "report_id": rec.report_id, "suite": meta["suite"],
                "check_name": rec.check_name, "severity": meta["severity"], "passed": not bad,
                "observed": _fmt(observed.iloc[i]) if observed is not None else None,
                "expected": _fmt(expected.iloc[i]) if expected is not None else None,
                "message": f"{rec.message} [{'; '.join(bad)}]" if bad else "ok",
            })
        if only_failures:
            failing_reports = {r["report_id"] for r in rows if r["suite"] == meta["suite"] and not r["passed"]}
            for rid in sorted(set(df["report_id"]) - failing_reports):
                rows.append({"run_id": run_id, "report_id": rid, "suite": meta["suite"],
                             "check_name": f"{suite['name']}", "severity": meta["severity"], "passed": True,
                             "observed": None, "expected": None, "message": "ok"})
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


@dataclass
class ValidationResult:
    run_id: str
    reports: int
    results: pd.DataFrame
    report_path: Path | None = None
    bodies: dict[str, str] = field(default_factory=dict)

    @property
    def failures(self) -> pd.DataFrame:
        # astype(bool): on an empty (object-dtype) frame, indexing by an empty mask would
        # select columns, not rows, and drop "severity" (the empty-warehouse crash)
        return self.results[~self.results["passed"].astype(bool)]

    @property
    def errors(self) -> int:
        return int((self.failures["severity"] == "error").sum())

    def summary(self) -> str:
        f = self.failures
        lines = [f"{self.reports} reports checked: {self.errors} error and "
                 f"{int((f['severity'] == 'warning').sum())} warning checks failed"]
        for (suite, sev), group in self.results.groupby(["suite", "severity"], sort=False):
            n_bad = int((~group["passed"]).sum())
            lines.append(f"  {suite:13} {sev:8} {n_bad} failed of {len(group)}")
        worst = Counter(f["report_id"]).most_common(5)
        if worst:
            lines.append("worst reports:")
            for rid, n in worst:
                first = f[f["report_id"] == rid].iloc[0]
                lines.append(f"  {self.bodies.get(rid, '?')} ({rid[:8]}): {n} failed, e.g. [{first['suite']}] "
                             f"{first['message'][:90]}")
        if self.report_path:
            lines.append(f"quality report: {self.report_path}")
        return "\n".join(lines)


def validate_warehouse(con: duckdb.DuckDBPyConnection, quality_dir: Path | None = None) -> ValidationResult:
    run_id = uuid.uuid4().hex
    results = run_suites(con, run_id)
    run_in_transaction(con, {"incoming_check_results": results}, "replace_check_results.sql")
    n_reports = con.execute(sql("counts.sql")).fetchone()[0]
    bodies = dict(con.execute(sql("report_bodies.sql")).fetchall())
    out = ValidationResult(run_id, n_reports, results, bodies=bodies)
    if quality_dir is not None:
        out.report_path = write_quality_report(con, quality_dir)
    return out


def write_quality_report(con: duckdb.DuckDBPyConnection, folder: Path) -> Path:
    """A static page: per district, per report, what failed and why."""
    folder.mkdir(parents=True, exist_ok=True)
    failed = con.execute(sql("quality_failures.sql")).df()
    totals = con.execute(sql("quality_totals.sql")).df()
    e = html.escape
    parts = [
        "<!doctype html><meta charset='utf-8'><title>ogi quality report</title>",
        "<style>body{font-family:\"Noto Sans CJK SC\",\"PingFang SC\",\"Microsoft YaHei\",\"SimHei\",sans-serif;margin:2em}td,th{border-bottom:1px solid #ddd;padding:4px 8px;"
        "text-align:left;vertical-align:top}.error{color:#b00}.warning{color:#a60}</style>",
        "<h1>ogi quality report</h1>",
        "<h2>Checks by suite</h2><table><tr><th>suite</th><th>severity</th><th>checks</th><th>failed</th></tr>",
    ]
    for t in totals.itertuples(index=False):
        parts.append(f"<tr><td>{e(t.suite)}</td><td class='{e(t.severity)}'>{e(t.severity)}</td>"
                     f"<td>{t.checks}</td><td>{t.failed}</td></tr>")
    parts.append("</table><h2>Districts</h2><table><tr><th>district</th><th>reports</th>"
                 "<th>errors</th><th>warnings</th></tr>")
    for d in con.execute(sql("quality_districts.sql")).fetchall():
        parts.append(f"<tr><td>{e(d[0])}</td><td>{d[1]}</td><td class='{'error' if d[2] else ''}'>{d[2]}</td>"
                     f"<td class='{'warning' if d[3] else ''}'>{d[3]}</td></tr>")
    parts.append("</table><h2>Failures by district and report</h2>")
    if failed.empty:
        parts.append("<p>No check failed.</p>")
    for district, group in failed.groupby("district", sort=True, dropna=False):
        parts.append(f"<h3>{e(str(district))}</h3>")
        for (rid, body, year), rgroup in group.groupby(["report_id", "body", "year"], sort=False, dropna=False):
            parts.append(f"<h4>{e(str(body))} · {e(str(year))} <small><code>{e(rid[:12])}</code></small></h4><table>")
            for r in rgroup.itertuples(index=False):
                parts.append(f"<tr><td class='{e(r.severity)}'>{e(r.severity)}</td><td>{e(r.suite)}</td>"
                             f"<td><code>{e(r.check_name)}</code></td><td>{e(r.message)}</td></tr>")
            parts.append("</table>")
    path = folder / "index.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
