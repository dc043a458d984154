"""The quality site: static pages in Chinese (``--lang en`` for English) under ``quality/``.

    index.html             provinces, open findings by suite (filters: year, suite, severity, status)
    p/NNN[-k].html         one province: city -> county -> body -> year, split in parts of PART_SIZE reports
    r/ab/<report_id>.html  one report: its tables as printed with suspect cells marked, findings,
                           narrative figures, warnings, review decisions, other years
    assets/                CSS (CJK font stack) and the filter script
    manifest.json          run id, counts, every file with its size and sha256

Everything is built in a temporary folder beside the target and swapped in whole
(``StagedSite.publish``) once the warehouse it describes is published; leftovers
of a run that died are removed when the next one starts. Report text is
untrusted: every value goes through html.escape, embedded data through JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from .pages import SiteWriter


@dataclass
class StagedSite:
    staging: Path
    target: Path

    def publish(self) -> Path:
        """Swap the staged folder in: old site renamed aside, new one renamed in, old removed."""
        old = self.target.with_name(f".{self.target.name}.old-{os.getpid()}")
        if self.target.exists():
            os.replace(self.target, old)
        os.replace(self.staging, self.target)
        shutil.rmtree(old, ignore_errors=True)
        return self.target / "index.html"

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def clean_leftovers(target: Path) -> None:
    """Remove staging and swapped-out folders of runs that died before publishing."""
    for pattern in (f".{target.name}.tmp-*", f".{target.name}.old-*"):
        for p in target.parent.glob(pattern):
            shutil.rmtree(p, ignore_errors=True)


def _manifest(folder: Path, run_id: str, counts: dict, written: dict[str, dict]) -> None:
    """manifest.json: every file with its size and sha256; pages were hashed as they were
    written (``written``), the rest (assets) are read here."""
    files = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            rel = p.relative_to(folder).as_posix()
            files[rel] = written.get(rel) or {"bytes": p.stat().st_size,
                                              "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
    manifest = {"run_id": run_id, "generated_at": datetime.now().isoformat(timespec="seconds"), **counts,
                "largest_page_bytes": max((f["bytes"] for f in files.values()), default=0), "files": files}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


def stage_site(con: duckdb.DuckDBPyConnection, target: Path, *, run_id: str, lang: str = "zh",
               decided: list | None = None) -> StagedSite:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(target)
    staging = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    staging.mkdir()
    try:
        writer = SiteWriter(con, staging, lang=lang, decided=decided or [])
        counts = writer.write()
        _manifest(staging, run_id, counts, writer.files)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return StagedSite(staging, target)
