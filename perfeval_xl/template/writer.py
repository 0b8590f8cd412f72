"""Schema → locked .xlsx template (openpyxl).

Everything placed here comes from the declarations: the fields and their
positions (``template.layout``), the live 应为/差异 cells (arithmetic rules)
and the 评分 sheet (indicator profiles).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Mapping

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from .. import __version__
from ..schema import SCHEMA, TEMPLATE_ID, TEMPLATE_TITLE, TEMPLATE_VERSION, Field, FieldType, col_letter
from .formulas import diff_formula, field_formula, reference, render, row_identity
from .layout import layout
from ..schema import precision
from ..schema.sheets.cover import DEFAULT_MONEY_UNIT
from ..schema.layout import IDENTITY_DIFF
from ..schema.values import to_cell
from .results_layout import findings_first_row
from .results_sheet import colour_inputs, status_conditions, status_row, write_native_block, write_verdict
from .styles import BORDER, FILL_BLOCK, FILL_DERIVED, FILL_HEADER, FILL_INPUT
from .protection import KEY_NAME, openpyxl_attributes
from .markers import ACTION_CELL, ACTIONS, NAME_ID, NAME_VERSION, PROP_GENERATOR, PROP_ID, PROP_PROFILE, PROP_VARIANT, PROP_VERSION

DEFAULT_PASSWORD = "perfeval"
PASSWORD_ENV = "PERFEVAL_PASSWORD"
DEFAULT_PROFILE = "V1"


FILL_BAD = PatternFill("solid", fgColor="FFC7CE")
FILL_ROUNDING = PatternFill("solid", fgColor="FFEB9C")
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)

NUMBER_FORMATS = {
    **precision.TEMPLATE_FORMATS,
    FieldType.COUNT: "0",
    FieldType.NUMBER: "#,##0.00",
    FieldType.DATE: "yyyy-mm-dd",
    FieldType.TEXT: "@",
    FieldType.LONGTEXT: "@",
    FieldType.ENUM: "@",
}



def password() -> str:
    return os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD


def _live_conditions(spec, ref: str, sheet_id: str | None) -> tuple[str, str]:
    """(red, yellow) conditional-format conditions of a 差异 cell, the engine's semantics in Excel.

    The tolerance counts only the filled figures, at the precision declared on 封面. With some
    parts blank (unknown), only a stated figure beyond the filled parts in the impossible
    direction is red; otherwise the identity is checked exactly.
    """
    tol = render(spec.tolerance, sheet_id)[1:] + "+1E-9"
    if spec.one_sided:
        bad, near = f"{ref}<-({tol})", f"{ref}<0"
    else:
        bad, near = f"ABS({ref})>{tol}", f"{ref}<>0"
    if not spec.blank_parts:
        return bad, near
    complete = render(spec.blank_parts, sheet_id)[1:] + "=0"
    partial_bad, partial_near = {"lower": (f"{ref}<-({tol})", f"{ref}<0"), "upper": (f"{ref}>{tol}", f"{ref}>0")}.get(
        spec.bound, ("FALSE", "FALSE"))
    return (f"OR(AND({complete},{bad}),AND(NOT({complete}),{partial_bad}))",
            f"OR(AND({complete},{near}),AND(NOT({complete}),{partial_near}))")


def _validation(f: Field) -> DataValidation:
    t = f.type
    decimals = f"，最多 {f.precision} 位小数" if t in (FieldType.MONEY, FieldType.NUMBER, FieldType.PERCENT) else ""
    lo = f.min
    if t is FieldType.ENUM:
        dv = DataValidation(type="list", formula1='"' + ",".join(f.choices) + '"', allow_blank=True)
        err = "请从下拉列表中选择：" + "、".join(f.choices)
    elif t in (FieldType.TEXT, FieldType.LONGTEXT):
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(f.max_length or 255), allow_blank=True)
        err = f"最多 {f.max_length or 255} 个字"
    elif t is FieldType.DATE:
        dv = DataValidation(type="date", operator="between", formula1="36526", formula2="73415", allow_blank=True)
        err = "请输入 2000-01-01 至 2100-12-31 之间的日期，格式如 2021-03-31"
    elif t is FieldType.COUNT:
        hi = f.max if f.max is not None else 1_000_000
        dv = DataValidation(type="whole", operator="between", formula1=str(lo if lo is not None else -1_000_000), formula2=str(hi), allow_blank=True)
        err = f"请输入 {lo if lo is not None else ''}~{hi} 之间的整数（{f.unit_label}）"
    else:
        scale = 100 if t is FieldType.PERCENT else 1
        lo_v = (lo / scale) if lo is not None else None
        hi_v = (f.max / scale) if f.max is not None else None
        if lo_v is not None and hi_v is not None:
            dv = DataValidation(type="decimal", operator="between", formula1=str(lo_v), formula2=str(hi_v), allow_blank=True)
            err = f"请输入 {lo}~{f.max} 之间的数{decimals}（{f.unit_label}）"
        elif lo_v is not None:
            dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1=str(lo_v), allow_blank=True)
            err = f"请输入不小于 {lo} 的数{decimals}（{f.unit_label}）"
        else:
            dv = DataValidation(type="decimal", operator="between", formula1="-1000000000", formula2="1000000000", allow_blank=True)
            err = f"请输入数字{decimals}（{f.unit_label}），减少填负数"
    dv.showInputMessage = True
    dv.showErrorMessage = True
    dv.errorStyle = "stop"
    dv.errorTitle = "输入有误"
    dv.error = f"{f.label}：{err}"[:255]
    dv.promptTitle = f.label[:32]
    unit = f"（{f.unit_label}）" if f.unit_label else ""
    dv.prompt = (f"{f.help}{unit}" if f.help else f"{f.type.label_zh}{unit}")[:255]
    return dv


def _style_label(cell, style: str) -> None:
    if style == "block":
        cell.font = Font(bold=True, size=12)
        cell.fill = FILL_BLOCK
    elif style == "header":
        cell.font = Font(bold=True)
        cell.fill = FILL_HEADER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
    elif style == "label" or style == "seq":
        cell.border = BORDER
        cell.alignment = Alignment(vertical="center", wrap_text=True, horizontal="center" if style == "seq" else "left")
    elif style == "unit":
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.font = Font(color="595959")
    elif style == "help":
        cell.font = Font(color="7F7F7F", size=9)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        cell.border = BORDER
    elif style == "check":
        cell.font = Font(italic=True, color="2F5597", size=10)
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def build_workbook(
    *,
    profile: str = DEFAULT_PROFILE,
    udf: bool = False,
    values: Mapping[str, object] | None = None,
    pwd: str | None = None,
) -> Workbook:
    lay = layout()
    pwd = pwd or password()
    wb = Workbook()
    wb.remove(wb.active)
    dept_ref = SCHEMA["dept.name"].defined_name
    for sheet in lay.sheets:
        sp = lay.placements[sheet.id]
        ws = wb.create_sheet(sheet.title)
        ws.sheet_properties.tabColor = "4472C4" if not sheet.placeholder else "A5A5A5"
        last_col = max(sp.widths) if sp.widths else 6
        ws["A1"] = sheet.heading
        ws["A1"].font = Font(bold=True, size=16)
        ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(last_col, 4))
        ws.row_dimensions[1].height = 30
        ws["A2"] = f'="填报单位："&IF({dept_ref}="","（请在封面填写）",{dept_ref})'
        # static text (the live-book reader finds the version here); the unit itself is declared on 封面
        ws.cell(2, max(last_col, 4)).value = f"金额单位：见封面（默认{DEFAULT_MONEY_UNIT}）　模板 v{TEMPLATE_VERSION}"
        ws.cell(2, max(last_col, 4)).alignment = Alignment(horizontal="right")
        for col, width in sp.widths.items():
            ws.column_dimensions[col_letter(col)].width = width
        for row, col, text, style in sp.labels:
            c = ws.cell(row, col)
            if text:
                c.value = text
                c.data_type = "s"  # help texts such as "= 年初 + 增加 − 减少" are prose, not formulas
                if style == "header" and len(text) > 7:
                    ws.row_dimensions[row].height = 30
                if style == "check" and len(text) > 16:
                    ws.row_dimensions[row].height = 15 * (1 + len(text) // 17)
            _style_label(c, style)
        if sheet.placeholder:
            ws["A4"] = sheet.placeholder
            ws["A4"].font = Font(italic=True, color="7F7F7F")
            ws.column_dimensions["A"].width = 60
        _protect(ws, pwd)
        ws.freeze_panes = "B3" if sheet.blocks and not any(hasattr(b, "n_rows") for b in sheet.blocks) else "A3"
        _print_setup(ws, landscape=last_col > 6)

    for f in SCHEMA.values():
        cell = lay.cell(f.id)
        ws = wb[lay.sheet_title(cell.sheet)]
        c = ws.cell(cell.row, cell.col)
        c.number_format = NUMBER_FORMATS[f.type]
        c.border = BORDER
        if f.is_input:
            c.protection = UNLOCKED
            c.fill = FILL_INPUT
            if f.type is FieldType.LONGTEXT:
                c.alignment = Alignment(wrap_text=True, vertical="top")
                ws.row_dimensions[cell.row].height = 120
            dv = _validation(f)
            ws.add_data_validation(dv)
            dv.add(c)
            wb.defined_names[f.defined_name] = DefinedName(f.defined_name, attr_text=lay.ref(f.id))
        else:
            c.value = render(field_formula(f.id), cell.sheet)
            c.protection = LOCKED
            c.fill = FILL_DERIVED
            if f.formula == IDENTITY_DIFF:  # coloured by the row's native check, like every 差异 cell
                rule, case = row_identity(f.id)
                bad, rounding = status_conditions(status_row(rule.id, case.stated))
                ref = c.coordinate
                ws.conditional_formatting.add(ref, FormulaRule(formula=[f"AND(ISNUMBER({ref}),{bad})"], fill=FILL_BAD, stopIfTrue=True))
                ws.conditional_formatting.add(ref, FormulaRule(formula=[f"AND(ISNUMBER({ref}),{rounding})"], fill=FILL_ROUNDING))

    for p in lay.checks:
        ws = wb[lay.sheet_title(p.expected_cell.sheet)]
        e = ws.cell(p.expected_cell.row, p.expected_cell.col)
        d = ws.cell(p.diff_cell.row, p.diff_cell.col)
        e.value = render(p.spec.expected, p.expected_cell.sheet)
        d.value = diff_formula(p)
        fmt = "0.00%" if p.spec.percent else NUMBER_FORMATS[SCHEMA[p.spec.stated].type]
        for x in (e, d):
            x.number_format = fmt
            x.fill = FILL_DERIVED
            x.border = BORDER
            x.protection = LOCKED
        ref = d.coordinate
        row = status_row(p.spec.rule_id, p.spec.stated)
        # a native check's colour is its 校验结果 status (one semantics); Python-only ones keep their own conditions
        bad, rounding = status_conditions(row) if row else _live_conditions(p.spec, ref, p.expected_cell.sheet)
        ws.conditional_formatting.add(ref, FormulaRule(formula=[f"AND(ISNUMBER({ref}),{bad})"], fill=FILL_BAD, stopIfTrue=True))
        ws.conditional_formatting.add(ref, FormulaRule(formula=[f"AND(ISNUMBER({ref}),{rounding})"], fill=FILL_ROUNDING))
        d.comment = Comment(f"差异 = 填报数 − 应为（规则 {p.spec.rule_id}）。红色：超出舍入范围；黄色：舍入差异。"
                            "空白分项按未知处理（不按 0）：有分项空白时只在合计小于已填分项时标红。", "perfeval")

    _scoring_sheet(wb, profile, udf, pwd)
    _findings_sheet(wb)
    colour_inputs(wb)
    write_verdict(wb)
    _metadata(wb, profile, udf)
    wb.security = WorkbookProtection(workbookPassword=pwd, lockStructure=True)
    # the button lifts and restores sheet protection with this (template/protection.py says why it may)
    wb.defined_names[KEY_NAME] = DefinedName(KEY_NAME, attr_text='"' + pwd.replace('"', '""') + '"', hidden=True)
    if values:
        fill_values(wb, values)
    wb.active = 0
    return wb


def _protect(ws, pwd: str) -> None:
    ws.protection.sheet = True
    ws.protection.password = pwd
    for attr, locked in openpyxl_attributes().items():  # declared in template/protection.py
        setattr(ws.protection, attr, locked)


def _print_setup(ws, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:2"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4


def _scoring_sheet(wb: Workbook, profile: str, udf: bool, pwd: str) -> None:
    ws = wb["评分"]
    try:
        from .scoring_sheet import write_scoring_sheet
    except ImportError:  # the indicators module is optional while it is being built
        return
    for rng in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(rng))
    for row in ws.iter_rows():
        for c in row:
            c.value = None
    write_scoring_sheet(ws, lambda fid: layout().ref(fid) if not SCHEMA[fid].is_input else SCHEMA[fid].defined_name, profile, udf=udf)
    _protect(ws, pwd)  # the plain password: ws.protection.password reads back only its hash


FINDINGS_HEADER = ("序号", "规则", "严重程度", "工作表", "单元格", "字段", "说明")


def _findings_sheet(wb: Workbook) -> None:
    from ..xl.marking import MARKS_COLUMN

    ws = wb["校验结果"]
    ws["A3"] = "按钮动作"
    ws["A3"].font = Font(bold=True)
    # The add-in has one ribbon callback; this switch lets the same button take its marks off again.
    ws[ACTION_CELL] = ACTIONS[0]
    ws[ACTION_CELL].protection = UNLOCKED
    ws[ACTION_CELL].fill = FILL_INPUT
    ws[ACTION_CELL].border = BORDER
    dv = DataValidation(type="list", formula1='"' + ",".join(ACTIONS) + '"', allow_blank=False)
    dv.promptTitle = "按钮动作"
    dv.prompt = "选“校验”：点击校验按钮进行校验；选“清除标记”：点击校验按钮清除上次的标记并恢复原有底色"
    dv.error = "请从下拉列表选择：校验 或 清除标记"
    dv.errorTitle = "输入有误"
    dv.showInputMessage = dv.showErrorMessage = True
    ws.add_data_validation(dv)
    dv.add(ACTION_CELL)
    ws.column_dimensions[MARKS_COLUMN].hidden = True
    ws["A4"] = "其余校验（结构、防篡改、安全等）尚未运行：请点击“绩效评价 → 校验”按钮，或由财政局运行 perfeval check。"
    # the button writes the verdict here with both counts: wrapped over the printed columns, never past them
    ws["A4"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A4:G4")
    ws.row_dimensions[4].height = 33
    write_native_block(wb, render, lambda c: _style_label(c, "header"))
    first = findings_first_row()
    from ..outputs.listing import NOT_RUN, SUPPLEMENT_TITLE

    ws.cell(first - 2, 1, SUPPLEMENT_TITLE + NOT_RUN).font = Font(bold=True)
    for i, h in enumerate(FINDINGS_HEADER, start=1):
        c = ws.cell(first - 1, i, h)
        _style_label(c, "header")
    for col, width in zip("ABCDEFG", (9, 10, 10, 14, 10, 28, 80)):
        ws.column_dimensions[col].width = width
    # the generic heading spans A…D and puts the version in D2; this sheet is seven columns wide
    for rng in [r for r in ws.merged_cells.ranges if r.min_row == 1]:
        ws.unmerge_cells(str(rng))
    ws.merge_cells("A1:G1")
    version = ws["D2"].value
    ws["D2"] = None
    ws["G2"] = version
    ws["G2"].alignment = Alignment(horizontal="right")
    ws.page_setup.orientation = "landscape"


def _metadata(wb: Workbook, profile: str, udf: bool) -> None:
    props = wb.custom_doc_props
    for name, value in (
        (PROP_ID, TEMPLATE_ID),
        (PROP_VERSION, TEMPLATE_VERSION),
        (PROP_PROFILE, getattr(profile, "id", profile)),  # an imported Profile is named by its id
        (PROP_VARIANT, "udf" if udf else "native"),
        (PROP_GENERATOR, f"perfeval-xl {__version__}"),
    ):
        props.append(StringProperty(name=name, value=value))
    wb.defined_names[NAME_VERSION] = DefinedName(NAME_VERSION, attr_text=f'"{TEMPLATE_VERSION}"', hidden=True)
    wb.defined_names[NAME_ID] = DefinedName(NAME_ID, attr_text=f'"{TEMPLATE_ID}"', hidden=True)
    wb.properties.title = TEMPLATE_TITLE
    wb.properties.creator = "perfeval-xl"
    # Fixed timestamps keep the generated file reproducible (the committed template is checked for staleness).
    stamp = dt.datetime(2026, 1, 1)
    wb.properties.created = stamp
    wb.properties.modified = stamp


def fill_values(wb: Workbook, values: Mapping[str, object]) -> None:
    """Write typed values (already validated) into their input cells."""
    lay = layout()
    for fid, value in values.items():
        f = SCHEMA[fid]
        cell = lay.cell(fid)
        c = wb[lay.sheet_title(cell.sheet)].cell(cell.row, cell.col)
        v = to_cell(f, value)
        if isinstance(v, str):
            c.value = v
            c.data_type = "s"  # never let a leading "=" become a live formula
        else:
            c.value = v


def build_template(
    path: Path | str,
    *,
    profile: str = DEFAULT_PROFILE,
    udf: bool = False,
    year: int | None = None,
    dept: str | None = None,
    values: Mapping[str, object] | None = None,
) -> Path:
    """Write the template (optionally prefilled) to ``path``."""
    prefill = dict(values or {})
    if year is not None:
        prefill["report.year"] = year
    if dept:
        prefill["dept.name"] = dept
    wb = build_workbook(profile=profile, udf=udf, values=prefill)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    _normalise_zip(path)
    return path


def _normalise_zip(path: Path) -> None:
    """Give every zip member a fixed timestamp so regenerating the template gives identical bytes."""
    import zipfile

    tmp = path.with_suffix(path.suffix + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", data)
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            dst.writestr(zi, data)
    os.replace(tmp, path)
