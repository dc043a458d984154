"""One report's page: its tables as printed with the cells its findings point at."""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import quote


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def number(value) -> str:
    if value is None:
        return ""
    v = float(value)
    return str(int(v)) if v.is_integer() else f"{v:g}"


def _cell_marks(findings: list) -> tuple[set, set, dict]:
    covered, suspect, notes = set(), set(), defaultdict(list)
    for f in findings:
        if f[4] is True:  # a passed (corrected) check points at nothing
            continue
        for c in f[8] or []:
            covered.add(c)
            notes[c].append(f[7])
        suspect.update(f[9] or [])
    return covered, suspect, notes


@dataclass(frozen=True)
class CellLayout:
    """One template's three tables as a str.format pattern: cell i of the template (in
    printed order) is ``<td data-cell='key'{2i}>{2i+1}</td>``, {2i} its class and title
    (empty for almost every cell), {2i+1} its text. Built once per template version, so
    a page costs one format call instead of 200 cells' worth of HTML building."""
    pattern: str
    keys: tuple[str, ...]
    index: dict[str, int]


def _brace(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def cell_layout(w, cells: list) -> CellLayout:
    """cells: the template's (table, row, col, row label, col label) in printed order."""
    keys = tuple(f"{t}.{r}.{c}" for t, r, c, _rl, _cl in cells)
    out = []
    for table in ("t1", "t2", "t3"):
        # a table's rows in first-appearance order; a new <table> where the columns change
        rows: dict[str, list] = {}
        for i, c in enumerate(cells):
            if c[0] == table:
                rows.setdefault(c[1], []).append((i, c))
        out.append(_brace(f"<h3>{esc(w.t(table))}</h3>"))
        current_cols = None
        for rcells in rows.values():
            cols = tuple(c[2] for _i, c in rcells)
            if cols != current_cols:
                if current_cols is not None:
                    out.append("</tbody></table>")
                head = "".join(f"<th>{esc(c[4])}</th>" for _i, c in rcells)
                out.append(_brace(f"<table class='report-table' data-table='{table}'><thead><tr><th></th>{head}"
                                  "</tr></thead><tbody>"))
                current_cols = cols
            tds = "".join(_brace(f"<td data-cell='{esc(keys[i])}'") + f"{{{2 * i}}}>{{{2 * i + 1}}}</td>"
                          for i, _c in rcells)
            out.append(_brace(f"<tr><th>{esc(rcells[0][1][3])}</th>") + tds + "</tr>")
        if current_cols is not None:
            out.append("</tbody></table>")
    return CellLayout("".join(out), keys, {k: i for i, k in enumerate(keys)})


def tables_html(w, layout: CellLayout, texts: list[str], findings: list, corrected: list) -> str:
    """The three tables of one report: texts are its cells' escaped texts in template
    order (quality_cells.sql); only cells a finding points at or a correction changed
    get a class and a title."""
    covered, suspect, notes = _cell_marks(findings)
    fixes = {c["k"]: c for c in corrected or []}
    attrs = [""] * len(texts)
    for key in covered | suspect | fixes.keys():
        i = layout.index.get(key)
        if i is None:  # a finding's cell outside the template: nothing to mark
            continue
        classes, title = [], list(notes.get(key, []))
        if key in covered:
            classes.append("covered")
        if key in suspect:
            classes.append("suspect")
        if key in fixes:
            classes.append("corrected")
            title.insert(0, w.t("report.corrected_from", parsed=fixes[key]["parsed"] or "·", id=fixes[key]["by"]))
        attrs[i] = (f" class='{' '.join(classes)}'" if classes else "") + (
            f" title='{esc(' | '.join(title))}'" if title else "")
    args = [""] * (2 * len(texts))
    args[0::2], args[1::2] = attrs, texts
    return layout.pattern.format(*args)


def _findings_html(w, meta: tuple, findings: list) -> str:
    if not findings:
        return f"<p>{esc(w.t('report.no_findings'))}</p>"
    items = []
    for f in findings:
        _rid, suite, name, sev, passed, key, args, _en, cells, suspects, status, did = f
        message = w.msg(key, args) if key else f[7]
        cells_html = " ".join(
            f"<code class='{'suspect' if c in (suspects or []) else 'covered'}'>{esc(c)}</code>" for c in cells or [])
        decision = f" · #{did}" if did else ""
        items.append(
            f"<li id='{esc('f-' + name)}' data-year='{esc(meta[5])}' data-suite='{esc(suite)}' "
            f"data-severity='{esc(sev)}' data-status='{esc(status)}'>"
            f"<span class='{esc(sev)}'>{esc(w.t('severity.' + sev))}</span> "
            f"<span class='status'>{esc(w.t('status.' + status))}{esc(decision)}</span> "
            f"<b>{esc(w.t('suite.' + suite))}</b> <code>{esc(name)}</code><br>{esc(message)}"
            f"<br><small>{esc(w.t('col.cells'))}: {cells_html}</small></li>")
    return f"<ul class='findings'>{''.join(items)}</ul>"


def _narrative_html(w, narrative: list) -> str:
    if not narrative:
        return f"<p>{esc(w.t('report.no_narrative'))}</p>"
    rows = []
    # table_value is the check's sum of the cells, NULL exactly when one of them was not
    # printed (check_narrative.sql), so the page has nothing to add it up from either
    for _rid, metric, text_value, sentence, table_value, tcells, passed in narrative:
        label = " + ".join(tcells or [])
        cls = " class='warning'" if passed is False else ""
        rows.append(f"<tr{cls}><td>{esc(metric)}</td><td class='n'>{esc(number(text_value))}</td>"
                    f"<td class='n'>{esc(number(table_value) if table_value is not None else '')}</td>"
                    f"<td><code>{esc(label)}</code></td><td>{esc(sentence)}</td></tr>")
    head = "".join(f"<th>{esc(w.t(k))}</th>" for k in ("col.metric", "col.text_value", "col.table_value",
                                                          "col.cells", "col.sentence"))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _decisions_html(w, decided: list) -> str:
    if not decided:
        return f"<p>{esc(w.t('report.no_decisions'))}</p>"
    keys = ("col.action", "col.check", "col.value", "col.note", "col.decided_by", "col.decided_at", "col.state")
    head = "".join(f"<th>{esc(w.t(k))}</th>" for k in keys)
    rows = []
    for s in decided:
        d = s.decision
        vals = (f"#{d['id']} {d['action']}", d.get("check_name") or d.get("cell"), d.get("value"), d.get("note"),
                d.get("decided_by"), d.get("decided_at"), w.t("state." + s.state))
        rows.append("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in vals) + "</tr>")
    return f"<table class='decisions'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _warnings_html(w, warnings: list) -> str:
    if not warnings:
        return f"<p>{esc(w.t('report.no_warnings'))}</p>"
    return "<ul>" + "".join(f"<li>[{esc(stage)}] {esc(msg)}</li>" for _rid, stage, msg in warnings) + "</ul>"


def _ocr_evidence_html(w, ocr: list) -> str:
    """What a report read by OCR has to show for it: its identities."""
    if not ocr:
        return ""
    _rid, cells, suspect, held, broken, incomplete = ocr[0]
    key = "report.ocr_all_hold" if held and not broken and not incomplete else "report.ocr_evidence"
    return (f"<p class='ocr-evidence'>{esc(w.t(key, cells=cells, held=held, broken=broken, incomplete=incomplete, suspect=suspect))}</p>")


def report_page(w, meta: tuple, data: dict, decided: list, others: list, cells: CellLayout) -> tuple[str, str]:
    """data: the report's texts and corrected cells (quality_cells.sql), findings, narrative,
    warnings, and for a report read by OCR its counts (quality_ocr.sql)."""
    rid, source, fmt, layout, version, year, body, province, city, county, code, published, missing = meta
    place = " ".join(x for x in (province, city, county) if x) or w.t("unknown")
    title = f"{body or w.t('unknown')} · {year if year is not None else w.t('unknown')}"
    other_links = " ".join(f"<a href='../{o[:2]}/{o}.html'>{esc(y if y is not None else w.t('unknown'))}</a>"
                           for y, o in others) or "—"
    facts = [
        (w.t("report.place"), esc(f"{place} {code or ''}".strip())),
        (w.t("report.template"), esc(version)),
        (w.t("report.layout"), esc(f"{fmt} · {layout}")),
        (w.t("report.published"), esc(published or "—")),
        (w.t("report.source"), f"<a href='{esc('file://' + quote(str(source)))}'>{esc(source)}</a>"
                               + (" (missing)" if missing else "")),
        (w.t("report.other_years"), other_links),
    ]
    info = "<table class='info'>" + "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in facts) + "</table>"
    tables = tables_html(w, cells, data["texts"], data["findings"], data["corrected"])
    body_html = (
        f"<p><code>{esc(rid)}</code></p>{info}{_ocr_evidence_html(w, data.get('ocr'))}"
        f"<h2>{esc(w.t('report.findings'))}</h2>{_findings_html(w, meta, data['findings'])}"
        f"<h2>{esc(w.t('report.tables'))}</h2><p class='legend'>{esc(w.t('report.legend'))}</p>{tables}"
        f"<h2>{esc(w.t('report.narrative'))}</h2>{_narrative_html(w, data['narrative'])}"
        f"<h2>{esc(w.t('report.warnings'))}</h2>{_warnings_html(w, data['warnings'])}"
        f"<h2>{esc(w.t('report.decisions'))}</h2>{_decisions_html(w, decided)}"
    )
    return title, body_html
