"""Formula-injection-safe cell values for every workbook we write.

openpyxl turns any string longer than one character that starts with "=" into a
live formula, and a string equal to an error code ("#N/A") into an error cell
(``Cell._bind_value``). Text we copy from a sender's workbook (a department
name, a file name, a sheet name) must therefore never be written as is.

Policy (OWASP ASVS 1.2.10, CWE-1236; anchors.md §6):

* text starting with ``= + - @``, a tab or a carriage return gets a leading
  apostrophe, so it stays visibly inert even after a CSV export;
* every text cell is pinned to ``data_type = "s"`` (covers "#N/A" and the like);
* numbers stay numbers: escaping "-" blindly would corrupt negative amounts;
* characters Excel cannot store are dropped and text is cut at Excel's limit,
  instead of openpyxl raising ``IllegalCharacterError`` halfway through a report.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Iterable

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
MAX_CELL_TEXT = 32_767  # Excel's hard limit for one cell
# The control characters XML 1.0 cannot carry (openpyxl's ILLEGAL_CHARACTERS_RE).
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")

_PASS_THROUGH = (bool, int, float, Decimal, dt.datetime, dt.date, dt.time, dt.timedelta)


def escape(text: str) -> str:
    """The text as it may safely appear in a cell: inert, storable, within limits."""
    text = _ILLEGAL.sub("", text)
    if text.startswith(TRIGGERS):
        text = ESCAPE + text
    return text[:MAX_CELL_TEXT]


def is_escaped(original: str, written: str) -> bool:
    """Whether ``escape`` had to prefix ``original`` (tests, reports of what was changed)."""
    return written.startswith(ESCAPE) and not original.startswith(ESCAPE)


def cell_value(value: object) -> object:
    """A value openpyxl can bind without ever creating a formula.

    Numbers, booleans and dates pass through unchanged; anything else is text.
    Non-finite floats are text too: Excel has no NaN or infinity.
    """
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return escape(str(value))
    if isinstance(value, Decimal) and not value.is_finite():
        return escape(str(value))
    if isinstance(value, _PASS_THROUGH):
        return value
    return escape(str(value))


def write(cell, value: object):
    """Put ``value`` into an openpyxl cell safely; returns the cell."""
    v = cell_value(value)
    cell.value = v
    if isinstance(v, str):
        cell.data_type = "s"  # set after binding: "#N/A" was bound as an error, "'=…" is already inert
    return cell


def write_row(ws, row: int, values: Iterable[object], start_col: int = 1) -> list:
    """Write one row of values from ``start_col``; returns the cells."""
    return [write(ws.cell(row, start_col + i), v) for i, v in enumerate(values)]


__all__ = ["ESCAPE", "MAX_CELL_TEXT", "TRIGGERS", "cell_value", "escape", "is_escaped", "write", "write_row"]
