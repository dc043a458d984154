from __future__ import annotations

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
