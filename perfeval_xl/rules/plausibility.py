"""PLAUS: figures that add up but are unlikely — worth a second look, never a rejection.

Each rule reads a few fixed fields, skips when one of them is blank or blocked
(a VAL problem already reported), and warns with the figures it compared.
Thresholds are rule parameters (``CheckRule.params``), overridable per profile.

What each rule compares is declared once, as data (``CASES``, see ``comparisons``):
``check/plausibility.py`` evaluates it for ``perfeval check`` and
``rules/excel_plausibility.py`` writes it as the workbook's own formulas.
"""

from __future__ import annotations

from decimal import Decimal

from ..schema import SCHEMA, precision
from ..schema.sheets.cover import DEFAULT_MONEY_UNIT
from ..schema.sheets.expenses import BUILDING_STATUS, PERIODS
from ..schema.sheets.projects import PROJECT_TABLE
from .base import CheckRule, Severity
from .comparisons import (Case, ChoiceContradiction, Compare, Factor, Fig, Label, Magnitude, Money, NameOr, Param, Percent,
                          Pick, Plausibility, Text, Unfilled, Unit)

W, I = Severity.WARNING, Severity.INFO
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

# -- what each rule compares (one case per 校验结果 row) ---------------------------------------------

_ZERO = Decimal(0)
_HUNDRED = Factor(HUNDRED)


def _line_label(row: str) -> str:
    return SCHEMA[f"spend.{row}.final"].row_label.strip("　 ").removeprefix("其中：")


def _case(rule, reads, when, cells, message, needs=None, label="", first_only=False) -> Plausibility:
    return Plausibility(rule, tuple(reads), tuple(reads if needs is None else needs), tuple(tuple(c) for c in when),
                        tuple(cells), tuple(message.items()), label or rule.title, first_only)


def _exceeds(rule, big: str, small: str, message: dict, label: str = "") -> Plausibility:
    """``big`` > ``small``, both filled: a part larger than its whole."""
    return _case(rule, (big, small), [[Compare(big, ">", small)]], (big, small), message, label=label)


_STAFF = ("staff.onpost.total", "staff.quota.total")
_BUDGET = Pick(("budget.adjusted", "budget.initial"))
_KEY_TOTAL = Pick(("exp.project", "goals.project_amount"))


def _sanggong_line(row: str) -> Plausibility:
    fb, ff = f"spend.{row}.budget", f"spend.{row}.final"
    return _case(PLAUS005, (fb, ff), [[Compare(ff, ">", fb)]], (ff, fb),
                 {"line": Text(_line_label(row)), "final": Money(ff), "budget": Money(fb), "over": Money(ff, fb)},
                 label=_line_label(row))


def _public_line(row: str) -> Plausibility:
    fb, ff = f"spend.{row}.budget", f"spend.{row}.final"
    # final / budget × 100 outside [low, high], compared as 100 × final against low × budget
    return _case(PLAUS006, (fb, ff), [
        [Compare(fb, ">", _ZERO), Compare(ff, "<", fb, _HUNDRED, Factor(_ZERO, "low_pct"))],
        [Compare(fb, ">", _ZERO), Compare(ff, ">", fb, _HUNDRED, Factor(_ZERO, "high_pct"))],
        [Compare(fb, "<=", _ZERO), Compare(ff, ">", _ZERO)],
    ], (ff, fb), {"line": Text(_line_label(row)), "final": Money(ff), "budget": Money(fb),
                  "ratio": Percent(ff, fb, zero="无穷大（预算为 0）"), "low": Param("low_pct"), "high": Param("high_pct")},
        label=_line_label(row))


def _project_row(i: int, fa: str, fj: str, fi: str, fname: str) -> Plausibility:
    budget = Pick((fj, fi))
    return _case(PLAUS007, (fa, fj, fi), [[Compare(fa, ">", budget)]], (fa, budget),
                 {"row": Text(str(i)), "name": NameOr(fname, "（未填名称）"), "actual": Money(fa),
                  "basis": Label(budget, column=True), "budget": Money(budget), "over": Money(fa, budget)},
                 needs=(fa, budget), label=f"第 {i} 行项目")


def _unit_scale(fid: str) -> Plausibility:
    """PLAUS012: the thresholds are declared in 万元; the figure is compared in 元 (×10⁴ on the threshold side)."""
    in_yuan = Factor(to_yuan=True)
    wan = Decimal(10) ** precision.UNIT_EXPONENT[DEFAULT_MONEY_UNIT]
    return _case(PLAUS012, (fid,), [
        [Compare(fid, ">", _ZERO), Compare(fid, "<", wan, in_yuan, Factor(_ZERO, "low_wan"))],
        [Compare(fid, ">", _ZERO), Compare(fid, ">", wan, in_yuan, Factor(_ZERO, "high_wan"))],
    ], (fid,), {"label": Text(SCHEMA[fid].label), "shown": Fig(fid), "way": Magnitude(fid, "low_wan", "high_wan"), "unit": Unit()},
        label=SCHEMA[fid].label, first_only=True)  # one finding says it: both totals are in the same unit


CASES: tuple[Case, ...] = (
    _case(PLAUS001, _STAFF, [[Compare("staff.quota.total", ">", _ZERO), Compare("staff.onpost.total", ">", "staff.quota.total")]], _STAFF,
          {"onpost": Fig(_STAFF[0]), "quota": Fig(_STAFF[1]), "over": Fig(_STAFF[0], _STAFF[1], like=_STAFF[1])}),
    _case(PLAUS002, _STAFF, [[Compare("staff.quota.total", "=", _ZERO), Compare("staff.onpost.total", ">", _ZERO)]], _STAFF[::-1],
          {"onpost": Fig(_STAFF[0])}),
    # final > prior × (1 + threshold / 100), and an increase at all
    _case(PLAUS003, ("spend.sanggong.final", "spend.sanggong.prior_final"), [[
        Compare("spend.sanggong.final", ">", "spend.sanggong.prior_final", _HUNDRED, Factor(HUNDRED, "threshold_pct")),
        Compare("spend.sanggong.final", ">", "spend.sanggong.prior_final")]],
        ("spend.sanggong.final", "spend.sanggong.prior_final"),
        {"final": Money("spend.sanggong.final"), "prior": Money("spend.sanggong.prior_final"),
         "delta": Money("spend.sanggong.final", "spend.sanggong.prior_final"),
         "pct": Percent("spend.sanggong.final", "spend.sanggong.prior_final", minus="spend.sanggong.prior_final", zero="上年为 0"),
         "threshold": Param("threshold_pct")}),
    _case(PLAUS004, ("budget.final", "budget.adjusted", "budget.initial", "budget.added"),
          [[Compare("budget.final", ">", _BUDGET), Unfilled("budget.added")]], ("budget.final", _BUDGET, "budget.added"),
          {"final": Money("budget.final"), "basis": Label(_BUDGET), "budget": Money(_BUDGET), "over": Money("budget.final", _BUDGET)},
          needs=("budget.final", _BUDGET)),
    *(_sanggong_line(r) for r in SANGGONG_LINES),
    *(_public_line(r) for r in PUBLIC_LINES),
    *(_project_row(*row) for row in PROJECT_ROWS),
    _case(PLAUS008, ("goals.key_project_amount", "exp.project", "goals.project_amount"),
          [[Compare("goals.key_project_amount", ">", _KEY_TOTAL)]], ("goals.key_project_amount", _KEY_TOTAL),
          {"key": Money("goals.key_project_amount"), "total": Money(_KEY_TOTAL)}, needs=("goals.key_project_amount", _KEY_TOTAL)),
    _exceeds(PLAUS009, "budget.balance_end", "budget.carryover_prior",
             {"end": Money("budget.balance_end"), "prior": Money("budget.carryover_prior")}),
    _exceeds(PLAUS010, "assets.fixed.in_use", "assets.fixed.closing",
             {"in_use": Money("assets.fixed.in_use"), "closing": Money("assets.fixed.closing")}),
    ChoiceContradiction(PLAUS011, "building.status", BUILDING_FIGURES, BUILDING_STATUS[0], BUILDING_STATUS[1],
                        "填写了 {labels}；这些数字不会用于评分，请确认是否选错",
                        "面积和投资均未填写，无法计算面积控制率和投资概算控制率", PLAUS011.title),
    *(_unit_scale(fid) for fid in PLAUS012.fields),
)


def is_declared(rule) -> bool:
    """True when the rule's semantics are declared as cases above (and so compile to formulas)."""
    return rule.id in _DECLARED


_DECLARED = frozenset(c.rule.id for c in CASES)
