"""What a rule is: a stable id, a Chinese title, a reason, a severity, a message.

Rules are declarations. They import no I/O library; the engine in
``perfeval_xl.check`` evaluates them over field values keyed by schema id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label_zh(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


FAMILIES = {
    "STR": "结构",
    "VAL": "取值",
    "SUM": "合计",
    "ROLL": "滚存",
    "RATE": "比率",
    "XREF": "交叉核对",
    "PLAUS": "合理性",
    "MISS": "数据缺失",
    "SCORE": "评价组评分",
    "SEC": "安全",
}


@dataclass(frozen=True)
class Term:
    """A signed reference to a field: +1 adds it, −1 subtracts it."""

    field: str
    sign: int = 1


def plus(*ids: str) -> tuple[Term, ...]:
    return tuple(Term(i, 1) for i in ids)


def minus(*ids: str) -> tuple[Term, ...]:
    return tuple(Term(i, -1) for i in ids)


@dataclass(frozen=True)
class Rule:
    """Base declaration. ``rationale`` is the docstring-like why and source."""

    id: str
    slug: str
    title: str
    rationale: str
    severity: Severity = Severity.ERROR
    message: str = ""
    since: str = "1.0"

    @property
    def family(self) -> str:
        return self.id.rstrip("0123456789")

    def inputs(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True)
class Case:
    """One instance of an arithmetic rule: ``stated`` against the signed ``terms``.

    ``label`` names the instance in messages (e.g. the period column).
    """

    stated: str
    terms: tuple[Term, ...]
    label: str = ""
    denominator: tuple[Term, ...] = ()  # ratios only
    # Sums treat a blank part as zero once any part is filled (DQC convention); a change
    # (本年 − 上年) or a ratio means nothing when one side is missing, so it needs every term.
    require_all: bool = False


@dataclass(frozen=True)
class ArithmeticRule(Rule):
    """An identity between a stated figure and the figures it is computed from.

    ``kind``:
      * ``sum``   – stated = Σ sign·term (SUM, ROLL, XREF equalities)
      * ``ratio`` – stated % = Σ num / Σ den × 100 (RATE)
      * ``at_least`` – stated ≥ Σ terms (其中 rows are not exhaustive)

    A difference that the declared precision of the figures can explain is a
    舍入差异 warning; anything beyond is reported at ``severity``.
    """

    kind: str = "sum"
    cases: tuple[Case, ...] = ()
    show_in_template: bool = True
    template_block: str | None = None  # put the 应为/差异 row in this block

    def requires_all(self, case: Case) -> bool:
        """Whether a blank figure means "not reported" (skip the case) rather than 0.

        Sums count a blank part as 0 once any part is filled (DQC: a missing, non-required
        component counts as zero). Rates and changes compare specific figures (本年 against
        上年, 决算 against 预算), so one blank side leaves nothing to compare.
        """
        return case.require_all or self.kind == "ratio" or self.family == "RATE"

    def inputs(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for c in self.cases:
            seen[c.stated] = None
            for t in c.terms + c.denominator:
                seen[t.field] = None
        return tuple(seen)


@dataclass(frozen=True)
class CountRule(Rule):
    """A stated count against the number of filled name slots (domain.md I14)."""

    stated: str = ""
    listed: tuple[str, ...] = ()

    def inputs(self) -> tuple[str, ...]:
        return (self.stated,) + self.listed


@dataclass(frozen=True)
class CheckRule(Rule):
    """A rule whose logic is a plain function in the engine (VAL, STR, PLAUS …).

    ``fields`` lists the schema ids it reads, when it reads fixed ones.
    """

    fields: tuple[str, ...] = ()
    params: dict = field(default_factory=dict, hash=False, compare=False)

    def inputs(self) -> tuple[str, ...]:
        return self.fields
