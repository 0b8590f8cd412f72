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


class IdentityKind(str, Enum):
    """What an arithmetic identity asserts between the stated figure and its terms."""

    SUM = "sum"  # stated = Σ sign·term (SUM, ROLL, XREF equalities, changes)
    AT_LEAST = "at_least"  # stated ≥ Σ terms (“其中” rows are not exhaustive)
    RATIO = "ratio"  # stated % = Σ num / Σ den × 100


class BlankPolicy(str, Enum):
    """What a blank cell means to an identity. A blank is never 0: an explicit 0 is a value, a blank is unknown.

    * ``BOUND`` – every term filled: the identity is checked exactly. Some terms blank: a blank
      part that cannot be negative only bounds the result — with blank added parts the stated
      figure must be *at least* the filled parts, with blank subtracted parts *at most*; when a
      blank part may be negative (or blanks pull both ways) nothing can be said (MISS002). A
      blank stated figure with filled parts is a note (MISS003), never an error.
    * ``ALL_REQUIRED`` – the identity compares specific figures (本年 against 上年, 决算 against
      预算): any blank leaves nothing to compare (MISS002).
    """

    BOUND = "bound"
    ALL_REQUIRED = "all_required"


@dataclass(frozen=True)
class Term:
    """A signed reference to a field: +1 adds it, −1 subtracts it.

    ``present_if``: for a row of a list (项目明细), the field that says the row exists (its name).
    A blank term whose row is blank too is no part at all; a blank term in a named row is unknown.
    """

    field: str
    sign: int = 1
    present_if: str = ""


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
    # A change (本年 − 上年) or a ratio means nothing when one side is missing, so it needs
    # every term (BlankPolicy.ALL_REQUIRED); a sum of non-negative parts can still be bounded.
    require_all: bool = False
    # A term reports rarely print (上年决算, 本年预算) that this identity may supply when it is
    # blank: stated = Σ terms solved for it, with the rounding interval of the figures used. A change
    # rate (later − earlier) / earlier supplies the earlier figure as later / (1 + rate), an interval
    # over both ways the rate may have been printed (rounded or truncated), only when no stated
    # amount supplied it.
    derives: str = ""


@dataclass(frozen=True)
class ArithmeticRule(Rule):
    """An identity between a stated figure and the figures it is computed from.

    ``kind`` is an ``IdentityKind``; what a blank means is ``blank_policy(case)``.
    A difference that the declared precision of the figures present can explain is a
    舍入差异 warning; anything beyond is reported at ``severity``.
    """

    kind: IdentityKind = IdentityKind.SUM
    cases: tuple[Case, ...] = ()
    show_in_template: bool = True
    # Reports often state a total's figure without stating any of its parts' (a total change
    # only): then there is simply nothing to check, not a gap worth a MISS002 note.
    quiet_without_parts: bool = False
    template_block: str | None = None  # put the 应为/差异 row in this block

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", IdentityKind(self.kind))

    def blank_policy(self, case: Case) -> BlankPolicy:
        """Rates and changes compare specific figures, so one blank side leaves nothing to compare;
        sums of parts are bounded by the parts that are filled."""
        if case.require_all or self.kind is IdentityKind.RATIO or self.family == "RATE":
            return BlankPolicy.ALL_REQUIRED
        return BlankPolicy.BOUND

    def requires_all(self, case: Case) -> bool:
        return self.blank_policy(case) is BlankPolicy.ALL_REQUIRED

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
