"""The CLI as an analyst uses it: --db anywhere, OGI_DB, output formats, row counts,
stdin, DuckDB's hints, `ogi show BODY YEAR`, completion, pipes, untrusted text."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main

from .conftest import ROOT, SEEDS


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("usage")
    shutil.copytree(SEEDS, root / "raw")
    db = root / "warehouse.duckdb"
    assert main(["ingest", str(root / "raw"), "--db", str(db), "-q", "--jobs", "1"]) == 0
    return db


def _out(capsys) -> str:
    return capsys.readouterr().out


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


COUNT = "SELECT count(*) AS n FROM reports"


# --- --db and OGI_DB ------------------------------------------------------------

def test_db_goes_before_or_after_the_command(warehouse, capsys, monkeypatch):
    monkeypatch.delenv("OGI_DB", raising=False)
    assert main(["--db", str(warehouse), "query", COUNT, "-f", "csv"]) == 0
    assert _out(capsys) == "n\n5\n"
    assert main(["query", COUNT, "--db", str(warehouse), "-f", "csv"]) == 0
    assert _out(capsys) == "n\n5\n"
    assert main(["--db", str(warehouse), "status"]) == 0
    assert _out(capsys).startswith("5 reports")


def test_ogi_db_is_used_and_the_flag_wins(warehouse, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("OGI_DB", str(warehouse))
    assert main(["query", COUNT, "-f", "csv"]) == 0
    assert _out(capsys) == "n\n5\n"
    missing = tmp_path / "none.duckdb"
    assert main(["query", COUNT, "--db", str(missing)]) == 2  # flag > env
    assert str(missing) in capsys.readouterr().err
    assert main(["--db", str(missing), "status"]) == 2
    monkeypatch.setenv("OGI_DB", str(missing))
    assert main(["status"]) == 2
    assert f"no warehouse at {missing}" in capsys.readouterr().err


# --- output formats, counts, limits ------------------------------------------------

def test_table_output_ends_with_a_row_count_and_aligns_chinese(warehouse, capsys):
    assert main(["query", "SELECT body, year FROM reports ORDER BY body", "--db", str(warehouse)]) == 0
    lines = _out(capsys).splitlines()
    assert lines[0].split("│")[0].strip() == "body" and lines[-1] == "(5 rows)"
    assert "保定市徐水区人民政府办公室 │ 2024" in lines[2]
    bars = {_display_col(line, "│") for line in [lines[0], *lines[2:-1]]} | {_display_col(lines[1], "┼")}
    assert len(bars) == 1  # the column rule is at the same display column on every row
    assert main(["query", "SELECT 1 AS one", "--db", str(warehouse)]) == 0
    assert _out(capsys).splitlines()[-1] == "(1 row)"
    assert main(["query", "SELECT * FROM reports WHERE false", "--db", str(warehouse)]) == 0
    assert _out(capsys).splitlines()[-1] == "(0 rows)"


def _display_col(line: str, mark: str) -> int:
    from pipeline.output import width

    return width(line[: line.index(mark)])


def test_a_long_result_is_never_cut_silently(warehouse, capsys):
    assert main(["query", "SELECT range AS i FROM range(5000)", "--db", str(warehouse)]) == 0
    lines = _out(capsys).splitlines()
    assert lines[-1] == "(showing 200 of 5,000 rows; use --limit or --format csv)"
    assert len(lines) == 2 + 200 + 1
    assert main(["query", "SELECT range AS i FROM range(5000)", "--db", str(warehouse), "--limit", "3"]) == 0
    lines = _out(capsys).splitlines()
    assert [x.strip() for x in lines[2:5]] == ["0", "1", "2"]
    assert lines[-1] == "(showing 3 of 5,000 rows; use --limit or --format csv)"
    assert main(["query", "SELECT range AS i FROM range(5000)", "--db", str(warehouse), "-f", "csv"]) == 0
    assert len(_out(capsys).splitlines()) == 5001  # machine formats: every row unless --limit
    assert main(["query", "SELECT range AS i FROM range(5000)", "--db", str(warehouse), "-f", "jsonl",
                 "--limit", "2"]) == 0
    assert _out(capsys) == '{"i": 0}\n{"i": 1}\n'


def test_csv_json_jsonl_markdown(warehouse, capsys):
    sql = ("SELECT body, f.value, f.raw_text, NULL AS nothing FROM facts f JOIN reports USING (report_id) "
           "WHERE body LIKE '秦都区%' AND row_code = 'new_received' AND col_code = 'total'")
    assert main(["query", sql, "--db", str(warehouse), "--format", "csv"]) == 0
    assert _out(capsys) == "body,value,raw_text,nothing\n秦都区,122,122,\n"
    assert main(["query", sql, "--db", str(warehouse), "--format", "json"]) == 0
    assert json.loads(_out(capsys)) == [{"body": "秦都区", "value": 122, "raw_text": "122", "nothing": None}]
    assert main(["query", sql, "--db", str(warehouse), "--format", "jsonl"]) == 0
    assert [json.loads(x) for x in _out(capsys).splitlines()] == [
        {"body": "秦都区", "value": 122, "raw_text": "122", "nothing": None}]
    assert main(["query", sql, "--db", str(warehouse), "-f", "markdown"]) == 0
    assert _out(capsys).splitlines() == [
        "| body | value | raw_text | nothing |",
        "| --- | ---: | --- | --- |",
        "| 秦都区 | 122 | 122 | NULL |",
        "",
        "(1 row)",
    ]
    sql = "SELECT 2.5::DECIMAL(18,4) AS d, 0.1 + 0.2 AS e, 0.1::DOUBLE + 0.2 AS f, 3::DOUBLE AS g, [1, 2] AS l"
    assert main(["query", sql, "--db", str(warehouse), "-f", "json"]) == 0
    assert json.loads(_out(capsys)) == [{"d": 2.5, "e": 0.3, "f": 0.30000000000000004, "g": 3.0, "l": [1, 2]}]
    assert main(["query", sql, "--db", str(warehouse), "-f", "csv"]) == 0
    assert _out(capsys) == "d,e,f,g,l\n2.5,0.3,0.30000000000000004,3,\"[1, 2]\"\n"  # exact, 25 not 25.0
    assert main(["query", "SELECT 1", "--db", str(warehouse), "-f", "json", "--limit", "0"]) == 0
    assert json.loads(_out(capsys)) == []


def test_sql_from_stdin(warehouse, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(COUNT + ";\n"))
    assert main(["query", "-", "--db", str(warehouse), "-f", "csv"]) == 0
    assert _out(capsys) == "n\n5\n"
    out = subprocess.run([sys.executable, "-m", "pipeline", "query", "--db", str(warehouse), "-f", "csv"],
                         input=COUNT, capture_output=True, text=True, env=_env())
    assert (out.returncode, out.stdout, out.stderr) == (0, "n\n5\n", "")


def test_duckdb_hints_are_kept(warehouse, capsys):
    assert main(["query", "SELECT bodyy FROM reports", "--db", str(warehouse)]) == 2
    err = capsys.readouterr().err
    assert err.startswith('ogi query: error: Binder Error: Referenced column "bodyy" not found')
    assert 'Candidate bindings: "body"' in err and "LINE 1: SELECT bodyy FROM reports" in err
    assert main(["query", "SELECT * FROM report", "--db", str(warehouse)]) == 2
    err = capsys.readouterr().err
    assert "Did you mean" in err and "reports" in err
    assert main(["query", "SELEC 1", "--db", str(warehouse)]) == 2
    assert 'syntax error at or near "SELEC"' in capsys.readouterr().err


# --- ogi show by body and year -------------------------------------------------------

def test_show_by_body_name_and_year(warehouse, capsys):
    assert main(["show", "秦都区", "2024", "--db", str(warehouse)]) == 0
    out = _out(capsys)
    assert out.startswith("秦都区 · 2024") and "144" in out
    assert main(["show", "湛河区", "--db", str(warehouse)]) == 0  # one report: the year is not needed
    assert _out(capsys).startswith("湛河区信访局")
    assert main(["show", "秦都区", "2023", "--db", str(warehouse)]) == 2
    assert "no report matches '秦都区' in 2023" in capsys.readouterr().err


def test_show_lists_the_candidates_when_ambiguous(warehouse, capsys):
    assert main(["show", "区", "2024", "--db", str(warehouse)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "ogi show: error: '区' in 2024 matches 5 reports; add the year or give an id prefix:"
    assert len(err) == 6 and all(line.startswith("  ") and " 2024 " in line for line in err[1:])
    assert any("秦都区" in line for line in err[1:])


# --- untrusted text, pipes, completion ------------------------------------------------

def test_terminal_escapes_in_report_text_are_shown_escaped(warehouse, tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    shutil.copy(warehouse, db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE reports SET body = '秦都区\x1b]0;pwned\x07\x1b[2J\u202e' WHERE body LIKE '秦都区%'")
    con.close()
    assert main(["show", "秦都区", "--db", str(db)]) == 0
    out = _out(capsys)
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert out.startswith("秦都区\\x1b]0;pwned\\x07\\x1b[2J\\u202e · 2024")
    for fmt in ("table", "markdown"):
        assert main(["query", "SELECT body FROM reports WHERE body LIKE '秦都区%'", "--db", str(db), "-f", fmt]) == 0
        assert "\x1b" not in _out(capsys)
    assert main(["query", "SELECT body FROM reports WHERE body LIKE '秦都区%'", "--db", str(db), "-f", "json"]) == 0
    out = _out(capsys)
    assert "\x1b" not in out and json.loads(out)[0]["body"].startswith("秦都区\x1b]0;")  # JSON escapes, data exact


def test_printable_escapes_controls_and_keeps_text():
    from pipeline.terminal import one_line, printable

    assert printable("秦都区\t144\n") == "秦都区\t144\n"
    assert printable("a\x1b[31mb\x9bc\x00\x7f\r") == "a\\x1b[31mb\\x9bc\\x00\\x7f\\r"
    assert one_line("a\nquarantined: b") == "a\\nquarantined: b"


def test_output_into_a_closed_pipe_ends_quietly(warehouse):
    for cmd in (f"status --db {warehouse}", f"query 'SELECT * FROM range(300000)' -f csv --db {warehouse}"):
        script = f"set -o pipefail; {sys.executable} -m pipeline {cmd} | head -c 1 >/dev/null"
        out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=_env())
        assert (out.returncode, out.stderr) == (0, ""), cmd


def test_broken_pipe_in_process_exits_zero(warehouse, monkeypatch):
    class Closed(io.StringIO):
        def write(self, s):
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", Closed())
    assert main(["query", "SELECT * FROM range(10)", "--db", str(warehouse)]) == 0


def test_bash_completion_completes_commands_and_options(tmp_path):
    script = subprocess.run([sys.executable, "-m", "pipeline", "completion", "bash"], capture_output=True,
                            text=True, env=_env(), check=True).stdout
    assert "complete" in script and "ogi" in script
    bin_dir = tmp_path / "bin"  # an `ogi` on PATH running this checkout, like the installed entry point
    bin_dir.mkdir()
    ogi = bin_dir / "ogi"
    ogi.write_text(f"#!{sys.executable}\n# PYTHON_ARGCOMPLETE_OK\nimport sys\nfrom pipeline.cli import main\n"
                   "sys.exit(main())\n", encoding="utf-8")
    ogi.chmod(0o755)
    probe = tmp_path / "probe.sh"
    probe.write_text(
        'eval "$(ogi completion bash)"\n'
        'complete -p ogi\n'
        'COMP_LINE="ogi que"; COMP_POINT=7; COMP_WORDS=(ogi que); COMP_CWORD=1; COMP_TYPE=9\n'
        '_python_argcomplete ogi; printf "[%s]\\n" "${COMPREPLY[@]}"\n'
        'COMP_LINE="ogi query --for"; COMP_POINT=15; COMP_WORDS=(ogi query --for); COMP_CWORD=2\n'
        '_python_argcomplete ogi; printf "[%s]\\n" "${COMPREPLY[@]}"\n', encoding="utf-8")
    env = {**_env(), "PATH": f"{ogi.parent}:{os.environ.get('PATH', '')}"}
    out = subprocess.run(["bash", str(probe)], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "[query ]" in out.stdout and "[--format ]" in out.stdout, out.stdout + out.stderr


# --- progress bar and log lines ---------------------------------------------------------

class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _segments(text: str) -> list[str]:
    """What a terminal shows: each carriage return starts the line over."""
    return [seg for line in text.split("\n") for seg in line.split("\r")]


def test_the_progress_bar_has_a_total_and_log_lines_print_above_it(tmp_path, monkeypatch):
    shutil.copytree(SEEDS, tmp_path / "raw")
    err = FakeTty()
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["ingest", str(tmp_path / "raw"), "--db", str(tmp_path / "w.duckdb"), "--jobs", "1"]) == 0
    monkeypatch.undo()
    text = err.getvalue()
    assert "0/5 [" in text and "5/5 [" in text and "file/s" in text  # counted first: a total, a rate, an ETA
    segments = _segments(text)
    logged = [s for s in segments if "files:" in s or "started:" in s]
    assert logged and all(not s.startswith("ingest") for s in logged)
    assert all("ingest:" not in s for s in logged)  # never on the bar's line
    finished = next(i for i, s in enumerate(segments) if s.startswith("5 files: 5 new"))
    assert segments[finished - 1].strip() == ""  # the bar was cleared first


def test_the_log_handler_writes_through_tqdm(monkeypatch):
    import logging

    from tqdm import tqdm

    from pipeline.logs import TqdmHandler, setup

    err = FakeTty()
    bar = tqdm(total=3, file=err, desc="ingest", mininterval=0)
    bar.update()
    handler = TqdmHandler(err)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.emit(logging.makeLogRecord({"msg": "quarantined: a.pdf: empty file"}))
    bar.close()
    segments = _segments(err.getvalue())
    i = segments.index("quarantined: a.pdf: empty file")
    assert segments[i - 1].strip() == "" and any(s.startswith("ingest:  33%") for s in segments[i + 1:])
    log = setup(stream=err)
    log.warning("quarantined: %s: %s", "bad\nquarantined: forged.pdf", "empty file")
    assert err.getvalue().endswith("quarantined: bad\\nquarantined: forged.pdf: empty file\n")


def test_a_newline_in_a_file_name_cannot_forge_a_log_line(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "x\nquarantined: forged\x1b[2J.txt").write_bytes(b"")
    assert main(["ingest", str(raw), "--db", str(tmp_path / "w.duckdb"), "-q", "--jobs", "1"]) == 1
    err = capsys.readouterr().err
    assert len([line for line in err.splitlines() if line.startswith("quarantined:")]) == 1
    assert "x\\nquarantined: forged\\x1b[2J.txt: empty file" in err
