"""Benchmarks of checks and the quality site on large warehouses.

    python -m benchmarks run validate --n-validate 100000   # peak RSS of `ogi validate`, 20 M facts
    python -m benchmarks run site --n-site 5000             # largest page, overview load in Chromium

Warehouses are grown cheaply with sql/bench_replicate.sql (parsed synthetic reports
copied under new ids, bodies and years); `ogi validate` runs in its own process and
its peak RSS is read from os.wait4, so building the warehouse does not count.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def replicated(work: Path, name: str, n: int) -> Path:
    """A warehouse of n reports (~200 facts each), built once and kept."""
    from pipeline.warehouse import connect, sql

    from .__main__ import TEXT_MIX, _corpus, _ingest

    seed_db = work / "views-seed.duckdb"
    if not seed_db.exists():
        _ingest(_corpus(work, "text", 200, TEXT_MIX), seed_db, 2)
    folder = work / f"{name}-{n}"  # its own folder: validate writes quality/ beside the warehouse
    db = folder / "warehouse.duckdb"
    done = folder / ".complete"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        for f in folder.glob(db.name + "*"):
            f.unlink()
        con = connect(db)
        seed = str(seed_db).replace("'", "''")
        con.execute(sql("bench_replicate.sql").replace("$n", str(int(n))).replace("$seed", seed))
        con.close()
        done.write_text(str(n))
    return db


def timed_validate(db: Path, *extra: str) -> tuple[float, float, int]:
    """Run `ogi validate` in a child process: wall seconds, its own peak RSS (MB), exit status."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "validate", "--db", str(db), *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise RuntimeError(f"ogi validate failed ({code}): {err[-1500:]}")
    return wall, usage.ru_maxrss / 1024, code


def scenario_validate(work: Path, n: int) -> dict:
    import duckdb

    db = replicated(work, "validate", n)
    wall, rss, _code = timed_validate(db)
    con = duckdb.connect(str(db), read_only=True)
    facts = con.execute("SELECT count(*) FROM facts").fetchall()[0][0]
    checks = con.execute("SELECT count(*) FROM check_results").fetchall()[0][0]
    con.close()
    return {"scenario": "ogi validate", "n": n, "facts": facts, "checks": checks, "wall_s": wall,
            "validate_rss_mb": rss}


def _serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def page_load_ms(url: str, repeat: int = 3) -> float:
    """Median of navigation start -> load event end (Performance API) in headless Chromium."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for _ in range(repeat):
            page = browser.new_page()
            page.goto(url, wait_until="load")
            times.append(page.evaluate(
                "() => { const e = performance.getEntriesByType('navigation')[0]; return e.loadEventEnd - e.startTime; }"))
            page.close()
        browser.close()
    return sorted(times)[len(times) // 2]


def scenario_site(work: Path, n: int) -> dict:
    db = replicated(work, "site", n)
    wall, rss, _code = timed_validate(db)
    site = db.parent / "quality"
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["files"]
    largest = max(files, key=lambda f: files[f]["bytes"])
    server, base = _serve(site)
    try:
        overview = page_load_ms(base + "index.html")
        biggest = page_load_ms(base + largest)
    finally:
        server.shutdown()
    return {"scenario": "quality site", "n": n, "wall_s": wall, "validate_rss_mb": rss, "pages": len(files),
            "site_mb": sum(f["bytes"] for f in files.values()) / 2**20,
            "largest_page": largest, "largest_page_kb": files[largest]["bytes"] / 1024,
            "overview_kb": files["index.html"]["bytes"] / 1024,
            "overview_load_ms": overview, "largest_page_load_ms": biggest}
