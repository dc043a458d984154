"""The template mapper on the quirks of the spec's 'layouts seen in the wild', with real lines."""

from __future__ import annotations

from decimal import Decimal

from pipeline.mapper import map_document
from pipeline.readers.text import document_from_text

from .conftest import SEED, facts_of

T1_HEAD = "二、主动公开政府信息情况\n"
T2_HEAD = "三、收到和处理政府信息公开申请情况\n"


def _map(text: str):
    return map_document(document_from_text(text, "test.txt"))


def _facts(result) -> dict[str, float | None]:
    return {f"{f.table_code}.{f.row_code}.{f.col_code}": f.value for f in result.facts}


def test_stray_digit_glued_to_label_is_absorbed_and_reported():
    # 002 line 75: '三、本年度办理结果0' then the (一)予以公开 row
    r = _map(T2_HEAD + "三、本年度办理结果0\n（一）予以公开\n8\n0\n0\n0\n0\n0\n8\n六、其他需要报告的事项\n")
    assert _facts(r)["t2.granted.natural_person"] == 8
    assert _facts(r)["t2.granted.total"] == 8
    assert any("stray digits '0'" in w for w in r.warnings)


def test_space_only_extra_cell_is_dropped():
    # 002 lines 224-232: six zeros, a space-only line, then the seventh zero
    text = T2_HEAD + "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\n0\n0\n0\n0\n0\n0\n \n5\n六、其他需要报告的事项\n"
    f = _facts(_map(text))
    assert f["t2.other_overdue_correction.other_org"] == 0
    assert f["t2.other_overdue_correction.total"] == 5


def test_typo_benniandu_zhi_jianshu_is_a_header():
    # 003 line 20: 本年度止件数 for 本年废止件数
    r = _map(T1_HEAD + "信息内容\t本年制发件数\t本年度止件数\t现行有效件数\n规章\t1\t2\t3\n六、其他需要报告的事项\n")
    assert _facts(r)["t1.regulation.repealed"] == 2
    assert not any("unplaced" in w for w in r.warnings)


def test_header_words_broken_over_two_lines():
    # 000 lines 76-79: '商业' / '企业', '科研' / '机构'
    text = T2_HEAD + "\t申请人情况\n\t自然人\n\t商业\n企业\n\t科研\n机构\n\t社会公益组织\n\t总计\n\t一、本年新收政府信息公开申请数量\n" + "\t4\n" * 7
    r = _map(text + "六、其他需要报告的事项\n")
    assert _facts(r)["t2.new_received.natural_person"] == 4
    assert not any("unplaced" in w for w in r.warnings)


def test_full_and_half_width_brackets_and_spaced_numbering():
    # 004 line 44 and 45: '(二) 部分公开 (区分处理的, …)' and '1. 属于国家秘密'
    lines = [
        "→(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)→1→0→0→0→0→0→1→",
        "→(三) 不予公开→1. 属于国家秘密→2→0→0→0→0→0→2",
        "→（四）无法提供→1.本机关不掌握相关政府信息→17→0→0→0→0→0→17",
    ]
    f = _facts(_map(T2_HEAD + "\n".join(line.replace("→", "\t") for line in lines) + "\n六、其他需要报告的事项\n"))
    assert f["t2.partially_granted.total"] == 1
    assert f["t2.withheld_state_secret.natural_person"] == 2
    assert f["t2.unavailable_not_held.total"] == 17


def test_missing_leading_tabs():
    # 003 line 61: '3.其他→→0→…' where its neighbours start with two tabs
    lines = ["→→2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请→0→0→0→0→0→0→0",
             "3.其他→→1→0→0→0→0→0→1→", "(七)·总计→→1→0→0→0→0→0→1→"]
    f = _facts(_map(T2_HEAD + "\n".join(ln.replace("→", "\t").replace("·", " ") for ln in lines) + "\n六、其他需要报告的事项\n"))
    assert f["t2.other_other.natural_person"] == 1
    assert f["t2.total_handled.total"] == 1


def test_blank_dash_slash_wu_are_null_not_zero():
    lines = ["规章 | — | / | 无 |", "行政规范性文件 | 0 |  | 3 |"]
    f = _facts(_map(T1_HEAD + "\n".join(lines) + "\n六、其他需要报告的事项\n"))
    assert f["t1.regulation.issued"] is None
    assert f["t1.regulation.repealed"] is None
    assert f["t1.regulation.in_force"] is None
    assert f["t1.normative_document.issued"] == 0
    assert f["t1.normative_document.repealed"] is None


def test_report_cut_off_inside_t2_loads_what_it_has_and_lists_the_rest():
    text = SEED["chuanhui"].read_text(encoding="utf-8")
    cut = text[: text.index("→(三)") if "→(三)" in text else text.index("\t(三)")]
    r = _map(cut)
    f = _facts(r)
    assert f["t2.granted.total"] == 8
    assert "t2.withheld_state_secret.total" not in f
    assert any(w.startswith("t2: missing ") and "withheld_state_secret" in w for w in r.warnings)
    assert any(w == "t3: missing entirely" for w in r.warnings)


def test_2019_format_detected_and_stored_under_2019_codes():
    text = (T1_HEAD + "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n行政许可 | 21 | +19 | 40 |\n"
            "其他对外管理服务事项 | 5 | 减4 | 1 |\n信息内容 | 采购项目数量 | 采购总金额 |\n政府集中采购 | 2 | 251000元 |\n"
            + T2_HEAD + "（六）其他处理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n六、其他需要报告的事项\n")
    r = _map(text)
    f = _facts(r)
    assert r.template_version == "2019"
    assert f["t1.licensing.change"] == 19 and f["t1.licensing.decisions"] == 40
    assert f["t1.other_admin_services.change"] == -4
    assert f["t1.central_procurement.amount_10k_yuan"] == Decimal("25.1")
    assert f["t2.other_processing.total"] == 1


def test_collapsed_blank_cells_are_never_shifted():
    # 040: blank cells dropped from one-cell-per-line text
    text = T2_HEAD + "一、本年新收政府信息公开申请数量 |\n3 |\n3 |\n|||||||\n（二）部分公开 |\n0 |\n||||||\n三、本年度办理结果\n六、其他需要报告的事项\n"
    r = _map(text)
    f = _facts(r)
    assert f == {"t2.new_received.total": 3}
    assert any("positions ambiguous" in w for w in r.warnings)


def test_unplaced_label_is_a_warning_not_a_silent_skip():
    r = _map(T1_HEAD + "规章\t0\t0\t0\n行政审批事项\t7\n六、其他需要报告的事项\n")
    assert any("unplaced label '行政审批事项'" in w for w in r.warnings)


def test_traditional_characters_and_pinyin_glosses():
    # 022: '規(guī)章' and '行政規(guī)範性文件' from a mirror site
    f = _facts(_map(T1_HEAD + "規(guī)章 |\n0 |\n0 |\n0 |\n行政規(guī)範性文件 |\n0 |\n0 |\n2 |\n六、其他需要报告的事项\n"))
    assert f["t1.normative_document.in_force"] == 2


def test_same_seed_in_gb18030_and_utf16_gives_the_same_facts(tmp_path):
    original = facts_of(SEED["qindu"])
    for enc in ("gb18030", "utf-16"):
        p = tmp_path / f"qindu-{enc}.txt"
        p.write_bytes(SEED["qindu"].read_text(encoding="utf-8").encode(enc))
        assert facts_of(p) == original


def test_group_and_row_label_on_one_line():
    # PDF text layers print a merged group cell and its first row on one line.
    lines = ["三、本年度办理结果 (一) 予以公开 2 0 0 0 0 0 2", "(三) 不予公开 1.属于国家秘密 1 0 0 0 0 0 1"]
    f = _facts(_map(T2_HEAD + "\n".join(lines) + "\n六、其他需要报告的事项\n"))
    assert f["t2.granted.total"] == 2 and f["t2.withheld_state_secret.natural_person"] == 1
