# PYTHON_ARGCOMPLETE_OK  (argcomplete: `eval "$(ogi completion bash)"`)
"""The `ogi` command line: a thin layer over the library.

Exit statuses: 0 ok; 1 some files quarantined (or, for validate, an error-severity
check failed); 2 usage or fatal error; 3 the warehouse is locked by another run;
143 stopped by SIGTERM (nothing published).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from . import DEFAULT_DB, __version__
from .terminal import printable, say, stdout_closed

DEFAULT_RAW = "data/raw"
DEFAULT_OUT = "data/curated/exports"


def _count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 0, got {text!r}")
    return n


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return n


def _non_negative(kind: type, what: str):
    def parse(text: str):
        try:
            n = kind(text)
        except ValueError:
            n = -1
        if not n >= 0:  # NaN too
            raise argparse.ArgumentTypeError(f"expected {what} of at least 0, got {text!r}")
        return n
    return parse


class UserError(Exception):
    """A problem the user can fix; printed as one line, exit status 2."""


log = logging.getLogger("ogi")


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


# --- commands ------------------------------------------------------------------

def _open(db: str, read_only: bool = False):
    from .warehouse import connect

    if not Path(db).exists():
        raise UserError(f"no warehouse at {db}: run `ogi run` or `ogi ingest` first")
    try:
        return connect(db, read_only=read_only)
    except Exception as exc:  # duckdb raises IOException for locks and bad files
        raise UserError(f"cannot open warehouse {db}: {str(exc).splitlines()[0]}") from None


def _job(paths: list[str], args, validate: bool) -> int:
    from .engine_dask import EngineError
    from .ingest import discover
    from .job import run_job
    from .lock import Locked
    from .logs import progress_bar

    for p in paths:
        if not Path(p).exists():
            raise UserError(f"no such file or folder: {p}")
    if args.ocr is not None:  # read by the OCR reader, in this process and in the workers it starts
        os.environ["OGI_OCR"] = "on" if args.ocr else "off"
    bar = progress_bar(paths, enabled=not args.quiet and sys.stderr.isatty(),
                       count=lambda ps: sum(1 for _ in discover(ps)))
    try:
        result = run_job(Path(args.db), paths, jobs=args.jobs, reparse=args.reparse, prune=args.prune,
                         max_bytes=args.max_bytes, timeout=args.timeout, batch_size=args.batch_size, validate=validate,
                         quality_dir=Path(args.db).parent / "quality", on_file=lambda _p: bar.update(),
                         engine=args.engine, scheduler=args.scheduler, shared_fs=args.shared_fs,
                         review_file=getattr(args, "review_file", None), lang=getattr(args, "lang", "zh"))
    except Locked as exc:
        log.error(str(exc))
        return 3
    except EngineError as exc:
        raise UserError(str(exc)) from None
    finally:
        bar.close()
    s = result.summary
    for path, reason in s.quarantined:
        log.warning("quarantined: %s: %s", path, reason, extra={"fields": {"event": "quarantined", "path": path, "reason": reason}})
    images = f", {s.files_page_images} table images of pages" if s.files_page_images else ""
    log.info(
        "%d files: %d new, %d changed, %d unchanged, %d duplicate, %d quarantined%s -> %s",
        s.files_seen, s.files_new, s.files_changed, s.files_unchanged, s.files_duplicate, s.files_quarantined,
        images, args.db,
        extra={"fields": {"event": "run", "run_id": result.run_id, "status": result.status,
                          "files_seen": s.files_seen, "files_new": s.files_new, "files_changed": s.files_changed,
                          "files_unchanged": s.files_unchanged, "files_quarantined": s.files_quarantined,
                          "checks_failed": result.checks_failed}},
    )
    if result.validation is not None and not args.quiet:
        say(printable(result.validation.summary()))  # check messages quote report text
    return result.exit_code


def cmd_ingest(args) -> int:
    return _job(args.paths or [DEFAULT_RAW], args, validate=False)


def cmd_run(args) -> int:
    if not Path(args.raw).is_dir():
        raise UserError(f"raw folder not found: {args.raw}")
    status = _job([args.raw], args, validate=not args.no_validate)
    if status != 3:
        _export(args.db, args.out, quiet=args.quiet)
    return status


def cmd_validate(args) -> int:
    from .checks import validate_warehouse
    from .job import published_connection

    with published_connection(Path(args.db)) as con:
        result = validate_warehouse(con, quality_dir=Path(args.db).parent / "quality", review_file=args.review_file,
                                    lang=args.lang, defer_site=True)
    result.publish_site()  # only once the warehouse it describes is published
    print(printable(result.summary()))
    return 1 if result.errors else 0


def _export(db: str, out: str, quiet: bool = False, xlsx: bool = True, sqlite: bool = False) -> None:
    from .export import export_all

    con = _open(db, read_only=True)
    try:
        result = export_all(con, Path(out), xlsx=xlsx, sqlite=sqlite)
    finally:
        con.close()
    log.info("exported %d files -> %s (%s)", len(result.files), out, "manifest.json lists them")


def cmd_export(args) -> int:
    _export(args.db, args.out, xlsx=not args.no_xlsx, sqlite=args.sqlite)
    return 0


def cmd_show(args) -> int:
    from .lookup import resolve_report
    from .show import show_report

    con = _open(args.db, read_only=True)
    try:
        text = show_report(con, resolve_report(con, args.report, args.year))
    except LookupError as exc:
        raise UserError(str(exc)) from None
    finally:
        con.close()
    print(printable(text))  # report text is untrusted: no terminal escapes pass through
    return 0


def _sql_text(arg: str | None) -> str:
    if arg == "-" or (arg is None and not sys.stdin.isatty()):
        return sys.stdin.read()
    if arg is None:
        raise UserError("give one SQL statement, or - to read it from stdin")
    return arg


def cmd_query(args) -> int:
    from .query import open_sandboxed, run_query

    text = _sql_text(args.sql)
    _open(args.db, read_only=True).close()  # the usual one-line errors for a missing or locked file
    try:
        con = open_sandboxed(args.db)
    except Exception as exc:
        raise UserError(f"cannot open warehouse {args.db}: {str(exc).splitlines()[0]}") from None
    try:
        run_query(con, text, sys.stdout, fmt=args.format, limit=args.limit)
    except ValueError as exc:
        raise UserError(printable(exc)) from None
    finally:
        con.close()
    return 0


def cmd_status(args) -> int:
    from .show import show_status

    con = _open(args.db, read_only=True)
    try:
        print(printable(show_status(con)))
    finally:
        con.close()
    return 0


def cmd_restore(args) -> int:
    from .job import restore_previous
    from .lock import Locked

    try:
        restore_previous(Path(args.db))
    except Locked as exc:
        log.error(str(exc))
        return 3
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from None
    except Exception as exc:  # duckdb cannot open the kept file
        raise UserError(f"not restored, the previous warehouse is unreadable: {str(exc).splitlines()[0]}") from None
    _err(f"restored the previous warehouse to {args.db}; the replaced one is kept as {args.db}.prev")
    return 0


def cmd_dictionary(args) -> int:
    from .dictionary import write_dictionary

    path = write_dictionary(Path(args.out))
    _err(f"wrote {path}")
    return 0


def cmd_completion(args) -> int:
    import argcomplete

    print(argcomplete.shellcode(["ogi"], shell=args.shell), end="")
    return 0


# --- parser --------------------------------------------------------------------

COMMANDS = {
    "run": (cmd_run, "ingest the raw folder, validate, export (the whole job)",
            "ogi run --raw data/raw --db data/curated/warehouse.duckdb"),
    "ingest": (cmd_ingest, "parse report files into the warehouse",
               "ogi ingest data/raw/ more/reports/2023/ --jobs 2"),
    "validate": (cmd_validate, "run the expectation suites and write the quality report",
                 "ogi validate --db data/curated/warehouse.duckdb"),
    "export": (cmd_export, "write cleaned CSVs (UTF-8 with BOM), Parquet, summary.xlsx; --sqlite for Datasette",
               "ogi export --out data/curated/exports --sqlite"),
    "show": (cmd_show, "print one report's three tables as printed, with codes",
             "ogi show 秦都区 2024   (a body name and year, an id prefix, or a file name)"),
    "query": (cmd_query, "run one read statement against the warehouse (it cannot write, read other files, "
                         "load extensions or change settings)",
              'ogi query "SELECT body, value FROM v_facts WHERE row_code = \'new_received\' AND col_code = \'total\'"\n'
              '  echo "SELECT count(*) FROM reports" | ogi query - --format csv'),
    "status": (cmd_status, "the last runs and what is in quarantine", "ogi status"),
    "restore": (cmd_restore, "put back the warehouse as it was before the last published run (warehouse.duckdb.prev)",
                "ogi restore --db data/curated/warehouse.duckdb"),
    "dictionary": (cmd_dictionary, "regenerate docs/data-dictionary.md", "ogi dictionary --out docs/data-dictionary.md"),
    "completion": (cmd_completion, "print a shell completion script",
                   'eval "$(ogi completion bash)"   (in ~/.bashrc; also zsh, fish)'),
}
NO_DB = ("dictionary", "completion")
DB_HELP = f"warehouse file (default: $OGI_DB, else {DEFAULT_DB})"


def _ingest_defaults() -> tuple:
    if "_ARGCOMPLETE" in os.environ:  # completing on Tab: the defaults are not shown, skip importing pandas
        return 0, 0, 0.0, lambda: 1
    from .ingest import BATCH, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, default_jobs

    return BATCH, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, default_jobs


def _add_query_options(p: argparse.ArgumentParser) -> None:
    from .output import DEFAULT_HUMAN_LIMIT, FORMATS

    p.add_argument("sql", nargs="?", help="one read-only SQL statement; - (or nothing, with a pipe) reads stdin")
    p.add_argument("-f", "--format", choices=FORMATS, default="table", metavar="FORMAT",
                   help=f"{' | '.join(FORMATS)}: table (default) and markdown for people, csv, json, jsonl for programs")
    p.add_argument("--limit", type=_count, default=None, metavar="N",
                   help=f"at most N rows (table and markdown default {DEFAULT_HUMAN_LIMIT}, then say how many "
                        "there were; csv/json: all)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ogi",
        description="Government information disclosure annual reports -> a checked DuckDB warehouse.",
        epilog="example:\n  ogi run            # ingest data/raw, validate, export\n  ogi show 秦都区 2024\n"
               "  ogi --db w.duckdb query \"SELECT count(*) FROM reports\"   (or: export OGI_DB=w.duckdb)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ogi {__version__}")
    parser.add_argument("--db", default=None, metavar="FILE", help=DB_HELP)  # also accepted after the command
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (func, help_text, example) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text, epilog=f"example:\n  {example}",
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        p.set_defaults(func=func)
        if name not in NO_DB:  # SUPPRESS: when absent here, a --db before the command stands
            p.add_argument("--db", default=argparse.SUPPRESS, metavar="FILE", help=DB_HELP)
        if name in ("run", "ingest"):
            BATCH, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, default_jobs = _ingest_defaults()

            p.add_argument("--jobs", type=_positive, default=default_jobs(), help="parser processes (default: cores)")
            p.add_argument("--engine", choices=("local", "dask"), default="local",
                           help="where files are parsed: local processes (--jobs) or a Dask cluster (ogi[dask])")
            p.add_argument("--scheduler", metavar="ADDRESS",
                           help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a LocalCluster of --jobs workers)")
            p.add_argument("--ocr", action=argparse.BooleanOptionalAction, default=None,
                           help="OCR scanned pages and images (default: on when the ogi[ocr] extra is installed)")
            p.add_argument("--shared-fs", action="store_true",
                           help="Dask workers read the files themselves (they see the raw folder at the same path)")
            p.add_argument("--reparse", action="store_true", help="parse every file again, even unchanged ones")
            p.add_argument("--prune", action="store_true", help="delete reports whose file has disappeared")
            p.add_argument("--max-bytes", type=_non_negative(int, "a whole number of bytes"), default=DEFAULT_MAX_BYTES,
                           help=f"quarantine larger files (default {DEFAULT_MAX_BYTES})")
            p.add_argument("--timeout", type=_non_negative(float, "seconds (0: no limit)"), default=DEFAULT_TIMEOUT,
                           help=f"seconds one file may take to parse (default {DEFAULT_TIMEOUT:g})")
            p.add_argument("--batch-size", type=_positive, default=BATCH,
                           help=f"files per transaction; fewer use less memory (default {BATCH})")
            p.add_argument("--quiet", "-q", action="store_true", help="no progress bar or summary")
            p.add_argument("--log-file", help="also write the log as JSON lines to this file")
        if name == "ingest":
            p.add_argument("paths", nargs="*", help=f"files or folders (default {DEFAULT_RAW})")
        if name == "run":
            p.add_argument("--raw", default=DEFAULT_RAW, help=f"folder of report files (default {DEFAULT_RAW})")
            p.add_argument("--out", default=DEFAULT_OUT, help=f"export folder (default {DEFAULT_OUT})")
            p.add_argument("--no-validate", action="store_true", help="skip the expectation suites")
        if name == "export":
            p.add_argument("--out", default=DEFAULT_OUT, help=f"export folder (default {DEFAULT_OUT})")
            p.add_argument("--sqlite", action="store_true", help="also write ogi.sqlite and a Datasette metadata.json")
            p.add_argument("--no-xlsx", action="store_true", help="skip summary.xlsx")
        if name == "show":
            p.add_argument("report", help="report id prefix, source path (or part), or part of the body's name")
            p.add_argument("year", nargs="?", type=int, help="the report's year, when a body has several")
        if name == "query":
            _add_query_options(p)
        if name == "completion":
            p.add_argument("shell", nargs="?", default="bash", choices=("bash", "zsh", "fish", "tcsh"))
        if name == "dictionary":
            p.add_argument("--out", default="docs/data-dictionary.md")
        if name in ("run", "validate"):
            from .review_cli import add_review_options

            add_review_options(p)
    from .review_cli import add_review_parser

    add_review_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    if "_ARGCOMPLETE" in os.environ:  # the shell is asking for completions (`ogi completion`)
        import argcomplete

        argcomplete.autocomplete(parser)
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    args.db = args.db or os.environ.get("OGI_DB") or DEFAULT_DB  # --db > $OGI_DB > default
    from .logs import setup

    setup(quiet=getattr(args, "quiet", False), log_file=getattr(args, "log_file", None))
    try:
        status = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at interpreter exit
        return status
    except UserError as exc:
        _err(f"ogi {args.command}: error: {exc}")
        return 2
    except BrokenPipeError:  # `ogi status | head`: the reader has what it wanted
        stdout_closed()
        return 0
    except KeyboardInterrupt as exc:
        from .job import Terminated

        if isinstance(exc, Terminated):
            _err(f"ogi {args.command}: {exc}")
            return 143
        _err("interrupted")
        return 2
    except Exception as exc:
        if os.environ.get("OGI_DEBUG"):
            raise
        _err(f"ogi {args.command}: fatal: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
             " (set OGI_DEBUG=1 for a traceback)")
        return 2


if __name__ == "__main__":
    sys.exit(main())
