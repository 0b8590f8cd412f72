"""SCORE: the evaluator's entries on the 评分 sheet.

Rows of the bureau's 指标表 that no formula can compute are scored by the
evaluator: 评价组得分 (0 … 分值) and, below full marks, 扣分理由. The profile
declares these rows; the sheet names each input ``score_<key>_given`` /
``score_<key>_reason``; the reader hands the entries here as
key → (得分, 扣分理由) plus the 得分 that are not numbers.
"""

from __future__ import annotations

from .base import CheckRule, Severity

SCORE001 = CheckRule(
    id="SCORE001", slug="evaluator-score-out-of-range", title="评价组得分超出分值范围",
    rationale="评价组评分的指标，得分只能在 0 至该指标分值之间（指标表的分值即满分）；超出范围或不是数字的得分不能计入总分，"
    "该指标按未评处理，总分和评价等级因此不能给出（各地指标表均规定评价组得分不超过该指标分值）。",
    severity=Severity.ERROR,
    message="“{indicator}”的评价组得分 {given} 不在 0–{points} 分之间，按未评处理",
)
SCORE002 = CheckRule(
    id="SCORE002", slug="deduction-without-reason", title="扣分未写理由",
    rationale="评价组给出低于分值的得分时，须写明扣分理由（岳阳参考样表“扣分原因和其他说明”栏；财政局复核需要知道为什么扣分）。"
    "得分照常计入，但报告和回执中缺少依据。",
    severity=Severity.WARNING,
    message="“{indicator}”得 {given} 分（满分 {points} 分），未填写扣分理由",
)

RULES = (SCORE001, SCORE002)


def run(ctx, profile, given: dict, not_numbers: dict, cell) -> None:
    """Findings for the evaluator rows; ``cell(key, what)`` → the CellRef of an input."""
    from ..indicators.engine import trim
    from ..indicators.indicator import fmt_number

    for item in profile.evaluator_items:
        s, reason = given.get(item.key, (None, None))
        points = fmt_number(item.points)
        if item.key in not_numbers:
            ctx.report(SCORE001, (cell(item.key, "given", not_numbers[item.key]),), indicator=item.title,
                       given=f"“{not_numbers[item.key]}”", points=points)
        elif s is not None and not 0 <= s <= item.points:
            ctx.report(SCORE001, (cell(item.key, "given", s),), indicator=item.title, given=fmt_number(s), points=points)
        elif s is not None and s < item.points and trim(reason) is None:
            ctx.report(SCORE002, (cell(item.key, "reason", None), cell(item.key, "given", s)), indicator=item.title,
                       given=fmt_number(s), points=points)
