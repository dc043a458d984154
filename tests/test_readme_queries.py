"""Every `ogi query "…"` in the README has an ORDER BY (deterministic output) and runs
on the sample; where the README shows the output, the rows it prints are the rows the
query returns, in the same order."""

from __future__ import annotations

import re
from decimal import Decimal

import duckdb

from pipeline.cli import main

from .conftest import ROOT

QUERY = re.compile(r'ogi query "((?:[^"\\]|\\.)+)"')


def _examples() -> list[tuple[str, list[str] | None]]:
    """(sql, output lines or None) for every ogi query in the README."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = []
    for match in QUERY.finditer(text):
        sql = match.group(1)
        if sql == "SQL":  # the commands table's placeholder
            continue
        line_end = text.index("\n", match.end())
        output = None
        if text[match.start() - 2:match.start()] == "$ ":  # a shown session: the lines up to the fence
            output = text[line_end + 1:text.index("```", line_end)].rstrip("\n").splitlines()
        found.append((sql, output))
    return found


def _shows(cell: str, value) -> bool:
    """Whether a table cell as printed shows this value (a long text is cut with '…')."""
    if value is None:
        return cell == "NULL"
    if isinstance(value, Decimal | int | float):
        try:
            return abs(float(cell) - float(value)) <= 1e-6 * max(1.0, abs(float(value)))
        except ValueError:
            return False
    text = str(value)
    return cell == text or (cell.endswith("…") and text.startswith(cell[:-1]))


def test_every_readme_query_has_an_order_by_and_prints_what_the_readme_shows(seeds, capsys):
    db, _ = seeds
    examples = _examples()
    assert len(examples) >= 6
    for sql, _output in examples:  # ogi query's sandboxed connection: no other one open meanwhile
        assert "ORDER BY" in sql.upper(), f"no ORDER BY: {sql}"
        assert main(["query", sql, "--db", str(db)]) == 0, sql
        capsys.readouterr()
    con = duckdb.connect(str(db), read_only=True)
    try:
        for sql, output in examples:
            rows = con.execute(sql).fetchall()
            assert rows, sql
            if output is None:
                continue
            lines = [line for line in output[1:]
                     if not re.fullmatch(r"\(?[\d,]+ rows?\)?|[─┼]+", line.strip())]
            assert len(lines) == len(rows), sql
            for line, row in zip(lines, rows, strict=True):
                cells = [c.strip() for c in line.split("│")]
                assert len(cells) == len(row), f"{sql}: {line!r}"
                for cell, value in zip(cells, row, strict=True):
                    assert _shows(cell, value), f"{sql}: {value!r} shown as {cell!r}"
    finally:
        con.close()
