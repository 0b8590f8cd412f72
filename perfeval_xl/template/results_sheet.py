"""The live 校验结果 block, the 封面 verdict and the colours on the entered figures.

Every formula comes from ``rules/excel_backend.py`` (the native rules' semantics);
this module only places them (positions in ``results_layout``).
"""

from __future__ import annotations

import re

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from ..check.marks import MARK_RGB
from ..rules.base import Severity
from ..rules.excel_backend import CELL_RULES, STATUS_OF, ERROR, GLOBALS, HELPERS, PASS, RATIO_HELPERS, ROUNDING, UNCHECKED, WARNING, field_table, native_checks
from ..schema import SCHEMA
from .layout import layout
from .results_layout import (COUNT_CELLS, COUNTS_ROW, ERRORS_NAME, MESSAGE_COLUMN, NATIVE_FIRST_ROW,
                             NATIVE_HEADER, NATIVE_HEADER_ROW, STATUS_COLUMN, WARNINGS_NAME, native_last_row)
from .styles import BORDER

RESULTS = "校验结果"
_TOKEN = re.compile(r"\[([a-z]+)(?:\.([a-z0-9_.]+)|#(\d+))?\]")
GLOBAL_CELLS = {"mdec": "Q", "rdec": "R", "unit": "S"}  # on the counts row, hidden: the 封面 declarations every row reads
FIELD_TABLE_COLUMN = 25  # Y: groups of (field id, blank, usable, value finding) columns, as many as the fields need
FIELD_GROUP = 4
STATUS_FILL = {ERROR: MARK_RGB[Severity.ERROR], WARNING: MARK_RGB[Severity.WARNING], ROUNDING: MARK_RGB[Severity.WARNING],
               PASS: "E2EFDA", UNCHECKED: "EDEDED"}
# where a helper key lives on a native row; the hidden helpers follow the button's marks column J
_HELPER_COLUMNS = ("L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X")
COLUMNS = {key: col for keys in (HELPERS, RATIO_HELPERS) for key, col in zip(keys, _HELPER_COLUMNS)}
assert all(COLUMNS[k] == c for k, c in zip(HELPERS, _HELPER_COLUMNS)), "a key shared by both kinds keeps one column"
COLUMNS.update(status=STATUS_COLUMN, message=MESSAGE_COLUMN)


def field_cells() -> dict[str, tuple[str, str, str, str, int]]:
    """field id → (id column, blank column, usable column, value-finding column, row) in the hidden field table."""
    n = native_last_row() - NATIVE_FIRST_ROW + 1
    out = {}
    for k, (fid, *_) in enumerate(field_table()):
        base = FIELD_TABLE_COLUMN + FIELD_GROUP * (k // n)
        out[fid] = (*(get_column_letter(base + i) for i in range(FIELD_GROUP)), NATIVE_FIRST_ROW + k % n)
    return out


def code_ranges() -> list[str]:
    """The value-finding columns of the field table, one range per group."""
    cells = field_cells()
    groups: dict[str, list[int]] = {}
    for _, _, _, c, r in cells.values():
        groups.setdefault(c, []).append(r)
    return [f"${c}${min(rs)}:${c}${max(rs)}" for c, rs in groups.items()]


def _resolve(text: str, row: int | None, cells) -> str:
    def sub(m) -> str:
        kind, fid, other = m.group(1), m.group(2), m.group(3)
        if other is not None:  # a helper of another row (a figure a deriving row supplied)
            return f"${COLUMNS[kind]}${NATIVE_FIRST_ROW + int(other)}"
        if kind == "global":
            return f"${GLOBAL_CELLS[fid]}${COUNTS_ROW}"
        if kind in ("blank", "usable", "code", "choice"):  # a 超支/节约 choice is read into its value-finding column
            _, b, u, c, r = cells[fid]
            return f"${ {'blank': b, 'usable': u, 'code': c, 'choice': c}[kind]}${r}"
        if kind == "count":  # how many cells hold this value finding
            return "(" + "+".join(f'COUNTIF({rng},"{fid.upper()}")' for rng in code_ranges()) + ")"
        return f"{COLUMNS[kind]}{row}"

    return _TOKEN.sub(sub, text)


def write_native_block(wb, render, style_header) -> None:
    """One row per native check, with its live status and message; counts on row 5; the workbook names."""
    ws = wb[RESULTS]
    lay = layout()
    checks = native_checks()
    last = native_last_row()
    cells = field_cells()
    for key, formula in GLOBALS.items():
        ws[f"{GLOBAL_CELLS[key]}{COUNTS_ROW}"] = render(formula, None)
    for fid, blank_f, usable_f, code_f in field_table():
        id_col, b, u, c, r = cells[fid]
        ws[f"{id_col}{r}"] = fid
        if blank_f is not None:
            ws[f"{b}{r}"] = render(_resolve(blank_f, None, cells), None)
            ws[f"{u}{r}"] = render(_resolve(usable_f, None, cells), None)
        ws[f"{c}{r}"] = render(_resolve(code_f, None, cells), None)
    for col in {c for fc in cells.values() for c in fc[:4]} | set(GLOBAL_CELLS.values()):
        ws.column_dimensions[col].hidden = True
    status_range = f"${STATUS_COLUMN}${NATIVE_FIRST_ROW}:${STATUS_COLUMN}${last}"
    # a value rule's row stands for every cell it names: the counts add the cells beyond the first
    extra = {ERROR: "", WARNING: ""}
    for i, chk in enumerate(checks):
        if chk.per_cell:
            r = NATIVE_FIRST_ROW + i
            extra[STATUS_OF[chk.rule.severity]] += f'+IF(${STATUS_COLUMN}${r}<>"{PASS}",${COLUMNS["point"]}${r}-1,0)'
    counts = {"errors": f'COUNTIF({status_range},"{ERROR}")' + extra[ERROR],
              "warnings": f'COUNTIF({status_range},"{WARNING}")+COUNTIF({status_range},"{ROUNDING}")' + extra[WARNING],
              "unchecked": f'COUNTIF({status_range},"{UNCHECKED}")', "passed": f'COUNTIF({status_range},"{PASS}")'}
    for key, col in COUNT_CELLS.items():
        ws[f"{col}{COUNTS_ROW}"] = "=" + counts[key]
    e, w, u, p = (f"{COUNT_CELLS[k]}{COUNTS_ROW}" for k in ("errors", "warnings", "unchecked", "passed"))
    ws[f"A{COUNTS_ROW}"] = (f'="表内自动核对（无需加载项，随填随算）：错误 "&{e}&" 项，警告 "&{w}&" 项（含舍入差异），'
                            f'未能核对 "&{u}&" 项，通过 "&{p}&" 项"')
    ws[f"A{COUNTS_ROW}"].font = Font(bold=True)
    ws.merge_cells(f"A{COUNTS_ROW}:G{COUNTS_ROW}")
    wb.defined_names[ERRORS_NAME] = DefinedName(ERRORS_NAME, attr_text=f"'{RESULTS}'!${COUNT_CELLS['errors']}${COUNTS_ROW}")
    wb.defined_names[WARNINGS_NAME] = DefinedName(WARNINGS_NAME, attr_text=f"'{RESULTS}'!${COUNT_CELLS['warnings']}${COUNTS_ROW}")
    for i, h in enumerate(NATIVE_HEADER, start=1):
        style_header(ws.cell(NATIVE_HEADER_ROW, i, h))
    for i, chk in enumerate(checks):
        row = NATIVE_FIRST_ROW + i
        ws.cell(row, 1, i + 1)
        ws.cell(row, 2, chk.rule.id)
        if chk.per_cell:
            ws.cell(row, 4, "各表")
            ws.cell(row, 5, "多处")
            ws.cell(row, 6, "所有数值单元格")
        else:
            cell = lay.cell(chk.stated)
            title = lay.sheet_title(cell.sheet)
            ws.cell(row, 4, title)
            # a HYPERLINK formula, not a cell hyperlink: those belong to the Python findings the button replaces
            link = ws.cell(row, 5, f'=HYPERLINK("#\'{title}\'!{cell.address}","{cell.address}")')
            link.font = Font(color="0563C1", underline="single")
            ws.cell(row, 6, SCHEMA[chk.stated].label)
        for key, formula in chk.formulas.items():
            ws[f"{COLUMNS[key]}{row}"] = render(_resolve(formula, row, cells), None)
        ws.row_dimensions[row].height = 30  # a message with its figures takes two lines of G
        for col in range(1, 8):
            c = ws.cell(row, col)
            c.border = BORDER
            c.alignment = Alignment(vertical="center", wrap_text=col in (6, 7), horizontal="center" if col in (1, 2, 3, 5) else None)
    for col in set(COLUMNS.values()) - {STATUS_COLUMN, MESSAGE_COLUMN}:
        ws.column_dimensions[col].hidden = True
    status = f"{STATUS_COLUMN}{NATIVE_FIRST_ROW}:{STATUS_COLUMN}{last}"
    for text, rgb in STATUS_FILL.items():
        ws.conditional_formatting.add(status, FormulaRule(formula=[f'${STATUS_COLUMN}{NATIVE_FIRST_ROW}="{text}"'],
                                                          fill=PatternFill("solid", fgColor=rgb), stopIfTrue=True))


def status_row(rule_id: str, stated: str) -> int | None:
    """The 校验结果 row of a native check (None when the rule is Python-only)."""
    for i, chk in enumerate(native_checks()):
        if chk.rule.id == rule_id and chk.stated == stated:
            return NATIVE_FIRST_ROW + i
    return None


def status_conditions(row: int) -> tuple[str, str]:
    """(red, yellow) conditions reading a native row's status: the 差异 cell shows the same verdict as 校验结果."""
    c = f"'{RESULTS}'!${STATUS_COLUMN}${row}"
    return f'{c}="{ERROR}"', f'OR({c}="{WARNING}",{c}="{ROUNDING}")'


def colour_inputs(wb) -> None:
    """An entered figure of a failing native check takes the annotated copy's colour of the worst severity."""
    lay = layout()
    rows: dict[str, list[tuple[int, bool]]] = {}
    for i, chk in enumerate(native_checks()):
        for fid in chk.inputs:
            # an identity lists only the stated figure and its filled terms; VAL001 marks the blank cell itself
            rows.setdefault(fid, []).append((NATIVE_FIRST_ROW + i, chk.rule.family != "VAL"))
    fcells = field_cells()
    by_status = {ERROR: [r.id for r in CELL_RULES if STATUS_OF[r.severity] == ERROR],
                 WARNING: [r.id for r in CELL_RULES if STATUS_OF[r.severity] == WARNING]}
    for fid in fcells:
        if SCHEMA[fid].type.numeric and SCHEMA[fid].is_input:
            rows.setdefault(fid, [])
    for fid, rs in rows.items():
        cell = lay.cell(fid)
        ws = wb[lay.sheet_title(cell.sheet)]

        def any_of(*statuses: str) -> str:
            tests = []
            for r, filled_only in rs:
                hit = "OR(" + ",".join(f"'{RESULTS}'!${STATUS_COLUMN}${r}=\"{s}\"" for s in statuses) + ")"
                tests.append(f"AND(ISNUMBER({cell.address}),{hit})" if filled_only else hit)
            if fid in fcells:  # the cell's own value finding (negative, too many decimals …)
                _, _, _, c, r = fcells[fid]
                tests += [f"'{RESULTS}'!${c}${r}=\"{rid}\"" for s in statuses for rid in by_status.get(s, ())]
            return f"OR({','.join(tests)})" if tests else "FALSE"

        ws.conditional_formatting.add(cell.address, FormulaRule(formula=[any_of(ERROR)], stopIfTrue=True,
                                                                fill=PatternFill("solid", fgColor=MARK_RGB[Severity.ERROR])))
        ws.conditional_formatting.add(cell.address, FormulaRule(formula=[any_of(WARNING, ROUNDING)],
                                                                fill=PatternFill("solid", fgColor=MARK_RGB[Severity.WARNING])))


def write_verdict(wb) -> None:
    """The line on 封面 an accountant reads before sending the workbook."""
    lay = layout()
    cover = lay.sheets[0]
    ws = wb[cover.title]
    row = ws.max_row + 2
    ws.cell(row, 1).value = (f'=IF({ERRORS_NAME}>0,"表内核对：有 "&{ERRORS_NAME}&" 项错误，请先修改（见“校验结果”表）",'
                             f'IF({WARNINGS_NAME}>0,"表内核对：可以报送（另有 "&{WARNINGS_NAME}&" 项舍入差异或警告，请核实）",'
                             f'"表内核对：可以报送"))')
    ws.cell(row, 1).font = Font(bold=True, size=12, color="375623")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    ws.conditional_formatting.add(f"A{row}", FormulaRule(formula=[f"{ERRORS_NAME}>0"], font=Font(bold=True, color="9C0006"),
                                                         fill=PatternFill("solid", fgColor=MARK_RGB[Severity.ERROR])))
    ws.row_dimensions[row].height = 24


__all__ = ["colour_inputs", "write_native_block", "write_verdict"]
