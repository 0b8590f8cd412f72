"""A tiny expression language for indicator formulas.

An indicator's computation is written once as an expression tree; the tree
evaluates itself over typed values (``Decimal``), renders itself as an Excel
formula over ``{field.id}`` placeholders and describes itself in Chinese. The
Python engine and the native template therefore cannot drift apart.

Expressions work in *cell units*: a percent field is read as a fraction (its
typed value in percentage points divided by 100), exactly what the cell holds.
Guards (missing inputs, zero denominators) are not part of the tree: the
indicator collects ``required()`` fields and ``divisors()`` and applies them to
both languages in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from ..schema import SCHEMA
from ..schema.sheets.qualitative import YES

Getter = Callable[[str], object]  # field id -> value in cell units (None when blank)


def label(field_id: str) -> str:
    return SCHEMA[field_id].label


def excel_str(text: str) -> str:
    """An Excel string literal."""
    return '"' + text.replace('"', '""') + '"'


class Expr:
    def required(self) -> tuple[str, ...]:
        """Numeric fields that must be filled (a blank one makes the indicator uncomputable)."""
        return ()

    def required_text(self) -> tuple[str, ...]:
        """Text/choice fields that must be filled."""
        return ()

    def optional(self) -> tuple[str, ...]:
        """Fields read only behind an ``ISNUMBER`` guard."""
        return ()

    def divisors(self) -> tuple["Ratio", ...]:
        """Every ratio in the tree, innermost first."""
        return ()

    def eval(self, get: Getter):
        raise NotImplementedError

    def excel(self) -> str:
        raise NotImplementedError

    def text(self) -> str:
        raise NotImplementedError

    def text_operand(self) -> str:
        """Text when used inside a larger formula (parenthesised if compound)."""
        return self.text()


def _merge(*groups: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for g in groups:
        for x in g:
            seen[x] = None
    return tuple(seen)


@dataclass(frozen=True)
class Ref(Expr):
    """A numeric field that must be filled."""

    field: str

    def __post_init__(self) -> None:
        if self.field not in SCHEMA:
            raise KeyError(f"unknown field {self.field}")
        if not SCHEMA[self.field].type.numeric:
            raise TypeError(f"{self.field} is not numeric")

    def required(self):
        return (self.field,)

    def eval(self, get):
        return get(self.field)

    def excel(self):
        return "{" + self.field + "}"

    def text(self):
        return label(self.field)


@dataclass(frozen=True)
class OptRef(Ref):
    """A numeric field that may be blank; only read behind ``IsNumber``."""

    def required(self):
        return ()

    def optional(self):
        return (self.field,)

    def eval(self, get):
        value = get(self.field)
        if value is None:  # the guard above it must have excluded this
            raise ValueError(f"{self.field} read without an ISNUMBER guard")
        return value


@dataclass(frozen=True)
class Const(Expr):
    value: Decimal

    def eval(self, get):
        return self.value

    def excel(self):
        return str(self.value)

    def text(self):
        return str(self.value)


@dataclass(frozen=True)
class Sum(Expr):
    """Σ sign·term."""

    terms: tuple[tuple[int, Expr], ...]

    def _children(self):
        return [e for _, e in self.terms]

    def required(self):
        return _merge(*(e.required() for e in self._children()))

    def required_text(self):
        return _merge(*(e.required_text() for e in self._children()))

    def optional(self):
        return _merge(*(e.optional() for e in self._children()))

    def divisors(self):
        return tuple(d for e in self._children() for d in e.divisors())

    def eval(self, get):
        total = Decimal(0)
        for sign, e in self.terms:
            total += sign * e.eval(get)
        return total

    def excel(self):
        out = ""
        for sign, e in self.terms:
            out += ("-" if sign < 0 else ("+" if out else "")) + e.excel()
        return "(" + out + ")"

    def text(self):
        out = ""
        for sign, e in self.terms:
            out += (" − " if sign < 0 else (" + " if out else "")) + e.text_operand()
        return out

    def text_operand(self):
        return "(" + self.text() + ")" if len(self.terms) > 1 else self.text()


@dataclass(frozen=True)
class Ratio(Expr):
    """num / den; ``zero_text`` names the denominator in the 'is 0' reason.

    ``if_both_zero``: the value when numerator and denominator are both 0 (a
    "三公" budget of 0 in both years is no increase, not an undefined change).
    """

    num: Expr
    den: Expr
    zero_text: str = ""
    if_both_zero: Decimal | None = None

    def required(self):
        return _merge(self.num.required(), self.den.required())

    def required_text(self):
        return _merge(self.num.required_text(), self.den.required_text())

    def optional(self):
        return _merge(self.num.optional(), self.den.optional())

    def divisors(self):
        return self.num.divisors() + self.den.divisors() + (self,)

    @property
    def den_text(self) -> str:
        return self.zero_text or self.den.text()

    def eval(self, get):
        den = self.den.eval(get)
        if den == 0 and self.if_both_zero is not None:
            return self.if_both_zero  # the guard lets 0/0 through only here
        return self.num.eval(get) / den

    def excel(self):
        if self.if_both_zero is not None:
            return f"IF({self.den.excel()}=0,{self.if_both_zero},{self.num.excel()}/{self.den.excel()})"
        return f"{self.num.excel()}/{self.den.excel()}"

    def undefined(self, get) -> bool:
        """The denominator is 0 and no both-zero value applies."""
        if self.den.eval(get) != 0:
            return False
        return self.if_both_zero is None or self.num.eval(get) != 0

    def excel_undefined(self) -> str:
        if self.if_both_zero is None:
            return f"{self.den.excel()}=0"
        return f"AND({self.den.excel()}=0,{self.num.excel()}<>0)"

    def text(self):
        return f"{self.num.text_operand()} / {self.den.text_operand()}"


@dataclass(frozen=True)
class CountYes(Expr):
    """How many of the checklist fields are answered 是."""

    fields: tuple[str, ...]

    def __post_init__(self) -> None:
        for f in self.fields:
            if YES not in SCHEMA[f].choices:
                raise ValueError(f"{f} has no 是 choice")

    def required_text(self):
        return self.fields

    def eval(self, get):
        return Decimal(sum(1 for f in self.fields if get(f) == YES))

    def excel(self):
        return "(" + "+".join(f'({{{f}}}="{YES}")' for f in self.fields) + ")"

    def text(self):
        return "评价要点中“是”的项数"


# -- conditions (used by If and Flag) ---------------------------------------------------


class Cond:
    def required(self):
        return ()

    def optional(self):
        return ()

    def test(self, get) -> bool:
        raise NotImplementedError

    def excel(self) -> str:
        raise NotImplementedError

    def text(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class IsNumber(Cond):
    field: str

    def optional(self):
        return (self.field,)

    def test(self, get):
        return get(self.field) is not None

    def excel(self):
        return "ISNUMBER({" + self.field + "})"

    def text(self):
        return f"{label(self.field)}已填写"


_OPS = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "=": "="}


@dataclass(frozen=True)
class Cmp(Cond):
    op: str
    left: Expr
    right: Expr

    def __post_init__(self) -> None:
        if self.op not in _OPS:
            raise ValueError(self.op)

    def required(self):
        return _merge(self.left.required(), self.right.required())

    def optional(self):
        return _merge(self.left.optional(), self.right.optional())

    def test(self, get):
        a, b = self.left.eval(get), self.right.eval(get)
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "=": a == b}[self.op]

    def excel(self):
        return f"{self.left.excel()}{_OPS[self.op]}{self.right.excel()}"

    def text(self):
        op = {"<=": "≤", ">=": "≥"}.get(self.op, self.op)
        return f"{self.left.text_operand()} {op} {self.right.text_operand()}"


@dataclass(frozen=True)
class All(Cond):
    """Every condition holds. Python stops at the first false one; Excel's AND
    evaluates all, which is harmless because a blank compares as 0, never an error."""

    conds: tuple[Cond, ...]

    def required(self):
        return _merge(*(c.required() for c in self.conds))

    def optional(self):
        return _merge(*(c.optional() for c in self.conds))

    def test(self, get):
        return all(c.test(get) for c in self.conds)

    def excel(self):
        return "AND(" + ",".join(c.excel() for c in self.conds) + ")"

    def text(self):
        return "且".join(c.text() for c in self.conds)


@dataclass(frozen=True)
class If(Expr):
    cond: Cond
    then: Expr
    other: Expr

    def required(self):
        return _merge(self.cond.required(), self.then.required(), self.other.required())

    def required_text(self):
        return _merge(self.then.required_text(), self.other.required_text())

    def optional(self):
        return _merge(self.cond.optional(), self.then.optional(), self.other.optional())

    def divisors(self):
        return self.then.divisors() + self.other.divisors()

    def eval(self, get):
        return self.then.eval(get) if self.cond.test(get) else self.other.eval(get)

    def excel(self):
        return f"IF({self.cond.excel()},{self.then.excel()},{self.other.excel()})"

    def text(self):
        return f"若 {self.cond.text()} 则 {self.then.text()}，否则 {self.other.text()}"


@dataclass(frozen=True)
class Flag(Expr):
    """1 when the condition holds, else 0 (for counting rows)."""

    cond: Cond

    def required(self):
        return self.cond.required()

    def optional(self):
        return self.cond.optional()

    def eval(self, get):
        return Decimal(1) if self.cond.test(get) else Decimal(0)

    def excel(self):
        return f"IF({self.cond.excel()},1,0)"

    def text(self):
        return "符合条件的行数"


# -- short constructors so declarations read like the formulas in the sources --------------


def f(field_id: str) -> Ref:
    return Ref(field_id)


def _signed(sign: int, x: Expr | str) -> tuple[tuple[int, Expr], ...]:
    e = _e(x)
    if isinstance(e, Sum):  # flatten, so (a + b) − c reads and renders as a + b − c
        return tuple((sign * s, t) for s, t in e.terms)
    return ((sign, e),)


def plus(*parts: Expr | str) -> Sum:
    return Sum(tuple(t for p in parts for t in _signed(1, p)))


def minus(a: Expr | str, *b: Expr | str) -> Sum:
    return Sum(_signed(1, a) + tuple(t for x in b for t in _signed(-1, x)))


def ratio(num: Expr | str, den: Expr | str, zero_text: str = "") -> Ratio:
    return Ratio(_e(num), _e(den), zero_text)


def change(current: str, prior: str, if_both_zero: Decimal | None = None) -> Ratio:
    """(本年 − 上年) / 上年."""
    return Ratio(minus(current, prior), f(prior), if_both_zero=if_both_zero)


def _e(x: Expr | str) -> Expr:
    return f(x) if isinstance(x, str) else x
