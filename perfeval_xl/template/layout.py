"""The template's positions: the schema's sheets plus the live 应为/差异 cells
derived from the arithmetic rules. Shared by the writer, the reader and the checker.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from ..rules.arithmetic import ARITHMETIC_RULES
from ..rules.base import ArithmeticRule, CountRule, Term
from ..schema import SCHEMA, SHEETS, CheckSpec, FieldType, Layout


def _signed(terms: tuple[Term, ...]) -> str:
    out = ""
    for t in terms:
        piece = f"N({{{t.field}}})"
        out += ("-" if t.sign < 0 else ("+" if out else "")) + piece
    return out or "0"


def _count_args(terms: tuple[Term, ...]) -> str:
    return ",".join(f"{{{t.field}}}" for t in terms)


def expected_formula(rule: ArithmeticRule, case) -> str:
    """Excel formula (with ``{field.id}`` placeholders) for the 应为 of one case."""
    if rule.kind == "ratio":  # a ratio needs every figure on both sides
        den = _signed(case.denominator)
        return (
            f"IF(OR(COUNT({_count_args(case.terms)})<{len(case.terms)},"
            f'COUNT({_count_args(case.denominator)})<{len(case.denominator)},({den})=0),"",'
            f"({_signed(case.terms)})/({den}))"
        )
    missing = f"COUNT({_count_args(case.terms)})<{len(case.terms)}" if rule.requires_all(case) else f"COUNT({_count_args(case.terms)})=0"
    return f'IF({missing},"",{_signed(case.terms)})'


def tolerance(rule: ArithmeticRule, case) -> float:
    """The widest stated − expected gap that independent rounding can explain (XBRL Calc 1.1 intervals)."""
    stated = SCHEMA[case.stated]
    if rule.kind == "ratio":
        return 10.0 ** -(stated.precision + 2)  # a printed rate may be truncated: one unit of its last digit
    return float(sum(half_width(SCHEMA[f]) for f in [case.stated, *(t.field for t in case.terms)]))


def half_width(field) -> Decimal:
    """Half a unit of the last declared digit; counts are exact."""
    if field.type is FieldType.COUNT:
        return Decimal(0)
    return Decimal(1).scaleb(-field.precision) / 2


def check_specs() -> list[CheckSpec]:
    specs: list[CheckSpec] = []
    for rule in ARITHMETIC_RULES:
        if isinstance(rule, CountRule):
            args = ",".join(f"{{{f}}}" for f in rule.listed)
            specs.append(CheckSpec(rule.id, rule.stated, f"COUNTA({args})", 0.0, label=rule.title))
            continue
        if not rule.show_in_template:
            continue
        for case in rule.cases:
            specs.append(
                CheckSpec(
                    rule.id,
                    case.stated,
                    expected_formula(rule, case),
                    tolerance(rule, case),
                    label=f"【校验】{SCHEMA[case.stated].label} 应为（{case.label}）",
                    percent=SCHEMA[case.stated].type is FieldType.PERCENT,
                    block=rule.template_block,
                    one_sided=rule.kind == "at_least",
                )
            )
    return specs


@lru_cache(maxsize=1)
def layout() -> Layout:
    return Layout(SHEETS, check_specs())
