"""Rows inserted (or blank rows deleted) on a sheet: where each template row went.

When a department unprotects a sheet and inserts a row, Excel moves every cell below it and
every defined name with its cell, so a name that now points a few rows lower is no sign of
tampering. What tells such a sheet apart from a name redirected to a helper cell is its column
A: the template writes a label (item, 应为/差异 row, block title, table 序号) in column A of
every row that holds a cell, and after an honest insert those labels are all still there, in
order, each row shifted by the rows inserted above it. So the template's column A is aligned
with the workbook's; a name is judged *shifted* only if it points at its own column on the row
its label moved to.
"""

from __future__ import annotations

from functools import lru_cache

from ..template.layout import layout


@lru_cache(maxsize=None)
def template_labels(title: str) -> tuple[tuple[int, str], ...]:
    """(row, text) of the template's column-A labels on a sheet, top to bottom."""
    lay = layout()
    for sp in lay.placements.values():
        if sp.sheet.title == title:
            rows = {row: _text(text) for row, col, text, _style in sp.labels if col == 1 and _text(text)}
            return tuple(sorted(rows.items()))
    return ()


def _text(value: object) -> str:
    """A cell as its label text: 序号 written as 1 reads back as 1.0 or "1"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip("　 \t\r\n")


def align_rows(title: str, grid: list[list[object]]) -> dict[int, int] | None:
    """Template row → workbook row (1-based) for every labelled row, or None when column A does not show
    the template's labels in order with only unlabelled rows between them (deleted, reordered, relabelled,
    or an inserted row carrying a template label, which would let a copied row pass for the real one)."""
    labels = template_labels(title)
    if not labels:
        return None
    known = {text for _row, text in labels}
    column = [_text(r[0]) if r else "" for r in grid]
    out: dict[int, int] = {}
    at = 0  # 0-based index into ``column`` where the search for the next label starts
    for row, text in labels:
        while at < len(column) and column[at] != text:
            if out and column[at] in known:  # a template label where none belongs: not an honest insert
                return None
            at += 1
        if at >= len(column):
            return None
        out[row] = at + 1
        at += 1
    return out


def row_of(row_map: dict[int, int], row: int) -> int:
    """Where template ``row`` went: its own label's row, else it moved as the nearest labelled row above it."""
    if row in row_map:
        return row_map[row]
    above = [r for r in row_map if r < row]
    return row + (row_map[max(above)] - max(above) if above else 0)


__all__ = ["align_rows", "row_of", "template_labels"]
