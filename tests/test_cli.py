"""`ogi` as a user runs it: exit statuses, quarantine, idempotence, read-only queries."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb

from pipeline.cli import COMMANDS, main

from .conftest import ROOT, SEED


def _counts(db: Path) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM facts), "
            "(SELECT count(*) FROM parse_warnings), (SELECT count(*) FROM narrative_facts)").fetchone()
    finally:
        con.close()


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c for c in COMMANDS if not re.search(rf"ogi {c}\b", readme)]
    assert not missing, f"commands missing from README: {missing}"


def test_every_command_has_help_with_an_example(capsys):
    for name in COMMANDS:
        try:
            main([name, "--help"])
        except SystemExit as exc:
            assert exc.code == 0
        assert "example:" in capsys.readouterr().out


def test_bad_files_are_quarantined_with_reasons_and_the_rest_load(raw_dir, db, capsys):
    (raw_dir / "empty.txt").write_bytes(b"")
    (raw_dir / "noise.txt").write_bytes(bytes(range(256)) * 8)
    (raw_dir / "letter.txt").write_text("关于召开会议的通知\n各单位：定于下周一召开会议。\n", encoding="utf-8")
    (raw_dir / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 legacy")
    status = main(["ingest", str(raw_dir), "--db", str(db), "-q", "--jobs", "1"])
    assert status == 1
    err = capsys.readouterr().err
    assert "empty.txt: empty file" in err
    assert "noise.txt: binary" in err
    assert "letter.txt: no recognisable table" in err
    assert "old.doc: unsupported format .doc: legacy Word .doc: save as .docx" in err
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM facts").fetchone()[0] == 1000
    reasons = dict(con.execute("SELECT regexp_extract(source_path, '[^/]+$'), reason FROM quarantine").fetchall())
    con.close()
    assert set(reasons) == {"empty.txt", "noise.txt", "letter.txt", "old.doc"}


def test_running_twice_changes_nothing(raw_dir, db, tmp_path, capsys):
    args = ["run", "--raw", str(raw_dir), "--db", str(db), "--out", str(tmp_path / "out"), "--jobs", "1"]
    assert main(args) == 0
    first = _counts(db)
    assert main(args) == 0
    assert _counts(db) == first
    assert "5 unchanged" in capsys.readouterr().err


def test_a_file_edited_in_place_replaces_its_old_facts(raw_dir, db):
    target = raw_dir / SEED["chuanhui"].name
    assert main(["ingest", str(raw_dir), "--db", str(db), "-q", "--jobs", "1"]) == 0
    text = target.read_text(encoding="utf-8").replace("行政规范性文件\t6\t3\t10", "行政规范性文件\t7\t3\t11")
    target.write_text(text, encoding="utf-8")
    assert main(["ingest", str(raw_dir), "--db", str(db), "-q", "--jobs", "1"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "SELECT f.value FROM facts f JOIN reports r USING (report_id) WHERE r.source_path LIKE '%004_%' "
        "AND row_code = 'normative_document' AND col_code = 'issued'").fetchall()
    n_reports, n_facts = con.execute("SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM facts)").fetchone()
    con.close()
    assert [float(v) for (v,) in rows] == [7.0]
    assert (n_reports, n_facts) == (5, 1000)


def test_query_is_read_only_and_leaves_the_file_untouched(raw_dir, db, capsys):
    main(["ingest", str(raw_dir), "--db", str(db), "-q", "--jobs", "1"])
    before = db.read_bytes()
    assert main(["query", "DELETE FROM facts", "--db", str(db)]) == 2
    assert "read-only" in capsys.readouterr().err
    assert db.read_bytes() == before
    assert main(["query", "SELECT count(*) AS n FROM facts", "--db", str(db), "--format", "csv"]) == 0
    assert capsys.readouterr().out.strip() == "n\n1000"


def test_show_prints_tables_by_id_prefix_or_path(raw_dir, db, capsys):
    main(["ingest", str(raw_dir), "--db", str(db), "-q", "--jobs", "1"])
    assert main(["show", SEED["qindu"].name, "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "秦都区" in out and "review 行政复议" in out and "144" in out
    rid = out.split("report ")[1].split()[0]
    assert main(["show", rid[:10], "--db", str(db)]) == 0
    assert main(["show", "nothing-like-this", "--db", str(db)]) == 2
    assert "no report matches" in capsys.readouterr().err


def test_missing_warehouse_is_one_clear_line(tmp_path, capsys):
    assert main(["show", "abc", "--db", str(tmp_path / "none.duckdb")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no warehouse" in err[0]


def test_python_dash_m_pipeline_works():
    out = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, check=True)
    assert "ogi" in out.stdout


def test_exports_have_a_bom_and_labels(raw_dir, db, tmp_path):
    out = tmp_path / "out"
    main(["run", "--raw", str(raw_dir), "--db", str(db), "--out", str(out), "-q", "--jobs", "1"])
    data = (out / "facts.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    import pandas as pd

    facts = pd.read_csv(out / "facts.csv", encoding="utf-8-sig")
    assert len(facts) == 1000
    assert {"row_code", "row_label_zh", "col_label_zh", "report_id"} <= set(facts.columns)
    assert len(pd.read_csv(out / "reports.csv", encoding="utf-8-sig")) == 5
