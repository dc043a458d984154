"""Figures stated in 一、总体情况 that the checks compare with the tables.

Each metric keeps the sentence it came from, so a reader of a failed check can
see the words behind the number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .encoding import simplified
from .model import Document, Table
from .template import section_of

_N = r"\s*(\d+)\s*"
_UNIT = r"(?:件|条|份|个|宗|起)"
_APPLY = r"(?:申请|依申请)"

# metric -> patterns, tried in order; the first that matches a sentence wins.
PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    "applications_received": (
        re.compile(rf"(?:合计|共计|总计){_N}{_UNIT}"),  # '…网上申请105件，快递17件，合计122件'
        re.compile(rf"(?:收到|受理|接收|接到|新收)[^。；，,]{{0,20}}?{_APPLY}[^。；，,\d]{{0,12}}?{_N}{_UNIT}"),
        re.compile(rf"(?:收到|受理|接收|接到|新收)[^。；，,\d]{{0,12}}?{_APPLY}[^。；\d]{{0,6}}?{_N}{_UNIT}"),
        re.compile(rf"{_APPLY}[^。；，,\d]{{0,12}}?(?:收到|受理){_N}{_UNIT}"),
    ),
    "applications_handled": (
        re.compile(rf"(?:已|共|均已)?(?:办结|答复|回复|处理完毕){_N}{_UNIT}"),
    ),
    "applications_disclosed": (
        re.compile(rf"(?:答复并公开|予以公开|并公开){_N}{_UNIT}"),
    ),
    "applications_carried_over": (
        re.compile(rf"上年(?:度)?结转{_N}{_UNIT}"),
    ),
    "applications_carried_forward": (
        re.compile(rf"{_N}{_UNIT}(?:正在办理|仍在办理|结转下)"),
        re.compile(rf"结转下(?:一)?年度?(?:继续)?办理{_N}{_UNIT}"),
    ),
    "proactive_published": (
        re.compile(rf"主动公开[^。；，,\d]{{0,16}}?{_N}(?:条|件|篇)"),
        re.compile(rf"公开(?:各类)?政府信息{_N}(?:条|件|篇)"),
    ),
    "review_cases": (re.compile(rf"行政复议{_N}{_UNIT}"),),
    "litigation_cases": (re.compile(rf"行政诉讼{_N}{_UNIT}"),),
}

# Sentences that state zero applications in words.
_NONE_RECEIVED = re.compile(r"未(?:收到|接到|受理)[^。；]{0,16}申请")
_SENTENCE = re.compile(r"[^。；;!！?？]+[。；;!！?？]?")


@dataclass(frozen=True)
class NarrativeFact:
    metric: str
    value: int
    sentence: str


def overview_text(doc: Document) -> list[str]:
    """Text blocks of 一、总体情况 (or, with no heading, before the first table)."""
    out: list[str] = []
    inside = not any(section_of(b.text) == "overview" for b in doc.blocks)
    for item in doc.items:
        if isinstance(item, Table):
            if out:
                break
            continue
        name = section_of(item.text)
        if name == "overview":
            inside = True
            continue
        if name:
            if out:
                break
            continue
        if inside:
            out.append(item.text)
    return out


def extract(doc: Document) -> list[NarrativeFact]:
    facts: dict[str, NarrativeFact] = {}
    for block in overview_text(doc):
        fold = simplified(block) != block  # one test per block; most are simplified already
        for sentence in _SENTENCE.findall(block):
            s = sentence.strip()
            # Matched folded (traditional -> simplified; the readers already folded radicals and
            # full-width digits); the sentence is kept as printed.
            compact = re.sub(r"\s+", "", s)
            if fold:
                compact = simplified(compact)
            for metric, patterns in PATTERNS.items():
                if metric in facts:
                    continue
                if metric == "applications_received" and not re.search(r"申请", compact):
                    continue
                for p in patterns:
                    m = p.search(compact)
                    if m:
                        facts[metric] = NarrativeFact(metric, int(m.group(1)), s)
                        break
            if "applications_received" not in facts and _NONE_RECEIVED.search(compact):
                facts["applications_received"] = NarrativeFact("applications_received", 0, s)
    return list(facts.values())

