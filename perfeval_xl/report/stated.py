"""One figure per fact: the report's value for a rate or change, from base figures or the stated field.

A workbook can hold a figure twice: computed from base figures (决算 ÷ 预算) and as the report's
own statement (“完成预算的24.4%”, entered in a ``change.*`` or ``*.rate`` field). The prose
prints one number per fact, chosen by ``resolve``:

* only the stated figure → the stated figure (the seed's 24.4%, 1.51万元, 71.23%, 6.6万元);
* only the base figures → the computed figure;
* both, agreeing at the stated precision (98.73 → 98.7) → the stated figure, as the author wrote it;
* both, disagreeing → the computed figure; the disagreement is the checker's finding
  (RATE/XREF rules), listed in the 审核 annex, never a second number in the text.

``STATED`` maps each fact to its stated field; ``stated_fields`` lists every input of the schema
that restates a figure (the ``change``/``prior``/``share`` blocks and the “报告所述” fields), so a
test can fill them all and find each in the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from ..schema import INPUTS
from ..schema.sheets.expenses import CHANGE_COLUMNS, CHANGE_ROWS, GAP_SIGN
from .phrases import money_places

# (row, fact) → stated field id; facts are the columns of the 报告所述 grid: "amount" 增减额, "rate" 增减率,
# "completion" 完成预算比例, "gap"/"gap_rate" 较预算, "share" 占“三公”比重, "budget_change(_rate)" 本年预算较上年预算,
# "budget_vs_prior_final(_rate)" 本年预算较上年决算
STATED: dict[tuple[str, str], str] = {
    (row.key, col.key): f"change.{row.key}.{col.key}" for row in CHANGE_ROWS for col in CHANGE_COLUMNS
}
STATED[("fiscal", "completion")] = "budget.fiscal_completion_rate"

STATED_BLOCKS = ("change", "prior", "share")
STATED_MARK = "报告所述"
# a choice beside a gap ("超支"/"节约"), when the schema declares one: field id + suffix
DIRECTION_SUFFIX = "_direction"


def stated_fields() -> list[str]:
    """Every numeric input that restates a figure the report prints (in schema order)."""
    return [fid for fid, f in INPUTS.items()
            if f.type.numeric and (f.block in STATED_BLOCKS or STATED_MARK in f.label)]


def direction_sign(values, fid: str) -> int | None:
    """+1 / −1 from the 超支/节约 (增加/减少) choice declared beside ``fid``, read as the checker reads it
    (``GAP_SIGN``, the dropdown's own options); None without a usable choice."""
    choice = values(fid + DIRECTION_SUFFIX) if fid + DIRECTION_SUFFIX in INPUTS else None
    return GAP_SIGN.get(choice.strip()) if isinstance(choice, str) else None


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
    money within one unit of the last decimal the report prints (two independently rounded amounts)."""
    if money:
        return abs(stated - computed) <= Decimal(1).scaleb(-money_places())
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
