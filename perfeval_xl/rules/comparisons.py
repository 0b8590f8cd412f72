"""Plausibility checks as data: the figures a check reads, when it applies, what it compares, what it says.

Declarations only (no I/O, no evaluation). Two backends read them: ``check/plausibility.py``
evaluates a case in Decimal for ``perfeval check``; ``rules/excel_plausibility.py`` writes the
same case as formulas for the workbook's own 校验结果 sheet.

A case is skipped when a figure it reads is *blocked* (a VAL finding already names the cell)
and when a figure it needs is blank (nothing to compare). It fires when any of its
``when`` conjunctions holds. Comparisons are linear — ``left × factor  op  right × factor`` —
so a ratio against a threshold is compared cross-multiplied, never by dividing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .base import CheckRule

ONE = Decimal(1)


@dataclass(frozen=True)
class Pick:
    """The first filled of ``fields`` (调整后预算, else 年初预算): the finding names the one it used."""

    fields: tuple[str, ...]


Operand = str | Pick | Decimal  # a field id, the first filled of some fields, or a constant


@dataclass(frozen=True)
class Factor:
    """``const`` plus the rule parameter ``param`` (when named), times the money unit in 元 when ``to_yuan``.

    ``to_yuan`` turns a figure in the unit 封面 declares into 元 (×1, ×10⁴, ×10⁸), so a threshold
    declared in 万元 applies whatever unit the workbook states.
    """

    const: Decimal = ONE
    param: str = ""
    to_yuan: bool = False


@dataclass(frozen=True)
class Compare:
    """``left × left_by  op  right × right_by``; ``op`` one of > < >= <= =."""

    left: Operand
    op: str
    right: Operand = Decimal(0)
    left_by: Factor = Factor()
    right_by: Factor = Factor()

    def __post_init__(self) -> None:
        assert self.op in (">", "<", ">=", "<=", "="), self.op


@dataclass(frozen=True)
class Unfilled:
    """The field is blank or 0 (本年追加预算 not stated)."""

    field: str


Condition = Compare | Unfilled


# -- message parameters ------------------------------------------------------------------------


@dataclass(frozen=True)
class Fig:
    """A figure in its field's unit and decimals; ``minus``: the difference of two figures, shown like ``like``."""

    of: Operand
    minus: Operand | None = None
    like: str = ""


@dataclass(frozen=True)
class Money:
    """An amount that is no one field's (an excess) in the declared unit and money decimals."""

    of: Operand
    minus: Operand | None = None


@dataclass(frozen=True)
class Label:
    """The label of the field a ``Pick`` chose (``column``: the table column's own name)."""

    of: Pick
    column: bool = False


@dataclass(frozen=True)
class Percent:
    """(of − minus) / over × 100 at two decimals, or ``zero`` when ``over`` is not positive."""

    of: Operand
    over: Operand
    minus: Operand | None = None
    zero: str = ""


@dataclass(frozen=True)
class Param:
    """A rule parameter as the profile sets it."""

    name: str


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class NameOr:
    """A text field's content, or ``default`` when it is blank."""

    field: str
    default: str


@dataclass(frozen=True)
class Unit:
    """The money unit 封面 declares."""


@dataclass(frozen=True)
class Magnitude:
    """“不足 low”/“超过 high” (thresholds in 万元, shown in the declared unit), and which other unit would fit."""

    of: str
    low: str  # parameter names
    high: str


Message = Fig | Money | Label | Percent | Param | Text | NameOr | Unit | Magnitude


@dataclass(frozen=True)
class Plausibility:
    """One plausibility case: a rule over fixed fields, a row of 校验结果.

    ``cells``: the cells of the finding, primary first. ``first_only``: of the rule's cases with this
    flag only the first that fires reports (one finding says it). ``label`` names the row.
    """

    rule: CheckRule
    reads: tuple[str, ...]
    needs: tuple[Operand, ...]
    when: tuple[tuple[Condition, ...], ...]
    cells: tuple[Operand, ...]
    message: tuple[tuple[str, Message], ...]
    label: str = ""
    first_only: bool = False

    @property
    def primary(self) -> str:
        first = self.cells[0]
        assert isinstance(first, str), "the primary cell is one fixed field"
        return first


@dataclass(frozen=True)
class ChoiceContradiction:
    """A dropdown (是否适用) against the figures it governs: “不适用” with figures filled, or “适用” with none.

    A blocked figure counts as filled (something was typed). The message names the choice and the
    problem; with “不适用” it lists the filled figures, and those are the finding's cells too.
    """

    rule: CheckRule
    field: str
    figures: tuple[str, ...]
    not_applicable: str
    applicable: str
    filled_problem: str  # "{labels}" → the labels of the filled figures
    empty_problem: str
    label: str = ""

    @property
    def primary(self) -> str:
        return self.field


Case = Plausibility | ChoiceContradiction


def operand_fields(op: Operand | None) -> tuple[str, ...]:
    if op is None or isinstance(op, Decimal):
        return ()
    return op.fields if isinstance(op, Pick) else (op,)


def params_of(case: Case) -> tuple[str, ...]:
    """The rule parameters a case uses (its thresholds)."""
    if isinstance(case, ChoiceContradiction):
        return ()
    out = [f.param for conj in case.when for c in conj if isinstance(c, Compare) for f in (c.left_by, c.right_by) if f.param]
    out += [m.name for _, m in case.message if isinstance(m, Param)]
    out += [p for _, m in case.message if isinstance(m, Magnitude) for p in (m.low, m.high)]
    return tuple(dict.fromkeys(out))


__all__ = ["Case", "ChoiceContradiction", "Compare", "Factor", "Fig", "Label", "Magnitude", "Money", "NameOr", "Param",
           "Percent", "Pick", "Plausibility", "Text", "Unfilled", "Unit", "operand_fields", "params_of"]
