"""Both sides of every rounding boundary, with the figures worked out by hand in the comments.

The department is the all-terms-filled one of oracle_baseline.py, so whether a blank
counts as 0 or as unknown never matters here. A figure typed with 2 decimals stands for
anything within ±0.005 of it; a percentage printed with d decimals may be rounded
half-up or truncated (domain.md §3). Each case sits a hair inside or outside that.
"""

from __future__ import annotations

from decimal import Decimal as D

import oracle_baseline as OB
import pytest

from perfeval_xl.check import check_values
from perfeval_xl.check.intervals import (Interval, agrees_printed, half_unit, printed_interval, round_half_up, truncate,
                                         unit)

IDENTITY_FAMILIES = ("SUM", "ROLL", "XREF", "RATE")


def verdicts(raw) -> set[tuple[str, str, bool]]:
    """(rule, severity, rounding) of every identity finding."""
    return {(f.rule_id, f.severity.value, f.rounding) for f in check_values(raw) if f.rule_id.rstrip("0123456789") in IDENTITY_FAMILIES}


def _raw(leaves=None) -> dict:
    """The all-terms department without its 封面 declaration of 4-decimal rates: the cases below state rates with 2
    (or 1) decimals, read as typed under the template default (2), as before the declaration existed."""
    raw = OB.raw(leaves)
    del raw["report.rate_decimals"]
    return raw


OK: set = set()


def rate(rule: str, rounding: bool) -> set:
    return {(rule, "warning", True)} if rounding else {(rule, "error", False)}


# -- the interval primitives ---------------------------------------------------------------------------


def test_units():
    assert (unit(2), half_unit(2), unit(0), half_unit(0), half_unit(1)) == (D("0.01"), D("0.005"), D(1), D("0.5"), D("0.05"))


@pytest.mark.parametrize(("value", "d", "rounded", "truncated"), [
    ("71.225", 2, "71.23", "71.22"),  # x.xx5 rounds up
    ("71.2249999", 2, "71.22", "71.22"),
    ("-71.225", 2, "-71.23", "-71.22"),  # half away from zero; truncation towards zero
    ("-71.229", 2, "-71.23", "-71.22"),
    ("98.76", 1, "98.8", "98.7"),
    ("0.004", 2, "0.00", "0.00"),
])
def test_round_half_up_and_truncate(value, d, rounded, truncated):
    assert str(round_half_up(D(value), d)) == rounded and str(truncate(D(value), d)) == truncated


@pytest.mark.parametrize(("stated", "d", "lo", "hi"), [
    ("93.34", 2, "93.335", "93.35"),  # rounded: ±0.005; truncated: [93.34, 93.35)
    ("-71.22", 2, "-71.23", "-71.215"),  # truncation of a negative is towards zero: (−71.23, −71.22]
    ("98.7", 1, "98.65", "98.8"),
    ("0.5", 2, "0.495", "0.51"),  # small positive rates are positive too (not the zero case)
    ("0.01", 2, "0.005", "0.02"),
    ("-0.01", 2, "-0.02", "-0.005"),
    ("0", 2, "-0.01", "0.01"),
])
def test_printed_interval(stated, d, lo, hi):
    assert printed_interval(D(stated), d) == Interval(D(lo), D(hi))


def test_closed_intervals_touching_overlap():
    a = Interval(D("1.00"), D("2.00"))
    assert a.overlaps(Interval(D("2.00"), D("3.00"))) and Interval(D("2.00"), D("3.00")).overlaps(a)
    assert a.overlaps(Interval(D("0.00"), D("1.00")))
    assert not a.overlaps(Interval(D("2.0000001"), D("3"))) and not Interval(D("2.0000001"), D("3")).overlaps(a)
    assert a.overlaps(Interval(D("1.2"), D("1.3"))) and Interval(D("0"), D("5")).overlaps(a)


def test_interval_division_and_scale():
    q = Interval(D("3"), D("6")) / Interval(D("2"), D("4"))
    assert q == Interval(D("0.75"), D("3"))
    assert Interval(D("-6"), D("-3")) / Interval(D("2"), D("3")) == Interval(D("-3"), D("-1"))
    assert Interval(D("1"), D("2")) / Interval(D("-1"), D("1")) is None  # 0 in the divisor: unbounded
    assert Interval(D("1"), D("2")) / Interval(D("0"), D("1")) is None
    assert Interval(D("1"), D("2")) / Interval(D("-1"), D("0")) is None
    assert Interval(D("1"), D("2")).scale(D("-3")) == Interval(D("-6"), D("-3"))
    assert Interval.around(D("10"), D("0.005")) == Interval(D("9.995"), D("10.005"))


def test_rounding_ignores_the_callers_decimal_context():
    """A caller's thread context (here 5 significant digits) must not make rounding raise or lose digits."""
    from decimal import localcontext

    with localcontext() as ctx:
        ctx.prec = 5
        assert round_half_up(D("123456.785"), 2) == D("123456.79")
        assert truncate(D("-123456.789"), 2) == D("-123456.78")


def test_agrees_printed_is_rounded_or_truncated_only():
    exact = D(200) / D(3)  # 66.666…
    assert agrees_printed(D("66.67"), exact, 2) and agrees_printed(D("66.66"), exact, 2)
    assert not agrees_printed(D("66.65"), exact, 2) and not agrees_printed(D("66.68"), exact, 2)


# -- ratios of exact counts: only rounding or truncation of the quotient can explain a gap ---------------


def _staff(onpost_admin: int, stated: str) -> dict:
    raw = _raw({"staff.onpost.admin": D(onpost_admin)})  # inst 11 + worker 2 + admin; 编制 45
    raw["staff.control_rate"] = float(D(stated) / 100)
    # the report's printed precision is declared on 封面 (docs/fields.md report.rate_decimals): "93.3%" comes from a
    # report printing one decimal; undeclared, 93.3 would be read at the default two decimals (93.30)
    raw["report.rate_decimals"] = len(stated.split(".")[1])
    return raw


@pytest.mark.parametrize(("stated", "want"), [
    ("93.33", OK),  # 42/45 = 93.333…% rounded and truncated
    ("93.34", rate("RATE001", False)),  # outside [93.335, 93.35]: an error, not a 舍入差异
    ("93.32", rate("RATE001", False)),  # [93.315, 93.33] stops short of 93.333…
    ("93.3", OK),  # one decimal: rounded and truncated
    ("93.4", rate("RATE001", False)),
    ("93.2", rate("RATE001", False)),
])
def test_staff_rate_42_of_45(stated, want):
    assert verdicts(_staff(29, stated)) == want


@pytest.mark.parametrize(("stated", "want"), [
    ("66.67", OK),  # 30/45 = 66.666…%: rounded
    ("66.66", OK),  # truncated
    ("66.65", rate("RATE001", False)),
    ("66.68", rate("RATE001", False)),
    ("66.7", OK),
    ("66.6", OK),
    ("66.5", rate("RATE001", False)),
    ("66.8", rate("RATE001", False)),
])
def test_staff_rate_30_of_45_rounded_or_truncated(stated, want):
    assert verdicts(_staff(17, stated)) == want


# -- ratios of rounded money: the quotient is an interval ----------------------------------------------


def _fiscal(stated: str) -> dict:
    raw = _raw({"budget.fiscal_final": D("2250.76"), "budget.fiscal_initial": D("1924.71")})
    raw["budget.fiscal_completion_rate"] = float(D(stated) / 100)
    return raw


@pytest.mark.parametrize(("stated", "want"), [
    ("116.94", OK),  # 2250.76 / 1924.71 = 116.94021…%
    # 116.93: neither rounded (116.94) nor truncated (116.94); but 2250.755 / 1924.715 = 116.93965…% lies in the
    # truncation interval [116.93, 116.94] of "116.93": explainable by rounding → 警告. Without the truncation width
    # the interval is [116.925, 116.935] and misses it.
    ("116.93", rate("RATE003", True)),
    ("116.92", rate("RATE003", False)),  # truncation interval [116.92, 116.93] ends below 116.93965
    # 116.95: [116.945, 116.955]; the quotient reaches at most 2250.765 / 1924.705 = 116.94080…%
    ("116.95", rate("RATE003", False)),
])
def test_fiscal_completion_rate_at_the_edges(stated, want):
    assert verdicts(_fiscal(stated)) == want


@pytest.mark.parametrize(("stated", "want"), [
    ("-80.66", OK),  # (0.41 − 2.12) / 2.12 = −80.660…%
    # −79.99: the quotient's upper corner is (−1.71 + 0.01) / (2.12 + 0.005) = −1.70 / 2.125 = −80.00% exactly, which is the
    # lower end of the truncation interval (−80.00, −79.99] … closed, as rounded figures' intervals are: they touch → 警告
    ("-79.99", rate("RATE005", True)),
    ("-79.98", rate("RATE005", False)),  # [−79.99, −79.975] no longer reaches −80.00
])
def test_change_rate_touching_the_interval_end(stated, want):
    raw = _raw({"spend.reception.final": D("0.41")})
    raw["change.reception.rate"] = float(D(stated) / 100)
    assert verdicts(raw) == want


# -- sums: the tolerance is n × 0.005 for n rounded figures -----------------------------------------------


@pytest.mark.parametrize(("delta", "want"), [
    ("0.01", {("SUM010", "warning", True), ("SUM009", "warning", True)}),
    # SUM010 reads 3 figures (±0.015): 0.02 is beyond; SUM009 reads 6 (±0.03): still rounding
    ("0.02", {("SUM010", "error", False), ("SUM009", "warning", True)}),
    ("0.03", {("SUM010", "error", False), ("SUM009", "warning", True)}),  # exactly ±0.03: still explainable
    ("0.04", {("SUM010", "error", False), ("SUM009", "error", False)}),
])
def test_basic_expenditure_gap(delta, want):
    raw = _raw()
    raw["exp.basic"] = float(D(repr(raw["exp.basic"])) + D(delta))
    assert verdicts(raw) == want


@pytest.mark.parametrize(("delta", "want"), [
    ("-0.02", {("SUM014", "warning", True)}),  # 公用经费 vs 4 其中 rows: 5 figures, ±0.025
    ("-0.03", {("SUM014", "error", False)}),
    ("0.50", OK),  # 其中 rows need not be exhaustive: any amount above them is fine, small or large
    ("1.00", OK),
    ("5.00", OK),
])
def test_public_expenditure_at_least_its_items(delta, want):
    raw = _raw()
    raw["spend.public.final"] = float(D(repr(raw["spend.public.final"])) + D(delta))
    assert verdicts(raw) == want


def test_roll_forward_gap_of_one_cent_is_rounding_and_of_two_cents_is_an_error():
    raw = _raw()
    closing = D(repr(raw["assets.fixed.closing"]))  # 138.36 + 1.72 − 7.34 = 132.74; 4 figures, ±0.02
    raw["assets.fixed.closing"] = float(closing + D("0.02"))
    got = verdicts(raw)
    assert ("ROLL001", "warning", True) in got
    raw["assets.fixed.closing"] = float(closing + D("0.03"))
    assert ("ROLL001", "error", False) in verdicts(raw)
