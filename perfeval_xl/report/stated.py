"""One figure per fact: the report's value for a rate or change, from base figures or the stated field.

A workbook can hold a figure twice: computed from base figures (决算 ÷ 预算) and as the report's
own statement (“完成预算的24.4%”, entered in a ``change.*`` or ``*.rate`` field). The prose
prints one number per fact, chosen by ``resolve``:

* only the stated figure → the stated figure (the seed's 24.4%, 1.51万元, 71.23%, 6.6万元);
* only the base figures → the computed figure;
* both, agreeing at the stated precision (98.73 → 98.7) → the stated figure, as the author wrote it;
* both, disagreeing → the computed figure; the disagreement is the checker's finding
  (RATE/XREF rules), listed in the 审核 annex, never a second number in the text.

``STATED`` maps each fact to its stated field. Issue 9 adds stated fields (公务用车 sub-lines,
actual-vs-budget gaps): extend the mapping, the sentences follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

# (row, fact) → stated field id; facts: "amount" 增减额, "rate" 增减率, "completion" 完成预算比例
STATED: dict[tuple[str, str], str] = {
    (row, fact): f"change.{row}.{fact}"
    for row in ("sanggong", "abroad", "reception", "vehicle")
    for fact in ("amount", "rate", "completion")
}
STATED[("fiscal", "completion")] = "budget.fiscal_completion_rate"


def stated_id(row: str, fact: str) -> str | None:
    return STATED.get((row, fact))


@dataclass(frozen=True)
class Figure:
    value: Decimal
    source: str  # "computed" | "stated"
    conflict: Decimal | None = None  # the other figure, when stated and computed disagree


def _places(d: Decimal) -> int:
    exp = d.normalize().as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 2


def agrees(stated: Decimal, computed: Decimal, *, money: bool = False) -> bool:
    """Whether ``stated`` is ``computed`` written at the stated precision (rounded or truncated);
    money within the 0.01 of two independently rounded amounts."""
    if money:
        return abs(stated - computed) <= Decimal("0.01")
    q = Decimal(1).scaleb(-_places(stated))
    return computed.quantize(q, rounding=ROUND_HALF_UP) == stated or computed.quantize(q, rounding=ROUND_DOWN) == stated


def resolve(computed: Decimal | None, stated: Decimal | None, *, money: bool = False) -> Figure | None:
    if computed is None and stated is None:
        return None
    if computed is None:
        return Figure(stated, "stated")  # type: ignore[arg-type]
    if stated is None:
        return Figure(computed, "computed")
    if agrees(stated, computed, money=money):
        return Figure(stated, "stated")
    return Figure(computed, "computed", conflict=stated)
