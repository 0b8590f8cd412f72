"""VAL: one cell at a time — is what the accountant typed a valid value of its field?

The problems come from ``values.coerce`` (what a cell holds versus the field's
type) and from the field's declared bounds, precision and choices. A field with
a VAL finding is *blocked*: identities that read it are skipped, so the root
cause is reported once (anchors.md §1, "block cascades").

Also here: RATE011, the one identity that is a bound on a single figure
(domain.md I11: a decrease can never exceed 100 %).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..schema import INPUTS, SCHEMA, FieldType, precision
from ..schema.sheets.expenses import GAP_SIGN
from ..schema.values import Problem, coerce, is_blank
from .base import CheckRule, Severity

E, W = Severity.ERROR, Severity.WARNING
# every stated decrease rate: a percent that may go down to −100 % and no further
CHANGE_RATE_FIELDS = tuple(fid for fid, f in SCHEMA.items() if f.type is FieldType.PERCENT and f.min == Decimal(-100))
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits
MAGNITUDE = Decimal(10) ** 15  # beyond this no figure of the form is exact to the cent: a typing accident
DATE_MIN, DATE_MAX = dt.date(2000, 1, 1), dt.date(2100, 12, 31)  # the template's data validation


def _rule(id, slug, title, rationale, severity, message, fields=()):
    return CheckRule(id=id, slug=slug, title=title, rationale=rationale, severity=severity, message=message, fields=tuple(fields))


VAL001 = _rule(
    "VAL001", "required-field-blank", "必填项未填写",
    "封面信息、年初预算数、本年收入合计、本年支出合计等是识别部门和核对其余数字的前提；"
    "模板中标为必填（Field.required）的单元格不能为空。",
    E, "{label}为必填项，尚未填写",
)
VAL002 = _rule(
    "VAL002", "text-in-number-cell", "数字单元格中填了文字",
    "金额、人数、百分比单元格只能是数值：Excel 的求和与本工具的核对都会把文字当作 0，"
    "使合计、比率全部失真（PerfectXL“numeric text in calculations”；pandera wrong_dtype）。",
    E, "{label}应填{kind}，实际填写的是{what}“{shown}”",
)
VAL003 = _rule(
    "VAL003", "number-stored-as-text", "数字以文本形式存储",
    "形如“1,234.50”“'56”的文本看起来是数字，但 Excel 公式（SUM、N）按 0 计算，模板的“应为/差异”随之出错"
    "（frictionless PR #923：xlsx 中以字符串存储的整数）。",
    E, "{label}的“{shown}”是以文本形式存储的数字，Excel 公式会按 0 计算；请清除单元格后直接输入数值",
)
VAL004 = _rule(
    "VAL004", "formula-left-as-text", "公式以文本形式留在单元格中",
    "以“=”开头的文本说明单元格是文本格式，公式没有计算；单元格中看到的不是数值。",
    E, "{label}中是未计算的公式文本“{shown}”（单元格为文本格式）；请直接输入数值或文字",
)
VAL005 = _rule(
    "VAL005", "negative-not-allowed", "填了不允许的负数",
    "支出、人数、资产等只能为非负数；“本年减少”“追减”等栏目按正数填列、由公式相减（XBRL US 数据质量规则 DQC_0015 负值规则）。",
    E, "{label}不能为负数，实际为 {shown}{hint}",
)
VAL006 = _rule(
    "VAL006", "value-out-of-range", "数值超出允许范围",
    "字段声明了上下限（如评价年度 2000–2100、日期 2000-01-01 至 2100-12-31），超出即为录入错误；"
    "任何数值的绝对值都应小于 10 的 15 次方（Excel 只保存 15 位有效数字）。",
    E, "{label}为 {shown}，超出允许范围（{bounds}）",
)
VAL007 = _rule(
    "VAL007", "too-many-decimals", "小数位数超过规定",
    "金额按封面声明的小数位数（默认两位）填写，百分比至少保留封面声明的位数（默认两位）；位数更多说明粘贴了未舍入的计算结果或单位用错（元/万元）。"
    "按 XBRL Calculations 1.1 的 excessDigits 处理：该数不参与合计核对。",
    W, "{label}为 {shown}，有 {places} 位小数，本栏最多 {precision} 位；请按报表口径四舍五入后填写",
)
VAL008 = _rule(
    "VAL008", "not-a-whole-number", "人数、个数不是整数",
    "人数、个数、年度只能是整数。",
    E, "{label}应为整数，实际为 {shown}",
)
VAL009 = _rule(
    "VAL009", "not-a-listed-choice", "填写的内容不在下拉选项中",
    "选项类单元格（评价方式、资金来源、是/否）只能取下拉列表中的值，否则评分无法识别。",
    E, "{label}的“{shown}”不在下拉选项中；应为：{choices}",
)
VAL010 = _rule(
    "VAL010", "text-too-long", "文字超过长度上限",
    "名称、说明类单元格有长度上限，超长通常是把整段报告粘进了单元格。",
    W, "{label}共 {length} 个字，超过 {max_length} 个字的上限",
)
VAL011 = _rule(
    "VAL011", "unreadable-date", "日期无法识别",
    "填报日期应为 Excel 日期，或按“2021-03-31”“2021年3月31日”书写的文字。",
    E, "{label}“{shown}”不是可识别的日期；请按 2021-03-31 格式填写",
)
VAL012 = _rule(
    "VAL012", "report-date-before-year-end", "填报日期早于评价年度结束",
    "绩效自评在被评价年度结束、部门决算完成后进行，填报日期必然晚于评价年度年末。"
    "常见错误是把评价年度填成了填报当年（如 2021 年 3 月填报 2020 年度，却把评价年度填为 2021）。",
    E, "填报日期 {date} 早于评价年度 {year} 年年末；评价年度应为被评价的预算年度，按填报日期应为 {suggest} 年",
    fields=("report.year", "report.date"),
)
VAL013 = _rule(
    "VAL013", "report-year-long-before-date", "评价年度与填报日期相隔过久",
    "自评通常在次年上半年完成；相隔两年以上多半是沿用了往年表格而没有改评价年度或填报日期。",
    W, "评价年度 {year} 与填报日期 {date} 相隔 {gap} 年，请确认是否沿用了往年的表格",
    fields=("report.year", "report.date"),
)
RATE011 = _rule(
    "RATE011", "decrease-rate-below-minus-100", "减少幅度超过 100%",
    "支出最多减少到 0，故增减率不可能低于 −100%；多为把减少额当成了比率，或多乘了 100。",
    E, "{label}填报 {shown}，减少幅度不可能超过 100%",
    fields=CHANGE_RATE_FIELDS,
)

# (amount, direction) pairs: a gap typed unsigned next to a 超支/节约 choice
DIRECTED = tuple((fid.removesuffix("_direction"), fid) for fid in SCHEMA if fid.endswith("gap_direction"))
XREF010 = _rule(
    "XREF010", "gap-sign-contradicts-direction", "较预算增减额的正负号与所选方向矛盾",
    "报告写“节约12.3万元”“超支5万元”，金额不带正负号，方向由文字说明；模板在增减额旁设“超支/节约”选项，选了方向后增减额按不带"
    "正负号的数理解。选了“超支”（或“增加”）却填了负数，无法判断是方向选错还是数字的符号错，"
    "该增减额不参与核对。请对照报告原文：选对方向，并把增减额改为不带负号的数。",
    E, "{label}填报 {shown}，但方向选的是“{direction}”：负数与“{direction}”矛盾，无法判断哪一个是对的；请按报告原文改正方向或去掉负号",
    fields=tuple(f for pair in DIRECTED for f in pair),
)
XREF011 = _rule(
    "XREF011", "gap-sign-doubled", "较预算增减额既带负号又选了“节约”",
    "选了“节约”（或“减少”）后，增减额应填不带负号的数；再带负号就是把方向说了两遍（如报告中的“减少-2.56万元”），"
    "本工具按节约理解（取负值）后照常核对。请去掉负号，使填报与报告的文字一致。",
    W, "{label}填报 {shown}，方向又选了“{direction}”：负号与方向重复，按{direction} {amount}理解；请去掉负号",
    fields=tuple(f for pair in DIRECTED for f in pair),
)

RULES = (VAL001, VAL002, VAL003, VAL004, VAL005, VAL006, VAL007, VAL008, VAL009, VAL010, VAL011, VAL012, VAL013, RATE011, XREF010, XREF011)

# coerce() problem code -> rule
_BY_PROBLEM = {
    "not_a_number": VAL002,
    "number_as_text": VAL003,
    "formula_text": VAL004,
    "not_whole": VAL008,
    "bad_choice": VAL009,
    "too_long": VAL010,
    "not_a_date": VAL011,
}
_RATE011_FIELDS = frozenset(CHANGE_RATE_FIELDS)
_NUMERIC = frozenset(fid for fid, f in INPUTS.items() if f.type.numeric)
REQUIRED = tuple(fid for fid, f in INPUTS.items() if f.required)


def _what(raw: object) -> str:
    if isinstance(raw, bool):
        return "逻辑值"
    if isinstance(raw, (dt.date, dt.datetime)):
        return "日期"
    if isinstance(raw, float):
        return "非数值"
    return "文本"


def _shown(raw: object) -> str:
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    text = str(raw).strip()
    return text if len(text) <= 40 else text[:40] + "…"


def show_value(field, value: object) -> str:
    """A typed value as the accountant sees it: 95.1 → "95.1%", Decimal → plain digits."""
    if isinstance(value, Decimal):
        text = format(value.normalize() if value else Decimal(0), "f")
        return f"{text}%" if field.type is FieldType.PERCENT else text
    return _shown(value)


def fmt_figure(field, value: Decimal, unit: str | None = None, decimals: int | None = None) -> str:
    """A figure for a message: 1641.81 万元 → "1,641.81万元", 55 人 → "55人".

    A money figure takes the unit and decimals the workbook declares (``unit``, ``decimals``;
    the field's own when not given), never fewer decimals than were typed.
    """
    if field.type is FieldType.PERCENT:
        return show_value(field, value)
    if field.type is FieldType.COUNT:
        return f"{value:,.0f}{field.unit_label}"
    d = max(field.precision if decimals is None else decimals, excel_places(value))
    label = unit if unit and field.type is FieldType.MONEY else field.unit_label
    return f"{value:,.{d}f}{label}"


def excel_value(value: Decimal) -> Decimal:
    """The value as Excel holds it: at most 15 significant digits (6.6000000000000005 → 6.6)."""
    t = value.as_tuple()
    if isinstance(t.exponent, int) and len(t.digits) > EXCEL_DIGITS:
        return round(value, EXCEL_DIGITS - (len(t.digits) + t.exponent))
    return value


def excel_places(value: Decimal) -> int:
    """Decimals actually typed: 95.10 → 1, 1641.81 → 2; beyond Excel's 15 significant digits is float noise."""
    t = excel_value(value).as_tuple()
    if t.digits == (0,):
        return 0
    n = -t.exponent if isinstance(t.exponent, int) and t.exponent < 0 else 0
    digits = t.digits
    i = len(digits) - 1
    while n and i >= 0 and digits[i] == 0:  # trailing zeros are not typed decimals
        n -= 1
        i -= 1
    return n


def _bounds(field) -> str:
    if field.type is FieldType.DATE:
        return f"{DATE_MIN.isoformat()} 至 {DATE_MAX.isoformat()}"
    pct = "%" if field.type is FieldType.PERCENT else ""
    parts = []
    if field.min is not None:
        parts.append(f"不小于 {field.min}{pct}")
    if field.max is not None:
        parts.append(f"不大于 {field.max}{pct}")
    return "，".join(parts)


def run(ctx) -> None:
    """Coerce every filled input, report what is invalid, and block it for later rules."""
    raw = ctx.raw
    values = ctx.values
    for fid in REQUIRED:
        if fid not in ctx.blocked and is_blank(raw.get(fid)):
            ctx.blocked.add(fid)
            ctx.report(VAL001, (ctx.cell(fid, None),), label=SCHEMA[fid].label)
    blocked = ctx.blocked
    for fid, value in raw.items():
        if value is None:
            continue
        f = INPUTS.get(fid)
        if f is None or fid in blocked or is_blank(value):
            continue
        try:
            typed, problem = coerce(f, value)
        except (ArithmeticError, ValueError, TypeError):  # e.g. a float NaN in a text cell
            typed, problem = None, Problem("not_a_number", _shown(value))
        values[fid] = typed
        if problem is not None:
            rule = _BY_PROBLEM.get(problem.code, VAL002)
            params = {"label": f.label, "shown": _shown(value)}
            if rule is VAL002:
                params.update(kind=f.type.label_zh, what=_what(value))
            elif rule is VAL008:
                params["shown"] = show_value(f, typed) if typed is not None else _shown(value)
            elif rule is VAL009:
                params["choices"] = "、".join(f.choices)
            elif rule is VAL010:
                params.update(length=len(str(value).strip()), max_length=f.max_length)
            _invalid(ctx, rule, fid, value, params)
            continue
        if typed is None:
            continue
        if fid in _NUMERIC:
            if not typed.is_finite():  # a Decimal NaN/Infinity handed over by a caller
                _invalid(ctx, VAL002, fid, value, {"label": f.label, "shown": _shown(value), "kind": f.type.label_zh, "what": "非数值"})
                continue
            values[fid] = typed = excel_value(typed)
            _check_number(ctx, fid, f, typed, value)
        elif f.type is FieldType.DATE and not (DATE_MIN <= typed <= DATE_MAX):
            _invalid(ctx, VAL006, fid, value, {"label": f.label, "shown": typed.isoformat(), "bounds": _bounds(f)})
    _check_report_date(ctx)
    _apply_directions(ctx)


def _apply_directions(ctx) -> None:
    """A gap typed unsigned beside its 超支/节约 choice becomes the signed figure the identities read."""
    values, blocked = ctx.values, ctx.blocked
    for amount, direction in DIRECTED:
        way, value = values.get(direction), values.get(amount)
        if way is None or value is None or amount in blocked or direction in blocked:
            continue  # no direction: the amount is read with its own sign, as before
        sign = GAP_SIGN[way]
        if value >= 0:
            values[amount] = sign * value
            continue
        cells = (ctx.cell(amount), ctx.cell(direction))
        params = {"label": SCHEMA[amount].label, "shown": ctx.fig(amount, value), "direction": way}
        if sign > 0:
            ctx.report(XREF010, cells, **params)
            values[amount] = None
            blocked.add(amount)
        else:
            ctx.report(XREF011, cells, amount=ctx.fig(amount, -value), **params)


def _check_number(ctx, fid: str, f, typed: Decimal, raw: object) -> None:
    if abs(typed) >= MAGNITUDE:
        _invalid(ctx, VAL006, fid, raw, {"label": f.label, "shown": show_value(f, typed), "bounds": "绝对值应小于 10 的 15 次方"})
        return
    below = f.min is not None and typed < f.min
    if not below and (f.max is None or typed <= f.max):
        if f.type is not FieldType.COUNT:
            n = excel_places(typed)
            allowed = _allowed_places(f, ctx)
            if n > allowed:
                _invalid(ctx, VAL007, fid, raw, {"label": f.label, "shown": show_value(f, typed), "places": n, "precision": allowed})
        return
    shown = show_value(f, typed)
    if below and fid in _RATE011_FIELDS:
        _invalid(ctx, RATE011, fid, raw, {"label": f.label, "shown": shown})
    elif below and f.min == 0:
        hint = "（本栏填正数）" if "填正数" in f.help else ""
        _invalid(ctx, VAL005, fid, raw, {"label": f.label, "shown": shown, "hint": hint})
    else:
        _invalid(ctx, VAL006, fid, raw, {"label": f.label, "shown": shown, "bounds": _bounds(f)})


def _allowed_places(f, ctx) -> int:
    """Money carries the decimals declared (cell format, else 封面); a rate may print more than declared."""
    declared = getattr(ctx, "precisions", {}).get(f.id)
    if declared is None:
        declared = precision.declared(f, ctx.raw)
    if declared is None:
        return f.precision
    return declared if f.type is FieldType.MONEY else max(declared, f.precision)


def _invalid(ctx, rule, fid: str, raw: object, params: dict) -> None:
    ctx.values[fid] = None
    ctx.blocked.add(fid)
    # a date in a number cell is a number to every spreadsheet's formulas (Excel made it one from “2020-1-5”):
    # only its format says date, which no formula the workbook may use can read, so only Python sees this one
    blind = rule is VAL002 and INPUTS[fid].type.numeric and isinstance(raw, (dt.date, dt.datetime))
    ctx.report(rule, (ctx.cell(fid, raw),), formula_blind=blind, **params)


def _check_report_date(ctx) -> None:
    year, date = ctx.values.get("report.year"), ctx.values.get("report.date")
    if year is None or date is None or "report.year" in ctx.blocked or "report.date" in ctx.blocked:
        return
    year = int(year)
    cells = (ctx.cell("report.year", year), ctx.cell("report.date", date))
    if date <= dt.date(year, 12, 31):
        ctx.report(VAL012, cells, date=date.isoformat(), year=year, suggest=date.year - 1)
    elif date.year - year > 2:
        ctx.report(VAL013, cells, date=date.isoformat(), year=year, gap=date.year - year)
