"""Scoring a set of typed values under a profile: values, scores, total, grade.

A total and a grade exist only when the profile's rows cover 100 points and
every row is scored; otherwise the card says "已评 X / 100 分，尚有 N 项待评".
Computed rows are scored from the values; evaluator rows from what the
evaluator entered (得分 and 扣分理由, ``given``).

The explanations here are the ones the 评分 sheet builds with formulas
(``perfeval_xl.template.scoring_sheet``); both are derived from the same rule objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping

from ..schema import SCHEMA
from .indicator import Indicator, fmt_number
from .profile import DEFAULT_GRADES, DEFAULT_LOWEST, PROFILES, Profile, ProfileItem
from .scoring_rules import quantize_x

GRADES = DEFAULT_GRADES
LOWEST_GRADE = DEFAULT_LOWEST
VALUES_ONLY = "本方案只计算指标值，不计分、不评等级"

# key of an evaluator row → (得分, 扣分理由) as entered; either may be None (blank)
Given = Mapping[str, tuple[Decimal | None, str | None]]


def grade(score_100: Decimal) -> str:
    """优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差 (domain.md §2.4: lower bounds included)."""
    s = quantize_x(Decimal(score_100))
    return next((g for bound, g in GRADES if s >= bound), LOWEST_GRADE)


def scaled(total: Decimal, max_total: Decimal) -> Decimal:
    """The total on a 100-point scale (kept for the PE_GRADE function's optional argument)."""
    return quantize_x(total * 100 / max_total)


@dataclass(frozen=True)
class IndicatorScore:
    code: str  # indicator code, or E01 … for an evaluator row
    title: str
    level: str  # 一级 as the profile prints it
    group: str  # 二级
    points: Decimal | None  # weight; None in a values-only profile
    value: Decimal | None  # in the indicator's unit (percentage points for %)
    unit: str
    applicable: bool
    score: Decimal | None
    explanation: str
    evaluator: bool = False  # scored by the evaluator, not computed
    reason: str | None = None  # the evaluator's 扣分理由 as entered

    @property
    def computed(self) -> bool:
        return self.value is not None or not self.applicable

    @property
    def pending(self) -> bool:
        return self.points is not None and self.score is None


@dataclass(frozen=True)
class ScoreCard:
    profile: Profile
    items: tuple[IndicatorScore, ...]
    total: Decimal | None  # only when every row is scored and the rows cover 100 points
    max_total: Decimal | None  # the weights of all rows
    grade: str | None
    explanation: str
    scored_points: Decimal | None = None  # 已评 X: the weights of the rows that have a score
    pending: int = 0  # 尚有 N 项待评

    def __getitem__(self, code: str) -> IndicatorScore:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    @property
    def scaled_total(self) -> Decimal | None:
        """The total, already on 100 points (kept for callers of the older partial profiles)."""
        return self.total

    @property
    def complete(self) -> bool:
        return self.total is not None


def not_applicable_text(ind: Indicator) -> str:
    return f"{ind.title}：{ind.not_applicable.value}" if ind.not_applicable else f"{ind.title}：不适用"


def at_least_text(ind: Indicator, x: Decimal) -> str:
    blank = "、".join(SCHEMA[f].label for f in ind.at_least_when_blank)
    return f"{ind.title} 至少为 {ind.format_value(x)}（{blank}未填），无论其取值均得 0 分"


def score_item(values: Mapping[str, object], item: ProfileItem, scored: bool = True) -> tuple[Decimal | None, bool, Decimal | None, str]:
    """(value, applicable, score, explanation) of one computed indicator under one profile entry."""
    ind = item.indicator
    out = ind.evaluate(values)
    if not out.applicable:
        if not scored:
            return None, False, None, not_applicable_text(ind)
        return None, False, item.points, f"{not_applicable_text(ind)}，得满分 {fmt_number(item.points)} 分"
    if out.value is None:
        if scored and out.at_least is not None:
            x = quantize_x(out.at_least)
            if item.rule.zero_from(x, item.points, ind):
                return None, True, Decimal(0), at_least_text(ind, x)
        return None, True, None, out.reason
    if not scored:
        return out.value, True, None, f"{ind.title} {ind.format_value(out.value)}"
    x = quantize_x(out.value)
    s = item.rule.score(x, item.points, ind)
    return out.value, True, s, item.rule.explain(x, item.points, ind, s)


def trim(text: str | None) -> str | None:
    """Excel's TRIM: no leading or trailing spaces, runs of spaces as one; blank → None."""
    out = " ".join(p for p in str(text or "").split(" ") if p)
    return out or None


def evaluator_item(item: ProfileItem, given: tuple[Decimal | None, str | None] | None) -> tuple[Decimal | None, str]:
    """(score, explanation) of an evaluator row from what was entered."""
    s, reason = given or (None, None)
    reason = trim(reason)
    full = fmt_number(item.points)
    if s is None:
        return None, f"待评价组评分（满分 {full} 分）"
    if s < 0 or s > item.points:
        return None, f"评价组得分 {fmt_number(s)} 超出 0–{full} 分，需更正"
    head = f"评价组评分 {fmt_number(s)} 分"
    if s < item.points:
        return s, f"{head}，扣分理由：{reason}" if reason else f"{head}（未填写扣分理由）"
    return s, f"{head}（满分），说明：{reason}" if reason else f"{head}（满分）"


def progress_text(scored_points: Decimal, full: Decimal, pending: int) -> str:
    return f"已评 {fmt_number(scored_points)} / {fmt_number(full)} 分，尚有 {pending} 项待评"


def total_text(total: Decimal, g: str) -> str:
    return f"总分 {fmt_number(total)} 分，评价等级：{g}"


def resolve(profile_id: str | Profile) -> Profile:
    if isinstance(profile_id, Profile):
        return profile_id
    if profile_id in PROFILES:
        return PROFILES[profile_id]
    raise KeyError(f"未知的评分方案 {profile_id!r}，可选：{'、'.join(PROFILES)}")


def score(values: Mapping[str, object], profile_id: str | Profile, given: Given | None = None) -> ScoreCard:
    """Score typed values (as produced by ``perfeval_xl.schema.values.coerce``) under a profile.

    ``given``: the evaluator rows' entries, key → (得分, 扣分理由).
    """
    profile = resolve(profile_id)
    given = given or {}
    items = []
    for level, group, item in profile.rows():
        if item.computed:
            value, applicable, s, text = score_item(values, item, profile.scored)
            items.append(IndicatorScore(
                code=item.code, title=item.title, level=level.name, group=group.name, points=item.points,
                value=value, unit=item.indicator.unit, applicable=applicable, score=s, explanation=text,
            ))
        else:
            s, text = evaluator_item(item, given.get(item.key))
            reason = (given.get(item.key) or (None, None))[1]
            items.append(IndicatorScore(
                code=item.code, title=item.title, level=level.name, group=group.name, points=item.points,
                value=None, unit="", applicable=True, score=s, explanation=text, evaluator=True,
                reason=trim(reason),
            ))
    if not profile.scored:
        return ScoreCard(profile, tuple(items), None, None, None, VALUES_ONLY)
    max_total = profile.max_total
    done = [i for i in items if i.score is not None]
    scored_points = sum((i.points for i in done), Decimal(0))
    pending = len(items) - len(done)
    if pending or max_total != profile.full_marks:
        return ScoreCard(profile, tuple(items), None, max_total, None,
                         progress_text(scored_points, profile.full_marks, pending), scored_points, pending)
    total = sum((i.score for i in items), Decimal(0))
    g = profile.grade(quantize_x(total))
    return ScoreCard(profile, tuple(items), total, max_total, g, total_text(total, g), scored_points, 0)
