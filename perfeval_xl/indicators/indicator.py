"""What an indicator is: one declaration that yields the Python value, the Excel
formula, the Chinese definition and the reasons it cannot be computed.

Both languages apply the same guards in the same order:
not applicable → a required input is blank → a denominator is 0 → the value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Mapping

from ..schema import SCHEMA, SHEET_BY_ID, FieldType
from .expr import CountYes, Expr, excel_str, label

LEVELS = ("投入", "过程", "产出", "效益")
PERCENT = "%"
ITEMS = "项"
LEVEL = "级"  # a categorical value 0, 1, 2 … named by ``value_labels``

NOT_APPLICABLE = "不适用"
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_.]*)\}")


def render(template: str, ref: Callable[[str], str]) -> str:
    """Replace every ``{field.id}`` placeholder with ``ref(field.id)``."""
    return _PLACEHOLDER.sub(lambda m: ref(m.group(1)), template)


def fmt_number(x: Decimal, places: int = 2) -> str:
    """8 → "8", 7.50 → "7.5", 4.475 → "4.48" (what Excel's ROUND(x,2)&"" prints)."""
    q = x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(q.normalize(), "f")
    return "0" if text in ("-0", "") else text


def fmt_percent(pp: Decimal) -> str:
    """95.1049 → "95.10%" (what TEXT(x,"0.00%") prints)."""
    return f"{pp.quantize(_CENT, rounding=ROUND_HALF_UP)}%"


@dataclass(frozen=True)
class NotApplicable:
    """The indicator does not apply when ``field`` holds ``value`` (scored as full marks)."""

    field: str
    value: str


@dataclass(frozen=True)
class Outcome:
    value: Decimal | None  # in the indicator's unit: percentage points for "%"
    applicable: bool = True
    reason: str | None = None  # why ``value`` is None, in Chinese
    at_least: Decimal | None = None  # a lower bound of the value when only ``at_least_when_blank`` inputs are blank


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    level: str
    expr: Expr
    unit: str = PERCENT
    basis: str = ""  # 口径, shown after the name when two declarations share it
    not_applicable: NotApplicable | None = None
    definition: str = ""  # overrides the formula text derived from ``expr``
    value_labels: tuple[str, ...] = ()  # for LEVEL indicators: label of 0, 1, 2 …
    note: str = ""  # source and reading of the definition
    # Inputs that only add to the value: while they are blank, the value with them as 0 is a
    # lower bound, enough to score a value already past the last band (预算调整率 without 追减).
    at_least_when_blank: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*", self.code):
            raise ValueError(f"bad indicator code {self.code!r}")
        if self.level not in LEVELS:
            raise ValueError(f"{self.code}: level {self.level!r}")
        if self.unit == LEVEL and not self.value_labels:
            raise ValueError(f"{self.code}: a level indicator needs value_labels")
        if self.not_applicable and self.not_applicable.value not in SCHEMA[self.not_applicable.field].choices:
            raise ValueError(f"{self.code}: {self.not_applicable.value!r} is not a choice")

    # -- what it reads ---------------------------------------------------------------

    @property
    def inputs(self) -> tuple[str, ...]:
        """Every schema field the indicator reads, in a stable order."""
        seen: dict[str, None] = {}
        if self.not_applicable:
            seen[self.not_applicable.field] = None
        for group in (self.expr.required(), self.expr.required_text(), self.expr.optional()):
            for fid in group:
                seen[fid] = None
        return tuple(seen)

    @property
    def required(self) -> tuple[str, ...]:
        """Inputs that must be filled, numeric ones first (the order of the 缺少 reason)."""
        return self.expr.required() + self.expr.required_text()

    @property
    def items(self) -> int | None:
        """Number of checklist items, for checklist indicators."""
        return len(self.expr.fields) if isinstance(self.expr, CountYes) else None

    @property
    def title(self) -> str:
        return f"{self.name}（{self.basis}）" if self.basis else self.name

    @property
    def formula_text(self) -> str:
        if self.definition:
            return self.definition
        return self.expr.text() + (" × 100%" if self.unit == PERCENT else "")

    @property
    def scale(self) -> Decimal:
        """Python value = cell value × scale (percentage points vs fractions)."""
        return _HUNDRED if self.unit == PERCENT else Decimal(1)

    # -- Python ---------------------------------------------------------------------

    def evaluate(self, values: Mapping[str, object]) -> Outcome:
        na = self.not_applicable
        if na and values.get(na.field) == na.value:
            return Outcome(None, applicable=False)
        get = _getter(values)
        missing = [fid for fid in self.expr.required() if get(fid) is None]
        unanswered = [fid for fid in self.expr.required_text() if get(fid) is None]
        if missing or unanswered:
            reason = missing_reason(missing, unanswered)
            if not unanswered and set(missing) <= set(self.at_least_when_blank):
                zero = lambda fid: Decimal(0) if fid in missing else get(fid)  # noqa: E731
                if not any(r.undefined(zero) for r in self.expr.divisors()):
                    return Outcome(None, reason=reason, at_least=self.expr.eval(zero) * self.scale)
            return Outcome(None, reason=reason)
        for r in self.expr.divisors():
            if r.undefined(get):
                return Outcome(None, reason=zero_reason(r.den_text))
        return Outcome(self.expr.eval(get) * self.scale)

    def format_value(self, value: Decimal) -> str:
        if self.unit == PERCENT:
            return fmt_percent(value)
        if self.unit == LEVEL:
            return self.value_labels[int(value)]
        if self.items is not None:
            return f"{fmt_number(value)}/{self.items} 项符合"
        return f"{fmt_number(value)} {self.unit}".rstrip()

    # -- Excel (templates over {field.id}; render with ``render``) -------------------

    def guarded(self, body: str, na: str, missing: str, zero: Callable[[str], str]) -> str:
        """``body`` behind the three guards; each guard yields its own Excel expression."""
        out = body
        for r in reversed(self.expr.divisors()):
            out = f"IF({r.excel_undefined()},{zero(r.den_text)},{out})"
        tests = []
        nums, texts = self.expr.required(), self.expr.required_text()
        if nums:
            tests.append(f"COUNT({_args(nums)})<{len(nums)}")
        if texts:
            tests.append(f"COUNTA({_args(texts)})<{len(texts)}")
        if tests:
            cond = tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"
            out = f"IF({cond},{missing},{out})"
        if self.not_applicable:
            out = f'IF({{{self.not_applicable.field}}}={excel_str(self.not_applicable.value)},{na},{out})'
        return out

    def value_formula(self) -> str:
        """The value cell: a number (fraction for %), "不适用", or "" when it cannot be computed."""
        return self.guarded(self.expr.excel(), excel_str(NOT_APPLICABLE), '""', lambda _t: '""')

    def at_least_formula(self) -> str | None:
        """The lower bound cell: a blank input counts as 0 in Excel arithmetic, so the
        expression itself is the bound; "" when another input is blank or a divisor is 0."""
        if not self.at_least_when_blank:
            return None
        others = tuple(f for f in self.expr.required() if f not in self.at_least_when_blank)
        out = self.expr.excel()
        for r in reversed(self.expr.divisors()):
            out = f'IF({r.excel_undefined()},"",{out})'
        if others:
            out = f'IF(COUNT({_args(others)})<{len(others)},"",{out})'
        return out

    def reason_formula(self) -> str:
        """Excel expression for the same 无法计算 reason ``evaluate`` gives (assumes it cannot be computed)."""
        nums, texts = self.expr.required(), self.expr.required_text()
        pieces = []
        num_gap = f"COUNT({_args(nums)})<{len(nums)}"
        if nums:
            parts = "&".join(f'IF(ISNUMBER({{{fid}}}),"",{excel_str("、" + label(fid))})' for fid in nums)
            # MID(…,2,…) drops the leading 、 exactly as "、".join does
            text = f"{excel_str(_MISSING)}&MID({parts},2,999)"
            pieces.append(f'IF({num_gap},{text},"")' if texts else text)
        if texts:
            head, tail = _unanswered_words(texts)
            lead = f'IF({num_gap},"；",{excel_str(_CANNOT)})' if nums else excel_str(_CANNOT)
            text = f"{lead}&{excel_str(head)}&({len(texts)}-COUNTA({_args(texts)}))&{excel_str(tail)}"
            pieces.append(f'IF(COUNTA({_args(texts)})<{len(texts)},{text},"")' if nums else text)
        missing = "&".join(pieces) if pieces else '""'
        return self.guarded('""', '""', missing, lambda t: excel_str(zero_reason(t)))

    def format_formula(self, cell: str) -> str:
        """Excel expression printing the value in ``cell`` like ``format_value``."""
        if self.unit == PERCENT:
            return f'TEXT({cell},"0.00%")'
        if self.unit == LEVEL:
            return f"CHOOSE({cell}+1,{','.join(excel_str(v) for v in self.value_labels)})"
        if self.items is not None:
            return f'ROUND({cell},2)&{excel_str(f"/{self.items} 项符合")}'
        return f'ROUND({cell},2)&{excel_str(" " + self.unit)}'

    @property
    def number_format(self) -> str:
        if self.unit == PERCENT:
            return "0.00%"
        if self.unit == LEVEL:
            # at most two conditions fit in one number format; longer label lists show the number
            if len(self.value_labels) == 3:
                a, b, c = (v.replace('"', "") for v in self.value_labels)
                return f'[=0]"{a}";[=1]"{b}";"{c}"'
            return "0"
        if self.items is not None:
            return f'0"/{self.items} 项"'
        return f'0" {self.unit}"'


_CANNOT = "无法计算："
_MISSING = _CANNOT + "缺少 "


def _args(field_ids: tuple[str, ...]) -> str:
    return ",".join("{" + f + "}" for f in field_ids)


def _unanswered_words(text_fields) -> tuple[str, str]:
    """Checklist answers are named by their sheet, not by their (long) item texts."""
    sheet = SHEET_BY_ID[SCHEMA[text_fields[0]].sheet].title
    return f"“{sheet}”表中有 ", " 项评价要点未选择“是”或“否”"


def missing_reason(numbers: list[str] | tuple[str, ...], unanswered: list[str] | tuple[str, ...] = ()) -> str:
    """无法计算：缺少 编制数合计、在编在岗合计 (numbers by label; checklist answers by count)."""
    parts = []
    if numbers:
        parts.append("缺少 " + "、".join(label(f) for f in numbers))
    if unanswered:
        head, tail = _unanswered_words(unanswered)
        parts.append(f"{head}{len(unanswered)}{tail}")
    return _CANNOT + "；".join(parts)


def zero_reason(den_text: str) -> str:
    return f"无法计算：{den_text}为 0"


def _getter(values: Mapping[str, object]):
    """Typed value → cell units: numbers as Decimal (percent fields as fractions), text as str."""

    def get(fid: str):
        raw = values.get(fid)
        if raw is None:
            return None
        field = SCHEMA[fid]
        if not field.type.numeric:
            return str(raw)
        if isinstance(raw, bool):
            return None
        if isinstance(raw, Decimal):
            value = raw
        elif isinstance(raw, int):
            value = Decimal(raw)
        elif isinstance(raw, float):
            value = Decimal(repr(raw))
        else:
            return None  # text in a number field: as good as blank
        if not value.is_finite():
            return None
        return value / _HUNDRED if field.type is FieldType.PERCENT else value

    return get
