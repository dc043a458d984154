"""The analyst notebook runs top to bottom on the sample warehouse (so it never rots)."""

from __future__ import annotations

import os
import shutil

import pytest

from pipeline.cli import main

from .conftest import ROOT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")


def test_cross_jurisdiction_notebook_executes(tmp_path, monkeypatch):
    pytest.importorskip("mplfonts")
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "raw")
    db = tmp_path / "w.duckdb"
    assert main(["run", "--raw", str(tmp_path / "raw"), "--db", str(db), "--out", str(tmp_path / "out"),
                 "-q", "--jobs", "1"]) == 0
    nb = nbformat.read(ROOT / "notebooks" / "cross_jurisdiction.ipynb", as_version=4)
    monkeypatch.setenv("OGI_DB", str(db))
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", "")) for o in outputs)
    assert "秦都区" in text and "plausibility.cases_vs_handled" in text
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2  # the two plots (a missing CJK glyph would have raised in the notebook)
    assert os.environ["OGI_DB"] == str(db)
