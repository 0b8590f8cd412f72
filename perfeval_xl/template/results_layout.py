"""Where things sit on 校验结果: the live native block first, the Python findings below.

    row 3  按钮动作             row 4  status of the last Python check (button / perfeval check)
    row 5  live counts          row 6  header of the native checks
    rows 7…  one row per native check (rules/excel_backend.native_checks)
    then a blank row, the header of the Python findings, and FINDINGS_FIRST_ROW onwards.

Pure positions (no openpyxl): the button and the annotated copy import them.
"""

from __future__ import annotations

from functools import lru_cache

COUNTS_ROW = 5
NATIVE_HEADER_ROW = 6
NATIVE_FIRST_ROW = 7
NATIVE_HEADER = ("序号", "规则", "状态", "工作表", "单元格", "字段", "说明")
STATUS_COLUMN = "C"
MESSAGE_COLUMN = "G"
# the counts on row 5, hidden; the workbook names perfeval_native_errors / _warnings point here
COUNT_CELLS = {"errors": "L", "warnings": "M", "unchecked": "N", "passed": "O"}
ERRORS_NAME = "perfeval_native_errors"
WARNINGS_NAME = "perfeval_native_warnings"


@lru_cache(maxsize=1)
def native_count() -> int:
    from ..rules.excel_backend import native_checks

    return len(native_checks())


def native_last_row() -> int:
    return NATIVE_FIRST_ROW + native_count() - 1


def findings_first_row() -> int:
    """First row of the Python findings (two rows below the native block: a gap, then their header)."""
    return native_last_row() + 3


__all__ = ["COUNTS_ROW", "ERRORS_NAME", "NATIVE_FIRST_ROW", "NATIVE_HEADER", "NATIVE_HEADER_ROW",
           "WARNINGS_NAME", "findings_first_row", "native_count", "native_last_row"]
