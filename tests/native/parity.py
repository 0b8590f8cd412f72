"""Shared by the parity test and its benchmark: workbooks recalculated by LibreOffice against perfeval check.

A workbook's verdict is read from its own 校验结果 rows (status per native check,
computed by LibreOffice) and compared with the native findings of ``check_path``
as (rule, sheet, cell, severity), plus the two workbook names.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from perfeval_xl.check.engine import check_path
from perfeval_xl.rules.excel_backend import ERROR, PASS, ROUNDING, UNCHECKED, WARNING, native_checks
from perfeval_xl.rules.native import native_ids
from perfeval_xl.schema import SCHEMA, FieldType
from perfeval_xl.template.layout import layout
from perfeval_xl.template.results_layout import (COUNT_CELLS, COUNTS_ROW, ERRORS_NAME, NATIVE_FIRST_ROW, STATUS_COLUMN,
                                                 WARNINGS_NAME)
from perfeval_xl.template.writer import build_template

SEVERITY_OF = {ERROR: "error", WARNING: "warning", ROUNDING: "warning"}


def workbook_verdict(path: Path) -> tuple[Counter, tuple[int, int], list[str]]:
    """(Counter of (rule, sheet, cell, severity) the workbook itself reports, (errors, warnings) names, odd statuses)."""
    wb = load_workbook(path, data_only=True)
    ws = wb["校验结果"]
    found, odd = Counter(), []
    for i, chk in enumerate(native_checks()):
        status = ws[f"{STATUS_COLUMN}{NATIVE_FIRST_ROW + i}"].value
        if status in (PASS, UNCHECKED):
            continue
        if status not in SEVERITY_OF:
            odd.append(f"{chk.rule.id} row {NATIVE_FIRST_ROW + i}: {status!r}")
            continue
        cell = layout().cell(chk.stated)
        found[(chk.rule.id, layout().sheet_title(cell.sheet), cell.address, SEVERITY_OF[status])] += 1
    names = []
    for name in (ERRORS_NAME, WARNINGS_NAME):
        dest = list(wb.defined_names[name].destinations)[0]
        names.append(wb[dest[0]][dest[1].replace("$", "")].value)
    return found, tuple(names), odd


def engine_verdict(path: Path) -> tuple[Counter, tuple[int, int]]:
    report = check_path(path)
    native = native_ids()
    found = Counter()
    errors = warnings = 0
    for f in report.findings:
        if f.rule_id not in native:
            continue
        c = f.primary
        found[(f.rule_id, c.sheet, c.address, f.severity.value)] += 1
        errors += f.severity.value == "error"
        warnings += f.severity.value == "warning"
    return found, (errors, warnings)


def checkable_inputs() -> list[str]:
    """The numeric inputs native checks read (the mutation corpus varies each)."""
    out = {}
    for chk in native_checks():
        for fid in chk.inputs:
            if SCHEMA[fid].is_input and SCHEMA[fid].type.numeric:
                out[fid] = None
    return list(out)


def mutations(values: dict, fields: list[str]):
    """(name, values) for each checkable input +0.01, +1, blanked, ×10 (Decimal arithmetic: what a person types)."""
    for fid in fields:
        v = values.get(fid)
        step = Decimal(1) if SCHEMA[fid].type is FieldType.COUNT else Decimal("0.01")
        base = Decimal(str(v)) if v is not None else None
        for tag, new in (("p001", None if base is None else base + step), ("p1", None if base is None else base + 1),
                         ("blank", None), ("x10", None if base is None else base * 10)):
            if base is None and tag != "blank":
                new = Decimal(1) if tag == "p1" else None
                if new is None:
                    continue
            if base is None and tag == "blank":
                continue
            changed = dict(values)
            if new is None:
                changed.pop(fid, None)
            else:
                changed[fid] = new
            yield f"{fid}.{tag}", changed


def write(values: dict, path: Path, profile: str = "V1") -> Path:
    return build_template(path, profile=profile, values=values)
