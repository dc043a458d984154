"""A validation run and what it tells the user."""

from __future__ import annotations

import os
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from ..warehouse import sql
from .suites import run_suites

# DuckDB's buffer pool may hold this much of the warehouse while the suites scan it;
# beyond it DuckDB evicts pages and spills to its temp folder (the run stays < 1 GB).
MEMORY_LIMIT = os.environ.get("OGI_VALIDATE_MEMORY", "384MB")
# The quality site's queries need far less (one chunk of 2,000 reports at a time), and
# whatever the pool holds then comes on top of the site's own Python structures.
SITE_MEMORY = os.environ.get("OGI_SITE_MEMORY", "192MB")


@dataclass
class ValidationResult:
    run_id: str
    reports: int
    totals: pd.DataFrame          # suite, severity, checks, failed, incomplete, open
    failures: pd.DataFrame        # the failed checks (few), with cells and review status
    bodies: dict[str, str] = field(default_factory=dict)
    stale_decisions: int = 0
    site: object | None = None    # quality_site.StagedSite until published
    report_path: Path | None = None

    @property
    def open_failures(self) -> pd.DataFrame:
        f = self.failures
        return f[f["review_status"].isin(["open", "stale"])]

    @property
    def errors(self) -> int:
        """Open error findings: what the exit status of `ogi validate` counts."""
        return int((self.open_failures["severity"] == "error").sum())

    @property
    def warnings(self) -> int:
        return int((self.open_failures["severity"] == "warning").sum())

    def publish_site(self) -> Path | None:
        """Swap the staged quality site in; call once the warehouse it describes is published."""
        if self.site is not None:
            self.report_path = self.site.publish()
            self.site = None
        return self.report_path

    def summary(self) -> str:
        f = self.failures
        closed = int((~f["review_status"].isin(["open", "stale"])).sum())
        lines = [f"{self.reports} reports checked: {self.errors} open error and {self.warnings} open warning "
                 f"findings ({len(f)} failed checks, {closed} closed by review)"]
        for t in self.totals.itertuples(index=False):
            extra = f", {t.incomplete} incomplete" if t.incomplete else ""
            lines.append(f"  {t.suite:13} {t.severity:8} {t.failed} failed of {t.checks}, {t.open} open{extra}")
        if self.stale_decisions:
            lines.append(f"{self.stale_decisions} review decisions are stale (their report changed): ogi review list")
        worst = Counter(self.open_failures["report_id"]).most_common(5)
        if worst:
            lines.append("worst reports:")
            of = self.open_failures
            for rid, n in worst:
                first = of[of["report_id"] == rid].iloc[0]
                lines.append(f"  {self.bodies.get(rid, '?')} ({rid[:8]}): {n} open, e.g. [{first['suite']}] "
                             f"{first['message'][:90]}")
        if self.report_path:
            lines.append(f"quality report: {self.report_path}")
        return "\n".join(lines)


def _memory_limit(con: duckdb.DuckDBPyConnection, limit: str | None) -> str | None:
    previous = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    if limit:
        con.execute(f"SET memory_limit = '{limit}'")
    return previous


def validate_warehouse(con: duckdb.DuckDBPyConnection, quality_dir: Path | None = None, *,
                       review_file: str | os.PathLike | None = None, lang: str = "zh",
                       defer_site: bool = False) -> ValidationResult:
    """Apply the review decisions, run every suite, and build the quality site.

    With ``defer_site`` the site is only staged: call ``publish_site()`` once the
    warehouse was published, so a failed run never leaves a site describing it."""
    from .. import review

    run_id = uuid.uuid4().hex
    previous = _memory_limit(con, MEMORY_LIMIT)
    try:
        decided = review.states(con, review.read_decisions(review_file))
        review.apply_corrections(con, decided)
        run_suites(con, run_id)
        con.execute(sql("mark_ocr_suspects.sql"))
        review.apply_review_status(con, decided)
        totals = con.execute(sql("check_totals.sql")).df()
        failures = con.execute(sql("check_failures.sql")).df()
        n_reports = con.execute(sql("counts.sql")).fetchall()[0][0]
        bodies = dict(con.execute(sql("report_bodies.sql")).fetchall())
        stale = sum(1 for s in decided if s.state != "active")
        out = ValidationResult(run_id, n_reports, totals, failures, bodies=bodies, stale_decisions=stale)
        if quality_dir is not None:
            from ..quality_site import stage_site

            # capped too: the report pages scan the facts once per chunk, and an uncapped
            # buffer pool keeps every block it read (~1.1 GB at 100,000 reports)
            _memory_limit(con, SITE_MEMORY)
            out.site = stage_site(con, Path(quality_dir), run_id=run_id, lang=lang, decided=decided)
    finally:
        con.execute(f"SET memory_limit = '{previous}'")
    if out.site is not None and not defer_site:
        out.publish_site()
    return out
