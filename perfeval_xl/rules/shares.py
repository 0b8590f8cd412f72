"""Stated shares of one whole add up to 100 %: 基本/项目支出, the function classes, the three “三公” items.

Reports print “基本支出X万元，占Y%；项目支出Z万元，占W%” and the like, each share rounded (or truncated)
on its own. The shares of every part of a whole add up to 100 % within their printed intervals; when
the share of some part is not stated (blank: unknown) the stated ones can only be *at most* 100 %.
A part whose amount is stated as 0 has a known share of 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..schema.sheets.finance import FUNCTION_CLASSES, NATURE_PARTS
from .base import CheckRule, Severity


@dataclass(frozen=True)
class ShareGroup:
    """The parts of one whole: (share field or "" when the template has none, the part's amount field)."""

    rule_id: str
    name: str  # the parts as the message names them
    parts: tuple[tuple[str, str], ...]


_SHARED_NATURE = ("basic", "project")
GROUPS = (
    ShareGroup("SUM020", "基本支出、项目支出（及上缴上级、经营、对附属单位补助支出）",
               tuple((f"exp.share.{k}" if k in _SHARED_NATURE else "", f"exp.{k}") for k, _, _ in NATURE_PARTS)),
    ShareGroup("SUM021", "各功能分类支出", tuple((f"exp.share.{k}", f"exp.func.{k}") for k, _ in FUNCTION_CLASSES)),
    ShareGroup("SUM022", "因公出国（境）费、公务接待费、公务用车购置及运行维护费",
               tuple((f"change.{k}.share", f"spend.{k}.final") for k in ("abroad", "reception", "vehicle"))),
)

MESSAGE = "{group}所述占比之和为 {total}%，{expected}，相差 {diff} 个百分点"
_WHY_ROUNDING = ("各占比单独四舍五入（或截尾）后相加，可以与 100% 相差几个末位，这属于舍入差异；超出各占比舍入区间的差额则说明"
                 "某个占比用错了分母（如以预算数或收入合计为分母）、两项占比对调，或漏写了某一部分。")


def _rule(id, slug, title, rationale, fields):
    return CheckRule(id=id, slug=slug, title=title, rationale=rationale + _WHY_ROUNDING, severity=Severity.ERROR,
                     message=MESSAGE, fields=fields)


def _fields(group_id: str) -> tuple[str, ...]:
    g = next(g for g in GROUPS if g.rule_id == group_id)
    return tuple(f for pair in g.parts for f in pair if f)


SUM020 = _rule(
    "SUM020", "nature-shares-not-summing", "基本支出、项目支出占比之和与 100% 不符",
    "本年支出合计 = 基本支出 + 项目支出 + 上缴上级 + 经营 + 对附属单位补助，各部分占比之和必为 100%。报告只写基本支出、"
    "项目支出的占比时，其余三项如写明为 0（或未发生），两项占比之和应为 100%；其余三项未载明时只能要求两项之和不超过 100%。",
    _fields("SUM020"),
)
SUM021 = _rule(
    "SUM021", "function-shares-not-summing", "各功能分类支出占比之和与 100% 不符",
    "本年支出合计 = 各功能分类（类）支出之和，所述各类占比之和必为 100%。报告只列了部分类级科目的占比时"
    "（其余科目空白，视为未知），所列占比之和不能超过 100%；某类支出写明为 0 的，其占比为 0。",
    _fields("SUM021"),
)
SUM022 = _rule(
    "SUM022", "sanggong-shares-not-summing", "“三公”经费各项占比之和与 100% 不符",
    "“三公”经费 = 因公出国（境）费 + 公务接待费 + 公务用车购置及运行维护费，三项占比之和必为 100%"
    "（例：45.7% + 44.0% + 10.3% = 100.0%）。某项未写占比且其金额未写明为 0 时，只能要求所写占比之和不超过 100%。",
    _fields("SUM022"),
)

RULES = (SUM020, SUM021, SUM022)
