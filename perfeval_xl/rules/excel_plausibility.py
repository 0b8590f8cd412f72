"""The Excel backend of the plausibility declarations (``plausibility.CASES``): one 校验结果 row per case.

The same steps as ``check/plausibility.py``:

* a figure the case reads is blocked (a VAL problem) → 未能核对, no finding;
* a figure it needs is blank → 未能核对 (the message says whether the row is simply not filled);
* otherwise the ``when`` conditions decide 警告 / 提示 (the rule's severity) or 通过.

Each comparison ``left × a  op  right × b`` is made on whole numbers: both sides times 10^k
(k = the declared decimals of the figures plus those of the factors), rounded to 0 decimals —
exact in binary while the products stay below 2^53 — so a figure exactly at a threshold
(a public line at 10 % or 300 % of its budget) comes out as the engine's Decimal arithmetic gives
it. Thresholds are the rule parameters ``perfeval check`` applies to a workbook (a profile id
sets none; ``CheckRule.params``), written as literals.
"""

from __future__ import annotations

from decimal import Decimal

from ..schema import SCHEMA, FieldType, precision
from . import comparisons as cmp
from .base import Rule
from .excel_backend import (PASS, STATUS_OF, UNCHECKED, UNCHECKED_TEXT, NativeCheck, _at, _lit, _message,
                            _num, blank, choice, decimals, figure, ref, usable)
from .plausibility import CASES

# hidden helper cells of a plausibility row (the columns the other rows use for theirs)
HELPERS = ("ok", "need", "hit", "text")
NOT_FILLED = "未填写，无需核对"
REPORTED_ABOVE = "已在上一行报告（同一问题只报告一次）"


def param(rule: Rule, name: str) -> Decimal:
    """The parameter ``perfeval check`` uses for a workbook: the rule's own (no profile overrides it)."""
    return Decimal(str(rule.params[name]))


def _field(op: cmp.Operand) -> str:
    return op.fields[0] if isinstance(op, cmp.Pick) else op


def _value(op: cmp.Operand | None) -> str:
    if op is None:
        return "0"
    if isinstance(op, Decimal):
        return _num(op)
    if isinstance(op, cmp.Pick):
        out = f"N({ref(op.fields[-1])})"
        for f in reversed(op.fields[:-1]):
            out = f"IF(NOT({blank(f)}),N({ref(f)}),{out})"
        return out
    return f"N({ref(op)})"


def _filled(op: cmp.Operand) -> str:
    fields = cmp.operand_fields(op)
    if not fields:
        return "TRUE"
    return "OR(" + ",".join(f"NOT({blank(f)})" for f in fields) + ")" if len(fields) > 1 else f"NOT({blank(fields[0])})"


def _places(d: Decimal) -> int:
    return max(0, -d.normalize().as_tuple().exponent)


_TO_YUAN = "IF([global.unit]=" + ",IF([global.unit]=".join(
    f'{_lit(u)},{_num(Decimal(10) ** e)}' for u, e in precision.UNIT_EXPONENT.items() if u != precision.DEFAULT_MONEY_UNIT
) + f",{_num(Decimal(10) ** precision.UNIT_EXPONENT[precision.DEFAULT_MONEY_UNIT])}" + ")" * (len(precision.UNIT_EXPONENT) - 1)


def _factor(rule: Rule, f: cmp.Factor) -> tuple[str, int]:
    """(formula, decimals) of a factor."""
    const = f.const + (param(rule, f.param) if f.param else 0)
    text = _num(const)
    if f.to_yuan:
        text = _TO_YUAN if text == "1" else f"{text}*{_TO_YUAN}"
    return text, _places(const)


def _compare(rule: Rule, c: cmp.Condition) -> str:
    if isinstance(c, cmp.Unfilled):
        return f"OR({blank(c.field)},N({ref(c.field)})=0)"
    (a, pa), (b, pb) = _factor(rule, c.left_by), _factor(rule, c.right_by)
    fields = [f for op in (c.left, c.right) for f in cmp.operand_fields(op) if SCHEMA[f].type is not FieldType.COUNT]
    ds = sorted({decimals(f) for f in fields})
    k = [("MAX(" + ",".join(ds) + ")") if len(ds) > 1 else ds[0]] if ds else []
    k += [str(max(pa, pb))] if max(pa, pb) else []
    scale = f"*10^({'+'.join(k)})" if k else ""

    def side(op, factor) -> str:
        return _value(op) + ("" if factor == "1" else "*" + factor)

    right = "" if isinstance(c.right, Decimal) and c.right == 0 else "-" + side(c.right, b)
    return f"ROUND(({side(c.left, a)}{right}){scale},0){c.op}0"


def _conditions(case: cmp.Plausibility) -> str:
    conj = ["AND(" + ",".join(_compare(case.rule, c) for c in cs) + ")" if len(cs) > 1 else _compare(case.rule, cs[0])
            for cs in case.when]
    return "OR(" + ",".join(conj) + ")" if len(conj) > 1 else conj[0]


def _text(case: cmp.Plausibility, m: cmp.Message) -> str:
    rule = case.rule
    if isinstance(m, cmp.Fig):
        return figure(m.like or _field(m.of), _difference(m.of, m.minus))
    if isinstance(m, cmp.Money):
        return figure(_field(m.of), _difference(m.of, m.minus))
    if isinstance(m, cmp.Label):
        out = _lit(_label(m.of.fields[-1], m.column))
        for f in reversed(m.of.fields[:-1]):
            out = f"IF(NOT({blank(f)}),{_lit(_label(f, m.column))},{out})"
        return out
    if isinstance(m, cmp.Percent):
        over = _value(m.over)
        return f'IF({over}>0,TEXT(({_difference(m.of, m.minus)})/{over}*100,"0.00")&"%",{_lit(m.zero)})'
    if isinstance(m, cmp.Param):
        return _lit(str(param(rule, m.name)))
    if isinstance(m, cmp.Text):
        return _lit(m.text)
    if isinstance(m, cmp.NameOr):
        return f"IF({blank(m.field)},{_lit(m.default)},TRIM({ref(m.field)}&\"\"))"
    if isinstance(m, cmp.Unit):
        return "[global.unit]"
    if isinstance(m, cmp.Magnitude):
        return _magnitude(rule, m)
    raise TypeError(m)


def _difference(of: cmp.Operand, minus: cmp.Operand | None) -> str:
    return _value(of) if minus is None else f"{_value(of)}-({_value(minus)})"


def _magnitude(rule: Rule, m: cmp.Magnitude) -> str:
    """As ``check/plausibility._magnitude``: in 元, the figure read in unit u is figure × 10^e(u)."""
    wan = Decimal(10) ** precision.UNIT_EXPONENT[precision.DEFAULT_MONEY_UNIT]
    low, high = param(rule, m.low) * wan, param(rule, m.high) * wan  # in 元
    v = _value(m.of)
    way = (f'IF({v}*{_TO_YUAN}<{_num(low)},"不足 "&{figure(m.of, f"{_num(low)}/{_TO_YUAN}")},'
           f'"超过 "&{figure(m.of, f"{_num(high)}/{_TO_YUAN}")})')
    fits = '""'
    for u in reversed(precision.MONEY_UNITS_BY_SIZE):
        scaled = f"{v}*{_num(Decimal(10) ** precision.UNIT_EXPONENT[u])}"
        fits = (f'IF(AND([global.unit]<>{_lit(u)},{scaled}>={_num(low)},{scaled}<={_num(high)}),'
                f'{_lit(f"，数量级像是以“{u}”为单位")},{fits})')
    return f"{way}&{fits}"


def _label(fid: str, column: bool) -> str:
    f = SCHEMA[fid]
    return f.column_label if column else f.label


def _unchecked_message(fields: tuple[str, ...]) -> str:
    """Why a row is 未能核对: nothing typed at all, or something blank or invalid."""
    nothing = "AND(" + ",".join(blank(f) for f in fields) + ")" if len(fields) > 1 else blank(fields[0])
    return f"IF({nothing},{_lit(NOT_FILLED)},{UNCHECKED_TEXT})"


def _plausibility_check(case: cmp.Plausibility, earlier: list[int]) -> NativeCheck:
    rule = case.rule
    fail = STATUS_OF[rule.severity]
    ok = "AND(" + ",".join(usable(f) for f in case.reads) + ")"
    need = "AND(" + ",".join(_filled(op) for op in case.needs) + ")"
    status = f'IF(AND([ok],[need]),IF([hit],{_lit(fail)},{_lit(PASS)}),{_lit(UNCHECKED)})'
    passed = _lit("未见异常")
    if earlier:  # one finding per rule: a row after one that fired stays quiet
        fired = "OR(" + ",".join(f"{_at('status', i)}={_lit(fail)}" for i in earlier) + ")"
        status = f"IF({fired},{_lit(PASS)},{status})"
        passed = f"IF({fired},{_lit(REPORTED_ABOVE)},{passed})"
    message = _message(rule, {name: _text(case, m) for name, m in case.message}, passed=passed, passed_is_formula=True,
                       unchecked=_unchecked_message(case.reads))
    inputs = tuple(dict.fromkeys(f for op in case.cells for f in cmp.operand_fields(op)))
    return NativeCheck(rule, case.primary, inputs, {
        "ok": ok,
        "need": need,
        "hit": f"IF(AND([ok],[need]),{_conditions(case)},FALSE)",
        "status": status,
        "message": message,
    }, case.label)


def _choice_check(case: cmp.ChoiceContradiction) -> NativeCheck:
    """The dropdown against its figures. An option has no inner space, so TRIM's squeezing of inner spaces
    (where str.strip() keeps them) turns a non-option into another non-option, never into an option."""
    assert not any(" " in o or "(" in o or ")" in o for o in (case.not_applicable, case.applicable))
    rule = case.rule
    fail = STATUS_OF[rule.severity]
    filled = "+".join(f"NOT({blank(f)})*1" for f in case.figures)
    na, ap = _lit(case.not_applicable), _lit(case.applicable)
    labels = "MID(" + "&".join(f'IF({blank(f)},"",{_lit("、" + SCHEMA[f].label)})' for f in case.figures) + ",2,999)"
    head, tail = case.filled_problem.split("{labels}")
    problem = f"IF([text]={na},{_lit(head)}&{labels}&{_lit(tail)},{_lit(case.empty_problem)})"
    return NativeCheck(rule, case.field, (case.field,) + case.figures, {
        "text": choice(case.field),  # the option as the engine reads it, "" when blank or not an option
        "need": filled,
        "hit": f"OR(AND([text]={na},[need]>0),AND([text]={ap},[need]=0))",
        "status": f'IF([hit],{_lit(fail)},IF(OR([text]={na},[text]={ap}),{_lit(PASS)},{_lit(UNCHECKED)}))',
        "message": _message(rule, {"status": "[text]", "problem": problem}, passed="选择与所填数字一致",
                            unchecked=f'IF({blank(case.field)},{_lit(NOT_FILLED)},"无法核对：选项不在下拉列表中（见 perfeval check 的说明）")'),
    }, case.label)


def plausibility_checks(rule: Rule, first_row: int) -> list[NativeCheck]:
    """The rows of one PLAUS rule; ``first_row``: the index its first row takes among all native checks."""
    out, quiet = [], []
    for case in CASES:
        if case.rule is not rule:
            continue
        if isinstance(case, cmp.ChoiceContradiction):
            out.append(_choice_check(case))
            continue
        out.append(_plausibility_check(case, list(quiet)))
        if case.first_only:
            quiet.append(first_row + len(out) - 1)
    return out


__all__ = ["HELPERS", "plausibility_checks"]
