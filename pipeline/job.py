"""A run as the nightly scheduler sees it: locked, built in a working copy,
published by atomic rename, logged in ``ingest_runs``.

DuckDB lets no process write a file another process has open, even read-only,
so a run never writes the published warehouse: it copies it, loads the copy
batch by batch (one transaction each), validates, checkpoints, and renames the
copy over the original. An analyst connected to the old file keeps a consistent
view until reconnecting; a run killed at any moment leaves the published file
as it was, and its orphaned copy is removed by the next run.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

import pipeline

from .ingest import BATCH, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, IngestSummary, ingest
from .lock import RunLock
from .warehouse import connect, run_in_transaction, sql

log = logging.getLogger("ogi")


@dataclass
class JobResult:
    run_id: str
    summary: IngestSummary
    checks_failed: int = 0
    check_errors: int = 0
    validation: object | None = None  # checks.ValidationResult
    status: str = "ok"

    @property
    def exit_code(self) -> int:
        return 1 if self.summary.quarantined or self.check_errors else 0


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _under(path: str, roots: Sequence[Path]) -> bool:
    p = os.path.abspath(path)
    return any(p == str(r) or p.startswith(str(r) + os.sep) for r in roots)


def _mark_missing(con, roots: Sequence[Path], seen: set[str], prune: bool) -> list[str]:
    """Reports whose file has gone: marked source_missing, or deleted with --prune."""
    abs_roots = [Path(os.path.abspath(r)) for r in roots]
    known = con.execute(sql("known_reports.sql")).fetchall()
    missing = [(rid, path) for rid, path, _pv in known
               if path not in seen and _under(path, abs_roots) and not os.path.exists(path)]
    frames = {
        "missing_paths": pd.DataFrame({"source_path": [p for _, p in missing]}, dtype="object"),
        "seen_paths": pd.DataFrame({"source_path": sorted(seen)}, dtype="object"),
        "doomed": pd.DataFrame({"report_id": [rid for rid, _ in missing] if prune else []}, dtype="object"),
    }
    files = ["mark_missing.sql"] + (["delete_reports.sql", "prune_files.sql"] if prune else [])
    run_in_transaction(con, frames, *files)
    return [p for _, p in missing]


@contextmanager
def published_connection(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Lock the warehouse, yield a connection to a working copy, publish it on success.

    On any exception the copy is discarded and the published file is untouched.
    """
    db = Path(db)
    with RunLock(db):
        for orphan in db.parent.glob(f".{db.name}.work-*"):
            if orphan.is_dir():  # DuckDB's spill folder (<work copy>.tmp) of a killed run
                shutil.rmtree(orphan, ignore_errors=True)
            else:
                orphan.unlink(missing_ok=True)  # left by a run that was killed
        work = db.with_name(f".{db.name}.work-{os.getpid()}")
        if db.exists():
            shutil.copy2(db, work)
        con = connect(work)
        try:
            yield con
            con.execute(sql("checkpoint.sql"))
            con.close()
            _fsync(work)
            os.replace(work, db)  # the publish: atomic on one file system
            _fsync(db.parent)
        except BaseException:
            con.close()
            work.unlink(missing_ok=True)
            Path(str(work) + ".wal").unlink(missing_ok=True)
            raise


def run_job(
    db: Path,
    paths: Sequence[str | Path],
    *,
    jobs: int = 1,
    reparse: bool = False,
    prune: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    batch_size: int = BATCH,
    validate: bool = True,
    quality_dir: Path | None = None,
    on_file: Callable[[str], None] | None = None,
    review_file: Path | None = None,
    lang: str = "zh",
) -> JobResult:
    run_id = uuid.uuid4().hex
    with published_connection(Path(db)) as con:
        started = datetime.now()
        log.info("run %s started: %s -> %s", run_id[:8], ", ".join(map(str, paths)), db)
        own = frozenset(os.path.abspath(str(db) + suffix) for suffix in ("", ".wal", ".lock", ".tmp"))
        summary = ingest(con, paths, jobs=jobs, reparse=reparse, max_bytes=max_bytes,
                         timeout=timeout, batch_size=batch_size, on_file=on_file, exclude=own)
        missing = _mark_missing(con, [Path(p) for p in paths], summary.seen_paths, prune)
        result = JobResult(run_id, summary)
        if missing:
            log.warning("%d files disappeared since the last run (%s)%s", len(missing), ", ".join(missing[:3]),
                        "; their reports were pruned" if prune else "; their reports are kept, marked source_missing")
        if not validate:  # review corrections are served on every run (validate applies them itself)
            from .review import serve_corrections

            serve_corrections(con, review_file)
        if validate:
            from .checks import validate_warehouse

            # the quality site is only staged here: it is swapped in once the warehouse is published
            result.validation = validate_warehouse(con, quality_dir=quality_dir, review_file=review_file,
                                                   lang=lang, defer_site=True)
            result.checks_failed = len(result.validation.failures)
            result.check_errors = result.validation.errors
        result.status = "warnings" if (summary.quarantined or result.checks_failed) else "ok"
        run_row = pd.DataFrame([{
            "run_id": run_id, "started_at": started, "finished_at": datetime.now(), "status": result.status,
            "files_seen": summary.files_seen, "files_new": summary.files_new,
            "files_changed": summary.files_changed, "files_unchanged": summary.files_unchanged,
            "files_quarantined": summary.files_quarantined, "checks_failed": result.checks_failed,
            "parser_version": pipeline.PARSER_VERSION,
        }])
        run_in_transaction(con, {"incoming_run": run_row}, "insert_run.sql")
    if result.validation is not None:
        result.validation.publish_site()
    log.info("run %s finished: %s", run_id[:8], result.status)
    return result
