"""Benchmarks for ogi: a synthetic national corpus on one machine.

    python -m benchmarks generate --n 10000 --out benchmarks/out/text --mix tab=3,pipe=2,newline=2,gb18030=1
    python -m benchmarks run                      # every scenario at the sizes of the targets
    python -m benchmarks run --quick              # small sizes, a minute or so
    python -m benchmarks run --write              # also rewrite benchmarks/RESULTS.md
    python -m benchmarks run text1 text2 --repeat 5   # some scenarios, the median of 5 runs
    python -m benchmarks run export --n-views 100000  # peak RSS of `ogi export` over 20 M facts
    python -m benchmarks run notebook --n-notebook 5000  # the analyst notebook on 5,000 reports
    python -m benchmarks run validate site --repeat 1 # ogi validate at 100,000 reports; the quality site at 5,000
    python -m benchmarks run noop_run --repeat 1      # a whole `ogi run` with nothing new, 100,000 files (--n-run N)
    python -m benchmarks run text2 dask_text pdf2 dask_pdf dask_overhead  # Dask engine vs --jobs 2

Each scenario runs in its own process so its peak RSS is its own. Corpora are
generated (deterministically) under --work and reused when already there.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEXT_MIX = "tab=3,pipe=2,newline=2,gb18030=1"


def _rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def _corpus(work: Path, name: str, n: int, mix: str) -> Path:
    from .synth import generate

    folder = work / f"{name}-{n}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        generate(n, folder, mix, seed=2026)
        done.write_text(str(n))
    return folder


def _ingest(folder: Path, db: Path, jobs: int) -> tuple[float, object]:
    from pipeline.job import run_job

    t = time.perf_counter()
    result = run_job(db, [folder], jobs=jobs, validate=False)
    return time.perf_counter() - t, result


def scenario_text(work: Path, n: int, jobs: int) -> dict:
    folder = _corpus(work, "text", n, TEXT_MIX)
    db = work / f"text-{n}-jobs{jobs}.duckdb"
    for f in work.glob(db.name + "*"):
        f.unlink()
    wall, result = _ingest(folder, db, jobs)
    facts = 200 * len(result.summary.loaded)  # every synthetic report has all 200 cells
    return {"scenario": f"text ingest, --jobs {jobs}", "n": n, "wall_s": wall, "reports_per_s": n / wall,
            "facts_per_s": facts / wall, "quarantined": result.summary.files_quarantined}


def scenario_noop(work: Path, n: int) -> dict:
    folder = _corpus(work, "text", n, TEXT_MIX)
    db = work / f"text-{n}-jobs2.duckdb"
    if not db.exists():
        _ingest(folder, db, 2)
    wall, result = _ingest(folder, db, 2)
    return {"scenario": "no-op re-run", "n": n, "wall_s": wall, "reports_per_s": n / wall,
            "unchanged": result.summary.files_unchanged}


def scenario_noop_run(work: Path, n: int) -> dict:
    """A whole `ogi run` (ingest, body-year resolution, every suite, the quality site,
    the export with summary.xlsx) over n text files already in the warehouse: what a
    nightly run with nothing new costs. The run is its own process and its peak RSS is
    read from wait4, so building the warehouse beforehand does not count."""
    folder = _corpus(work, "text", n, TEXT_MIX)
    base = work / f"run-{n}"  # its own folder: ogi run writes quality/ beside the warehouse
    db = base / "warehouse.duckdb"
    if not (base / ".complete").exists():
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        _ingest(folder, db, 2)
        (base / ".complete").write_text(str(n))
    cmd = [sys.executable, "-m", "pipeline", "run", "--raw", str(folder), "--db", str(db),
           "--out", str(base / "export"), "--jobs", "2", "-q"]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=HERE.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: warnings (failed checks), still a complete run
        raise RuntimeError(f"{' '.join(cmd)} exited with status {code}: {err[-1500:]}")
    return {"scenario": "no-op ogi run", "n": n, "wall_s": wall, "run_rss_mb": usage.ru_maxrss / 1024}


def _bare_pdfplumber(paths: list[Path], clock=time.perf_counter) -> float:
    """pdfplumber's bare extract_tables + extract_text over the files, timed by ``clock``."""
    import pdfplumber

    t = clock()
    for p in paths:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.extract_text()
    return clock() - t


def _bare_docx(paths: list[Path]) -> float:
    import docx

    t = time.perf_counter()
    for p in paths:
        docx.Document(str(p))
    return time.perf_counter() - t


def scenario_format(work: Path, fmt: str, n: int) -> dict:
    folder = _corpus(work, fmt, n, f"{fmt}=1")
    paths = sorted(folder.rglob(f"*.{fmt}"))
    bare = _bare_pdfplumber(paths) if fmt == "pdf" else _bare_docx(paths)
    db = work / f"{fmt}-{n}.duckdb"
    for f in work.glob(db.name + "*"):
        f.unlink()
    wall, result = _ingest(folder, db, 1)
    baseline = "pdfplumber extract_tables + extract_text" if fmt == "pdf" else "python-docx Document() load"
    return {"scenario": f"{fmt.upper()} ingest, --jobs 1", "n": n, "wall_s": wall, "reports_per_s": n / wall,
            "facts_per_s": n * 200 / wall, "ms_per_report": 1000 * wall / n,
            "baseline": baseline, "baseline_ms_per_report": 1000 * bare / n, "ratio": wall / bare,
            "quarantined": result.summary.files_quarantined}


def _replicated(work: Path, n: int) -> Path:
    """A warehouse of n reports (~200 facts each) built by replicating parsed synthetic
    reports under new ids, places and years (cheap: no parsing beyond 200 files)."""
    from pipeline.warehouse import connect, sql

    seed_folder = _corpus(work, "text", 200, TEXT_MIX)
    seed_db = work / "views-seed.duckdb"
    if not seed_db.exists():
        _ingest(seed_folder, seed_db, 2)
    db = work / f"views-{n}.duckdb"
    if not db.exists():
        part = db.with_name(db.name + ".part")
        part.unlink(missing_ok=True)
        con = connect(part)
        seed = str(seed_db).replace("'", "''")
        con.execute(sql("bench_replicate.sql").replace("$n", str(int(n))).replace("$seed", seed))
        con.close()
        part.rename(db)
    return db


def scenario_export(work: Path, n: int, extra: list[str]) -> dict:
    """`ogi export` over the replicated warehouse, in its own process: its peak RSS
    (from wait4, so building the warehouse does not count) and wall time."""
    db = _replicated(work, n)
    out = work / f"export-{n}"
    cmd = [sys.executable, "-m", "pipeline", "export", "--db", str(db), "--out", str(out), *extra]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=HERE.parent)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if status:
        raise RuntimeError(f"{' '.join(cmd)} exited with status {status}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    facts = sum(manifest["csv"]["facts"]["files"].values())
    return {"scenario": f"ogi export {' '.join(extra)}".strip(), "n": n, "wall_s": wall, "facts": facts,
            "export_peak_rss_mb": usage.ru_maxrss / 1024, "facts_csv_files": len(manifest["csv"]["facts"]["files"]),
            "files": len(manifest["files"])}


def scenario_notebook(work: Path, n: int) -> dict:
    """notebooks/cross_jurisdiction.ipynb executed top to bottom against a replicated
    warehouse of n reports (kernel start included)."""
    import nbclient
    import nbformat

    db = _replicated(work, n)
    nb = nbformat.read(HERE.parent / "notebooks" / "cross_jurisdiction.ipynb", as_version=4)
    os.environ["OGI_DB"] = str(db.resolve())
    t = time.perf_counter()
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(HERE.parent / "notebooks")}}).execute()
    wall = time.perf_counter() - t
    images = sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    return {"scenario": "notebook", "n": n, "wall_s": wall, "images": images}


def scenario_views(work: Path, n: int) -> dict:
    """The analyst views over a replicated warehouse of n reports."""
    import duckdb

    from pipeline.warehouse import sql

    db = _replicated(work, n)
    con = duckdb.connect(str(db), read_only=True)
    n_reports, n_facts, _warnings, _quarantined = con.execute(sql("counts.sql")).fetchone()
    out = {"scenario": "analyst views", "n": n_reports, "facts": n_facts}
    for view in ("v_jurisdiction_year", "v_report_summary"):
        t = time.perf_counter()
        rows = len(con.execute(sql(f"bench_{view}.sql")).fetchall())
        out[f"{view}_s"] = time.perf_counter() - t
        out[f"{view}_rows"] = rows
    con.close()
    return out


def scenario_resolve(work: Path, n: int) -> dict:
    """Body ids and one active report per body-year (pipeline.bodies.resolve_warehouse,
    run after every ingest) over the analyst-views warehouse of n reports: a first pass,
    then a second with nothing changed (what every nightly run pays)."""
    import shutil

    from pipeline.bodies import resolve_warehouse
    from pipeline.warehouse import connect

    scenario_views(work, n)  # builds views-{n}.duckdb if needed
    db = work / f"resolve-{n}.duckdb"
    shutil.copy(work / f"views-{n}.duckdb", db)
    con = connect(db)
    t = time.perf_counter()
    resolve_warehouse(con, [])
    first = time.perf_counter() - t
    t = time.perf_counter()
    resolve_warehouse(con, [])
    again = time.perf_counter() - t
    n_reports, active = con.execute(sql_text("bench_resolve_counts.sql")).fetchone()
    con.close()
    db.unlink()
    return {"scenario": "body-year resolution", "n": n_reports, "wall_s": first, "again_s": again, "active": active}


def sql_text(name: str) -> str:
    from pipeline.warehouse import sql

    return sql(name)


SCENARIOS = {
    "text1": lambda a: scenario_text(a.work, a.n_text, 1),
    "text2": lambda a: scenario_text(a.work, a.n_text, 2),
    "text1_small": lambda a: scenario_text(a.work, a.n_text // 5, 1),
    "noop": lambda a: scenario_noop(a.work, a.n_text),
    "noop_run": lambda a: scenario_noop_run(a.work, a.n_run),
    "pdf": lambda a: scenario_format(a.work, "pdf", a.n_pdf),
    "docx": lambda a: scenario_format(a.work, "docx", a.n_docx),
    "views": lambda a: scenario_views(a.work, a.n_views),
    "notebook": lambda a: scenario_notebook(a.work, a.n_notebook),
    "export": lambda a: scenario_export(a.work, a.n_views, ["--no-xlsx"]),
    "export_full": lambda a: scenario_export(a.work, a.n_views, ["--sqlite"]),
    "resolve": lambda a: scenario_resolve(a.work, a.n_views),
    "pdf2": lambda a: _dask().scenario_ingest(a.work, "pdf", a.n_pdf, "local"),
    "dask_text": lambda a: _dask().scenario_ingest(a.work, "text", a.n_text, "dask"),
    "dask_pdf": lambda a: _dask().scenario_ingest(a.work, "pdf", a.n_pdf, "dask"),
    "dask_overhead": lambda a: _dask().scenario_overhead(),
    "validate": lambda a: _quality().scenario_validate(a.work, a.n_validate),
    "site": lambda a: _quality().scenario_site(a.work, a.n_site),
}


def _dask():
    from . import dask_engine

    return dask_engine


def _quality():
    from . import quality

    return quality


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import duckdb

    return (f"{platform.system()} {platform.machine()}, {len(os.sched_getaffinity(0))} cores ({cpu}), {mem:.0f} GiB, "
            f"Python {platform.python_version()}, duckdb {duckdb.__version__}")


def _fmt(r: dict) -> str:
    parts = [f"{r['scenario']:24} n={r['n']:>7}"]
    for key, label in (("wall_s", "wall {:.1f} s"), ("reports_per_s", "{:.0f} reports/s"), ("facts_per_s", "{:.0f} facts/s"),
                       ("ms_per_report", "{:.1f} ms/report"), ("baseline_ms_per_report", "bare {:.1f} ms/report"),
                       ("ratio", "{:.2f}x bare"), ("v_jurisdiction_year_s", "v_jurisdiction_year {:.3f} s"),
                       ("v_report_summary_s", "v_report_summary {:.3f} s"), ("unchanged", "unchanged {}"),
                       ("export_peak_rss_mb", "ogi export peak RSS {:.0f} MB"), ("facts_csv_files", "facts.csv in {} parts"),
                       ("again_s", "again (nothing changed) {:.1f} s"), ("active", "active {}"),
                       ("facts", "{} facts"), ("checks", "{} check results"),
                       ("validate_rss_mb", "ogi validate peak RSS {:.0f} MB"), ("run_rss_mb", "ogi run peak RSS {:.0f} MB"),
                       ("startup_s", "cluster start {:.1f} s"), ("per_task_ms", "{:.2f} ms/task mapped"),
                       ("round_trip_ms", "{:.1f} ms/task one at a time"), ("pages", "{} files"),
                       ("site_mb", "site {:.1f} MB"), ("largest_page", "largest {}"), ("largest_page_kb", "{:.0f} KB"),
                       ("overview_kb", "overview {:.0f} KB"), ("overview_load_ms", "overview load {:.0f} ms"),
                       ("largest_page_load_ms", "largest page load {:.0f} ms"),
                       ("peak_rss_mb", "peak RSS {:.0f} MB")):
        if key in r:
            parts.append(label.format(r[key]))
    if "runs" in r:
        lo, hi = r["spread"]
        parts.append(f"median of {r['runs']} runs ({lo:.3g}–{hi:.3g} s)")
    return ", ".join(parts)


def _median(runs: list[dict]) -> dict:
    """The run with the median wall time (this VM varies ±15-30% between identical runs),
    noting the spread of all of them."""
    key = "wall_s" if "wall_s" in runs[0] else "v_jurisdiction_year_s"
    ordered = sorted(runs, key=lambda r: r[key])
    result = dict(ordered[(len(ordered) - 1) // 2])
    if len(runs) > 1:
        result["runs"] = len(runs)
        result["spread"] = (ordered[0][key], ordered[-1][key])
        result["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    return result


def _scaling(one: list[dict], two: list[dict]) -> dict | None:
    """--jobs 2 against --jobs 1: the ratio of the medians, and of each round's pair."""
    if not one or not two:
        return None
    pairs = [b["reports_per_s"] / a["reports_per_s"] for a, b in zip(one, two, strict=False)]
    median = _median(two)["reports_per_s"] / _median(one)["reports_per_s"]
    rounds = ", ".join(f"{p:.2f}" for p in pairs)
    return {"scenario": "scaling", "line": f"--jobs 2 / --jobs 1: {median:.2f}x (median runs; each round: {rounds})"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="write a synthetic corpus")
    g.add_argument("--n", type=int, default=1000)
    g.add_argument("--out", type=Path, required=True)
    g.add_argument("--mix", default=TEXT_MIX, help="format=weight,... of tab,pipe,newline,gb18030,docx,pdf,html")
    g.add_argument("--seed", type=int, default=0)
    r = sub.add_parser("run", help="run scenarios and print their figures")
    r.add_argument("scenarios", nargs="*", default=list(SCENARIOS), help=f"of {', '.join(SCENARIOS)}")
    r.add_argument("--work", type=Path, default=HERE / "out")
    r.add_argument("--quick", action="store_true", help="small sizes (2,000 text, 40 PDF, 200 DOCX, 20,000 reports for views)")
    r.add_argument("--write", action="store_true", help="rewrite benchmarks/RESULTS.md's figures section")
    r.add_argument("--repeat", type=int, default=0,
                   help="runs of each scenario, each in a fresh process; the median is shown (default 3, --quick 1)")
    one = sub.add_parser("_one", help=argparse.SUPPRESS)
    one.add_argument("name")
    for p in (r, one):
        p.add_argument("--n-text", type=int, default=10_000)
        p.add_argument("--n-pdf", type=int, default=200)
        p.add_argument("--n-docx", type=int, default=1000)
        p.add_argument("--n-views", type=int, default=100_000)
        p.add_argument("--n-notebook", type=int, default=5000)
        p.add_argument("--n-validate", type=int, default=100_000)
        p.add_argument("--n-site", type=int, default=5_000)
        p.add_argument("--n-run", type=int, default=100_000)
    one.add_argument("--work", type=Path, default=HERE / "out")
    a = ap.parse_args(argv)

    if a.cmd == "generate":
        from .synth import generate

        paths = generate(a.n, a.out, a.mix, a.seed)
        print(f"wrote {len(paths)} reports under {a.out}")
        return 0
    if a.cmd == "_one":
        a.work.mkdir(parents=True, exist_ok=True)
        result = SCENARIOS[a.name](a)
        result["peak_rss_mb"] = _rss_mb()
        print(json.dumps(result))
        return 0
    if a.quick:
        a.n_text, a.n_pdf, a.n_docx, a.n_views, a.n_validate, a.n_site, a.n_run = 2000, 40, 200, 20_000, 20_000, 1000, 2000
    repeat = a.repeat or (1 if a.quick else 3)
    print(machine())
    # Rounds of every scenario rather than each scenario's runs back to back: the VM's
    # slow spells then hit all scenarios alike, and ratios between them stay fair.
    runs: dict[str, list[dict]] = {name: [] for name in a.scenarios}
    for _ in range(repeat):
        for name in a.scenarios:
            cmd = [sys.executable, "-m", "benchmarks", "_one", name, "--work", str(a.work), "--n-text", str(a.n_text),
                   "--n-pdf", str(a.n_pdf), "--n-docx", str(a.n_docx), "--n-views", str(a.n_views),
                   "--n-validate", str(a.n_validate), "--n-site", str(a.n_site), "--n-run", str(a.n_run),
                   "--n-notebook", str(a.n_notebook)]
            out = subprocess.run(cmd, capture_output=True, text=True, cwd=HERE.parent)
            if out.returncode:
                print(f"{name}: failed\n{out.stderr[-2000:]}", file=sys.stderr)
                continue
            runs[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
            if repeat > 1:
                print(f"  {_fmt(runs[name][-1])}", flush=True)
    results = [_median(r) for r in runs.values() if r]
    for result in results:
        print(_fmt(result), flush=True)
    scaling = _scaling(runs.get("text1", []), runs.get("text2", []))
    if scaling:
        results.append(scaling)
        print(scaling["line"])
    if a.write:
        every = [_fmt(r) for name in a.scenarios for r in runs[name]] if repeat > 1 else []
        write_results(results, " ".join(sys.argv[1:]) or "run", every)
    return 0


def write_results(results: list[dict], command: str, every: list[str] | None = None) -> None:
    path = HERE / "RESULTS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    marker = "<!-- figures -->"
    head = text.split(marker)[0].rstrip() + "\n\n" + marker + "\n"
    body = [f"Command: `python -m benchmarks {command}` on {time.strftime('%Y-%m-%d')}", "", f"Machine: {machine()}", "", "```"]
    body += [r["line"] if "line" in r else _fmt(r) for r in results]
    body += ["```", ""]
    if every:
        body += ["Every run:", "", "```", *every, "```", ""]
    path.write_text(head + "\n".join(body), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
