"""`ogi query`: one read statement, in a locked-down connection, with readable output.

Two walls; most hostile statements hit both.
1. The statement is parsed by DuckDB first and refused unless it is exactly one read
   statement (SELECT, WITH … SELECT, FROM …, VALUES, DESCRIBE, SHOW, SUMMARIZE, PIVOT,
   EXPLAIN of those, an allow-listed PRAGMA or CALL).
2. The connection is read-only, cannot touch any file but the warehouse
   (`enable_external_access=false`: no COPY TO, EXPORT, read_text, read_csv, ATTACH,
   INSTALL), loads or installs no extension, and cannot change that
   (`lock_configuration=true`: SET/RESET fail). Read-only alone stops a data-modifying
   WITH inside a SELECT (`WITH x AS (DELETE … RETURNING *) SELECT …`), which DuckDB's
   parser reports as a SELECT.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from .output import write_result

SANDBOX = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,  # last: locks the settings above
}

READ_ONLY_HINT = ("ogi query is read-only: SELECT, WITH … SELECT, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN, "
                  "PRAGMA table_info and the like")

# PRAGMAs (and their CALL pragma_… forms) that only describe the warehouse.
READ_PRAGMAS = frozenset({
    "table_info", "show", "show_tables", "show_tables_expanded", "show_databases", "database_list",
    "database_size", "storage_info", "version", "platform", "functions", "collations", "metadata_info",
})
_LEADING = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*", re.S)
_EXPLAIN = re.compile(r"EXPLAIN\s+(?:ANALY[SZ]E\s+|\([^)]*\)\s*)?", re.I)
_WORD = re.compile(r"(\w+)")


class QueryRefused(ValueError):
    """The statement is not one read statement, or it tried to reach outside the warehouse."""


class QueryFailed(ValueError):
    """DuckDB rejected the statement (syntax, unknown name…); the message keeps its hints."""


def open_sandboxed(db: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the warehouse that can reach nothing else."""
    return duckdb.connect(str(db), read_only=True, config=dict(SANDBOX))


def _body(text: str) -> str:
    return text[_LEADING.match(text).end():]


def _first_word(text: str) -> str:
    m = _WORD.match(_body(text))
    return m.group(1).upper() if m else ""


def _refuse(kind: str) -> QueryRefused:
    return QueryRefused(f"refused: {kind} is not a read statement ({READ_ONLY_HINT})")


def check_statement(con: duckdb.DuckDBPyConnection, text: str, _depth: int = 0) -> str:
    """The one statement in ``text`` if it only reads; else QueryRefused / QueryFailed."""
    try:
        statements = con.extract_statements(text)
    except duckdb.Error as exc:
        raise QueryFailed(duckdb_message(exc)) from None
    if not statements:
        raise QueryRefused("no SQL statement given (pass one statement, or - to read it from stdin)")
    if len(statements) > 1:
        raise QueryRefused(f"refused: {len(statements)} statements given; ogi query runs exactly one per call")
    stmt = statements[0]
    try:
        kind = stmt.type.name
    except ValueError:  # a statement type this duckdb's Python API cannot name (UPDATE EXTENSIONS)
        raise _refuse(_first_word(stmt.query) or "this statement") from None
    query = _body(stmt.query)
    if kind == "SELECT":
        return stmt.query
    if kind == "MULTI" and _first_word(query) in ("PIVOT", "UNPIVOT"):
        return stmt.query  # DuckDB plans a PIVOT as several statements; it still only reads
    if kind == "EXPLAIN" and _depth == 0:
        m = _EXPLAIN.match(query)
        if m:  # EXPLAIN ANALYZE runs its statement: the inner one must be a read too
            check_statement(con, query[m.end():], _depth=1)
            return stmt.query
    if kind in ("PRAGMA", "CALL") and _first_word(query) == kind:
        name = _first_word(query[len(kind):]).lower()
        if kind == "CALL":
            name = name.removeprefix("pragma_")
        if name in READ_PRAGMAS:
            return stmt.query
        raise _refuse(f"{kind} {name or '…'}")
    generic = ("LOAD", "SET", "CREATE", "MULTI", "CALL", "PRAGMA", "TRANSACTION", "VARIABLE_SET")
    raise _refuse((_first_word(query) or kind) if kind in generic else kind)


def duckdb_message(exc: Exception) -> str:
    """DuckDB's message with its hint lines ("Did you mean …", candidates, the LINE/caret
    pointer) kept, trailing blank lines dropped."""
    return "\n".join(line.rstrip() for line in str(exc).strip("\n").splitlines()).strip()


def _outside_message(exc: Exception) -> str:
    first = str(exc).splitlines()[0]
    target = re.search(r'"([^"]*)"', first)
    where = f" ({target.group(1)})" if target else ""
    return f"refused: ogi query cannot read or write files or load extensions{where}: external access is disabled"


def run_query(con: duckdb.DuckDBPyConnection, text: str, out, fmt: str = "table",
              limit: int | None = None) -> int:
    """Check and run one statement, write the result to ``out``; the number of rows."""
    statement = check_statement(con, text)
    try:
        result = con.execute(statement)
    except duckdb.PermissionException as exc:
        raise QueryRefused(_outside_message(exc)) from None
    except duckdb.InvalidInputException as exc:
        if "read-only" in str(exc):  # e.g. a data-modifying WITH (… DELETE … RETURNING) inside a SELECT
            raise QueryRefused(f"refused: the statement writes to the warehouse ({READ_ONLY_HINT})") from None
        if "configuration has been locked" in str(exc):
            raise QueryRefused(f"refused: the statement changes a setting ({READ_ONLY_HINT})") from None
        raise QueryFailed(duckdb_message(exc)) from None
    except duckdb.Error as exc:
        raise QueryFailed(duckdb_message(exc)) from None
    try:
        return write_result(result, out, fmt=fmt, limit=limit)
    except duckdb.PermissionException as exc:  # raised while streaming a lazy table function
        raise QueryRefused(_outside_message(exc)) from None
    except duckdb.Error as exc:
        raise QueryFailed(duckdb_message(exc)) from None
