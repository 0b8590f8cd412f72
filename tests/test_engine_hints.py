"""Which single input explains a gap: the hint as data (params["likely"]), one slip kind at a time.

The department is the consistent one of tests/rules/baseline.yml; each case types one slip and
asserts the (kind, field, value that would fit) the checker names, worked out by hand. A hint is
given for up to three explanations; more than three explain nothing and none is given.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from perfeval_xl.check import check_values
from test_engine_identities import BASELINE, check, one

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


ONE_PERSON = {"staff__quota__admin": 1, "staff__quota__inst": 0, "staff__quota__worker": 0, "staff__quota__total": 1,
              "staff__onpost__admin": 1, "staff__onpost__inst": 0, "staff__onpost__worker": 0, "staff__onpost__total": 1}


@pytest.mark.parametrize(("changes", "rule", "expected"), [
    # 20 + 1 = 21: a part of exactly 1 is a figure like any other (negated, or a digit short)
    ({"staff__retired__total": 19}, "SUM004", [("sign", "staff.retired.lixiu", -1)]),  # 20 − 1
    ({"staff__retired__total": 30}, "SUM004", [("shift", "staff.retired.lixiu", 10)]),  # 20 + 10
    # 2278.09 / 2297.96 = 99.14 %: 991.4 % is a digit too many (a rate shifts by one place as well as by a hundred)
    ({"budget__exec_rate": 9.914}, "RATE002", [("shift", "budget.exec_rate", D("99.14"))]),
    # 1 / 1 = 100 %: 1.00 % typed for 100 % is the percent slip the other way (×100)
    (dict(ONE_PERSON, staff__control_rate=0.01), "RATE001", [("percent", "staff.control_rate", D("100"))]),
    # digits of a rate as typed: 91.94 for 99.14
    ({"budget__exec_rate": 0.9194}, "RATE002", [("swap", "budget.exec_rate", D("99.14"))]),
    # digits of money at the decimals the cell prints: 1641.80 has a 0 to swap with (1641.08), and so has 1401.08 (1401.80)
    ({"exp__personnel": 1401.08, "exp__basic": 1641.8}, "SUM010",
     [("swap", "exp.basic", D("1641.08")), ("swap", "exp.personnel", D("1401.80"))]),
    # 1 / 2 = 50 % stated as 200 %: 2 / 1 fits, a numerator of exactly 1 is no reason to skip the swap
    (dict(ONE_PERSON, staff__quota__admin=2, staff__quota__total=2, staff__control_rate=2.0), "RATE001",
     [("num_den_swapped", None, None)]),
    # 1 / 10 = 10 % stated as 100 %: the rate a place off, 在岗 1 for 10, or 编制 10 for 1 (a denominator that becomes 1)
    (dict(ONE_PERSON, staff__quota__total=10, staff__control_rate=1.0), "RATE001",
     [("shift", "staff.control_rate", D("10")), ("shift", "staff.onpost.total", 10), ("shift", "staff.quota.total", 1)]),
])
def test_more_slips_are_named_with_the_value_that_would_fit(changes, rule, expected):
    assert hint(rule, **changes) == expected


@pytest.mark.parametrize(("changes", "rule"), [
    # 2278.09 / 2300.17 = 99.04 %; 99.4 typed is swapped as typed ("99.4"), not as the format shows it ("99.40")
    ({"budget__exec_rate": 0.994, "budget__adjusted": 2300.17}, "RATE002"),
    # 2278.09 / 11489.80 = 20.00 %; 100 has no two different digits to swap (not "1E+2" → "2E+1" = 20)
    ({"budget__exec_rate": 1.0, "budget__final": 459.59}, "RATE002"),
    # 49.57 % is half of 99.14 %: a rate is not a sum, so it is never "counted twice", nor are its numerator or denominator
    ({"budget__exec_rate": 0.4957}, "RATE002"),
])
def test_slips_that_a_rate_does_not_have_are_not_named(changes, rule):
    assert hint(rule, **changes) == []


def test_an_alternative_exactly_at_the_rounding_edge_of_a_bound_fits():
    # 其他人员 ≥ 政府雇员 2 (临聘 blank), stated 0: 政府雇员 left out gives a gap of exactly 0, the edge of “at least” for
    # exact counts (±0); negated (−2) gives +2
    assert hint("SUM003", staff__other__temp=None, staff__other__total=0) == [
        ("omitted", "staff.other.gov_employee", 0), ("sign", "staff.other.gov_employee", -2)]
    # 基本支出 ≥ 人员经费 1401.80 (公用经费 blank), stated 0: 人员经费 left out gives a gap of 0, inside ±0.01 (two figures)
    assert hint("SUM010", exp__public=None, exp__basic=0) == [("omitted", "exp.personnel", 0), ("sign", "exp.personnel", D("-1401.80"))]


@pytest.mark.parametrize(("rule", "changes", "message"), [
    # four blank parts: three named, all four counted, and which way the blanks bound the total
    ("SUM005", {"inc__gov_fund": None, "inc__state_capital": None, "inc__superior_subsidy": None, "inc__business": None,
                "inc__total_year": 2467.0},
     "本年收入合计填报 2,467.00万元，按八项收入来源之和计算应为 不小于2,467.08万元，相差 -0.08万元（二、政府性基金预算财政拨款收入、"
     "三、国有资本经营预算财政拨款收入、四、上级补助收入 等 4 项 未填写，按未知处理，合计至少应为已填各项之和；如确为 0 请填 0）"),
    ("ROLL001", {"assets__fixed__disposed": None, "assets__fixed__closing": 141, "assets__fixed__use_rate": None},
     "年末固定资产填报 141.00万元，按年初+本年增加−本年减少计算应为 不大于140.08万元，相差 +0.92万元（本年减少 未填写，按未知处理，"
     "合计至多应为已填各项之差；如确为 0 请填 0）"),
    ("SUM005", dict(THREE_TENS, inc__total_year=2507.08),
     "本年收入合计填报 2,507.08万元，按八项收入来源之和计算应为 2,497.08万元，相差 +10.00万元。可能原因："
     "差额恰等于二、政府性基金预算财政拨款收入（10.00万元）：该项可能被重复计入；或差额恰等于四、上级补助收入（10.00万元）："
     "该项可能被重复计入；或差额恰等于五、事业收入（10.00万元）：该项可能被重复计入"),
    ("RATE002", {"budget__exec_rate": 9.914},
     "预算执行率（报告所述）填报 991.4%，按支出决算/调整后预算计算应为 99.14%，相差 +892.26 个百分点。可能原因："
     "若预算执行率（报告所述）为 99.14%（而非 991.4%）则相符：可能多输或少输了一位，或小数点位置错了"),
    ("RATE001", dict(ONE_PERSON, staff__quota__admin=2, staff__quota__total=2, staff__control_rate=2.0),
     "在职人员控制率（报告所述）填报 200%，按在编在岗/编制数计算应为 50.00%，相差 +150 个百分点。可能原因："
     "若分子分母对调则相符：可能把分子和分母弄反了"),
    ("SUM010", {"exp__public": 0, "exp__basic": 1641.8},  # no blank part, no hint: nothing after the figures
     "基本支出填报 1,641.80万元，按人员经费+公用经费计算应为 1,401.80万元，相差 +240.00万元"),
])
def test_the_message_says_the_blanks_and_the_hint_in_words(rule, changes, message):
    # the data (params["unreported"], params["likely"]) is asserted above; this is the sentence the accountant reads
    assert one(rule, **changes).message == message


def test_an_alternative_exactly_at_the_rounding_edge_of_an_upper_bound_fits():
    # 期末 ≤ 期初 + 增加 (减少 blank). 期初 printed at one decimal (±0.05), 增加 0 and 期末 at two (±0.005 each): ±0.06.
    # 期初 13.8 typed for 138.0 gives 期末 138.06 − 138.0 = +0.06, exactly the edge of “at most”; so do the sign of
    # 期末 and 期初 typed in 元 (138000)
    raw = dict(BASELINE, **{"assets.fixed.disposed": None, "assets.fixed.use_rate": None, "assets.fixed.added": 0,
                            "assets.fixed.opening": 13.8, "assets.fixed.closing": 138.06})
    [f] = [f for f in check_values(raw, precisions={"assets.fixed.opening": 1}) if f.rule_id == "ROLL001"]
    assert f.params["half_width"] == D("0.06")
    assert [(d["kind"], d["field_id"], d["value"]) for d in f.params["likely"]] == [
        ("sign", "assets.fixed.closing", D("-138.06")), ("shift", "assets.fixed.opening", 138), ("yuan", "assets.fixed.opening", 138000)]
