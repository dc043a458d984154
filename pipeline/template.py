"""The report template of 国办公开办函〔2021〕30号 (and its 2019 predecessor), once.

Codes, Chinese labels and printed order of every cell live here. Label *variants*
seen in the wild (typos, old wordings, header fragments) are data, kept in
``data/label_variants.csv`` and read by :func:`label_index`; the mapper, the
dimension tables and the data dictionary all read this module.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

TEMPLATE_VERSIONS = ("2021", "2019")

TABLES = {
    "t1": "主动公开政府信息情况",
    "t2": "收到和处理政府信息公开申请情况",
    "t3": "政府信息公开行政复议、行政诉讼情况",
}

# (code, label) in printed order.
T1_COLS_2021 = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "本年处理决定数量",
    "amount_10k_yuan": "本年收费金额（单位：万元）",
}
T1_COLS_2019 = {
    "made": "本年新制作数量",
    "published": "本年新公开数量",
    "published_total": "对外公开总数量",
    "prior_year_items": "上一年项目数量",
    "change": "本年增/减",
    "decisions": "处理决定数量",
    "items": "采购项目数量",
    "amount_10k_yuan": "采购总金额（万元）",
}

# row code -> (label, column codes) per template version.
T1_ROWS = {
    "2021": {
        "regulation": ("规章", ("issued", "repealed", "in_force")),
        "normative_document": ("行政规范性文件", ("issued", "repealed", "in_force")),
        "licensing": ("行政许可", ("decisions",)),
        "penalty": ("行政处罚", ("decisions",)),
        "coercion": ("行政强制", ("decisions",)),
        "admin_fees": ("行政事业性收费", ("amount_10k_yuan",)),
    },
    "2019": {
        "regulation": ("规章", ("made", "published", "published_total")),
        "normative_document": ("规范性文件", ("made", "published", "published_total")),
        "licensing": ("行政许可", ("prior_year_items", "change", "decisions")),
        "other_admin_services": ("其他对外管理服务事项", ("prior_year_items", "change", "decisions")),
        "penalty": ("行政处罚", ("prior_year_items", "change", "decisions")),
        "coercion": ("行政强制", ("prior_year_items", "change", "decisions")),
        "admin_fees": ("行政事业性收费", ("prior_year_items", "change")),
        "central_procurement": ("政府集中采购", ("items", "amount_10k_yuan")),
    },
}

T2_COLS = {
    "natural_person": "自然人",
    "commercial_enterprise": "法人或其他组织·商业企业",
    "research_institution": "法人或其他组织·科研机构",
    "social_welfare_org": "法人或其他组织·社会公益组织",
    "legal_service_org": "法人或其他组织·法律服务机构",
    "other_org": "法人或其他组织·其他",
    "total": "总计",
}

_T2_HEAD = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "三、本年度办理结果·（一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "withheld_state_secret": "（三）不予公开·1.属于国家秘密",
    "withheld_prohibited_by_law": "（三）不予公开·2.其他法律行政法规禁止公开",
    "withheld_three_safeties": "（三）不予公开·3.危及“三安全一稳定”",
    "withheld_third_party": "（三）不予公开·4.保护第三方合法权益",
    "withheld_internal_affairs": "（三）不予公开·5.属于三类内部事务信息",
    "withheld_process_info": "（三）不予公开·6.属于四类过程性信息",
    "withheld_enforcement_file": "（三）不予公开·7.属于行政执法案卷",
    "withheld_admin_inquiry": "（三）不予公开·8.属于行政查询事项",
    "unavailable_not_held": "（四）无法提供·1.本机关不掌握相关政府信息",
    "unavailable_needs_creation": "（四）无法提供·2.没有现成信息需要另行制作",
    "unavailable_unclear": "（四）无法提供·3.补正后申请内容仍不明确",
    "not_processed_petition": "（五）不予处理·1.信访举报投诉类申请",
    "not_processed_duplicate": "（五）不予处理·2.重复申请",
    "not_processed_publication": "（五）不予处理·3.要求提供公开出版物",
    "not_processed_excessive": "（五）不予处理·4.无正当理由大量反复申请",
    "not_processed_confirmation": "（五）不予处理·5.要求行政机关确认或重新出具已获取信息",
}
_T2_OTHER_2021 = {
    "other_overdue_correction": "（六）其他处理·1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_overdue_fee": "（六）其他处理·2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_other": "（六）其他处理·3.其他",
}
_T2_OTHER_2019 = {"other_processing": "（六）其他处理"}
_T2_TAIL = {
    "total_handled": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
T2_ROWS = {
    "2021": {**_T2_HEAD, **_T2_OTHER_2021, **_T2_TAIL},
    "2019": {**_T2_HEAD, **_T2_OTHER_2019, **_T2_TAIL},
}
# Rows whose sum is t2.total_handled (identity 2).
T2_RESULT_ROWS = {
    v: tuple(r for r in rows if r not in ("new_received", "carried_over", "total_handled", "carried_forward"))
    for v, rows in T2_ROWS.items()
}

T3_ROWS = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼·未经复议直接起诉",
    "litigation_after_review": "行政诉讼·复议后起诉",
}
T3_COLS = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}

# Units, for the data dictionary and value parsing.
MONEY_COLS = {"amount_10k_yuan"}
SIGNED_COLS = {"change"}


@dataclass(frozen=True)
class CellSpec:
    table_code: str
    row_code: str
    col_code: str
    row_label_zh: str
    col_label_zh: str
    sort_order: int
    template_version: str

    @property
    def key(self) -> str:
        return f"{self.table_code}.{self.row_code}.{self.col_code}"


def row_columns(version: str, table: str, row: str) -> tuple[str, ...]:
    """The column codes of one row, in printed order."""
    if table == "t1":
        return T1_ROWS[version][row][1]
    if table == "t2":
        return tuple(T2_COLS)
    return tuple(T3_COLS)


def table_columns(table: str) -> tuple[str, ...]:
    """A table's column codes over every template version, newest version first, each
    in its printed order: the columns of the wide views (v_t1, v_t2, v_t3)."""
    out: dict[str, None] = {}
    for version in TEMPLATE_VERSIONS:
        for cell in cells(version):
            if cell.table_code == table:
                out.setdefault(cell.col_code)
    return tuple(out)


def table_rows(version: str, table: str) -> tuple[str, ...]:
    if table == "t1":
        return tuple(T1_ROWS[version])
    if table == "t2":
        return tuple(T2_ROWS[version])
    return tuple(T3_ROWS)


def _row_label(version: str, table: str, row: str) -> str:
    if table == "t1":
        return T1_ROWS[version][row][0]
    if table == "t2":
        return T2_ROWS[version][row]
    return T3_ROWS[row]


def _col_label(version: str, table: str, col: str) -> str:
    if table == "t1":
        return (T1_COLS_2021 if version == "2021" else T1_COLS_2019)[col]
    if table == "t2":
        return T2_COLS[col]
    return T3_COLS[col]


@cache
def cells(version: str = "2021") -> tuple[CellSpec, ...]:
    """Every cell of one template version, in printed order."""
    out = []
    for table in TABLES:
        for row in table_rows(version, table):
            for col in row_columns(version, table, row):
                out.append(
                    CellSpec(
                        table, row, col,
                        _row_label(version, table, row),
                        _col_label(version, table, col),
                        len(out) + 1,
                        version,
                    )
                )
    return tuple(out)


# --- label normalisation and variants ---------------------------------------

_PINYIN = re.compile(r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]+\)")
_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": "", "”": "", '"': "", "‘": "", "’": "", "'": "", "《": "", "》": ""})


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Fold a label to its comparable form.

    NFKC unifies full/half-width brackets and punctuation, traditional characters
    become simplified, pinyin glosses inserted by copy sites (規(guī)章) and all
    white space go.
    """
    s = unicodedata.normalize("NFKC", text)
    s = _PINYIN.sub("", s)
    s = _SPACE.sub("", s)
    if any(ord(ch) > 0x2E80 for ch in s):
        s = _t2s().convert(s)
    return s.translate(_QUOTES)


_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十]+\)|\d+[.、,]|[①-⑩])+"
)


@lru_cache(maxsize=65536)
def strip_numbering(key: str) -> str:
    """Drop leading outline numbers: '三、', '(一)', '1.', also stacked ('(三)1.')."""
    return _NUMBERING.sub("", key)


@dataclass(frozen=True)
class LabelVariant:
    table_code: str
    kind: str  # row | group | header
    code: str
    template_version: str  # 2021 | 2019 | any
    variant: str


@lru_cache(maxsize=1)
def label_variants() -> tuple[LabelVariant, ...]:
    path = resources.files("pipeline") / "data" / "label_variants.csv"
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["table_code"] and not r["table_code"].startswith("#")]
    return tuple(LabelVariant(r["table_code"], r["kind"], r["code"], r["template_version"], r["variant"]) for r in rows)


@lru_cache(maxsize=1)
def label_index() -> dict[str, dict[str, list[LabelVariant]]]:
    """table -> normalised label (numbering stripped) -> variants with that text.

    The canonical labels themselves are entries too, so the CSV only has to list
    what real reports print differently.
    """
    index: dict[str, dict[str, list[LabelVariant]]] = {t: {} for t in TABLES}

    def add(v: LabelVariant) -> None:
        key = strip_numbering(normalize(v.variant))
        bucket = index[v.table_code].setdefault(key, [])
        if v not in bucket:
            bucket.append(v)

    for version in TEMPLATE_VERSIONS:
        for row, (label, _) in T1_ROWS[version].items():
            add(LabelVariant("t1", "row", row, version, label))
        for row, label in T2_ROWS[version].items():
            add(LabelVariant("t2", "row", row, version, label.split("·")[-1]))
    for v in label_variants():
        add(v)
    return index


def header_words(table: str) -> tuple[str, ...]:
    """Header vocabulary of a table, longest first, for recognising header cells."""
    words = {
        strip_numbering(normalize(v.variant))
        for v in label_variants()
        if v.table_code == table and v.kind == "header"
    }
    return tuple(sorted((w for w in words if w), key=len, reverse=True))


# --- section headings ----------------------------------------------------------
# Matched against normalize(line); the number prefix is optional because real
# reports drop it ("存在的主要问题及改进情况" without 五、).
# The numeral's separator varies or is lost (三. / 三， / OCR's "三 " read without the 、).
SECTION_HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("overview", re.compile(r"^(?:一[、.．,，]?)?总体情况$")),
    ("t1", re.compile(r"^(?:二[、.．,，]?)?主动公开政府\S{0,4}情况$")),
    ("t2", re.compile(r"^(?:三[、.．,，]?)?收到和处理政府信息公开申请(?:的)?情况$")),
    ("t3", re.compile(r"^(?:四[、.．,，]?)?(?:因)?政府信息公开\S{0,8}行政复议\S{0,12}行政诉讼\S{0,4}情况$")),
    ("problems", re.compile(r"^(?:五[、.．,，]?)?(?:政府信息公开工作)?存在的?(?:主要)?问题(?:及|和)(?:改进|整改)\S{0,4}$")),
    ("other", re.compile(r"^(?:六[、.．,，]?)?其他需要报告的事项$")),
)

# 第二十条第（一）项 and its variants (第 dropped, spaces) head each t1 block.
ARTICLE_REF = re.compile(r"^第?二十条第?\([一二三四五六七八九十]+\)项?$")


def section_of(line: str) -> str | None:
    """Which report section a heading line opens, or None."""
    return None if len(line) > 60 else _section_of(line)  # long lines: narrative, never a heading


@lru_cache(maxsize=65536)  # short lines (table cells, headings) repeat across reports
def _section_of(line: str) -> str | None:
    key = normalize(line)
    for name, pattern in SECTION_HEADINGS:
        if pattern.match(key):
            return name
    return None
