"""The quality site: Chinese by default, split pages, escaped text, published with the warehouse."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from pipeline import job as job_module
from pipeline.checks import validate_warehouse
from pipeline.cli import main
from pipeline.quality_site import pages
from pipeline.warehouse import connect

from .conftest import SEED


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    shutil.copytree(SEED["qindu"].parent, tmp / "raw")
    db = tmp / "w.duckdb"
    main(["ingest", str(tmp / "raw"), "--db", str(db), "-q", "--jobs", "1"])
    return tmp, db


def _copy(seeded, tmp_path):
    tmp, db = seeded
    shutil.copy(db, tmp_path / "w.duckdb")
    return tmp_path / "w.duckdb"


def test_site_is_chinese_by_default_and_english_on_request(seeded, tmp_path):
    db = _copy(seeded, tmp_path)
    assert main(["validate", "--db", str(db)]) == 0
    index = (tmp_path / "quality" / "index.html").read_text(encoding="utf-8")
    assert 'lang="zh-CN"' in index and "数据质量" in index and "勾稽关系" in index and "陕西省" in index
    report = next((tmp_path / "quality" / "r").rglob("*.html")).read_text(encoding="utf-8")
    assert "三张表格" in report and "Noto Sans CJK SC" in (tmp_path / "quality/assets/site.css").read_text()
    assert main(["validate", "--db", str(db), "--lang", "en"]) == 0
    index = (tmp_path / "quality" / "index.html").read_text(encoding="utf-8")
    assert 'lang="en"' in index and "Identities" in index and "勾稽关系" not in index


def test_report_page_marks_the_cells_of_its_findings(seeded, tmp_path):
    db = _copy(seeded, tmp_path)
    main(["validate", "--db", str(db)])
    con = duckdb.connect(str(db), read_only=True)
    rid = con.execute("SELECT report_id FROM reports WHERE body LIKE '%秦都%'").fetchall()[0][0]
    con.close()
    page = (tmp_path / "quality" / "r" / rid[:2] / f"{rid}.html").read_text(encoding="utf-8")
    for cell in ("t2.total_handled.total", "t3.review.total", "t3.litigation_direct.total"):
        assert f"<td data-cell='{cell}' class='covered'" in page
    assert "id='f-plausibility.cases_vs_handled'" in page and "案件多于申请" in page
    assert "行政复议" in page and "本年新收政府信息公开申请数量" in page  # labels from the template
    manifest = json.loads((tmp_path / "quality" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reports"] == 5 and manifest["run_id"] and manifest["largest_page_bytes"] < 1_000_000
    assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())


def test_everything_from_report_text_is_escaped(seeded, tmp_path):
    db = _copy(seeded, tmp_path)
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>'\""
    con = connect(db)
    con.execute("UPDATE reports SET body = ?, city = ? WHERE body LIKE '%秦都%'", [evil, evil])
    con.execute("UPDATE facts SET raw_text = ? WHERE row_code = 'review'", [evil])
    con.execute("INSERT INTO parse_warnings SELECT report_id, source_path, 'map', ? FROM reports LIMIT 1", [evil])
    con.execute("UPDATE narrative_facts SET sentence = ?", [evil])
    result = validate_warehouse(con, quality_dir=tmp_path / "quality")
    con.close()
    site = result.report_path.parent
    text = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert text.count("<script") == len(list(site.rglob("*.html")))  # only our own script tag


def test_pages_split_by_province_and_in_parts(seeded, tmp_path, monkeypatch):
    monkeypatch.setattr(pages, "PART_SIZE", 1)
    db = _copy(seeded, tmp_path)
    con = connect(db)
    result = validate_warehouse(con, quality_dir=tmp_path / "quality")
    con.close()
    site = result.report_path.parent
    parts = sorted(p.name for p in (site / "p").glob("*.html"))
    assert len(parts) == 5 and any("-2" in p for p in parts)  # 4 provinces, 河南省 has 2 reports
    assert len(list((site / "r").rglob("*.html"))) == 5


def test_a_failed_publish_leaves_the_previous_site(seeded, tmp_path, monkeypatch):
    db = _copy(seeded, tmp_path)
    assert main(["validate", "--db", str(db)]) == 0
    before = json.loads((tmp_path / "quality" / "manifest.json").read_text(encoding="utf-8"))["run_id"]

    def disk_full(_path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(job_module, "fsync", disk_full)
    assert main(["validate", "--db", str(db)]) == 2
    after = json.loads((tmp_path / "quality" / "manifest.json").read_text(encoding="utf-8"))["run_id"]
    assert after == before  # the site still describes the published warehouse
    assert list(tmp_path.glob(".quality.tmp-*"))  # the staged site of the failed run ...
    monkeypatch.undo()
    assert main(["validate", "--db", str(db)]) == 0
    assert not list(tmp_path.glob(".quality.*"))  # ... is cleaned at the next start
    con = duckdb.connect(str(db), read_only=True)
    (run_id,) = con.execute("SELECT DISTINCT run_id FROM check_results").fetchall()[0]
    con.close()
    assert json.loads((tmp_path / "quality" / "manifest.json").read_text(encoding="utf-8"))["run_id"] == run_id


def test_cells_rendered_in_duckdb_read_as_the_python_formatting(seeded, tmp_path):
    """quality_cells.sql formats numbers and escapes text in SQL; the page must show
    what report_page.number and esc give, including a text holding the U+001F the
    cell texts are joined with, and a corrected cell's printed value in its title."""
    from pipeline.quality_site import stage_site
    from pipeline.quality_site.report_page import esc, number

    db = _copy(seeded, tmp_path)
    con = connect(db)
    rid = con.execute("SELECT report_id FROM reports WHERE body LIKE '%秦都%'").fetchall()[0][0]
    values = {"t2.new_received.total": 12.5, "t2.carried_over.total": 0.000123, "t2.total_handled.total": 1234567.25}
    for key, v in values.items():
        t, r, c = key.split(".")
        con.execute("UPDATE facts SET value = ? WHERE report_id = ? AND table_code = ? AND row_code = ? AND col_code = ?",
                    [v, rid, t, r, c])
    odd = "a\x1fb<&>\"'{0}"
    con.execute("UPDATE facts SET value = NULL, raw_text = ? WHERE report_id = ? AND table_code = 't1' "
                "AND row_code = (SELECT min(row_code) FROM facts WHERE table_code = 't1')", [odd, rid])
    con.execute("UPDATE facts SET parsed_value = 3.5, corrected_by = 7 WHERE report_id = ? AND row_code = 'review' "
                "AND col_code = 'total'", [rid])
    stage_site(con, tmp_path / "quality", run_id="t").publish()  # not validate: it would undo the correction
    con.close()
    page = (tmp_path / "quality" / "r" / rid[:2] / f"{rid}.html").read_text(encoding="utf-8")
    for key, v in values.items():
        assert f"<td data-cell='{key}'" in page and f">{number(v)}</td>" in page
    assert f">{esc(odd)}</td>" in page and "<td data-cell='t1." in page
    assert "原文为 3.5，已按审核决定 7 更正" in page


def test_a_report_read_by_ocr_whose_identities_all_hold_says_that_is_the_evidence():
    from pipeline.quality_site.pages import strings
    from pipeline.quality_site.report_page import _ocr_evidence_html

    class Chinese:
        def t(self, key, **args):
            return strings()[key]["zh"].format(**args)

    page = _ocr_evidence_html(Chinese(), [("r1", 190, 0, 24, 0, 0)])
    assert "本报告有 190 个数字由 OCR（光学字符识别）从图像读出。24 项勾稽关系全部成立" in page
    assert "成立的勾稽关系就是这些数字读对的证据" in page
    assert _ocr_evidence_html(Chinese(), []) == ""  # a report from a text layer: nothing said
