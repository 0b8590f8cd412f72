"""Which single input explains a gap: the hint as data (params["likely"]), one slip kind at a time.

The department is the consistent one of tests/rules/baseline.yml; each case types one slip and
asserts the (kind, field, value that would fit) the checker names, worked out by hand. A hint is
given for up to three explanations; more than three explain nothing and none is given.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from test_engine_identities import check, one

# 一般公共预算 2439.76 + 其他 27.32 = 2467.08; give 政府性基金, 上级补助, 事业收入 (and 经营收入) 10 each
THREE_TENS = {"inc__gov_fund": 10, "inc__superior_subsidy": 10, "inc__business": 10, "inc__fiscal_total": 2449.76}
FOUR_TENS = dict(THREE_TENS, inc__operating=10)


def hint(rule_id: str, **changes) -> list[tuple]:
    f = one(rule_id, **changes)
    return [(d["kind"], d["field_id"], d["value"]) for d in f.params["likely"]]


@pytest.mark.parametrize(("changes", "rule", "expected"), [
    # 30 + 12 + 3 = 45
    ({"staff__quota__total": 42}, "SUM001", [("omitted", "staff.quota.worker", 0)]),  # 工勤 left out
    ({"staff__quota__total": 48}, "SUM001", [("doubled", "staff.quota.worker", 6)]),  # 工勤 counted twice
    ({"staff__quota__total": 39}, "SUM001", [("sign", "staff.quota.worker", -3)]),  # 30 + 12 − 3
    ({"staff__quota__total": 18}, "SUM001", [("shift", "staff.quota.admin", 3)]),  # 行政 30 read as 3
    ({"staff__quota__total": 450}, "SUM001", [("shift", "staff.quota.total", 45)]),  # a digit too many in the total
    ({"staff__quota__total": 54}, "SUM001", [("swap", "staff.quota.total", 45), ("swap", "staff.quota.inst", 21)]),
    # 1401.80 + 240.00 = 1641.80
    ({"exp__basic": 1614.8}, "SUM010", [("swap", "exp.basic", D("1641.80"))]),
    ({"exp__public": 204.0}, "SUM010", [("swap", "exp.public", D("240.00"))]),
    ({"exp__public": 2400.0}, "SUM010", [("shift", "exp.public", D("240.00"))]),
    ({"exp__public": 2400000}, "SUM010", [("yuan", "exp.public", D("240"))]),  # 元 typed into a 万元 cell
    ({"exp__basic": 16418000}, "SUM010", [("yuan", "exp.basic", D("1641.8"))]),
    # 2278.09 / 2297.96 = 99.14 %
    ({"budget__exec_rate": 99.14}, "RATE002", [("percent", "budget.exec_rate", D("99.14"))]),  # 9914 % typed
    ({"budget__exec_rate": 1.0087}, "RATE002", [("num_den_swapped", None, None)]),  # 2297.96 / 2278.09 = 100.87 %
    ({"budget__adjusted": 2279.96}, "RATE002", [("swap", "budget.adjusted", D("2297.96"))]),
    ({"budget__final": 22780.9}, "RATE002", [("shift", "budget.final", D("2278.09")), ("shift", "budget.adjusted", D("22979.6"))]),
    # (0.61 − 2.12) / 2.12 = −71.23 %
    ({"change__reception__rate": 0.7123}, "RATE005", [("sign", "change.reception.rate", D("-71.23"))]),
])
def test_each_slip_is_named_with_the_value_that_would_fit(changes, rule, expected):
    assert hint(rule, **changes) == expected


def test_three_explanations_are_all_given():
    f = one("SUM005", **THREE_TENS, inc__total_year=2507.08)  # 10 more than 2497.08: any of the three counted twice
    assert [(d["kind"], d["field_id"]) for d in f.params["likely"]] == [
        ("doubled", "inc.gov_fund"), ("doubled", "inc.superior_subsidy"), ("doubled", "inc.business")]
    assert f.message.count("可能原因") == 1 and f.message.count("；或") == 2


@pytest.mark.parametrize("stated", [2517.08, 2497.08])  # 10 more (four doubles) or 10 less (four omissions)
def test_four_explanations_explain_nothing(stated):
    f = one("SUM005", **FOUR_TENS, inc__total_year=stated)
    assert f.params["likely"] == () and "可能原因" not in f.message


def test_a_zero_figure_is_never_the_slip():
    # 公用经费 0: the gap 240.00 is not explained by 0 doubled, negated or shifted
    assert hint("SUM010", exp__public=0, exp__basic=1641.8) == []
    assert hint("SUM010", exp__public=0.0, exp__basic=1641.8) == []


def test_a_gap_within_rounding_gets_no_hint():
    assert hint("SUM010", exp__basic=1641.81) == []


def test_parts_that_are_all_zero_explain_no_total():
    # 政府雇员 0 + 临聘 0 = 0 against a stated 7: no single slip in 0 makes 7, and the total is not a part of itself
    assert hint("SUM003", staff__other__gov_employee=0, staff__other__temp=0) == []


def test_a_bound_is_met_from_its_own_side():
    # 公用经费 ≥ 240.00: 42.00 typed for 420 (or 42 万元 typed in 元) would satisfy “at least”, though neither equals 240
    assert hint("SUM014", spend__public__final=42.0) == [("shift", "spend.public.final", D("420")),
                                                          ("yuan", "spend.public.final", D("420000"))]
    # 期末 ≤ 期初 138.36 + 增加 1.72 (减少 blank): 14008 negated, or 期初/增加 typed in 元, would satisfy “at most”
    assert hint("ROLL001", assets__fixed__disposed=None, assets__fixed__closing=14008, assets__fixed__use_rate=None) == [
        ("sign", "assets.fixed.closing", D("-14008")), ("yuan", "assets.fixed.opening", D("1383600")),
        ("yuan", "assets.fixed.added", D("17200"))]


def test_a_ratio_hint_is_said_in_the_message_too():
    f = one("RATE002", budget__exec_rate=99.14)
    assert f.params["likely"] and f.message.count("可能原因") == 1
