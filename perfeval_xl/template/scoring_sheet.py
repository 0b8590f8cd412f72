"""The 评分 sheet: one row per indicator of a profile, computed in place.

Every formula is generated from the indicator declarations and the profile's
rule objects (``perfeval_xl.indicators``), so the sheet computes what
``perfeval_xl.indicators.score`` computes. Native formulas use only functions
Excel, WPS and LibreOffice 7.4 share (IF, AND, OR, COUNT, COUNTA, ISNUMBER,
ROUND, INT, MIN, MAX, MID, TEXT, CHOOSE, SUM). With ``udf=True`` the value,
score, explanation and grade cells call the xlwings functions of
``perfeval_xl.xl.udfs`` instead.

Rows the profile leaves to the evaluator (no computed indicator) have two
inputs, 评价组得分 (validated 0 … 分值) and 扣分理由; their score and note are
formulas over those inputs, like ``indicators.engine.evaluator_item``. The
total and the grade appear only when every row is scored and the rows cover
100 points; otherwise the total note reads "已评 X / 100 分，尚有 N 项待评".

Defined names (workbook scope, for tests, the 校验 button and the reader):
``score_<code>_value``, ``score_<code>_score``, ``score_<code>_note`` (code in
lower case), ``score_<key>_given`` and ``score_<key>_reason`` for evaluator rows
(key e01, e02 …), ``score_total``, ``score_max``, ``score_grade``,
``score_total_note``, ``score_scored`` (已评分值), ``score_pending`` (待评项数).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Callable

from openpyxl.formatting.rule import FormulaRule
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from openpyxl.styles import Protection

from .styles import BORDER, FILL_DERIVED, FILL_HEADER, FILL_INPUT
from ..indicators.engine import at_least_text, not_applicable_text, resolve
from ..indicators.expr import excel_str
from ..indicators.indicator import NOT_APPLICABLE, Indicator, render
from ..indicators.profile import Profile, ProfileItem
from ..indicators.scoring_rules import X_DIGITS, excel_x, n, xl

Ref = Callable[[str], str]

FILL_LEVEL = PatternFill("solid", fgColor="EDF2F9")
FILL_RESULT = PatternFill("solid", fgColor="E2EFDA")
FILL_TOTAL = PatternFill("solid", fgColor="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

FIRST_ROW = 5  # rows 1–3: title, profile, source; row 4: header

# (key, header, width); the scored layout adds weight, rule and score columns.
SCORED_COLUMNS = (
    ("level", "一级指标", 12), ("group", "二级指标", 14), ("name", "三级指标", 24), ("points", "分值", 7),
    ("formula", "指标解释（计算公式）", 40), ("rule", "评分标准", 34), ("value", "指标值", 15),
    ("score", "得分", 8), ("note", "评分说明", 54), ("given", "评价组得分", 10), ("reason", "扣分理由", 36),
)
from ..indicators.scoring_sheet_names import EVALUATOR_VALUE, PROFILE_NAME  # noqa: E402
VALUE_COLUMNS = (
    ("level", "一级指标", 10), ("group", "二级指标", 12), ("name", "三级指标", 24),
    ("formula", "指标解释（计算公式）", 48), ("value", "指标值", 15), ("note", "说明", 60),
)


def name_for(code: str, what: str) -> str:
    """Workbook-scoped defined name of an indicator cell: ``score_staff_control_value``."""
    return f"score_{code.lower()}_{what}"


UNLOCKED = Protection(locked=False)
_GIVEN_COL = next(i for i, (key, _, _) in enumerate(SCORED_COLUMNS, start=1) if key == "given")  # 扣分理由 is the next column


def write_scoring_sheet(ws: Worksheet, ref: Ref, profile_id: str | Profile, udf: bool = False, *, udf_prefix: str = "") -> None:
    """Fill the empty 评分 sheet ``ws`` for a profile (its id, or an imported ``Profile``).

    ``ref(field_id)`` returns how a formula on this sheet refers to an input
    (an absolute reference such as ``'人员与机构'!$B$12`` or a defined name).
    ``udf_prefix`` is put before the UDF names (e.g. ``"XLWINGS."`` for an
    Office.js namespace); the classic add-in needs none.
    """
    profile = resolve(profile_id)
    columns = SCORED_COLUMNS if profile.scored else VALUE_COLUMNS
    col = {key: i + 1 for i, (key, _, _) in enumerate(columns)}
    last = len(columns)
    letter = {key: get_column_letter(i) for key, i in col.items()}

    _header(ws, profile, columns, udf)
    rows = list(profile.rows())
    evaluator_cells = []
    for offset, (level, group, item) in enumerate(rows):
        r = FIRST_ROW + offset
        cells = {k: ws.cell(r, c) for k, c in col.items()}
        cells["name"].value = item.title
        if item.computed:
            _computed_row(ws, profile, item, cells, letter, r, ref, udf, udf_prefix)
        else:
            _evaluator_row(ws, item, cells, letter, r)
            evaluator_cells.append((item, f"{letter['given']}{r}"))
        for key, c in cells.items():
            c.border = BORDER
            c.alignment = CENTER if key in ("points", "value", "score", "given") else WRAP
        for key in ("value", "score", "note"):
            if key in cells:
                cells[key].fill = FILL_RESULT
        for key in ("given", "reason"):
            if key in cells:
                cells[key].fill = FILL_DERIVED if item.computed else FILL_INPUT
        ws.row_dimensions[r].height = _height(
            (item.title, columns[col["name"] - 1][2]),
            (str(cells["formula"].value or ""), columns[col["formula"] - 1][2]),
            (cells["rule"].value if profile.scored else "", columns[col.get("rule", 1) - 1][2]),
            ("x" * 100, columns[col["note"] - 1][2]),  # explanations run to about 50 characters
        )

    end = FIRST_ROW + len(rows) - 1
    _merge_levels(ws, profile, col)
    if profile.scored:
        _validations(ws, evaluator_cells)
        _totals(ws, profile, letter, col, end)
        notes_row = end + 3
    else:
        notes_row = end + 1
    _notes(ws, profile, notes_row, last)
    _embed(ws, profile, last)
    _conditional(ws, letter, end)
    for i, (_, _, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.print_title_rows = f"{FIRST_ROW - 1}:{FIRST_ROW - 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _computed_row(ws, profile: Profile, item: ProfileItem, cells, letter, r: int, ref: Ref, udf: bool, prefix: str) -> None:
    ind = item.indicator
    cells["formula"].value = ind.formula_text
    value_cell = f"{letter['value']}{r}"
    cells["value"].value = _udf_value(ind, ref, prefix) if udf else "=" + render(ind.value_formula(), ref)
    cells["value"].number_format = ind.number_format
    if profile.scored:
        cells["points"].value = _number(item.points)
        cells["rule"].value = item.rule.describe(item.points, ind)
        score_cell = f"{letter['score']}{r}"
        if udf:
            cells["score"].value = "=" + _at_least_guard(
                item, value_cell, ref, "0", f'{prefix}PE_SCORE("{ind.code}",{value_cell},"{profile.id}")')
            # PE_EXPLAIN sees every input, so it states the lower bound itself
            cells["note"].value = _udf_call(prefix, "PE_EXPLAIN", (f'"{ind.code}"', f'"{profile.id}"'), ind, ref)
        else:
            cells["score"].value = "=" + score_formula(item, value_cell, ref)
            cells["note"].value = "=" + note_formula(item, value_cell, score_cell, ref)
        cells["score"].number_format = "0.00"
        _name(ws, name_for(ind.code, "score"), score_cell)
    elif udf:
        cells["note"].value = _udf_call(prefix, "PE_EXPLAIN", (f'"{ind.code}"', f'"{profile.id}"'), ind, ref)
    else:
        cells["note"].value = "=" + value_note_formula(ind, value_cell, ref)
    _name(ws, name_for(ind.code, "value"), value_cell)
    _name(ws, name_for(ind.code, "note"), f"{letter['note']}{r}")


def _evaluator_row(ws, item: ProfileItem, cells, letter, r: int) -> None:
    given, reason = f"{letter['given']}{r}", f"{letter['reason']}{r}"
    cells["formula"].value = item.explanation or "由评价组评分"
    cells["rule"].value = item.criteria or "由评价组按评价标准评分"
    cells["points"].value = _number(item.points)
    cells["value"].value = EVALUATOR_VALUE
    cells["score"].value = "=" + evaluator_score_formula(item, given)
    cells["score"].number_format = "0.00"
    cells["note"].value = "=" + evaluator_note_formula(item, given, reason)
    for key in ("given", "reason"):
        cells[key].protection = UNLOCKED
    cells["given"].number_format = "0.00"
    key = item.key.lower()
    for what, cell in (("given", given), ("reason", reason), ("score", f"{letter['score']}{r}"), ("note", f"{letter['note']}{r}")):
        _name(ws, f"score_{key}_{what}", cell)


def _validations(ws: Worksheet, evaluator_cells) -> None:
    """得分 between 0 and the row's 分值 (rows of equal weight share one rule); 扣分理由 as text with a prompt."""
    if evaluator_cells:
        why = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="1000", allow_blank=True)
        why.promptTitle = "扣分理由"
        why.prompt = "得分低于分值时必须写明扣分理由（如：资产账实不符，扣 3 分）"
        why.errorTitle = "输入有误"
        why.error = "扣分理由不超过 1000 字"
        why.showInputMessage = why.showErrorMessage = True
        ws.add_data_validation(why)
        for _item, cell in evaluator_cells:
            why.add(cell.replace(get_column_letter(_GIVEN_COL), get_column_letter(_GIVEN_COL + 1), 1))
    by_points: dict = {}
    for item, cell in evaluator_cells:
        by_points.setdefault(item.points, []).append(cell)
    for points, cells in by_points.items():
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2=xl(points), allow_blank=True)
        dv.promptTitle = "评价组得分"
        dv.prompt = f"填写 0 至 {n(points)} 分；低于满分时须在右侧填写扣分理由"
        dv.errorTitle = "输入有误"
        dv.error = f"得分应在 0 至 {n(points)} 分之间"
        dv.showInputMessage = dv.showErrorMessage = True
        ws.add_data_validation(dv)
        for c in cells:
            dv.add(c)


def _number(x):
    return float(x) if x % 1 else int(x)


# -- formulas (templates over the sheet's own cells; inputs through ``ref``) -------------------


def _at_least_guard(item: ProfileItem, value_cell: str, ref: Ref, then: str, body: str, text: bool = False) -> str:
    """``body``, or ``then`` when the value is blank but its lower bound already scores 0."""
    ind = item.indicator
    bound = ind.at_least_formula()
    if bound is None:
        return body
    bound = render(bound, ref)
    xp = f"ROUND(({bound})*{'100' if ind.scale == 100 else '1'},{X_DIGITS})"
    cond = item.rule.excel_zero_from(xp, item.points, ind)
    if cond is None:
        return body
    if text:
        pre, post = at_least_text(ind, Decimal("0")).split(ind.format_value(Decimal("0")), 1)
        then = f"{excel_str(pre)}&{ind.format_formula(f'({bound})')}&{excel_str(post)}"
    return f'IF(AND({value_cell}="",ISNUMBER({bound})),IF({cond},{then},{body}),{body})'


def score_formula(item: ProfileItem, value_cell: str, ref: Ref | None = None) -> str:
    ind, w = item.indicator, xl(item.points)
    body = item.rule.excel_score(excel_x(value_cell, ind), item.points, ind)
    out = f'IF({value_cell}="{NOT_APPLICABLE}",{w},IF({value_cell}="","",{body}))'
    return _at_least_guard(item, value_cell, ref, "0", out) if ref else out


def note_formula(item: ProfileItem, value_cell: str, score_cell: str, ref: Ref) -> str:
    ind = item.indicator
    na = excel_str(f"{not_applicable_text(ind)}，得满分 {n(item.points)} 分")
    reason = render(ind.reason_formula(), ref)
    body = item.rule.excel_explain(value_cell, excel_x(value_cell, ind), score_cell, item.points, ind)
    out = f'IF({value_cell}="{NOT_APPLICABLE}",{na},IF({value_cell}="",{reason},{body}))'
    return _at_least_guard(item, value_cell, ref, "", out, text=True)


def value_note_formula(ind: Indicator, value_cell: str, ref: Ref) -> str:
    na = excel_str(not_applicable_text(ind))
    reason = render(ind.reason_formula(), ref)
    body = f"{excel_str(ind.title + ' ')}&{ind.format_formula(value_cell)}"
    return f'IF({value_cell}="{NOT_APPLICABLE}",{na},IF({value_cell}="",{reason},{body}))'


def evaluator_score_formula(item: ProfileItem, given: str) -> str:
    return f'IF(ISNUMBER({given}),IF(AND({given}>=0,{given}<={xl(item.points)}),{given},""),"")'


def evaluator_note_formula(item: ProfileItem, given: str, reason: str) -> str:
    """The text of ``engine.evaluator_item`` (TRIM there is ``engine.trim``)."""
    full, p = n(item.points), xl(item.points)
    s = f"ROUND({given},2)"
    why = f"TRIM({reason})"
    scored = (
        f'"评价组评分 "&{s}&" 分"&IF({given}<{p},'
        f'IF({why}="","（未填写扣分理由）","，扣分理由："&{why}),'
        f'IF({why}="","（满分）","（满分），说明："&{why}))'
    )
    return (
        f'IF(NOT(ISNUMBER({given})),{excel_str(f"待评价组评分（满分 {full} 分）")},'
        f'IF(OR({given}<0,{given}>{p}),"评价组得分 "&{s}&{excel_str(f" 超出 0–{full} 分，需更正")},{scored}))'
    )


def grade_formula(total_cell: str, profile: Profile) -> str:
    s = f"ROUND({total_cell},{X_DIGITS})"  # like engine: the total as printed
    out = excel_str(profile.lowest_grade)
    for bound, g in reversed(profile.grades):
        out = f'IF({s}>={xl(bound)},{excel_str(g)},{out})'
    return f'IF({total_cell}="","",{out})'


def _udf_call(prefix: str, func: str, head: tuple[str, ...], ind: Indicator, ref: Ref) -> str:
    return f"={prefix}{func}(" + ",".join(head + tuple(ref(f) for f in ind.inputs)) + ")"


def _udf_value(ind: Indicator, ref: Ref, prefix: str) -> str:
    return _udf_call(prefix, "PE_INDICATOR", (f'"{ind.code}"',), ind, ref)


# -- layout pieces ----------------------------------------------------------------------


def _header(ws: Worksheet, profile: Profile, columns, udf: bool) -> None:
    last = len(columns)
    ws.cell(1, 1, "部门整体支出绩效评价指标评分表").font = Font(bold=True, size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.cell(2, 1, f"评分方案：{profile.id}　{profile.name}").font = Font(bold=True)
    how = "计算指标由 xlwings 函数（PE_*）计算" if udf else "计算指标由公式自动计算"
    ask = "；评价组评分的指标请在浅黄色格填写得分（低于满分须填扣分理由）" if profile.evaluator_items else ""
    ws.cell(3, 1, f"依据：{profile.source}。本表{how}，请在前面各表填写数据{ask}。").font = Font(color="595959")
    for r in (1, 2, 3):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last)
    ws.cell(3, 1).alignment = WRAP
    ws.row_dimensions[3].height = 30
    for i, (_, title, _) in enumerate(columns, start=1):
        c = ws.cell(FIRST_ROW - 1, i, title)
        c.font = Font(bold=True)
        c.fill = FILL_HEADER
        c.border = BORDER
        c.alignment = CENTER
    ws.row_dimensions[FIRST_ROW - 1].height = 22


def _merge_levels(ws: Worksheet, profile: Profile, col: dict[str, int]) -> None:
    r = FIRST_ROW
    for level in profile.levels:
        level_start = r
        for group in level.groups:
            n_rows = len(group.items)
            _span(ws, col["group"], r, r + n_rows - 1, _with_points(group.name, group.points))
            r += n_rows
        _span(ws, col["level"], level_start, r - 1, _with_points(level.name, level.points))


def _with_points(name: str, points) -> str:
    return name if points is None else f"{name}（{n(points)}分）"


def _span(ws: Worksheet, column: int, top: int, bottom: int, text: str) -> None:
    c = ws.cell(top, column, text)
    if bottom > top:
        ws.merge_cells(start_row=top, start_column=column, end_row=bottom, end_column=column)
    c.alignment = CENTER
    c.fill = FILL_LEVEL
    c.font = Font(bold=True)
    for r in range(top, bottom + 1):
        ws.cell(r, column).border = BORDER


def _totals(ws: Worksheet, profile: Profile, letter: dict[str, str], col: dict[str, int], end: int) -> None:
    total_row, grade_row = end + 1, end + 2
    first, k = FIRST_ROW, end - FIRST_ROW + 1
    scores = f"{letter['score']}{first}:{letter['score']}{end}"
    points = f"{letter['points']}{first}:{letter['points']}{end}"
    total = f"{letter['score']}{total_row}"
    grade = f"{letter['score']}{grade_row}"
    max_cell = f"{letter['points']}{total_row}"
    scored_cell = f"{letter['given']}{total_row}"
    pending_cell = f"{letter['given']}{grade_row}"
    full = xl(profile.full_marks)

    for row, label in ((total_row, "合计"), (grade_row, "评价等级")):
        ws.cell(row, 1, label)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=col["name"])
        for c in range(1, len(SCORED_COLUMNS) + 1):
            cell = ws.cell(row, c)
            cell.border = BORDER
            cell.fill = FILL_TOTAL
            cell.font = Font(bold=True)
            cell.alignment = CENTER if c < col["note"] else WRAP
    ws[max_cell] = f"=SUM({points})"
    ws[scored_cell] = f"=SUMPRODUCT(ISNUMBER({scores})*{points})"
    ws[pending_cell] = f"={k}-COUNT({scores})"
    ws[f"{letter['reason']}{total_row}"] = "← 已评分值"
    ws[f"{letter['reason']}{grade_row}"] = "← 待评项数"
    ws[total] = f'=IF(AND(COUNT({scores})={k},{max_cell}={full}),SUM({scores}),"")'
    ws[total].number_format = "0.00"
    ws[grade] = "=" + grade_formula(total, profile)
    done = f'"总分 "&ROUND({total},2)&" 分，评价等级："&{grade}'
    progress = f'"已评 "&ROUND({scored_cell},2)&{excel_str(f" / {n(profile.full_marks)} 分，尚有 ")}&{pending_cell}&" 项待评"'
    ws.cell(total_row, col["note"]).value = f'=IF({total}="",{progress},{done})'
    ws.cell(grade_row, col["note"], f"全部指标评分且合计 {n(profile.full_marks)} 分时评定：{profile.grade_text()}")
    ws.row_dimensions[total_row].height = 36
    ws.row_dimensions[grade_row].height = 24
    for nm, cell in (("total", total), ("max", max_cell), ("grade", grade), ("total_note", f"{letter['note']}{total_row}"),
                     ("scored", scored_cell), ("pending", pending_cell)):
        _name(ws, f"score_{nm}", cell)


def _notes(ws: Worksheet, profile: Profile, row: int, last: int) -> None:
    if not profile.notes:
        return
    c = ws.cell(row, 1, "说明：" + profile.notes)
    c.alignment = Alignment(wrap_text=True, vertical="top")
    c.font = Font(color="595959", size=10)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
    width = sum(ws.column_dimensions[get_column_letter(i)].width or 10 for i in range(1, last + 1)) or 100
    ws.row_dimensions[row].height = 15 * max(2, _lines(c.value, 120 if width < 120 else width))




def _embed(ws: Worksheet, profile: Profile, last: int) -> None:
    """An imported profile travels inside the workbook (a hidden cell), so scoring needs no extra file."""
    from ..indicators import PROFILES

    if profile.id in PROFILES or profile.data is None:
        return
    import yaml

    column = last + 6  # right of the 复核 columns the 校验 button writes
    cell = ws.cell(1, column, yaml.safe_dump(dict(profile.data), allow_unicode=True, sort_keys=False))
    ws.column_dimensions[get_column_letter(column)].hidden = True
    _name(ws, PROFILE_NAME, cell.coordinate)


def _conditional(ws: Worksheet, letter: dict[str, str], end: int) -> None:
    note = f"{letter['note']}{FIRST_ROW}:{letter['note']}{end}"
    first = f"{letter['note']}{FIRST_ROW}"
    ws.conditional_formatting.add(note, FormulaRule(formula=[f'LEFT({first},4)="无法计算"'], font=Font(color="C00000")))
    if "score" in letter:
        score = f"{letter['score']}{FIRST_ROW}:{letter['score']}{end}"
        s, p = f"{letter['score']}{FIRST_ROW}", f"{letter['points']}{FIRST_ROW}"
        ws.conditional_formatting.add(
            score, FormulaRule(formula=[f"AND(ISNUMBER({s}),{s}<{p})"], fill=PatternFill("solid", fgColor="FFEB9C"))
        )


def _name(ws: Worksheet, name: str, cell: str) -> None:
    col = "".join(ch for ch in cell if ch.isalpha())
    row = cell[len(col):]
    title = ws.title.replace("'", "''")
    ws.parent.defined_names[name] = DefinedName(name, attr_text=f"'{title}'!${col}${row}")


def _lines(text: str, width: float) -> int:
    """Wrapped line count: a Chinese character takes two width units."""
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text or ""))
    return max(1, math.ceil(units / max(1.0, width - 1)))


def _height(*texts: tuple[str, float]) -> float:
    return 15 * max(_lines(t, w) for t, w in texts) + 4
