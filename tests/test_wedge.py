"""A nightly job that nothing can wedge: an empty warehouse is a valid one, a failed run cleans
up after itself, the schema version is checked at open, the previous warehouse can be restored."""

from __future__ import annotations

import csv
import errno
import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main
from pipeline.warehouse import SCHEMA_VERSION

from .conftest import ROOT, SEED, SEEDS

PREVIOUS_RELEASE = "1eca68b"  # the last commit before schema versions were recorded


def _one(db: Path, query: str):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(query).fetchone()
    finally:
        con.close()


# --- an empty warehouse is a valid warehouse (issue 11.2) -------------------------------------------

def test_every_command_works_on_an_empty_warehouse(tmp_path, capsys):
    empty = tmp_path / "raw"
    empty.mkdir()
    db = str(tmp_path / "w.duckdb")
    out = tmp_path / "out"
    assert main(["run", "--raw", str(empty), "--db", db, "--out", str(out), "-q", "--jobs", "2"]) == 0
    assert main(["ingest", str(empty), "--db", db, "-q", "--jobs", "1"]) == 0
    capsys.readouterr()
    assert main(["validate", "--db", db]) == 0
    assert capsys.readouterr().out.startswith("0 reports checked: 0 open error and 0 open warning findings")
    assert main(["export", "--db", db, "--out", str(out)]) == 0
    with open(out / "facts.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 1 and "report_id" in rows[0]  # the header, no rows
    assert main(["query", "SELECT count(*) AS n FROM v_facts", "--db", db, "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["n", "0"]
    assert main(["status", "--db", db]) == 0
    assert capsys.readouterr().out.startswith("0 reports, 0 facts, 0 parse warnings, 0 files in quarantine")
    assert main(["show", "abc", "--db", db]) == 2  # a user error: no such report
    assert "no report matches 'abc'" in capsys.readouterr().err
    assert main(["dictionary", "--out", str(tmp_path / "dict.md")]) == 0
    assert (tmp_path / "dict.md").read_text(encoding="utf-8").startswith("# Data dictionary")


def test_validate_on_a_warehouse_with_no_reports(tmp_path, capsys):
    empty = tmp_path / "raw"
    empty.mkdir()
    db = str(tmp_path / "w.duckdb")
    assert main(["ingest", str(empty), "--db", db, "-q", "--jobs", "1"]) == 0
    assert main(["validate", "--db", db]) == 0
    assert "0 reports checked" in capsys.readouterr().out
    assert (tmp_path / "quality" / "index.html").exists()


def test_a_folder_where_every_file_is_quarantined_keeps_the_reasons(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "empty.txt").write_bytes(b"")
    (raw / "report.xls").write_bytes(b"\xd0\xcf\x11\xe0 spreadsheet")
    db = tmp_path / "w.duckdb"
    assert main(["run", "--raw", str(raw), "--db", str(db), "--out", str(tmp_path / "out"), "-q", "--jobs", "1"]) == 1
    assert "fatal" not in capsys.readouterr().err
    con = duckdb.connect(str(db), read_only=True)
    got = dict(con.execute("SELECT regexp_extract(source_path, '[^/]+$'), reason FROM quarantine").fetchall())
    run = con.execute("SELECT status, files_seen, files_quarantined FROM ingest_runs").fetchall()
    con.close()
    assert got["empty.txt"] == "empty file" and "not a valid Excel 97-2003 .xls file" in got["report.xls"]
    assert run == [("warnings", 2, 2)]
    assert main(["status", "--db", str(db)]) == 0
    assert "report.xls: not a valid Excel 97-2003 .xls file" in capsys.readouterr().out


# --- a failed run leaves nothing behind (issue 11.7) ------------------------------------------------

def _leftovers(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.glob(".w.duckdb.work-*"))


def test_a_run_that_fails_removes_its_working_copy(tmp_path, raw_dir, monkeypatch, capsys):
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(raw_dir), "--db", str(db), "-q", "--jobs", "1"]) == 0
    before = db.read_bytes()

    def broken(*_a, **_k):
        raise RuntimeError("suite crashed")

    monkeypatch.setattr("pipeline.checks.validate_warehouse", broken)
    (raw_dir / "new.txt").write_text(SEED["qindu"].read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert main(["run", "--raw", str(raw_dir), "--db", str(db), "--out", str(tmp_path / "out"), "-q",
                 "--jobs", "1"]) == 2
    assert "fatal: RuntimeError: suite crashed" in capsys.readouterr().err
    assert _leftovers(tmp_path) == []
    assert db.read_bytes() == before


def test_a_disk_full_while_copying_leaves_no_partial_copy(tmp_path, raw_dir, monkeypatch, capsys):
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(raw_dir), "--db", str(db), "-q", "--jobs", "1"]) == 0

    def half_copy(src, dst):
        Path(dst).write_bytes(Path(src).read_bytes()[:1000])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("pipeline.job.shutil.copy2", half_copy)
    assert main(["ingest", str(raw_dir), "--db", str(db), "-q", "--jobs", "1"]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert _leftovers(tmp_path) == []


def test_leftovers_of_a_killed_run_are_removed_at_the_next_start(tmp_path, raw_dir):
    for name in (".w.duckdb.work-4242", ".w.duckdb.work-4242.wal", ".w.duckdb.work-4242.prev"):
        (tmp_path / name).write_bytes(b"left by a killed run")
    assert main(["ingest", str(raw_dir), "--db", str(tmp_path / "w.duckdb"), "-q", "--jobs", "1"]) == 0
    assert _leftovers(tmp_path) == []


# --- the schema version (issue 11.5) --------------------------------------------------------------

def _previous_release_warehouse(tmp_path: Path) -> Path:
    """A warehouse made by the previous release's own code (git archive of that commit)."""
    src = tmp_path / f"ogi-{PREVIOUS_RELEASE}"
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", PREVIOUS_RELEASE, "pipeline", "sql"],
                                 capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        if os.environ.get("CI"):
            pytest.fail(f"git history with commit {PREVIOUS_RELEASE} is needed in CI: {exc}")
        pytest.skip(f"commit {PREVIOUS_RELEASE} is not in this checkout")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(src, filter="data")
    db = tmp_path / "old.duckdb"
    subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(SEEDS), "--db", str(db), "--jobs", "1", "-q"],
                   cwd=src, env={**os.environ, "PYTHONPATH": str(src)}, check=True, capture_output=True)
    return db


def _columns(db: Path) -> dict[str, list[str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = "
                           "current_database() AND schema_name = 'main' AND NOT internal "
                           "AND table_name IN (SELECT table_name FROM duckdb_tables()) "
                           "ORDER BY table_name, column_index").fetchall()
    finally:
        con.close()
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out


def test_a_warehouse_of_the_previous_release_is_migrated(tmp_path, capsys):
    old = _previous_release_warehouse(tmp_path)
    assert "schema_info" not in _columns(old)
    # Read-only commands cannot migrate: they say what to do.
    assert main(["status", "--db", str(old)]) == 2
    err = capsys.readouterr().err
    assert f"has schema version 1, older than this ogi's ({SCHEMA_VERSION}): run `ogi run` or `ogi ingest`" in err
    # A run migrates it (in its working copy) and keeps every report.
    assert main(["ingest", str(SEEDS), "--db", str(old), "-q", "--jobs", "1"]) == 0
    fresh = tmp_path / "fresh.duckdb"
    assert main(["ingest", str(SEEDS), "--db", str(fresh), "-q", "--jobs", "1"]) == 0
    # Same tables and columns (a migration appends the new columns at the end).
    assert {t: sorted(c) for t, c in _columns(old).items()} == {t: sorted(c) for t, c in _columns(fresh).items()}
    assert _one(old, "SELECT max(schema_version), count(*) FROM schema_info") == (SCHEMA_VERSION, 1)
    assert _one(old, "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM facts)") == (5, 1000)
    # (re-parsed only when the parser version changed since that release)
    import pipeline

    expected = (5, 0) if pipeline.PARSER_VERSION == "1" else (0, 5)
    assert _one(old, "SELECT files_unchanged, files_changed FROM ingest_runs "
                     "ORDER BY started_at DESC LIMIT 1") == expected
    # The file as the previous release left it is kept, unmigrated.
    assert "schema_info" not in _columns(Path(str(old) + ".prev"))
    assert main(["status", "--db", str(old)]) == 0


def test_a_newer_warehouse_is_refused_and_left_as_it_is(tmp_path, raw_dir, capsys):
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(raw_dir), "--db", str(db), "-q", "--jobs", "1"]) == 0
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO schema_info VALUES (?, '9.0', now()::TIMESTAMP)", [SCHEMA_VERSION + 1])
    con.close()
    before = db.read_bytes()
    capsys.readouterr()
    for args in (["ingest", str(raw_dir), "-q", "--jobs", "1"], ["validate"], ["status"], ["query", "SELECT 1"]):
        assert main([*args, "--db", str(db)]) == 2, args
        err = capsys.readouterr().err
        assert f"has schema version {SCHEMA_VERSION + 1}, newer than this ogi" in err and "upgrade ogi" in err, err
        assert len(err.strip().splitlines()) == 1
    assert db.read_bytes() == before
    assert _leftovers(tmp_path) == []


# --- the previous warehouse is kept; ogi restore (issue 11.5) -------------------------------------

def test_the_previous_warehouse_is_kept_and_restored(tmp_path, raw_dir, capsys):
    db = tmp_path / "w.duckdb"
    prev = Path(str(db) + ".prev")
    some = tmp_path / "some"
    some.mkdir()
    shutil.copy(SEED["qindu"], some)
    assert main(["ingest", str(some), "--db", str(db), "-q", "--jobs", "1"]) == 0
    assert not prev.exists()  # nothing was published before the first run
    assert main(["ingest", str(raw_dir), "--db", str(db), "-q", "--jobs", "1"]) == 0
    assert _one(prev, "SELECT count(*) FROM reports") == (1,)
    assert _one(db, "SELECT count(*) FROM reports") == (5,)
    # A corrupted warehouse: commands fail with one line; restore brings the last good one back.
    db.write_bytes(b"\0" * 4096)
    assert main(["status", "--db", str(db)]) == 2
    capsys.readouterr()
    assert main(["restore", "--db", str(db)]) == 0
    assert "restored the previous warehouse" in capsys.readouterr().err
    assert _one(db, "SELECT count(*) FROM reports") == (1,)
    assert prev.read_bytes() == b"\0" * 4096  # the replaced file is kept: a restore can be undone
    assert main(["status", "--db", str(db)]) == 0


def test_restore_without_a_previous_warehouse_says_so(tmp_path, capsys):
    assert main(["restore", "--db", str(tmp_path / "w.duckdb")]) == 2
    assert "no previous warehouse kept at" in capsys.readouterr().err


def test_restore_refuses_an_unreadable_previous_warehouse(tmp_path, raw_dir, capsys):
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(raw_dir), "--db", str(db), "-q", "--jobs", "1"]) == 0
    Path(str(db) + ".prev").write_bytes(b"not a database")
    before = db.read_bytes()
    assert main(["restore", "--db", str(db)]) == 2
    assert "not restored, the previous warehouse is unreadable" in capsys.readouterr().err
    assert db.read_bytes() == before
