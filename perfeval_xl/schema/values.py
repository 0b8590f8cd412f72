"""Turning raw cell values into typed field values, and back.

Readers hand over what the cell holds (float, str, datetime, bool, None);
every consumer (checker, indicators, report) works on ``typed`` values:

* numbers → ``Decimal`` (percent fields in percentage points: 95.10 means 95.10 %)
* text / enum → ``str`` (stripped)
* date → ``datetime.date``
* blank → ``None``

``coerce`` never raises: a value it cannot read comes back as a ``Problem``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from enum import StrEnum
from decimal import Decimal, InvalidOperation

from . import Field, FieldType

_NUMBER_TEXT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_HUNDRED = Decimal(100)


class ProblemCode(StrEnum):
    """Why a raw value is not valid; each drives one VAL rule (rules/values_rules.py)."""

    NOT_A_NUMBER = "not_a_number"
    NUMBER_AS_TEXT = "number_as_text"
    FORMULA_TEXT = "formula_text"
    NOT_WHOLE = "not_whole"
    BAD_CHOICE = "bad_choice"
    TOO_LONG = "too_long"
    NOT_A_DATE = "not_a_date"


@dataclass(frozen=True)
class Problem:
    """Why a raw value is not a valid value of its field (drives the VAL rules)."""

    code: ProblemCode  # a StrEnum: compares equal to its text, and an unknown code fails here, not downstream
    detail: str = ""

    def __post_init__(self):
        object.__setattr__(self, "code", ProblemCode(self.code))


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def to_decimal(raw: float | int) -> Decimal:
    """The shortest decimal that round-trips the float: what Excel displays, not the binary noise."""
    if isinstance(raw, bool):
        raise TypeError("bool")
    if isinstance(raw, int):
        return Decimal(raw)
    return Decimal(repr(float(raw)))


def _parse_number_text(text: str, percent: bool) -> Decimal | None:
    s = text.strip().replace("，", ",").replace(" ", "")
    is_pct = s.endswith("%") or s.endswith("％")
    if is_pct:
        s = s[:-1]
    if not _NUMBER_TEXT.match(s):
        return None
    value = Decimal(s.replace(",", ""))
    if percent and not is_pct:
        return None  # "95.1" typed as text in a % cell is ambiguous: a fraction or points?
    return value


def coerce(field: Field, raw: object) -> tuple[object, Problem | None]:
    """Typed value of ``raw`` for ``field``; ``(None, Problem)`` when it cannot be read."""
    if is_blank(raw):
        return None, None
    t = field.type
    if t.numeric:
        if isinstance(raw, bool):
            return None, Problem(ProblemCode.NOT_A_NUMBER, str(raw))
        if isinstance(raw, (int, float)):
            if isinstance(raw, float) and (raw != raw or raw in (float("inf"), float("-inf"))):
                return None, Problem(ProblemCode.NOT_A_NUMBER, str(raw))
            value = to_decimal(raw)
            if t is FieldType.PERCENT:
                value = value * _HUNDRED  # cells hold fractions (0.951 shown as 95.10%)
        elif isinstance(raw, Decimal):
            value = raw  # already typed (fill data, tests)
        elif isinstance(raw, str):
            text = raw.strip()
            if text.startswith("="):
                return None, Problem(ProblemCode.FORMULA_TEXT, text[:50])
            parsed = _parse_number_text(text, t is FieldType.PERCENT)
            if parsed is None:
                return None, Problem(ProblemCode.NOT_A_NUMBER, text[:50])
            return None, Problem(ProblemCode.NUMBER_AS_TEXT, text[:50])
        elif isinstance(raw, (dt.date, dt.datetime)):
            return None, Problem(ProblemCode.NOT_A_NUMBER, raw.isoformat())
        else:
            return None, Problem(ProblemCode.NOT_A_NUMBER, repr(raw)[:50])
        if t is FieldType.COUNT:
            if value != value.to_integral_value():
                return value, Problem(ProblemCode.NOT_WHOLE, str(value))
            value = value.quantize(Decimal(1))
        return value, None
    if t is FieldType.DATE:
        if isinstance(raw, dt.datetime):
            return raw.date(), None
        if isinstance(raw, dt.date):
            return raw, None
        if isinstance(raw, str):
            text = raw.strip()
            for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%fZ"):
                try:
                    return dt.datetime.strptime(text, fmt).date(), None
                except ValueError:
                    continue
            return None, Problem(ProblemCode.NOT_A_DATE, text[:50])
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            # an Excel serial date that lost its number format
            try:
                return (dt.date(1899, 12, 30) + dt.timedelta(days=int(raw))), None
            except (OverflowError, ValueError):
                return None, Problem(ProblemCode.NOT_A_DATE, str(raw))
        return None, Problem(ProblemCode.NOT_A_DATE, repr(raw)[:50])
    # text, longtext, enum
    if isinstance(raw, float) and math.isfinite(raw) and raw == int(raw):
        text = str(int(raw))  # 预算编码 typed as a number
    elif isinstance(raw, (dt.date, dt.datetime)):
        text = raw.isoformat()
    else:
        text = str(raw)
    text = text.strip()
    if text.startswith("=") and len(text) > 1:
        return None, Problem(ProblemCode.FORMULA_TEXT, text[:50])
    if t is FieldType.ENUM:
        text = canonical_choice(field, text)
    if t is FieldType.ENUM and text not in field.choices:
        return text, Problem(ProblemCode.BAD_CHOICE, text[:50])
    if field.max_length is not None and len(text) > field.max_length:
        return text, Problem(ProblemCode.TOO_LONG, str(len(text)))
    return text, None


_HALF_WIDTH = str.maketrans("()", "（）")


def canonical_choice(field: Field, text: str) -> str:
    """A choice typed with half-width brackets (or from the older dropdown) is the declared full-width one."""
    alt = text.translate(_HALF_WIDTH)
    return alt if text not in field.choices and alt in field.choices else text


def to_cell(field: Field, value: object) -> object:
    """What to write into the cell for a typed value (inverse of ``coerce``)."""
    if value is None:
        return None
    if field.type.numeric:
        d = value if isinstance(value, Decimal) else Decimal(str(value))
        if field.type is FieldType.PERCENT:
            d = d / _HUNDRED
        if field.type is FieldType.COUNT and d == d.to_integral_value():
            return int(d)
        return float(d)
    if field.type is FieldType.DATE:
        return value if isinstance(value, (dt.date, dt.datetime)) else dt.date.fromisoformat(str(value))
    return str(value)


def decimal_places(value: Decimal) -> int:
    exp = value.normalize().as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def parse_input(field: Field, data: object) -> tuple[object, str | None]:
    """Typed value from a data file (JSON/CSV) entry, or a Chinese reason it is invalid."""
    if data is None or (isinstance(data, str) and data.strip() == ""):
        return None, None
    t = field.type
    if t.numeric:
        if isinstance(data, bool):
            return None, f"应为数字，实际为 {data!r}"
        try:
            if isinstance(data, str):
                s = data.strip().replace(",", "")
                pct = s.endswith("%")
                value = Decimal(s.rstrip("%"))
                if pct and t is not FieldType.PERCENT:
                    return None, f"应为数字，实际为 {data!r}"
            else:
                value = Decimal(str(data))
        except (InvalidOperation, ValueError):
            return None, f"应为数字，实际为 {data!r}"
        if not value.is_finite():
            return None, f"应为数字，实际为 {data!r}"
        if t is FieldType.COUNT and value != value.to_integral_value():
            return None, f"应为整数，实际为 {data!r}"
        if decimal_places(value) > field.precision:
            return None, f"最多 {field.precision} 位小数，实际为 {data!r}"
        if field.min is not None and value < field.min:
            return None, f"不能小于 {field.min}，实际为 {data!r}"
        if field.max is not None and value > field.max:
            return None, f"不能大于 {field.max}，实际为 {data!r}"
        return value, None
    if t is FieldType.DATE:
        try:
            return dt.date.fromisoformat(str(data).strip()[:10]), None
        except ValueError:
            return None, f"应为日期（YYYY-MM-DD），实际为 {data!r}"
    text = str(data).strip()
    if t is FieldType.ENUM:
        text = canonical_choice(field, text)
    if t is FieldType.ENUM and text not in field.choices:
        return None, f"应为下列之一：{'、'.join(field.choices)}；实际为 {text!r}"
    if field.max_length is not None and len(text) > field.max_length:
        return None, f"最多 {field.max_length} 个字，实际 {len(text)} 个"
    return text, None


def typed_values(raw: dict[str, object]) -> dict[str, object]:
    """Typed values of every readable field (a value that cannot be read counts as blank)."""
    from . import SCHEMA

    out: dict[str, object] = {}
    for fid, r in raw.items():
        f = SCHEMA.get(fid)
        if f is None:
            continue
        value, problem = coerce(f, r)
        if problem is None and value is not None:
            out[fid] = value
    return out
