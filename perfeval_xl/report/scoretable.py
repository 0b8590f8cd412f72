"""The score table over the full 100 points, from a score card.

``score_rows`` is the one adapter between the scoring engine and the report: issue 11 brings
full 100-point profiles and evaluator rows (得分, 扣分理由); switch this function to that API and
the table, the summary sentence and the drafted 问题 follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import phrases as P
from .model import Table

FULL_MARKS = Decimal(100)


@dataclass(frozen=True)
class ScoreRow:
    level1: str
    level2: str
    level3: str
    points: Decimal | None
    score: Decimal | None  # None: 待评
    reason: str  # 扣分理由 (or why it is not scored yet)

    @property
    def deducted(self) -> Decimal | None:
        if self.points is None or self.score is None:
            return None
        return self.points - self.score


@dataclass(frozen=True)
class ScoreSheet:
    profile: str
    rows: tuple[ScoreRow, ...]
    scored_points: Decimal  # 已评: the points of the rows that have a score
    total: Decimal  # 得分 over the scored rows
    pending: int  # rows still 待评
    grade: str | None  # only when the whole 100 points are scored

    @property
    def complete(self) -> bool:
        return self.pending == 0 and self.scored_points == FULL_MARKS


def _reason(item) -> str:
    """扣分理由: the engine's explanation without the indicator's name in front."""
    text = item.explanation.strip().rstrip("。")
    if text.startswith(item.title):
        text = text[len(item.title):].lstrip("：: ")
    return text


def score_rows(scorecard) -> ScoreSheet | None:
    """The current ``indicators.ScoreCard`` as a ``ScoreSheet``; None for a values-only profile."""
    if scorecard is None or not scorecard.profile.scored:
        return None
    rows = []
    for it in scorecard.items:
        score = it.score if it.score is not None else None
        # a computed row's 扣分理由 is the engine's own, word for word what ``perfeval score`` and the 评分 sheet say
        reason = "" if score is not None and it.points is not None and score >= it.points else (
            it.explanation.strip().rstrip("。") if score is not None and not it.evaluator else _reason(it))
        if score is None:
            reason = reason.replace("无法计算：", "").replace("缺少 ", "缺少")
            reason = reason if reason.startswith("待") else "待评：" + reason  # not "待评：待评价组评分"
        rows.append(ScoreRow(it.level, it.group, it.title, it.points, score, reason))
    scored = [r for r in rows if r.score is not None and r.points is not None]
    scored_points = sum((r.points for r in scored), Decimal(0))
    total = sum((r.score for r in scored), Decimal(0))
    pending = len(rows) - len(scored)
    sheet = ScoreSheet(f"{scorecard.profile.name}", tuple(rows), scored_points, total, pending, None)
    if sheet.complete:
        sheet = ScoreSheet(sheet.profile, sheet.rows, scored_points, total, 0, scorecard.grade)
    return sheet


def points_text(x: Decimal | None) -> str:
    if x is None:
        return "—"
    return P.num(x, 0) if x == x.to_integral_value() else P.num(x)


def coverage_text(sheet: ScoreSheet) -> str:
    """"已评 33 / 100 分，尚有 6 项待评" while partial; "" once the 100 points are scored."""
    if sheet.complete:
        return ""
    text = f"已评 {points_text(sheet.scored_points)} / 100 分"
    rest = FULL_MARKS - sum((r.points or 0 for r in sheet.rows), Decimal(0))
    waiting = []
    if sheet.pending:
        waiting.append(f"尚有 {sheet.pending} 项待评")
    if rest > 0:
        waiting.append(f"其余 {points_text(rest)} 分的指标由评价组评分")
    return text + ("，" + "，".join(waiting) if waiting else "")


def score_sentence(sheet: ScoreSheet | None) -> str:
    if sheet is None:
        return ""
    if sheet.complete:
        return f"按《{sheet.profile}》评分，得分{points_text(sheet.total)}分，评价等级为“{sheet.grade}”。各项指标得分见下表。"
    if not sheet.scored_points:
        return f"按《{sheet.profile}》评分，{coverage_text(sheet)}。"
    return (f"按《{sheet.profile}》评分，{coverage_text(sheet)}；已评指标得分{points_text(sheet.total)}分"
            f"（满分{points_text(sheet.scored_points)}分）。各项指标得分见下表。")


def score_table(sheet: ScoreSheet) -> Table:
    rows = [(r.level1, r.level2, r.level3, points_text(r.points), points_text(r.score) if r.score is not None else "待评", r.reason)
            for r in sheet.rows]
    rows.append(("合计", "", "", points_text(sum((r.points or 0 for r in sheet.rows), Decimal(0))),
                 points_text(sheet.total), coverage_text(sheet) or (f"评价等级：{sheet.grade}" if sheet.grade else "")))
    return Table(
        "部门整体支出绩效评价指标得分表",
        ("一级指标", "二级指标", "三级指标", "分值", "得分", "扣分理由"),
        tuple(rows),
        numeric=(3, 4),
        widths=(1.0, 1.3, 2.4, 0.7, 0.7, 3.6),
        total_rows=(len(rows) - 1,),
    )
