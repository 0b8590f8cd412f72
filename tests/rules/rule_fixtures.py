"""Helpers for the rule cases: the consistent baseline, and workbooks tampered with on demand.

Workbook mutations (for the STR rules) start from the template filled with the
baseline, so a mutated file differs from a clean, consistent submission only by
the tampering under test. Each mutation is built once per session.
"""

from __future__ import annotations

import re

import zipfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "cases"
BASELINE_PATH = HERE / "baseline.yml"


def load_baseline() -> dict:
    return yaml.safe_load(BASELINE_PATH.read_text(encoding="utf-8"))


def merged(changes: dict | None) -> dict:
    """The baseline with a case's ``fields:`` laid over it (``null`` blanks a cell)."""
    raw = load_baseline()
    raw.update(changes or {})
    return raw


# -- workbook mutations ------------------------------------------------------------------------


def _check_cell(spec: str):
    """The 应为 cell of the first live check of a rule (``SUM001``) or the cell of a derived field."""
    from perfeval_xl.schema import SCHEMA
    from perfeval_xl.template.layout import layout

    lay = layout()
    if spec in SCHEMA:
        c = lay.cell(spec)
        return lay.sheet_title(c.sheet), c.address
    p = next(p for p in lay.checks if p.spec.rule_id == spec)
    return lay.sheet_title(p.expected_cell.sheet), p.expected_cell.address


def _set_property(wb, name: str, value: str | None) -> None:
    from openpyxl.packaging.custom import StringProperty

    props = [p for p in wb.custom_doc_props.props if p.name != name]
    wb.custom_doc_props.props = props
    if value is not None:
        wb.custom_doc_props.append(StringProperty(name=name, value=value))


def _set_version(wb, version: str | None) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    from perfeval_xl.template.markers import NAME_VERSION, PROP_VERSION

    _set_property(wb, PROP_VERSION, version)
    if NAME_VERSION in wb.defined_names:
        del wb.defined_names[NAME_VERSION]
    if version is not None:
        wb.defined_names[NAME_VERSION] = DefinedName(NAME_VERSION, attr_text=f'"{version}"', hidden=True)


def openpyxl_mutation(kind: str, arg: str, src: Path, dst: Path) -> None:
    from openpyxl import Workbook, load_workbook

    if kind == "plain_workbook":  # an ordinary workbook someone made by hand
        wb = Workbook()
        wb.active["A1"] = "部门整体支出绩效评价基础数据表"
        wb.save(dst)
        return
    wb = load_workbook(src)
    if kind == "resave":
        pass
    elif kind == "delete_sheet":
        del wb[arg]
    elif kind == "hide_sheet":
        wb[arg].sheet_state = "hidden"
    elif kind == "very_hide_sheet":
        wb[arg].sheet_state = "veryHidden"
    elif kind == "unprotect_sheet":
        wb[arg].protection.sheet = False
    elif kind == "unlock_structure":
        wb.security.lockStructure = False
    elif kind == "add_sheet":
        wb.create_sheet(arg)["A1"] = "草稿"
    elif kind == "delete_name":
        del wb.defined_names[arg]
    elif kind == "break_name":
        wb.defined_names[arg].attr_text = "#REF!"
    elif kind == "insert_rows":  # "收入支出@21+2": unprotect the sheet, insert 2 rows above row 21, names move along
        title, _, where = arg.partition("@")
        at, n = (int(x) for x in where.split("+"))
        ws = wb[title]
        ws.protection.sheet = False
        ws.insert_rows(at, n)
        prefix = f"'{title}'!"
        for dn in wb.defined_names.values():
            if dn.attr_text.startswith(prefix):
                col, row = re.fullmatch(r"(\$?[A-Z]+\$?)(\d+)", dn.attr_text[len(prefix):]).groups()
                dn.attr_text = f"{prefix}{col}{int(row) + n if int(row) >= at else row}"
    elif kind == "move_name":
        name, target = arg.split("=>")
        wb.defined_names[name].attr_text = target
    elif kind in ("input_formula", "input_error"):  # what an input cell holds instead of a typed value
        name, value = arg.split("=", 1)
        sheet, address = next(iter(wb.defined_names[name].destinations))
        wb[sheet][address.replace("$", "")].value = value  # openpyxl stores "=…" as a formula and "#REF!" as an error
    elif kind in ("overwrite_formula", "change_formula"):
        sheet, address = _check_cell(arg)
        wb[sheet][address].value = 123.45 if kind == "overwrite_formula" else "=1+1"
    elif kind == "version":
        _set_version(wb, arg or None)
    elif kind == "set_names":  # type into named cells: "score_e01_given=30;score_e01_reason=资产账实不符"
        for pair in arg.split(";"):
            name, _, text = pair.partition("=")
            (sheet, coord), = list(wb.defined_names[name].destinations)
            wb[sheet][coord.replace("$", "")].value = float(text) if re.fullmatch(r"-?\d+(\.\d+)?", text) else text
    elif kind == "template_id":
        from perfeval_xl.template.markers import NAME_ID, PROP_ID

        _set_property(wb, PROP_ID, arg)
        del wb.defined_names[NAME_ID]
    else:
        raise ValueError(f"unknown mutation {kind!r}")
    wb.save(dst)


def zip_mutation(kind: str, arg: str, src: Path, dst: Path) -> bool:
    data = src.read_bytes()
    if kind == "not_a_zip":
        dst.write_text("部门,支出\n办公室,1641.81\n", encoding="utf-8")
    elif kind == "truncated":
        dst.write_bytes(data[: len(data) // 3])
    elif kind == "ole_header":  # what an encrypted .xlsx or a legacy .xls starts with
        dst.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    elif kind == "missing_file":
        pass
    elif kind == "corrupt_sheet":  # a sheet whose cells point at shared strings that do not exist
        from perfeval_xl.readers.workbook import read_workbook

        index = read_workbook(src, with_formulas=False).sheet_names.index(arg) + 1
        member = f"xl/worksheets/sheet{index}.xml"
        with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
            for info in zi.infolist():
                body = zi.read(info.filename)
                if info.filename == member:
                    body = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' \
                           b'<row r="1"><c r="A1" t="s"><v>99999</v></c></row></sheetData></worksheet>'
                zo.writestr(info, body)
    else:
        return False
    return True
