"""Typed input scenarios shared by the indicator, UDF and 评分-sheet tests."""

from decimal import Decimal as D

NO_BUILDING = "不适用（本年无完工项目）"

# domain.md §4.2 (2018 unit, [S1]) as typed values; 32 = 上年度三公经费预算数.
EXAMPLE_2018 = {
    "staff.quota.total": D(143),
    "staff.onpost.total": D(136),
    "spend.sanggong.prior_final": D("29.08"),
    "spend.sanggong.prior_budget": D(32),
    "spend.sanggong.budget": D("63.46"),
    "spend.sanggong.final": D("44.29"),
    "spend.procurement.prior_final": D("16.14"),
    "spend.procurement.budget": D("30.66"),
    "spend.procurement.final": D("30.66"),
    "budget.carryover_prior": D("19.8"),
    "budget.initial": D("1922.76"),
    "budget.added": D("767.86"),
    "budget.balance_end": D("19.8"),
    "budget.adjusted": D("2690.62"),
    "building.status": NO_BUILDING,
}

# Edges: exact band limits, an applicable building over its limits, zero denominators,
# a half-answered checklist, outputs rows with and without plans.
EDGES = {
    "staff.quota.total": D(100),
    "staff.onpost.total": D(103),  # 103% → −1.5
    "spend.sanggong.prior_budget": D(50),
    "spend.sanggong.budget": D("47.5"),  # −5% → full
    "spend.sanggong.prior_final": D(0),  # change on 决算 undefined
    "spend.sanggong.final": D("48.3"),  # 101.68% of budget
    "spend.public.budget": D(10),
    "spend.public.final": D(12),
    "spend.procurement.budget": D(0),
    "spend.procurement.final": D(3),
    "budget.carryover_prior": D(0),
    "budget.initial": D(1000),
    "budget.added": D(100),  # exactly 10% → (0,10]
    "budget.reduced": D(0),
    "budget.adjusted": D(1100),
    "budget.final": D(950),
    "budget.balance_end": D(150),  # > 上年结转 0
    "goals.key_project_amount": D(80),
    "exp.project": D(100),  # exactly 80% → [80,90)
    "building.status": "适用",
    "building.approved_area": D(1000),
    "building.actual_area": D(1080),  # 108% → one full 5% step
    "building.approved_invest": D(500),
    "building.actual_invest": D(510),  # 102%: the source's rule is cut off → 需人工评分
    "assets.fixed.closing": D(100),
    "assets.fixed.in_use": D(90),
    "qual.budget_rules.exists": "是",
    "qual.budget_rules.lawful": "否",
    "qual.budget_rules.enforced": "是",
    "qual.fund_compliance.regulations": "是",
    "qual.fund_compliance.approval": "是",
    "qual.fund_compliance.appraisal": "否",
    "qual.fund_compliance.purpose": "是",
    "qual.fund_compliance.no_misuse": "是",
    "qual.disclosure.content": "是",  # timely left blank
    "qual.basic_info.true": "是",
    "qual.basic_info.complete": "是",
    "qual.basic_info.accurate": "是",
    "qual.asset_rules.exists": "否",
    "qual.asset_rules.lawful": "否",
    "qual.asset_rules.enforced": "否",
    "qual.asset_safety.intact": "是",
    "qual.asset_safety.allocation": "是",
    "qual.asset_safety.disposal": "是",
    "qual.asset_safety.accounts": "是",
    "qual.asset_safety.income": "是",
    "outputs.r01.plan": D(10),
    "outputs.r01.actual": D(12),  # done
    "outputs.r02.plan": D(5),
    "outputs.r02.actual": D(4),  # not done
    "outputs.r03.plan": D(0),
    "outputs.r03.actual": D(1),  # no positive plan: not counted
    "outputs.r04.plan": D(8),  # planned, no actual: 未填, not counted
    "outputs.r05.rate": D(100),  # no plan/actual, reported 100%: done by its own rate
}

# V3 total 28.8 of 32 = exactly 90 on the 100-point scale (Excel computes 89.99999999999999).
GRADE_EDGE = {
    "staff.quota.total": D(125),
    "staff.onpost.total": D(128),  # 102.4% → 8 − 1.2 = 6.8
    "spend.sanggong.prior_budget": D(32),
    "spend.sanggong.budget": D(30),
    "budget.carryover_prior": D(0),
    "budget.initial": D(1000),
    "budget.added": D(50),  # 5% → 6
    "budget.balance_end": D(0),  # 100% → 8
}

SCENARIOS = {"example_2018": EXAMPLE_2018, "edges": EDGES, "grade_edge": GRADE_EDGE}
