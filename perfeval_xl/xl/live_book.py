"""An open xlwings Book → ``WorkbookData`` (what ``io.reader`` gives for a file)."""

from __future__ import annotations

import re

from ..template.markers import NAME_ID, NAME_VERSION
from ..readers.workbook import WorkbookData, place_fields, unquote_name
from ..schema import TEMPLATE_ID
from ..template.layout import layout

_VERSION_LABEL = re.compile(r"模板 v(?P<version>[\w.]+)")


def _grid(sheet, last_row: int, last_col: int) -> list[list[object]]:
    values = sheet.range((1, 1), (last_row, last_col)).options(ndim=2).value
    return values or []


def _name_targets(book) -> dict[str, str]:
    out = {}
    for name in book.names:
        try:
            refers = name.refers_to
        except Exception:  # a name the client could not describe
            continue
        out[name.name.split("!")[-1]] = (refers or "").lstrip("=")
    return out


def workbook_data(book, *, formulas: bool = False) -> WorkbookData:
    """Read the template's cells of an open book. ``formulas`` needs the desktop engine."""
    lay = layout()
    data = WorkbookData(path=book.name)
    sheets = {s.name: s for s in book.sheets}
    data.sheet_names = list(sheets)
    for title, s in sheets.items():
        try:
            data.sheet_states[title] = "visible" if s.visible else "hidden"
        except Exception:  # engines without visibility information
            data.sheet_states[title] = "visible"
    data.defined_names = _name_targets(book)
    data.template_id = unquote_name(data.defined_names.get(NAME_ID))
    data.template_version = unquote_name(data.defined_names.get(NAME_VERSION))
    if data.template_id is None:
        # Office.js sends only range names; the generator also prints the version in a locked header cell.
        first = lay.sheets[0]
        if first.title in sheets:
            last_col = max(lay.placements[first.id].widths or {6: 0})
            label = sheets[first.title].range((2, max(last_col, 4))).value
            m = _VERSION_LABEL.search(str(label or ""))
            if m:
                data.template_id = TEMPLATE_ID
                data.template_version = m.group("version")
    from .scorecard import profile_of

    data.profile = profile_of(book)  # the custom property is out of Office.js' reach; the 评分 sheet names it
    data.read_cells = lambda title, addresses: {a: sheets[title].range(a).value for a in addresses}

    def grid(title: str) -> list[list[object]]:
        sheet_id = by_title.get(title)
        if sheet_id is None:  # a name moved onto a sheet the template does not have
            return _grid(sheets[title], 500, 30)
        sp = lay.placements[sheet_id]
        return _grid(sheets[title], max(sp.last_row, 3), max([*sp.widths, 7]))

    by_title = {s.title: s.id for s in lay.sheets}
    # Office.js clients may send no names at all; then there is nothing to compare.
    place_fields(data, grid, check_names=bool(data.defined_names))
    if formulas:
        _read_formulas(book, data)
    return data


def _read_formulas(book, data: WorkbookData) -> None:
    from ..readers.workbook import _derived_addresses

    for title, addresses in _derived_addresses(layout()).items():
        if title not in data.sheet_names:
            continue
        sheet = book.sheets[title]
        for a in addresses:
            formula = sheet.range(a).formula or ""
            data.formulas[(title, a)] = formula[1:] if formula.startswith("=") else ""
