"""The real-report yardstick: >= 99.5% of hand-read cells, measured by benchmarks.corpus_accuracy."""

from __future__ import annotations

from benchmarks.corpus_accuracy import score

from .conftest import CORPUS, needs_shared


@needs_shared
def test_corpus_cells_match_gold(capsys):
    hit, total, hit19, total19 = score(CORPUS)
    assert total > 500
    assert hit / total >= 0.995, f"{hit}/{total}"
    assert hit19 == total19
