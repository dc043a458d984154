from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "raw"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "real"

SEED = {
    "wujiang": SEEDS / "000_d769e78216216ff0.txt",
    "qindu": SEEDS / "001_073bf38150bd80e7.txt",
    "xushui": SEEDS / "002_b6050632e8bc8358.txt",
    "zhanhe": SEEDS / "003_a9c09ba9f5af0590.txt",
    "chuanhui": SEEDS / "004_4ae15ee27879952d.txt",
}

needs_shared = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    """A private copy of the bundled sample reports."""
    d = tmp_path / "raw"
    shutil.copytree(SEEDS, d)
    return d


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


def facts_of(path: Path) -> dict[str, float | None]:
    from pipeline.parse import parse_bytes

    report = parse_bytes(path.read_bytes(), str(path))
    assert report.ok, report.error
    return {f"{f.table_code}.{f.row_code}.{f.col_code}": f.value for f in report.facts}


@pytest.fixture(scope="session")
def seeds(tmp_path_factory):
    """The five sample reports run end to end (`ogi run`), then `ogi export --sqlite`:
    (warehouse, export folder). Shared by the export and "open it with" tests; read only."""
    from pipeline.cli import main

    tmp = tmp_path_factory.mktemp("exports")
    shutil.copytree(SEEDS, tmp / "raw")
    db, out = tmp / "w.duckdb", tmp / "exports"
    assert main(["run", "--raw", str(tmp / "raw"), "--db", str(db), "--out", str(out), "-q", "--jobs", "1"]) == 0
    assert main(["export", "--db", str(db), "--out", str(out), "--sqlite"]) == 0
    return db, out


def required(found, what: str):
    """A real component a test needs: skip without it, except in CI, where it must be installed."""
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is required in CI (see pyproject.toml's test extra)")
        pytest.skip(f"{what} is not installed")
    return found


def query_rows(db: Path, query: str, *params) -> list[tuple]:
    """A read-only query against a test warehouse, the connection closed after."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(query, list(params)).fetchall()
    finally:
        con.close()
