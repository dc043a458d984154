"""Report metadata: year, issuing body, publication date, place."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import divisions
from .model import Document, TextBlock
from .template import section_of

_TITLE = re.compile(
    r"(?P<body>[^\s:：>|】\]，。,；]{0,40}?)\s*(?P<year>(?:19|20)\d{2})\s*年度?\s*"
    r"(?P<after>[^\s，。,]{0,20}?)(?:政府)?(?:信息公开|政务公开)(?:工作)?(?:年度)?(?:报告|年报)"
)
_PERIOD = re.compile(r"统计(?:期限|时限|时间|数据时限)[^。]*?((?:19|20)\d{2})\s*年")
_DATE_LINE = re.compile(r"^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_CHROME_DATE = re.compile(r"发布(?:时间|日期)\s*[:：|]?\s*((?:19|20)\d{2})[-年/.](\d{1,2})[-月/.](\d{1,2})")
_ORG_SUFFIX = re.compile(r"(?:政府|办公室|局|委员会|委|办|厅|办事处|街道|镇|乡|中心|院|所|处|署|会|站|队)$")
_BODY_JUNK = re.compile(r"^(?:Page\d+-|[【\[].*?[】\]]|.*[:：>|])")
_LEAD_VERB = re.compile(r"^(?:现将|现向社会公布|现予公布|特此公布|公布|发布|印发|编制|关于|按照|根据)+")
_NOT_BODY = re.compile(r"[《》()（）]|做好|关于|通知|要求")
_FIRST_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_WE = re.compile(r"我(区|县|市|旗)|全(区|县|市|旗)")


@dataclass
class Metadata:
    year: int | None = None
    body: str | None = None
    published_on: date | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    division_code: str | None = None
    warnings: list[str] = field(default_factory=list)


def _leading_blocks(doc: Document) -> list[str]:
    out = []
    for item in doc.items:
        if not isinstance(item, TextBlock):
            break
        if section_of(item.text):
            break
        out.append(item.text)
    return out[:8]


def _clean_body(raw: str | None) -> str | None:
    body = _BODY_JUNK.sub("", re.sub(r"\s+", "", raw or "")).strip("-—·")
    body = _LEAD_VERB.sub("", body)
    return body if len(body) >= 2 and not _NOT_BODY.search(body) else None


def _title_match(lines: list[str]) -> re.Match[str] | None:
    for i, line in enumerate(lines):
        m = _TITLE.search(line)
        if m and (_clean_body(m["body"]) or _clean_body(m["after"]) or i == 0):
            return m
        if m and i > 0:
            # Body on the line above: '保定市徐水区人民政府办公室' / '2024年…报告'
            return _TITLE.search(lines[i - 1] + line) or m
    for i in range(len(lines) - 1):
        # Title broken after the year: '韶关市武江区人民政府办公室2024年' / '政府信息公开工作年度报告'
        m = _TITLE.search(lines[i] + lines[i + 1])
        if m:
            return m
    return None


def _signature(doc: Document) -> tuple[str | None, date | None]:
    blocks = [b.text for b in doc.blocks][-8:]
    for i in range(len(blocks) - 1, -1, -1):
        m = _DATE_LINE.match(re.sub(r"\s+", "", blocks[i]))
        if m:
            when = _date(*m.groups())
            before = re.sub(r"\s+", "", blocks[i - 1]) if i > 0 else ""
            body = before if 2 <= len(before) <= 30 and _ORG_SUFFIX.search(before) else None
            return body, when
    return None, None


def _date(y: str, mo: str, d: str) -> date | None:
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


def extract(doc: Document) -> Metadata:
    meta = Metadata()
    lead = _leading_blocks(doc)
    title = _title_match(lead)
    text = doc.text
    if title:
        meta.year = int(title["year"])
        meta.body = _clean_body(title["body"]) or _clean_body(title["after"])
    sig_body, sig_date = _signature(doc)
    meta.published_on = sig_date
    if meta.published_on is None:
        m = _CHROME_DATE.search("\n".join(lead) or text[:500])
        if m:
            meta.published_on = _date(*m.groups())
    if meta.year is None:
        m = _PERIOD.search(text)
        if m:
            meta.year = int(m[1])
    if meta.body is None and sig_body:
        meta.body = sig_body
    if meta.body is None or meta.year is None:
        # No title: a report names itself somewhere ('…秦都区2024年政府信息公开工作年度报告').
        for m in _TITLE.finditer(text):
            if meta.year is None:
                meta.year = int(m["year"])
            guess = _clean_body(m["body"]) or _clean_body(m["after"])
            if meta.body is None and guess:
                meta.body = guess
                if meta.body in divisions.mentions(meta.body) and _WE.search(text):
                    meta.body += "人民政府"
                meta.warnings.append(f"issuing body '{meta.body}' inferred from the text (no title line)")
                break
    if meta.year is None:
        from .narrative import overview_text

        m = _FIRST_YEAR.search("".join(overview_text(doc)))
        if m:
            meta.year = int(m[1])
            meta.warnings.append(f"report year {meta.year} inferred from the first year named in 总体情况")
    if meta.year is None:
        meta.warnings.append("report year not found (no title year, no 统计期限 sentence)")
    if meta.body is None:
        meta.warnings.append("issuing body not found (no title line or signature)")
    res = divisions.resolve(meta.body or "", " ".join(lead), sig_body or "")
    if res.division is None and res.warning is None:
        res = divisions.resolve(text[:3000])
    if res.warning:
        meta.warnings.append(res.warning)
    if res.division:
        d = res.division
        meta.province, meta.city, meta.county, meta.division_code = d.province, d.city, d.county, d.code
    return meta
