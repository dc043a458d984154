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
_LEAD_VERB = re.compile(r"^(?:(?:现|特|特此|兹)?(?:将|向社会|予)?(?:公布|发布|印发|编制|公开)|现将|关于|按照|根据)+")
# Not a name: brackets, request words, verbs and pronouns ('特向社会公布', '我单位', '本机关').
_NOT_BODY = re.compile(r"[《》()（）]|做好|关于|通知|要求|公布|发布|编制|印发|^[我本该各全特现兹]")
_SOURCE_LINE = re.compile(r"(?:来源|发布机构|发布单位|信息来源)\s*[:：]\s*([^\s:：|]{2,40})")
# The subject of an overview sentence: '…，官洲街道办事处认真贯彻落实…', '略陽縣審計局未接到…'.
_SUBJECT = re.compile(
    r"(?:^|[，,。；;：:下])(?P<body>[^，,。；;：:、\s《》()（）“”]{2,30}?"
    r"(?:局|委员会|办公室|街道办事处|街道|人民政府|镇|乡|厅|中心))"
    r"(?=认真|坚持|深入|严格|紧紧|紧扣|围绕|全面|积极|始终|不断|进一步|高度|未接到|共收到|收到|以习近平)"
)
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
    body_source: str | None = None  # title | signature | source_line | text | inferred (see README)
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


def _fold(text: str) -> str:
    """Traditional to simplified for matching (the patterns are simplified); a body found
    in the folded text is printed back from the original by _as_printed."""
    from .bodies import fold_script

    return fold_script(text)


def _as_printed(body: str | None, doc: Document) -> str | None:
    """The body as the document prints it: 略陽縣審計局, not the folded 略阳县审计局."""
    if not body or body in doc.text:
        return body
    original = re.sub(r"\s+", "", doc.text)
    folded = _fold(original)
    at = folded.find(body)
    if at >= 0 and len(folded) == len(original):
        return original[at:at + len(body)]
    return None  # never a name the document does not print


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


def _source_line(lines: list[str]) -> str | None:
    """'来源：韶关市武江区人民政府办公室' in the page chrome above the title."""
    for line in lines:
        m = _SOURCE_LINE.search(line)
        if m:
            body = _clean_body(m[1])
            if body and _ORG_SUFFIX.search(body):
                return body
    return None


def _subject_body(doc: Document) -> str | None:
    from .narrative import overview_text

    for block in overview_text(doc)[:4]:
        for m in _SUBJECT.finditer(_fold(re.sub(r"\s+", "", block))):
            body = _clean_body(m["body"])
            if body and not body.startswith(("区", "县", "市", "省")):
                return body
    return None


def _body_from_text(doc: Document, meta: Metadata) -> None:
    """No title: a report names itself somewhere ('…秦都区2024年政府信息公开工作年度报告')."""
    for m in _TITLE.finditer(_fold(doc.text)):
        if meta.year is None:
            meta.year = int(m["year"])
        guess = _clean_body(m["body"]) or _clean_body(m["after"])
        if meta.body is None and guess:
            bare_place = guess in divisions.mentions(guess)
            if not (bare_place or _ORG_SUFFIX.search(guess)):
                continue
            # A bare place name with 我区/全区 in the text: the place's government speaks,
            # but only the place is printed, so the body stays as printed and is marked inferred.
            meta.body, meta.body_source = guess, "inferred" if bare_place and _WE.search(doc.text) else "text"
            meta.warnings.append(f"issuing body '{guess}' taken from the text (no title line)")
            return
    if meta.body is None:
        meta.body = _subject_body(doc)
        if meta.body:
            meta.body_source = "text"
            meta.warnings.append(f"issuing body '{meta.body}' taken from the subject of a 总体情况 sentence (no title line)")


def _year_fallbacks(doc: Document, meta: Metadata) -> None:
    if meta.year is None:
        m = _PERIOD.search(doc.text)
        if m:
            meta.year = int(m[1])
    if meta.year is None:
        from .narrative import overview_text

        m = _FIRST_YEAR.search("".join(overview_text(doc)))
        if m:
            meta.year = int(m[1])
            meta.warnings.append(f"report year {meta.year} inferred from the first year named in 总体情况")


def extract(doc: Document) -> Metadata:
    meta = Metadata()
    lead = [_fold(line) for line in _leading_blocks(doc)]
    title = _title_match(lead)
    text = doc.text
    if title:
        meta.year = int(title["year"])
        meta.body = _clean_body(title["body"]) or _clean_body(title["after"])
        meta.body_source = "title" if meta.body else None
    sig_body, sig_date = _signature(doc)
    meta.published_on = sig_date
    if meta.published_on is None:
        m = _CHROME_DATE.search("\n".join(lead) or text[:500])
        if m:
            meta.published_on = _date(*m.groups())
    if meta.body is None and sig_body:
        meta.body, meta.body_source = sig_body, "signature"
    if meta.body is None:
        source = _source_line(lead)
        if source:
            meta.body, meta.body_source = source, "source_line"
    if meta.body is None or meta.year is None:
        _body_from_text(doc, meta)
    _year_fallbacks(doc, meta)
    meta.body = _as_printed(meta.body, doc)
    if meta.body is None:
        meta.body_source = None
    if meta.year is None:
        meta.warnings.append("report year not found (no title year, no 统计期限 sentence)")
    if meta.body is None:
        meta.warnings.append("issuing body not found (no title line or signature)")
    res = divisions.resolve(_fold(meta.body or ""), " ".join(lead), _fold(sig_body or ""))
    if res.division is None and res.warning is None:
        res = divisions.resolve(_fold(text[:3000]))
    if res.warning:
        meta.warnings.append(res.warning)
    if res.division:
        d = res.division
        meta.province, meta.city, meta.county, meta.division_code = d.province, d.city, d.county, d.code
    return meta
