"""A run as the nightly scheduler sees it: locked, built in a working copy,
published by atomic rename, logged in ``ingest_runs``.

DuckDB lets no process write a file another process has open, even read-only,
so a run never writes the published warehouse: it copies it, loads the copy
batch by batch (one transaction each), validates, checkpoints, and renames the
copy over the original. An analyst connected to the old file keeps a consistent
view until reconnecting; a run killed at any moment leaves the published file
as it was, and its orphaned copy is removed by the next run. SIGTERM stops a
run cleanly: the copy is discarded, nothing is published (exit status 143).

The file a run replaces is kept as ``<warehouse>.prev`` (a hard link, so it
costs no space while both exist) until the next publish: ``ogi restore`` puts
it back.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

import pipeline

from .bodies import resolve_warehouse
from .ingest import BATCH, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, IngestSummary, check_limits, ingest
from .lock import RunLock
from .warehouse import connect, fsync, run_in_transaction, sql

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


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: the run stops, discards its working copy and publishes nothing."""


@contextmanager
def _sigterm_stops_the_run() -> Iterator[None]:
    """Turn SIGTERM into an exception while a run holds the lock, so the working copy
    and the worker processes are cleaned up instead of left behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    received = []

    def terminated(_signum, _frame):
        received.append(True)
        raise Terminated("terminated by SIGTERM: nothing published")

    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    except BaseException as exc:
        if received and not isinstance(exc, Terminated):
            # DuckDB turns a signal during a query into its own "Query interrupted"
            raise Terminated("terminated by SIGTERM: nothing published") from exc
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)


def previous_path(db: Path) -> Path:
    return Path(str(db) + ".prev")


def _leftovers(db: Path) -> list[Path]:
    """Working copies (and their .wal and side files) of runs that died."""
    return sorted(db.parent.glob(f".{db.name}.work-*"))


def _link_or_copy(src: Path, dst: Path) -> None:
    dst.unlink(missing_ok=True)
    try:
        os.link(src, dst)
    except OSError:  # a file system without hard links
        shutil.copy2(src, dst)


def _keep_previous(db: Path, tmp: Path) -> None:
    """``db`` as it is now becomes ``db.prev`` (the one before is dropped)."""
    if db.exists():
        _link_or_copy(db, tmp)
        os.replace(tmp, previous_path(db))


@contextmanager
def published_connection(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Lock the warehouse, yield a connection to a working copy, publish it on success.

    On any exception (SIGTERM included) the copy is discarded and the published file
    is untouched; leftovers of a run that was killed are removed first.
    """
    db = Path(db)
    with RunLock(db), _sigterm_stops_the_run():
        for orphan in _leftovers(db):
            if orphan.is_dir():  # DuckDB's spill folder (<work copy>.tmp) of a killed run
                shutil.rmtree(orphan, ignore_errors=True)
            else:
                orphan.unlink(missing_ok=True)
        work = db.with_name(f".{db.name}.work-{os.getpid()}")
        con = None
        try:
            if db.exists():
                shutil.copy2(db, work)
            con = connect(work)
            yield con
            con.execute(sql("checkpoint.sql"))
            con.close()
            con = None
            fsync(work)
            _keep_previous(db, Path(str(work) + ".prev"))
            os.replace(work, db)  # the publish: atomic on one file system
            fsync(db.parent)
        except BaseException:
            if con is not None:
                con.close()
            for path in (work, Path(str(work) + ".wal"), Path(str(work) + ".prev")):
                path.unlink(missing_ok=True)
            raise


def restore_previous(db: Path) -> Path:
    """Put ``db.prev`` back as the warehouse; the file it replaces becomes ``db.prev``
    (so a restore can itself be undone). Returns the restored path."""
    db = Path(db)
    prev = previous_path(db)
    with RunLock(db):
        if not prev.exists():
            raise FileNotFoundError(f"no previous warehouse kept at {prev} (one is kept after each published run)")
        duckdb.connect(str(prev), read_only=True).close()  # refuse to restore a file DuckDB cannot open
        swap = db.with_name(f".{db.name}.work-{os.getpid()}.swap")
        had_current = db.exists()
        if had_current:
            _link_or_copy(db, swap)
        os.replace(prev, db)
        wal = Path(str(db) + ".wal")
        if wal.exists():  # belongs to the replaced file, never to the restored one
            os.replace(wal, Path(str(prev) + ".wal"))
        if had_current:
            os.replace(swap, prev)
        fsync(db.parent)
    return db


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
    engine: str = "local",
    scheduler: str | None = None,
    shared_fs: bool = False,
    review_file: Path | None = None,
    lang: str = "zh",
) -> JobResult:
    check_limits(max_bytes, timeout)
    run_id = uuid.uuid4().hex
    with published_connection(Path(db)) as con:
        started = datetime.now()
        log.info("run %s started: %s -> %s", run_id[:8], ", ".join(map(str, paths)), db)
        own = frozenset(os.path.abspath(str(db) + suffix) for suffix in ("", ".wal", ".lock", ".tmp", ".prev", ".prev.wal"))
        summary = ingest(con, paths, jobs=jobs, reparse=reparse, max_bytes=max_bytes,
                         timeout=timeout, batch_size=batch_size, on_file=on_file, exclude=own,
                         engine=engine, scheduler=scheduler, shared_fs=shared_fs)
        missing = _mark_missing(con, [Path(p) for p in paths], summary.seen_paths, prune)
        resolve_warehouse(con, paths)  # sidecar manifests, body ids, one active report per body-year
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
