"""The Python backend of the plausibility declarations (``rules/plausibility.CASES``): exact, in Decimal."""

from __future__ import annotations

from decimal import Decimal

from ..rules import comparisons as cmp
from ..rules.plausibility import CASES
from ..schema import SCHEMA, precision

HUNDRED = Decimal(100)


def _chosen(ctx, op) -> str | Decimal | None:
    """The field an operand stands for (a Pick: the first filled, else its last), or the constant."""
    if isinstance(op, cmp.Pick):
        return next((f for f in op.fields if ctx.values.get(f) is not None), op.fields[-1])
    return op


def _value(ctx, op) -> Decimal | None:
    op = _chosen(ctx, op)
    return op if isinstance(op, Decimal) else ctx.values.get(op)


def _factor(ctx, rule, f: cmp.Factor) -> Decimal:
    out = f.const + (Decimal(str(ctx.param(rule, f.param))) if f.param else 0)
    if f.to_yuan:
        out = out.scaleb(precision.UNIT_EXPONENT[ctx.unit()])
    return out


def _holds(ctx, rule, c) -> bool:
    if isinstance(c, cmp.Unfilled):
        return not ctx.values.get(c.field)
    a = _value(ctx, c.left) * _factor(ctx, rule, c.left_by)
    b = _value(ctx, c.right) * _factor(ctx, rule, c.right_by)
    return {">": a > b, "<": a < b, ">=": a >= b, "<=": a <= b, "=": a == b}[c.op]


def _pct(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}%"


def _text(ctx, rule, m) -> object:
    """A message parameter as the engine has always printed it."""
    if isinstance(m, cmp.Fig):
        fid = _chosen(ctx, m.of)
        v = _value(ctx, m.of) - (_value(ctx, m.minus) if m.minus is not None else 0)
        return ctx.fig(m.like or fid, v)
    if isinstance(m, cmp.Money):
        return ctx.money(_value(ctx, m.of) - (_value(ctx, m.minus) if m.minus is not None else 0))
    if isinstance(m, cmp.Label):
        f = SCHEMA[_chosen(ctx, m.of)]
        return f.column_label if m.column else f.label
    if isinstance(m, cmp.Percent):
        over = _value(ctx, m.over)
        if not over > 0:
            return m.zero
        return _pct((_value(ctx, m.of) - (_value(ctx, m.minus) if m.minus is not None else 0)) / over * HUNDRED)
    if isinstance(m, cmp.Param):
        return Decimal(str(ctx.param(rule, m.name)))
    if isinstance(m, cmp.Text):
        return m.text
    if isinstance(m, cmp.NameOr):
        return ctx.values.get(m.field) or m.default
    if isinstance(m, cmp.Unit):
        return ctx.unit()
    if isinstance(m, cmp.Magnitude):
        return _magnitude(ctx, rule, m)
    raise TypeError(m)


def _magnitude(ctx, rule, m: cmp.Magnitude) -> str:
    unit = ctx.unit()
    low = precision.in_unit(Decimal(str(ctx.param(rule, m.low))), unit)
    high = precision.in_unit(Decimal(str(ctx.param(rule, m.high))), unit)
    value = ctx.values[m.of]
    way = f"不足 {ctx.money(low)}" if value < low else f"超过 {ctx.money(high)}"
    fits = [u for u in precision.MONEY_UNITS_BY_SIZE if u != unit
            and low <= value.scaleb(precision.UNIT_EXPONENT[u] - precision.UNIT_EXPONENT[unit]) <= high]
    if fits:
        way += f"，数量级像是以“{fits[0]}”为单位"
    return way


def _plausibility(ctx, case: cmp.Plausibility) -> bool:
    """Report the case when it fires; True when it did."""
    if any(f in ctx.blocked for f in case.reads):
        return False
    if any(_value(ctx, op) is None for op in case.needs):
        return False
    if not any(all(_holds(ctx, case.rule, c) for c in conj) for conj in case.when):
        return False
    cells = tuple(ctx.cell(_chosen(ctx, op)) for op in case.cells)
    ctx.report(case.rule, cells, **{name: _text(ctx, case.rule, m) for name, m in case.message})
    return True


def _choice(ctx, case: cmp.ChoiceContradiction) -> None:
    if case.field in ctx.blocked:
        return
    status = ctx.values.get(case.field)
    filled = [f for f in case.figures if ctx.values.get(f) is not None or f in ctx.blocked]
    if status == case.not_applicable and filled:
        labels = "、".join(SCHEMA[f].label for f in filled)
        ctx.report(case.rule, (ctx.cell(case.field),) + tuple(ctx.cell(f) for f in filled), status=status,
                   problem=case.filled_problem.format(labels=labels))
    elif status == case.applicable and not filled:
        ctx.report(case.rule, (ctx.cell(case.field),), status=status, problem=case.empty_problem)


def run(ctx) -> None:
    fired: set[str] = set()
    for case in CASES:
        if isinstance(case, cmp.ChoiceContradiction):
            _choice(ctx, case)
        elif not (case.first_only and case.rule.id in fired) and _plausibility(ctx, case) and case.first_only:
            fired.add(case.rule.id)
