"""README "Open it with…": the warehouse and the exports opened by the clients people
use — the DuckDB CLI of the 1.x line, Datasette, SQLite, Python readers. Real
components, really started (required in CI)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from importlib.util import find_spec

import duckdb
import pandas as pd

from .conftest import ROOT, required


def _duckdb_cli() -> str | None:
    """The `duckdb` binary of the duckdb-cli package (the Python package's own module has no CLI)."""
    found = shutil.which("duckdb")
    if found is None:
        candidate = ROOT / ".venv" / "bin" / "duckdb"
        found = str(candidate) if candidate.exists() else None
    return found


def test_the_duckdb_cli_of_the_1x_line_reads_the_warehouse(seeds):
    db, _ = seeds
    cli = required(_duckdb_cli(), "the DuckDB CLI (pip install duckdb-cli)")
    version = subprocess.run([cli, "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v1."), version
    out = subprocess.run(
        [cli, "-readonly", str(db), "-csv", "-c",
         "SELECT body, received, handled FROM v_report_summary ORDER BY body"],
        capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == 5
    qindu = next(r for r in rows if r["body"] == "秦都区")
    assert (float(qindu["received"]), float(qindu["handled"])) == (122, 126)


def test_the_storage_version_is_the_oldest_the_cli_reads(seeds):
    db, _ = seeds
    con = duckdb.connect(str(db), read_only=True)
    tags = con.execute("SELECT tags FROM duckdb_databases() WHERE NOT internal AND database_name = 'w'").fetchone()[0]
    con.close()
    assert tags["storage_version"] == "v1.0.0+"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, deadline: float) -> dict:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                return json.loads(resp.read().decode("utf-8"))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_datasette_serves_the_sqlite_export_with_facets(seeds):
    _, out = seeds
    required(find_spec("datasette"), "Datasette (pip install datasette)")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(out / "ogi.sqlite"), "-m", str(out / "metadata.json"),
         "-h", "127.0.0.1", "-p", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        page = _get(f"http://127.0.0.1:{port}/ogi/report_summary.json?_facet=province&_shape=objects",
                    time.monotonic() + 60)
        facets = page["facet_results"].get("results", page["facet_results"])  # Datasette 1.0 nests them once more
        provinces = {f["value"]: f["count"] for f in facets["province"]["results"]}
        assert provinces == {"河南省": 2, "广东省": 1, "陕西省": 1, "河北省": 1}
        rows = {r["body"]: r for r in page["rows"]}
        assert rows["川汇区政府办公室"]["received"] == 25  # an integer, not 25.0
        checks = _get(f"http://127.0.0.1:{port}/ogi/check_results.json?_facet=severity&passed=0&_shape=objects",
                      time.monotonic() + 10)
        assert len(checks["rows"]) == 2
        meta = _get(f"http://127.0.0.1:{port}/-/metadata.json", time.monotonic() + 10)
        table = meta["databases"]["ogi"]["tables"]["report_summary"]
        assert "province" in table["facets"] and "本年新收申请" in table["columns"]["received"]
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_the_sqlite_export_has_every_analyst_view_as_a_table(seeds):
    _, out = seeds
    db = sqlite3.connect(out / "ogi.sqlite")
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"reports", "facts", "narrative_facts", "check_results", "report_summary", "t1", "t2", "t3",
            "jurisdiction_year", "rankings", "body_yoy"} <= tables
    assert db.execute("SELECT count(*) FROM facts").fetchone()[0] == 1000
    assert db.execute("SELECT typeof(received), received FROM report_summary WHERE body = '川汇区政府办公室'").fetchone() == (
        "integer", 25)
    assert db.execute("SELECT value FROM facts WHERE raw_text = '2090.6'").fetchone()[0] == 2090.6
    db.close()
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert set(meta["databases"]["ogi"]["tables"]) == tables


def _readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## Open it with…", 1)[1].split("\n## ", 1)[0]


def test_the_readme_open_it_with_python_lines_run(seeds, monkeypatch):
    """The Python lines of README "Open it with…" run as written, from the project folder
    layout (data/curated/…), against the sample's warehouse and exports."""
    db, out = seeds
    section = _readme_section()
    for client in ("DuckDB CLI", "DBeaver", "Python", "R", "Excel", "Datasette", "Spark"):
        assert f"**{client}**" in section, client
    snippets = re.findall(r"```python\n(.*?)```", section, re.S)
    assert snippets
    work = db.parent / "readme"
    (work / "data" / "curated").mkdir(parents=True, exist_ok=True)
    for name, target in (("warehouse.duckdb", db), ("exports", out)):
        link = work / "data" / "curated" / name
        if not link.exists():
            link.symlink_to(target)
    monkeypatch.chdir(work)
    for code in snippets:
        scope: dict = {}
        exec(compile(code, "README.md", "exec"), scope)  # noqa: S102 - the README's own example
    assert isinstance(scope.get("summary"), pd.DataFrame) and len(scope["summary"]) == 5
