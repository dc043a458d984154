"""Ingest a folder of reports: find files, parse the new work, load in batches.

Unchanged files (same path, size and mtime, or same bytes) are skipped without
parsing; a changed file replaces its old report; a bad file is quarantined with
its reason and never stops the others.
"""

from __future__ import annotations

import gc
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

import pipeline

from .parse import ParsedReport, parse_bytes, sha256
from .readers import file_format
from .warehouse import FileSeen, load_batch, report_tables, sql

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_TIMEOUT = 60.0  # seconds one file may take to parse (a pathological PDF)
CHUNK = 50  # files a worker parses per task: enough to amortise the hand-off
# Files per transaction. ~200 facts a report: 1,000 reports fill a DuckDB row group
# (122,880 rows), which a transaction writes straight to the database file; smaller
# batches go through the write-ahead log and are written twice (half the load speed).
BATCH = 1000


@dataclass
class IngestSummary:
    files_seen: int = 0
    files_new: int = 0
    files_changed: int = 0
    files_unchanged: int = 0
    files_duplicate: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    loaded: list[str] = field(default_factory=list)  # report ids
    seen_paths: set[str] = field(default_factory=set)

    @property
    def files_quarantined(self) -> int:
        return len(self.quarantined)


_NOT_REPORTS = frozenset({"README.md", "manifest.csv", "manifest.jsonl"})  # manifests: pipeline/sidecar.py


def discover(paths: Iterable[str | Path], exclude: frozenset[str] = frozenset()) -> Iterator[Path]:
    """Files under the given paths, in a stable order; hidden files, README.md, sidecar manifests and the
    ``exclude``d absolute paths (the warehouse's own files) are skipped."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    path = os.path.join(root, name)
                    if (not name.startswith(".") and name not in _NOT_REPORTS
                            and os.path.abspath(path) not in exclude):
                        yield Path(path)
        else:
            yield p


def _read(path: Path, max_bytes: int) -> tuple[bytes | None, str | None]:
    try:
        if path.is_symlink() and not path.exists():
            return None, "broken or looping symbolic link"
        size = path.stat().st_size
        if size > max_bytes:
            return None, f"file too large ({size} bytes > limit {max_bytes}); raise --max-bytes to read it"
        return path.read_bytes(), None
    except OSError as exc:
        return None, f"cannot read file: {exc.strerror or exc}"


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so parse_bytes' safety net does not catch it."""


def _alarm(_signum, _frame):
    raise _Timeout


def _parse_job(args: tuple[bytes, str, float]) -> ParsedReport:
    """parse_bytes with a per-file time limit (SIGALRM; only where signals can be set)."""
    data, path, timeout = args
    armed = bool(timeout) and threading.current_thread() is threading.main_thread()
    if armed:
        if signal.getsignal(signal.SIGALRM) is not _alarm:
            signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return parse_bytes(data, path)
    except _Timeout:
        report = ParsedReport(sha256(data), path, file_format(path))
        report.error = f"parsing took longer than {timeout:g} s (per-file limit, --timeout): skipped"
        return report
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)


def _parse_chunk(items: list[tuple[bytes, str, float]]) -> tuple[list[ParsedReport], dict[str, pa.Table]]:
    """Parse a chunk of files and build its Arrow tables where it was parsed."""
    reports = [_parse_job(item) for item in items]
    return reports, report_tables([r for r in reports if r.ok])


_REPEATED_COLUMNS = frozenset({"report_id", "table_code", "row_code", "col_code"})


def _parse_chunk_in_worker(items: list[tuple[bytes, str, float]]) -> tuple[list[ParsedReport], dict[str, bytes]]:
    """_parse_chunk for a worker process: the tables travel back as Arrow IPC bytes and
    the reports without their facts, so the single writer does no per-row work."""
    reports, tables = _parse_chunk(items)
    for r in reports:
        r.facts, r.narrative, r.warnings = ([] if r.ok else None), [], []
    payload = {}
    for name, table in tables.items():
        for i, col in enumerate(table.column_names):
            if col in _REPEATED_COLUMNS:
                # 200 copies of one report id, a few dozen codes: dictionaries cut the
                # bytes sent to the writer by two thirds (DuckDB reads them as they are).
                table = table.set_column(i, col, pc.dictionary_encode(table[col]))
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        payload[name] = sink.getvalue().to_pybytes()
    return reports, payload


def _fewer_collections() -> None:
    """A run allocates millions of short-lived, acyclic objects (cells, facts, rows):
    CPython's default thresholds spend about a fifth of single-core ingest time in the
    cycle collector. Freeze what exists and collect rarely; cycles are still freed."""
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def ingest(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[str | Path],
    *,
    jobs: int = 1,
    batch_size: int = BATCH,
    reparse: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    on_file: Callable[[str], None] | None = None,
    exclude: frozenset[str] = frozenset(),
) -> IngestSummary:
    summary = IngestSummary()
    known_files = {r[0]: r for r in con.execute(sql("known_files.sql")).fetchall()}
    known_reports = {r[0]: (r[1], r[2]) for r in con.execute(sql("known_reports.sql")).fetchall()}
    by_path = {path: rid for rid, (path, _) in known_reports.items()}

    pending: list[tuple[bytes, str, FileSeen]] = []
    side: list[FileSeen] = []  # files recorded without parsing (unreadable, touched, duplicate)
    in_flight: deque[tuple[list[tuple[bytes, str, FileSeen]], list[FileSeen], Iterator[tuple]]] = deque()
    seen_ids: set[str] = set()
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_fewer_collections) if jobs > 1 else None
    thresholds = gc.get_threshold()
    _fewer_collections()

    def load(batch, extra, chunks) -> None:
        reports: list[ParsedReport] = []
        parts: list[dict[str, pa.Table]] = []
        for chunk_reports, tables in chunks:
            reports.extend(chunk_reports)
            if pool:  # Arrow IPC bytes from a worker
                tables = {name: pa.ipc.open_stream(data).read_all() for name, data in tables.items()}
            parts.append(tables)
        tables = {name: pa.concat_tables([p[name] for p in parts]) for name in parts[0]} if parts else None
        good: list[ParsedReport] = []
        replaced: list[str] = []
        records = list(extra)
        for (_, path, rec), report in zip(batch, reports, strict=True):
            if report.ok:
                good.append(report)
                old = by_path.get(path)
                if old and old != report.report_id:
                    replaced.append(old)  # the file changed: its old report goes
                if report.report_id in known_reports:
                    replaced.append(report.report_id)  # re-parsed (parser upgrade, --reparse)
                summary.loaded.append(report.report_id)
            else:
                rec.status, rec.reason = "quarantined", report.error
                summary.quarantined.append((path, report.error))
            records.append(rec)
        load_batch(con, good, records, replaced, tables=tables)

    def flush(final: bool = False) -> None:
        """Start parsing the pending batch; load the previous one meanwhile (one writer)."""
        if pending or side:
            work = [(data, path, timeout) for data, path, _ in pending]
            chunks = [work[i:i + CHUNK] for i in range(0, len(work), CHUNK)]
            results = pool.map(_parse_chunk_in_worker, chunks) if pool else map(_parse_chunk, chunks)
            in_flight.append((list(pending), list(side), results))
            pending.clear()
            side.clear()
        while in_flight and (final or len(in_flight) > 1 or pool is None):
            load(*in_flight.popleft())

    try:
        for path in discover(paths, exclude):
            summary.files_seen += 1
            spath = str(path)
            summary.seen_paths.add(spath)
            if on_file:
                on_file(spath)
            try:
                st = path.stat()
                size, mtime = st.st_size, st.st_mtime_ns
            except OSError:
                size, mtime = -1, -1
            prev = known_files.get(spath)
            if (not reparse and prev and prev[1] == size and prev[2] == mtime and prev[5] == pipeline.PARSER_VERSION
                    and prev[4] != "quarantined"):
                summary.files_unchanged += 1
                seen_ids.add(prev[3])
                continue
            data, problem = _read(path, max_bytes)
            if data is None:
                side.append(FileSeen(spath, size, mtime, "", "quarantined", problem))
                summary.quarantined.append((spath, problem))
                continue
            digest = sha256(data)
            rec = FileSeen(spath, size, mtime, digest, "loaded")
            if digest in known_reports and known_reports[digest][1] == pipeline.PARSER_VERSION and not reparse:
                if known_reports[digest][0] == spath or digest in seen_ids:
                    summary.files_unchanged += 1
                else:
                    summary.files_duplicate += 1
                    rec.status = "duplicate"
                side.append(rec)  # size/mtime changed, bytes did not: remember the new stat
                seen_ids.add(digest)
                continue
            if digest in seen_ids:
                summary.files_duplicate += 1
                rec.status = "duplicate"
                side.append(rec)
                continue
            seen_ids.add(digest)
            if spath in by_path or prev is not None:
                summary.files_changed += 1
            else:
                summary.files_new += 1
            pending.append((data, spath, rec))
            if len(pending) >= batch_size:
                flush()
        flush(final=True)
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
        gc.set_threshold(*thresholds)
        gc.unfreeze()
    return summary


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
