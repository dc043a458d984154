"""`ogi review …`: record, list and undo review decisions (pipeline/review.py).

Kept apart from cli.py so the command line gains the group with one call,
``add_review_parser(sub)``, and ``run``/``validate`` their options with
``add_review_options(p)``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from . import DEFAULT_DB

EXAMPLES = {
    "list": "ogi review list --open --province 陕西 --suite plausibility",
    "acknowledge": 'ogi review acknowledge 武江区 narrative.applications_disclosed --note "printed so in the source"',
    "dismiss": 'ogi review dismiss 6b152915 plausibility.cases_vs_handled --note "a mass case: 140 reviews from one applicant"',
    "correct": 'ogi review correct 24d739c4 t2.granted.total 5 --note "re-published report of 2024-03-01"',
    "undo": "ogi review undo 3",
}


def add_review_options(p: argparse.ArgumentParser) -> None:
    from .review import DEFAULT_REVIEW_FILE

    p.add_argument("--review-file", default=None,
                   help=f"review decisions CSV (default {DEFAULT_REVIEW_FILE}, or $OGI_REVIEW_FILE)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the quality site (default zh)")


def _common(p: argparse.ArgumentParser) -> None:
    from .review import DEFAULT_REVIEW_FILE

    p.add_argument("--db", default=DEFAULT_DB, help=f"warehouse file (default {DEFAULT_DB})")
    p.add_argument("--review-file", default=None,
                   help=f"review decisions CSV (default {DEFAULT_REVIEW_FILE}, or $OGI_REVIEW_FILE)")


def add_review_parser(sub) -> None:
    help_text = "review findings: acknowledge, dismiss, correct a cell, list, undo (decisions kept as CSV)"
    review = sub.add_parser("review", help=help_text, description=help_text,
                            epilog="example:\n  " + "\n  ".join(EXAMPLES.values()),
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    review.set_defaults(func=lambda args: (review.print_help(), 2)[1])
    rsub = review.add_subparsers(dest="review_command", metavar="ACTION")

    def add(name: str, help_: str, func) -> argparse.ArgumentParser:
        p = rsub.add_parser(name, help=help_, description=help_, epilog=f"example:\n  {EXAMPLES[name]}",
                            formatter_class=argparse.RawDescriptionHelpFormatter)
        p.set_defaults(func=func)
        _common(p)
        return p

    p = add("list", "findings still open (default) or all, and the decisions", cmd_list)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--open", dest="all", action="store_false", help="open findings and stale decisions (default)")
    g.add_argument("--all", dest="all", action="store_true", help="every failed check and every decision")
    p.add_argument("--province", help="only reports of this province (a prefix: 陕西)")
    p.add_argument("--suite", help="only this suite (identities, domain, narrative, plausibility, continuity)")
    for action, help_ in (("acknowledge", "the finding is real: printed so in the source"),
                          ("dismiss", "the finding is a false alarm (say why)")):
        p = add(action, help_, cmd_decide)
        p.add_argument("report", help="report id prefix, file name, or part of the body's name")
        p.add_argument("check", help="check name (see `ogi review list`) or a cell table.row.col")
        p.add_argument("--note", required=True, help="why: the evidence, in a sentence")
        p.add_argument("--by", help="who decides (default $USER)")
    p = add("correct", "a cell's true value, with its evidence (served instead of the printed one)", cmd_decide)
    p.add_argument("report", help="report id prefix, file name, or part of the body's name")
    p.add_argument("check", metavar="cell", help="the cell, table.row.col (e.g. t2.granted.total)")
    p.add_argument("value", help="the true value")
    p.add_argument("--note", required=True, help="the evidence: a re-publication, a letter …")
    p.add_argument("--by", help="who decides (default $USER)")
    p = add("undo", "remove decision N (numbers from `ogi review list --all`)", cmd_undo)
    p.add_argument("n", type=int, help="the decision's number")


def _open(db: str):
    from .cli import UserError
    from .warehouse import connect

    if not Path(db).exists():
        raise UserError(f"no warehouse at {db}: run `ogi run` first")
    con = connect(db, read_only=True)
    con.execute("SELECT 1").fetchall()  # finish any result left pending by connect (register refuses to run beside one)
    return con


def cmd_list(args) -> int:
    from .cli import UserError
    from .review import ReviewError, list_review

    con = _open(args.db)
    try:
        print(list_review(con, args.review_file, show_all=args.all, province=args.province, suite=args.suite))
    except ReviewError as exc:
        raise UserError(str(exc)) from None
    finally:
        con.close()
    return 0


def cmd_decide(args) -> int:
    from .cli import UserError
    from .review import ReviewError, decide, review_file

    action = args.review_command
    con = _open(args.db)
    try:
        d = decide(con, args.review_file, action, args.report, args.check, value=getattr(args, "value", None),
                   note=args.note, decided_by=args.by)
    except ReviewError as exc:
        raise UserError(str(exc)) from None
    finally:
        con.close()
    what = d["check_name"] or f"{d['cell']} = {d['value']}"
    print(f"decision {d['id']}: {action} {d['body']} {d['year']} ({d['report_id'][:12]}) {what} -> "
          f"{review_file(args.review_file)}; applied by the next `ogi run` or `ogi validate`")
    return 0


def cmd_undo(args) -> int:
    from .cli import UserError
    from .review import ReviewError, review_file, undo

    try:
        d = undo(args.review_file, args.n)
    except ReviewError as exc:
        raise UserError(str(exc)) from None
    print(f"removed decision {d['id']} ({d['action']} {d['report_id'][:12]} {d['check_name'] or d['cell']}) "
          f"from {review_file(args.review_file)}")
    return 0
