"""Parsing on a Dask cluster: the same pure parse as ``--jobs``, mapped over
chunks of files on the cluster's workers, results streamed back in order to the
one writer (the run's process, which alone touches the warehouse).

What travels: by default each chunk's file bytes go from the driver to a worker
(no shared file system needed) and the parsed chunk comes back as Arrow IPC bytes
and small report records; with ``shared_fs`` only paths go out and the workers
read the files themselves. No scheduler address: a ``LocalCluster`` of processes
on this machine.

A worker that dies (OOM, a crash, a killed container) takes its chunk with it;
the scheduler reruns it elsewhere. A chunk that keeps killing workers is split
and its files are parsed one by one, so only the file that kills a worker is
quarantined, with the reason. Optional: ``pip install 'ogi[dask]'``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .page_bundle import is_bundle

DASK_ADVICE = "the Dask engine needs the optional extra: pip install 'ogi[dask]'"


def _on_a_worker(fn: Callable, chunk: list[tuple]):
    """``fn(chunk)`` on a Dask worker with the cycle collector run rarely, as on the local
    pool's workers (a parse allocates millions of short-lived objects), and put back after:
    the worker process belongs to the cluster, not to ogi."""
    import gc

    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        return fn(chunk)
    finally:
        gc.set_threshold(*thresholds)


class EngineError(Exception):
    """The cluster cannot be used (extra missing, scheduler unreachable): the run stops before any work."""


class DaskPool:
    """A pool-like front to a Dask cluster: ``map`` chunks in order, ``shutdown``."""

    def __init__(self, jobs: int, scheduler: str | None = None, shared_fs: bool = False) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise EngineError(DASK_ADVICE) from None
        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="30s", set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise EngineError(f"cannot reach the Dask scheduler {scheduler}: {str(exc).splitlines()[0]}") from None
        else:
            self.cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
                                        dashboard_address=None, silence_logs=50)
            self.client = Client(self.cluster, set_as_default=False)
        self.shared_fs = shared_fs
        self._futures: list = []

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    def map(self, fn: Callable, chunks: list[list[tuple]]) -> Iterator:
        if self.shared_fs:  # the workers see the raw folder: send paths, not bytes
            # (a page packed with its images is sent whole: the worker would read the page alone)
            chunks = [[(data if is_bundle(data) else None, path, timeout) for data, path, timeout in chunk]
                      for chunk in chunks]
        futures = self.client.map(_on_a_worker, [fn] * len(chunks), chunks, pure=False)
        self._futures.extend(futures)
        return self._in_order(fn, chunks, futures)

    def _in_order(self, fn: Callable, chunks: list[list[tuple]], futures: list) -> Iterator:
        from distributed import KilledWorker

        for chunk, future in zip(chunks, futures, strict=True):
            try:
                yield future.result()
            except KilledWorker:
                yield from self._one_by_one(fn, chunk)
            finally:
                future.release()
                self._futures.remove(future)

    def _one_by_one(self, fn: Callable, chunk: list[tuple]) -> Iterator:
        """A chunk that killed its workers, parsed a file at a time; a file that still
        kills a worker comes back as a quarantined report."""
        from distributed import KilledWorker

        from .ingest import killed_worker_result

        for item, future in zip(chunk, self.client.map(_on_a_worker, [fn] * len(chunk), [[item] for item in chunk],
                                                         pure=False), strict=True):
            try:
                yield future.result()
            except KilledWorker:
                yield killed_worker_result(item)
            finally:
                future.release()

    def shutdown(self, failed: bool = False) -> None:
        if self._futures:
            self.client.cancel(self._futures, force=True)
            self._futures.clear()
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
