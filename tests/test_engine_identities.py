"""Identity evaluation, case by case: sums, bounds from blank parts, ratios, zero denominators and counts.

Each case changes one or two cells of the consistent department in tests/rules/baseline.yml and
asserts the finding as data — rule, severity, rounding flag, the cells and their roles, the
figures (expected, stated, gap) and params — worked out by hand in the comments. The file is
fast (one ``check_values`` per case) so ``scripts/mutation.sh engine`` runs it per mutant.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

from perfeval_xl.check import check_values
from perfeval_xl.rules.base import Severity
from perfeval_xl.schema import SCHEMA

BASELINE = yaml.safe_load((Path(__file__).parent / "rules" / "baseline.yml").read_text(encoding="utf-8"))
FAMILIES = ("SUM", "ROLL", "XREF", "RATE", "MISS")


def check(**changes):
    raw = dict(BASELINE)
    raw.update({k.replace("__", "."): v for k, v in changes.items()})
    return [f for f in check_values(raw) if f.rule_id.rstrip("0123456789") in FAMILIES]


def one(rule_id: str, **changes):
    found = [f for f in check(**changes) if f.rule_id == rule_id]
    assert len(found) == 1, [(f.rule_id, f.params.get("identity")) for f in check(**changes)]
    return found[0]


def unverifiable(identity: str, **changes):
    """The MISS002 saying ``identity`` cannot be checked."""
    found = [f for f in check(**changes) if f.rule_id == "MISS002" and f.params["identity"] == identity]
    assert len(found) == 1, [(f.rule_id, f.params.get("identity")) for f in check(**changes)]
    return found[0]


def roles(f) -> list[tuple[str, str]]:
    return [(c.field_id, c.role) for c in f.cells]


def likely(f) -> list[tuple]:
    return [(d["kind"], d["field_id"], d["value"]) for d in f.params["likely"]]


def test_the_baseline_is_consistent():
    assert check() == []


# -- sums: exact, within rounding, outside it -------------------------------------------------------


def test_a_count_total_one_too_many_is_an_error_with_its_figures_and_cells():
    # 30 + 12 + 3 = 45; counts are exact (half-width 0); the total doubled 工勤 3 → 48 would fit
    f = one("SUM001", staff__quota__total=48)
    assert (f.severity, f.rounding, f.expected, f.actual, f.difference) == (Severity.ERROR, False, 45, 48, 3)
    assert roles(f) == [("staff.quota.total", "stated"), ("staff.quota.admin", "term"), ("staff.quota.inst", "term"),
                        ("staff.quota.worker", "term")]
    assert (f.params["expected"], f.params["actual"], f.params["diff"], f.params["half_width"]) == ("45人", "48人", "+3人", 0)
    assert f.params["unreported"] == () and likely(f) == [("doubled", "staff.quota.worker", D(6))]


def test_a_total_one_cent_off_three_rounded_figures_is_a_rounding_warning():
    # 1401.80 + 240.00 = 1641.80; each of the three figures is ±0.005, so ±0.015 together: 0.01 is rounding, 0.02 is not
    f = one("SUM010", exp__basic=1641.81)
    assert (f.severity, f.rounding, f.difference, f.params["half_width"]) == (Severity.WARNING, True, D("0.01"), D("0.015"))
    assert f.params["likely"] == () and f.params["expected"] == "1,641.80万元"
    f = one("SUM010", exp__basic=1641.82)
    assert (f.severity, f.rounding, f.difference) == (Severity.ERROR, False, D("0.02"))


def test_a_total_less_by_the_negative_term_is_named_as_a_sign_slip():
    # 138.36 + 1.72 − 7.34 = 132.74; 138.36 + 1.72 + 7.34 = 147.42: the disposal added instead of subtracted
    f = one("ROLL001", assets__fixed__closing=147.42, assets__fixed__use_rate=None)
    assert (f.expected, f.difference) == (D("132.74"), D("14.68"))
    assert ("sign", "assets.fixed.disposed", D("-7.34")) in likely(f)
    assert roles(f)[-1] == ("assets.fixed.disposed", "term")


# -- blank parts: unknown, not zero ---------------------------------------------------------------


def test_blank_parts_that_cannot_be_negative_make_the_total_a_lower_bound():
    # 基本 1641.80 + 项目 636.29 = 2278.09 with 上缴上级/经营/对附属 blank: 本年支出合计 ≥ 2278.09
    assert not [f for f in check(exp__total_year=2300, goals__dept_amount=2300, budget__final=2300, budget__exec_rate=None)
                if f.rule_id == "SUM009"]
    f = one("SUM009", exp__total_year=2278.0, goals__dept_amount=2278.0, budget__final=2278.0, budget__exec_rate=None)
    assert (f.severity, f.expected, f.difference) == (Severity.ERROR, D("2278.09"), D("-0.09"))
    assert f.params["expected"] == "不小于2,278.09万元"
    assert f.params["unreported"] == ("exp.upper", "exp.operating", "exp.affiliate")
    assert all(SCHEMA[fid].label in f.message for fid in f.params["unreported"])


def test_a_blank_subtracted_part_makes_the_total_an_upper_bound():
    # 期初 138.36 + 增加 1.72 = 140.08 with 减少 blank: 期末 ≤ 140.08
    assert not [f for f in check(assets__fixed__disposed=None, assets__fixed__closing=140.08, assets__fixed__use_rate=None)
                if f.rule_id == "ROLL001"]
    f = one("ROLL001", assets__fixed__disposed=None, assets__fixed__closing=141, assets__fixed__use_rate=None)
    assert (f.expected, f.actual, f.difference, f.params["expected"]) == (D("140.08"), 141, D("0.92"), "不大于140.08万元")
    assert f.params["unreported"] == ("assets.fixed.disposed",)


def test_blank_parts_of_both_signs_leave_the_total_unverifiable():
    # 年末结转 = 年初结转 + 本年收入 + 非财政结余 − 本年支出 − 结余分配: one blank added part and one blank subtracted part
    f = unverifiable("ROLL003", inc__non_fiscal_balance_used=None, exp__surplus_distribution=None)
    assert f.cells[0].field_id == "exp.carryover_end"
    assert roles(f)[1:] == [("inc.non_fiscal_balance_used", "term"), ("exp.surplus_distribution", "term")]


def test_a_blank_part_that_may_be_negative_leaves_the_total_unverifiable():
    # 三公 增减额 = Σ rows' 增减额; a row's change may be negative, so a blank one bounds nothing
    f = one("MISS002", change__vehicle__amount=None, change__vehicle__rate=None)
    assert f.params["identity"] == "SUM018" and roles(f)[1:] == [("change.vehicle.amount", "term")]
    # what the blank part must be for the stated total: −2.68 − (0 + (−1.51)) = −1.17, said so it can be checked
    assert f.message.endswith("按所述数与已填各项推算，未填的公务用车购置及运行维护费增减额应为 -1.17万元，请对照报告核实")


def test_an_at_least_identity_checks_only_the_lower_side():
    # 公用经费 本年决算 240.00 ≥ 办公 96.50 + 水电差旅 88.30 + 会议 21.20 + 培训 34.00 = 240.00
    assert check(spend__public__final=250) == []
    f = one("SUM014", spend__public__final=239)
    assert (f.expected, f.difference, f.params["expected"]) == (D("240.00"), D("-1.00"), "240.00万元")  # no "不小于": it is the rule


def test_an_at_least_identity_with_a_blank_subtracted_side_or_no_parts_says_nothing():
    blank = {f"spend__{row}__final": None for row in ("office", "utilities_travel", "meeting", "training")}
    assert check(spend__public__final=1, **blank) == []


def test_a_change_total_without_any_stated_part_is_not_checked():
    # SUM018 is quiet when no row states its change: the 合计 row is then the only figure
    rows = {f"change__{r}__amount": None for r in ("abroad", "reception", "vehicle")}
    assert not [f for f in check(**rows, change__reception__rate=None, change__vehicle__rate=None) if
                f.params.get("identity") == "SUM018" or f.rule_id == "SUM018"]


def test_a_stated_total_with_no_part_filled_is_unverifiable_unless_it_is_zero():
    parts = {"staff__quota__admin": None, "staff__quota__inst": None, "staff__quota__worker": None}
    f = one("MISS002", **parts)
    assert f.params["identity"] == "SUM001" and f.params["missing"] == "行政编制、事业编制、工勤编制"
    assert f.params["stated_label"] == SCHEMA["staff.quota.total"].label and f.params["basis"] == "行政+事业+工勤编制"
    assert roles(f) == [("staff.quota.total", "stated"), ("staff.quota.admin", "term"), ("staff.quota.inst", "term"),
                        ("staff.quota.worker", "term")]
    assert not [f for f in check(**parts, staff__quota__total=0, staff__control_rate=None) if f.rule_id.startswith(("MISS", "SUM"))]


def test_an_identity_that_needs_every_term_is_unverifiable_with_one_blank():
    # 增减额 = 本年决算 − 上年决算 needs both; a blank 本年决算 is never taken as 0
    found = [f for f in check(spend__reception__final=None) if f.rule_id == "MISS002"]
    assert {"RATE004", "RATE005"} <= {f.params["identity"] for f in found}
    rate004 = next(f for f in found if f.params["identity"] == "RATE004")
    assert roles(rate004) == [("change.reception.amount", "stated"), ("spend.reception.final", "term")]


# -- a blank total --------------------------------------------------------------------------------


def test_a_blank_total_with_its_parts_filled_says_what_they_add_up_to():
    f = one("MISS003", staff__quota__total=None)
    assert f.params["identity"] == "SUM001" and f.params["expected"] == "45人"
    assert f.cells[0].field_id == "staff.quota.total" and f.cells[0].role == "stated" and f.cells[0].value is None
    f = one("MISS003", staff__quota__total=None, staff__quota__worker=None)
    assert f.params["expected"] == "42人（部分分项未填）" and len(f.cells) == 3


def test_a_blank_total_without_parts_a_blank_rate_or_a_blank_difference_is_no_miss003():
    assert not [f for f in check(staff__quota__total=None, staff__quota__admin=None, staff__quota__inst=None,
                                 staff__quota__worker=None) if f.rule_id == "MISS003"]
    assert not [f for f in check(staff__control_rate=None) if f.rule_id == "MISS003"]
    assert not [f for f in check(change__reception__amount=None) if f.rule_id == "MISS003"]  # a 增减额 needs every term
    assert not [f for f in check(goals__dept_amount=None) if f.rule_id == "MISS003"]  # a cross-check is no sum


# -- ratios ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("stated", "severity"), [
    (0.9333, None),  # 42 / 45 = 93.333… → 93.33
    (0.9334, Severity.ERROR),  # counts are exact: 93.34 is neither the rounded nor the truncated value
    (0.9332, Severity.ERROR),
])
def test_a_rate_of_exact_counts_allows_no_rounding_slack(stated, severity):
    found = [f for f in check(staff__control_rate=stated) if f.rule_id == "RATE001"]
    assert [f.severity for f in found] == ([severity] if severity else [])
    if found:
        assert found[0].expected == D("93.33") and found[0].params["expected"] == "93.33"
        assert roles(found[0]) == [("staff.control_rate", "stated"), ("staff.onpost.total", "term"),
                                   ("staff.quota.total", "denominator")]


def test_a_rate_of_small_rounded_figures_may_be_off_by_their_rounding():
    # (0.61 − 2.12) / 2.12 = −71.23 %; with ±0.005 on each figure anything in about [−71.9, −70.6] % is rounding
    f = one("RATE005", change__reception__rate=-0.715)
    assert (f.severity, f.rounding, f.expected, f.params["diff"]) == (Severity.WARNING, True, D("-71.23"), "-0.27")
    assert f.params["likely"] == () and f.message.endswith("；差额在分子、分母及比率本身的舍入误差范围内，属舍入差异")
    f = one("RATE005", change__reception__rate=-0.75)
    assert (f.severity, f.rounding) == (Severity.ERROR, False)


def test_a_zero_denominator_with_a_zero_rate_and_numerator_is_fine():
    assert check(change__abroad__rate=0) == []


def test_a_rate_over_a_zero_denominator_is_rate012_naming_the_denominator():
    f = one("RATE012", change__abroad__rate=0.5)
    assert (f.severity, f.actual, f.params["actual"], f.params["identity"]) == (Severity.ERROR, D(50), "50", "RATE005")
    assert f.params["den_label"] == SCHEMA["spend.abroad.prior_final"].label
    f = one("RATE012", change__abroad__completion=1.0)
    assert f.severity is Severity.ERROR and f.params["identity"] == "RATE006"
    assert roles(f) == [("change.abroad.completion", "stated"), ("spend.abroad.budget", "denominator"),
                        ("spend.abroad.final", "term")]


def test_growth_of_100_percent_from_nothing_is_only_a_warning():
    # 上年 0 → 本年 3: “增长100%” is the usual way to write “new”; any other rate over a zero base is an error
    new = {"spend__abroad__final": 3, "spend__sanggong__final": 9.04, "change__abroad__amount": 3,
           "change__sanggong__amount": 0.32, "change__sanggong__rate": 0.0367}
    assert one("RATE012", **new, change__abroad__rate=1.0).severity is Severity.WARNING
    assert one("RATE012", **new, change__abroad__rate=0.99).severity is Severity.ERROR


def test_a_rate_whose_numerator_is_blank_is_unverifiable_never_minus_100_percent():
    found = [f for f in check(spend__reception__final=None) if f.rule_id.startswith("RATE")]
    assert found == []


# -- counts ---------------------------------------------------------------------------------------


def test_a_count_that_disagrees_with_the_names_listed():
    f = one("XREF005", org__internal__count=4)
    assert (f.expected, f.actual, f.difference, f.params["expected"], f.params["actual"]) == (3, 4, 1, 3, "4")
    assert roles(f) == [("org.internal.count", "stated")] + [(f"org.internal.name_0{i}", "listed") for i in (1, 2, 3)]
    blank_one = one("XREF005", org__internal__count=3, org__internal__name_02="  ")
    assert (blank_one.expected, blank_one.actual) == (2, 3) and len(blank_one.cells) == 3


def test_a_count_without_any_name_listed():
    names = {f"org__internal__name_0{i}": None for i in (1, 2, 3)}
    f = one("MISS002", org__internal__count=2, **names)
    assert (f.params["identity"], f.params["missing"]) == ("XREF005", "内设机构名称") and roles(f) == [("org.internal.count", "stated")]
    assert f.params["basis"] == "核对个数"
    assert check(org__internal__count=0, **names) == []
    assert check(org__internal__count=None) == []


def test_a_blank_note_names_at_most_three_unknown_parts_and_counts_the_rest():
    # SUM009: three blank parts, all named; SUM008: 19 blank 功能分类 classes, the first three named and all counted
    cut = {"exp__total_year": 2278.0, "goals__dept_amount": 2278.0, "budget__final": 2278.0, "budget__exec_rate": None}
    three = one("SUM009", **cut)
    assert all(SCHEMA[fid].label in three.message for fid in three.params["unreported"]) and " 等 " not in three.message
    many = one("SUM008", **cut)
    blank = many.params["unreported"]
    assert len(blank) == 19 and f" 等 {len(blank)} 项" in many.message
    assert [SCHEMA[fid].label in many.message for fid in blank[:4]] == [True, True, True, False]


def test_a_project_row_counts_as_a_part_only_when_it_is_there():
    # 项目支出 = Σ 项目明细实际支出 of the rows that have a name: r01 400.00 + r03 86.00 with r02's figure blank (its name
    # given) bounds it from below; the twenty unnamed rows are no parts at all
    f = one("SUM015", projects__r02__actual=None, exp__project=480)
    assert (f.expected, f.params["expected"], f.params["unreported"]) == (D("486.00"), "不小于486.00万元", ("projects.r02.actual",))
    assert roles(f) == [("exp.project", "stated"), ("projects.r01.actual", "term"), ("projects.r03.actual", "term")]


def test_an_at_least_identity_with_a_blank_part_is_still_a_lower_bound():
    # 公用经费 ≥ 办公 96.50 + 水电差旅 88.30 + 培训 34.00 = 218.80 with 会议 blank
    f = one("SUM014", spend__meeting__final=None, spend__public__final=200)
    assert (f.expected, f.difference, f.params["unreported"]) == (D("218.80"), D("-18.80"), ("spend.meeting.final",))
    assert not [f for f in check(spend__meeting__final=None, spend__public__final=218.8) if f.rule_id == "SUM014"]


def test_a_blank_roll_forward_total_says_what_its_parts_give():
    f = one("MISS003", assets__fixed__closing=None, assets__fixed__use_rate=None)
    assert (f.params["identity"], f.params["expected"]) == ("ROLL001", "132.74万元")
    assert (f.params["stated_label"], f.params["basis"]) == (SCHEMA["assets.fixed.closing"].label, "年初+本年增加−本年减少")
    assert roles(f) == [("assets.fixed.closing", "stated"), ("assets.fixed.opening", "term"), ("assets.fixed.added", "term"),
                        ("assets.fixed.disposed", "term")]


def test_a_stated_zero_that_needs_a_blank_term_is_not_called_unverifiable():
    # 增减额 0 with 本年决算 blank: a 0 is what an empty line states, nothing to flag
    found = check(change__reception__amount=0, spend__reception__final=None, change__reception__rate=None,
                  change__reception__completion=None)
    assert "RATE004" not in {f.params.get("identity") for f in found if f.rule_id == "MISS002"}


def test_an_identity_reading_a_blocked_cell_is_skipped():
    # text in 其他收入: VAL002 names the cell; SUM005 and the rates reading it say nothing more
    assert check(inc__other="abc") == []


def test_a_stated_zero_total_over_a_part_that_may_be_negative_is_not_called_unverifiable():
    # 三公 增减额 0 with 车辆 增减额 blank: that part may be negative, so nothing bounds the total — but a 0 is not flagged
    found = check(change__vehicle__amount=None, change__vehicle__rate=None, change__sanggong__amount=0, change__sanggong__rate=None)
    assert [(f.rule_id, f.params.get("identity")) for f in found] == [("RATE004", None)]  # 0 ≠ 6.04 − 8.72, said by RATE004


@pytest.mark.parametrize("changes", [
    {"staff__quota__total": 48},  # SUM, an error
    {"exp__basic": 1641.81},  # SUM, a rounding warning
    {"budget__exec_rate": 0.9941},  # a ratio
    {"change__abroad__rate": 0.5},  # RATE012
    {"org__internal__count": 4},  # a count
    {"org__internal__count": 2, "org__internal__name_01": None, "org__internal__name_02": None, "org__internal__name_03": None},
    {"assets__fixed__closing": None, "assets__fixed__use_rate": None},  # MISS003
    {"staff__quota__admin": None, "staff__quota__inst": None, "staff__quota__worker": None},  # MISS002
])
def test_every_identity_finding_names_its_stated_figure_and_basis(changes):
    found = check(**changes)
    assert found
    for f in found:
        assert f.cells[0].role == "stated" and f.params["stated_label"] == SCHEMA[f.cells[0].field_id].label
        assert f.params.get("basis", "n/a") not in (None, "")


def test_a_ratio_finding_carries_its_figures_as_printed():
    # 2278.09 / 2297.96 = 99.1353… % → 99.14; typed 99.41
    f = one("RATE002", budget__exec_rate=0.9941)
    assert (f.params["actual"], f.params["expected"], f.params["diff"], f.params["unreported"]) == ("99.41", "99.14", "+0.27", ())


def test_a_one_person_department_is_100_percent_staffed():
    one_each = {"staff__quota__admin": 1, "staff__quota__inst": 0, "staff__quota__worker": 0, "staff__quota__total": 1,
                "staff__onpost__admin": 1, "staff__onpost__inst": 0, "staff__onpost__worker": 0, "staff__onpost__total": 1}
    assert not [f for f in check(**one_each, staff__control_rate=1.0) if f.rule_id == "RATE001"]
    assert one("RATE001", **one_each, staff__control_rate=0.99).expected == D("100.00")


def test_a_stated_zero_rate_that_needs_a_blank_figure_is_not_called_unverifiable():
    found = check(change__reception__rate=0, spend__reception__final=None, change__reception__amount=None,
                  change__reception__completion=None)
    assert "RATE005" not in {f.params.get("identity") for f in found if f.rule_id == "MISS002"}


def test_a_total_below_an_upper_bound_is_fine():
    # 期末 ≤ 140.08 with 减少 blank: 132.74 (the real figure, 7.34 disposed) is within the bound
    assert not [f for f in check(assets__fixed__disposed=None, assets__fixed__closing=132.74, assets__fixed__use_rate=None)
                if f.rule_id == "ROLL001"]


def test_a_blocked_stated_figure_is_not_read_as_blank():
    # text in 本年收入合计 (VAL002 names it): SUM005/SUM016 must not call the total blank (MISS003) nor the rates reading
    # it unverifiable (MISS002); text in 本年支出 must not make 预算执行率 unverifiable either
    assert check(inc__total_year="abc") == []
    assert check(budget__final="abc") == []


def test_a_prior_year_figure_derived_from_its_change_is_blank_again_for_later_checks():
    # 三公 上年决算 blank: 8.72 = 6.04 − (−2.68) is derived for the identities (all hold), then the cell is blank again
    # for the checks after them, which read a blank, not a stand-in value
    assert check(spend__sanggong__prior_final=None) == []


def test_a_rounding_difference_names_no_likely_slip_even_when_one_would_fit():
    # 1641.79 + 0.01 = 1641.80 against 1641.81: within ±0.015, a rounding warning; 公用经费 0.01 counted twice would
    # also close the gap, but a gap rounding explains is not put down to a slip
    f = one("SUM010", exp__personnel=1641.79, exp__public=0.01, exp__basic=1641.81)
    assert (f.severity, f.rounding, f.difference) == (Severity.WARNING, True, D("0.01"))
    assert f.params["likely"] == ()


def test_a_rounding_difference_in_a_rate_names_no_likely_slip_even_when_one_would_fit():
    # 2.50 / 2.51 = 99.60 %; with ±0.005 on each figure 99.2 %–100.0 %, so a stated 100.00 % is rounding. Numerator and
    # denominator swapped (2.51 / 2.50 = 100.4 %, 100.0 %–100.8 %) would fit too, but is not named
    f = one("RATE006", spend__reception__final=2.50, spend__reception__budget=2.51, change__reception__completion=1.0)
    assert (f.severity, f.rounding, f.expected) == (Severity.WARNING, True, D("99.60"))
    assert f.params["likely"] == ()


def test_a_gap_in_a_sum_over_a_figure_derived_from_a_rate_is_given_at_printed_decimals():
    # 接待费 上年 blank and its 增减额 blank: derived from the rate, 0.61 / (1 − 71.23 %) = 2.1203… (2.10～2.14);
    # 三公 上年 0 + 2.1203… + 6.60 = 8.7203… against 9.72: a gap of about 1.00, an error, quoted at two decimals
    f = one("SUM012", spend__reception__prior_final=None, change__reception__amount=None, spend__sanggong__prior_final=9.72)
    assert (f.severity, f.rounding, round(f.expected, 4), round(f.difference, 4)) == (Severity.ERROR, False, D("8.7205"), D("0.9995"))
    assert (f.params["expected"], f.params["diff"]) == ("约8.72万元", "+1.00万元")
    assert ("spend.reception.prior_final", "derived") in roles(f)
