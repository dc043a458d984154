"""The body-year as the unit: one active report per body and year, whatever the copies.

The five seeds, plus 秦都 re-encoded GB18030, 徐水 as DOCX and as PDF, and a corrected
re-publication of 武江 (one cell changed, a later signature date): every file is a
report, five are active, and the analyst views count each body-year once.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main
from pipeline.job import run_job

from . import render
from .conftest import SEED, facts_of, query_rows

PLACES = {  # seed -> (province, city), read by hand from the reports
    "wujiang": ("广东省", "韶关市"), "qindu": ("陕西省", "咸阳市"), "xushui": ("河北省", "保定市"),
    "zhanhe": ("河南省", "平顶山市"), "chuanhui": ("河南省", "周口市"),
}


def _corrected_wujiang() -> bytes:
    text = SEED["wujiang"].read_text(encoding="utf-8")
    assert "\t行政许可\n\t0\n" in text and "2025年1月24日" in text
    return text.replace("\t行政许可\n\t0\n", "\t行政许可\n\t3\n").replace("2025年1月24日", "2025年3月10日").encode()


def _build(raw: Path) -> Path:
    (raw / "seeds").mkdir(parents=True)
    for path in SEED.values():
        shutil.copy(path, raw / "seeds" / path.name)
    extra = raw / "extra"
    extra.mkdir()
    (extra / "qindu_gb18030.txt").write_bytes(SEED["qindu"].read_text(encoding="utf-8").encode("gb18030"))
    render.to_docx(SEED["xushui"], extra / "xushui.docx")
    render.to_pdf(SEED["xushui"], extra / "xushui.pdf")
    (extra / "wujiang_corrected.txt").write_bytes(_corrected_wujiang())
    return raw


def _ingest(db: Path, *paths: Path, reparse: bool = False) -> None:
    run_job(db, list(paths), jobs=1, reparse=reparse, validate=False)


def _state(db: Path) -> set[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT report_id, body_id, status, duplicate_of, superseded_by FROM reports").fetchall()
    con.close()
    return set(rows)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bodyyear")
    raw = _build(tmp / "raw")
    db = tmp / "w.duckdb"
    _ingest(db, raw)
    return raw, db


def test_every_file_is_a_report_and_one_per_body_year_is_active(built):
    _, db = built
    assert query_rows(db, "SELECT count(*) FROM reports") == [(9,)]
    status = dict(query_rows(db, "SELECT status, count(*) FROM reports GROUP BY status"))
    assert status == {"active": 5, "duplicate": 3, "superseded": 1}
    assert query_rows(db, "SELECT count(*) FROM v_report_summary") == [(5,)]
    assert query_rows(db, "SELECT count(*), count(DISTINCT body_id) FROM reports WHERE status = 'active'") == [(5, 5)]
    # every duplicate points at the active report of its body-year, in another format or encoding
    dups = query_rows(db, """SELECT d.file_format, a.file_format, d.body_id = a.body_id, a.status FROM reports d
                     JOIN reports a ON a.report_id = d.duplicate_of WHERE d.status = 'duplicate' ORDER BY d.source_path""")
    assert dups == [("docx", "txt", True, "active"), ("pdf", "txt", True, "active"), ("txt", "txt", True, "active")]


def test_jurisdiction_totals_are_the_five_seeds_own(built):
    _, db = built
    seeds = [facts_of(p) for p in SEED.values()]
    for measure, key in (("received", "t2.new_received.total"), ("handled", "t2.total_handled.total"),
                         ("not_held", "t2.unavailable_not_held.total"), ("review_total", "t3.review.total")):
        got = query_rows(db, f"SELECT sum({measure}), sum(reports) FROM v_jurisdiction_year")[0]
        assert got == (sum(f[key] for f in seeds), 5), measure


def test_the_corrected_republication_supersedes_and_the_original_keeps_its_facts(built):
    _, db = built
    (old_id, new_id, old_date, new_date), = query_rows(db, """
        SELECT o.report_id, n.report_id, o.published_on, n.published_on FROM reports o
        JOIN reports n ON n.report_id = o.superseded_by WHERE o.status = 'superseded'""")
    assert (str(old_date), str(new_date)) == ("2025-01-24", "2025-03-10")
    assert query_rows(db, "SELECT status, source_path LIKE '%corrected%' FROM reports WHERE report_id = ?", new_id) == [("active", True)]
    cell = "SELECT value FROM facts WHERE report_id = ? AND table_code = 't1' AND row_code = 'licensing'"
    assert query_rows(db, cell, old_id) == [(0,)] and query_rows(db, cell, new_id) == [(3,)]
    assert query_rows(db, "SELECT count(*) FROM facts WHERE report_id = ?", old_id) == [(200,)]
    assert query_rows(db, "SELECT report_id FROM v_report_summary WHERE body LIKE '%武江%'") == [(new_id,)]
    assert query_rows(db, "SELECT count(*) FROM v_t1 WHERE report_id = ?", old_id) == [(0,)]


def test_rerun_reparse_and_another_order_give_the_same_ids_and_active_set(built, tmp_path):
    raw, db = built
    first = _state(db)
    _ingest(db, raw)
    assert _state(db) == first
    _ingest(db, raw, reparse=True)
    assert _state(db) == first
    other = tmp_path / "other.duckdb"
    _ingest(other, raw / "extra")  # the copies first, on their own
    _ingest(other, raw)
    assert _state(other) == first


def test_province_and_city_rollups_are_sums_of_their_reports(built):
    _, db = built
    seeds = {name: facts_of(path) for name, path in SEED.items()}

    def hand(names):
        f = [seeds[n] for n in names]
        handled = sum(x["t2.total_handled.total"] for x in f)
        disclosed = sum(x["t2.granted.total"] + x["t2.partially_granted.total"] for x in f)
        return len(f), sum(x["t2.new_received.total"] for x in f), handled, disclosed / handled if handled else None

    provinces = query_rows(db, "SELECT division_code, province, reports, received, handled, disclosure_rate FROM v_province_year")
    assert [p[0] for p in provinces] == ["130000", "410000", "440000", "610000"]  # GB/T 2260 order
    for _code, province, *got in provinces:
        names = [n for n, (p, _c) in PLACES.items() if p == province]
        assert tuple(got) == pytest.approx(hand(names)), province
    henan = [r for r in provinces if r[1] == "河南省"][0]
    assert henan[2] == 2  # 湛河 and 川汇: 25 received, (0 + 8 + 0) / 25 disclosed
    cities = query_rows(db, "SELECT division_code, city, reports, received, handled, disclosure_rate FROM v_city_year")
    assert [c[0] for c in cities] == sorted(c[0] for c in cities) and len(cities) == 5
    for _code, city, *got in cities:
        assert tuple(got) == pytest.approx(hand([n for n, (_p, c) in PLACES.items() if c == city])), city


def test_a_rate_below_the_minimum_denominator_is_not_ranked(built):
    _, db = built
    assert query_rows(db, "SELECT ranking_min_handled()") == [(20,)]
    wujiang = query_rows(db, """SELECT rank_scope, handled, disclosure_rate, disclosure_rank, disclosure_percentile
                        FROM v_rankings WHERE body LIKE '%武江%' ORDER BY rank_scope""")
    assert [(s, h, r, p) for s, h, _rate, r, p in wujiang] == [
        ("city", 3, None, None), ("national", 3, None, None), ("province", 3, None, None)]
    assert all(rate is not None for *_x, rate, _r, _p in wujiang)  # shown, just not ranked
    national = query_rows(db, "SELECT body, disclosure_rank FROM v_rankings WHERE rank_scope = 'national' "
                      "AND disclosure_rank IS NOT NULL ORDER BY disclosure_rank")
    assert [b for b, _ in national] == ["保定市徐水区人民政府办公室", "秦都区", "川汇区政府办公室"]
    provincial = query_rows(db, "SELECT count(*) FROM v_rankings WHERE rank_scope = 'province' AND disclosure_rank = 1")
    assert provincial == [(3,)]  # each ranked body is first in its own province


def test_manifest_overrides_body_and_year_and_a_bad_row_is_a_warning(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(SEED["qindu"].parent, raw)
    (raw / "manifest.csv").write_text(
        "path,source_url,body,division_code,year,published_on\n"
        f"{SEED['qindu'].name},http://www.qindu.gov.cn/zfxxgk/2024.html,咸阳市秦都区人民政府,,2023,2025-01-20\n"
        f"{SEED['zhanhe'].name},,,,twenty,\n"
        "no_such_file.txt,,某某局,,2024,\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(raw), "--db", str(db), "-q", "--jobs", "1"]) == 0
    assert query_rows(db, "SELECT count(*) FROM reports") == [(5,)]  # the manifest itself is no report
    row = query_rows(db, "SELECT body, body_source, year, published_on, source_url, body_id FROM reports WHERE body LIKE '%秦都%'")
    assert [tuple(map(str, r)) for r in row] == [("咸阳市秦都区人民政府", "sidecar", "2023", "2025-01-20",
                                                  "http://www.qindu.gov.cn/zfxxgk/2024.html", "610402:咸阳市秦都区人民政府")]
    warnings = [m for (m,) in query_rows(db, "SELECT message FROM parse_warnings WHERE stage = 'sidecar' ORDER BY message")]
    assert len(warnings) == 2
    assert "line 3: year 'twenty' is not a year" in warnings[0] and "line 4: no loaded report" in warnings[1]
    assert query_rows(db, "SELECT year FROM reports WHERE body LIKE '%湛河%'") == [(2024,)]
    # the manifest goes: the next (incremental) run restores what the document prints
    (raw / "manifest.csv").unlink()
    assert main(["ingest", str(raw), "--db", str(db), "-q", "--jobs", "1"]) == 0
    assert query_rows(db, "SELECT body, body_source, year, source_url FROM reports WHERE body LIKE '%秦都%'") == [
        ("秦都区", "inferred", 2024, None)]


def test_jsonl_manifest_sets_the_division(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED["zhanhe"], raw / "a.txt")
    (raw / "manifest.jsonl").write_text(
        '{"path": "a.txt", "body": "新华区信访局", "division_code": "410402", "source_url": "https://x.gov.cn/1"}\n'
        '{not json}\n', encoding="utf-8")
    db = tmp_path / "w.duckdb"
    _ingest(db, raw)
    assert query_rows(db, "SELECT division_code, county, body_id, body_source, source_url FROM reports") == [
        ("410402", "新华区", "410402:平顶山市新华区信访局", "sidecar", "https://x.gov.cn/1")]
    assert len(query_rows(db, "SELECT 1 FROM parse_warnings WHERE stage = 'sidecar' AND message LIKE '%line 2: not JSON%'")) == 1


def test_two_versions_that_cannot_be_ordered_stay_active_and_are_named(tmp_path):
    from pipeline.checks import load_suites
    from pipeline.warehouse import sql

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_bytes(SEED["wujiang"].read_bytes())
    (raw / "b.txt").write_bytes(_corrected_wujiang().replace("2025年3月10日".encode(), "2025年1月24日".encode()))
    db = tmp_path / "w.duckdb"
    _ingest(db, raw)
    assert query_rows(db, "SELECT count(*) FROM reports WHERE status = 'active'") == [(2,)]
    suite = next(s for s in load_suites() if s["meta"]["suite"] == "integrity")
    assert suite["meta"]["severity"] == "error"
    con = duckdb.connect(str(db), read_only=True)
    frame = con.execute(sql(suite["meta"]["frame"])).df()
    con.close()
    # the suite expects observed == expected (GX runs it in every validation, tests/test_checks.py)
    assert list(frame["observed"]) == [2, 2] and list(frame["expected"]) == [1, 1]
    assert set(frame["check_name"]) == {"integrity.one_report_per_body_year"}
    assert all("a.txt" in m and "b.txt" in m and "2025-01-24" in m for m in frame["message"])


def test_a_body_that_stopped_reporting_is_missing_and_yoy_follows_the_body(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(SEED["qindu"].parent, raw)
    chuanhui = SEED["chuanhui"].read_text(encoding="utf-8")
    (raw / "chuanhui_2023.txt").write_text(chuanhui.replace("2024", "2023").replace("川汇区政府办公室", "川汇区人民政府办公室"),
                                           encoding="utf-8")
    wujiang = SEED["wujiang"].read_text(encoding="utf-8")
    (raw / "zhenjiang_2023.txt").write_text(wujiang.replace("2024年", "2023年").replace("武江区", "浈江区"), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    _ingest(db, raw)
    assert query_rows(db, "SELECT body_id, missing_year, last_reported_year FROM v_missing_reports") == [
        ("440204:韶关市浈江区人民政府办公室", 2024, 2023)]
    # 川汇区人民政府办公室 (2023) and 川汇区政府办公室 (2024) are one body
    yoy = query_rows(db, "SELECT body_id, received, prev_received FROM v_body_yoy WHERE prev_report_id IS NOT NULL")
    assert yoy == [("411602:周口市川汇区人民政府办公室", 25, 25)]
    city = query_rows(db, "SELECT year, reports, prev_reports FROM v_rollup_yoy WHERE grain = 'city' AND division_code = '411600'")
    assert city == [(2023, 1, None), (2024, 1, 1)]


def test_the_parser_fingerprint_is_the_one_sql_computes(built):
    _, db = built
    mismatched = query_rows(db, """
        SELECT r.report_id FROM reports r JOIN (
            SELECT report_id, md5(string_agg(table_code || '.' || row_code || '.' || col_code || '='
                                             || coalesce(CAST(value AS VARCHAR), '-'), ';'
                                             ORDER BY table_code, row_code, col_code)) AS fp
            FROM facts GROUP BY report_id) f USING (report_id)
        WHERE r.facts_fp IS DISTINCT FROM f.fp""")
    assert mismatched == [] and query_rows(db, "SELECT count(facts_fp) FROM reports") == [(9,)]
