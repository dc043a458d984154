"""Hazard fixtures of office-made reports: DOCX text boxes, layout tables and tracked
changes; CMS web pages (layout tables, chrome, CSS-grid tables, tables as images);
legacy and office formats converted with LibreOffice; .xlsx workbooks.

Each builder makes real-looking files from the seeds' own values, at run time
(python-docx + lxml XML surgery, lxml for pages, openpyxl, soffice), and yields
``Fixture(name, filename, data, expected)`` where ``expected`` maps
``(table, row, col)`` to the seed's value: what a perfect reader loads. The
registry ``HAZARDS`` has the shape of benchmarks/hazard_accuracy.py's. Tests
import the builders from here (benchmarks never import tests).
"""

from __future__ import annotations

import copy
import io
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from benchmarks import render
from pipeline.model import Table, TextBlock

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "data" / "raw").glob("*.txt"))
BUILDERS = {"t1": render.t1_spans, "t2": render.t2_spans, "t3": render.t3_spans}
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"


class Fixture(NamedTuple):
    name: str
    filename: str
    data: bytes
    expected: dict[tuple[str, str, str], float | None]


# --- the seeds as render items ------------------------------------------------

def seed_layout(seed: Path) -> tuple[list[render.Item], dict[tuple[str, str, str], float | None]]:
    """A seed's text blocks and official tables (with its raw cell texts), and its values."""
    from pipeline.parse import parse_bytes
    from pipeline.readers.text import read_text

    data = seed.read_bytes()
    report = parse_bytes(data, str(seed))
    raw = {f"{f.table_code}.{f.row_code}.{f.col_code}": f.raw_text for f in report.facts}
    items: list[render.Item] = []
    for item in read_text(data, str(seed)).items:
        if isinstance(item, TextBlock):
            items.append(("p", item.text))
        elif isinstance(item, Table):
            items.append(("table", BUILDERS[item.hint](raw.__getitem__)))
    return items, {(f.table_code, f.row_code, f.col_code): f.value for f in report.facts}


def _docx_bytes(items: list[render.Item]):
    """A python-docx Document of the items (not saved yet)."""
    import docx

    with tempfile.TemporaryDirectory() as tmp:
        path = render.to_docx(items, Path(tmp) / "r.docx")
        return docx.Document(str(path))


def _save(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _body_tables(document) -> list:
    return [el for el in document.element.body.iterchildren(W + "tbl")]


# --- DOCX: text boxes ----------------------------------------------------------

_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
       'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
       'xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" '
       'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
       'xmlns:w10="urn:schemas-microsoft-com:office:word"')


def _text_box_run(box_id: int, content: list) -> object:
    """Word's markup for a floating text box: the DrawingML shape in mc:Choice and the
    VML copy in mc:Fallback, each holding its own copy of the w:txbxContent."""
    from docx.oxml import parse_xml

    run = parse_xml(f"""<w:r {_NS}><w:rPr><w:noProof/></w:rPr><mc:AlternateContent><mc:Choice Requires="wps">
<w:drawing><wp:anchor distT="45720" distB="45720" distL="114300" distR="114300" simplePos="0" relativeHeight="25165{box_id}"
 behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1" wp14:anchorId="2B7F{box_id:04d}" wp14:editId="6A1C{box_id:04d}">
<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>
<wp:positionV relativeFrom="paragraph"><wp:posOffset>46355</wp:posOffset></wp:positionV>
<wp:extent cx="8863330" cy="4572000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>
<wp:docPr id="{box_id}" name="文本框 {box_id}"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:cNvSpPr txBox="1"><a:spLocks noChangeArrowheads="1"/></wps:cNvSpPr>
<wps:spPr bwMode="auto"><a:xfrm><a:off x="0" y="0"/><a:ext cx="8863330" cy="4572000"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>
<a:ln w="9525"><a:noFill/><a:miter lim="800000"/><a:headEnd/><a:tailEnd/></a:ln></wps:spPr>
<wps:txbx><w:txbxContent/></wps:txbx>
<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720" anchor="t" anchorCtr="0">
<a:spAutoFit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic>
<wp14:sizeRelH relativeFrom="margin"><wp14:pctWidth>0</wp14:pctWidth></wp14:sizeRelH>
<wp14:sizeRelV relativeFrom="margin"><wp14:pctHeight>0</wp14:pctHeight></wp14:sizeRelV></wp:anchor></w:drawing>
</mc:Choice><mc:Fallback><w:pict>
<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">
<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>
<v:shape id="文本框 {box_id}" o:spid="_x0000_s10{box_id:02d}" type="#_x0000_t202"
 style="position:absolute;margin-left:0;margin-top:3.65pt;width:697.9pt;height:360pt;z-index:25165{box_id};mso-position-horizontal:center;mso-position-horizontal-relative:margin"
 stroked="f"><v:textbox style="mso-fit-shape-to-text:t"><w:txbxContent/></v:textbox>
<w10:wrap type="topAndBottom" anchorx="margin"/></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>""")
    for box in run.iter(W + "txbxContent"):
        for el in content:
            box.append(copy.deepcopy(el))
    return run


def docx_text_boxes(seed: Path) -> bytes:
    """t2 and t3, each with its heading-less caption, inside a floating text box."""
    items, _ = seed_layout(seed)
    document = _docx_bytes(items)
    tables = _body_tables(document)
    for box_id, tbl in enumerate(tables[-2:], start=1):
        anchor = tbl.makeelement(W + "p", {})
        caption = document.add_paragraph("（单位：件）")._p
        content = [caption, tbl, tbl.makeelement(W + "p", {})]
        tbl.addprevious(anchor)
        anchor.append(_text_box_run(box_id, content))
        tbl.getparent().remove(tbl)
        caption.getparent().remove(caption)
    return _save(document)


# --- DOCX: report tables framed by a 1x1 layout table --------------------------

def docx_layout_frames(seed: Path) -> bytes:
    """Each report table inside a one-cell frame table (borders of the frame only)."""
    items, _ = seed_layout(seed)
    document = _docx_bytes(items)
    for tbl in _body_tables(document):
        frame = document.add_table(rows=1, cols=1)._tbl
        frame.getparent().remove(frame)
        tc = frame.find(f"{W}tr/{W}tc")
        tbl.addprevious(frame)
        p = tc.find(W + "p")
        p.addprevious(tbl)  # a cell ends with a paragraph, as Word requires
    return _save(document)


# --- DOCX: tracked changes -------------------------------------------------------

def _cell_runs(tc) -> list:
    return list(tc.iter(W + "r"))


def _revision(kind: str, rid: int, inner: str) -> object:
    from docx.oxml import parse_xml

    return parse_xml(f'<w:{kind} xmlns:w="{W_NS}" w:id="{rid}" w:author="办公室" w:date="2025-01-10T09:30:00Z">{inner}</w:{kind}>')


def docx_tracked_changes(seed: Path) -> bytes:
    """Revisions left in: old numbers deleted (w:del/w:delText) beside the new ones
    inserted (w:ins), a number moved between cells (w:moveFrom/w:moveTo), a whole
    row with stale numbers deleted, and a sentence inserted and one deleted."""
    items, _ = seed_layout(seed)
    document = _docx_bytes(items)
    t2 = _body_tables(document)[-2]
    rid = 100
    rows = list(t2.iterchildren(W + "tr"))
    for tr in rows[3:]:  # data rows: the last value cell's number re-typed with revisions on
        tc = list(tr.iterchildren(W + "tc"))[-1]
        runs = _cell_runs(tc)
        if not runs:
            continue
        text = "".join(t.text or "" for t in runs[0].iter(W + "t"))
        p = runs[0].getparent()
        p.remove(runs[0])
        rid += 2
        p.append(_revision("del", rid, f"<w:r><w:delText>{int(text or 0) + 7}</w:delText></w:r>"))
        p.append(_revision("ins", rid + 1, f"<w:r><w:t>{text}</w:t></w:r>"))
    # A number moved from the 总计 cell of the first data row to the 自然人 cell of the same row.
    first = list(rows[3].iterchildren(W + "tc"))
    np_cell, total_cell = first[1], first[-1]
    np_runs = _cell_runs(np_cell)
    if np_runs:
        moved = "".join(t.text or "" for t in np_runs[0].iter(W + "t"))
        p = np_runs[0].getparent()
        p.remove(np_runs[0])
        p.append(_revision("moveTo", 90, f"<w:r><w:t>{moved}</w:t></w:r>"))
        total_cell.find(W + "p").insert(0, _revision("moveFrom", 91, f"<w:r><w:t>{moved}</w:t></w:r>"))
    # A stale copy of a row, deleted as a whole (w:trPr/w:del): never read.
    stale = copy.deepcopy(rows[4])
    for t in stale.iter(W + "t"):
        if (t.text or "").isdigit():
            t.text = str(int(t.text) + 3)
    trpr = stale.find(W + "trPr")
    if trpr is None:
        trpr = stale.makeelement(W + "trPr", {})
        stale.insert(0, trpr)
    trpr.append(_revision("del", 95, ""))
    rows[4].addprevious(stale)
    # Narrative: a deleted sentence with a stray number, an inserted one.
    para = document.paragraphs[2]._p
    para.append(_revision("del", 97, "<w:r><w:delText>（此句已删除：共收到申请 999 件。）</w:delText></w:r>"))
    para.append(_revision("ins", 98, "<w:r><w:t>（补充说明。）</w:t></w:r>"))
    return _save(document)


# --- HTML: old CMS pages -----------------------------------------------------------

def _el(parent, tag: str, text: str | None = None, **attrs):
    from lxml import etree

    el = etree.SubElement(parent, tag, {k.rstrip("_").replace("__", "-"): str(v) for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def _html_table(parent, rows: list[list[render.Span]], br_labels: bool = True):
    """A report table as CMS editors paste it from Word: MsoNormal paragraphs in cells,
    &nbsp; in blank cells, long labels broken with <br>."""
    table = _el(parent, "table", border="1", cellspacing="0", cellpadding="0", width="100%",
                style="border-collapse:collapse;")
    tbody = _el(table, "tbody")
    for row in rows:
        tr = _el(tbody, "tr", style="height:20.0pt")
        for text, cs, rs in row:
            attrs = {"colspan": cs} if cs > 1 else {}
            if rs > 1:
                attrs["rowspan"] = rs
            td = _el(tr, "td", valign="center", **attrs)
            p = _el(td, "p", class_="MsoNormal", align="center")
            span = _el(p, "span", style="font-size:10.5pt;font-family:宋体")
            if not text:
                span.text = "\xa0"
            elif br_labels and len(text) > 10 and not text[0].isdigit():
                cut = len(text) // 2
                span.text = text[:cut]
                _el(span, "br").tail = text[cut:]
            else:
                span.text = text
    return table


def _calendar(parent) -> None:
    box = _el(parent, "table", width="100%", class_="rili", cellspacing="1")
    _el(_el(box, "tr"), "td", "2025年1月", colspan="7", align="center")
    head = _el(box, "tr")
    for d in "日一二三四五六":
        _el(head, "td", d)
    day = 1
    for week in range(5):
        tr = _el(box, "tr")
        for wd in range(7):
            cell = week * 7 + wd - 3  # January 2025 starts on a Wednesday
            _el(tr, "td", str(cell) if 1 <= cell <= 31 else "\xa0")
            day += 1


def _chrome_top(body, site: str) -> None:
    top = _el(body, "table", width="1000", align="center", cellspacing="0", cellpadding="0")
    tr = _el(top, "tr")
    _el(_el(tr, "td", width="120"), "img", src="/images/logo_guohui.png", width="100", alt="国徽")
    _el(tr, "td", site, style="font-size:28px;color:#c00")
    nav = _el(body, "table", width="1000", align="center", class_="dh", bgcolor="#1a5fb4")
    ntr = _el(nav, "tr")
    for word in ("首页", "政务公开", "政务服务", "互动交流", "走进本区", "专题专栏"):
        _el(_el(ntr, "td", align="center"), "a", word, href="#")


def _footer(body, site: str) -> None:
    foot = _el(body, "table", width="1000", align="center", bgcolor="#eeeeee")
    td = _el(_el(foot, "tr"), "td", align="center")
    td.text = f"主办：{site}办公室　承办：{site}大数据中心"
    _el(td, "br").tail = "网站标识码：4116020001　豫ICP备05012345号-1　豫公网安备 41160202000123号"
    _el(td, "br").tail = "您是本站第 1234567 位访客"


def cms_page(items: list[render.Item], site: str = "某某区人民政府", charset: str = "gb2312",
             table_hook: Callable | None = None) -> bytes:
    """A report on an old CMS site: banner, navigation, a calendar and a counter in the
    left column, breadcrumbs, the title, the report inside <td id="Zoom"> three layout
    tables deep, a footer; GB2312 by default, as those sites are."""
    from lxml import etree

    html = etree.Element("html")
    head = _el(html, "head")
    _el(head, "meta", http__equiv="Content-Type", content=f"text/html; charset={charset}")
    lead: list[str] = []
    for kind, content in items[:2]:  # the title line(s) before the first heading, as one line
        lead.append(content if kind == "p" else "")
        if content.endswith(("报告", "年报")):
            break
    else:
        lead = []  # no title in the report: the page has the generic one
    title = "".join(lead) or "政府信息公开工作年度报告"
    _el(head, "title", f"{title}_{site}")
    _el(head, "script", "var _hmt = _hmt || []; document.write('<table><tr><td>1</td></tr></table>');")
    body = _el(html, "body", topmargin="0", leftmargin="0")
    _chrome_top(body, site)
    outer = _el(body, "table", width="1000", align="center", cellspacing="0", cellpadding="0")
    otr = _el(outer, "tr")
    left = _el(otr, "td", width="220", valign="top")
    _el(left, "div", "日历", class_="lm_title")
    _calendar(left)
    stats = _el(left, "table", width="100%", class_="bjtj")  # the 政务服务 statistics widget
    _el(_el(stats, "tr"), "td", "办件统计", colspan="2")
    for label, count in (("行政许可", "1234"), ("行政处罚", "56"), ("其他行政权力", "789")):
        tr = _el(stats, "tr")
        _el(tr, "td", label)
        _el(tr, "td", count)
    counter = _el(left, "table", width="100%")
    _el(_el(counter, "tr"), "td", "今日访问：321")
    _el(_el(counter, "tr"), "td", "总访问量：1234567")
    right = _el(otr, "td", width="780", valign="top")
    mid = _el(right, "table", width="100%")
    _el(_el(mid, "tr"), "td", "当前位置：首页 > 政务公开 > 政府信息公开年报", class_="dqwz")
    _el(_el(mid, "tr"), "td", title, align="center", class_="title", style="font-size:22px;font-weight:bold")
    _el(_el(mid, "tr"), "td", "发布时间：2025-01-20　来源：本站　浏览次数：86", align="center")
    inner = _el(_el(_el(mid, "tr"), "td"), "table", width="100%", cellpadding="10")
    zoom = _el(_el(inner, "tr"), "td", id="Zoom", style="font-size:16px;line-height:2")
    for i, (kind, content) in enumerate(items):
        if kind == "p":
            if i < len(lead):
                continue
            _el(zoom, "p", content, style="text-indent:2em")
        elif table_hook is None or not table_hook(zoom, content):
            _html_table(zoom, content)
    _el(_el(mid, "tr"), "td", "【打印本页】　【关闭窗口】", align="right")
    _footer(body, site)
    text = etree.tostring(html, method="html", encoding="unicode").replace("\xa0", "&nbsp;")  # as CMS editors write it
    return ("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\">\n" + text).encode(
        "gb18030" if charset.lower() in ("gb2312", "gbk") else charset)


def _is(rows: list[list[render.Span]], builder) -> bool:
    return len(rows) == len(builder(lambda _k: "0")) and rows[0][0][0] == builder(lambda _k: "0")[0][0][0]


def _css_grid(parent, rows: list[list[render.Span]]) -> None:
    ncols, placed = render.grid(rows)
    grid = _el(parent, "div", class_="rpt-grid",
               style=f"display:grid;grid-template-columns:repeat({ncols}, minmax(0, 1fr));border:1px solid #000")
    for _r, _c, text, cs, rs in placed:
        style = "border:1px solid #000;padding:2px"
        if cs > 1:
            style += f";grid-column:span {cs}"
        if rs > 1:
            style += f";grid-row:span {rs}"
        _el(grid, "div", text or "\xa0", style=style)


def _css_table(parent, rows: list[list[render.Span]]) -> None:
    """display:table divs; CSS tables cannot span, so a spanned cell is its text and blanks."""
    ncols, placed = render.grid(rows)
    nrows = max(r + rs for r, _c, _t, _cs, rs in placed)
    cells = [[""] * ncols for _ in range(nrows)]
    for r, c, text, _cs, _rs in placed:
        cells[r][c] = text
    table = _el(parent, "div", class_="tb")
    for row in cells:
        tr = _el(table, "div", class_="tr")
        for text in row:
            _el(tr, "div", text or "\xa0", class_="td")


_CSS_TABLE_STYLE = (".tb{display:table;width:100%;border-collapse:collapse}\n.tb .tr{display:table-row}\n"
                    ".tb .td{display:table-cell;border:1px solid #333;padding:3px}")


def _flex_rows(parent, rows: list[list[render.Span]]) -> None:
    """A 'table' of flex rows: no grid says which column a cell is in."""
    for row in rows:
        line = _el(parent, "div", style="display:flex;border-bottom:1px solid #999")
        for text, cs, _rs in row:
            _el(line, "div", text or "\xa0", style=f"flex:{cs};padding:2px")


def _with_style(page: bytes, css_text: str) -> bytes:
    return page.replace(b"</head>", f"<style type=\"text/css\">{css_text}</style></head>".encode(), 1)


def html_cms(seed: Path) -> bytes:
    return cms_page(seed_layout(seed)[0])


def html_css_grid(seed: Path) -> bytes:
    """t2 as an explicit CSS grid, t1 as display:table divs (style sheet rules), t3 a real table."""
    def hook(zoom, rows):
        if _is(rows, render.t2_spans):
            _css_grid(zoom, rows)
            return True
        if _is(rows, render.t1_spans):
            _css_table(zoom, rows)
            return True
        return False
    return _with_style(cms_page(seed_layout(seed)[0], charset="utf-8", table_hook=hook), _CSS_TABLE_STYLE)


def html_div_rows(seed: Path) -> bytes:
    """Every table drawn as flex rows of divs: no explicit grid."""
    def hook(zoom, rows):
        _flex_rows(zoom, rows)
        return True
    return cms_page(seed_layout(seed)[0], charset="utf-8", table_hook=hook)


def _image_hook(names: list[str], only_t2: bool):
    def hook(zoom, rows):
        if only_t2 and not _is(rows, render.t2_spans):
            return False
        name = f"/uploads/2025/01/{len(names) + 1:02d}_table.png"
        names.append(name.rsplit("/", 1)[-1])
        _el(_el(zoom, "p", align="center"), "img", src=name, width="700", border="0")
        return True
    return hook


def html_t2_image(seed: Path) -> bytes:
    return cms_page(seed_layout(seed)[0], table_hook=_image_hook([], only_t2=True))


def html_all_images(seed: Path) -> bytes:
    return cms_page(seed_layout(seed)[0], table_hook=_image_hook([], only_t2=False))


# --- spreadsheets and LibreOffice-converted formats --------------------------------

def _number(text: str) -> object:
    """A cell value as a spreadsheet holds it: numbers as numbers."""
    if text.isdigit():
        return int(text)
    try:
        return float(text) if text.replace(".", "", 1).isdigit() else text
    except ValueError:
        return text


def xlsx_workbook(seed: Path) -> bytes:
    """The report in one sheet: a paragraph per row in column A, each table with its merged
    ranges and numeric cells, a blank row after each table (as offices fill in the form)."""
    import openpyxl

    items, _ = seed_layout(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "年度报告"
    row = 1
    for kind, content in items:
        if kind == "p":
            ws.cell(row=row, column=1, value=content)
            row += 1
            continue
        _ncols, placed = render.grid(content)
        for r, c, text, cs, rs in placed:
            ws.cell(row=row + r, column=c + 1, value=_number(text) if text else None)
            if cs > 1 or rs > 1:
                ws.merge_cells(start_row=row + r, start_column=c + 1, end_row=row + r + rs - 1, end_column=c + cs)
        row += max(r + rs for r, _c, _t, _cs, rs in placed) + 1
    hidden = wb.create_sheet("底稿")  # working data on a hidden sheet: never read
    hidden.append(["行政许可", 999999])
    hidden.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def docx_plain(seed: Path) -> bytes:
    return _save(_docx_bytes(seed_layout(seed)[0]))


def soffice_convert(files: dict[str, bytes], target: str, timeout: float = 120) -> dict[str, bytes]:
    """Convert several files in one LibreOffice run (one start-up): name -> bytes of name.target."""
    from pipeline.readers.office import soffice

    exe = soffice()
    if exe is None:
        raise RuntimeError("soffice not found: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory(prefix="ogi-fixture-") as tmp:
        paths = []
        for name, data in files.items():
            (Path(tmp) / name).write_bytes(data)
            paths.append(str(Path(tmp) / name))
        out = Path(tmp) / "out"
        subprocess.run([exe, f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless", "--norestore",
                        "--convert-to", target, "--outdir", str(out), *paths],
                       check=True, timeout=timeout, capture_output=True, start_new_session=True)
        return {name: (out / f"{Path(name).stem}.{target}").read_bytes() for name in files}


def legacy_files(seeds: Iterable[Path], formats: Iterable[str] = ("doc", "rtf", "odt", "xls")) -> Iterator[Fixture]:
    """.doc, .rtf, .odt (from the DOCX rendering) and .xls (from the workbook), made by LibreOffice,
    and the .wps / .et names of the .doc / .xls (LibreOffice cannot write Kingsoft's formats;
    WPS saves in the Word/Excel binary formats under these names by default)."""
    seeds = list(seeds)
    expected = {s.stem: seed_layout(s)[1] for s in seeds}
    formats = tuple(formats)
    docx_files = {f"{s.stem}.docx": docx_plain(s) for s in seeds}
    for fmt in ("doc", "rtf", "odt"):
        if fmt in formats:
            for name, data in soffice_convert(docx_files, fmt).items():
                stem = Path(name).stem
                yield Fixture(f"{fmt}:{stem}", f"{stem}.{fmt}", data, expected[stem])
                if fmt == "doc" and "wps" in formats:
                    yield Fixture(f"wps:{stem}", f"{stem}.wps", data, expected[stem])
    if "xls" in formats:
        xlsx_files = {f"{s.stem}.xlsx": xlsx_workbook(s) for s in seeds}
        for name, data in soffice_convert(xlsx_files, "xls").items():
            stem = Path(name).stem
            yield Fixture(f"xls:{stem}", f"{stem}.xls", data, expected[stem])
            if "et" in formats:
                yield Fixture(f"et:{stem}", f"{stem}.et", data, expected[stem])


# --- the registry ------------------------------------------------------------------

def _each_seed(builder: Callable[[Path], bytes], suffix: str) -> Callable[[], Iterator[Fixture]]:
    def fixtures() -> Iterator[Fixture]:
        for seed in SEEDS:
            yield Fixture(f"{builder.__name__}:{seed.stem}", f"{seed.stem}{suffix}", builder(seed), seed_layout(seed)[1])
    fixtures.__name__ = builder.__name__
    return fixtures


def _legacy() -> Iterator[Fixture]:
    from pipeline.readers.office import soffice

    if soffice() is None:
        return  # no LibreOffice here: nothing to measure (the readers quarantine such files)
    yield from legacy_files(SEEDS, ("doc", "wps", "rtf", "odt", "xls", "et"))


HAZARDS: dict[str, Callable[[], Iterable[Fixture]]] = {
    "docx-text-boxes": _each_seed(docx_text_boxes, ".docx"),
    "docx-layout-table": _each_seed(docx_layout_frames, ".docx"),
    "docx-tracked-changes": _each_seed(docx_tracked_changes, ".docx"),
    "html-cms-layout": _each_seed(html_cms, ".html"),
    "html-css-grid": _each_seed(html_css_grid, ".html"),
    "html-table-as-image": _each_seed(html_t2_image, ".html"),
    "xlsx": _each_seed(xlsx_workbook, ".xlsx"),
    "legacy-office (LibreOffice)": _legacy,
}


# --- measuring: python -m benchmarks.hazards_office [--bombs] ----------------------

def cells_right(fixtures: Iterable[Fixture]) -> tuple[int, int, int, int]:
    """(right, wrong, expected, quarantined files) over the fixtures."""
    from pipeline.parse import parse_bytes

    right = wrong = total = quarantined = 0
    for f in fixtures:
        report = parse_bytes(f.data, f.filename)
        total += len(f.expected)
        if not report.ok:
            quarantined += 1
            continue
        got = {(x.table_code, x.row_code, x.col_code): x.value for x in report.facts}
        right += sum(1 for k, v in f.expected.items() if k in got and got[k] == v)
        wrong += sum(1 for k, v in f.expected.items() if k in got and got[k] is not None and got[k] != v)
    return right, wrong, total, quarantined


_BOMB = """
import resource, sys, time
from pipeline.parse import parse_bytes
data = sys.stdin.buffer.read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
r = parse_bytes(data, sys.argv[1])
print(f"{sys.argv[1]}: {len(data)} bytes, {1000 * (time.perf_counter() - t):.1f} ms, peak RSS "
      f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (+{(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024:.1f} MB): {r.error}")
"""


def main(argv: list[str] | None = None) -> None:
    import argparse
    import sys

    ap = argparse.ArgumentParser(prog="python -m benchmarks.hazards_office",
                                 description="Cells right per office hazard class; --bombs: span bombs' time and memory.")
    ap.add_argument("--bombs", action="store_true")
    args = ap.parse_args(argv)
    if args.bombs:
        for name, data in span_bombs().items():
            subprocess.run([sys.executable, "-c", _BOMB, name], input=data, check=True, cwd=ROOT)
        return
    for name, builder in HAZARDS.items():
        right, wrong, total, quarantined = cells_right(builder())
        share = f"{100 * right / total:.1f}%" if total else "n/a (no LibreOffice)"
        print(f"{name:32s} {right:5d}/{total:<5d} right ({share}), {wrong} wrong, {quarantined} files quarantined")


def span_bombs() -> dict[str, bytes]:
    """The probe's two span bombs: a few hundred bytes each."""
    html = (b"<html><head><meta charset='utf-8'></head><body><p>2024\xe5\xb9\xb4</p><table>"
            b"<tr><td colspan='2000000000'>\xe8\xa7\x84\xe7\xab\xa0</td><td>1</td></tr></table></body></html>")
    doc = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl>'
           '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2000000000"/></w:tcPr><w:p><w:r><w:t>规章</w:t></w:r></w:p></w:tc>'
           '</w:tr></w:tbl></w:body></w:document>')
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", doc)
    return {"bomb.html": html, "bomb.docx": buf.getvalue()}


if __name__ == "__main__":
    main()
