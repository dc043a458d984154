"""`ogi query` cannot write, read other files, load extensions or change its settings.

Each hostile probe from issue 11 is run through the CLI against a warehouse built from
the seeds; afterwards every file in the warehouse's folder (the warehouse, its lock
file) is byte-identical and no file was created anywhere the probe pointed.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main
from pipeline.query import SANDBOX, QueryRefused, check_statement, open_sandboxed

from .conftest import SEED, SEEDS


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sandbox")
    raw = root / "raw"
    shutil.copytree(SEEDS, raw)
    db = root / "wh" / "warehouse.duckdb"
    assert main(["ingest", str(raw), "--db", str(db), "-q", "--jobs", "1"]) == 0
    other = root / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE x (a INTEGER)")
    con.close()
    return db


def _snapshot(*folders: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()}


def _probes(db: Path) -> list[tuple[str, str]]:
    root = db.parent.parent
    lock = db.with_name(db.name + ".lock")
    other = root / "other.duckdb"
    seed = SEED["qindu"]
    return [
        (f"COPY reports TO '{root}/out.csv'", "COPY is not a read statement"),
        (f"COPY (SELECT 'x') TO '{lock}' (FORMAT csv)", "COPY is not a read statement"),
        (f"EXPORT DATABASE '{root}/exported'", "EXPORT is not a read statement"),
        ("SELECT * FROM read_text('/etc/passwd')", "external access is disabled"),
        (f"SELECT * FROM read_csv('{seed}')", "external access is disabled"),
        (f"SELECT * FROM read_blob('{lock}')", "external access is disabled"),
        (f"SELECT * FROM read_text('{other}')", "external access is disabled"),
        (f"SELECT * FROM '{seed}'", "does not exist"),  # no replacement scan of a file either
        ("SELECT * FROM glob('/etc/*')", "external access is disabled"),
        (f"ATTACH '{other}' AS o (READ_WRITE)", "ATTACH is not a read statement"),
        (f"ATTACH '{other}' AS o (READ_WRITE); INSERT INTO o.x VALUES (1)", "2 statements given"),
        ("INSERT INTO reports (report_id, source_path) VALUES ('x', 'y')", "INSERT is not a read statement"),
        ("WITH n AS (SELECT 'x' AS id) INSERT INTO reports (report_id, source_path) SELECT id, id FROM n",
         "INSERT is not a read statement"),
        ("WITH n AS (SELECT 1) DELETE FROM facts", "DELETE is not a read statement"),
        # DuckDB parses a data-modifying CTE as a SELECT: the read-only connection stops it
        ("WITH x AS (DELETE FROM facts RETURNING *) SELECT count(*) FROM x", "writes to the warehouse"),
        ("WITH x AS (INSERT INTO reports (report_id, source_path) VALUES ('a', 'b') RETURNING *) SELECT * FROM x",
         "writes to the warehouse"),
        ("WITH x AS (UPDATE facts SET value = 0 RETURNING *) SELECT 1", "writes to the warehouse"),
        ("UPDATE facts SET value = 0", "UPDATE is not a read statement"),
        ("DROP VIEW v_facts", "DROP is not a read statement"),
        ("CREATE TEMP TABLE t AS SELECT 1", "CREATE is not a read statement"),
        ("EXPLAIN ANALYZE CREATE TEMP TABLE t AS SELECT 1", "CREATE is not a read statement"),
        (f"EXPLAIN ANALYZE COPY reports TO '{root}/out2.csv'", "COPY is not a read statement"),
        ("INSTALL httpfs", "INSTALL is not a read statement"),
        ("LOAD httpfs", "LOAD is not a read statement"),
        ("LOAD json", "LOAD is not a read statement"),
        ("SET enable_external_access = true", "SET is not a read statement"),
        ("RESET lock_configuration", "RESET is not a read statement"),
        ("PRAGMA threads = 1", "PRAGMA is not a read statement"),
        ("PRAGMA enable_profiling", "PRAGMA enable_profiling is not a read statement"),
        ("CHECKPOINT", "CHECKPOINT is not a read statement"),
        ("CALL checkpoint()", "CALL checkpoint is not a read statement"),
        ("VACUUM", "VACUUM is not a read statement"),
        ("BEGIN TRANSACTION", "BEGIN is not a read statement"),
        ("CREATE SECRET s (TYPE s3, KEY_ID 'k', SECRET 'v')", "CREATE is not a read statement"),
        ("SELECT 1; SELECT 2", "2 statements given"),
        ("SELECT 1; COPY reports TO 'x.csv'", "2 statements given"),
    ]


def test_every_hostile_probe_is_refused_in_one_line_and_nothing_changes(warehouse, capsys):
    root = warehouse.parent.parent
    other = root / "other.duckdb"
    before = _snapshot(warehouse.parent)
    other_before = other.read_bytes()
    for statement, reason in _probes(warehouse):
        status = main(["query", statement, "--db", str(warehouse)])
        err = capsys.readouterr().err.strip().splitlines()
        assert status == 2, statement
        assert reason in err[0], (statement, err)
        if "does not exist" not in reason:  # that one is DuckDB's own error, with its LINE/caret hint
            assert len(err) == 1 and err[0].startswith("ogi query: error: refused:"), err
    assert _snapshot(warehouse.parent) == before  # warehouse and lock file byte-identical, nothing new
    assert other.read_bytes() == other_before
    assert not (root / "out.csv").exists() and not (root / "out2.csv").exists()
    assert not (root / "exported").exists()


def test_the_sandbox_settings_hold_and_cannot_be_changed(warehouse):
    con = open_sandboxed(warehouse)
    try:
        names = tuple(SANDBOX)
        got = dict(con.execute("SELECT name, value FROM duckdb_settings() WHERE list_contains($1, name)",
                               [list(names)]).fetchall())
        assert got == {"enable_external_access": "false", "lock_configuration": "true",
                       "autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}
        # The second wall on its own: even a statement that got past the parser check fails.
        for statement in ("SET enable_external_access = true", "SET lock_configuration = false",
                          "SELECT * FROM read_text('/etc/passwd')", "COPY reports TO '/tmp/ogi-never.csv'",
                          "INSTALL httpfs", "LOAD httpfs"):
            with pytest.raises(duckdb.Error):
                con.execute(statement)
        assert not Path("/tmp/ogi-never.csv").exists()
    finally:
        con.close()


@pytest.mark.parametrize("statement", [
    "SELECT count(*) FROM reports",
    "WITH y AS (SELECT year FROM reports) SELECT count(*) FROM y",
    "FROM reports SELECT body",
    "VALUES (1), (2)",
    "TABLE reports",
    "DESCRIBE reports",
    "DESCRIBE SELECT * FROM facts",
    "SHOW TABLES",
    "SHOW ALL TABLES",
    "SUMMARIZE facts",
    "EXPLAIN SELECT * FROM facts",
    "EXPLAIN ANALYZE SELECT count(*) FROM facts",
    "PRAGMA table_info('reports')",
    "PRAGMA show_tables",
    "CALL pragma_table_info('facts')",
    "PIVOT (SELECT table_code, col_code FROM facts) ON table_code USING count(*)",
    "  -- a comment first\n  SELECT 1 AS one;  ",
])
def test_read_statements_run(warehouse, statement, capsys):
    assert main(["query", statement, "--db", str(warehouse), "-f", "csv"]) == 0, capsys.readouterr().err
    assert capsys.readouterr().out.strip()


@pytest.mark.parametrize("text", ["", "   ", "\n", "-- only a comment", "/* nothing */", ";"])
def test_an_empty_statement_is_one_clear_line(warehouse, text, capsys):
    assert main(["query", text, "--db", str(warehouse)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["ogi query: error: no SQL statement given (pass one statement, or - to read it from stdin)"]


def test_check_statement_needs_no_warehouse():
    con = duckdb.connect(":memory:", config=dict(SANDBOX))
    assert check_statement(con, "SELECT 42") == "SELECT 42"
    with pytest.raises(QueryRefused, match="UPDATE EXTENSIONS|UPDATE"):
        check_statement(con, "UPDATE EXTENSIONS")
    with pytest.raises(QueryRefused, match="3 statements"):
        check_statement(con, "SELECT 1; SELECT 2; SELECT 3")
    con.close()
