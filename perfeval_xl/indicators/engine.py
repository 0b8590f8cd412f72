"""Scoring a set of typed values under a profile: values, scores, total, grade.

The explanations here are the ones the 评分 sheet builds with formulas
(``perfeval_xl.template.scoring_sheet``); both are derived from the same rule objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping

from .indicator import Indicator, fmt_number
from .profile import PROFILES, Profile, ProfileItem
from .scoring_rules import quantize_x

GRADES = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"))
LOWEST_GRADE = "差"
_CENT = Decimal("0.01")


def grade(score_100: Decimal) -> str:
    """优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差 (domain.md §2.4: lower bounds included)."""
    s = quantize_x(Decimal(score_100))
    return next((g for bound, g in GRADES if s >= bound), LOWEST_GRADE)


def scaled(total: Decimal, max_total: Decimal) -> Decimal:
    """The total on a 100-point scale (the same number when the profile covers 100 points)."""
    return quantize_x(total * 100 / max_total)


@dataclass(frozen=True)
class IndicatorScore:
    code: str
    title: str
    level: str  # 一级 as the profile prints it
    group: str  # 二级
    points: Decimal | None  # weight; None in a values-only profile
    value: Decimal | None  # in the indicator's unit (percentage points for %)
    unit: str
    applicable: bool
    score: Decimal | None
    explanation: str

    @property
    def computed(self) -> bool:
        return self.value is not None or not self.applicable


@dataclass(frozen=True)
class ScoreCard:
    profile: Profile
    items: tuple[IndicatorScore, ...]
    total: Decimal | None
    max_total: Decimal | None
    grade: str | None
    explanation: str

    def __getitem__(self, code: str) -> IndicatorScore:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    @property
    def scaled_total(self) -> Decimal | None:
        if self.total is None or not self.max_total:
            return None
        return scaled(self.total, self.max_total)


def not_applicable_text(ind: Indicator) -> str:
    return f"{ind.title}：{ind.not_applicable.value}" if ind.not_applicable else f"{ind.title}：不适用"


def score_item(values: Mapping[str, object], item: ProfileItem, scored: bool = True) -> tuple[Decimal | None, bool, Decimal | None, str]:
    """(value, applicable, score, explanation) of one indicator under one profile entry."""
    ind = item.indicator
    out = ind.evaluate(values)
    if not out.applicable:
        if not scored:
            return None, False, None, not_applicable_text(ind)
        return None, False, item.points, f"{not_applicable_text(ind)}，得满分 {fmt_number(item.points)} 分"
    if out.value is None:
        return None, True, None, out.reason
    if not scored:
        return out.value, True, None, f"{ind.title} {ind.format_value(out.value)}"
    x = quantize_x(out.value)
    s = item.rule.score(x, item.points, ind)
    return out.value, True, s, item.rule.explain(x, item.points, ind, s)


def total_text(total: Decimal, max_total: Decimal) -> str:
    g = grade(scaled(total, max_total))
    if max_total == 100:
        return f"总分 {fmt_number(total)} 分，评价等级：{g}"
    return (
        f"总分 {fmt_number(total)} 分（已纳入指标满分 {fmt_number(max_total)} 分），"
        f"折算百分制 {scaled(total, max_total).quantize(_CENT, rounding=ROUND_HALF_UP)} 分，评价等级：{g}"
    )


def score(values: Mapping[str, object], profile_id: str | Profile) -> ScoreCard:
    """Score typed values (as produced by ``perfeval_xl.schema.values.coerce``) under a profile."""
    if isinstance(profile_id, Profile):
        profile = profile_id
    elif profile_id in PROFILES:
        profile = PROFILES[profile_id]
    else:
        raise KeyError(f"未知的评分方案 {profile_id!r}，可选：{'、'.join(PROFILES)}")
    items = []
    for level, group, item in profile.rows():
        value, applicable, s, text = score_item(values, item, profile.scored)
        items.append(
            IndicatorScore(
                code=item.code, title=item.indicator.title, level=level.name, group=group.name,
                points=item.points, value=value, unit=item.indicator.unit, applicable=applicable,
                score=s, explanation=text,
            )
        )
    if not profile.scored:
        return ScoreCard(profile, tuple(items), None, None, None, "本方案只计算指标值，不计分、不评等级")
    max_total = profile.max_total
    unscored = [i for i in items if i.score is None]
    if unscored:
        names = "、".join(i.title for i in unscored)
        return ScoreCard(profile, tuple(items), None, max_total, None, f"无法计算总分：{len(unscored)} 项指标未得分（{names}）")
    total = sum((i.score for i in items), Decimal(0))
    return ScoreCard(profile, tuple(items), total, max_total, grade(scaled(total, max_total)), total_text(total, max_total))
