"""Synthetic reports: random, identity-consistent values drawn from the template,
written in every layout and format ogi reads. Deterministic for a seed.

    python -m benchmarks generate --n 10000 --out benchmarks/out/corpus --mix tab=3,pipe=2,newline=2,gb18030=1
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline import template as tpl

from . import render

FORMATS = ("tab", "pipe", "newline", "gb18030", "docx", "pdf", "html")
SUFFIX = {"tab": "txt", "pipe": "txt", "newline": "txt", "gb18030": "txt", "docx": "docx", "pdf": "pdf", "html": "html"}
BODY_TYPES = ("人民政府办公室", "教育局", "司法局", "财政局", "民政局", "审计局", "信访局", "人力资源和社会保障局")
RESULT_ROWS = tpl.T2_RESULT_ROWS["2021"]
APPLICANTS = tuple(c for c in tpl.T2_COLS if c != "total")


@lru_cache(maxsize=1)
def _places() -> list[tuple[str, str]]:
    """(city, county) pairs whose county name is unique nationally (no ambiguity warnings)."""
    from pipeline.divisions import _index

    out = []
    for name, divs in _index().items():
        if len(divs) == 1 and divs[0].level == "county" and len(name) >= 3 and divs[0].city:
            out.append((divs[0].city, name))
    return sorted(out)


def values(rng: random.Random, carried_over: dict[str, int] | None = None) -> dict[str, float]:
    """One report's 200 cells; t2 and t3 satisfy every identity of the spec, and
    ``carried_over`` (last year's carried_forward per column) makes years continue."""
    v: dict[str, float] = {}
    for row, (_label, cols) in tpl.T1_ROWS["2021"].items():
        for col in cols:
            v[f"t1.{row}.{col}"] = round(rng.random() * 50, 1) if col == "amount_10k_yuan" else rng.choice([0, 0, rng.randint(0, 200)])
    for col in APPLICANTS:
        new = rng.choice([0, 0, rng.randint(0, 40)]) if col == "natural_person" else rng.choice([0] * 5 + [rng.randint(0, 5)])
        over = carried_over[col] if carried_over else rng.choice([0, 0, rng.randint(0, 3)])
        forward = rng.randint(0, min(2, new + over))
        handled = new + over - forward
        split = [0] * len(RESULT_ROWS)
        for _ in range(handled):
            split[min(int(rng.expovariate(0.25)), len(RESULT_ROWS) - 1)] += 1
        v[f"t2.new_received.{col}"] = new
        v[f"t2.carried_over.{col}"] = over
        v[f"t2.total_handled.{col}"] = handled
        v[f"t2.carried_forward.{col}"] = forward
        for row, n in zip(RESULT_ROWS, split, strict=True):
            v[f"t2.{row}.{col}"] = n
    for row in tpl.T2_ROWS["2021"]:
        v[f"t2.{row}.total"] = sum(v[f"t2.{row}.{c}"] for c in APPLICANTS)
    for row in tpl.T3_ROWS:
        parts = [rng.choice([0] * 12 + [rng.randint(0, 2)]) for _ in range(4)]
        for col, n in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            v[f"t3.{row}.{col}"] = n
        v[f"t3.{row}.total"] = sum(parts)
    return v


@dataclass
class SynthReport:
    body: str
    year: int
    values: dict[str, float]

    def cell(self, key: str) -> str:
        x = self.values[key]
        if isinstance(x, str):  # a placeholder of the DOCX template
            return x
        return str(int(x)) if float(x).is_integer() else str(x)

    def items(self) -> list[render.Item]:
        received = self.cell("t2.new_received.total")
        return [
            ("p", f"{self.body}{self.year}年政府信息公开工作年度报告"),
            ("p", "一、总体情况"),
            ("p", f"{self.year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。本报告统计期限自{self.year}年1月1日起至{self.year}年12月31日止。"),
            ("p", f"（二）依申请公开情况。全年共收到政府信息公开申请{received}件。"),
            ("p", "二、主动公开政府信息情况"),
            ("table", render.t1_spans(self.cell)),
            ("p", "三、收到和处理政府信息公开申请情况"),
            ("table", render.t2_spans(self.cell)),
            ("p", "四、政府信息公开行政复议、行政诉讼情况"),
            ("table", render.t3_spans(self.cell)),
            ("p", "五、存在的主要问题及改进情况"),
            ("p", "政务公开工作仍有不足，下一步将持续改进。"),
            ("p", "六、其他需要报告的事项"),
            ("p", "本年度未收取信息处理费。"),
            ("p", self.body),
            ("p", f"{self.year + 1}年1月20日"),
        ]


YEARS = (2021, 2022, 2023, 2024)


def report(rng: random.Random) -> SynthReport:
    city, county = rng.choice(_places())
    return SynthReport(f"{city}{county}{rng.choice(BODY_TYPES)}", rng.choice(YEARS), values(rng))


def series(rng: random.Random, body_index: int) -> list[SynthReport]:
    """One body's reports for consecutive years, carried_over = last year's carried_forward."""
    places = _places()
    city, county = places[body_index % len(places)]
    body = f"{city}{county}{BODY_TYPES[body_index // len(places) % len(BODY_TYPES)]}"
    out: list[SynthReport] = []
    for year in YEARS:
        prev = out[-1].values if out else None
        carried = {c: int(prev[f"t2.carried_forward.{c}"]) for c in APPLICANTS} if prev else None
        out.append(SynthReport(body, year, values(rng, carried)))
    return out


# --- text layouts ------------------------------------------------------------------

def _rows(r: SynthReport) -> Iterator[tuple[str, list[str]]]:
    """(label, values) per printed row, for the text writers; headers as label-only rows."""
    for kind, content in r.items():
        if kind == "p":
            yield content, []
            continue
        for row in content:
            texts = [t for t, _cs, _rs in row]
            labels = [t for t in texts if not _is_num(t)]
            nums = [t for t in texts if _is_num(t)]
            yield "\t".join(labels), nums


def _is_num(t: str) -> bool:
    return t.replace(".", "", 1).isdigit()


def to_tab(r: SynthReport) -> str:
    return "\n".join("\t".join([label, *nums]) if nums else label for label, nums in _rows(r)) + "\n"


def to_pipe(r: SynthReport) -> str:
    out = []
    for label, nums in _rows(r):
        if not nums and "\t" not in label and not label.startswith(("第二十条", "信息内容")):
            out.append(label)
            continue
        out.extend(f"{c} |" for c in label.split("\t"))
        out.extend(f"{n} |" for n in nums)
    return "\n".join(out) + "\n"


def to_newline(r: SynthReport) -> str:
    out = []
    for label, nums in _rows(r):
        out.extend(label.split("\t"))
        out.extend(nums)
    return "\n".join(out) + "\n"


_YEAR = 1111  # placeholder year in the DOCX template


@lru_cache(maxsize=1)
def _docx_template() -> tuple[dict[str, bytes], str]:
    """A DOCX of the official layout with ⟦key⟧ placeholders, rendered once by python-docx
    (merging cells cell by cell is slow); each report then only substitutes its values."""
    import io
    import tempfile
    import zipfile

    keys = [c.key for c in tpl.cells("2021")]
    placeholder = SynthReport("⟦body⟧", _YEAR, {k: f"⟦{k}⟧" for k in keys})
    with tempfile.TemporaryDirectory() as tmp:
        path = render.to_docx(placeholder.items(), Path(tmp) / "t.docx")
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as z:
            parts = {n: z.read(n) for n in z.namelist()}
    return parts, parts.pop("word/document.xml").decode("utf-8")


def _write_docx(r: SynthReport, path: Path) -> None:
    import re
    import zipfile
    from xml.sax.saxutils import escape

    parts, xml = _docx_template()
    fill = {"body": r.body, **{k: r.cell(k) for k in r.values}}
    xml = re.sub(r"⟦([^⟧]+)⟧", lambda m: escape(fill[m[1]]), xml)
    xml = xml.replace(f"{_YEAR + 1}年", f"{r.year + 1}年").replace(f"{_YEAR}年", f"{r.year}年")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        z.writestr("word/document.xml", xml)


def write(r: SynthReport, fmt: str, path: Path) -> Path:
    path = path.with_suffix("." + SUFFIX[fmt])
    if fmt == "tab":
        path.write_text(to_tab(r), encoding="utf-8")
    elif fmt == "pipe":
        path.write_text(to_pipe(r), encoding="utf-8")
    elif fmt == "newline":
        path.write_text(to_newline(r), encoding="utf-8")
    elif fmt == "gb18030":
        path.write_bytes(to_tab(r).encode("gb18030"))
    elif fmt == "html":
        path.write_bytes(render.to_html(r.items()))
    elif fmt == "docx":
        _write_docx(r, path)
    elif fmt == "pdf":
        render.to_pdf(r.items(), path)
    return path


def parse_mix(mix: str) -> dict[str, float]:
    weights = {}
    for part in mix.split(","):
        name, _, w = part.partition("=")
        if name not in FORMATS:
            raise ValueError(f"unknown format {name!r}; choose from {', '.join(FORMATS)}")
        weights[name] = float(w or 1)
    return weights


def generate(n: int, out: Path, mix: str = "tab=1", seed: int = 0) -> list[Path]:
    """Write n reports into out (sharded 1,000 per folder); deterministic for a seed."""
    rng = random.Random(seed)
    weights = parse_mix(mix)
    names, w = list(weights), list(weights.values())
    offset = rng.randrange(len(_places()))
    paths = []
    reports: list[SynthReport] = []
    for i in range(n):
        if not reports:
            reports = series(rng, offset + i // len(YEARS))
        folder = out / f"{i // 1000:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        fmt = rng.choices(names, w)[0]
        paths.append(write(reports.pop(0), fmt, folder / f"report_{i:06d}_{fmt}"))
    return paths
