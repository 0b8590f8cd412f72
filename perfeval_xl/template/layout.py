"""The template's positions: the schema's sheets plus the live 应为/差异 cells
derived from the arithmetic rules. Shared by the writer, the reader and the checker.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from ..rules.arithmetic import ARITHMETIC_RULES
from ..rules.base import ArithmeticRule, CountRule, IdentityKind, Term
from ..rules.values_rules import DIRECTED
from ..schema import SCHEMA, SHEETS, CheckSpec, FieldType, Layout
from ..schema.sheets.cover import DEFAULT_MONEY_DECIMALS, DEFAULT_RATE_DECIMALS, MONEY_DECIMALS, RATE_DECIMALS
from ..schema.sheets.expenses import GAP_SIGN


# An amount typed beside a 超支/节约 choice is unsigned: the choice gives its sign (as the checker reads it).
_DIRECTION_OF = dict(DIRECTED)  # amount → its choice, paired as the checker pairs them
_NEGATIVE_WAYS = tuple(w for w, s in GAP_SIGN.items() if s < 0)


def directed(field_id: str) -> str:
    """The figure a live cell uses for ``field_id`` ({placeholders}): −|x| when its choice says 节约/减少."""
    way = _DIRECTION_OF.get(field_id)
    if way is None:
        return f"{{{field_id}}}"
    saving = ",".join(f'TRIM({{{way}}})="{w}"' for w in _NEGATIVE_WAYS)  # a padded “ 节约 ” reads as 节约, as in the checker
    return f"IF(OR({saving}),-ABS(N({{{field_id}}})),{{{field_id}}})"


def _signed(terms: tuple[Term, ...]) -> str:
    out = ""
    for t in terms:
        piece = f"N({directed(t.field)})"
        out += ("-" if t.sign < 0 else ("+" if out else "")) + piece
    return out or "0"


def _count_args(terms: tuple[Term, ...]) -> str:
    return ",".join(f"{{{t.field}}}" for t in terms)


def expected_formula(rule: ArithmeticRule, case) -> str:
    """Excel formula (with ``{field.id}`` placeholders) for the 应为 of one case."""
    if rule.kind is IdentityKind.RATIO:  # a ratio needs every figure on both sides
        den = _signed(case.denominator)
        return (
            f"IF(OR(COUNT({_count_args(case.terms)})<{len(case.terms)},"
            f'COUNT({_count_args(case.denominator)})<{len(case.denominator)},({den})=0),"",'
            f"({_signed(case.terms)})/({den}))"
        )
    missing = f"COUNT({_count_args(case.terms)})<{len(case.terms)}" if rule.requires_all(case) else f"COUNT({_count_args(case.terms)})=0"
    return f'IF({missing},"",{_signed(case.terms)})'


# The 封面 declarations the live cells read (blank → the template default), as Excel expressions.
_MONEY_DECIMALS = f'IF(ISNUMBER({{{MONEY_DECIMALS}}}),{{{MONEY_DECIMALS}}},{DEFAULT_MONEY_DECIMALS})'
_RATE_DECIMALS = f'IF(ISNUMBER({{{RATE_DECIMALS}}}),{{{RATE_DECIMALS}}},{DEFAULT_RATE_DECIMALS})'


def half_expr(field) -> str:
    """Excel expression for half a unit of the field's last declared digit: the workbook's declaration for money."""
    if field.type is FieldType.COUNT:
        return "0"
    if field.type is FieldType.MONEY:
        return f"0.5*10^-{_MONEY_DECIMALS}"
    if field.type is FieldType.PERCENT:
        return f"0.5*10^-({_RATE_DECIMALS}+2)"
    return str(half_width(field))


def _present(t: Term) -> str:
    """1 when the term is a blank part that exists (its row is there), else 0."""
    if t.present_if:
        return f'IF(ISNUMBER({{{t.field}}}),0,IF(ISBLANK({{{t.present_if}}}),0,1))'
    return f"IF(ISNUMBER({{{t.field}}}),0,1)"


def blank_parts(case) -> str:
    """Excel expression: how many parts of the case are blank (unknown)."""
    if not any(t.present_if for t in case.terms):
        return f"({len(case.terms)}-COUNT({_count_args(case.terms)}))"
    return "(" + "+".join(_present(t) for t in case.terms) + ")"


def tolerance(rule: ArithmeticRule, case) -> str:
    """Excel expression: the widest stated − expected gap rounding can explain, from the *filled* figures only.

    Sums: half a unit of the stated figure plus half a unit of every filled term (XBRL Calc 1.1
    intervals); a blank term contributes nothing. Ratios: one unit of the printed rate's last digit
    (a printed rate may be truncated).
    """
    stated = SCHEMA[case.stated]
    if rule.kind is IdentityKind.RATIO:
        return f"10^-({_RATE_DECIMALS}+2)"
    groups: dict[str, list[Term]] = {}
    for t in case.terms:
        groups.setdefault(half_expr(SCHEMA[t.field]), []).append(t)
    parts = [half_expr(stated)]
    for h, ts in groups.items():
        if h != "0":
            parts.append(f"({h})*COUNT({_count_args(ts)})")
    return "+".join(parts)


def bound_direction(rule: ArithmeticRule, case) -> str:
    """What the live cell may still say when parts are blank: "lower", "upper" or "" (nothing), as the engine does."""
    if rule.requires_all(case):
        return ""
    signs = {t.sign for t in case.terms}
    if any(SCHEMA[t.field].may_be_negative for t in case.terms):
        return ""  # a blank part that may be negative bounds nothing
    if len(signs) != 1:
        return ""  # blank parts pulling both ways: the engine can only bound when all blanks pull one way
    return "lower" if signs == {1} else "upper"


def check_specs() -> list[CheckSpec]:
    specs: list[CheckSpec] = []
    for rule in ARITHMETIC_RULES:
        if isinstance(rule, CountRule):
            args = ",".join(f"{{{f}}}" for f in rule.listed)
            specs.append(CheckSpec(rule.id, rule.stated, f"COUNTA({args})", "0", label=rule.title))
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
                    one_sided=rule.kind is IdentityKind.AT_LEAST,
                    blank_parts="" if rule.requires_all(case) else blank_parts(case),
                    bound=bound_direction(rule, case),
                )
            )
    return specs


@lru_cache(maxsize=1)
def layout() -> Layout:
    return Layout(SHEETS, check_specs())
