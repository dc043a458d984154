"""`ogi query`: read-only SQL with readable output."""

from __future__ import annotations

import duckdb


def run_query(con: duckdb.DuckDBPyConnection, statement: str, fmt: str = "table") -> str:
    """Run one statement on a read-only connection; a write fails with ValueError."""
    try:
        df = con.execute(statement).df()
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        if "read-only" in first.lower():
            raise ValueError("the warehouse is opened read-only: write statements are refused") from None
        raise ValueError(first) from None
    if fmt == "csv":
        return df.to_csv(index=False).rstrip("\n")
    if fmt == "json":
        return df.to_json(orient="records", force_ascii=False, date_format="iso")
    if df.empty:
        return "(no rows)"
    return df.to_string(index=False, na_rep="NULL", max_rows=200)
