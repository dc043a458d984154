"""No value in a wrong cell, whatever the layout: the seeds rendered to PDF with labels
wrapped in narrow columns, cells left blank, footers inside the tables, then copied out
through pdftotext (both modes). Every loaded cell must equal the seed's value (None for
a cell left blank), or be absent with a warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pipeline.parse import parse_bytes

from . import pdftext
from .conftest import SEED

SEEDS = sorted(SEED)


@pytest.fixture(scope="module")
def values() -> dict[str, dict[str, str]]:
    pdftext.require_pdftotext()
    return {name: pdftext.seed_values(SEED[name]) for name in SEEDS}


def _copied(name: str, raw: dict[str, str], blank: set[str], tmp: Path, layout_mode: bool, **render) -> str:
    v = lambda key: "" if key in blank else raw[key]  # noqa: E731
    pdf = pdftext.to_pdf(pdftext.layout(SEED[name], v), tmp / f"{name}.pdf", **render)
    return pdftext.pdftotext(pdf, layout_mode)


def assert_no_wrong_cell(text: str, raw: dict[str, str], blank: set[str]) -> int:
    report = parse_bytes(text.encode("utf-8"), "copied.txt")
    if not report.ok:  # quarantined with its reason: nothing loaded, nothing wrong
        assert "could be placed" in report.error, report.error
        return 0
    wrong = pdftext.wrong_cells(report, raw, blank)
    assert not wrong, wrong
    loaded = len(report.facts)
    if loaded < len(raw):
        assert any(stage == "map" for stage, _ in report.warnings), "cells missing without a warning"
    return loaded


# No shrinking or explaining: each example renders and copies a PDF, and hypothesis' explain
# phase traces every line of the parser, so a failure took tens of minutes to report.
_QUICK = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
                  phases=[Phase.explicit, Phase.reuse, Phase.generate])
_SHAPES = dict(name=st.sampled_from(SEEDS), valign=st.sampled_from(["TOP", "MIDDLE", "BOTTOM"]),
               label_width=st.integers(min_value=26, max_value=70), footer=st.sampled_from(sorted(pdftext.FOOTERS)),
               blank_seed=st.randoms(use_true_random=False))


def _check(values, tmp_path, name, layout_mode, valign, label_width, footer, blank_seed, blank_share) -> None:
    raw = values[name]
    blank = {k for k in sorted(raw) if blank_seed.random() < blank_share}
    text = _copied(name, raw, blank, tmp_path, layout_mode, valign=valign, label_width=label_width, footer=footer)
    assert_no_wrong_cell(text, raw, blank)


@_QUICK
@given(layout_mode=st.booleans(), blank_share=st.sampled_from([0.0, 0.05, 0.2]), **_SHAPES)
def test_copied_pdf_text_never_places_a_wrong_cell(values, tmp_path, name, layout_mode, valign, label_width,
                                                    footer, blank_seed, blank_share):
    _check(values, tmp_path, name, layout_mode, valign, label_width, footer, blank_seed, blank_share)


@_QUICK
@given(blank_share=st.sampled_from([0.05, 0.2]), **_SHAPES)
def test_plain_copy_with_blank_cells_never_places_a_wrong_cell(values, tmp_path, name, valign, label_width, footer,
                                                               blank_seed, blank_share):
    """Plain copies with blank cells: numbers moved past their labels by the viewer's
    reading order, stacked in one block or split by a page break must not be loaded."""
    _check(values, tmp_path, name, False, valign, label_width, footer, blank_seed, blank_share)


@pytest.mark.parametrize("name", SEEDS)
def test_layout_copy_of_every_seed_loads_every_cell(values, tmp_path, name):
    """pdftotext -layout of a seed whose labels wrap over 2-5 lines and whose t2 crosses a
    page (its footer inside the table): all 200 cells, each right."""
    text = _copied(name, values[name], set(), tmp_path, True)
    assert "第 2 页 共" in text or "第2页共" in text  # the footer really is in the copied text
    assert assert_no_wrong_cell(text, values[name], set()) == 200


def test_plain_copy_places_no_wrong_cell_and_most_cells(values, tmp_path):
    """Plain pdftotext (one cell per line, reading order) of qindu, footer '- 2 -' inside t2
    (printed '-2-'). Where labels and numbers come out of order the rest of the table is
    left out with warnings; what is loaded is right."""
    text = _copied("qindu", values["qindu"], set(), tmp_path, False, footer="dash")
    assert "-2-" in text
    assert assert_no_wrong_cell(text, values["qindu"], set()) >= 160
