"""Render a report as the official merged-cell layout: DOCX, HTML, PDF and the text layouts.

A report here is a list of ('p', text) and ('table', rows of (text, colspan, rowspan))
items. Used by the benchmark corpus generator and, with the seeds' values, by the
tests' format fixtures (nothing binary is committed).
"""

from __future__ import annotations

import html
from pathlib import Path

from pipeline.template import T2_ROWS

Span = tuple[str, int, int]  # text, colspan, rowspan
Item = tuple[str, object]


def t1_spans(v) -> list[list[Span]]:
    rows: list[list[Span]] = [[("第二十条第（一）项", 4, 1)],
                              [("信息内容", 1, 1), ("本年制发件数", 1, 1), ("本年废止件数", 1, 1), ("现行有效件数", 1, 1)]]
    for code, label in (("regulation", "规章"), ("normative_document", "行政规范性文件")):
        rows.append([(label, 1, 1)] + [(v(f"t1.{code}.{c}"), 1, 1) for c in ("issued", "repealed", "in_force")])
    for art, head, items in (("（五）", "本年处理决定数量", [("licensing", "行政许可", "decisions")]),
                             ("（六）", "本年处理决定数量", [("penalty", "行政处罚", "decisions"), ("coercion", "行政强制", "decisions")]),
                             ("（八）", "本年收费金额（单位：万元）", [("admin_fees", "行政事业性收费", "amount_10k_yuan")])):
        rows.append([(f"第二十条第{art}项", 4, 1)])
        rows.append([("信息内容", 1, 1), (head, 3, 1)])
        rows.extend([[(label, 1, 1), (v(f"t1.{code}.{col}"), 3, 1)] for code, label, col in items])
    return rows


T2_COLS = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
           "legal_service_org", "other_org", "total")
GROUPS = {"withheld": ("（三）不予公开", 8), "unavailable": ("（四）无法提供", 3),
          "not_processed": ("（五）不予处理", 5), "other": ("（六）其他处理", 3)}


def t2_spans(v) -> list[list[Span]]:
    rows: list[list[Span]] = [
        [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 7, 1)],
        [("自然人", 1, 2), ("法人或其他组织", 5, 1), ("总计", 1, 2)],
        [("商业企业", 1, 1), ("科研机构", 1, 1), ("社会公益组织", 1, 1), ("法律服务机构", 1, 1), ("其他", 1, 1)],
    ]
    vals = lambda code: [(v(f"t2.{code}.{c}"), 1, 1) for c in T2_COLS]  # noqa: E731
    labels = T2_ROWS["2021"]
    rows.append([(labels["new_received"], 3, 1)] + vals("new_received"))
    rows.append([(labels["carried_over"], 3, 1)] + vals("carried_over"))
    result_codes = [c for c in labels if c not in ("new_received", "carried_over", "carried_forward")]
    started_groups = set()
    for i, code in enumerate(result_codes):
        row: list[Span] = []
        if i == 0:
            row.append(("三、本年度办理结果", 1, len(result_codes)))
        sub = labels[code].split("·")[-1]
        group = code.split("_")[0]
        if group in GROUPS:
            if group not in started_groups:
                started_groups.add(group)
                row.append((GROUPS[group][0], 1, GROUPS[group][1]))
            row.append((sub, 1, 1))
        else:
            row.append((sub, 2, 1))
        rows.append(row + vals(code))
    rows.append([(labels["carried_forward"], 3, 1)] + vals("carried_forward"))
    return rows


def t3_spans(v) -> list[list[Span]]:
    heads = [("结果维持", 1, 1), ("结果纠正", 1, 1), ("其他结果", 1, 1), ("尚未审结", 1, 1), ("总计", 1, 1)]
    return [
        [("行政复议", 5, 1), ("行政诉讼", 10, 1)],
        [(t, 1, 2) for t, _, _ in heads] + [("未经复议直接起诉", 5, 1), ("复议后起诉", 5, 1)],
        heads + heads,
        [(v(f"t3.{r}.{c}"), 1, 1) for r in ("review", "litigation_direct", "litigation_after_review")
         for c in ("upheld", "corrected", "other", "pending", "total")],
    ]


def grid(rows: list[list[Span]]) -> tuple[int, list[tuple[int, int, str, int, int]]]:
    """Place spans on a grid: (n_cols, [(row, col, text, colspan, rowspan)])."""
    taken: set[tuple[int, int]] = set()
    placed = []
    ncols = 0
    for r, row in enumerate(rows):
        c = 0
        for text, cs, rs in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, text, cs, rs))
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
            c += cs
            ncols = max(ncols, c)
    return ncols, placed


def to_html(items: list[Item], charset: str = "utf-8") -> bytes:
    parts = [f"<html><head><meta charset='{charset}'><title>政府信息公开</title><script>var x = '<table>';</script></head><body>",
             "<nav><ul><li>首页</li><li>政务公开</li></ul></nav><div class='content'>"]
    for kind, content in items:
        if kind == "p":
            parts.append(f"<p>{html.escape(content)}</p>")
        elif kind == "img":  # a table pasted as a picture: content is the src
            parts.append(f"<p style='text-align:center'><img src='{html.escape(content)}' alt='表格'></p>")
        else:
            parts.append("<table border='1'>")
            for row in content:
                cells = "".join(
                    f"<td colspan='{cs}' rowspan='{rs}'>{html.escape(t) or '&nbsp;'}</td>" for t, cs, rs in row)
                parts.append(f"<tr>{cells}</tr>")
            parts.append("</table>")
    parts.append("</div><footer>主办单位：某某人民政府办公室 备案号 12345</footer></body></html>")
    return "\n".join(parts).encode("gb18030" if charset.lower() in ("gbk", "gb2312") else charset)


def to_docx(items: list[Item], path: Path) -> Path:
    import docx

    document = docx.Document()
    for kind, content in items:
        if kind == "p":
            document.add_paragraph(content)
            continue
        ncols, placed = grid(content)
        nrows = max(r + rs for r, _c, _t, _cs, rs in placed)
        table = document.add_table(rows=nrows, cols=ncols)
        for r, c, text, cs, rs in placed:
            cell = table.cell(r, c)
            if cs > 1 or rs > 1:
                cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
            cell.text = text
    document.save(path)
    return path


def to_pdf(items: list[Item], path: Path, break_t2: bool = False) -> Path:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as RLTable

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=8, leading=10, wordWrap="CJK")
    story = []
    for kind, content in items:
        if kind == "p":
            story.append(Paragraph(html.escape(content), style))
            continue
        ncols, placed = grid(content)
        nrows = max(r + rs for r, _c, _t, _cs, rs in placed)
        data = [[""] * ncols for _ in range(nrows)]
        cmds = [("FONT", (0, 0), (-1, -1), "STSong-Light", 5), ("GRID", (0, 0), (-1, -1), 0.5, "black")]
        cell_style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=5, leading=6, wordWrap="CJK")
        for r, c, text, cs, rs in placed:
            # Long labels wrap inside their cell, as Word does.
            data[r][c] = Paragraph(html.escape(text), cell_style) if len(text) > 6 else text
            if cs > 1 or rs > 1:
                cmds.append(("SPAN", (c, r), (c + cs - 1, r + rs - 1)))
        if break_t2 and ncols == 10:
            story.append(Spacer(1, 380))
        width = (landscape(A4)[0] - 80) / ncols
        story.append(RLTable(data, colWidths=[width] * ncols, style=cmds))
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build(story)
    return path
