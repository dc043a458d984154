"""Writing the quality site's pages (see __init__ for the layout)."""

from __future__ import annotations

import csv
import hashlib
import html
import json
import shutil
import sys
from collections import defaultdict
from datetime import datetime
from functools import cache
from pathlib import Path
from string import Template
from urllib.parse import quote

import duckdb

from ..checks.messages import render
from ..warehouse import sql
from .report_page import CellLayout, cell_layout, report_page

HERE = Path(__file__).resolve().parent
SUITES = ("identities", "domain", "narrative", "plausibility", "continuity")
SEVERITIES = ("error", "warning")
STATUSES = ("open", "stale", "acknowledged", "dismissed", "corrected")
PART_SIZE = 500    # reports per province page part (~300 KB: well under 1 MB, quick to filter)
CHUNK = 2000       # reports a set of queries covers: each scans the facts once; ~2,000 rendered strings in memory


@cache
def strings() -> dict[str, dict[str, str]]:
    with (HERE / "strings.csv").open(encoding="utf-8", newline="") as f:
        return {row["key"]: {"zh": row["zh"], "en": row["en"]} for row in csv.DictReader(f)}


@cache
def template(name: str) -> Template:
    return Template((HERE / "templates" / name).read_text(encoding="utf-8"))


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def report_href(report_id: str) -> str:
    return f"r/{report_id[:2]}/{report_id}.html"


def source_href(path: str) -> str:
    return "file://" + quote(str(path))


class SiteWriter:
    def __init__(self, con: duckdb.DuckDBPyConnection, folder: Path, *, lang: str, decided: list) -> None:
        self.con, self.folder, self.lang = con, folder, lang if lang in ("zh", "en") else "zh"
        self.decided: dict[str, list] = defaultdict(list)
        self.files: dict[str, dict] = {}  # every page written: size and sha256, for the manifest
        self.dirs: set[Path] = set()
        for s in decided:
            self.decided[s.report_id or s.decision["report_id"]].append(s)

    # --- text ------------------------------------------------------------------
    def t(self, key: str, **args) -> str:
        text = strings().get(key, {}).get(self.lang, key)
        return text.format(**args) if args else text

    def msg(self, key, args) -> str:
        return render(key, args, self.lang)

    def page(self, path: Path, title: str, body: str, crumbs: str = "") -> None:
        rel = path.relative_to(self.folder)
        root = "../" * (len(rel.parts) - 1)
        text = template("page.html").substitute(lang="zh-CN" if self.lang == "zh" else "en", title=esc(title),
                                                root=root, crumbs=crumbs, body=body)
        if path.parent not in self.dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.dirs.add(path.parent)
        data = text.encode("utf-8")
        with open(path, "wb") as f:
            f.write(data)
        # hashed while in memory: the manifest need not read 100,000 pages back
        self.files[rel.as_posix()] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}

    def filters(self, years) -> str:
        def opts(values, prefix):
            return "".join(f"<option value='{esc(v)}'>{esc(self.t(prefix + str(v)) if prefix else v)}</option>"
                           for v in values)
        return template("filters.html").substitute(
            l_year=esc(self.t("filter.year")), l_suite=esc(self.t("filter.suite")),
            l_severity=esc(self.t("filter.severity")), l_status=esc(self.t("filter.status")),
            l_any=esc(self.t("filter.any")), hint=esc(self.t("filter.hint")),
            years=opts(sorted(y for y in years if y is not None), ""), suites=opts(SUITES, "suite."),
            severities=opts(SEVERITIES, "severity."),
            statuses=opts([s for s in STATUSES if s != "stale"], "status."), l_all=esc(self.t("filter.any")))

    def count_cells(self, entries: list) -> str:
        """The count columns of a row; site.js recomputes them under the filters."""
        total = sum(e[4] for e in entries if e[3] in ("open", "stale"))
        by = defaultdict(int)
        for e in entries:
            if e[3] in ("open", "stale"):
                by[e[1]] += e[4]
        cells = [f"<td class='n' data-count='all'>{total}</td>"]
        cells += [f"<td class='n' data-count='{s}'>{by.get(s, 0)}</td>" for s in SUITES]
        return "".join(cells)

    def count_head(self) -> str:
        return f"<th>{esc(self.t('col.open'))}</th>" + "".join(f"<th>{esc(self.t('suite.' + s))}</th>" for s in SUITES)

    # --- the whole site --------------------------------------------------------
    def write(self) -> dict:
        shutil.copytree(HERE / "assets", self.folder / "assets")
        reports = self.con.execute(sql("quality_reports.sql")).fetchall()
        findings: dict[str, list] = defaultdict(list)
        for rid, suite, sev, status, n in self.con.execute(sql("quality_finding_counts.sql")).fetchall():
            findings[rid].append((suite, sev, status, n))
        years = {r[5] for r in reports}
        by_body: dict[tuple, list] = defaultdict(list)
        for rid, _p, _c, _k, body, year, code in reports:
            by_body[(code, body)].append((year, rid))
        provinces: dict[str, list] = defaultdict(list)
        for r in reports:
            provinces[r[1]].append(r)
        self.write_overview(provinces, findings, years)
        for i, (province, rows) in enumerate(provinces.items()):
            self.write_province(i, province, rows, findings, years)
        n_open = sum(n for f in findings.values() for (_s, _v, st, n) in f if st in ("open", "stale"))
        counts = {"reports": len(reports), "open_findings": n_open, "lang": self.lang}
        ids = [r[0] for r in reports]
        # the report pages need only the ids and the bodies' years: the rows, counts and
        # links of the overview and province pages (~150 MB at 100,000 reports) go first
        del reports, provinces, findings
        self.__dict__.pop("_links", None)
        self.write_reports(ids, by_body)
        return counts

    def entries(self, rows, findings) -> list:
        """[year, suite, severity, status, n] over a set of reports (the rows' data-f)."""
        acc: dict[tuple, int] = defaultdict(int)
        for r in rows:
            for suite, sev, status, n in findings.get(r[0], ()):
                acc[(r[5], suite, sev, status)] += n
        return [[y, s, v, st, n] for (y, s, v, st), n in sorted(acc.items(), key=lambda kv: str(kv[0]))]

    def write_overview(self, provinces: dict, findings: dict, years: set) -> None:
        everything = [r for rows in provinces.values() for r in rows]
        all_entries = self.entries(everything, findings)
        n_open = sum(e[4] for e in all_entries if e[3] in ("open", "stale"))
        n_err = sum(e[4] for e in all_entries if e[3] in ("open", "stale") and e[2] == "error")
        head = (f"<p>{esc(self.t('site.generated', at=datetime.now().strftime('%Y-%m-%d %H:%M'), reports=len(everything), open=n_open, errors=n_err))}</p>")
        if not everything:
            self.page(self.folder / "index.html", self.t("site.title"), head + f"<p>{esc(self.t('site.empty'))}</p>")
            return
        rows = []
        for i, (province, prow) in enumerate(provinces.items()):
            data = esc(json.dumps(self.entries(prow, findings), ensure_ascii=False))
            name = province or self.t("unknown")
            rows.append(f"<tr data-f='{data}'><td><a href='p/{i:03d}.html'>{esc(name)}</a></td>"
                        f"<td class='n'>{len(prow)}</td>{self.count_cells(self.entries(prow, findings))}</tr>")
        total = (f"<tr class='group' data-f='{esc(json.dumps(all_entries, ensure_ascii=False))}'>"
                 f"<td>{esc(self.t('filter.any'))}</td><td class='n'>{len(everything)}</td>"
                 f"{self.count_cells(all_entries)}</tr>")
        table = (f"<table id='provinces'><thead><tr><th>{esc(self.t('col.province'))}</th>"
                 f"<th>{esc(self.t('col.reports'))}</th>{self.count_head()}</tr></thead>"
                 f"<tbody>{total}{''.join(rows)}</tbody></table>")
        self.page(self.folder / "index.html", self.t("site.title"), head + self.filters(years) + table)

    def write_province(self, i: int, province: str, rows: list, findings: dict, years: set) -> None:
        parts = [rows[k:k + PART_SIZE] for k in range(0, len(rows), PART_SIZE)]
        name = province or self.t("unknown")
        for k, part in enumerate(parts, 1):
            path = self.folder / "p" / (f"{i:03d}.html" if k == 1 else f"{i:03d}-{k}.html")
            nav = ""
            if len(parts) > 1:
                links = [f"<a href='{i:03d}{'' if j == 1 else f'-{j}'}.html'>{j}</a>" for j in range(1, len(parts) + 1)]
                nav = f"<p>{esc(self.t('nav.part', k=k, n=len(parts)))} · {' '.join(links)}</p>"
            crumbs = f"<a href='../index.html'>{esc(self.t('site.overview'))}</a> › {esc(name)}"
            self.page(path, f"{name} · {self.t('site.title')}", nav + self.filters(years)
                      + self.province_table(part, findings) + nav, crumbs)

    def province_table(self, rows: list, findings: dict) -> str:
        head = (f"<table id='reports'><thead><tr><th>{esc(self.t('col.city'))}</th><th>{esc(self.t('col.county'))}</th>"
                f"<th>{esc(self.t('col.body'))}</th><th>{esc(self.t('col.year'))}</th>{self.count_head()}"
                f"<th>{esc(self.t('col.findings'))}</th></tr></thead><tbody>")
        out = [head]
        groups: dict[tuple, list] = defaultdict(list)
        for r in rows:
            groups[(r[2], r[3])].append(r)
        for (city, county), grows in groups.items():
            data = esc(json.dumps(self.entries(grows, findings), ensure_ascii=False))
            out.append(f"<tr class='group' data-f='{data}'><td>{esc(city or self.t('unknown'))}</td>"
                       f"<td>{esc(county)}</td><td></td><td></td>{self.count_cells(self.entries(grows, findings))}<td></td></tr>")
            for r in grows:
                out.append(self.report_row(r, findings.get(r[0], [])))
        out.append("</tbody></table>")
        return "".join(out)

    def report_row(self, r: tuple, found: list) -> str:
        rid, _p, city, county, body, year, _code = r
        entries = [[year, s, v, st, n] for s, v, st, n in found]
        data = esc(json.dumps(entries, ensure_ascii=False))
        href = "../" + report_href(rid)
        links = " ".join(self.link(rid, *f) for f in self.finding_links.get(rid, ()))
        return (f"<tr data-f='{data}' data-year='{esc(year)}'><td>{esc(city)}</td><td>{esc(county)}</td>"
                f"<td><a href='{href}'>{esc(body or self.t('unknown'))}</a></td><td>{esc(year)}</td>"
                f"{self.count_cells(entries)}<td>{links}</td></tr>")

    def link(self, rid: str, name: str, sev: str, status: str) -> str:
        href = "../" + report_href(rid) + "#" + quote("f-" + name)
        return (f"<a class='{esc(sev)}' href='{esc(href)}' data-check='{esc(name)}' "
                f"title='{esc(self.t('status.' + status))}'>{esc(name)}</a>")

    @property
    def finding_links(self) -> dict[str, list]:
        """Each report's failed checks as (name, severity, status), rendered row by row:
        held as HTML they were ~60 MB at 100,000 reports with 108,000 failures; the
        strings are interned (a few dozen distinct) and read in batches."""
        if not hasattr(self, "_links"):
            self._links: dict[str, list] = defaultdict(list)
            q = ("SELECT report_id, check_name, severity, coalesce(review_status, 'open') FROM check_results "
                 "WHERE passed = FALSE ORDER BY report_id, severity, check_name")
            cur = self.con.execute(q)
            while batch := cur.fetchmany(10_000):
                for rid, name, sev, status in batch:
                    self._links[rid].append((sys.intern(name), sys.intern(sev), sys.intern(status)))
        return self._links

    # --- report pages ----------------------------------------------------------
    def write_reports(self, ids: list[str], by_body: dict) -> None:
        """The report pages, CHUNK reports at a time in report_id order. A chunk is one
        range of ids, so its five queries filter with BETWEEN (no id list to join) and
        Python holds one chunk's rows; cells arrive already rendered, one string a
        report (quality_cells.sql), and are poured into a layout built once per template."""
        self.con.execute(sql("quality_macros.sql"))
        layouts = self.layouts()
        empty = cell_layout(self, [])  # a report whose template has no cells: three empty headings
        ids = sorted(ids)
        for shard in sorted({rid[:2] for rid in ids}):
            (self.folder / "r" / shard).mkdir(parents=True, exist_ok=True)
        crumb = f"<a href='../../index.html'>{esc(self.t('site.overview'))}</a> › "
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            params = {"lo": chunk[0], "hi": chunk[-1]}
            grouped = {name: self._grouped(f"quality_{name}.sql", params)
                       for name in ("meta", "cells", "findings", "warnings", "narrative")}
            # one more scan of the chunk's facts only where a report of it was OCR'd
            ocr_read = any("ocr" in (rows[0][3] or "") for rows in grouped["meta"].values())
            grouped["ocr"] = self._grouped("quality_ocr.sql", params) if ocr_read else {}
            for rid in chunk:
                meta = grouped["meta"][rid][0]
                others = [(y, o) for y, o in sorted(by_body.get((meta[10] or "", meta[6] or ""), []),
                                                    key=lambda x: (x[0] is None, x[0])) if o != rid]
                data = {k: grouped[k].get(rid, []) for k in ("findings", "warnings", "narrative", "ocr")}
                data["texts"], data["corrected"] = _cell_texts(grouped["cells"].get(rid))
                title, body = report_page(self, meta, data, self.decided.get(rid, []), others,
                                          layouts.get(meta[4], empty))
                self.page(self.folder / report_href(rid), title, body, crumb + esc(meta[7] or ""))

    def layouts(self) -> dict[str, CellLayout]:
        cells: dict[str, list] = defaultdict(list)
        for version, *cell in self.con.execute(sql("quality_template_cells.sql")).fetchall():
            cells[version].append(tuple(cell))
        return {version: cell_layout(self, c) for version, c in cells.items()}

    def _grouped(self, name: str, params: dict) -> dict[str, list]:
        out: dict[str, list] = defaultdict(list)
        for row in self.con.execute(sql(name), params).fetchall():
            out[row[0]].append(row)
        return out


def _cell_texts(rows: list | None) -> tuple[list[str], list]:
    """A report's cell texts in template order and its corrected cells, from its
    quality_cells.sql row (none when its template has no cells)."""
    if not rows:
        return [], []
    _rid, joined, as_list, corrected = rows[0]
    # as_list only when a printed text holds the U+001F the texts are joined with
    return (as_list if as_list is not None else joined.split("\x1f")), corrected or []
