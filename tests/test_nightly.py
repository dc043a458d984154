"""Unattended runs: killed mid-load, run twice at once, read while running, re-run with nothing new."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from benchmarks.synth import generate
from pipeline.cli import main

from .conftest import ROOT, SEED


def _ogi(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _contents(db: Path) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        facts = con.execute(
            "SELECT r.source_path, f.table_code, f.row_code, f.col_code, f.value FROM facts f "
            "JOIN reports r USING (report_id) ORDER BY ALL").fetchall()
        reports = con.execute("SELECT report_id, source_path, year, body, division_code FROM reports ORDER BY ALL").fetchall()
        half = con.execute("SELECT count(*) FROM (SELECT report_id FROM facts GROUP BY report_id HAVING count(*) <> 200)").fetchone()[0]
        return facts, reports, half
    finally:
        con.close()


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("big") / "raw"
    shutil.copytree(SEED["qindu"].parent, folder / "seeds")
    generate(600, folder / "synthetic", "tab=2,pipe=1,newline=1,gb18030=1", seed=5)
    return folder


def _wait_for(pred, seconds: float = 60) -> None:
    end = time.time() + seconds
    while time.time() < end:
        if pred():
            return
        time.sleep(0.02)
    raise AssertionError("timed out waiting")


def test_sigkill_mid_load_leaves_the_warehouse_as_it_was(big_folder, tmp_path):
    db = tmp_path / "w.duckdb"
    # A published warehouse with the five seeds.
    assert main(["ingest", str(big_folder / "seeds"), "--db", str(db), "-q", "--jobs", "1"]) == 0
    before = _contents(db)
    # Small batches: the kill lands between committed batches of the working copy.
    proc = _ogi("run", "--raw", str(big_folder), "--db", str(db), "--out", str(tmp_path / "out"), "--jobs", "1",
                "--batch-size", "50", "-q")
    work = db.with_name(f".{db.name}.work-{proc.pid}")
    _wait_for(lambda: work.exists() and work.stat().st_size > before_size(db), 60)
    time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    after_kill = _contents(db)
    assert after_kill == before  # (a) nothing of the killed run is visible
    assert after_kill[2] == 0
    # (b) the next run completes the work: same contents as a run never interrupted.
    assert main(["run", "--raw", str(big_folder), "--db", str(db), "--out", str(tmp_path / "o2"), "-q", "--jobs", "2"]) == 0
    clean = tmp_path / "clean.duckdb"
    assert main(["ingest", str(big_folder / "seeds"), "--db", str(clean), "-q", "--jobs", "1"]) == 0
    assert main(["run", "--raw", str(big_folder), "--db", str(clean), "--out", str(tmp_path / "o3"), "-q", "--jobs", "2"]) == 0
    assert _contents(db) == _contents(clean)
    assert not list(tmp_path.glob(".w.duckdb.work-*"))


def before_size(db: Path) -> int:
    return db.stat().st_size if db.exists() else 0


def test_second_concurrent_run_exits_3_naming_the_holder(big_folder, tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    proc = _ogi("run", "--raw", str(big_folder), "--db", str(db), "--out", str(tmp_path / "out"), "--jobs", "1", "-q")
    lock = Path(str(db) + ".lock")
    _wait_for(lambda: lock.exists() and lock.read_text().strip().startswith("{"), 60)
    holder = json.loads(lock.read_text())
    status = main(["run", "--raw", str(big_folder), "--db", str(db), "--out", str(tmp_path / "o2"), "-q", "--jobs", "1"])
    err = capsys.readouterr().err
    assert status == 3
    assert f"pid {holder['pid']}" in err and holder["started_at"] in err
    assert proc.wait(timeout=300) == 0


def test_stale_lock_from_a_dead_process_is_taken_over(tmp_path, raw_dir):
    db = tmp_path / "w.duckdb"
    Path(str(db) + ".lock").write_text(json.dumps({"pid": 999999, "host": "gone", "started_at": "2020-01-01T00:00:00"}))
    assert main(["ingest", str(raw_dir), "--db", str(db), "-q", "--jobs", "1"]) == 0


def test_reader_holding_the_warehouse_open_does_not_stop_a_run(big_folder, tmp_path):
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(big_folder / "seeds"), "--db", str(db), "-q", "--jobs", "1"]) == 0
    reader = duckdb.connect(str(db), read_only=True)
    assert reader.execute("SELECT count(*) FROM reports").fetchone()[0] == 5
    proc = _ogi("run", "--raw", str(big_folder), "--db", str(db), "--out", str(tmp_path / "out"), "--jobs", "2", "-q")
    assert proc.wait(timeout=300) == 0, proc.stderr.read()
    assert reader.execute("SELECT count(*) FROM reports").fetchone()[0] == 5  # the old, consistent view
    reader.close()
    fresh = duckdb.connect(str(db), read_only=True)
    assert fresh.execute("SELECT count(*) FROM reports").fetchone()[0] == 605
    fresh.close()


def test_no_op_rerun_reports_unchanged_and_writes_nothing_else(raw_dir, db, tmp_path):
    args = ["run", "--raw", str(raw_dir), "--db", str(db), "--out", str(tmp_path / "out"), "-q", "--jobs", "1"]
    assert main(args) == 0
    first = _contents(db)
    stamps = "SELECT report_id, ingested_at FROM reports ORDER BY report_id"
    con = duckdb.connect(str(db), read_only=True)
    ingested = con.execute(stamps).fetchall()
    con.close()
    assert main(args) == 0
    assert _contents(db) == first
    con = duckdb.connect(str(db), read_only=True)
    last = con.execute("SELECT files_seen, files_new, files_changed, files_unchanged, files_quarantined "
                       "FROM ingest_runs ORDER BY started_at DESC LIMIT 1").fetchone()
    again = con.execute(stamps).fetchall()
    con.close()
    assert last == (5, 0, 0, 5, 0)
    assert again == ingested  # no report was rewritten


def test_disappeared_file_is_marked_then_pruned(raw_dir, db):
    assert main(["ingest", str(raw_dir), "--db", str(db), "-q", "--jobs", "1"]) == 0
    (raw_dir / SEED["zhanhe"].name).unlink()
    assert main(["ingest", str(raw_dir), "--db", str(db), "-q", "--jobs", "1"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM reports WHERE source_missing").fetchone()[0] == 1
    con.close()
    assert main(["ingest", str(raw_dir), "--db", str(db), "-q", "--jobs", "1", "--prune"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*), sum(CAST(source_missing AS INT)) FROM reports").fetchone() == (4, 0)
    assert con.execute("SELECT count(*) FROM facts").fetchone()[0] == 800
    con.close()


def test_parser_upgrade_reparses_on_the_next_run(raw_dir, db, monkeypatch):
    import pipeline

    assert main(["ingest", str(raw_dir), "--db", str(db), "-q", "--jobs", "1"]) == 0
    monkeypatch.setattr(pipeline, "PARSER_VERSION", "999")
    assert main(["ingest", str(raw_dir), "--db", str(db), "-q", "--jobs", "1"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT DISTINCT parser_version FROM reports").fetchall() == [("999",)]
    assert con.execute("SELECT count(*) FROM facts").fetchone()[0] == 1000
    run = con.execute("SELECT files_changed, files_unchanged FROM ingest_runs ORDER BY started_at DESC LIMIT 1").fetchone()
    con.close()
    assert run == (5, 0)


def test_log_file_is_json_lines(raw_dir, db, tmp_path):
    log = tmp_path / "run.jsonl"
    (raw_dir / "bad.txt").write_bytes(b"")
    assert main(["ingest", str(raw_dir), "--db", str(db), "-q", "--jobs", "1", "--log-file", str(log)]) == 1
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert any(e.get("event") == "quarantined" and e["path"].endswith("bad.txt") for e in events)
    run = [e for e in events if e.get("event") == "run"][0]
    assert run["files_seen"] == 6 and run["files_quarantined"] == 1


def test_a_warehouse_inside_the_raw_folder_is_not_ingested(raw_dir):
    db = raw_dir / "w.duckdb"
    for _ in range(2):
        assert main(["ingest", str(raw_dir), "--db", str(db), "-q", "--jobs", "1"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 5
    con.close()


# --- a killed parallel run must not wedge the next one (issue 11.1) -------------------------------

def _children(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _lock_is_free(db: Path) -> bool:
    import fcntl

    with open(str(db) + ".lock", "a+") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        return True


def _counts(db: Path) -> tuple[int, int, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM facts), (SELECT count(*) FROM "
            "(SELECT report_id FROM facts GROUP BY report_id HAVING count(*) <> 200))").fetchone()
    finally:
        con.close()


def _open_files(pid: int) -> list[str]:
    """What a process has open; a descriptor closed while we look is skipped."""
    held = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            held.append(os.readlink(fd))
        except FileNotFoundError:
            pass
    return held


def _start_parallel_run(folder: Path, db: Path, tmp_path: Path) -> tuple[subprocess.Popen, list[int]]:
    """An `ogi run --jobs 2` caught mid-load: its two workers are parsing, its working copy is growing."""
    assert main(["ingest", str(folder / "seeds"), "--db", str(db), "-q", "--jobs", "1"]) == 0
    size = db.stat().st_size
    proc = _ogi("run", "--raw", str(folder), "--db", str(db), "--out", str(tmp_path / "out"), "--jobs", "2",
                "--batch-size", "20", "-q")
    work = db.with_name(f".{db.name}.work-{proc.pid}")
    wal = Path(str(work) + ".wal")

    def grown() -> bool:  # batches land in the copy or, before a checkpoint, in its write-ahead log
        return work.exists() and work.stat().st_size + (wal.stat().st_size if wal.exists() else 0) > size

    _wait_for(lambda: len(_children(proc.pid)) >= 2 and grown(), 120)
    return proc, _children(proc.pid)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_parallel_run_takes_its_workers_with_it_and_the_next_run_converges(big_folder, tmp_path, sig):
    db = tmp_path / "w.duckdb"
    proc, workers = _start_parallel_run(big_folder, db, tmp_path)
    # The lock's open file lives in the main process only: no worker holds it.
    lock = os.path.realpath(str(db) + ".lock")
    for w in workers:
        assert lock not in _open_files(w), f"worker {w} holds the lock file"
    os.kill(proc.pid, sig)
    proc.wait(timeout=60)
    _wait_for(lambda: not any(_alive(w) for w in workers), 10)  # the workers died with their parent
    err = proc.stderr.read()  # (a surviving worker would hold the pipe open: read after)
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
    else:  # a clean stop: documented status, working copy gone, nothing published
        assert proc.returncode == 143, err
        assert "terminated by SIGTERM: nothing published" in err
        assert not list(tmp_path.glob(".w.duckdb.work-*"))
    assert _lock_is_free(db)
    assert _counts(db) == (5, 1000, 0)  # the killed run published nothing
    # The next run starts at once (no exit 3 naming a dead pid) and ends with exact counts.
    assert main(["ingest", str(big_folder), "--db", str(db), "-q", "--jobs", "2"]) == 0
    assert _counts(db) == (605, 121000, 0)
    assert not list(tmp_path.glob(".w.duckdb.work-*"))
