"""Decide a text file's encoding in a fixed order, never from its name.

BOM first, then strict UTF-8, then strict GB18030 (a superset of GBK/GB2312),
and only then a statistical detector: detectors alone misread short GBK text.
"""

from __future__ import annotations

import codecs
import csv
import re
from functools import lru_cache
from importlib import resources

from .model import ReportError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


_ASCII = bytes(range(0x80))
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")


def _looks_textual(text: str) -> bool:
    if not text.strip():
        return False
    return len(_CONTROL.findall(text)) <= max(2, len(text) // 200)


def _refuse_mixed(data: bytes) -> None:
    """A file whose lines are partly UTF-8 and partly not was pasted together from two
    encodings; decoding it whole as GB18030 would turn the UTF-8 part into mojibake."""
    if b"\x00" in data:
        return
    try:
        data.decode("utf-8")
        return
    except UnicodeDecodeError:
        pass
    utf8 = other = 0
    first_other = 0
    for n, line in enumerate(data.splitlines(), start=1):
        if len(line.translate(None, _ASCII)) < 6:  # count of non-ASCII bytes
            continue  # too little non-ASCII to tell
        try:
            line.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            other += 1
            first_other = first_other or n
    if utf8 >= 3 and other >= 1:
        raise ReportError(f"mixed encodings: {utf8} lines are UTF-8 but {other} are not (first at line {first_other}); "
                          "re-save the file in one encoding")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) or raise ReportError with the reason."""
    if not data.strip():
        raise ReportError("empty file")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(name), name + "-bom"
            except UnicodeDecodeError as exc:
                raise ReportError(f"starts with a {name} byte-order mark but does not decode as {name}: {exc.reason}") from None
    _refuse_mixed(data)
    candidates = ["utf-8", "gb18030"]
    if b"\x00" in data:
        # UTF-16 without a BOM is the one common text encoding with NUL bytes.
        candidates = ["utf-16-le", "utf-16-be"] if len(data) % 2 == 0 else []
    for name in candidates:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _looks_textual(text):
            return text, name
    if b"\x00" not in data:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and _looks_textual(str(best)):
            return str(best), best.encoding
    raise ReportError("binary or undecodable content: not UTF-8, GB18030 or UTF-16 text")


# --- the one text normaliser every reader's output goes through ------------------


@lru_cache(maxsize=1)
def radical_map() -> dict[int, int]:
    """Kangxi radical / CJK radical supplement code point -> the unified ideograph
    (Unicode's Equivalent_Unified_Ideograph, shipped as data/radicals.csv)."""
    path = resources.files("pipeline") / "data" / "radicals.csv"
    with path.open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {int(r["radical"][2:], 16): int(r["ideograph"][2:], 16) for r in rows}


@lru_cache(maxsize=1)
def _text_fold() -> dict[int, int]:
    fold = dict(radical_map())
    fold.update({0xFF10 + d: 0x30 + d for d in range(10)})  # full-width digits ０-９
    return fold


# What normalise_text changes: a regex search is C-speed, a str.translate with a dict is
# not, so text without any of these characters (nearly all of it) is returned untouched.
_NEEDS_FOLD = re.compile("[\u2e80-\u2fd5\uff10-\uff19]")


def normalise_text(text: str) -> str:
    """Radicals printed by browser PDF engines (⾏ U+2F8F, ⺠ U+2EA0) become the unified
    ideographs (行, 民) and full-width digits (２０２４) ASCII ones.

    Every reader applies it to what it reads (text files whole; DOCX, HTML, PDF
    cells and paragraphs through readers.sections.DocumentBuilder), so the mapper,
    metadata and narrative see one spelling. Punctuation is left as printed: label
    matching folds it (template.normalize), and text layout depends on it.
    """
    if _NEEDS_FOLD.search(text) is None:
        return text
    return text.translate(_text_fold())


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _all_gb2312(text: str) -> bool:
    try:
        text.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def simplified(text: str) -> str:
    """Traditional characters folded to simplified (for matching words in narrative and
    titles; facts keep what was printed). GB2312 holds no traditional characters, so
    text it can encode needs no OpenCC pass."""
    if text.isascii() or _all_gb2312(text):
        return text
    return _t2s().convert(text)
