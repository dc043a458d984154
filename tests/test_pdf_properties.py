"""Property: however a seed's PDF is laid out (label column width, page break position,
rows cut by the break, borders on or off, repeated headers, cell alignment), every
loaded cell equals the seed's own value, and every cell not loaded has a warning."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from reportlab.platypus.doctemplate import LayoutError

from benchmarks.hazards_pdf import CUT_ROWS
from benchmarks.render_pdf import PdfLayout
from pipeline.parse import parse_bytes

from . import render
from .conftest import SEED

layouts = st.builds(
    PdfLayout,
    label_width=st.floats(130, 220),  # narrower: reportlab lets （四） overflow a column Word would wrap
    font_size=st.sampled_from([9.0, 10.5]),
    borders=st.booleans(),
    valign=st.sampled_from(["MIDDLE", "TOP"]),
    repeat_header=st.booleans(),
    cut_row=st.one_of(st.none(), st.sampled_from([r for r, _ in CUT_ROWS])),
    cut_lines=st.integers(1, 3),
    t3_page=st.sampled_from(["portrait", "portrait", "wide", "rotate"]),
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(SEED)), layout=layouts)
def test_never_a_wrong_cell(name, layout, tmp_path):
    path = tmp_path / "r.pdf"
    try:
        render.to_pdf_layout(SEED[name], path, layout)
    except (ValueError, LayoutError):
        assume(False)  # the label fits on cut_lines lines / reportlab cannot lay it out
    report = parse_bytes(path.read_bytes(), str(path))
    render.check_never_wrong(SEED[name], report)
