"""Checks: expectation suites over the warehouse, pointing at cells, with review
decisions applied, and the quality site.

    result = validate_warehouse(con, quality_dir=Path("data/curated/quality"))

Order of a validation: the review decisions' corrections are served in facts,
the suites run chunk by chunk (suites.py), suspect cells are singled out, each
check result gets its review status, and the quality site is built (staged
beside its target; published with the warehouse, see ValidationResult.publish_site).
"""

from __future__ import annotations

from .result import ValidationResult, validate_warehouse
from .suites import expectations_dir, load_suites, run_suites

__all__ = ["ValidationResult", "expectations_dir", "load_suites", "run_suites", "validate_warehouse"]
