"""The Dask engine against the local process pool on this machine, and the
scheduler's own cost per task:

    python -m benchmarks run text2 dask_text pdf2 dask_pdf dask_overhead --repeat 1

``dask_text`` / ``dask_pdf``: ``run_job(engine="dask", jobs=2)`` (a LocalCluster of
two single-threaded worker processes, started and closed inside the run, as
``ogi ingest --engine dask`` does) over the same corpora as ``text2`` / ``pdf2``
(``--jobs 2``). ``dask_overhead``: a 2-worker LocalCluster already up, 2,000 tasks
that do nothing, mapped and gathered; the wall time per task is what the scheduler
and the two hops cost, and the cluster's start-up time is reported beside it.
"""

from __future__ import annotations

import time
from pathlib import Path


def _ingest_dask(folder: Path, db: Path) -> tuple[float, object]:
    from pipeline.job import run_job

    t = time.perf_counter()
    result = run_job(db, [folder], jobs=2, validate=False, engine="dask")
    return time.perf_counter() - t, result


def scenario_ingest(work: Path, fmt: str, n: int, engine: str) -> dict:
    from .__main__ import TEXT_MIX, _corpus, _ingest

    folder = _corpus(work, fmt, n, TEXT_MIX if fmt == "text" else f"{fmt}=1")
    db = work / f"{fmt}-{n}-{engine}.duckdb"
    for f in work.glob(db.name + "*"):
        f.unlink()
    wall, result = _ingest_dask(folder, db) if engine == "dask" else _ingest(folder, db, 2)
    label = "--engine dask (LocalCluster, 2 workers)" if engine == "dask" else "--jobs 2"
    return {"scenario": f"{fmt} ingest, {label}", "n": n, "wall_s": wall, "reports_per_s": n / wall,
            "ms_per_report": 1000 * wall / n, "quarantined": result.summary.files_quarantined,
            "loaded": len(result.summary.loaded)}


def _nothing(x: int) -> int:
    return x


def scenario_overhead(tasks: int = 2000) -> dict:
    from distributed import Client, LocalCluster

    t = time.perf_counter()
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None, silence_logs=50)
    client = Client(cluster, set_as_default=False)
    client.wait_for_workers(2)
    startup = time.perf_counter() - t
    try:
        client.gather(client.map(_nothing, range(50), pure=False))  # warm: functions pickled, connections up
        t = time.perf_counter()
        client.gather(client.map(_nothing, range(tasks), pure=False))
        mapped = time.perf_counter() - t
        per_task = mapped / tasks
        t = time.perf_counter()
        for i in range(50):
            client.submit(_nothing, i, pure=False).result()
        round_trip = (time.perf_counter() - t) / 50
    finally:
        client.close()
        cluster.close()
    return {"scenario": "dask scheduler overhead", "n": tasks, "wall_s": mapped, "startup_s": startup,
            "per_task_ms": 1000 * per_task, "round_trip_ms": 1000 * round_trip}
