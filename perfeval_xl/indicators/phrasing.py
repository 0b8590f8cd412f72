"""扣分理由 as a reviewer writes it, one phrasing per scoring-rule kind.

The engine's own explanation is exact but reads like the engine ("属于 (10%, 20%] 档"); a score
table in a published report says why points were lost the way an evaluation team does:
"预算执行率 93.34%，低于 100%，按每低于 5 个百分点扣 2 分，扣 2 分". Each phrasing reads the rule's
declaration (threshold, step, bands …), so a changed rule changes its wording.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable

from .indicator import LEVEL, PERCENT, Indicator, fmt_number
from .scoring_rules import Band, Bands, Checklist, Proportional, ScoringRule, _Linear, _Steps, n


def _deducted(points: Decimal, score: Decimal) -> str:
    return f"扣 {fmt_number(points - score)} 分"


def _linear(rule: _Linear, x: Decimal, points: Decimal, ind: Indicator, score: Decimal) -> str:
    beyond = "超过" if rule.over else "低于"
    return (f"{ind.title} {ind.format_value(x)}，{beyond} {n(rule.threshold)}%，"
            f"按每{beyond} {n(rule.per)} 个百分点扣 {n(rule.deduct)} 分，{_deducted(points, score)}")


def _steps(rule: _Steps, x: Decimal, points: Decimal, ind: Indicator, score: Decimal) -> str:
    beyond = "超过" if rule.over else "低于"
    return (f"{ind.title} {ind.format_value(x)}，{beyond} {n(rule.threshold)}%，"
            f"按每{beyond} {n(rule.step)} 个百分点扣 {n(rule.deduct)} 分，{_deducted(points, score)}")


def band_words(b: Band, ind: Indicator) -> str:
    """"(10%, 20%]" → "超过 10%、不超过 20%"; "≥ 30%" → "不低于 30%"."""
    u = "%" if ind.unit == PERCENT else ""
    if b.lo is not None and b.lo == b.hi:
        return f"为 {n(b.lo)}{u}"
    low = f"{'不低于' if b.lo_closed else '超过'} {n(b.lo)}{u}" if b.lo is not None else ""
    high = f"{'不超过' if b.hi_closed else '低于'} {n(b.hi)}{u}" if b.hi is not None else ""
    return "、".join(w for w in (low, high) if w)


def _bands(rule: Bands, x: Decimal, points: Decimal, ind: Indicator, score: Decimal) -> str:
    b = rule.band(x)
    if ind.unit == LEVEL:
        head = f"{ind.title}为“{ind.format_value(x)}”"
    else:
        head = f"{ind.title} {ind.format_value(x)}" + (f"，{band_words(b, ind)}" if b is not None else "")
    return f"{head}，按评分标准得 {fmt_number(score)} 分，{_deducted(points, score)}"


def _checklist(rule: Checklist, x: Decimal, points: Decimal, ind: Indicator, score: Decimal) -> str:
    missing = Decimal(ind.items) - x
    return (f"{ind.title}：{ind.items} 项评价要点中 {fmt_number(missing)} 项不符合，"
            f"{'每项符合得' if rule.mode == 'award' else '每项不符合扣'} {n(rule.per_item)} 分，{_deducted(points, score)}")


def _proportional(rule: Proportional, x: Decimal, points: Decimal, ind: Indicator, score: Decimal) -> str:
    return (f"{ind.title} {ind.format_value(x)}，未达到 {n(rule.target)}%，按完成比例计分"
            f"（{n(points)} 分 × {ind.format_value(x)} ÷ {n(rule.target)}%），{_deducted(points, score)}")


PHRASINGS: dict[str, Callable[..., str]] = {
    "linear_over": _linear,
    "linear_under": _linear,
    "steps_over": _steps,
    "steps_under": _steps,
    "bands": _bands,
    "checklist": _checklist,
    "proportional": _proportional,
}


def deduction_reason(rule: ScoringRule, x: Decimal, points: Decimal, ind: Indicator, score: Decimal) -> str:
    """Why ``score`` is below ``points`` for the rule-unit value ``x``; "" at full marks."""
    if score >= points:
        return ""
    return PHRASINGS[rule.type](rule, x, points, ind, score)
