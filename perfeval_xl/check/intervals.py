"""Rounded figures as intervals (XBRL Calculations 1.1, round-to-nearest), in Decimal.

A figure typed with ``d`` decimals stands for any true value in
``[v − ½·10^−d, v + ½·10^−d]``; counts are exact. Sums add the intervals, ratios
divide them; two figures agree when their intervals overlap. The tolerance is
therefore derived from the declared precision, never hand-tuned (anchors.md §1.1).

A stated percentage is read at its *printed* precision under both conventions
found in reports (domain.md §3): rounded half-up (71.226 → 71.23) and truncated
(71.226 → 71.22).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal
from functools import lru_cache

ZERO = Decimal(0)
HUNDRED = Decimal(100)
# Every evaluation runs in this context, whatever the caller's thread context says.
CONTEXT = Context(prec=34)


@lru_cache(maxsize=None)
def unit(d: int) -> Decimal:
    """One unit of the last digit: 2 → 0.01."""
    return Decimal(1).scaleb(-d)


@lru_cache(maxsize=None)
def half_unit(d: int) -> Decimal:
    """Half a unit of the last digit: 2 → 0.005."""
    return unit(d) / 2


def round_half_up(value: Decimal, d: int) -> Decimal:
    return value.quantize(unit(d), rounding=ROUND_HALF_UP, context=CONTEXT)


def truncate(value: Decimal, d: int) -> Decimal:
    return value.quantize(unit(d), rounding=ROUND_DOWN, context=CONTEXT)


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed interval ``[lo, hi]`` of Decimals."""

    lo: Decimal
    hi: Decimal

    @classmethod
    def around(cls, value: Decimal, half: Decimal) -> Interval:
        return cls(value - half, value + half)

    def scale(self, k: Decimal) -> Interval:
        a, b = self.lo * k, self.hi * k
        return Interval(min(a, b), max(a, b))

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def __truediv__(self, other: Interval) -> Interval | None:
        """Interval quotient; ``None`` when the divisor interval contains 0 (unbounded)."""
        if other.lo <= ZERO <= other.hi:
            return None
        corners = [CONTEXT.divide(x, y) for x in (self.lo, self.hi) for y in (other.lo, other.hi)]
        return Interval(min(corners), max(corners))


def printed_interval(stated: Decimal, d: int) -> Interval:
    """Where the true value of a percentage printed as ``stated`` with ``d`` decimals can lie.

    The union of the round-half-up interval ``[s − ½u, s + ½u]`` and the truncation
    interval (towards zero: ``[s, s + u)`` for s > 0, ``(s − u, s]`` for s < 0).
    """
    u = unit(d)
    h = half_unit(d)
    if stated > 0:
        return Interval(stated - h, stated + u)
    if stated < 0:
        return Interval(stated - u, stated + h)
    return Interval(-u, u)


def agrees_printed(stated: Decimal, exact: Decimal, d: int) -> bool:
    """The stated figure is ``exact`` rounded half-up or truncated to ``d`` decimals."""
    return stated == round_half_up(exact, d) or stated == truncate(exact, d)
