"""Ingest a folder of reports: find files, parse the new work, load in batches.

Unchanged files (same path, size and mtime, or same bytes) are skipped without
parsing; a changed file replaces its old report; a bad file is quarantined with
its reason and never stops the others.
"""

from __future__ import annotations

import ctypes
import errno
import gc
import multiprocessing
import os
import signal
import stat
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

import pipeline

from .companions import PageImages
from .model import TimeLimit
from .parse import ParsedReport, parse_bytes, sha256
from .readers import file_format
from .warehouse import FileSeen, load_batch, report_tables, sql
from .workers import fewer_collections, init_worker

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
    files_page_images: int = 0  # table images of a web page beside them: read with the page
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    loaded: list[str] = field(default_factory=list)  # report ids
    seen_paths: set[str] = field(default_factory=set)

    @property
    def files_quarantined(self) -> int:
        return len(self.quarantined)


_NOT_REPORTS = frozenset({"README.md", "manifest.csv", "manifest.jsonl"})  # manifests: pipeline/sidecar.py


def discover(paths: Iterable[str | Path], exclude: frozenset[str] = frozenset()) -> Iterator[Path]:
    """Files under the given paths, in a stable order; hidden files, README.md, sidecar manifests
    and the ``exclude``d absolute paths (the warehouse's own files) are skipped.

    A symbolic link to a folder is followed; a folder reached a second time (a link
    loop, or a second link to a folder already read) is not walked again but yielded
    itself, so that reading it quarantines it with its reason: nothing is skipped
    silently. Folders are told apart by (st_dev, st_ino)."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from _walk(p, exclude, set())
        else:
            yield p


def _walk(folder: Path, exclude: frozenset[str], visited: set[tuple[int, int]]) -> Iterator[Path]:
    try:
        st = os.stat(folder)
    except OSError:
        yield folder  # vanished or unreadable: _read names the reason
        return
    key = (st.st_dev, st.st_ino)
    if key in visited:
        yield folder
        return
    visited.add(key)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        yield folder
        return
    for entry in entries:
        if entry.name.startswith(".") or os.path.abspath(entry.path) in exclude:
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=True)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(Path(entry.path), exclude, visited)
        elif entry.name not in _NOT_REPORTS:
            yield Path(entry.path)


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _not_regular(mode: int, via_link: bool) -> str:
    kind = _kind(mode)
    if kind == "a folder":
        return ("folder reached a second time through a symbolic link (a loop, or already read by another "
                "path): not followed again")
    return (f"symbolic link to {kind}, not a regular file: not read" if via_link
            else f"{kind}, not a regular file: not read")


def _stat(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
        return st.st_size, st.st_mtime_ns
    except OSError:
        return -1, -1


def _read_page(path: Path, max_bytes: int, pages: PageImages) -> tuple[bytes | None, str | None, list[Path]]:
    """A web page's bytes packed with the table images beside it (page_bundle.py)."""
    data, problem = _read(path, max_bytes)
    if data is None:
        return None, problem, []
    data, taken = pages.with_images(path, data)
    return data, None, taken


def _with_images_stat(size: int, mtime: int, images: list[Path]) -> tuple[int, int]:
    """The stat a page is remembered by: a changed image makes the page changed."""
    for image in images:
        isize, imtime = _stat(image)
        size, mtime = size + isize, max(mtime, imtime)
    return size, mtime


def _too_large(size: int, max_bytes: int) -> str:
    return f"file too large ({size} bytes > limit {max_bytes}); raise --max-bytes to read it"


def _read(path: Path, max_bytes: int) -> tuple[bytes | None, str | None]:
    """The bytes of a regular file of at most ``max_bytes``, or why not.

    The kind of file is checked before opening (a FIFO would block, a device never
    ends), opened non-blocking and checked again on the open descriptor (the path may
    have been swapped meanwhile), and read to at most ``max_bytes + 1`` bytes."""
    try:
        via_link = stat.S_ISLNK(os.lstat(path).st_mode)
        try:
            st = os.stat(path)
        except OSError as exc:
            if not via_link:
                raise
            return None, ("looping symbolic link" if exc.errno == errno.ELOOP
                          else f"broken symbolic link (target {os.readlink(path)!r}: {exc.strerror})")
        if not stat.S_ISREG(st.st_mode):
            return None, _not_regular(st.st_mode, via_link)
        if st.st_size > max_bytes:
            return None, _too_large(st.st_size, max_bytes)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                return None, _not_regular(st.st_mode, via_link)
            if st.st_size > max_bytes:
                return None, _too_large(st.st_size, max_bytes)
            parts, left = [], max_bytes + 1
            while left > 0:
                part = os.read(fd, min(left, 1 << 20))
                if not part:
                    break
                parts.append(part)
                left -= len(part)
        finally:
            os.close(fd)
        data = b"".join(parts)
        if len(data) > max_bytes:
            return None, _too_large(len(data), max_bytes) + " (it grew while being read)"
        return data, None
    except OSError as exc:
        return None, f"cannot read file: {exc.strerror or exc}"


def _alarm(_signum, _frame):
    raise TimeLimit


def _parse_job(args: tuple[bytes | None, str, float]) -> ParsedReport:
    """parse_bytes with a per-file time limit: SIGALRM in a process's main thread; in a
    worker thread (a Dask worker runs tasks in threads) the process's deadline watch
    raises the same exception in the parsing thread, which it sees at its next Python
    instruction."""
    data, path, timeout = args
    if data is None:  # --shared-fs: the worker reads the file itself
        data, problem = _read(Path(path), 1 << 62)  # the driver checked the size already
        if data is None:
            report = ParsedReport("", path, file_format(path))
            report.error = problem
            return report
    main = threading.current_thread() is threading.main_thread()
    armed = bool(timeout)
    if armed and main:
        if signal.getsignal(signal.SIGALRM) is not _alarm:
            signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    elif armed:
        _DEADLINES.arm(timeout)
    try:
        return parse_bytes(data, path)
    except TimeLimit:
        report = ParsedReport(sha256(data), path, file_format(path))
        report.error = f"parsing took longer than {timeout:g} s (per-file limit, --timeout): skipped"
        return report
    finally:
        if armed and main:
            signal.setitimer(signal.ITIMER_REAL, 0)
        elif armed:
            _DEADLINES.disarm()


class _Deadlines:
    """Per-file time limits of parsing threads, where SIGALRM cannot reach: one watch
    thread per process looks every quarter second, instead of a timer thread started
    and cancelled for every file (on 10,000 text files with the Dask engine that cost
    about a quarter of the run's wall time)."""

    TICK = 0.25

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._due: dict[int, float] = {}  # thread id -> monotonic deadline
        self._watch: threading.Thread | None = None

    def arm(self, seconds: float) -> None:
        with self._lock:
            self._due[threading.get_ident()] = time.monotonic() + seconds
            if self._watch is None:
                self._watch = threading.Thread(target=self._run, name="ogi-deadlines", daemon=True)
                self._watch.start()

    def disarm(self) -> None:
        thread = threading.get_ident()
        with self._lock:
            if self._due.pop(thread, None) is None:
                # The watch fired for this thread: if the exception is still pending (the
                # thread was in C code), clear it rather than raise it after the file is done.
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), None)

    def _run(self) -> None:
        while True:
            time.sleep(self.TICK)
            now = time.monotonic()
            with self._lock:
                for thread, due in list(self._due.items()):
                    if due <= now:
                        del self._due[thread]
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread),
                                                                  ctypes.py_object(TimeLimit))


_DEADLINES = _Deadlines()


def _parse_chunk(items: list[tuple[bytes, str, float]]) -> tuple[list[ParsedReport], dict[str, pa.Table]]:
    """Parse a chunk of files and build its Arrow tables where it was parsed."""
    reports = [_parse_job(item) for item in items]
    return reports, report_tables([r for r in reports if r.ok])


_REPEATED_COLUMNS = frozenset({"report_id", "table_code", "row_code", "col_code"})


def _parse_chunk_in_worker(items: list[tuple[bytes, str, float]]) -> tuple[list[ParsedReport], dict[str, bytes]]:
    """_parse_chunk for a worker process: the tables travel back as Arrow IPC bytes and
    the reports without their facts, so the single writer does no per-row work."""
    return _as_ipc(*_parse_chunk(items))


def _as_ipc(reports: list[ParsedReport], tables: dict[str, pa.Table]) -> tuple[list[ParsedReport], dict[str, bytes]]:
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


def killed_worker_result(item: tuple[bytes | None, str, float]) -> tuple[list[ParsedReport], dict[str, bytes]]:
    """The result for a file whose parsing killed a worker again after a retry."""
    data, path, _timeout = item
    report = ParsedReport(sha256(data) if data is not None else "", path, file_format(path))
    report.error = "the parsing worker died on this file (a crash or out of memory), also when retried: skipped"
    return _as_ipc([report], report_tables([]))


ENGINES = ("local", "dask")


def _start_pool(jobs: int, engine: str = "local", scheduler: str | None = None, shared_fs: bool = False):
    """Worker processes for parsing, started by ``spawn``: a worker inherits no
    descriptor of the run (a forked one would share the run lock's open file, and
    its flock with it, and keep the warehouse locked after the run died).
    ``engine='dask'``: a Dask cluster instead (engine_dask.py)."""
    if engine == "dask":
        from .engine_dask import DaskPool

        return DaskPool(jobs, scheduler, shared_fs)
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r}: one of {', '.join(ENGINES)}")
    if jobs <= 1:
        return None
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=init_worker, initargs=(os.getpid(),))


def chunk_size(files: int, workers: int) -> int:
    """Files per task: CHUNK, or fewer when a batch is small, so that each worker gets at
    least four tasks of it (200 slow PDFs in chunks of 50 would be four tasks for two
    workers: one straggler and the other worker idle, and nothing back until a chunk ends)."""
    return max(1, min(CHUNK, -(-files // (4 * max(1, workers)))))


def _parse_chunks(pool: ProcessPoolExecutor | None, chunks: list[list[tuple[bytes, str, float]]]) -> Iterator[tuple]:
    """The one place where parsing is dispatched: chunks of files to (reports, tables)
    in order, in the worker pool or in this process. Another executor slots in here."""
    if pool is None:
        return map(_parse_chunk, chunks)
    return pool.map(_parse_chunk_in_worker, chunks)


def _stop_pool(pool, failed: bool) -> None:
    """Shut the workers down; after a failure (or SIGTERM) kill them at once rather than
    wait for their current chunks."""
    if not isinstance(pool, ProcessPoolExecutor):  # a cluster engine
        pool.shutdown(failed)
        return
    if failed:
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            try:
                proc.kill()
            except (OSError, AttributeError):
                pass
    # After a failure the workers are dead already: waiting on the pool's manager thread could
    # only hang the run that must stop (a signal may have interrupted it mid-hand-off).
    pool.shutdown(wait=not failed, cancel_futures=True)


def check_limits(max_bytes: int, timeout: float) -> None:
    """Refuse limits that make no sense, before any work starts."""
    if not isinstance(max_bytes, int) or max_bytes < 0:
        raise ValueError(f"max_bytes must be a whole number of bytes, 0 or more (got {max_bytes!r})")
    if not timeout >= 0:  # also refuses NaN
        raise ValueError(f"timeout must be 0 (no limit) or more seconds (got {timeout!r})")


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
    engine: str = "local",
    scheduler: str | None = None,
    shared_fs: bool = False,
) -> IngestSummary:
    """Ingest the files under ``paths``. ``engine='dask'`` parses on a Dask cluster
    (``scheduler`` address, else a local one of ``jobs`` workers; ``shared_fs``: the
    workers read the files themselves instead of receiving their bytes)."""
    check_limits(max_bytes, timeout)
    summary = IngestSummary()
    known_files = {r[0]: r for r in con.execute(sql("known_files.sql")).fetchall()}
    known_reports = {r[0]: (r[1], r[2]) for r in con.execute(sql("known_reports.sql")).fetchall()}
    by_path = {path: rid for rid, (path, _) in known_reports.items()}

    pending: list[tuple[bytes, str, FileSeen]] = []
    side: list[FileSeen] = []  # files recorded without parsing (unreadable, touched, duplicate)
    in_flight: deque[tuple[list[tuple[bytes, str, FileSeen]], list[FileSeen], Iterator[tuple]]] = deque()
    seen_ids: set[str] = set()
    pages = PageImages(_read, max_bytes)
    pool = _start_pool(jobs, engine, scheduler, shared_fs)
    thresholds = gc.get_threshold()
    fewer_collections()

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
            size = chunk_size(len(work), 1 if pool is None else getattr(pool, "workers", jobs))
            chunks = [work[i:i + size] for i in range(0, len(work), size)]
            results = _parse_chunks(pool, chunks)
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
            size, mtime = _stat(path)
            page = pages.page_of(path)
            if page is not None:
                side.append(FileSeen(spath, size, mtime, "", "page_image", f"a table image of {page}: read with it"))
                summary.files_page_images += 1
                continue
            read = None
            if pages.may_have_images(path):  # the page and its images are one report: one stat for all
                read = _read_page(path, max_bytes, pages)
                size, mtime = _with_images_stat(size, mtime, read[2])
            prev = known_files.get(spath)
            if (not reparse and prev and prev[1] == size and prev[2] == mtime and prev[5] == pipeline.PARSER_VERSION
                    and prev[4] != "quarantined"):
                summary.files_unchanged += 1
                seen_ids.add(prev[3])
                continue
            data, problem = read[:2] if read is not None else _read(path, max_bytes)
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
        failed = False
    except BaseException:
        failed = True
        raise
    finally:
        if pool:
            _stop_pool(pool, failed)
        gc.set_threshold(*thresholds)
        gc.unfreeze()
    return summary


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
