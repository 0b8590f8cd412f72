"""Scoring rule types (domain.md §2.3), each in Python and in Excel side by side.

A rule sees the indicator value ``x`` in rule units: percentage points for
percent indicators (95.10 means 95.10 %), the plain number otherwise, at the
precision it is printed: Python rounds ``x`` half-up to 0.01 and Excel uses
``ROUND(cell*100,2)``. A value printed 10.00% is therefore scored as 10.00%
(in the (0,10%] band), and binary noise in Excel (9.999999999999998) can never
move a band edge or a step.

Each rule gives: ``score`` / ``explain`` (Python), ``excel_score`` /
``excel_explain`` (the same text built by formulas), ``describe`` (评分标准).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any, ClassVar, Mapping

from .expr import excel_str
from .indicator import LEVEL, PERCENT, Indicator, fmt_number

_CENT = Decimal("0.01")
X_DIGITS = 2  # rule inputs are scored at the precision they are printed (0.00%, 0.00)
X_PLACES = Decimal(1).scaleb(-X_DIGITS)


def quantize_x(x: Decimal) -> Decimal:
    return x.quantize(X_PLACES, rounding=ROUND_HALF_UP)


def excel_x(cell: str, ind: Indicator) -> str:
    """The Excel twin of ``quantize_x(value in rule units)`` for a value cell."""
    scale = "*100" if ind.unit == PERCENT else ""
    return f"ROUND({cell}{scale},{X_DIGITS})"


def n(x: Decimal) -> str:
    """A rule constant as text: 100 → "100", 0.50 → "0.5"."""
    return fmt_number(x, places=6)


def xl(x: Decimal) -> str:
    """A Decimal as an Excel number literal (never in exponent notation)."""
    return format(x, "f")


def _lit(*parts: str) -> str:
    """Excel concatenation of literal strings and expressions (expressions are wrapped in ``<<>>``)."""
    out = []
    for p in parts:
        if p.startswith("<<") and p.endswith(">>"):
            out.append(p[2:-2])
        elif p:
            out.append(excel_str(p))
    return "&".join(out) if out else '""'


def X(expr: str) -> str:
    """Mark an Excel expression inside ``_lit``."""
    return f"<<{expr}>>"


# 扣分理由 as a reviewer writes it ("…，按每低于 5 个百分点扣 2 分，扣 2 分"): every rule ends a partial score with the
# points lost, in Python and in Excel alike, so the report's score table, ``perfeval score`` and the 评分 sheet agree.
def _lost(points: Decimal, score: Decimal) -> str:
    return f"扣 {fmt_number(points - score)} 分"


def _excel_lost(points: Decimal, score_cell: str) -> str:
    return X(f"ROUND({xl(points)}-{score_cell},2)")


class ScoringRule:
    type: ClassVar[str]

    def check(self, ind: Indicator) -> None:
        """Raise if the rule cannot score this indicator."""

    def score(self, x: Decimal, points: Decimal, ind: Indicator) -> Decimal | None:
        raise NotImplementedError

    def explain(self, x: Decimal, points: Decimal, ind: Indicator, score: Decimal | None) -> str:
        raise NotImplementedError

    def describe(self, points: Decimal, ind: Indicator) -> str:
        raise NotImplementedError

    def zero_from(self, x: Decimal, points: Decimal, ind: Indicator) -> bool:
        """Whether every value ≥ ``x`` scores 0 (so a lower bound of ``x`` is enough to score)."""
        return False

    def excel_zero_from(self, xp: str, points: Decimal, ind: Indicator) -> str | None:
        """The Excel condition of ``zero_from`` on ``xp``; None when the rule never decides from a bound."""
        return None

    def excel_score(self, xp: str, points: Decimal, ind: Indicator) -> str:
        raise NotImplementedError

    def excel_explain(self, cell: str, xp: str, score_cell: str, points: Decimal, ind: Indicator) -> str:
        raise NotImplementedError


def _need_percent(rule: ScoringRule, ind: Indicator) -> None:
    if ind.unit != PERCENT:
        raise ValueError(f"{rule.type} 只适用于百分比指标，{ind.code} 的单位是 {ind.unit}")


@dataclass(frozen=True)
class _Linear(ScoringRule):
    """Full marks on the good side of ``threshold``; ``deduct`` points per ``per`` pp beyond it, floor 0."""

    threshold: Decimal
    deduct: Decimal
    per: Decimal = Decimal(1)
    over: ClassVar[bool]

    def check(self, ind):
        _need_percent(self, ind)

    def _gap(self, x: Decimal) -> Decimal:
        return x - self.threshold if self.over else self.threshold - x

    def score(self, x, points, ind):
        return max(Decimal(0), min(points, points - self.deduct * self._gap(x) / self.per))

    @property
    def _words(self) -> tuple[str, str, str]:
        return ("≤", "超过", ">") if self.over else ("≥", "低于", "<")

    def explain(self, x, points, ind, score):
        ok, beyond, _ = self._words
        t = f"{n(self.threshold)}%"
        if self._gap(x) <= 0:
            return f"{ind.title} {ind.format_value(x)} {ok} {t}，得满分 {n(points)} 分"
        return (
            f"{ind.title} {ind.format_value(x)}，{beyond} {t}，"
            f"按每{beyond} {n(self.per)} 个百分点扣 {n(self.deduct)} 分，{_lost(points, score)}"
        )

    def zero_from(self, x, points, ind):
        return self.over and self.score(x, points, ind) == 0

    def excel_zero_from(self, xp, points, ind):
        return f"{self.excel_score(xp, points, ind)}=0" if self.over else None

    def describe(self, points, ind):
        ok, beyond, _ = self._words
        return f"{ok}{n(self.threshold)}% 得满分；每{beyond} {n(self.per)} 个百分点扣 {n(self.deduct)} 分，扣完为止"

    def _excel_gap(self, xp: str) -> str:
        return f"({xp}-{xl(self.threshold)})" if self.over else f"({xl(self.threshold)}-{xp})"

    def excel_score(self, xp, points, ind):
        return f"MAX(0,MIN({xl(points)},{xl(points)}-{xl(self.deduct)}*{self._excel_gap(xp)}/{xl(self.per)}))"

    def excel_explain(self, cell, xp, score_cell, points, ind):
        ok, beyond, _ = self._words
        t = f"{n(self.threshold)}%"
        full = _lit(f"{ind.title} ", X(ind.format_formula(cell)), f" {ok} {t}，得满分 {n(points)} 分")
        part = _lit(
            f"{ind.title} ", X(ind.format_formula(cell)), f"，{beyond} {t}，",
            f"按每{beyond} {n(self.per)} 个百分点扣 {n(self.deduct)} 分，扣 ", _excel_lost(points, score_cell), " 分",
        )
        return f"IF({self._excel_gap(xp)}<=0,{full},{part})"


@dataclass(frozen=True)
class LinearOver(_Linear):
    type: ClassVar[str] = "linear_over"
    over: ClassVar[bool] = True


@dataclass(frozen=True)
class LinearUnder(_Linear):
    type: ClassVar[str] = "linear_under"
    over: ClassVar[bool] = False


@dataclass(frozen=True)
class _Steps(ScoringRule):
    """"每低于5%扣2分": only complete steps count (99.27% keeps full marks, domain.md §2.3)."""

    threshold: Decimal
    step: Decimal
    deduct: Decimal
    over: ClassVar[bool]

    def check(self, ind):
        _need_percent(self, ind)
        if self.step <= 0:
            raise ValueError("step must be > 0")

    def _gap(self, x: Decimal) -> Decimal:
        return x - self.threshold if self.over else self.threshold - x

    def score(self, x, points, ind):
        steps = (self._gap(x) / self.step).to_integral_value(rounding=ROUND_FLOOR)
        return max(Decimal(0), min(points, points - self.deduct * steps))

    @property
    def _words(self) -> tuple[str, str]:
        return ("≤", "超过") if self.over else ("≥", "低于")

    def explain(self, x, points, ind, score):
        ok, beyond = self._words
        t = f"{n(self.threshold)}%"
        if self._gap(x) <= 0:
            return f"{ind.title} {ind.format_value(x)} {ok} {t}，得满分 {n(points)} 分"
        if score >= points:  # beyond the threshold by less than one step
            return (f"{ind.title} {ind.format_value(x)}，{beyond} {t} 不足 {n(self.step)} 个百分点，不扣分，"
                    f"得满分 {n(points)} 分")
        return (
            f"{ind.title} {ind.format_value(x)}，{beyond} {t}，"
            f"按每{beyond} {n(self.step)} 个百分点扣 {n(self.deduct)} 分，{_lost(points, score)}"
        )

    def zero_from(self, x, points, ind):
        return self.over and self.score(x, points, ind) == 0

    def excel_zero_from(self, xp, points, ind):
        return f"{self.excel_score(xp, points, ind)}=0" if self.over else None

    def describe(self, points, ind):
        ok, beyond = self._words
        return f"{ok}{n(self.threshold)}% 得满分；每{beyond} {n(self.step)}% 扣 {n(self.deduct)} 分（不足 {n(self.step)}% 不扣），扣完为止"

    def _excel_gap(self, xp: str) -> str:
        return f"({xp}-{xl(self.threshold)})" if self.over else f"({xl(self.threshold)}-{xp})"

    def excel_score(self, xp, points, ind):
        # INT floors toward −∞ like ROUND_FLOOR; MIN caps the "negative steps" on the good side.
        return f"MAX(0,MIN({xl(points)},{xl(points)}-{xl(self.deduct)}*INT({self._excel_gap(xp)}/{xl(self.step)})))"

    def excel_explain(self, cell, xp, score_cell, points, ind):
        ok, beyond = self._words
        t = f"{n(self.threshold)}%"
        full = _lit(f"{ind.title} ", X(ind.format_formula(cell)), f" {ok} {t}，得满分 {n(points)} 分")
        within = _lit(f"{ind.title} ", X(ind.format_formula(cell)),
                      f"，{beyond} {t} 不足 {n(self.step)} 个百分点，不扣分，得满分 {n(points)} 分")
        part = _lit(
            f"{ind.title} ", X(ind.format_formula(cell)), f"，{beyond} {t}，",
            f"按每{beyond} {n(self.step)} 个百分点扣 {n(self.deduct)} 分，扣 ", _excel_lost(points, score_cell), " 分",
        )
        return f"IF({self._excel_gap(xp)}<=0,{full},IF({score_cell}>={xl(points)},{within},{part}))"


@dataclass(frozen=True)
class StepsOver(_Steps):
    type: ClassVar[str] = "steps_over"
    over: ClassVar[bool] = True


@dataclass(frozen=True)
class StepsUnder(_Steps):
    type: ClassVar[str] = "steps_under"
    over: ClassVar[bool] = False


_NUM = r"(-?\d+(?:\.\d+)?)%?"
_CMP = re.compile(rf"^(=|>=|<=|>|<|≥|≤)\s*{_NUM}$")
_INTERVAL = re.compile(rf"^([\[(])\s*{_NUM}\s*,\s*{_NUM}\s*([\])])$")


@dataclass(frozen=True)
class Band:
    """An interval with explicit ends; ``None`` bounds are open to ±∞.

    ``points`` None: the source does not state this band's score (需人工评分).
    """

    spec: str
    lo: Decimal | None
    lo_closed: bool
    hi: Decimal | None
    hi_closed: bool
    points: Decimal | None

    @classmethod
    def parse(cls, spec: str, points: Decimal | None) -> "Band":
        s = spec.strip().replace("（", "(").replace("）", ")").replace("，", ",")
        m = _CMP.match(s)
        if m:
            op, v = m.group(1).replace("≥", ">=").replace("≤", "<="), Decimal(m.group(2))
            return {
                "=": cls(spec, v, True, v, True, points),
                ">": cls(spec, v, False, None, False, points),
                ">=": cls(spec, v, True, None, False, points),
                "<": cls(spec, None, False, v, False, points),
                "<=": cls(spec, None, False, v, True, points),
            }[op]
        m = _INTERVAL.match(s)
        if m:
            lo, hi = Decimal(m.group(2)), Decimal(m.group(3))
            if lo >= hi:
                raise ValueError(f"empty band {spec!r}")
            return cls(spec, lo, m.group(1) == "[", hi, m.group(4) == "]", points)
        raise ValueError(f"cannot read band {spec!r}: use =a, >a, >=a, <a, <=a, (a,b], [a,b) …")

    def contains(self, x: Decimal) -> bool:
        if self.lo is not None and (x < self.lo or (x == self.lo and not self.lo_closed)):
            return False
        if self.hi is not None and (x > self.hi or (x == self.hi and not self.hi_closed)):
            return False
        return True

    def excel(self, xp: str) -> str:
        conds = []
        if self.lo is not None and self.lo == self.hi:
            return f"{xp}={xl(self.lo)}"
        if self.lo is not None:
            conds.append(f"{xp}{'>=' if self.lo_closed else '>'}{xl(self.lo)}")
        if self.hi is not None:
            conds.append(f"{xp}{'<=' if self.hi_closed else '<'}{xl(self.hi)}")
        return conds[0] if len(conds) == 1 else f"AND({','.join(conds)})"

    def label(self, ind: Indicator) -> str:
        if ind.unit == LEVEL and self.lo is not None and self.lo == self.hi:
            return ind.value_labels[int(self.lo)]
        u = "%" if ind.unit == PERCENT else ""
        if self.lo is not None and self.lo == self.hi:
            return f"{n(self.lo)}{u}"
        if self.lo is None:
            return f"{'≤' if self.hi_closed else '<'} {n(self.hi)}{u}"
        if self.hi is None:
            return f"{'≥' if self.lo_closed else '>'} {n(self.lo)}{u}"
        return f"{'[' if self.lo_closed else '('}{n(self.lo)}{u}, {n(self.hi)}{u}{']' if self.hi_closed else ')'}"

    def words(self, ind: Indicator) -> str:
        """The interval as a reviewer reads it: "(10%, 20%]" → "超过 10%、不超过 20%"; "≥ 30%" → "不低于 30%"."""
        u = "%" if ind.unit == PERCENT else ""
        if self.lo is not None and self.lo == self.hi:
            return f"为 {n(self.lo)}{u}"
        low = f"{'不低于' if self.lo_closed else '超过'} {n(self.lo)}{u}" if self.lo is not None else ""
        high = f"{'不超过' if self.hi_closed else '低于'} {n(self.hi)}{u}" if self.hi is not None else ""
        return "、".join(w for w in (low, high) if w)

    def overlaps(self, other: "Band") -> bool:
        def below(a: Band, b: Band) -> bool:  # a lies entirely below b
            if a.hi is None or b.lo is None:
                return False
            return a.hi < b.lo or (a.hi == b.lo and not (a.hi_closed and b.lo_closed))

        return not (below(self, other) or below(other, self))


@dataclass(frozen=True)
class Bands(ScoringRule):
    type: ClassVar[str] = "bands"
    bands: tuple[Band, ...]

    def check(self, ind):
        if ind.unit not in (PERCENT, LEVEL):
            raise ValueError(f"bands: {ind.code} 的单位 {ind.unit} 不受支持")
        for i, a in enumerate(self.bands):
            for b in self.bands[i + 1:]:
                if a.overlaps(b):
                    raise ValueError(f"{ind.code}: bands {a.spec!r} and {b.spec!r} overlap")
            if ind.unit == LEVEL and not (a.lo is not None and a.lo == a.hi and 0 <= a.lo < len(ind.value_labels)):
                raise ValueError(f"{ind.code}: level bands must be =0, =1, …")

    def band(self, x: Decimal) -> Band | None:
        return next((b for b in self.bands if b.contains(x)), None)

    def score(self, x, points, ind):
        b = self.band(x)
        return None if b is None else b.points

    def _top(self) -> Band | None:
        """The band open upwards, when it scores 0 (">30%": 0)."""
        return next((b for b in self.bands if b.hi is None and b.points == 0), None)

    def zero_from(self, x, points, ind):
        top = self._top()
        return top is not None and ind.unit == PERCENT and top.contains(x)

    def excel_zero_from(self, xp, points, ind):
        top = self._top()
        return top.excel(xp) if top is not None and ind.unit == PERCENT else None

    def _head(self, ind: Indicator, value: str) -> str:
        return f"{ind.title}：{value}" if ind.unit == LEVEL else f"{ind.title} {value}"

    def explain(self, x, points, ind, score):
        head = self._head(ind, ind.format_value(x))
        b = self.band(x)
        if b is None:
            return f"{head}，不在评分标准的任何区间内，需人工评分"
        return head + self._tail(b, points, ind)

    @staticmethod
    def _tail(b: Band, points: Decimal, ind: Indicator) -> str:
        where = "" if ind.unit == LEVEL else f"，{b.words(ind)}"
        if b.points is None:
            return f"{where}，资料未载明该档得分，需人工评分"
        lost = f"，{_lost(points, b.points)}" if b.points < points else ""
        return f"{where}，按评分标准得 {n(b.points)} 分{lost}"

    def describe(self, points, ind):
        parts = []
        for b in self.bands:
            parts.append(f"{b.label(ind)} {'需人工评分（资料未载明）' if b.points is None else '得 ' + n(b.points) + ' 分'}")
        return "；".join(parts)

    def excel_score(self, xp, points, ind):
        out = '""'
        for b in reversed(self.bands):
            points_expr = '""' if b.points is None else xl(b.points)
            out = f"IF({b.excel(xp)},{points_expr},{out})"
        return out

    def excel_explain(self, cell, xp, score_cell, points, ind):
        head = self._head(ind, "\0")
        pre, post = head.split("\0")
        value = X(ind.format_formula(cell))
        out = _lit(pre, value, post + "，不在评分标准的任何区间内，需人工评分")
        for b in reversed(self.bands):
            out = f"IF({b.excel(xp)},{_lit(pre, value, post + self._tail(b, points, ind))},{out})"
        return out


@dataclass(frozen=True)
class Checklist(ScoringRule):
    """``award``: per_item for each 是 (capped at the weight); ``deduct``: −per_item for each 否, floor 0."""

    type: ClassVar[str] = "checklist"
    per_item: Decimal
    mode: str = "award"

    def check(self, ind):
        if ind.items is None:
            raise ValueError(f"checklist: {ind.code} 不是评价要点类指标")
        if self.mode not in ("award", "deduct"):
            raise ValueError(f"checklist mode {self.mode!r}")

    def score(self, x, points, ind):
        if self.mode == "award":
            return min(points, self.per_item * x)
        return max(Decimal(0), points - self.per_item * (ind.items - x))

    def explain(self, x, points, ind, score):
        outcome = f"得满分 {n(points)} 分" if score >= points else _lost(points, score)
        if self.mode == "award":
            return f"{ind.title}：{ind.items} 项评价要点中 {fmt_number(x)} 项符合，每项符合得 {n(self.per_item)} 分，{outcome}"
        return (
            f"{ind.title}：{ind.items} 项评价要点中 {fmt_number(ind.items - x)} 项不符合，"
            f"每项不符合扣 {n(self.per_item)} 分，{outcome}"
        )

    def describe(self, points, ind):
        if self.mode == "award":
            return f"{ind.items} 项评价要点，每项符合得 {n(self.per_item)} 分，最高 {n(points)} 分"
        return f"{ind.items} 项评价要点，每项不符合扣 {n(self.per_item)} 分，扣完为止"

    def excel_score(self, xp, points, ind):
        if self.mode == "award":
            return f"MIN({xl(points)},{xl(self.per_item)}*{xp})"
        return f"MAX(0,{xl(points)}-{xl(self.per_item)}*({ind.items}-{xp}))"

    def excel_explain(self, cell, xp, score_cell, points, ind):
        outcome = X(f'IF({score_cell}>={xl(points)},{excel_str(f"得满分 {n(points)} 分")},'
                    f'{_lit("扣 ", _excel_lost(points, score_cell), " 分")})')
        if self.mode == "award":
            return _lit(
                f"{ind.title}：{ind.items} 项评价要点中 ", X(f"ROUND({cell},2)"),
                f" 项符合，每项符合得 {n(self.per_item)} 分，", outcome,
            )
        return _lit(
            f"{ind.title}：{ind.items} 项评价要点中 ", X(f"ROUND({ind.items}-{cell},2)"),
            f" 项不符合，每项不符合扣 {n(self.per_item)} 分，", outcome,
        )


@dataclass(frozen=True)
class Proportional(ScoringRule):
    """"按完成比例计分": 分值 × value / target, capped at 分值 (target 100%: 95% of 5 points is 4.75)."""

    type: ClassVar[str] = "proportional"
    target: Decimal = Decimal(100)

    def check(self, ind):
        _need_percent(self, ind)
        if self.target <= 0:
            raise ValueError("target must be > 0")

    def score(self, x, points, ind):
        return max(Decimal(0), min(points, points * x / self.target)).quantize(_CENT, rounding=ROUND_HALF_UP)

    def explain(self, x, points, ind, score):
        if x >= self.target:
            return f"{ind.title} {ind.format_value(x)} ≥ {n(self.target)}%，得满分 {n(points)} 分"
        v = ind.format_value(x)
        return (f"{ind.title} {v}，未达到 {n(self.target)}%，按完成比例计分（{n(points)} 分 × {v} ÷ {n(self.target)}%），"
                f"{_lost(points, score)}")

    def describe(self, points, ind):
        return f"以 {n(self.target)}% 为标准，按完成比例计分（{n(points)} 分 × 指标值 ÷ {n(self.target)}%）"

    def excel_score(self, xp, points, ind):
        return f"ROUND(MAX(0,MIN({xl(points)},{xl(points)}*{xp}/{xl(self.target)})),2)"

    def excel_explain(self, cell, xp, score_cell, points, ind):
        full = _lit(f"{ind.title} ", X(ind.format_formula(cell)), f" ≥ {n(self.target)}%，得满分 {n(points)} 分")
        v = X(ind.format_formula(cell))
        part = _lit(f"{ind.title} ", v, f"，未达到 {n(self.target)}%，按完成比例计分（{n(points)} 分 × ", v,
                    f" ÷ {n(self.target)}%），扣 ", _excel_lost(points, score_cell), " 分")
        return f"IF({xp}>={xl(self.target)},{full},{part})"


RULE_TYPES: dict[str, type[ScoringRule]] = {
    cls.type: cls for cls in (LinearOver, LinearUnder, StepsOver, StepsUnder, Bands, Checklist, Proportional)
}


def dec(value: Any) -> Decimal:
    """A YAML number (int, float or text) as the Decimal it was written as."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"expected a number, got {value!r}")
    return Decimal(str(value))


def rule_from_data(data: Mapping[str, Any]) -> ScoringRule:
    """Build a rule from its profile entry, e.g. ``{type: linear_over, threshold: 100, deduct: 0.5}``."""
    data = dict(data)
    kind = data.pop("type", None)
    if kind not in RULE_TYPES:
        raise ValueError(f"unknown rule type {kind!r}; known: {', '.join(RULE_TYPES)}")
    if kind == "bands":
        bands = data.pop("bands")
        if data:
            raise ValueError(f"bands: unexpected keys {sorted(data)}")
        return Bands(tuple(Band.parse(str(k), None if v is None else dec(v)) for k, v in bands.items()))
    if kind == "checklist":
        return Checklist(per_item=dec(data.pop("per_item")), mode=str(data.pop("mode", "award")))
    cls = RULE_TYPES[kind]
    try:
        return cls(**{k: dec(v) for k, v in data.items()})
    except TypeError as e:
        raise ValueError(f"{kind}: {e}") from None
