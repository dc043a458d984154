"""One ephemeral Great Expectations context per validation run, quiet and offline.

GX validates pandas frames that DuckDB computed (its DuckDB SQL source does not
work, see ../shared/notes/dependencies.md); a suite's validation definition is made
once and run on each chunk. GX is imported here only, lazily, so other commands stay fast.
"""

from __future__ import annotations

import os
from collections import defaultdict

import pandas as pd


class GXRunner:
    def __init__(self) -> None:
        os.environ["GX_ANALYTICS_ENABLED"] = "false"  # no network here, and no telemetry wanted
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.gx = gx
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        self.source = self.context.data_sources.add_pandas("ogi_checks")
        self._definitions: dict[str, object] = {}

    def _definition(self, suite: dict):
        name = suite["name"]
        if name not in self._definitions:
            gx = self.gx
            batch = self.source.add_dataframe_asset(name=name).add_batch_definition_whole_dataframe(name)
            gx_suite = self.context.suites.add(
                gx.ExpectationSuite(name=name, expectations=suite["expectations"], meta=suite["meta"]))
            self._definitions[name] = self.context.validation_definitions.add(
                gx.ValidationDefinition(name=name, data=batch, suite=gx_suite))
        return self._definitions[name]

    def failing_rows(self, suite: dict, df: pd.DataFrame) -> dict[int, list[dict]]:
        """Row index -> the expectations (their ``meta``) the row fails."""
        result = self._definition(suite).run(batch_parameters={"dataframe": df},
                                             result_format={"result_format": "COMPLETE"})
        failed: dict[int, list[dict]] = defaultdict(list)
        for r in result.results:
            meta = r.expectation_config.meta or {}
            if r.exception_info and r.exception_info.get("raised_exception"):
                raise RuntimeError(f"suite {suite['name']}: {r.exception_info.get('exception_message')}")
            for i in r.result.get("unexpected_index_list") or []:
                failed[int(i)].append(meta)
        return failed


def expectation_columns(suite: dict) -> list[str]:
    """The frame columns a suite's expectations read (the only ones handed to GX)."""
    cols: list[str] = []
    for e in suite["expectations"]:
        kw = e["kwargs"]
        for key in ("column", "column_A", "column_B"):
            if key in kw and kw[key] not in cols:
                cols.append(kw[key])
        for c in kw.get("column_list", []):
            if c not in cols:
                cols.append(c)
    return cols
