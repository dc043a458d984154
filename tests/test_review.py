"""Review decisions kept as data: acknowledge, dismiss, correct, undo; surviving --reparse; going stale."""

from __future__ import annotations

import csv
import shutil

import duckdb
import pytest

from pipeline.cli import main

from .conftest import SEED, query_rows


@pytest.fixture
def job(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(SEED["qindu"].parent, raw)
    paths = {"db": tmp_path / "w.duckdb", "out": tmp_path / "exports", "review": tmp_path / "review.csv", "raw": raw}

    def run(*extra: str) -> int:
        return main(["run", "--raw", str(raw), "--db", str(paths["db"]), "--out", str(paths["out"]),
                     "--review-file", str(paths["review"]), "-q", "--jobs", "1", *extra])

    def review(*args: str) -> int:
        return main(["review", *args, "--db", str(paths["db"]), "--review-file", str(paths["review"])])

    paths["run"], paths["review_cmd"] = run, review
    return paths


def test_acknowledge_and_correct_survive_reparse_and_a_changed_file_goes_stale(job, capsys):
    assert job["run"]() == 0
    wujiang, xushui = SEED["wujiang"].name, SEED["xushui"].name
    assert job["review_cmd"]("acknowledge", wujiang, "narrative.applications_disclosed",
                             "--note", "printed so in the source", "--by", "tester") == 0
    rid = query_rows(job["db"], "SELECT report_id FROM reports WHERE source_path LIKE ?", f"%{xushui}")[0][0]
    (printed,) = query_rows(job["db"], "SELECT value FROM facts WHERE report_id = ? AND table_code = 't1' "
                    "AND row_code = 'licensing' AND col_code = 'decisions'", rid)[0]
    assert job["review_cmd"]("correct", rid[:10], "t1.licensing.decisions", "12345",
                             "--note", "re-published report, 2025-03-01") == 0
    rows = list(csv.DictReader(job["review"].open(encoding="utf-8")))
    assert [r["action"] for r in rows] == ["acknowledge", "correct"]
    assert rows[0]["decided_by"] == "tester" and rows[0]["fingerprint"] and rows[0]["body"]

    assert job["run"]("--reparse") == 0
    status = query_rows(job["db"], "SELECT c.review_status, c.passed FROM check_results c JOIN reports r USING (report_id) "
                "WHERE r.source_path LIKE ? AND c.check_name = 'narrative.applications_disclosed'", f"%{wujiang}")
    assert status == [("acknowledged", False)]
    served = query_rows(job["db"], "SELECT value, parsed_value, corrected_by FROM v_facts WHERE report_id = ? "
                "AND table_code = 't1' AND row_code = 'licensing' AND col_code = 'decisions'", rid)
    assert served == [(12345, printed, 2)]
    (parsed,) = query_rows(job["db"], "SELECT parsed_value FROM facts WHERE report_id = ? AND row_code = 'licensing' "
                   "AND col_code = 'decisions'", rid)[0]
    assert parsed == printed
    with (job["out"] / "facts.csv").open(encoding="utf-8-sig") as f:
        exported = [r for r in csv.DictReader(f) if r["report_id"] == rid and r["row_code"] == "licensing"
                    and r["col_code"] == "decisions"]
    assert float(exported[0]["value"]) == 12345
    capsys.readouterr()
    assert main(["validate", "--db", str(job["db"]), "--review-file", str(job["review"])]) == 0
    assert "0 open error and 1 open warning" in capsys.readouterr().out  # 秦都区's plausibility is still open

    # other bytes: the report is a new report; the correction is stale, listed, and no longer served
    path = job["raw"] / xushui
    path.write_bytes(path.read_bytes() + b"\n")
    job["run"]()
    capsys.readouterr()
    assert job["review_cmd"]("list") == 0
    listing = capsys.readouterr().out
    assert "stale" in listing and "t1.licensing.decisions = 12345" in listing
    new_rid = query_rows(job["db"], "SELECT report_id FROM reports WHERE source_path LIKE ?", f"%{xushui}")[0][0]
    assert new_rid != rid
    assert query_rows(job["db"], "SELECT value, corrected_by FROM facts WHERE report_id = ? AND row_code = 'licensing' "
              "AND col_code = 'decisions'", new_rid) == [(printed, None)]


def test_exit_status_counts_open_errors_only_and_undo_reopens(job, capsys):
    text = SEED["chuanhui"].read_text(encoding="utf-8")
    granted = "三、本年度办理结果\t(一) 予以公开\t8\t0\t0\t0\t0\t0\t8"
    (job["raw"] / SEED["chuanhui"].name).write_text(text.replace(granted, granted.replace("\t8\t0", "\t9\t0", 1)),
                                                    encoding="utf-8")
    assert job["run"]() == 1
    rid = query_rows(job["db"], "SELECT report_id FROM reports WHERE source_path LIKE ?", f"%{SEED['chuanhui'].name}")[0][0]
    # a decision on a cell closes every finding that covers it
    assert job["review_cmd"]("acknowledge", rid[:12], "t2.granted.natural_person", "--note", "printed so") == 0
    assert main(["validate", "--db", str(job["db"]), "--review-file", str(job["review"])]) == 0
    assert query_rows(job["db"], "SELECT DISTINCT review_status FROM check_results WHERE report_id = ? AND suite = 'identities' "
              "AND NOT passed", rid) == [("acknowledged",)]
    capsys.readouterr()
    assert job["review_cmd"]("list", "--all") == 0
    assert "acknowledged (decision 1)" in capsys.readouterr().out
    assert job["review_cmd"]("undo", "1") == 0
    assert main(["validate", "--db", str(job["db"]), "--review-file", str(job["review"])]) == 1


def test_review_refuses_what_it_cannot_record(job, capsys):
    assert job["run"]() == 0
    capsys.readouterr()
    assert job["review_cmd"]("acknowledge", SEED["wujiang"].name, "no.such.check", "--note", "x") == 2
    assert "has no check" in capsys.readouterr().err
    assert job["review_cmd"]("correct", SEED["wujiang"].name, "t2.nonsense.total", "3", "--note", "x") == 2
    assert "not a cell" in capsys.readouterr().err
    assert job["review_cmd"]("correct", SEED["wujiang"].name, "t2.granted.total", "many", "--note", "x") == 2
    assert "number" in capsys.readouterr().err
    assert job["review_cmd"]("undo", "7") == 2
    assert not job["review"].exists()


def test_a_correction_can_supply_a_cell_the_source_lost_and_undo_takes_it_back(job):
    assert job["run"]() == 0
    rid = query_rows(job["db"], "SELECT report_id FROM reports WHERE source_path LIKE ?", f"%{SEED['xushui'].name}")[0][0]
    con = duckdb.connect(str(job["db"]))
    con.execute("DELETE FROM facts WHERE report_id = ? AND row_code = 'penalty'", [rid])  # as if cut off
    con.close()
    assert job["review_cmd"]("correct", rid[:12], "t1.penalty.decisions", "7", "--note", "letter of 2025-02-03") == 0
    assert main(["validate", "--db", str(job["db"]), "--review-file", str(job["review"])]) == 0
    cell = "SELECT value, parsed_value, raw_text, locator, corrected_by FROM facts WHERE report_id = ? AND row_code = 'penalty'"
    assert query_rows(job["db"], cell, rid) == [(7, None, None, "review decision 1", 1)]
    assert job["review_cmd"]("undo", "1") == 0
    main(["validate", "--db", str(job["db"]), "--review-file", str(job["review"])])
    assert query_rows(job["db"], cell, rid) == []
