"""What precision a figure carries: the workbook declares it on 封面, the field declares a default.

Real reports print money in 元, in 万元 with 0 to 4 decimals, or in 亿元, and rates with 0 to 4
decimals. The 封面 cells ``report.money_decimals`` and ``report.rate_decimals`` say which; a
blank there means the template's default (2 and 2). The unit (``report.money_unit``) changes
no identity, only how figures are named in messages and the size of thresholds stated in money
(declared once in 万元, ``in_unit``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping

from .field import Field, FieldType
from .sheets.cover import DEFAULT_MONEY_DECIMALS, DEFAULT_MONEY_UNIT, MONEY_DECIMALS, MONEY_UNIT, MONEY_UNITS, RATE_DECIMALS

# Powers of ten of each unit against 元: a threshold declared in 万元 is 10⁴ times larger in 元.
UNIT_EXPONENT = {"元": 0, "万元": 4, "亿元": 8}
assert set(UNIT_EXPONENT) == set(MONEY_UNITS)
MONEY_UNITS_BY_SIZE = tuple(sorted(UNIT_EXPONENT, key=UNIT_EXPONENT.get))
# The number formats the template gives figure cells. They print exactly like Excel's own "#,##0.00" and
# "0.00%" but are spelt with an explicit negative section, so a reader can tell them from a format the
# accountant chose: a cell whose format is not the template's prints what the report printed, and the
# checker takes its decimals as the cell's precision; a cell still in the template's format follows 封面.
TEMPLATE_FORMATS = {FieldType.MONEY: "#,##0.00;-#,##0.00", FieldType.PERCENT: "0.00%;-0.00%"}
MAX_DECIMALS = 4  # what 封面 lets a workbook declare
# An amount that belongs to no field (an excess, a difference) is formatted as this one.
MONEY_FIELD = Field("report.amount", "金额", FieldType.MONEY)
DECLARATIONS = (MONEY_UNIT, MONEY_DECIMALS, RATE_DECIMALS)
_BY_TYPE = {FieldType.MONEY: MONEY_DECIMALS, FieldType.PERCENT: RATE_DECIMALS}


def _whole(value: object) -> int | None:
    """A declared number of decimals, if the cell holds a usable one (0–4)."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        d = Decimal(str(value))
    except ArithmeticError:
        return None
    if not d.is_finite() or d != d.to_integral_value() or not 0 <= d <= 4:
        return None
    return int(d)


def declared(field, values: Mapping[str, object]) -> int | None:
    """The decimals the workbook declares for ``field``'s kind of figure, or None (use the field's own)."""
    key = _BY_TYPE.get(field.type)
    if key is None or field.id in DECLARATIONS:
        return None
    return _whole(values.get(key))


def money_unit(values: Mapping[str, object]) -> str:
    unit = values.get(MONEY_UNIT)
    return unit if unit in MONEY_UNITS else DEFAULT_MONEY_UNIT


def money_decimals(values: Mapping[str, object]) -> int:
    declared_ = _whole(values.get(MONEY_DECIMALS))
    return DEFAULT_MONEY_DECIMALS if declared_ is None else declared_


def in_unit(amount_wan: Decimal, unit: str) -> Decimal:
    """An amount declared in 万元 expressed in ``unit``: 1 万元 → 10000 元, 0.0001 亿元."""
    return amount_wan.scaleb(UNIT_EXPONENT[DEFAULT_MONEY_UNIT] - UNIT_EXPONENT[unit])


def unit_apart(unit: str, k: int) -> str:
    """The unit 10^k times ``unit`` (万元, 4 → 亿元; 万元, −4 → 元), or "" when there is none."""
    target = UNIT_EXPONENT[unit] + k
    return next((u for u, e in UNIT_EXPONENT.items() if e == target), "")


def decimals_of_format(number_format: str | None) -> int | None:
    """Decimals an Excel number format prints: "0.0%" → 1, "#,##0.00" → 2, "0%" → 0, "General" → None."""
    if not number_format or number_format.lower() == "general":
        return None
    section = number_format.split(";")[0]
    if "0" not in section and "#" not in section:
        return None
    if "." not in section:
        return 0
    tail = section.split(".", 1)[1]
    n = 0
    for ch in tail:
        if ch in "0#?":
            n += 1
        else:
            break
    return n
