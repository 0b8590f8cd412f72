"""PLAUS: figures that add up but are unlikely — worth a second look, never a rejection.

Each rule reads a few fixed fields, skips when one of them is blank or blocked
(a VAL problem already reported), and warns with the figures it compared.
Thresholds are rule parameters (``CheckRule.params``), overridable per profile.
"""

from __future__ import annotations

from decimal import Decimal

from ..schema import SCHEMA, precision
from ..schema.sheets.expenses import BUILDING_STATUS, PERIODS
from ..schema.sheets.projects import PROJECT_TABLE
from .base import CheckRule, Severity

W, I = Severity.WARNING, Severity.INFO
ZERO = Decimal(0)
HUNDRED = Decimal(100)

SANGGONG_LINES = ("sanggong", "abroad", "reception", "vehicle", "vehicle_purchase", "vehicle_operation")
PUBLIC_LINES = ("public", "office", "utilities_travel", "meeting", "training")
BUILDING_FIGURES = ("building.approved_area", "building.actual_area", "building.approved_invest", "building.actual_invest",
                    "building.area_rate", "building.invest_rate")
# (row, actual, adjusted, initial, name) field ids of the project table
PROJECT_ROWS = tuple((i, *(PROJECT_TABLE.field_id(i, c) for c in ("actual", "adjusted", "initial", "name")))
                     for i in range(1, PROJECT_TABLE.n_rows + 1))
assert {p.key for p in PERIODS} >= {"budget", "final", "prior_final"}


def _rule(id, slug, title, rationale, severity, message, fields, params=None):
    return CheckRule(id=id, slug=slug, title=title, rationale=rationale, severity=severity, message=message,
                     fields=tuple(fields), params=dict(params or {}))


PLAUS001 = _rule(
    "PLAUS001", "onpost-exceeds-quota", "在编在岗人数超过编制数",
    "在职人员控制率 = 在职人数 / 编制数，应不超过 100%（长沙市区县部门整体支出绩效评价指标表：每超 1 个百分点扣 0.5 分）。"
    "超编要么属实需要说明，要么是把临聘、离退休人员计入了在职人数。",
    W, "在编在岗人数 {onpost} 超过编制数 {quota}（超编 {over}），在职人员控制率将超过 100%；请核对是否混入了临聘或离退休人员",
    ("staff.onpost.total", "staff.quota.total"),
)
PLAUS002 = _rule(
    "PLAUS002", "staff-without-quota", "编制数为 0 但有在编人员",
    "编制数是机构编制部门核定数，必须大于 0；为 0 时在职人员控制率无法计算。",
    W, "编制数合计填为 0，但在编在岗 {onpost}；编制数应填机构编制部门核定的编制总数",
    ("staff.quota.total", "staff.onpost.total"),
)
PLAUS003 = _rule(
    "PLAUS003", "sanggong-increased", "“三公”经费较上年增长",
    "“三公”经费实行只减不增的控制要求；“三公经费”变动率 ≤ 0 才得满分（长沙市区县、岳阳市直部门整体支出绩效评价评分表）。"
    "增幅超过阈值（默认 0%）时提醒在报告中说明原因。",
    W, "“三公”经费本年决算 {final} 比上年决算 {prior} 增加 {delta}（{pct}），超过 {threshold}% 的控制要求；请在报告中说明原因",
    ("spend.sanggong.final", "spend.sanggong.prior_final"), {"threshold_pct": 0},
)
PLAUS004 = _rule(
    "PLAUS004", "final-over-budget-without-addition", "决算超预算但无追加预算",
    "支出超过预算应有追加预算（或调整预算）作依据；决算大于调整后预算而追加为空，多为漏填追加或预算数填错。",
    W, "支出决算数 {final} 超过{basis} {budget}（超 {over}），但本年追加预算未填或为 0；请补填追加预算或核对预算数",
    ("budget.final", "budget.adjusted", "budget.initial", "budget.added"),
)
PLAUS005 = _rule(
    "PLAUS005", "sanggong-over-budget", "“三公”经费决算超预算",
    "“三公”经费不得超预算安排（“三公经费”控制率 ≤ 100%，财预〔2013〕53号 共性指标体系框架“三公经费控制率”；岳阳市直评分表每超 1 个百分点扣 1 分）。",
    W, "{line}本年决算 {final} 超过本年预算 {budget}（超 {over}）",
    tuple(f"spend.{r}.{p}" for r in SANGGONG_LINES for p in ("budget", "final")),
)
PLAUS006 = _rule(
    "PLAUS006", "public-line-off-budget", "公用经费分项决算与预算严重偏离",
    "公用经费各分项的决算一般接近预算；低于 10% 或高于 300% 多为填错行、填错单位（元/万元）或预算未调整"
    "（例：办公经费决算 0.68 对预算 10，水电差旅 25.36 对 7.50）。阈值可配置。",
    W, "{line}本年决算 {final} 为本年预算 {budget} 的 {ratio}，偏离过大（低于 {low}% 或高于 {high}%）；请核对是否填错行、填错单位或预算未调整",
    tuple(f"spend.{r}.{p}" for r in PUBLIC_LINES for p in ("budget", "final")), {"low_pct": 10, "high_pct": 300},
)
PLAUS007 = _rule(
    "PLAUS007", "project-over-budget", "项目实际支出超过预算",
    "项目支出不应超过调整后预算（未调整时为年初预算）；超出多为漏填预算调整或实际支出填错。",
    W, "第 {row} 行项目“{name}”实际支出 {actual} 超过{basis} {budget}（超 {over}）",
    tuple(PROJECT_TABLE.column_ids("actual") + PROJECT_TABLE.column_ids("adjusted") + PROJECT_TABLE.column_ids("initial")),
)
PLAUS008 = _rule(
    "PLAUS008", "key-projects-exceed-project-total", "重点项目支出大于项目支出",
    "重点项目是项目支出的一部分：重点支出安排率 = 重点项目支出 / 项目总支出，不能超过 100%（财预〔2013〕53号 共性指标体系框架“重点支出安排率”）。",
    W, "重点项目支出 {key} 大于项目支出 {total}，重点支出安排率将超过 100%",
    ("goals.key_project_amount", "exp.project", "goals.project_amount"),
)
PLAUS009 = _rule(
    "PLAUS009", "year-end-balance-exceeds-carryover", "年末结余大于上年结转",
    "岳阳“资金结余”评分：结余不超过上年结转得 2 分，超过得 0 分（岳阳市直部门整体支出绩效评价评分表）——这是评分规则而非会计恒等式，故只作提示。",
    I, "年末结余 {end} 大于上年结转 {prior}；按“资金结余”评分规则此项不得分，请确认",
    ("budget.balance_end", "budget.carryover_prior"),
)
PLAUS010 = _rule(
    "PLAUS010", "assets-in-use-exceed-total", "在用固定资产大于年末固定资产",
    "在用固定资产是年末固定资产的一部分，固定资产利用率不能超过 100%（53号框架 资产管理）。",
    W, "在用固定资产 {in_use} 大于年末固定资产 {closing}，固定资产利用率将超过 100%",
    ("assets.fixed.in_use", "assets.fixed.closing"),
)
PLAUS011 = _rule(
    "PLAUS011", "building-status-contradicts-figures", "楼堂馆所“是否适用”与所填数字矛盾",
    "选“不适用”的部门相关指标直接计满分，所填面积和投资不会被使用；选“适用”却不填数字则无法计算控制率（财预〔2013〕53号 共性指标体系框架“楼堂馆所控制率”）。",
    W, "楼堂馆所选择了“{status}”，但{problem}",
    ("building.status",) + BUILDING_FIGURES,
)

PLAUS012 = _rule(
    "PLAUS012", "year-total-implausible-for-unit", "收支合计与所声明的金额单位不相称",
    "封面的金额单位决定每个金额单元格的含义：报告以“元”列示而封面仍为“万元”（或反之）时，所有合计、比率照样相符，"
    "只有数量级不对，核对发现不了。一个部门（单位）一年的收入或支出合计不会不足 1 万元，也不会超过 1 万亿元；"
    "超出这个范围多半是单位选错。请对照报告的“单位：元/万元/亿元”改正封面的金额单位，不要改动数字。"
    "阈值以万元声明一次（可按评价方案调整），按封面单位换算后比较。",
    W, "{label}为 {shown}，{way}；请核对封面的金额单位（当前为“{unit}”）是否与报告所印单位一致",
    ("exp.total_year", "inc.total_year"), {"low_wan": 1, "high_wan": 100000000},
)

RULES = (PLAUS001, PLAUS002, PLAUS003, PLAUS004, PLAUS005, PLAUS006, PLAUS007, PLAUS008, PLAUS009, PLAUS010, PLAUS011, PLAUS012)




def _pct(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}%"


def _get(ctx, *fids: str) -> list | None:
    """The typed values of ``fids``, or None when one is blocked (already reported)."""
    if any(f in ctx.blocked for f in fids):
        return None
    return [ctx.values.get(f) for f in fids]


def _line_label(row: str) -> str:
    return SCHEMA[f"spend.{row}.final"].row_label.strip("　 ").removeprefix("其中：")


def run(ctx) -> None:
    v = _get(ctx, "staff.onpost.total", "staff.quota.total")
    if v and None not in v:
        onpost, quota = v
        cells = (ctx.cell("staff.onpost.total"), ctx.cell("staff.quota.total"))
        if quota > 0 and onpost > quota:
            ctx.report(PLAUS001, cells, onpost=ctx.fig("staff.onpost.total", onpost), quota=ctx.fig("staff.quota.total", quota),
                       over=ctx.fig("staff.quota.total", onpost - quota))
        elif quota == 0 and onpost > 0:
            ctx.report(PLAUS002, cells[::-1], onpost=ctx.fig("staff.onpost.total", onpost))

    v = _get(ctx, "spend.sanggong.final", "spend.sanggong.prior_final")
    if v and None not in v:
        final, prior = v
        threshold = Decimal(str(ctx.param(PLAUS003, "threshold_pct")))
        if final > prior * (1 + threshold / HUNDRED) and final > prior:
            pct = _pct((final - prior) / prior * HUNDRED) if prior > 0 else "上年为 0"
            ctx.report(PLAUS003, (ctx.cell("spend.sanggong.final"), ctx.cell("spend.sanggong.prior_final")),
                       final=ctx.money(final), prior=ctx.money(prior), delta=ctx.money(final - prior), pct=pct, threshold=threshold)

    v = _get(ctx, "budget.final", "budget.adjusted", "budget.initial", "budget.added")
    if v:
        final, adjusted, initial, added = v
        budget_fid = "budget.adjusted" if adjusted is not None else "budget.initial"
        budget = adjusted if adjusted is not None else initial
        if final is not None and budget is not None and final > budget and not added:
            ctx.report(PLAUS004, (ctx.cell("budget.final"), ctx.cell(budget_fid), ctx.cell("budget.added")),
                       final=ctx.money(final), basis=SCHEMA[budget_fid].label, budget=ctx.money(budget), over=ctx.money(final - budget))

    for row in SANGGONG_LINES:
        fb, ff = f"spend.{row}.budget", f"spend.{row}.final"
        v = _get(ctx, fb, ff)
        if v and None not in v and v[1] > v[0]:
            ctx.report(PLAUS005, (ctx.cell(ff), ctx.cell(fb)), line=_line_label(row), final=ctx.money(v[1]), budget=ctx.money(v[0]),
                       over=ctx.money(v[1] - v[0]))

    low = Decimal(str(ctx.param(PLAUS006, "low_pct")))
    high = Decimal(str(ctx.param(PLAUS006, "high_pct")))
    for row in PUBLIC_LINES:
        fb, ff = f"spend.{row}.budget", f"spend.{row}.final"
        v = _get(ctx, fb, ff)
        if not v or None in v:
            continue
        budget, final = v
        if budget > 0:
            ratio = final / budget * HUNDRED
            if low <= ratio <= high:
                continue
            ratio_text = _pct(ratio)
        elif final > 0:
            ratio_text = "无穷大（预算为 0）"
        else:
            continue
        ctx.report(PLAUS006, (ctx.cell(ff), ctx.cell(fb)), line=_line_label(row), final=ctx.money(final), budget=ctx.money(budget),
                   ratio=ratio_text, low=low, high=high)

    for i, fa, fj, fi, fname in PROJECT_ROWS:
        if ctx.values.get(fa) is None:
            continue
        v = _get(ctx, fa, fj, fi)
        if not v or v[0] is None:
            continue
        actual, adjusted, initial = v
        budget_fid = fj if adjusted is not None else fi
        budget = adjusted if adjusted is not None else initial
        if budget is not None and actual > budget:
            name = ctx.values.get(fname) or "（未填名称）"
            ctx.report(PLAUS007, (ctx.cell(fa), ctx.cell(budget_fid)), row=i, name=name, actual=ctx.money(actual),
                       basis=SCHEMA[budget_fid].column_label, budget=ctx.money(budget), over=ctx.money(actual - budget))

    v = _get(ctx, "goals.key_project_amount", "exp.project", "goals.project_amount")
    if v and v[0] is not None:
        key, project, goal = v
        total_fid = "exp.project" if project is not None else "goals.project_amount"
        total = project if project is not None else goal
        if total is not None and key > total:
            ctx.report(PLAUS008, (ctx.cell("goals.key_project_amount"), ctx.cell(total_fid)), key=ctx.money(key), total=ctx.money(total))

    v = _get(ctx, "budget.balance_end", "budget.carryover_prior")
    if v and None not in v and v[0] > v[1]:
        ctx.report(PLAUS009, (ctx.cell("budget.balance_end"), ctx.cell("budget.carryover_prior")), end=ctx.money(v[0]), prior=ctx.money(v[1]))

    v = _get(ctx, "assets.fixed.in_use", "assets.fixed.closing")
    if v and None not in v and v[0] > v[1]:
        ctx.report(PLAUS010, (ctx.cell("assets.fixed.in_use"), ctx.cell("assets.fixed.closing")), in_use=ctx.money(v[0]), closing=ctx.money(v[1]))

    _building(ctx)
    _unit_scale(ctx)


def _unit_scale(ctx) -> None:
    """PLAUS012: the thresholds are declared in 万元 and converted to the declared unit."""
    unit = ctx.unit()
    low = precision.in_unit(Decimal(str(ctx.param(PLAUS012, "low_wan"))), unit)
    high = precision.in_unit(Decimal(str(ctx.param(PLAUS012, "high_wan"))), unit)
    for fid in PLAUS012.fields:
        v = _get(ctx, fid)
        if not v or v[0] is None or v[0] <= 0:  # 0: a unit with no money that year says nothing about the unit
            continue
        value = v[0]
        if low <= value <= high:
            continue
        way = f"不足 {ctx.money(low)}" if value < low else f"超过 {ctx.money(high)}"
        fits = [u for u in precision.MONEY_UNITS_BY_SIZE if u != unit
                and low <= value.scaleb(precision.UNIT_EXPONENT[u] - precision.UNIT_EXPONENT[unit]) <= high]
        if fits:
            way += f"，数量级像是以“{fits[0]}”为单位"
        ctx.report(PLAUS012, (ctx.cell(fid),), label=SCHEMA[fid].label, shown=ctx.fig(fid, value), way=way, unit=unit)
        return  # one finding says it: both totals are in the same unit


def _building(ctx) -> None:
    if "building.status" in ctx.blocked:
        return
    status = ctx.values.get("building.status")
    filled = [f for f in BUILDING_FIGURES if ctx.values.get(f) is not None or f in ctx.blocked]
    if status == BUILDING_STATUS[0] and filled:
        labels = "、".join(SCHEMA[f].label for f in filled)
        ctx.report(PLAUS011, (ctx.cell("building.status"),) + tuple(ctx.cell(f) for f in filled), status=status,
                   problem=f"填写了 {labels}；这些数字不会用于评分，请确认是否选错")
    elif status == BUILDING_STATUS[1] and not filled:
        ctx.report(PLAUS011, (ctx.cell("building.status"),), status=status,
                   problem="面积和投资均未填写，无法计算面积控制率和投资概算控制率")
