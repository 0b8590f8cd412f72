"""The JSON an Office.js client sends for a book, built from a real .xlsx (test helper).

Values come from python-calamine as Excel would hold them: numbers as floats,
dates as ISO strings, empty cells as "". Names are the workbook's range names.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlwings as xw
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from perfeval_xl.readers.workbook import parse_ref


def _cell(v):
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(v, dt.date):
        return v.strftime("%Y-%m-%dT00:00:00.000Z")
    return v


def book_payload(path: Path, active_sheet: int = 0) -> dict:
    path = Path(path)
    cal = CalamineWorkbook.from_path(str(path))
    wb = load_workbook(path, read_only=False)
    sheets = []
    for title in cal.sheet_names:
        rows = cal.get_sheet_by_name(title).to_python(skip_empty_area=False)
        width = max((len(r) for r in rows), default=1)
        values = [[_cell(v) for v in r] + [""] * (width - len(r)) for r in rows] or [[""]]
        sheets.append(
            {
                "name": title,
                "values": values,
                "pictures": [],
                "tables": [],
                "notes": [],
                "notes_supported": True,
                "shapes": [],
                "charts": [],
                "pivot_tables": [],
                "visibility": "Visible" if wb[title].sheet_state == "visible" else "Hidden",
                "show_gridlines": True,
                "print_area": None,
            }
        )
    index = {s["name"]: i for i, s in enumerate(sheets)}
    names = []
    for name, dn in wb.defined_names.items():
        ref = parse_ref(dn.attr_text)
        if ref is None and dn.attr_text.startswith('"'):
            # a constant name: current clients send its definition (xlwings' remote Name.refers_to reads it)
            names.append({"name": name, "refers_to": "=" + dn.attr_text, "sheet_index": None, "address": None,
                          "scope_sheet_name": None, "scope_sheet_index": None, "book_scope": True})
        elif ref and ref[0] in index:
            col = "".join(ch for ch in ref[1] if ch.isalpha())
            row = ref[1][len(col):]
            names.append(
                {
                    "name": name,
                    "sheet_index": index[ref[0]],
                    "address": f"${col}${row}",
                    "scope_sheet_name": None,
                    "scope_sheet_index": None,
                    "book_scope": True,
                }
            )
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": path.name, "active_sheet_index": active_sheet, "selection": "A1"},
        "names": names,
        "sheets": sheets,
    }
