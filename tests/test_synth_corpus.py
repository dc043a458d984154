"""The benchmark generator writes every format, and ogi reads each back exactly."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from benchmarks.synth import FORMATS, generate, report, write
from pipeline.parse import parse_bytes


@pytest.mark.parametrize("fmt", FORMATS)
def test_generated_reports_round_trip(fmt, tmp_path):
    rng = random.Random(7)
    for i in range(2):
        r = report(rng)
        path = write(r, fmt, tmp_path / f"r{i}")
        parsed = parse_bytes(path.read_bytes(), str(path))
        assert parsed.ok, parsed.error
        got = {f"{f.table_code}.{f.row_code}.{f.col_code}": f.value for f in parsed.facts}
        assert got == {k: Decimal(str(v)) for k, v in r.values.items()}  # exact values
        assert (parsed.year, parsed.body) == (r.year, r.body)
        assert parsed.division_code is not None
        assert not parsed.warnings


def test_values_satisfy_the_identities():
    r = report(random.Random(3))
    v = r.values
    for col in ("natural_person", "total"):
        assert v[f"t2.new_received.{col}"] + v[f"t2.carried_over.{col}"] == v[f"t2.total_handled.{col}"] + v[f"t2.carried_forward.{col}"]


def test_generation_is_deterministic(tmp_path):
    a = generate(5, tmp_path / "a", "tab=1,pipe=1", seed=11)
    b = generate(5, tmp_path / "b", "tab=1,pipe=1", seed=11)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
