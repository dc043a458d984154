"""Property tests: mutated report text never makes a reader or the mapper raise
anything but the project's documented ReportError, and parse_bytes never raises."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.mapper import map_document
from pipeline.model import ReportError
from pipeline.parse import parse_bytes
from pipeline.readers.text import read_text

from .conftest import SEED

SEED_LINES = {name: p.read_text(encoding="utf-8").split("\n") for name, p in SEED.items()}


@st.composite
def mutated_report(draw) -> bytes:
    lines = list(SEED_LINES[draw(st.sampled_from(sorted(SEED_LINES)))])
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["delete", "swap", "unicode", "huge", "cells", "truncate"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "unicode":
            lines.insert(i, draw(st.text(max_size=40)))
        elif op == "huge":
            lines[i] = str(draw(st.integers(10**10, 10**40)))
        elif op == "cells":
            cells = lines[i].split("\t")
            lines[i] = "\t".join(reversed(cells)) + draw(st.sampled_from(["", "\t", "|", " | ||"]))
        else:
            lines = lines[:i]
    return "\n".join(lines).encode(draw(st.sampled_from(["utf-8", "gb18030", "utf-16"])), errors="replace")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_report())
def test_readers_and_mapper_raise_only_report_error(data):
    try:
        result = map_document(read_text(data, "mutant.txt"))
    except ReportError as exc:
        assert str(exc)
        return
    for fact in result.facts:
        assert fact.value is None or abs(fact.value) < 1e12


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["x.txt", "x.docx", "x.pdf", "x.html", "x.doc"]))
def test_parse_bytes_never_raises_on_arbitrary_bytes(data, name):
    report = parse_bytes(data, name)
    assert report.ok or report.error
    assert not (report.error or "").startswith("parser error"), report.error
