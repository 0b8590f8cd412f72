"""The consistency checker: one entry point for every front end.

* ``check_values(raw, *, addresses=None, profile=None) -> list[Finding]`` — raw
  cell values keyed by schema id (CLI, the Excel 校验 button via xlwings, mail intake);
* ``check_workbook(data) -> Report`` — the reader's ``WorkbookData``: STR + the above;
* ``check_path(path) -> Report`` — never raises on a bad file.

``REGISTRY`` lists every rule; ``RULESET_VERSION`` is recorded in each report.
"""

from ..rules.registry import REGISTRY, RULESET_VERSION
from .engine import check_path, check_values, check_workbook
from .findings import CellRef, Finding, Report

__all__ = ["REGISTRY", "RULESET_VERSION", "CellRef", "Finding", "Report", "check_path", "check_values", "check_workbook"]
