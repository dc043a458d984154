"""Review decisions as data: a plain CSV kept with the data (``data/review/decisions.csv``).

One line per decision on one report: ``acknowledge`` (the finding is real, printed so
in the source), ``dismiss`` (a false alarm, with why) or ``correct`` (a cell's true
value, with its evidence). A decision records the report's fingerprint (its bytes
and its parsed facts); when the report changes it becomes ``stale``: listed, never
applied to different numbers. Decisions apply on every run and validation, so they
survive ``--reparse``: corrections first (facts.value served corrected, parsed_value
kept), then the checks, then the review status of each check result.
"""

from __future__ import annotations

import csv
import getpass
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from .warehouse import sql

DEFAULT_REVIEW_FILE = "data/review/decisions.csv"
FIELDS = ["id", "report_id", "source_path", "body", "year", "check_name", "cell", "action", "value", "note",
          "decided_by", "decided_at", "fingerprint"]
ACTIONS = {"acknowledge": "acknowledged", "dismiss": "dismissed", "correct": "corrected"}
_CELL = re.compile(r"^t[123]\.[a-z0-9_]+\.[a-z0-9_]+$")


class ReviewError(ValueError):
    """A decision that cannot be made (unknown report, check or cell, bad value)."""


def review_file(path: str | os.PathLike | None) -> Path:
    return Path(path or os.environ.get("OGI_REVIEW_FILE") or DEFAULT_REVIEW_FILE)


def read_decisions(path: str | os.PathLike | None) -> list[dict]:
    p = review_file(path)
    if not p.exists():
        return []
    with p.open(encoding="utf-8", newline="") as f:
        rows = [dict(r) for r in csv.DictReader(f)]
    for i, r in enumerate(rows, 1):
        if r.get("action") not in ACTIONS:
            raise ReviewError(f"{p}: line {i + 1}: unknown action {r.get('action')!r} (acknowledge, dismiss, correct)")
        r["id"] = int(r.get("id") or i)
    return rows


def write_decisions(path: str | os.PathLike | None, rows: list[dict]) -> Path:
    """Write the whole file atomically (a temporary file renamed over it)."""
    p = review_file(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(f".{p.name}.tmp-{os.getpid()}")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in FIELDS})
    os.replace(tmp, p)
    return p


def fingerprints(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> dict[str, str]:
    con.register("review_reports", pd.DataFrame({"report_id": sorted(set(report_ids))}, dtype="object"))
    try:
        return dict(con.execute(sql("review_fingerprints.sql")).fetchall())
    finally:
        con.unregister("review_reports")


# --- making decisions --------------------------------------------------------

def _report(con: duckdb.DuckDBPyConnection, ref: str) -> tuple:
    from .lookup import resolve_report
    from .show import find_report

    try:
        return find_report(con, resolve_report(con, ref))  # an id prefix, a file name or a body name
    except LookupError as exc:
        raise ReviewError(str(exc)) from None


def decide(con: duckdb.DuckDBPyConnection, path: str | os.PathLike | None, action: str, ref: str, target: str,
           *, value: str | None = None, note: str = "", decided_by: str | None = None) -> dict:
    """Record one decision on report ``ref`` (id prefix or path) about a check or a cell."""
    if action not in ACTIONS:
        raise ReviewError(f"unknown action {action!r}: acknowledge, dismiss or correct")
    rid, source_path, year, body, *_ = _report(con, ref)
    cell = check = ""
    if _CELL.match(target):
        cell = target
        version = con.execute("SELECT template_version FROM reports WHERE report_id = ?", [rid]).fetchall()[0][0]
        t, r, c = target.split(".")
        known = con.execute("SELECT count(*) FROM dim_cells WHERE template_version = ? AND table_code = ? "
                            "AND row_code = ? AND col_code = ?", [version, t, r, c]).fetchall()[0][0]
        if not known:
            raise ReviewError(f"{target} is not a cell of the {version} template (see `ogi show {rid[:12]}`)")
    elif action == "correct":
        raise ReviewError(f"correct takes a cell (table.row.col, e.g. t2.granted.total), not {target!r}")
    else:
        check = target
        n = con.execute("SELECT count(*) FROM check_results WHERE report_id = ? AND check_name = ?",
                        [rid, target]).fetchall()[0][0]
        if not n:
            raise ReviewError(f"report {rid[:12]} has no check {target!r} (see `ogi review list --all`)")
    if action == "correct":
        try:
            float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ReviewError(f"correct needs a number as VALUE, got {value!r}") from None
    elif value not in (None, ""):
        raise ReviewError(f"{action} takes no value")
    rows = read_decisions(path)
    decision = {
        "id": max((r["id"] for r in rows), default=0) + 1, "report_id": rid, "source_path": source_path,
        "body": body or "", "year": "" if year is None else str(year), "check_name": check, "cell": cell,
        "action": action, "value": value if action == "correct" else "", "note": note,
        "decided_by": decided_by or os.environ.get("USER") or getpass.getuser(),
        "decided_at": datetime.now().isoformat(timespec="seconds"),
        "fingerprint": fingerprints(con, [rid]).get(rid, ""),
    }
    write_decisions(path, rows + [decision])
    return decision


def undo(path: str | os.PathLike | None, n: int) -> dict:
    rows = read_decisions(path)
    gone = [r for r in rows if r["id"] == n]
    if not gone:
        raise ReviewError(f"no decision {n} in {review_file(path)} (see `ogi review list --all`)")
    write_decisions(path, [r for r in rows if r["id"] != n])
    return gone[0]


# --- applying them -----------------------------------------------------------

@dataclass
class DecisionState:
    decision: dict
    state: str            # active | stale | orphan
    report_id: str | None  # the report it applies to now (a successor, for stale ones)
    reason: str = ""


def states(con: duckdb.DuckDBPyConnection, decisions: list[dict]) -> list[DecisionState]:
    """Which decisions still hold: same report bytes and same parsed facts."""
    if not decisions:
        return []
    now = fingerprints(con, [d["report_id"] for d in decisions])
    lost = [d for d in decisions if d["report_id"] not in now]
    successor: dict[int, str | None] = {}
    if lost:
        frame = pd.DataFrame([{k: str(d.get(k) or "") for k in ("report_id", "source_path", "body", "year")}
                              | {"id": d["id"]} for d in lost])
        con.register("review_lost", frame)
        try:
            successor = dict(con.execute(sql("review_successors.sql")).fetchall())
        finally:
            con.unregister("review_lost")
    out = []
    for d in decisions:
        rid = d["report_id"]
        if rid in now:
            if d.get("fingerprint") and now[rid] != d["fingerprint"]:
                out.append(DecisionState(d, "stale", rid, "the report's facts changed since the decision"))
            else:
                out.append(DecisionState(d, "active", rid))
        elif successor.get(d["id"]):
            out.append(DecisionState(d, "stale", successor[d["id"]], "the report's file changed since the decision"))
        else:
            out.append(DecisionState(d, "orphan", None, "the report is no longer in the warehouse"))
    return out


def apply_corrections(con: duckdb.DuckDBPyConnection, decided: list[DecisionState]) -> int:
    """Serve the active corrections in facts (undoing any earlier ones first)."""
    latest: dict[tuple, dict] = {}
    for s in decided:
        d = s.decision
        if s.state == "active" and d["action"] == "correct":
            latest[(s.report_id, d["cell"])] = {"id": d["id"], "report_id": s.report_id,
                                                "table_code": d["cell"].split(".")[0],
                                                "row_code": d["cell"].split(".")[1],
                                                "col_code": d["cell"].split(".")[2], "value": float(d["value"])}
    frame = pd.DataFrame(list(latest.values()),
                         columns=["id", "report_id", "table_code", "row_code", "col_code", "value"])
    frame = frame.astype({"id": "int64", "value": "float64"})
    con.register("review_corrections", frame)
    try:
        for statement in sql("review_apply_corrections.sql").split(";\n"):
            if statement.strip() and not all(x.strip().startswith("--") for x in statement.strip().splitlines()):
                con.execute(statement)
    finally:
        con.unregister("review_corrections")
    return len(frame)


def serve_corrections(con: duckdb.DuckDBPyConnection, path: str | os.PathLike | None) -> int:
    """Apply the review file's active corrections to facts (runs without validation)."""
    return apply_corrections(con, states(con, read_decisions(path)))


def _applied(decided: list[DecisionState]) -> pd.DataFrame:
    rows = []
    for s in decided:
        if s.report_id is None:
            continue
        d = s.decision
        status = ACTIONS[d["action"]] if s.state == "active" else "stale"
        rows.append({"id": d["id"], "report_id": s.report_id, "check_name": d.get("check_name") or None,
                     "cell": d.get("cell") or None, "status": status})
    return pd.DataFrame(rows, columns=["id", "report_id", "check_name", "cell", "status"]).astype(
        {"id": "int64", "report_id": "object", "check_name": "object", "cell": "object", "status": "object"})


def apply_review_status(con: duckdb.DuckDBPyConnection, decided: list[DecisionState]) -> None:
    con.register("review_applied", _applied(decided))
    try:
        con.execute(sql("review_status.sql").replace("$match", sql("review_match.sql")))
    finally:
        con.unregister("review_applied")


def live_status(con: duckdb.DuckDBPyConnection, decided: list[DecisionState]) -> dict[tuple[str, str], tuple]:
    """(report_id, check_name) -> (status, decision id), from the decisions as they are now."""
    con.register("review_applied", _applied(decided))
    try:
        return {(r, c): (s, i) for r, c, s, i in con.execute(sql("review_match.sql")).fetchall()}
    finally:
        con.unregister("review_applied")


# --- listing -----------------------------------------------------------------

def list_review(con: duckdb.DuckDBPyConnection, path: str | os.PathLike | None, *, show_all: bool = False,
                province: str | None = None, suite: str | None = None) -> str:
    decided = states(con, read_decisions(path))
    status = live_status(con, decided)
    rows = con.execute(sql("review_findings.sql"), [province, suite]).fetchall()
    out = []
    shown = 0
    for rid, body, year, _prov, _county, _suite, name, sev, passed, message in rows:
        st, did = status.get((rid, name), ("open" if passed is False else "incomplete", None))
        if not show_all and st not in ("open", "stale"):
            continue
        shown += 1
        ref = f" (decision {did})" if did else ""
        out.append(f"  {rid[:12]}  {body or '?'} {year or ''}  [{sev}] {name}  {st}{ref}\n      {message}")
    head = [f"findings ({shown}{' open' if not show_all else ''}):"] + (out or ["  none"])
    lines = []
    for s in decided:
        if not show_all and s.state == "active":
            continue
        d = s.decision
        what = d["check_name"] or f"{d['cell']} = {d['value']}"
        reason = f" ({s.reason})" if s.reason else ""
        lines.append(f"  {d['id']:>3}  {d['action']:11} {d['report_id'][:12]} {d['body']} {d['year']}  {what}  "
                     f"{s.state}{reason}  — {d['note']} ({d['decided_by']}, {d['decided_at']})")
    label = "decisions" if show_all else "stale decisions"
    tail = [f"{label} ({len(lines)}) in {review_file(path)}:"] + (lines or ["  none"])
    return "\n".join(head + [""] + tail)
