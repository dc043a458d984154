"""The template mapper on the quirks of the spec's 'layouts seen in the wild', with real lines."""

from __future__ import annotations

from decimal import Decimal

from pipeline.mapper import map_document
from pipeline.readers.text import document_from_text

from .conftest import SEED, facts_of
from .pdftext import plain_copy

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


# --- label drift: rows placed by the template's order --------------------------------

def _t2_tab(rows: list[tuple[str, str]]) -> str:
    """t2 rows as tab-separated lines: (label, seven numbers separated by spaces)."""
    return T2_HEAD + "".join(f"{label}\t" + "\t".join(nums.split()) + "\n" for label, nums in rows) + "六、其他需要报告的事项\n"


WITHHELD = [("（三）不予公开\t1.属于国家秘密", "1 0 0 0 0 0 1"), ("2.其他法律行政止公开", "2 0 0 0 0 0 2"),
            ("3.危及“三安全一稳定”", "3 0 0 0 0 0 3")]


def test_misspelled_label_placed_by_its_ordinal_and_neighbours():
    r = _map(_t2_tab(WITHHELD))
    f = _facts(r)
    assert f["t2.withheld_prohibited_by_law.natural_person"] == 2 and f["t2.withheld_prohibited_by_law.total"] == 2
    assert any("placed by position" in w and "2.其他法律行政止公开" in w for w in r.warnings)


def test_misspelled_label_with_the_wrong_ordinal_is_not_placed():
    rows = [WITHHELD[0], ("5.其他法律行政止公开", "2 0 0 0 0 0 2"), WITHHELD[2]]
    r = _map(_t2_tab(rows))
    assert not any(k.startswith("t2.withheld_prohibited_by_law") for k in _facts(r))
    assert any("unplaced label '5.其他法律行政止公开'" in w for w in r.warnings)


def test_unlike_label_between_neighbours_is_never_guessed():
    # wording unlike the one missing row: an extra row of the body's own, not a typo
    rows = [WITHHELD[0], ("2.涉及个人隐私", "2 0 0 0 0 0 2"), WITHHELD[2]]
    r = _map(_t2_tab(rows))
    assert not any(k.startswith("t2.withheld_prohibited_by_law") for k in _facts(r))
    assert not any("placed by position" in w for w in r.warnings)


def test_label_in_a_gap_of_several_rows_is_not_guessed():
    # like 5.属于三类内部事务信息, but four rows are unplaced between its neighbours: no guess
    rows = [WITHHELD[0], ("属于类内部事务信息", "2 0 0 0 0 0 2"), ("7.属于行政执法案卷", "3 0 0 0 0 0 3")]
    r = _map(_t2_tab(rows))
    assert not any("placed by position" in w for w in r.warnings)


def test_one_row_other_processing_in_a_2021_report_keeps_the_2019_code():
    rows = [("（五）不予处理\t5.要求行政机关确认或重新出具已获取信息", "0 0 0 0 0 0 0"), ("（六）其他处理", "4 0 0 0 0 0 4"),
            ("（七）总计", "9 0 0 0 0 0 9")]
    r = _map(_t2_tab(rows))
    f = _facts(r)
    assert r.template_version == "2021"
    assert f["t2.other_processing.natural_person"] == 4 and f["t2.other_processing.total"] == 4
    assert any("stored as t2.other_processing" in w for w in r.warnings)


# --- money exactly ------------------------------------------------------------------

def test_money_in_yuan_is_converted_exactly():
    text = (T1_HEAD + "第二十条第（八）项\n信息内容\t本年收费金额（单位：万元）\n行政事业性收费\t75394432.52元\n"
            "六、其他需要报告的事项\n")
    r = _map(text)
    value = _facts(r)["t1.admin_fees.amount_10k_yuan"]
    assert value == Decimal("7539.443252") and isinstance(value, Decimal)
    assert any("stored as 7539.443252 万元" in w for w in r.warnings)


def test_counts_stay_ints_and_fractions_are_decimals_never_floats():
    f = facts_of(SEED["qindu"])
    assert all(type(v) in (int, Decimal) for v in f.values())
    assert f["t1.admin_fees.amount_10k_yuan"] == Decimal("2090.6")
    assert type(f["t2.new_received.total"]) is int


def test_exact_money_survives_the_warehouse(tmp_path):
    from pipeline.parse import parse_bytes
    from pipeline.warehouse import connect, load_batch

    text = SEED["qindu"].read_text(encoding="utf-8").replace("2090.6", "75394432.52元")
    report = parse_bytes(text.encode("utf-8"), str(tmp_path / "q.txt"))
    con = connect(tmp_path / "w.duckdb")
    load_batch(con, [report], [])
    value = con.execute("SELECT value FROM facts WHERE row_code = 'admin_fees'").fetchone()[0]
    assert value == Decimal("7539.443252")
    assert con.execute("SELECT data_type FROM information_schema.columns "
                       "WHERE table_name = 'facts' AND column_name = 'value'").fetchone()[0] == "DECIMAL(24,6)"


def _one_row_other_processing(natural: int) -> str:
    """chuanhui (004, a 2021 report) with its three （六） rows printed as 2019's one row."""
    lines = SEED["chuanhui"].read_text(encoding="utf-8").splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("(六) 其他处理"))
    one = f"(六) 其他处理\t\t{natural}\t0\t0\t0\t0\t0\t{natural}\t"
    return "\n".join(lines[:start] + [one] + lines[start + 3:]) + "\n"


def test_identity_2_sums_a_one_row_other_processing(tmp_path):
    from pipeline.parse import parse_bytes
    from pipeline.warehouse import connect, load_batch

    con = connect(tmp_path / "w.duckdb")
    reports = [parse_bytes(_one_row_other_processing(n).encode("utf-8"), f"{name}.txt")
               for name, n in (("right", 0), ("wrong", 1))]
    load_batch(con, reports, [])
    assert con.execute("SELECT count(*) FROM facts WHERE row_code = 'other_processing'").fetchone()[0] == 14
    from pipeline.checks import validate_warehouse

    validate_warehouse(con)  # the identities suite, as `ogi validate` runs it
    names = {r.report_id: r.source_path for r in reports}
    rows = con.execute("SELECT report_id, check_name, passed FROM check_results "
                       "WHERE check_name LIKE 't2.handled_sum%'").fetchall()
    by_file = {p: [(name, ok) for rid, name, ok in rows if names[rid] == p] for p in ("right.txt", "wrong.txt")}
    assert len(by_file["right.txt"]) == 7 and all(ok for _name, ok in by_file["right.txt"])
    assert {name for name, ok in by_file["wrong.txt"] if ok is False} == {"t2.handled_sum[natural_person]",
                                                                        "t2.handled_sum[total]"}


def test_letters_in_a_number_cell_quarantine_a_text_file_but_only_blank_an_ocr_cell():
    import pytest

    from pipeline.model import Cell, ReportError, Table

    text = T2_HEAD + "（一）予以公开\n8\n0\nL1\n0\n0\n0\n8\n（二）部分公开\n1\n0\n0\n0\n0\n0\n1\n六、其他需要报告的事项\n"
    with pytest.raises(ReportError, match="unreadable numbers .*'L1'"):
        _map(text)  # the source prints it: fix the source
    doc = document_from_text(text, "scan.png")
    for item in doc.items:  # the same cells as OCR would locate them
        if isinstance(item, Table):
            item.rows = [[Cell(c.text, f"ocr table 1 {c.locator}") for c in row] for row in item.rows]
    result = map_document(doc)
    assert any("OCR read 'L1', not a number" in w for w in result.warnings)
    facts = _facts(result)
    assert facts.get("t2.granted.research_institution") is None  # never a number made of 'L1'
    assert facts["t2.partially_granted.total"] == 1  # the rest of the report loads


def test_a_number_copied_out_before_t3s_column_headings_is_no_value():
    # pdftotext's block order (a property-test find): a lone 0 between the group headings and
    # the column headings; the review row's 结果维持 is blank, so 14 numbers follow for 15 cells.
    heads = "行政复议\n行政诉讼\n-2-\n0\n结果\n维持\n结果\n纠正\n其他\n结果\n尚未\n审结\n总计\n"
    text = ("四、政府信息公开行政复议、行政诉讼情况\n" + heads + "0\n0\n0\n1\n未经复议直接起诉\n复议后起诉\n"
            + "结果\n维持\n结果\n纠正\n其他\n结果\n尚未\n审结\n总计\n" * 2
            + "0\n0\n0\n0\n0\n1\n0\n0\n0\n1\n五、存在的主要问题及改进情况\n")
    result = _map(T2_HEAD + "（一）予以公开\n8\n0\n0\n0\n0\n0\n8\n" + text)
    assert not [k for k in _facts(result) if k.startswith("t3.")]  # never 0 in 结果维持
    assert any("numbers 0 before the table's column headings ignored" in w for w in result.warnings)


RECEIVED, CARRIED, GRANTED = "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开"
# Rows printed whole ahead of the case under test: loaded, so the report is not empty.
AHEAD = plain_copy("（二）部分公开", *"1000001", "（七）总计", *"2000002", "四、结转下年度继续办理", *"0000000")


def test_plain_copy_row_taking_a_number_across_a_page_break_is_not_loaded():
    # new_received prints 1 0 0 0 0 0 on page 1 (one cell blank); the 1 opening page 2 is of
    # carried_over, whose label the viewer put after it. 1 0 0 0 0 0 1 adds up: only the page
    # break says the seventh number is not this row's.
    r = _map(T2_HEAD + AHEAD + plain_copy(RECEIVED, *"100000") + "\f" + plain_copy("1", CARRIED, *"000000"))
    facts = _facts(r)
    assert facts["t2.total_handled.total"] == 2
    assert not any(k.startswith("t2.new_received") for k in facts)
    assert any("may be of two rows" in w and "1, 0, 0, 0, 0, 0, 1" in w for w in r.warnings)


def test_plain_copy_row_with_a_number_stacked_under_its_total_is_not_loaded():
    # '0\n8': carried_over's 总计 with, under it in the same block, granted's 总计.
    r = _map(T2_HEAD + AHEAD + plain_copy(RECEIVED, *"1000001", CARRIED, "0", "0", "0", "0", "0", "0\n8",
                                           GRANTED, *"800000"))
    facts = _facts(r)
    assert facts["t2.total_handled.total"] == 2
    assert not any(k.startswith("t2.carried_over") for k in facts)
    assert any("may be of two rows" in w and "0, 0, 0, 0, 0, 0, 8" in w for w in r.warnings)


def test_plain_copy_row_whose_numbers_do_not_add_up_is_not_loaded():
    # A number moved past its label by the viewer: 0 0 0 0 0 0 8 — 总计 8 is not the sum.
    r = _map(T2_HEAD + plain_copy(RECEIVED, *"1000001", CARRIED, *"0000008", GRANTED, *"8000008"))
    facts = _facts(r)
    assert facts["t2.new_received.natural_person"] == 1
    assert facts["t2.granted.total"] == 8
    assert not any(k.startswith("t2.carried_over") for k in facts)
    assert any("t2.carried_over" in w and "do not add up" in w for w in r.warnings)


def test_plain_copy_t3_with_another_tables_labels_in_its_block_is_not_loaded():
    # The viewer's order put the tail of t2 (a label and its numbers) among t3's cells:
    # fifteen numbers for fifteen cells, all adding up, but not all t3's.
    headings = ("行政复议", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    r = _map(T2_HEAD + AHEAD + "四、政府信息公开行政复议、行政诉讼情况\n\n"
             + plain_copy(*headings, *"00000", "1.信访举报投诉类申请", *"00", *"00000000"))
    facts = _facts(r)
    assert facts["t2.total_handled.total"] == 2
    assert not any(k.startswith("t3.") for k in facts)
    assert any("another table's labels" in w for w in r.warnings)


def test_unknown_text_between_a_label_and_its_number_leaves_the_number_out():
    # 行政事业性收费 wrapped round its number (行政事 / 业性收 0 / 费), one cell per line: the
    # 0 is not 行政强制's, the label read last before it.
    text = T1_HEAD + "行政许可\n3\n行政强\n制\n第二十条第（八）项\n信息内容\n本年收费金额（单位：万元）\n行政事\n业性收\n0\n费\n"
    r = _map(text)
    facts = _facts(r)
    assert facts["t1.licensing.decisions"] == 3
    assert facts.get("t1.coercion.decisions") is None
    assert any("t1.coercion" in w and "not certain" in w for w in r.warnings)
