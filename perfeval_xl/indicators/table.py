"""The score table as plain rows: what ``perfeval score``, the report and the summaries print.

``score_table(card)`` → ``ScoreTable``: per row 一级, 二级, 三级, 分值, 值, 得分,
说明或扣分理由; then the total and the grade, or None and what is still open.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from .engine import ScoreCard
from .indicator import NOT_APPLICABLE
from .scoring_sheet_names import EVALUATOR_VALUE


@dataclass(frozen=True)
class ScoreRow:
    level: str  # 一级
    group: str  # 二级
    name: str  # 三级
    code: str  # indicator code or E01 …
    points: Decimal | None  # 分值
    value: str  # 值 as printed ("95.10%", "不适用", "评价组评分", "" when not computable)
    score: Decimal | None  # 得分
    explanation: str  # 说明 (computed) or the evaluator's text with the 扣分理由
    evaluator: bool
    reason: str | None  # 扣分理由 as entered


@dataclass(frozen=True)
class ScoreTable:
    profile_id: str
    profile_name: str
    rows: tuple[ScoreRow, ...]
    full_marks: Decimal | None
    total: Decimal | None  # only when every row is scored and the rows cover full_marks
    grade: str | None
    scored_points: Decimal | None  # 已评 X
    pending: int  # 尚有 N 项待评
    summary: str  # "总分 82 分，评价等级：良" or "已评 X / 100 分，尚有 N 项待评"

    def to_json(self) -> dict:
        def plain(v):
            if isinstance(v, Decimal):
                return int(v) if v == v.to_integral_value() else float(v)
            if isinstance(v, (list, tuple)):
                return [plain(x) for x in v]
            if isinstance(v, dict):
                return {k: plain(x) for k, x in v.items()}
            return v

        return plain(asdict(self))


def score_table(card: ScoreCard) -> ScoreTable:
    rows = []
    for it in card.items:
        if it.evaluator:
            value = EVALUATOR_VALUE
        elif not it.applicable:
            value = NOT_APPLICABLE
        elif it.value is None:
            value = ""
        else:
            item = next(i for i in card.profile.items if i.code == it.code)
            value = item.indicator.format_value(it.value)
        rows.append(ScoreRow(it.level, it.group, it.title, it.code, it.points, value, it.score, it.explanation,
                             it.evaluator, it.reason))
    return ScoreTable(card.profile.id, card.profile.name, tuple(rows), card.profile.full_marks, card.total, card.grade,
                      card.scored_points, card.pending, card.explanation)
