"""Expectation suites on the seeds, on single-cell corruptions and across years."""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest

from pipeline.checks import load_suites, validate_warehouse
from pipeline.cli import main
from pipeline.parse import parse_bytes
from pipeline.warehouse import connect

from .conftest import SEED


def _ingest(folder, db):
    main(["ingest", str(folder), "--db", str(db), "-q", "--jobs", "1"])


@pytest.fixture(scope="module")
def seed_results(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("seeds")
    shutil.copytree(SEED["qindu"].parent, tmp / "raw")
    db = tmp / "w.duckdb"
    _ingest(tmp / "raw", db)
    con = connect(db)
    result = validate_warehouse(con, quality_dir=tmp / "quality")
    bodies = dict(con.execute("SELECT report_id, body FROM reports").fetchall())
    result.all = con.execute("SELECT * FROM check_results").df()
    con.close()
    return result, bodies


def test_suites_are_gx_json_files_with_severity_and_frame():
    suites = load_suites()
    assert {s["meta"]["suite"] for s in suites} == {"identities", "domain", "narrative", "plausibility", "continuity", "integrity"}
    assert all(s["meta"]["severity"] in ("error", "warning") and s["meta"]["frame"].endswith(".sql") for s in suites)


def test_seeds_have_no_false_alarms(seed_results):
    result, _ = seed_results
    bad = result.failures
    assert bad[bad["suite"].isin(["identities", "domain", "continuity"])].empty
    assert result.errors == 0
    assert (result.all["suite"] == "identities").sum() > 200


@pytest.mark.parametrize(
    ("district", "check", "phrases"),
    [
        # 武江区: '共收到依申请公开信息4条，已按要求进行答复并公开4条' but 0 granted, 3 not held, 1 carried forward
        ("武江", "narrative.applications_disclosed", ["答复并公开4条", "t2.granted.total"]),
        # 秦都区: 144 reviews + 97 lawsuits against 126 applications handled
        ("秦都", "plausibility.cases_vs_handled", ["241", "126"]),
    ],
)
def test_seed_findings(seed_results, district, check, phrases):
    result, bodies = seed_results
    rid = next(rid for rid, b in bodies.items() if district in b)
    bad = result.failures[result.failures["report_id"] == rid]
    assert list(bad["check_name"]) == [check]
    assert all(p in bad.iloc[0]["message"] for p in phrases)


def test_quality_site_shows_the_findings(seed_results):
    result, _ = seed_results
    site = result.report_path.parent
    provinces = "".join(p.read_text(encoding="utf-8") for p in (site / "p").glob("*.html"))
    assert "秦都区" in provinces and "韶关市武江区人民政府办公室" in provinces
    assert "plausibility.cases_vs_handled" in provinces and "narrative.applications_disclosed" in provinces


def test_findings_point_at_their_cells(seed_results):
    """Acceptance: 武江区's narrative finding and 秦都区's plausibility finding list their cells."""
    result, bodies = seed_results
    f = result.failures.set_index("check_name")
    assert list(f.loc["narrative.applications_disclosed", "cells"]) == ["t2.granted.total", "t2.partially_granted.total"]
    assert set(f.loc["plausibility.cases_vs_handled", "cells"]) == {
        "t3.review.total", "t3.litigation_direct.total", "t3.litigation_after_review.total", "t2.total_handled.total"}
    every = result.all
    assert every["cells"].map(len).gt(0).all() or every.loc[every["cells"].map(len) == 0, "check_name"].isin(
        ["domain.all_cells_present", "domain_values", "integrity"]).all()  # report-level checks: no cell


def _mutate(text: str, locator: str) -> str:
    """Add 1 to the number a locator points at ('line N' or 'line N col M')."""
    m = re.match(r"line (\d+)(?: col (\d+))?", locator)
    lines = text.split("\n")
    n = int(m[1]) - 1
    if m[2]:
        cells = lines[n].split("\t")
        j = int(m[2]) - 1
        cells[j] = str(int(cells[j].strip()) + 1)
        lines[n] = "\t".join(cells)
    else:
        lines[n] = re.sub(r"\d+", lambda d: str(int(d[0]) + 1), lines[n], count=1)
    return "\n".join(lines)


def test_every_single_cell_corruption_of_t2_and_t3_is_caught(tmp_path):
    folder = tmp_path / "mutants"
    folder.mkdir()
    expected = {}
    for name, path in SEED.items():
        text = path.read_text(encoding="utf-8")
        for fact in parse_bytes(path.read_bytes(), str(path)).facts:
            if fact.table_code == "t1":
                continue
            mutant = folder / f"{name}-{fact.table_code}-{fact.row_code}-{fact.col_code}.txt"
            mutant.write_text(_mutate(text, fact.locator), encoding="utf-8")
            expected[mutant.name] = (fact.row_code, fact.col_code)
    db = tmp_path / "m.duckdb"
    _ingest(folder, db)
    con = connect(db)
    result = validate_warehouse(con)
    paths = dict(con.execute("SELECT report_id, regexp_extract(source_path, '[^/]+$') FROM reports").fetchall())
    con.close()
    assert len(paths) == len(expected) == 5 * 190
    failed = result.failures[result.failures["suite"] == "identities"]
    named = failed.groupby("report_id")["check_name"].apply(list).to_dict()
    missed = []
    for rid, fname in paths.items():
        row, col = expected[fname]
        if not any(f"[{row}]" in c or f"[{col}]" in c for c in named.get(rid, [])):
            missed.append(fname)
    assert not missed, f"{len(missed)} corruptions not caught, e.g. {missed[:3]}"


def test_continuity_across_years(tmp_path):
    text = SEED["chuanhui"].read_text(encoding="utf-8")
    folder = tmp_path / "years"
    folder.mkdir()
    (folder / "2024.txt").write_text(text, encoding="utf-8")
    good = text.replace("2024", "2023").replace("四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0",
                                               "四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0")
    (folder / "2023.txt").write_text(good, encoding="utf-8")
    db = tmp_path / "y.duckdb"
    _ingest(folder, db)
    con = connect(db)
    validate_warehouse(con)
    cont = con.execute("SELECT * FROM check_results WHERE suite = 'continuity'").df()
    con.close()
    assert len(cont) == 7 and cont["passed"].all()

    broken = good.replace("四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0", "四、结转下年度继续办理\t\t2\t0\t0\t0\t0\t0\t2")
    (folder / "2023.txt").write_text(broken, encoding="utf-8")
    _ingest(folder, db)
    con = connect(db)
    res = validate_warehouse(con)
    con.close()
    bad = res.failures[res.failures["suite"] == "continuity"]
    assert set(bad["check_name"]) == {"continuity.carried_over[natural_person]", "continuity.carried_over[total]"}
    assert res.errors >= 2
    assert "2023 carried_forward was 2" in bad.iloc[0]["message"]


def test_validate_exits_1_on_error_failures(tmp_path, capsys):
    folder = tmp_path / "raw"
    folder.mkdir()
    text = SEED["chuanhui"].read_text(encoding="utf-8").replace("(七)·总计→→25".replace("→", "\t").replace("·", " "),
                                                                 "(七) 总计\t\t26")
    (folder / "r.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    _ingest(folder, db)
    assert main(["validate", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "identities" in out and "worst reports" in out
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM check_results WHERE NOT passed AND severity='error'").fetchone()[0] > 0
    con.close()


def test_peer_rates_use_robust_statistics(tmp_path):
    from benchmarks.synth import generate

    generate(60, tmp_path / "raw", "tab=1", seed=9)
    db = tmp_path / "p.duckdb"
    _ingest(tmp_path / "raw", db)
    con = connect(db)
    validate_warehouse(con)
    frame = con.execute("SELECT * FROM v_report_summary").df()
    peers = con.execute("SELECT * FROM check_results WHERE check_name LIKE '%_vs_peers'").df()
    con.close()
    assert len(peers) > 0
    assert peers["observed"].notna().all()
    flagged = peers[~peers["passed"]]
    for msg in flagged["message"]:
        assert "robust z" in msg and "median" in msg
    assert len(frame) == 60


def _one_report(tmp_path, text):
    folder = tmp_path / "raw"
    folder.mkdir(exist_ok=True)
    (folder / "r.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    _ingest(folder, db)
    con = connect(db)
    validate_warehouse(con)
    rows = con.execute("SELECT check_name, passed, cells, suspect_cells, message FROM check_results "
                       "WHERE suite = 'identities' AND passed IS DISTINCT FROM TRUE ORDER BY check_name").fetchall()
    con.close()
    return {r[0]: r[1:] for r in rows}


GRANTED = "三、本年度办理结果\t(一) 予以公开\t8\t0\t0\t0\t0\t0\t8"


def test_the_one_term_breaking_two_identities_is_suspect(tmp_path):
    text = SEED["chuanhui"].read_text(encoding="utf-8")
    assert GRANTED in text
    bad = _one_report(tmp_path, text.replace(GRANTED, GRANTED.replace("\t8\t0", "\t9\t0", 1)))
    assert set(bad) == {"t2.row_total[granted]", "t2.handled_sum[natural_person]"}
    for passed, cells, suspect, _msg in bad.values():
        assert passed is False
        assert "t2.granted.natural_person" in cells
        assert suspect == ["t2.granted.natural_person"]


def test_an_identity_with_a_missing_term_is_not_passed(tmp_path):
    text = SEED["chuanhui"].read_text(encoding="utf-8")
    # a printed dash in one applicant column: the row total can no longer be confirmed
    bad = _one_report(tmp_path, text.replace(GRANTED, GRANTED.replace("\t0\t0\t0\t0\t0\t8", "\t—\t0\t0\t0\t0\t8")))
    passed, cells, suspect, msg = bad["t2.row_total[granted]"]
    assert passed is None and "incomplete" in msg and "t2.granted.commercial_enterprise" in msg
    assert "t2.granted.commercial_enterprise" in cells
    # the terms present already exceed the total: a definite failure though one is missing
    (tmp_path / "b").mkdir()
    bad = _one_report(tmp_path / "b", text.replace(GRANTED, GRANTED.replace("\t8\t0\t0", "\t9\t—\t0", 1)))
    passed, *_ = bad["t2.row_total[granted]"]
    assert passed is False


def test_validate_on_an_empty_warehouse(tmp_path, capsys):
    db = tmp_path / "empty.duckdb"
    connect(db).close()
    assert main(["validate", "--db", str(db)]) == 0
    assert "0 reports checked" in capsys.readouterr().out
    assert (tmp_path / "quality" / "index.html").exists()


def test_show_marks_the_cells_of_a_finding_and_escapes_control_characters(seed_results, tmp_path, capsys):
    from pipeline.show import show_report

    result, bodies = seed_results
    rid = next(rid for rid, b in bodies.items() if "秦都" in b)
    db = tmp_path / "w.duckdb"
    _ingest(SEED["qindu"].parent, db)
    con = connect(db)
    validate_warehouse(con)
    con.execute("UPDATE reports SET body = body || '\x1b[2J\x1b]0;pwned\x07' WHERE report_id = ?", [rid])
    text = show_report(con, rid[:10])
    con.close()
    total_handled = next(line for line in text.splitlines() if line.lstrip().startswith("total_handled"))
    assert "126*" in total_handled and total_handled.endswith("◀ [1]")
    review = next(line for line in text.splitlines() if line.lstrip().startswith("review "))
    assert "144*" in review and "◀ [1]" in review
    assert "[1] [warning, open] plausibility.cases_vs_handled: 241 review + litigation cases" in text
    assert "\x1b" not in text and "\x07" not in text and "\\x1b[2J" in text
