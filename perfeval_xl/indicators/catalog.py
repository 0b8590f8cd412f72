"""Every indicator, declared once (domain.md §2.1–2.3).

Profiles refer to these codes and add weights and scoring rules; nothing else
restates a formula. Codes are stable: a retired code is never reused.
"""

from __future__ import annotations

from decimal import Decimal

from ..schema.sheets.expenses import BUILDING_STATUS
from ..schema.sheets.outputs import OUTPUT_TABLE
from ..schema.sheets.qualitative import QUAL_CHECKLISTS
from .expr import All, Cmp, Const, CountYes, Flag, If, IsNumber, OptRef, Sum, change, f, minus, plus, ratio
from .indicator import ITEMS, LEVEL, Indicator, NotApplicable

NO_BUILDING = NotApplicable("building.status", BUILDING_STATUS[0])  # "不适用（本年无完工项目）"


def _checklist(code: str, key: str, name: str, basis: str = "") -> Indicator:
    fields = tuple(f"qual.{key}.{item}" for item, _ in QUAL_CHECKLISTS[key])
    return Indicator(
        code, name, "过程", CountYes(fields), unit=ITEMS, basis=basis,
        definition=f"“定性指标”表中本指标 {len(fields)} 项评价要点答“是”的项数",
        note="评价要点按财预〔2013〕53号附件2；每项答“是”表示符合。",
    )


def _output_rows() -> tuple[Sum, Sum]:
    """(rows completed, rows assessed) of 履职产出, each row by its own rate.

    A row's rate is 实际值 / 计划值 when both are filled (计划值 > 0), else its reported
    完成率; a row with neither (实际值 not yet filled) is 未填 and not counted at all.
    """
    done, assessed = [], []
    zero, one = Const(Decimal(0)), Const(Decimal(1))
    for i in range(1, OUTPUT_TABLE.n_rows + 1):
        plan, actual, rate = (OUTPUT_TABLE.field_id(i, k) for k in ("plan", "actual", "rate"))
        measured = All((IsNumber(plan), Cmp(">", OptRef(plan), zero), IsNumber(actual)))
        assessed.append((1, If(measured, one, If(IsNumber(rate), one, zero))))
        done.append((1, If(measured, Flag(Cmp(">=", OptRef(actual), OptRef(plan))),
                           If(IsNumber(rate), Flag(Cmp(">=", OptRef(rate), one)), zero))))
    return Sum(tuple(done)), Sum(tuple(assessed))


_DONE, _ASSESSED = _output_rows()

_DECLARATIONS = (
    # -- 投入 / 预算配置 ------------------------------------------------------------------
    Indicator(
        "STAFF_CONTROL", "在职人员控制率", "投入", ratio("staff.onpost.total", "staff.quota.total"),
        note="在职人员数按部门决算编制口径，编制数为机构编制部门核定数（长沙市区县部门整体支出绩效评价指标表）。",
    ),
    Indicator(
        "SANGGONG_CHANGE_BUDGET", "“三公经费”变动率", "投入",
        change("spend.sanggong.budget", "spend.sanggong.prior_budget", if_both_zero=Decimal(0)), basis="预算数口径",
        note="本年度“三公经费”预算数与上年度预算数比较（V1、V5、[S1]；[S1] (63.46−32)/32 = 98.31%）。"
        "两年预算均为 0 视为没有增长（变动率 0%）。",
    ),
    Indicator(
        "SANGGONG_CHANGE_FINAL", "“三公经费”变动率", "投入",
        change("spend.sanggong.final", "spend.sanggong.prior_final", if_both_zero=Decimal(0)), basis="决算数口径",
        note="53号框架公式行按“三公经费”总额（决算）比较；[S1] 按此口径为 52.30%。两年均为 0 视为没有增长。",
    ),
    Indicator(
        "KEY_SPEND", "重点支出安排率", "投入", ratio("goals.key_project_amount", "exp.project"),
        note="本年预算安排的重点项目支出 / 部门项目总支出（V5 [S8]）。",
    ),
    # -- 过程 / 预算执行 ------------------------------------------------------------------
    Indicator(
        "BUDGET_COMPLETION", "预算完成率", "过程",
        ratio(
            minus(plus("budget.carryover_prior", "budget.initial", "budget.added"), "budget.balance_end"),
            plus("budget.carryover_prior", "budget.initial", "budget.added"),
        ),
        note="湖南省模板公式（V1）：(上年结转+年初预算+本年追加−年末结余)/(上年结转+年初预算+本年追加)，按构造不超过 100%。",
    ),
    Indicator(
        "BUDGET_EXECUTION", "预算完成率", "过程", ratio("budget.final", "budget.adjusted"), basis="决算数/调整后预算数",
        note="53号框架：预算完成数 / 财政批复的本年度（变动后）预算数。",
    ),
    Indicator(
        "BUDGET_CONTROL", "预算控制率", "过程", ratio("budget.added", "budget.initial"),
        note="本年追加预算 / 年初预算（V1、V3；[S1] 767.86/1922.76 = 39.94%）。",
    ),
    Indicator(
        "BUDGET_ADJUST", "预算调整率", "过程", ratio(plus("budget.added", "budget.reduced"), "budget.initial"),
        note="53号框架：预算调整数 / 预算数；调整数取本年追加与追减之和（结构调整不在基础表中）。"
        "追减未填而仅追加已超过最后一档时，调整率至少为追加 / 年初预算，已可评分。",
        at_least_when_blank=("budget.reduced",),
    ),
    Indicator(
        "BUILDING_AREA", "新建楼堂馆所面积控制率", "过程", ratio("building.actual_area", "building.approved_area"),
        not_applicable=NO_BUILDING, note="以本年完工的新建楼堂馆所为评价内容；无项目计满分（V1 [S3][S4]）。",
    ),
    Indicator(
        "BUILDING_INVEST", "新建楼堂馆所投资概算控制率", "过程",
        ratio("building.actual_invest", "building.approved_invest"),
        not_applicable=NO_BUILDING, note="实际投资 / 概算投资（公式由指标名推得，长沙市区县部门整体支出绩效评价指标表）；无项目计满分。",
    ),
    Indicator(
        "SANGGONG_CONTROL", "“三公经费”控制率", "过程", ratio("spend.sanggong.final", "spend.sanggong.budget"),
        note="“三公经费”实际支出数 / 预算安排数（53号；岳阳 V2 采用）。",
    ),
    Indicator(
        "PUBLIC_CONTROL", "公用经费控制率", "过程", ratio("spend.public.final", "spend.public.budget"),
        note="实际支出公用经费总额 / 预算安排公用经费总额（53号）。",
    ),
    Indicator(
        "PROCUREMENT_EXEC", "政府采购执行率", "过程", ratio("spend.procurement.final", "spend.procurement.budget"),
        note="实际政府采购金额 / 政府采购预算数（53号；[S1] 30.66/30.66 = 100%）。",
    ),
    Indicator(
        "CARRYOVER_RATE", "结转结余率", "过程", ratio("budget.balance_end", "budget.adjusted"),
        note="结转结余总额 / 支出预算数（53号）；支出预算数取调整后预算数。",
    ),
    Indicator(
        "CARRYOVER_CHANGE", "结转结余变动率", "过程", change("budget.balance_end", "budget.carryover_prior"),
        note="(本年累计结转结余 − 上年累计结转结余) / 上年累计结转结余（53号）。",
    ),
    Indicator(
        "FUND_BALANCE", "资金结余", "过程",
        If(
            Cmp("=", f("budget.balance_end"), Const(Decimal(0))),
            Const(Decimal(0)),
            If(Cmp("<=", f("budget.balance_end"), f("budget.carryover_prior")), Const(Decimal(1)), Const(Decimal(2))),
        ),
        unit=LEVEL, value_labels=("无结余", "结余不超过上年结转", "结余超过上年结转"),
        definition="年末结余为 0：无结余；年末结余 ≤ 上年结转：结余不超过上年结转；否则：结余超过上年结转",
        note="岳阳市直部门整体支出绩效评价评分表“资金结余”的三档判定。",
    ),
    # -- 过程 / 预算管理、资产管理 (checklists) -------------------------------------------
    _checklist("BUDGET_RULES", "budget_rules", "管理制度健全性", "预算管理"),
    _checklist("FUND_COMPLIANCE", "fund_compliance", "资金使用合规性"),
    _checklist("DISCLOSURE", "disclosure", "预决算信息公开性"),
    _checklist("BASIC_INFO", "basic_info", "基础信息完善性"),
    _checklist("ASSET_RULES", "asset_rules", "管理制度健全性", "资产管理"),
    _checklist("ASSET_SAFETY", "asset_safety", "资产管理安全性"),
    Indicator(
        "FIXED_ASSET_USE", "固定资产利用率", "过程", ratio("assets.fixed.in_use", "assets.fixed.closing"),
        note="实际在用固定资产总额 / 所有固定资产总额（53号）；总额取年末固定资产。",
    ),
    # -- 产出 / 职责履行 ------------------------------------------------------------------
    Indicator(
        "OUTPUT_COMPLETION", "实际完成率", "产出", ratio(_DONE, _ASSESSED, zero_text="已填实际值或完成率的履职产出指标个数"),
        definition="“履职产出”表中完成率达到 100% 的指标个数 / 已填实际值或完成率的指标个数 × 100%"
        "（每行按其自身完成率：有计划值和实际值时为 实际值/计划值，否则取所填完成率；均未填的行视为未填，不计入）",
        note="53号“实际完成工作数 / 计划工作数”：每行产出指标视为一项工作，按该行自身的完成率判定是否完成；"
        "实际值未填的行是“未填”而不是“未完成”。越低越好的指标（如投诉率）不适用此判定，请勿列入该表或另行评分。",
    ),
)

INDICATORS: dict[str, Indicator] = {}
for _ind in _DECLARATIONS:
    if _ind.code in INDICATORS:
        raise ValueError(f"duplicate indicator code {_ind.code}")
    INDICATORS[_ind.code] = _ind
