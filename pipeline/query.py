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
    for col in df.columns:
        # Counts come back as DECIMAL -> float; show 25 rather than 25.0 when every value is whole.
        if df[col].dtype.kind == "f" and df[col].notna().any() and (df[col].dropna() % 1 == 0).all():
            df[col] = df[col].astype("Int64")
    if fmt == "csv":
        return df.to_csv(index=False).rstrip("\n")
    if fmt == "json":
        return df.to_json(orient="records", force_ascii=False, date_format="iso")
    if df.empty:
        return "(no rows)"
    shown = df.astype(object).where(df.notna(), "NULL")  # one spelling for missing, never <NA>/NaN
    return shown.to_string(index=False, max_rows=200)
