"""Scoring rules on both sides of every edge, each expected score worked out by hand from the 评价标准 wording.

Only the public surface is used (``rule_from_data`` as a profile entry declares a rule, then
``score``), so the tests hold whatever the classes behind it become.
"""

from __future__ import annotations

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from perfeval_xl.indicators.indicator import PERCENT
from perfeval_xl.indicators.scoring_rules import rule_from_data

PCT = SimpleNamespace(unit=PERCENT, code="X", items=None, value_labels=())


def score(rule: dict, x: str, points: str = "8", ind=PCT):
    got = rule_from_data(rule).score(D(x), D(points), ind)
    return None if got is None else D(got)


# "100%计满分，每低于5%扣2分" (8 分): only complete 5-point steps are deducted (domain.md §2.3: 99.27% → 8)
STEPS_UNDER = {"type": "steps_under", "threshold": 100, "step": 5, "deduct": 2}


@pytest.mark.parametrize(("x", "want"), [
    ("100", "8"), ("100.5", "8"),  # at or above: full marks, never more
    ("99.27", "8"), ("95.01", "8"),  # less than one complete step
    ("95", "6"), ("94.99", "6"),  # exactly one step, and just past it
    ("90.01", "6"), ("90", "4"),
    ("80.01", "2"), ("80", "0"), ("79.99", "0"), ("0", "0"),  # 扣完为止
])
def test_steps_under(x, want):
    assert score(STEPS_UNDER, x) == D(want)


# "每超过5%扣2分" against 0%
STEPS_OVER = {"type": "steps_over", "threshold": 0, "step": 5, "deduct": 2}


@pytest.mark.parametrize(("x", "want"), [("-3", "8"), ("0", "8"), ("4.99", "8"), ("5", "6"), ("9.99", "6"), ("10", "4"), ("20", "0"), ("40", "0")])
def test_steps_over(x, want):
    assert score(STEPS_OVER, x) == D(want)


# "每超过一个百分点扣0.8分，扣完为止" (8 分) against 0%: [S1] 98.31% → 0
LINEAR_OVER = {"type": "linear_over", "threshold": 0, "deduct": 0.8}


@pytest.mark.parametrize(("x", "want"), [("-1", "8"), ("0", "8"), ("0.5", "7.6"), ("5", "4"), ("9.99", "0.008"), ("10", "0"),
                                         ("98.31", "0")])
def test_linear_over(x, want):
    assert score(LINEAR_OVER, x) == D(want)


# "100%得满分，每低于2个百分点扣1分" (10 分)
LINEAR_UNDER = {"type": "linear_under", "threshold": 100, "deduct": 1, "per": 2}


@pytest.mark.parametrize(("x", "want"), [("101", "10"), ("100", "10"), ("99", "9.5"), ("90", "5"), ("80.5", "0.25"), ("80", "0"),
                                         ("70", "0")])
def test_linear_under(x, want):
    assert score(LINEAR_UNDER, x, "10") == D(want)


# 预算调整率 bands "(0,10%] 10 分，(10,20%] 6 分，(20,30%] 3 分" (half-open, the "(含)" side explicit)
ADJUST = {"type": "bands", "bands": {"(0,10]": 10, "(10,20]": 6, "（20，30]": 3}}


@pytest.mark.parametrize(("x", "want"), [
    ("0", None), ("0.01", "10"), ("10", "10"), ("10.01", "6"), ("20", "6"), ("20.01", "3"), ("30", "3"), ("30.01", None), ("-1", None),
])
def test_half_open_bands(x, want):
    assert score(ADJUST, x, "10") == (None if want is None else D(want))


# 重点支出安排率 "[80,90) 6 分，[90,100] 10 分"; comparisons ">=", "<", "="
KEY = {"type": "bands", "bands": {"[80,90)": 6, "[90,100]": 10, "<80": 0, ">100": None}}


@pytest.mark.parametrize(("x", "want"), [
    ("79.99", "0"), ("80", "6"), ("89.99", "6"), ("90", "10"), ("100", "10"), ("100.01", None),  # stated without a score: 人工评分
])
def test_closed_open_bands_and_comparisons(x, want):
    assert score(KEY, x, "10") == (None if want is None else D(want))


@pytest.mark.parametrize(("spec", "inside", "outside"), [
    ("=100", ["100"], ["99.99", "100.01"]),
    (">=95", ["95", "200"], ["94.99"]),
    (">95", ["95.01"], ["95"]),
    ("<=5", ["5", "-10"], ["5.01"]),
    ("<5", ["4.99"], ["5"]),
    ("≥95", ["95"], ["94.99"]),
    ("≤5", ["5"], ["5.01"]),
    ("[1,2]", ["1", "2"], ["0.99", "2.01"]),
    ("(1,2)", ["1.01", "1.99"], ["1", "2"]),
])
def test_every_band_form(spec, inside, outside):
    rule = {"type": "bands", "bands": {spec: 1}}
    assert all(score(rule, x) == 1 for x in inside)
    assert all(score(rule, x) is None for x in outside)


def test_overlapping_bands_are_refused_touching_half_open_ones_are_not():
    rule_from_data({"type": "bands", "bands": {"[80,90)": 6, "[90,100]": 10}}).check(PCT)
    rule_from_data({"type": "bands", "bands": {"<90": 6, ">=90": 10}}).check(PCT)
    for bands in ({"[80,90]": 6, "[90,100]": 10}, {"<=90": 6, ">=90": 10}, {"(80,95)": 6, "[90,100]": 10}, {">=90": 1, "[95,99]": 2}):
        with pytest.raises(ValueError, match="overlap"):
            rule_from_data({"type": "bands", "bands": bands}).check(PCT)


@pytest.mark.parametrize("bad", ["[2,1]", "[1,1)", "about 5", "5"])
def test_unreadable_or_empty_band_is_refused(bad):
    with pytest.raises(ValueError):
        rule_from_data({"type": "bands", "bands": {bad: 1}})


# 评价要点: "每项符合得2分" (award, capped at the weight) and "每项不符合扣2分，扣完为止" (deduct)
FIVE = SimpleNamespace(unit="项", code="Q", items=5, value_labels=())


@pytest.mark.parametrize(("mode", "x", "want"), [
    ("award", "0", "0"), ("award", "3", "6"), ("award", "4", "8"), ("award", "5", "8"),
    ("deduct", "5", "8"), ("deduct", "4", "6"), ("deduct", "1", "0"), ("deduct", "0", "0"),
])
def test_checklist(mode, x, want):
    assert score({"type": "checklist", "per_item": 2, "mode": mode}, x, "8", FIVE) == D(want)


@pytest.mark.parametrize("data", [
    {"type": "nonesuch"},
    {"type": "bands", "bands": {">1": 1}, "extra": 1},
    {"type": "linear_over", "threshold": 0, "deduct": 1, "slope": 2},
    {"type": "linear_over", "threshold": True, "deduct": 1},
    {"type": "linear_over", "threshold": None, "deduct": 1},
])
def test_bad_declarations_are_value_errors(data):
    with pytest.raises(ValueError):
        rule_from_data(data)


def test_declared_numbers_are_read_as_written():
    rule = rule_from_data({"type": "linear_over", "threshold": "0.1", "deduct": 0.3, "per": 1})
    assert (rule.threshold, rule.deduct, rule.per) == (D("0.1"), D("0.3"), D("1"))


def test_rules_that_need_a_percentage_or_a_positive_step_refuse_otherwise():
    with pytest.raises(ValueError):
        rule_from_data(STEPS_UNDER).check(FIVE)
    with pytest.raises(ValueError):
        rule_from_data(LINEAR_OVER).check(FIVE)
    with pytest.raises(ValueError):
        rule_from_data({**STEPS_UNDER, "step": 0}).check(PCT)
    with pytest.raises(ValueError):
        rule_from_data({"type": "checklist", "per_item": 2}).check(PCT)  # not a 评价要点 indicator
    with pytest.raises(ValueError):
        rule_from_data({"type": "checklist", "per_item": 2, "mode": "sometimes"}).check(FIVE)


# -- a profile author's mistakes are refused with a message that names the culprit ---------------------


@pytest.mark.parametrize(("data", "says"), [
    ({"threshold": 1}, "None"),  # no type at all
    ({"type": "nonesuch"}, "bands"),  # lists the known types
    ({"type": "bands", "bands": {">1": 1}, "extra": 1}, "extra"),
    ({"type": "linear_over", "threshold": 0, "deduct": 1, "slope": 2}, "linear_over"),
    ({"type": "linear_over", "threshold": True, "deduct": 1}, "True"),
    ({"type": "bands", "bands": {"[2,1]": 1}}, r"\[2,1\]"),
    ({"type": "bands", "bands": {"about 5": 1}}, "about 5"),
])
def test_refusals_name_the_culprit(data, says):
    with pytest.raises(ValueError, match=says):
        rule_from_data(data)


@pytest.mark.parametrize(("bands", "specs"), [
    ({"=5": 1, "<=5": 2}, ("=5", "<=5")),
    ({">5": 1, ">=6": 2}, (">5", ">=6")),
    ({"<5": 1, "<6": 2}, ("<5", "<6")),
    ({">=5": 1, "(6,7)": 2}, (">=5", "(6,7)")),
])
def test_overlap_error_names_both_bands(bands, specs):
    with pytest.raises(ValueError) as err:
        rule_from_data({"type": "bands", "bands": bands}).check(PCT)
    assert all(repr(s) in str(err.value) for s in specs), str(err.value)


def test_full_width_brackets_and_commas_are_read():
    rule = {"type": "bands", "bands": {"[10，20）": 1}}
    assert (score(rule, "10"), score(rule, "19.99"), score(rule, "20")) == (1, 1, None)


def test_checklist_awards_by_default_and_valid_rules_pass_their_checks():
    assert score({"type": "checklist", "per_item": 2}, "3", "8", FIVE) == 6
    rule_from_data({"type": "checklist", "per_item": 2}).check(FIVE)
    rule_from_data({"type": "checklist", "per_item": 2, "mode": "award"}).check(FIVE)
    rule_from_data({"type": "checklist", "per_item": 2, "mode": "deduct"}).check(FIVE)
    rule_from_data({**STEPS_UNDER, "step": 0.5}).check(PCT)  # a step under one point is still a step
    with pytest.raises(ValueError, match="sometimes"):
        rule_from_data({"type": "checklist", "per_item": 2, "mode": "sometimes"}).check(FIVE)
    with pytest.raises(ValueError, match="step"):
        rule_from_data({**STEPS_UNDER, "step": -1}).check(PCT)


LEVELS = SimpleNamespace(unit="级", code="L", items=None, value_labels=("差", "中", "好"))


def test_level_bands_must_name_each_level_exactly():
    rule_from_data({"type": "bands", "bands": {"=0": 0, "=1": 3, "=2": 5}}).check(LEVELS)
    for bad in ({"=3": 5}, {"=-1": 0}, {"(0,1]": 3}, {">=1": 3}):
        with pytest.raises(ValueError, match="L"):
            rule_from_data({"type": "bands", "bands": bad}).check(LEVELS)
    with pytest.raises(ValueError, match="项"):
        rule_from_data({"type": "bands", "bands": {"=0": 0}}).check(FIVE)  # a unit bands cannot score
