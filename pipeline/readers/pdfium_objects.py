"""pdfium as pdfplumber's object source (the default; ``OGI_PDF_OBJECTS=pdfminer`` turns
it off): the same chars, lines, rects and curves, built from pypdfium2 in a few
milliseconds a page instead of pdfminer's ~30 ms.

pdfplumber reads every page object through ``Page.objects``, which returns
``page._objects`` when that attribute is set; filling it before first use means
pdfminer never interprets the page, while pdfplumber's table finder and text
extraction run unchanged on what we give them. ``_objects`` is private, so
pyproject pins pdfplumber's range and tests/test_pdfium_objects.py fails loudly
if the hook stops working.

What has to match pdfminer (measured on the project's PDF fixtures):
- a char's box is pdfminer's: x0 its origin, x1 the origin of the next glyph of
  the same run (the loose box overshoots wide glyphs), bottom = baseline minus
  the font's descent, top = bottom - font size;
- chars come in content-stream order (pdfium's text page sorts a line's text
  objects by x; pdfplumber's words follow the order of ``page.chars``);
- pdfium flags spaces it generates; a generated space is kept only where the gap
  to the next char is wide (pdfium also flags some real spaces as generated);
  generated line breaks are dropped;
- a path is split into subpaths at each move, and each subpath is classified as
  pdfminer's paint_path does: one segment -> line, an axis-aligned closed
  four-sided loop -> rect, anything else -> curve.

pdfium keeps coordinates in 32-bit floats (pdfminer: 64-bit), so a char's top can
differ from pdfminer's by ~1e-5 pt: two lines exactly 3 pt apart (pdfplumber's
y tolerance) may then be one line here and two there. Table cells were identical
on every fixture; text lines can differ at such ties.

Pages this cannot map as pdfminer would keep pdfplumber's own objects; ``fill``
says why, and the reader records it (a warning and ``pdfminer-pages`` in the
layout): rotated pages, a media box not at the origin, form XObjects, Type3
fonts, rotated or vertical text, chars without a Unicode mapping, and text that
pdfium's text page leaves out or replaces (cpdf_textpage.cpp): a text object with
no width (its glyphs have no outline: LibreOffice's justified spaces, or a font
pdfium could not load), one repeating one of the five before it (fake bold),
marked content with /ActualText.
"""

from __future__ import annotations

import ctypes
from typing import Any

_GAP_FOR_SPACE = 0.2  # a generated space is real when the gap exceeds this × font size
_MIN_WIDTH = 0.01  # pt: pdfium's text page skips text objects narrower than this (kSizeEpsilon)


def _raw():
    import pypdfium2.raw as pdfium_c

    return pdfium_c


class PdfiumObjects:
    """One PDF's pages as pdfplumber object dicts, read with pypdfium2."""

    def __init__(self, data: bytes) -> None:
        import pypdfium2

        if not _ADDRESS:
            _ADDRESS.append(_object_address())
        self._doc = pypdfium2.PdfDocument(data)

    def close(self) -> None:
        self._doc.close()

    def fill(self, page) -> str | None:
        """Give a pdfplumber ``page`` its objects from pdfium before anything reads them.

        Returns None when pdfium's objects are used, else the reason the page keeps
        pdfplumber's own (its objects are then built by pdfminer as usual).
        """
        if "_objects" in page.__dict__:
            return None
        reason = _unsupported(page)
        if reason:
            return reason
        descents, reason = _font_descents(page)
        if reason:
            return reason
        pdfium_page = self._doc[page.page_number - 1]
        try:
            objects, reason = _page_objects(pdfium_page, page, descents)
        finally:
            pdfium_page.close()
        if reason:
            return reason
        page._objects = objects
        return None


def _unsupported(page) -> str | None:
    if page.rotation:
        return f"rotated page ({page.rotation}°)"
    if page.mediabox[0] != 0 or page.mediabox[1] != 0:
        return "media box not at the origin"
    return None


def _font_descents(page) -> tuple[dict[str, float], str | None]:
    """pdfminer's descent (per 1000 of the size) of each of the page's fonts, by base font
    name without a subset prefix (the name pdfium gives). pdfminer takes it from the font
    descriptor (standard 14 fonts: their AFM), pdfium from the font program: LibreOffice
    writes /Descent 0, so the two tops differ by ~0.8 pt unless pdfminer's is used."""
    from pdfminer.fontmetrics import FONT_METRICS
    from pdfminer.pdftypes import resolve1

    descents: dict[str, float] = {}
    try:
        for font in resolve1((page.page_obj.resources or {}).get("Font") or {}).values():
            font = resolve1(font)
            subtype = getattr(resolve1(font.get("Subtype")), "name", None)
            if subtype == "Type3":
                return {}, "Type3 font"
            base = getattr(resolve1(font.get("BaseFont")), "name", "")
            if subtype == "Type0":
                font = resolve1(resolve1(font.get("DescendantFonts"))[0])
            if subtype in ("Type1", "MMType1") and base in FONT_METRICS:
                descent = FONT_METRICS[base][0].get("Descent", 0)
            else:
                descent = resolve1(resolve1(font.get("FontDescriptor") or {}).get("Descent", 0)) or 0
            name = base.split("+", 1)[1] if len(base) > 7 and base[6] == "+" else base
            descent = -abs(float(descent))  # pdfminer forces /Descent negative
            if descents.setdefault(name, descent) != descent:
                return {}, "two fonts of one name with different descents"
    except Exception:  # an odd resource dict: let pdfminer handle the page
        return {}, "unreadable font resources"
    return descents, None


def _page_objects(pdfium_page, page, descents: dict[str, float]) -> tuple[dict[str, list[dict[str, Any]]], str | None]:
    c = _raw()
    height = page.height
    objects: dict[str, list[dict[str, Any]]] = {}
    paths = []
    texts: dict[int, int] = {}  # text object address -> its place in the content stream
    for obj in pdfium_page.get_objects(max_depth=1):
        kind = c.FPDFPageObj_GetType(obj.raw)
        if kind == c.FPDF_PAGEOBJ_FORM:
            return {}, "form XObject on the page"
        if kind == c.FPDF_PAGEOBJ_PATH:
            paths.append(obj.raw)
        elif kind == c.FPDF_PAGEOBJ_TEXT:
            reason = _text_object_unmapped(c, obj.raw)
            if reason:
                return {}, reason
            texts[ctypes.cast(obj.raw, ctypes.c_void_p).value] = len(texts)
    textpage = pdfium_page.get_textpage()
    try:
        chars, reason = _chars(textpage, page, height, texts, descents)
    finally:
        textpage.close()
    if reason:
        return {}, reason
    if chars:
        objects["char"] = chars
    for raw_path in paths:
        for item in _path_items(raw_path, page, height):
            objects.setdefault(item["object_type"], []).append(item)
    return objects, None


def _text_object_unmapped(c, raw_text) -> str | None:
    """Why pdfium's text page would not give this text object's glyphs as pdfminer does.

    The text page (cpdf_textpage.cpp) skips a text object whose box is narrower than
    0.01 pt (all its glyphs without outline: LibreOffice writes the spaces of justified
    lines so, and a font pdfium cannot load looks the same) and puts an object's
    /ActualText in place of its glyphs; pdfminer keeps the glyphs. What such an
    object holds cannot be read through pdfium's API, so the page is read by pdfminer.
    """
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not c.FPDFPageObj_GetBounds(raw_text, left, bottom, right, top) or right.value - left.value < _MIN_WIDTH:
        return "a text object without width (pdfium's text page leaves it out)"
    for m in range(c.FPDFPageObj_CountMarks(raw_text)):
        mark = c.FPDFPageObj_GetMark(raw_text, m)
        if c.FPDFPageObjMark_GetParamValueType(mark, b"ActualText") != c.FPDF_OBJECT_UNKNOWN:
            return "marked content with /ActualText"
    return None


def _object_address():
    """FPDFText_GetTextObject returning the object's address as an int: a run key
    without a ctypes.cast per char (a quarter of the per-char cost)."""
    c = _raw()
    try:
        from pypdfium2_raw.bindings import _libs

        fn = _libs["pdfium"]["FPDFText_GetTextObject"]  # a fresh function object, ours to retype
        fn.argtypes = c.FPDFText_GetTextObject.argtypes
        fn.restype = ctypes.c_void_p
        return fn
    except Exception:  # another pypdfium2 layout: the portable, slower way
        return lambda tp, i: ctypes.cast(c.FPDFText_GetTextObject(tp, i), ctypes.c_void_p).value


def _chars(textpage, page, height: float, texts: dict[int, int],
           descents: dict[str, float]) -> tuple[list[dict[str, Any]], str | None]:
    c = _raw()
    tp = textpage.raw
    n = c.FPDFText_CountChars(tp)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    matrix = c.FS_MATRIX()
    get_unicode, is_generated, origin, object_address = (
        c.FPDFText_GetUnicode, c.FPDFText_IsGenerated, c.FPDFText_GetCharOrigin, _ADDRESS[0])
    runs: dict[int, tuple[str, float, float]] = {}  # text object -> (font name, size, descent)
    raw = []
    for i in range(n):
        code = get_unicode(tp, i)
        generated = is_generated(tp, i)
        if generated and code != 0x20:
            continue  # pdfium's own line breaks
        origin(tp, i, ox, oy)
        run = object_address(tp, i) or 0
        if run not in runs:
            # Font, size and matrix belong to the text object: read them once per run.
            if c.FPDFText_HasUnicodeMapError(tp, i) == 1:
                return [], "a char without a Unicode mapping"
            if not generated:
                if run not in texts:
                    return [], "a char outside the page's text objects"
                c.FPDFText_GetMatrix(tp, i, matrix)
                if abs(matrix.b) > 1e-6 or abs(matrix.c) > 1e-6 or matrix.a <= 0 or matrix.d <= 0:
                    return [], "rotated or vertical text"
            runs[run] = _run_font(c, c.FPDFText_GetTextObject(tp, i), c.FPDFText_GetFontSize(tp, i), descents)
            if runs[run][2] is None:
                return [], f"font {runs[run][0]!r} not among the page's fonts"
        name, size, descent = runs[run]
        raw.append((chr(code), generated, ox.value, oy.value, i, size, name, descent, run))
    # Every text object must have given chars: the text page also drops an object that
    # repeats one of the five before it (fake bold), which pdfminer keeps twice.
    if any(t not in runs for t in texts):
        return [], "a text object pdfium's text page leaves out (drawn twice)"
    return _char_dicts(raw, page, height, _loose_right(c, tp), texts), None


def _loose_right(c, tp):
    box = c.FS_RECTF()

    def right(i: int) -> float:
        c.FPDFText_GetLooseCharBox(tp, i, box)
        return box.right

    return right


_ADDRESS: list = []


def _run_font(c, text_obj, size: float, descents: dict[str, float]) -> tuple[str, float, float | None]:
    """(base font name, size, pdfminer's descent in pt or None when the font is unknown)."""
    font = c.FPDFTextObj_GetFont(text_obj) if text_obj else None
    if not font:
        return "", size, 0.0  # a space pdfium generated: its box is not used
    buf = ctypes.create_string_buffer(256)
    length = c.FPDFFont_GetBaseFontName(font, buf, len(buf))
    name = buf.raw[: max(0, length - 1)].decode("utf-8", "replace")
    descent = descents.get(name)
    return name, size, None if descent is None else descent * size / 1000


def _char_dicts(raw: list[tuple], page, height: float, loose_right, texts: dict[int, int]) -> list[dict[str, Any]]:
    """pdfminer's char dicts, in pdfminer's order: the content stream's. pdfium's text
    page reorders the text objects of one line by x (a table row's cells printed
    right to left, a header cell written after its neighbour), and pdfplumber's
    words and lines follow the order of ``page.chars``."""
    chars = []
    keys = []
    last = len(raw) - 1
    for i, (text, generated, x0, y, index, size, name, descent, run) in enumerate(raw):
        nxt = raw[i + 1] if i < last else None
        if generated:
            # A space pdfium made up between two text objects (cells, lines) is not in the
            # PDF; one inside a run, over a wide gap, is a real space pdfium flagged.
            prev = raw[i - 1] if i else None
            if (nxt is None or prev is None or prev[1] or nxt[8] != prev[8] or nxt[3] != prev[3]
                    or nxt[2] - x0 <= _GAP_FOR_SPACE * prev[5]):
                continue
            size = prev[5]
            x1 = nxt[2]
            run = prev[8]  # pdfium may leave a space's object unset: it belongs to its run
        elif nxt is not None and nxt[8] == run and nxt[3] == y and x0 < nxt[2] and nxt[2] - x0 <= 1.5 * size:
            x1 = nxt[2]  # the glyph's advance, as pdfminer has it
        else:
            x1 = loose_right(index)
        bottom = height - (y + descent)
        top = bottom - size
        chars.append({
            "matrix": (size, 0.0, 0.0, size, x0, y), "fontname": name, "adv": x1 - x0, "upright": True,
            "x0": x0, "y0": height - bottom, "x1": x1, "y1": height - top, "width": x1 - x0, "height": size,
            "size": size, "mcid": None, "tag": None, "object_type": "char", "page_number": page.page_number,
            "ncs": "DeviceRGB", "text": text, "stroking_color": (0,), "non_stroking_color": (0.0, 0.0, 0.0),
            "top": top, "bottom": bottom, "doctop": page.initial_doctop + top,
        })
        keys.append(texts[run])
    order = sorted(range(len(chars)), key=keys.__getitem__)  # stable: a run keeps pdfium's order
    return [chars[k] for k in order]


def _subpaths(raw_path) -> list[list[tuple[str, tuple[float, float]]]]:
    """The path's segments in page space as pdfminer's ops: m, l, c (end point), h."""
    c = _raw()
    m = c.FS_MATRIX()
    c.FPDFPageObj_GetMatrix(raw_path, m)
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[str, tuple[float, float]]]] = []
    bezier = 0
    for i in range(c.FPDFPath_CountSegments(raw_path)):
        seg = c.FPDFPath_GetPathSegment(raw_path, i)
        c.FPDFPathSegment_GetPoint(seg, x, y)
        pt = (m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
        kind = c.FPDFPathSegment_GetType(seg)
        if kind == c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([("m", pt)])
            bezier = 0
        elif kind == c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier == 3:  # pdfium gives a curve as three points; pdfminer keeps its end
                subpaths[-1].append(("c", pt))
                bezier = 0
        else:
            subpaths[-1].append(("l", pt))
        if c.FPDFPathSegment_GetClose(seg):
            subpaths[-1].append(("h", subpaths[-1][0][1]))
    return subpaths


def _path_items(raw_path, page, height: float) -> list[dict[str, Any]]:
    c = _raw()
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    c.FPDFPath_GetDrawMode(raw_path, fill_mode, stroke)
    width = ctypes.c_float()
    c.FPDFPageObj_GetStrokeWidth(raw_path, width)
    style = {
        "linewidth": width.value, "stroke": bool(stroke.value), "fill": fill_mode.value != c.FPDF_FILLMODE_NONE,
        "evenodd": fill_mode.value == c.FPDF_FILLMODE_ALTERNATE,
        "stroking_color": _colour(c.FPDFPageObj_GetStrokeColor, raw_path),
        "non_stroking_color": _colour(c.FPDFPageObj_GetFillColor, raw_path),
        "mcid": None, "tag": None, "page_number": page.page_number, "dash": None,
    }
    items = []
    for sub in _subpaths(raw_path):
        kind, pts = _classify(sub)
        if kind is None:
            continue
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        top = height - y1
        item = {"x0": x0, "y0": y0, "x1": x1, "y1": y1, "width": x1 - x0, "height": y1 - y0, **style,
                "object_type": kind, "top": top, "bottom": height - y0, "doctop": page.initial_doctop + top,
                "pts": [(px, height - py) for px, py in pts],
                "path": [(op, (px, height - py)) for op, (px, py) in sub]}
        items.append(item)
    return items


def _classify(sub: list[tuple[str, tuple[float, float]]]) -> tuple[str | None, list[tuple[float, float]]]:
    """pdfminer's paint_path rules for one subpath."""
    shape = "".join(op for op, _ in sub)
    pts = [p for _, p in sub]
    if len(shape) < 2:
        return None, pts  # a lone move paints nothing
    if len(shape) > 3 and shape[-2:] == "lh" and _same(pts[-2], pts[0]):
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in ("ml", "mlh"):
        return "line", pts[:2]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        closed = _same(pts[0], pts[4])
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if closed and square:
            return "rect", pts
    return "curve", pts


def _same(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) < 1e-4 and abs(a[1] - b[1]) < 1e-4


def _colour(getter, raw_path) -> tuple[float, ...]:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(raw_path, r, g, b, a):
        return (0.0,)
    return (r.value / 255, g.value / 255, b.value / 255)
