"""Indicator declarations, scoring rules and profiles (domain.md §2, §4.2)."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal as D

import pytest

from perfeval_xl.indicators import INDICATORS, PROFILES, grade, profile_from_data, score
from perfeval_xl.schema import SCHEMA

from scoring_scenarios import EDGES, EXAMPLE_2018, GRADE_EDGE, NO_BUILDING


def with_(base: dict, **changes) -> dict:
    out = dict(base)
    for k, v in changes.items():
        out[k.replace("__", ".")] = v
    return out


# -- domain.md §4.2: the 2018 unit ---------------------------------------------------------


def test_staff_control_136_of_143_is_95_10_and_full_marks():
    card = score(EXAMPLE_2018, "V3")
    item = card["STAFF_CONTROL"]
    assert item.value.quantize(D("0.01")) == D("95.10")
    assert item.score == 8
    assert item.explanation == "在职人员控制率 95.10% ≤ 100%，得满分 8 分"
    assert score(EXAMPLE_2018, "V1")["STAFF_CONTROL"].score == 5


def test_sanggong_change_on_budget_basis_98_31_scores_zero_of_8():
    item = score(EXAMPLE_2018, "V3")["SANGGONG_CHANGE_BUDGET"]
    assert item.value == D("98.3125")  # (63.46 − 32) / 32
    assert item.score == 0
    assert "98.31%" in item.explanation and item.explanation.endswith("扣 8 分")


def test_sanggong_change_on_final_basis_is_52_30():
    assert INDICATORS["SANGGONG_CHANGE_FINAL"].evaluate(EXAMPLE_2018).value.quantize(D("0.01")) == D("52.30")


def test_budget_completion_99_27_keeps_full_8():
    item = score(EXAMPLE_2018, "V3")["BUDGET_COMPLETION"]
    assert item.value.quantize(D("0.01")) == D("99.27")
    assert item.score == 8
    assert "不足 5 个百分点，不扣分" in item.explanation


def test_budget_control_39_94_scores_zero():
    item = score(EXAMPLE_2018, "V3")["BUDGET_CONTROL"]
    assert item.value.quantize(D("0.01")) == D("39.94")
    assert item.score == 0
    assert item.explanation == "预算控制率 39.94%，超过 30%，按评分标准得 0 分，扣 8 分"


def test_v3_gives_no_grade_on_the_32_points_the_sources_cover():
    """The 2018 unit was printed "差" from 16 of 32 points: a grade on a third of the table is wrong."""
    card = score(EXAMPLE_2018, "V3")
    assert card.total is None and card.grade is None and card.max_total == 100
    assert (card.scored_points, card.pending) == (D(32), 2)
    assert card.explanation == "已评 32 / 100 分，尚有 2 项待评"
    full = score(EXAMPLE_2018, "V3", {"E01": (D(40), "资产账实不符"), "E02": (D(24), "产出未全部完成")})
    assert (full.total, full.grade, full.explanation) == (D(80), "良", "总分 80 分，评价等级：良")


def test_evaluator_rows_need_a_score_in_range_and_a_reason_below_full_marks():
    def row(given):
        return score(EXAMPLE_2018, "V3", {"E01": given})["E01"]

    assert (row(None).score, row(None).explanation) == (None, "待评价组评分（满分 42 分）")
    assert (row((D(43), None)).score, row((D(43), None)).explanation) == (None, "评价组得分 43 超出 0–42 分，需更正")
    assert row((D(-1), None)).score is None
    assert row((D("40.5"), None)).explanation == "评价组评分 40.5 分（未填写扣分理由）"
    assert row((D(40), " 资产  账实不符 ")).explanation == "评价组评分 40 分，扣分理由：资产 账实不符"
    assert row((D(42), None)).explanation == "评价组评分 42 分（满分）"
    assert row((D(42), None)).score == 42


def test_procurement_execution_100():
    assert INDICATORS["PROCUREMENT_EXEC"].evaluate(EXAMPLE_2018).value == 100


# -- rule semantics (domain.md §2.3) -----------------------------------------------------------


def _control(added: str) -> dict:
    return {"budget.initial": D(1000), "budget.added": D(added)}


@pytest.mark.parametrize(
    "added,v1,v3",
    [("0", 5, 8), ("0.01", 5, 8), ("0.05", 4, 6), ("100", 4, 6), ("100.04", 4, 6), ("100.05", 3, 4), ("200", 3, 4),
     ("300", 2, 2), ("300.001", 2, 2), ("300.05", 0, 0)],
)
def test_budget_control_band_edges(added, v1, v3):
    """(0,10%] includes 10% and excludes 0 (V1 5/4/3/2/0, V3 8/6/4/2/0), at the printed precision:
    100.04 of 1000 prints 10.00% and is scored as 10.00%; 0.01 prints 0.00%, in the =0 band."""
    assert score(_control(added), "V1")["BUDGET_CONTROL"].score == v1
    assert score(_control(added), "V3")["BUDGET_CONTROL"].score == v3


@pytest.mark.parametrize("key,points", [("90", 5), ("89.99", 4), ("80", 4), ("79.99", 3), ("70", 3), ("60", 2), ("59.99", 0)])
def test_key_spend_closed_lower_edges(key, points):
    values = {"goals.key_project_amount": D(key), "exp.project": D(100)}
    assert score(values, "V2")["KEY_SPEND"].score == points


@pytest.mark.parametrize(
    "balance,points", [("0", 8), ("49.94", 8), ("49.99", 6), ("50", 6), ("50.01", 6), ("100", 4), ("150", 2), ("1000", 0)]
)
def test_completion_deducts_only_complete_5pp_steps(balance, points):
    """Budget 1000: 49.94 left = 95.006% (prints 95.01%, no complete step); 49.99 left prints 95.00%: one step."""
    values = {"budget.carryover_prior": D(0), "budget.initial": D(1000), "budget.added": D(0), "budget.balance_end": D(balance)}
    assert score(values, "V3")["BUDGET_COMPLETION"].score == points


def test_linear_over_counts_fractional_points_and_floors_at_zero():
    card = score(EDGES, "V1")
    assert card["STAFF_CONTROL"].score == D("3.5")  # 103% → 5 − 3 × 0.5
    # 101.684210526…% prints 101.68%: rules see the printed value, like the sheet's ROUND(x*100,2)
    assert score(EDGES, "V2")["SANGGONG_CONTROL"].score == D("4.32")
    assert score(with_(EDGES, staff__onpost__total=D(200)), "V1")["STAFF_CONTROL"].score == 0
    assert card["SANGGONG_CHANGE_BUDGET"].score == 8  # −5% ≤ 0


def test_steps_over_for_building_area():
    item = score(EDGES, "V1")["BUILDING_AREA"]
    assert item.value == 108 and item.score == 3  # one full 5% step over
    assert score(with_(EDGES, building__actual_area=D(1049)), "V1")["BUILDING_AREA"].score == 5


def test_not_applicable_building_gets_full_marks():
    card = score(EXAMPLE_2018, "V1")
    for code in ("BUILDING_AREA", "BUILDING_INVEST"):
        item = card[code]
        assert item.applicable is False and item.value is None
        assert item.score == 5
        assert item.explanation.endswith(f"{NO_BUILDING}，得满分 5 分")


def test_band_without_stated_points_needs_manual_scoring():
    card = score(EDGES, "V1")
    assert card["BUILDING_INVEST"].score is None
    assert card["BUILDING_INVEST"].explanation.endswith("资料未载明该档得分，需人工评分")
    assert card.total is None
    assert card.explanation == "已评 28 / 100 分，尚有 3 项待评"
    assert score(with_(EDGES, building__actual_invest=D(500)), "V1")["BUILDING_INVEST"].score == 5


def test_missing_input_names_the_field_by_its_label():
    item = score({"staff.onpost.total": D(136)}, "V3")["STAFF_CONTROL"]
    assert item.value is None and item.score is None
    assert item.explanation == "无法计算：缺少 编制数合计"
    both = score({}, "V3")["STAFF_CONTROL"].explanation
    assert both == "无法计算：缺少 在编在岗合计、编制数合计"


def test_zero_denominator_is_not_computable():
    item = score(EDGES, "N53")["PROCUREMENT_EXEC"]
    assert item.value is None and item.explanation == "无法计算：政府采购金额（本年预算数）为 0"
    assert score({"staff.onpost.total": D(1), "staff.quota.total": D(0)}, "V3")["STAFF_CONTROL"].score is None


def test_checklists_award_and_deduct():
    card = score(EDGES, "V2")
    assert card["BUDGET_RULES"].value == 2 and card["BUDGET_RULES"].score == 2
    assert card["FUND_COMPLIANCE"].value == 4 and card["FUND_COMPLIANCE"].score == 2  # 3 − 1 × 1 否
    assert card["FUND_COMPLIANCE"].explanation == "资金使用合规性：5 项评价要点中 1 项不符合，每项不符合扣 1 分，扣 1 分"
    unanswered = score(EDGES, "N53")["DISCLOSURE"]
    assert unanswered.explanation == "无法计算：“定性指标”表中有 1 项评价要点未选择“是”或“否”"


def test_fund_balance_levels():
    base = {"budget.carryover_prior": D(20)}
    assert score(with_(base, budget__balance_end=D(0)), "V2")["FUND_BALANCE"].score == 3
    item = score(with_(base, budget__balance_end=D(20)), "V2")["FUND_BALANCE"]
    assert item.score == 2 and item.explanation == "资金结余：结余不超过上年结转，按评分标准得 2 分，扣 1 分"
    assert score(with_(base, budget__balance_end=D("20.01")), "V2")["FUND_BALANCE"].score == 0


def test_output_completion_counts_each_row_by_its_own_rate_and_skips_blank_actuals():
    # r01 12/10 done, r02 4/5 not done, r03 plan 0 not counted, r04 actual blank (未填) not counted,
    # r05 only a reported 100%: done → 2 of 3
    assert INDICATORS["OUTPUT_COMPLETION"].evaluate(EDGES).value.quantize(D("0.01")) == D("66.67")
    only_blank = {"outputs.r01.plan": D(10)}
    out = INDICATORS["OUTPUT_COMPLETION"].evaluate(only_blank)
    assert out.value is None and "为 0" in out.reason  # nothing assessed yet: not a 0% failure


def test_sanggong_budget_of_zero_in_both_years_is_no_increase():
    values = {"spend.sanggong.budget": D(0), "spend.sanggong.prior_budget": D(0)}
    item = score(values, "V1")["SANGGONG_CHANGE_BUDGET"]
    assert (item.value, item.score) == (D(0), D(8))
    rise = score({"spend.sanggong.budget": D(5), "spend.sanggong.prior_budget": D(0)}, "V1")["SANGGONG_CHANGE_BUDGET"]
    assert rise.score is None and "为 0" in rise.explanation


def test_printed_10_00_percent_is_in_the_0_10_band():
    values = {"budget.initial": D(100000), "budget.added": D("10000.4"), "budget.reduced": D(0)}  # 10.0004%
    item = score(values, "V2")["BUDGET_ADJUST"]
    assert item.explanation == "预算调整率 10.00%，超过 0%、不超过 10%，按评分标准得 2 分，扣 1 分"


def test_v2_prints_its_own_names():
    card = score(EXAMPLE_2018, "V2")
    assert card["STAFF_CONTROL"].title == "财政供养人员控制率"
    assert card["STAFF_CONTROL"].explanation.startswith("财政供养人员控制率 95.10%")
    assert card["SANGGONG_CHANGE_BUDGET"].title == "“三公经费”变动率"


def test_v2_budget_adjust_already_over_the_last_band_scores_0_without_the_reduction():
    values = {"budget.initial": D(1000), "budget.added": D(400)}  # ≥ 40% whatever 追减 is
    item = score(values, "V2")["BUDGET_ADJUST"]
    assert (item.value, item.score) == (None, D(0))
    assert item.explanation == "预算调整率 至少为 40.00%（本年追减预算未填），无论其取值均得 0 分"
    low = score({"budget.initial": D(1000), "budget.added": D(100)}, "V2")["BUDGET_ADJUST"]
    assert low.score is None and low.explanation.startswith("无法计算：缺少")


def test_budget_adjust_exactly_10_is_in_the_second_band():
    assert score(EDGES, "V2")["BUDGET_ADJUST"].score == 2


# -- grades (domain.md §2.4) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "s,g", [("100", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"), ("79.994", "中"), ("79.995", "良"), ("60", "中"), ("59.99", "差"), ("0", "差")]
)
def test_grade_edges(s, g):
    assert grade(D(s)) == g


def test_grade_on_the_full_table_with_the_evaluator_rows():
    card = score(GRADE_EDGE, "V3", {"E01": (D(42), None), "E02": (D("19.2"), "部分产出未完成")})
    assert card.total == 90 and card.grade == "优"  # 28.8 computed + 61.2 entered


def test_grade_bands_belong_to_the_profile():
    profile = profile_from_data({
        "id": "TG", "name": "测试", "grades": {"好": 85, "一般": 70, "差": 0},
        "levels": [{"name": "过程", "groups": [{"name": "g", "indicators": [{"name": "评价", "points": 100}]}]}],
    })
    assert score({}, profile, {"E01": (D(84), "x")}).grade == "一般"
    assert score({}, profile, {"E01": (D(85), None)}).grade == "好"


def test_a_full_100_point_profile_grades_the_total_directly():
    profile = profile_from_data({
        "id": "T100", "name": "测试", "levels": [{"name": "投入", "points": 100, "groups": [{"name": "预算配置", "points": 100, "indicators": [
            {"code": "STAFF_CONTROL", "points": 80, "rule": {"type": "linear_over", "threshold": 100, "deduct": 10}},
            {"code": "KEY_SPEND", "points": 20, "rule": {"type": "bands", "bands": {">=90": 20, "<90": 0}}},
        ]}]}],
    })
    values = {"staff.quota.total": D(100), "staff.onpost.total": D(101), "goals.key_project_amount": D(9), "exp.project": D(10)}
    card = score(values, profile)
    assert card.total == 90 and card.grade == "优" and card.explanation == "总分 90 分，评价等级：优"
    card = score(with_(values, staff__onpost__total=D("101.006")), profile)
    assert card.grade == "良"  # 101.01% → 89.9


# -- profiles ---------------------------------------------------------------------------------


def test_profiles_shipped():
    assert set(PROFILES) >= {"N53", "V1", "V2", "V3"}
    assert PROFILES["N53"].scored is False
    assert [lv.points for lv in PROFILES["V1"].levels] == [13, 61, 26]
    assert [lv.points for lv in PROFILES["V3"].levels] == [16, 58, 26]
    assert [lv.points for lv in PROFILES["V2"].levels] == [15, 40, 45]
    for pid in ("V1", "V2", "V3"):
        assert "不虚构" in PROFILES[pid].notes  # uncovered parts are stated, not invented


def test_values_only_profile_gives_no_scores():
    card = score(EXAMPLE_2018, "N53")
    assert card.total is None and card.grade is None
    assert all(i.score is None and i.points is None for i in card.items)
    assert card["STAFF_CONTROL"].explanation == "在职人员控制率 95.10%"


def _profile(indicator: dict, group_points=10) -> dict:
    return {"id": "T", "name": "t", "levels": [{"name": "过程", "groups": [{"name": "g", "points": group_points, "indicators": [indicator]}]}]}


@pytest.mark.parametrize(
    "entry,message",
    [
        ({"code": "NOPE", "points": 1, "rule": {"type": "linear_over", "threshold": 100, "deduct": 1}}, "unknown indicator"),
        ({"code": "BUDGET_CONTROL", "points": 5, "rule": {"type": "bands", "bands": {"[0,10]": 5, "[10,20]": 4}}}, "overlap"),
        ({"code": "BUDGET_CONTROL", "points": 5, "rule": {"type": "checklist", "per_item": 1}}, "评价要点"),
        ({"code": "BUDGET_CONTROL", "points": 50, "rule": {"type": "bands", "bands": {">=0": 50}}}, "三级指标合计 50"),
        ({"code": "BUDGET_CONTROL", "points": 5, "rule": {"type": "wiggle"}}, "unknown rule type"),
        ({"code": "STAFF_CONTROL", "points": 5, "rule": {"type": "linear_over", "threshold": 100, "deduct": 1}}, "投入"),
        ({"code": "FUND_BALANCE", "points": 3, "rule": {"type": "linear_over", "threshold": 0, "deduct": 1}}, "百分比"),
    ],
)
def test_bad_profiles_are_rejected(entry, message):
    with pytest.raises(ValueError, match=message):
        profile_from_data(_profile(entry))


# -- declarations -----------------------------------------------------------------------------


def test_every_indicator_reads_schema_fields_and_its_formula_reads_exactly_its_inputs():
    for code, ind in INDICATORS.items():
        assert ind.name and ind.inputs, code
        assert set(ind.inputs) <= set(SCHEMA), code
        placeholders = set(re.findall(r"\{([a-z][a-z0-9_.]*)\}", ind.value_formula()))
        assert placeholders == set(ind.inputs), code


def test_staff_control_inputs_for_the_checker():
    assert INDICATORS["STAFF_CONTROL"].inputs == ("staff.onpost.total", "staff.quota.total")
    assert INDICATORS["STAFF_CONTROL"].name == "在职人员控制率"


def test_engine_returns_decimals_never_floats():
    for pid in ("V1", "V2", "V3", "N53"):
        for values in (EXAMPLE_2018, EDGES):
            card = score(values, pid)
            for item in card.items:
                for x in (item.value, item.score, item.points):
                    assert x is None or isinstance(x, D)


def test_indicators_import_no_io_library():
    code = (
        "import sys, perfeval_xl.indicators;"
        "bad = [m for m in ('openpyxl', 'xlwings', 'pandas', 'python_calamine') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
