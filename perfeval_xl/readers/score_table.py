"""The openpyxl edge of the 指标表 import: a sheet's cell values and merged ranges.

Only values are read (data_only), never formulas run; the original is opened
read-only in spirit and never saved.
"""

from __future__ import annotations

from pathlib import Path


def read_table(path: Path | str, sheet: str | None = None) -> tuple[list[list[object]], list[tuple[int, int, int, int]], str]:
    """(rows of values, merged ranges 0-based inclusive, sheet title) of the sheet holding the table.

    Without ``sheet``: the first sheet whose first 30 rows mention 三级指标 (else the first sheet).
    """
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=True)
    if sheet is not None:
        ws = wb[sheet]
    else:
        ws = next((s for s in wb.worksheets if _mentions(s, "三级指标")), wb.worksheets[0])
    grid = [list(r) for r in ws.iter_rows(values_only=True)]
    merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
    return grid, merges, ws.title


def _mentions(ws, word: str) -> bool:
    for row in ws.iter_rows(max_row=30, values_only=True):
        if any(isinstance(v, str) and word in v for v in row):
            return True
    return False
