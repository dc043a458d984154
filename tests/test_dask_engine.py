"""`--engine dask`: the same warehouse as `--jobs 1`, on a real Dask cluster —
a LocalCluster of processes, and a scheduler and a worker started as commands."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline.ingest import ingest
from pipeline.warehouse import connect

from .conftest import SEEDS
from .test_hostile_inputs import _catalogue

try:
    import distributed  # noqa: F401
except ImportError:
    if os.environ.get("CI"):
        pytest.fail("dask[distributed] is missing in CI", pytrace=False)
    pytest.skip("the dask extra is not installed: pip install 'ogi[dask]'", allow_module_level=True)


def _corpus(folder: Path, tmp_path: Path, synthetic: int = 0) -> Path:
    folder.mkdir()
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    _catalogue(folder, tmp_path)
    if synthetic:
        from benchmarks.synth import generate

        generate(synthetic, folder / "synthetic", "tab=2,pipe=1,newline=1,gb18030=1", seed=11)
    return folder


def _state(db: Path) -> dict[str, object]:
    """What a run leaves that must not depend on how it was parsed."""
    con = connect(db)
    out = {
        "facts": con.execute("SELECT report_id, table_code, row_code, col_code, value, raw_text, locator "
                             "FROM facts ORDER BY ALL").fetchall(),
        "reports": con.execute("SELECT report_id, source_path, layout, year, body, division_code "
                               "FROM reports ORDER BY ALL").fetchall(),
        "warnings": con.execute("SELECT report_id, stage, message FROM parse_warnings ORDER BY ALL").fetchall(),
        "quarantine": con.execute("SELECT source_path, reason FROM quarantine ORDER BY ALL").fetchall(),
    }
    con.close()
    return out


def _run(folder: Path, db: Path, **kw) -> dict[str, object]:
    con = connect(db)
    ingest(con, [folder], **kw)
    con.close()
    return _state(db)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dask")
    folder = _corpus(tmp / "raw", tmp, synthetic=300)
    return folder, _run(folder, tmp / "jobs1.duckdb", jobs=1)


def test_local_cluster_gives_the_same_warehouse_as_one_process(corpus, tmp_path):
    folder, expected = corpus
    got = _run(folder, tmp_path / "dask.duckdb", jobs=2, engine="dask")
    assert got == expected
    assert len(expected["reports"]) > 300 and len(expected["quarantine"]) >= 15  # the run did real work


def test_shared_fs_workers_read_the_files_themselves(corpus, tmp_path):
    folder, expected = corpus
    assert _run(folder, tmp_path / "shared.duckdb", jobs=2, engine="dask", shared_fs=True) == expected


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"dask scheduler exited: {proc.stdout.read()}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("the dask scheduler did not start")


def test_ogi_ingest_against_a_scheduler_and_worker_started_as_commands(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    expected = _run(folder, tmp_path / "one.duckdb", jobs=1)
    port = _free_port()
    bindir = Path(sys.executable).parent
    dask = [str(bindir / "dask")] if (bindir / "dask").exists() else [sys.executable, "-m", "distributed.cli.dask_spec"]
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    scheduler = subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                  "--no-dashboard"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 env=env, start_new_session=True)
    worker = None
    try:
        _wait_for_port(port, scheduler)
        worker = subprocess.Popen([*dask, "worker", f"tcp://127.0.0.1:{port}", "--nworkers", "1", "--nthreads", "1",
                                   "--host", "127.0.0.1", "--no-dashboard"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, env=env, start_new_session=True)
        db = tmp_path / "cluster.duckdb"
        done = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(folder), "--db", str(db),
                               "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}"],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert _state(db) == expected
    finally:
        for proc in (worker, scheduler):
            if proc is not None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)


def test_a_worker_killed_mid_run_costs_nothing(corpus, tmp_path):
    """SIGKILL one worker process while chunks are being parsed: the scheduler reruns
    its chunk on another worker (the nanny restarts the dead one); the warehouse is exact."""
    from pipeline.engine_dask import DaskPool

    folder, expected = corpus
    pools: list[DaskPool] = []
    real_init = DaskPool.__init__

    def remember(self, *a, **k):
        real_init(self, *a, **k)
        pools.append(self)

    killed: list[int] = []

    def kill_one_when_busy():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            if pools:
                busy = pools[0].client.processing()
                if any(busy.values()):
                    pids = pools[0].client.run(os.getpid)
                    address = next(a for a, tasks in busy.items() if tasks)
                    os.kill(pids[address], signal.SIGKILL)
                    killed.append(pids[address])
                    return
            time.sleep(0.05)

    DaskPool.__init__ = remember
    try:
        killer = threading.Thread(target=kill_one_when_busy, daemon=True)
        killer.start()
        got = _run(folder, tmp_path / "killed.duckdb", jobs=2, engine="dask", batch_size=100)
        killer.join(timeout=5)
    finally:
        DaskPool.__init__ = real_init
    assert killed, "no worker was killed: the run finished before any chunk was busy"
    assert got == expected
