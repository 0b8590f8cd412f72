"""A consistent department in which every term of every identity is non-zero.

tests/rules/baseline.yml leaves 政府性基金、国有资本经营、出国经费 … at 0 or blank, so a term
dropped from an identity changes nothing there. Here every leaf figure is typed by hand
(non-zero, moderate so one 万元 is far beyond rounding) and every stated total is computed
from the hand-written identity table (``oracle_identities.py``) with exact fractions, so the
result owes nothing to the code under test.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

from oracle_identities import (CHANGE_ROWS, CHANGE_SUM_COLUMNS, COUNTS, IDENTITIES, OUTPUT_ROWS, PERIODS, PROJECT_ROWS,
                               YEAR_TOTALS, Identity)

D = Decimal
# Rates are typed with 4 decimals and 封面 declares so: a share of 本年支出合计 as small as 2 % then moves by
# 2 % / 2330 ≈ 0.001 point when 本年支出合计 gains one 万元 — ten times a 4-decimal rounding, invisible at 2 decimals.
RATE_DECIMALS = 4

TEXT = {
    "dept.name": "某区全要素测试局", "dept.code": "302009", "report.year": 2023, "eval.method": "部门(单位)绩效自评",
    "eval.org": "部门(单位)评价组", "contact.name": "李会计", "contact.phone": "0731-88880001", "report.date": dt.date(2024, 3, 29),
    "org.internal.count": 3, "org.internal.name_01": "办公室", "org.internal.name_02": "财务科", "org.internal.name_03": "业务科",
    "org.subunit.count": 1, "org.subunit.name_01": "服务中心", "building.status": "适用",
    "report.money_decimals": 2, "report.rate_decimals": RATE_DECIMALS,
}

LEAVES: dict[str, Decimal] = {
    "staff.quota.admin": D(30), "staff.quota.inst": D(12), "staff.quota.worker": D(3),
    "staff.onpost.admin": D(28), "staff.onpost.inst": D(11), "staff.onpost.worker": D(2),
    "staff.other.gov_employee": D(2), "staff.other.temp": D(5),
    "staff.retired.retire": D(20), "staff.retired.lixiu": D(1),
    "inc.general_budget": D("2100.55"), "inc.gov_fund": D("120.30"), "inc.state_capital": D("35.25"),
    "inc.superior_subsidy": D("48.60"), "inc.business": D("96.40"), "inc.operating": D("22.15"), "inc.affiliate": D("18.70"),
    "inc.other": D("27.32"), "inc.non_fiscal_balance_used": D("12.40"), "inc.carryover_begin": D("19.80"),
    "exp.personnel": D("1701.80"), "exp.public": D("240.00"), "exp.upper": D("15.60"), "exp.operating": D("20.10"),
    "exp.affiliate": D("30.25"), "exp.surplus_distribution": D("5.30"),
    "budget.carryover_prior": D("19.80"), "budget.initial": D("1922.76"), "budget.added": D("430.20"), "budget.reduced": D("10.00"),
    "budget.balance_end": D("15.50"), "budget.fiscal_initial": D("1924.71"), "budget.fiscal_final": D("2250.76"),
    "goals.key_project_amount": D("60.00"),
    "building.approved_area": D(1200), "building.actual_area": D(1150),
    "building.approved_invest": D("500.00"), "building.actual_invest": D("487.35"),
    "assets.fixed.opening": D("138.36"), "assets.fixed.added": D("1.72"), "assets.fixed.disposed": D("7.34"),
    "assets.fixed.in_use": D("120.50"),
    # 上年 本年收入合计 / 本年支出合计 (the stated 较上年 changes are computed from them)
    "inc.total_prior": D("2380.45"), "exp.total_prior": D("2298.12"),
    # 前年决算 of the 三公 parts (the 合计 is computed below)
    "history.abroad.prior2_final": D("3.80"), "history.reception.prior2_final": D("2.96"),
    "history.vehicle.prior2_final": D("19.45"),
}
# 三公 and 公用经费 其中 rows: 上年预算, 上年决算, 本年预算, 本年决算 (本年 ≠ 上年 everywhere, so every 增减 is non-zero)
for _row, _figures in {
    "abroad": ("4.00", "3.20", "3.50", "2.75"),
    "reception": ("3.00", "2.12", "2.50", "0.61"),
    "vehicle_purchase": ("12.00", "11.50", "9.00", "8.80"),
    "vehicle_operation": ("7.00", "6.60", "6.00", "5.43"),
    "office": ("100.00", "98.00", "100.00", "96.50"),
    "utilities_travel": ("80.00", "82.00", "85.00", "88.30"),
    "meeting": ("20.00", "18.50", "20.00", "21.20"),
    "training": ("30.00", "30.00", "35.00", "34.00"),
    "procurement": ("30.00", "28.10", "32.66", "30.66"),
}.items():
    LEAVES.update({f"spend.{_row}.{p}": D(v) for p, v in zip(PERIODS, _figures)})
for _i in range(1, PROJECT_ROWS + 1):
    LEAVES[f"projects.r{_i:02d}.actual"] = D(5) + D(_i) * D("0.37")
    LEAVES[f"projects.r{_i:02d}.initial"] = D(6) + D(_i) * D("0.37")
    LEAVES[f"projects.r{_i:02d}.adjusted"] = D(6) + D(_i) * D("0.37")
for _i in range(1, OUTPUT_ROWS + 1):
    LEAVES[f"outputs.r{_i:02d}.plan"] = D(100 + 7 * _i)
    LEAVES[f"outputs.r{_i:02d}.actual"] = D(95 + 7 * _i)
# 功能分类: every class non-zero; 201 takes the rest of 本年支出合计 (computed below)
for _k, _fid in enumerate(("exp.func.c202", "exp.func.c203", "exp.func.c204", "exp.func.c205", "exp.func.c206", "exp.func.c207",
                           "exp.func.c208", "exp.func.c210", "exp.func.c211", "exp.func.c212", "exp.func.c213", "exp.func.c214",
                           "exp.func.c215", "exp.func.c216", "exp.func.c217", "exp.func.c220", "exp.func.c221", "exp.func.c222",
                           "exp.func.c224", "exp.func.c229", "exp.func.c231", "exp.func.c232"), 1):
    LEAVES[_fid] = D("40.00") + D("1.10") * _k  # ≥ 41.10: each share of 本年支出合计 is ≥ 1.7 %


def percent(num: Fraction, den: Fraction) -> Decimal:
    """num/den × 100 rounded half-up to RATE_DECIMALS decimals, by hand (exact fractions, not the package's intervals)."""
    q = num * 100 / den
    return (D(q.numerator) / D(q.denominator)).quantize(D(1).scaleb(-RATE_DECIMALS), rounding=ROUND_HALF_UP)


def evaluate(ident: Identity, values: dict) -> Fraction:
    """The value the stated figure must have: Σ+ − Σ− (× 100 / Σden for a ratio), exactly."""
    f = lambda fid: Fraction(values[fid])  # noqa: E731
    top = sum((f(x) for x in ident.plus), Fraction(0)) - sum((f(x) for x in ident.minus), Fraction(0))
    if ident.kind == "ratio":
        return top * 100 / sum((f(x) for x in ident.den), Fraction(0))
    return top


@lru_cache(maxsize=32)
def _values(overrides: tuple = ()) -> dict[str, Decimal]:
    values = dict(LEAVES)
    values.update(overrides)
    by_stated = {}
    for ident in IDENTITIES:
        by_stated.setdefault(ident.stated, ident)
    by_stated["exp.total_year"] = next(i for i in IDENTITIES if i.rule == "SUM009")  # 201 is solved from SUM008 below
    # 本年支出合计 decides 201, 支出决算数 and the targets; solve in dependency order
    order = ["staff.quota.total", "staff.onpost.total", "staff.other.total", "staff.retired.total",
             "inc.total_year", "inc.fiscal_total", "inc.grand_total", "exp.basic", "exp.project", "exp.total_year"]
    for fid in order:
        values[fid] = _exact(evaluate(by_stated[fid], values))
    values["exp.func.c201"] = values["exp.total_year"] - sum(values[f] for f in LEAVES if f.startswith("exp.func."))
    values["exp.carryover_end"] = _exact(evaluate(by_stated["exp.carryover_end"], values))
    values["exp.grand_total"] = _exact(evaluate(by_stated["exp.grand_total"], values))
    values["budget.adjusted"] = _exact(evaluate(by_stated["budget.adjusted"], values))
    values["budget.final"] = values["exp.total_year"]
    values["goals.dept_amount"] = values["exp.total_year"]
    values["goals.project_amount"] = values["exp.project"]
    values["assets.fixed.closing"] = _exact(evaluate(by_stated["assets.fixed.closing"], values))
    for p in PERIODS:
        for fid in (f"spend.vehicle.{p}", f"spend.sanggong.{p}", f"spend.public.{p}"):
            values[fid] = _exact(evaluate(by_stated[fid], values))
    values["history.sanggong.prior2_final"] = _exact(evaluate(by_stated["history.sanggong.prior2_final"], values))
    # stated changes of each row from its own two figures (RATE004, RATE014, RATE016, RATE018); the 合计 rows' changes
    # then equal the sum of their parts' changes (SUM018, SUM019) — checked, not assumed, by the tests
    from_figures = {i.stated: i for i in IDENTITIES if i.rule in ("RATE004", "RATE014", "RATE016", "RATE018")}
    for r in CHANGE_ROWS:
        for col in CHANGE_SUM_COLUMNS:
            values[f"change.{r}.{col}"] = _exact(evaluate(from_figures[f"change.{r}.{col}"], values))
    for k in YEAR_TOTALS:
        values[f"{k}.change_amount"] = _exact(evaluate(by_stated[f"{k}.change_amount"], values))
    values["budget.gap"] = _exact(evaluate(by_stated["budget.gap"], values))
    for ident in IDENTITIES:
        if ident.kind == "ratio":
            values[ident.stated] = percent(evaluate(ident, values), Fraction(100))
    return values


def _exact(q: Fraction) -> Decimal:
    assert (q * 100).denominator == 1, q  # every money total of 2-decimal figures is a 2-decimal figure
    return D((q * 100).numerator) / 100


def typed(leaves: dict | None = None) -> dict[str, object]:
    """Values as a data file holds them: Decimals (percentages in points), dates, text.

    ``leaves`` replaces some hand-typed leaf figures; every total and rate is recomputed from them.
    """
    out: dict[str, object] = dict(TEXT)
    out.update(_values(tuple(sorted((leaves or {}).items()))))
    for i in range(1, PROJECT_ROWS + 1):
        out.update({f"projects.r{i:02d}.name": f"测试项目{i}", f"projects.r{i:02d}.source": "财政拨款",
                    f"projects.r{i:02d}.key": "是" if i == 1 else "否"})
    for i in range(1, OUTPUT_ROWS + 1):
        out.update({f"outputs.r{i:02d}.name": f"产出指标{i}", f"outputs.r{i:02d}.unit": "件"})
    out["projects.count"] = PROJECT_ROWS
    out["goals.project_count"] = PROJECT_ROWS
    assert {c[1] for c in COUNTS} <= set(out)
    return out


def raw(leaves: dict | None = None) -> dict[str, object]:
    """Values as cells hold them (what ``check_values`` takes): numbers, percentages as fractions."""
    pct = {i.stated for i in IDENTITIES if i.kind == "ratio"}
    out = {}
    for fid, v in typed(leaves).items():
        if isinstance(v, Decimal):
            out[fid] = float(v / 100) if fid in pct else (int(v) if v == v.to_integral_value() and "." not in str(v) else float(v))
        else:
            out[fid] = v
    return out
