"""perfeval_xl.report.phrases: how the 评价报告 words amounts, shares, 完成率 and 增减变动."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from perfeval_xl.report import phrases as P


# -- amounts and rates -------------------------------------------------------------


def test_money_two_decimals_half_up():
    assert P.money(D("2467.08")) == "2467.08万元"
    assert P.money(D("0")) == "0.00万元"
    assert P.money(D("6.6")) == "6.60万元"
    assert P.money(D("0.005")) == "0.01万元"  # half up, not banker's rounding
    assert P.money(D("2.675")) == "2.68万元"  # exact decimal, no binary-float surprise
    assert P.money(1) == "1.00万元"


def test_blank_is_not_zero():
    assert P.money(None) == "（未填报）"
    assert P.num(None) == "（未填报）"
    assert P.pct(None) == "（未填报）"
    assert P.persons(None) == "（未填报）"


def test_negative_values_keep_their_sign():
    assert P.money(D("-1.51")) == "-1.51万元"
    assert P.num(D("-0.004")) == "0.00"  # never "-0.00"
    assert P.pct(D("-71.226")) == "-71.23%"


def test_rates_at_two_decimals():
    assert P.pct(D("24.4")) == "24.40%"
    assert P.pct(D("98.7261")) == "98.73%"
    assert P.pct(D("116.94")) == "116.94%"
    assert P.pct(D("0.005")) == "0.01%"
    assert P.share(D("155"), D("157")) == D("98.73")
    assert P.share(D("1941.98"), D("2278.09")) == D("85.25")


def test_share_undefined():
    assert P.share(D("1"), D("0")) is None
    assert P.share(None, D("10")) is None
    assert P.share(D("1"), None) is None
    assert P.share_phrase(D("1"), D("0")) == ""
    assert P.share_phrase(D("236.79"), D("2278.09")) == "占10.39%"
    assert P.share_phrase(D("1641.81"), D("2278.09"), "本年支出合计") == "占本年支出合计的72.07%"


def test_quantity_whole_numbers_without_decimals():
    assert P.quantity(D("157")) == "157"
    assert P.quantity(D("157.00")) == "157"
    assert P.quantity(D("12.5")) == "12.5"
    assert P.quantity(D("12.345")) == "12.35"
    assert P.quantity(None) == "（未填报）"


# -- 增减变动 -------------------------------------------------------------------------


def test_decrease():
    # seed 2020 公务接待费: 上年 2.12 → 本年 0.61 (domain.md §4.1: 1.51, 71.23%)
    assert P.change_phrase(D("0.61"), D("2.12")) == "与上年相比减少1.51万元，下降71.23%"
    ch = P.change(D("0.61"), D("2.12"))
    assert ch.amount == D("-1.51") and ch.rate == D("-71.23") and ch.direction == "减少"


def test_increase():
    assert P.change_phrase(D("405.60"), D("380.00")) == "与上年相比增加25.60万元，增长6.74%"
    ch = P.change(D("63.46"), D("32"))
    assert ch.rate == D("98.31") and ch.direction == "增加"


def test_unchanged():
    assert P.change_phrase(D("12.30"), D("12.3")) == "与上年持平"
    assert P.change(D("5"), D("5")).direction == "持平"
    assert P.change_phrase(D("0"), D("0")) == "上年、本年均为0，与上年持平"


def test_zero_prior_year_has_no_rate():
    assert P.change_phrase(D("3"), D("0")) == "上年为0，本年增加3.00万元，不计算变动率"
    assert P.change_phrase(D("-3"), D("0")) == "上年为0，本年减少3.00万元，不计算变动率"
    ch = P.change(D("3"), D("0"))
    assert ch.rate is None and ch.zero_base and ch.amount == D("3")


def test_missing_side():
    assert P.change_phrase(D("0.61"), None) == "上年数（未填报），无法计算增减变动"
    assert P.change_phrase(None, D("1"), current_label="本年决算数") == "本年决算数（未填报），无法计算增减变动"
    assert P.change(None, D("1")).amount is None


def test_negative_values_in_changes():
    # the rate is taken on |上年| so the direction word always matches the sign of 变动额
    assert P.change_phrase(D("-5"), D("-10")) == "与上年相比增加5.00万元，增长50.00%"
    assert P.change_phrase(D("-15"), D("-10")) == "与上年相比减少5.00万元，下降50.00%"
    assert P.change_phrase(D("-5"), D("10")) == "与上年相比减少15.00万元，下降150.00%"
    assert P.change(D("-5"), D("10")).rate == D("-150.00")


def test_decrease_of_everything_is_100_percent():
    assert P.change_phrase(D("0"), D("6.6")) == "与上年相比减少6.60万元，下降100.00%"


def test_tiny_change_is_not_printed_as_zero_percent():
    assert P.change_phrase(D("10000.01"), D("10000")) == "与上年相比增加0.01万元，增长不足0.01%"


def test_change_of_counts():
    assert P.change_phrase(D("42"), D("45"), unit="人", places=0) == "与上年相比减少3人，下降6.67%"


def test_rate_rounding_half_up():
    # 1/8 = 12.5% exactly; 1/3 = 33.333…; 2/3 = 66.666… → 66.67
    assert P.change(D("9"), D("8")).rate == D("12.50")
    assert P.change(D("4"), D("3")).rate == D("33.33")
    assert P.change(D("5"), D("3")).rate == D("66.67")
    # x.xx5 exactly rounds up: 0.10005 / 1 → 10.005% → 10.01%
    assert P.change(D("1.10005"), D("1")).rate == D("10.01")


# -- 完成率 ---------------------------------------------------------------------------


def test_completion():
    assert P.completion_phrase(D("2250.76"), D("1924.71"), verb="完成年初预算的") == "完成年初预算的116.94%"
    assert P.completion_phrase(D("0.61"), D("2.50")) == "完成预算的24.40%"
    assert P.completion_phrase(D("0"), D("0")) == "预算数与决算数均为0"
    assert P.completion_phrase(D("1"), D("0")) == "预算数为0，不计算完成率"
    assert P.completion_phrase(D("1"), None) == "预算数（未填报），无法计算完成率"
    assert P.completion_phrase(None, D("1")) == "决算数（未填报），无法计算完成率"


# -- counted lists (I14) ----------------------------------------------------------


def test_listing_counts_the_names():
    names = ["文电会务科", "区政府总值班室", "研究室", "督查室", "行政事务科"]
    assert P.listing("内设机构", names, stated=5) == "内设机构5个：文电会务科、区政府总值班室、研究室、督查室、行政事务科"
    assert P.listing("内设机构", names) == "内设机构5个：文电会务科、区政府总值班室、研究室、督查室、行政事务科"


def test_listing_flags_a_stated_count_that_disagrees():
    text = P.listing("内设机构", ["A", "B"], stated=3)
    assert text.startswith("内设机构2个：A、B")
    assert "填报个数为3个" in text


def test_listing_without_names():
    assert P.listing("下属单位", []) == "下属单位（未填报）"
    assert P.listing("下属单位", [], stated=0) == "无下属单位"
    assert P.listing("下属单位", ["  "], stated=2) == "下属单位2个，名称（未填报）"


@pytest.mark.parametrize("n,text", [(1, "一"), (5, "五"), (10, "十"), (12, "十二"), (20, "二十"), (99, "九十九")])
def test_chinese_ordinals_round_trip(n, text):
    assert P.cn_number(n) == text
    assert P.cn_number_value(text) == n
    assert P.cn_ordinal(n) == f"（{text}）"


def test_chinese_ordinal_rejects_other_text():
    assert P.cn_number_value("") is None
    assert P.cn_number_value("抓") is None
    assert P.cn_number_value("十十") is None
