"""The consistency checker: every registered rule over one set of cell values.

    raw cell values (by schema id) ──► VAL ──► SUM/ROLL/XREF/RATE ──► PLAUS ──► MISS ──► sorted findings
    WorkbookData ──► STR ──┘ (stops here when the file is not a readable template)

* Every figure is an interval from its declared precision (``intervals``); sums
  and ratios are compared by overlap, in Decimal, never float.
* A field with a VAL (or STR) problem is *blocked*: identities reading it are
  skipped, so the root cause is reported once.
* Per-rule structures are compiled once at import; a call does no layout work.
* Findings carry no timestamp and are sorted by a total order: identical input
  gives byte-identical findings.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from ..rules import missing, structure, values_rules
from ..rules.arithmetic import ARITHMETIC_RULES
from ..rules.base import ArithmeticRule, BlankPolicy, CountRule, IdentityKind, Rule, Severity
from ..rules.registry import RATE012, REGISTRY, RULESET_VERSION, sort_key
from ..rules.native import native_ids
from ..rules.values_rules import excel_places as places
from ..rules.values_rules import fmt_figure
from ..schema import SCHEMA, FieldType, a1_position, precision
from ..template.formulas import owned_formulas
from ..template.layout import layout
from ..schema.values import is_blank
from .findings import CellRef, Finding, Report
from . import plausibility, shares
from .intervals import CONTEXT, HUNDRED, ZERO, Interval, agrees_printed, half_unit, printed_interval, round_half_up

_UNSET = object()


# ----------------------------------------------------------------------------------------------
# Compiled once


def _default_addresses() -> dict[str, tuple[str, str]]:
    lay = layout()
    return {fid: (lay.sheet_title(lay.cell(fid).sheet), lay.cell(fid).address) for fid in SCHEMA}


DEFAULT_ADDRESSES = _default_addresses()
SHEET_ORDER = {title: i for i, title in enumerate(structure.TEMPLATE_SHEETS)}


@dataclass(frozen=True, slots=True)
class _Term:
    fid: str
    sign: int
    present_if: str = ""


@dataclass(frozen=True, slots=True)
class _Case:
    rule: ArithmeticRule
    stated: str
    terms: tuple[_Term, ...]
    den: tuple[_Term, ...]
    inputs: frozenset
    basis: str
    policy: BlankPolicy
    derives: str = ""


def _compile() -> tuple[list[_Case], list[CountRule]]:
    cases, counts = [], []
    for rule in ARITHMETIC_RULES:
        if isinstance(rule, CountRule):
            counts.append(rule)
            continue
        for c in rule.cases:
            terms = tuple(_Term(t.field, t.sign, t.present_if) for t in c.terms)
            den = tuple(_Term(t.field, t.sign) for t in c.denominator)
            inputs = frozenset([c.stated, *(t.fid for t in terms + den)])
            cases.append(_Case(rule, c.stated, terms, den, inputs, c.label or rule.title, rule.blank_policy(c), c.derives))
    return cases, counts


CASES, COUNT_RULES = _compile()
DERIVING = [c for c in CASES if c.derives]


def expected_formulas() -> dict[tuple[str, str], str]:
    """(sheet title, A1) → formula (without "=") of every template-owned cell, as the generator writes it.

    The same strings the writer puts into the template (``template/formulas.py``), made
    without building a workbook.
    """
    return owned_formulas()


# ----------------------------------------------------------------------------------------------
# The context every rule body works on


class Context:
    """Values, blocked fields and the findings of one check."""

    __slots__ = ("raw", "values", "blocked", "addresses", "findings", "overrides", "precisions", "halves", "derived", "loose")

    def __init__(self, raw: Mapping[str, object], addresses: Mapping[str, tuple[str, str]] | None, overrides: Mapping,
                 precisions: Mapping[str, int] | None = None):
        self.raw = raw
        self.values: dict[str, object] = {}
        self.blocked: set[str] = set()
        self.addresses = addresses or DEFAULT_ADDRESSES
        self.findings: list[Finding] = []
        self.overrides = overrides
        self.precisions = dict(precisions or {})  # field id → decimals its cell prints (number format)
        self.halves: dict[str, Decimal] = {}  # half-widths of figures that are not typed but derived
        self.derived: dict[str, str] = {}  # field id → how its value was derived (said in messages)
        # derived from a rate: known only as an interval, so a difference inside it is no 舍入差异 to report
        self.loose: set[str] = set()

    def decimals(self, fid: str) -> int:
        """The decimals a figure is declared to carry: its cell's format, else the workbook's declaration, else the field's."""
        p = self.precisions.get(fid)
        if p is not None:
            return p
        f = SCHEMA[fid]
        declared = precision.declared(f, self.values)
        return f.precision if declared is None else declared

    def unit(self) -> str:
        """The money unit the workbook declares on 封面 (万元 when blank): every message names figures in it."""
        return precision.money_unit(self.values)

    def fig(self, fid: str, value: Decimal) -> str:
        """A figure of field ``fid`` for a message, in the declared unit and at its declared decimals."""
        f = SCHEMA[fid]
        if f.type is FieldType.MONEY:
            return fmt_figure(f, value, self.unit(), self.decimals(fid))
        return fmt_figure(f, value)

    def money(self, value: Decimal) -> str:
        """An amount that is no one field's (a difference, an excess) in the declared unit and money decimals."""
        return fmt_figure(precision.MONEY_FIELD, value, self.unit(), precision.money_decimals(self.values))

    def half(self, fid: str) -> Decimal:
        """Half-width of a figure's rounding interval (counts are exact)."""
        h = self.halves.get(fid)
        if h is not None:
            return h
        if SCHEMA[fid].type is FieldType.COUNT:
            return ZERO
        return half_unit(self.decimals(fid))

    def printed(self, fid: str, value: Decimal) -> int:
        """Decimals a stated rate is printed with: the declared precision, or more when more non-zero digits were typed.

        Never fewer than declared: 95.10 typed as 95.1 is still read at two decimals.
        """
        return max(self.decimals(fid), places(value))

    def cell(self, fid: str, value: object = _UNSET, role: str = "input") -> CellRef:
        sheet, address = self.addresses.get(fid) or DEFAULT_ADDRESSES.get(fid, (None, None))
        if fid in self.derived:  # the cell is blank; the figure the finding used is in its message
            value, role = None, "derived"
        elif value is _UNSET:
            value = self.values.get(fid)
        return CellRef(sheet, address, fid, _safe(value), role)

    def at(self, sheet: str | None, address: str | None, *, field_id: str | None = None, value: object = None, role: str = "") -> CellRef:
        return CellRef(sheet, address, field_id, _safe(value), role)

    def param(self, rule: Rule, name: str):
        return self.overrides.get(rule.id, {}).get(name, rule.params[name])

    def report(self, rule: Rule, cells: tuple[CellRef, ...], /, *, severity: Severity | None = None, rounding: bool = False,
               figures: tuple = (None, None, None), suffix: str = "", formula_blind: bool = False, **params) -> None:
        """Add a finding; ``params`` fill the rule's message template, ``figures`` = (expected, actual, difference)."""
        message = rule.message.format_map(params) + suffix
        expected, actual, difference = figures
        self.findings.append(
            Finding(rule.id, severity or rule.severity, message, tuple(cells), expected, actual, difference, rounding, rule.title,
                    {k: _safe(v) for k, v in params.items()}, formula_blind)
        )


def _safe(value: object) -> object:
    """Cell values as JSON can hold them (a float NaN from a caller becomes its text)."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, Decimal) and not value.is_finite():
        return str(value)
    return value


# ----------------------------------------------------------------------------------------------
# Identities


def _fmt(ctx: Context, fid: str, value: Decimal) -> str:
    return ctx.fig(fid, value)


def _num(value: Decimal, sign: str = "") -> str:
    """A percentage-point figure as typed: 90.7800 → "90.78", 100 → "100"."""
    return format(value.normalize(CONTEXT) if value else ZERO, sign + "f")


def _signed(ctx: Context, fid: str, value: Decimal) -> str:
    text = _fmt(ctx, fid, value)
    return text if text.startswith("-") else "+" + text


def _derive(ctx: Context) -> set[int]:
    """Fill the figures reports state only through a difference (上年 = 本年 − 增减额, 预算 = 决算 − 差额)
    or, failing that, only through a change rate (上年 = 本年 / (1 + 增减率)).

    Returns the cases used, which are true by construction and are not checked again. The derived
    figure carries the rounding interval of the figures it came from; it stands for the blank cell
    only while the identities run.
    """
    values, used = ctx.values, set()
    for c in DERIVING:
        target = c.derives
        stated = values.get(c.stated)
        if stated is None or values.get(target) is not None or not c.inputs.isdisjoint(ctx.blocked):
            continue
        if c.rule.kind is IdentityKind.RATIO:
            continue  # a rate supplies the figure only where no stated amount did (second pass)
        rest, half, sign = ZERO, ctx.half(c.stated), 0
        for t in c.terms:
            if t.fid == target:
                sign = t.sign
                continue
            v = values.get(t.fid)
            if v is None:
                break
            rest += t.sign * v
            half += ctx.half(t.fid)
        else:
            value = (stated - rest) * sign
            if value < -half and not SCHEMA[target].may_be_negative:
                continue  # impossible (RATE013 says so); deriving it would only repeat the fault elsewhere
            values[target] = value
            ctx.halves[target] = half
            ctx.derived[target] = f"按所述{_short(c.stated)}推算，{_short(target)}为 {_fmt(ctx, target, value)}"
            used.add(id(c))
    for c in DERIVING:
        if c.rule.kind is IdentityKind.RATIO and values.get(c.stated) is not None and values.get(c.derives) is None \
                and c.inputs.isdisjoint(ctx.blocked) and _derive_from_rate(ctx, c):
            used.add(id(c))
    return used


def _derive_from_rate(ctx: Context, c: _Case) -> bool:
    """earlier = later / (1 + rate), over the later figure's rounding interval and the rate's printed interval.

    The derived figure is the midpoint with half the interval's width, so identities reading it agree
    whenever some earlier figure inside the interval makes them agree.
    """
    target = c.derives
    later, half_later = ZERO, ZERO
    for t in c.terms:
        if t.fid == target:
            continue
        v = ctx.values.get(t.fid)
        if v is None:
            return False
        later += t.sign * v
        half_later += ctx.half(t.fid)
    rate = ctx.values[c.stated]
    band = printed_interval(rate, ctx.printed(c.stated, rate))
    growth = Interval(1 + band.lo / HUNDRED, 1 + band.hi / HUNDRED)
    if growth.lo <= 0 or later - half_later < 0:
        return False  # a fall of 100 % or more, or a negative later figure: no earlier figure follows
    base = Interval.around(later, half_later) / growth
    mid, half = (base.lo + base.hi) / 2, (base.hi - base.lo) / 2
    ctx.values[target] = mid
    ctx.halves[target] = half
    ctx.loose.add(target)
    d = ctx.decimals(target)
    lo, hi = round_half_up(base.lo, d), round_half_up(base.hi, d)
    span = f"（{lo:,f}～{ctx.fig(target, hi)}）" if lo != hi else ""
    ctx.derived[target] = f"按所述{_short(c.stated)}推算，{SCHEMA[target].label}约为 {ctx.fig(target, round_half_up(mid, d))}{span}"
    return True


def _short(fid: str) -> str:
    """A grid column's own name for messages that already name the row: "增减额", "上年决算数"."""
    f = SCHEMA[fid]
    return re.sub(r"（[^（）]*）$", "", f.column_label or f.label)


def _rounded(ctx: Context, c: _Case, fid: str, value: Decimal) -> Decimal:
    """A figure computed from one known only as an interval, at the decimals its field prints."""
    return value if ctx.loose.isdisjoint(c.inputs) else round_half_up(value, ctx.decimals(fid))


def _shown(ctx: Context, c: _Case, fid: str, value: Decimal) -> str:
    text = _fmt(ctx, fid, _rounded(ctx, c, fid, value))
    return text if ctx.loose.isdisjoint(c.inputs) else "约" + text


def _actual(ctx: Context, c: _Case, stated: Decimal) -> str:
    """The stated figure as the message quotes it; a blank one the identity derived says so."""
    if c.stated in ctx.derived:
        return f"空白（推算为{_shown(ctx, c, c.stated, stated)}）"
    return _fmt(ctx, c.stated, stated)


def _derived_note(ctx: Context, c: _Case) -> str:
    notes = [ctx.derived[f] for f in sorted(c.inputs) if f in ctx.derived]
    return "（" + "；".join(notes) + "）" if notes else ""


def _run_identities(ctx: Context) -> None:
    values, blocked = ctx.values, ctx.blocked
    used = _derive(ctx)
    for c in CASES:
        if not c.inputs.isdisjoint(blocked) or id(c) in used:
            continue
        if values.get(c.stated) is None:
            _stated_blank(ctx, c)
        elif c.rule.kind is IdentityKind.RATIO:
            _ratio(ctx, c)
        else:
            _sum(ctx, c)
    for rule in COUNT_RULES:
        _count(ctx, rule)
    for fid in ctx.derived:  # later families (PLAUS, MISS) see the cells as they are
        values[fid] = None


def _split(values: dict, terms: tuple[_Term, ...]) -> tuple[list[tuple[_Term, Decimal]], list[str]]:
    filled, blank = [], []
    for t in terms:
        v = values.get(t.fid)
        if v is None:
            if not t.present_if or values.get(t.present_if) is not None:
                blank.append(t.fid)  # a row that is not there at all is no part
        else:
            filled.append((t, v))
    return filled, blank


def _total(ctx: Context, filled: list[tuple[_Term, Decimal]]) -> tuple[Decimal, Decimal]:
    point, half = ZERO, ZERO
    for t, v in filled:
        point = point + v if t.sign > 0 else point - v
        half += ctx.half(t.fid)
    return point, half


def _unverifiable(ctx: Context, c: _Case, stated: Decimal, blank: list[str], filled: list | None = None) -> None:
    blank = list(dict.fromkeys(blank))  # a term may sit in both numerator and denominator
    if stated != 0 and c.stated not in ctx.derived:  # a derived figure was not stated: nothing to verify
        ctx.report(missing.MISS002, (ctx.cell(c.stated, role="stated"),) + tuple(ctx.cell(f, role="term") for f in blank),
                   suffix=_residual(ctx, c, stated, blank, filled),
                   stated_label=SCHEMA[c.stated].label, basis=c.basis, missing=missing.listing([SCHEMA[f].label for f in blank]),
                   identity=c.rule.id)


def _residual(ctx: Context, c: _Case, stated: Decimal, blank: list[str], filled: list | None) -> str:
    """What the blank parts of a sum must make up together, so the accountant can hold it against the report."""
    if not filled or not blank or c.rule.kind is not IdentityKind.SUM or any(t.sign < 0 for t in c.terms if t.fid in blank):
        return ""
    point, _ = _total(ctx, filled)
    column = _short(blank[0]) if all(SCHEMA[f].column_label for f in blank) else ""
    which = "未填的" + "、".join(_short_row(f) for f in blank) + column + ("合计" if len(blank) > 1 else "")
    return f"；按所述数与已填各项推算，{which}应为 {_shown(ctx, c, c.stated, stated - point)}，请对照报告核实"


def _short_row(fid: str) -> str:
    """A grid row's own name ("因公出国（境）费"), else the field's label."""
    f = SCHEMA[fid]
    return re.sub(r"^[\d、　 ]*(其中：)?", "", f.row_label).strip() if f.row_label else f.label


def _stated_blank(ctx: Context, c: _Case) -> None:
    """A blank total with filled parts is unknown, not wrong: say it cannot be checked (and how to write a real 0)."""
    if c.rule.kind is IdentityKind.RATIO or c.rule.family not in ("SUM", "ROLL") or c.policy is not BlankPolicy.BOUND:
        return
    filled, blank = _split(ctx.values, c.terms)
    if all(t.fid in ctx.derived for t, _ in filled):
        return  # no part was stated either (derived parts only): the report says nothing here to check
    point, _ = _total(ctx, filled)
    ctx.report(missing.MISS003, (ctx.cell(c.stated, None, role="stated"),) + tuple(ctx.cell(t.fid, role="term") for t, _ in filled),
               stated_label=SCHEMA[c.stated].label, basis=c.basis, expected=_shown(ctx, c, c.stated, point) + ("（部分分项未填）" if blank else ""),
               identity=c.rule.id)


def _bound(c: _Case, blank: list[str]) -> str | None:
    """Which way blank parts can move the result: "lower" (stated ≥ filled), "upper" (stated ≤ filled) or None (either).

    A blank part is unknown but, when its field cannot be negative, its sign is known.
    """
    signs = {t.sign for t in c.terms if t.fid in blank}
    if any(SCHEMA[f].may_be_negative for f in blank) or len(signs) != 1:
        return None
    return "lower" if signs == {1} else "upper"


def _sum(ctx: Context, c: _Case) -> None:
    values = ctx.values
    stated = values[c.stated]
    filled, blank = _split(values, c.terms)
    if not filled and (c.rule.kind is IdentityKind.AT_LEAST or c.rule.quiet_without_parts):
        return  # a part that is not stated bounds nothing
    if not filled or (blank and c.policy is BlankPolicy.ALL_REQUIRED):
        _unverifiable(ctx, c, stated, blank)
        return
    mode = "exact"
    if blank:
        mode = _bound(c, blank)
        if mode is None:
            _unverifiable(ctx, c, stated, blank, filled)
            return
    if c.rule.kind is IdentityKind.AT_LEAST:
        mode = "lower" if mode in ("exact", "lower") else None
        if mode is None:
            return
    point, half = _total(ctx, filled)
    half += ctx.half(c.stated)
    diff = stated - point
    if diff == 0 or (mode == "lower" and diff > 0) or (mode == "upper" and diff < 0):
        return
    within = abs(diff) <= half
    if within and not ctx.loose.isdisjoint(c.inputs):
        return  # a figure known only as an interval (derived from a rate) fits: nothing was printed wrong
    cells = (ctx.cell(c.stated, role="stated"),) + tuple(ctx.cell(t.fid, role="term") for t, _ in filled)
    likely = [] if within else _sum_candidates(ctx, c, stated, filled, diff, half, mode)
    if within:
        suffix = f"；差额在各数舍入误差（合计 ±{half.normalize():f}）范围内，属舍入差异"
    else:
        suffix = _blank_note(blank, mode) + _hint(likely)
    suffix = _derived_note(ctx, c) + suffix
    bound = {"lower": "不小于", "upper": "不大于"}.get(mode, "") if c.rule.kind is not IdentityKind.AT_LEAST else ""
    ctx.report(
        c.rule, cells, severity=Severity.WARNING if within else c.rule.severity, rounding=within,
        figures=(point, stated, diff), suffix=suffix,
        stated_label=SCHEMA[c.stated].label, basis=c.basis, actual=_actual(ctx, c, stated),
        expected=bound + _shown(ctx, c, c.stated, point), diff=_signed(ctx, c.stated, _rounded(ctx, c, c.stated, diff)),
        half_width=half, unreported=tuple(blank), likely=_likely(likely),
    )


def _blank_note(blank: list[str], mode: str | None = None) -> str:
    if not blank:
        return ""
    labels = "、".join(SCHEMA[f].label for f in blank[:3]) + (f" 等 {len(blank)} 项" if len(blank) > 3 else "")
    way = {"lower": "合计至少应为已填各项之和", "upper": "合计至多应为已填各项之差"}.get(mode, "")
    return f"（{labels} 未填写，按未知处理{'，' + way if way else ''}；如确为 0 请填 0）"


def _hint(explanations: list[tuple[str, dict]]) -> str:
    if not explanations or len(explanations) > 3:
        return ""
    return "。可能原因：" + "；或".join(text for text, _ in explanations)


def _likely(explanations: list[tuple[str, dict]]) -> tuple[dict, ...]:
    """The hint as data (params["likely"]): which input, what kind of slip, what value would fit."""
    return tuple(d for _, d in explanations) if len(explanations) <= 3 else ()


# -- which single input explains the gap ---------------------------------------------------------


def _alternatives(ctx: Context, fid: str, v: Decimal, *, is_term: bool) -> list[tuple[str, Decimal]]:
    """Values the accountant may have meant instead of ``v``, with the kind of slip."""
    f = SCHEMA[fid]
    out: list[tuple[str, Decimal]] = []
    if is_term:
        out += [("omitted", ZERO), ("doubled", v * 2)]
    if v == 0:
        return out
    out.append(("sign", -v))
    shifts = [(k, "shift") for k in (1, -1)]
    if f.type is FieldType.PERCENT:
        shifts += [(2, "percent"), (-2, "percent")]
    elif f.type is FieldType.MONEY:
        # typed in the neighbouring unit (元 into a 万元 cell, 万元 into a 元 or 亿元 cell …)
        shifts += [(k, "yuan") for k in (4, -4) if precision.unit_apart(ctx.unit(), k)]
    decimals = ctx.decimals(fid)
    for k, kind in shifts:
        alt = v.scaleb(k)
        if places(alt) <= decimals:
            out.append((kind, alt))
    text = format(abs(v), f".{decimals}f") if f.type is not FieldType.PERCENT else format(abs(v).normalize(), "f")
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    for a, b in zip(digits, digits[1:]):
        if text[a] != text[b] and not (a == 0 and text[b] == "0"):
            swapped = text[:a] + text[b] + text[a + 1:b] + text[a] + text[b + 1:]
            out.append(("swap", Decimal(swapped).copy_sign(v)))
    return out


_SLIPS = {
    "omitted": "差额恰等于{label}（{shown}）：{stated}可能漏计了该项，或该项不应填写",
    "doubled": "差额恰等于{label}（{shown}）：该项可能被重复计入",
    "sign": "若{label}取相反符号（{alt}）则相符：加减方向或正负号可能弄反",
    "percent": "若{label}为 {alt}（而非 {shown}）则相符：可能把百分数按普通数字输入（应输入如 95.10%）",
    "yuan": "若{label}为 {alt}（而非 {shown}）则相符：可能误按“{other}”而非“{unit}”填写",
    "shift": "若{label}为 {alt}（而非 {shown}）则相符：可能多输或少输了一位，或小数点位置错了",
    "swap": "若{label}为 {alt}（而非 {shown}）则相符：可能是相邻两位数字颠倒",
}


def _explain(ctx: Context, kind: str, fid: str, v: Decimal, alt: Decimal, stated_fid: str) -> tuple[str, dict]:
    unit = ctx.unit()
    other = precision.unit_apart(unit, (alt / v).adjusted()) if kind == "yuan" else ""
    text = _SLIPS[kind].format(label=SCHEMA[fid].label, shown=_fmt(ctx, fid, v), alt=_fmt(ctx, fid, alt), stated=SCHEMA[stated_fid].label,
                               unit=unit, other=other)
    return text, {"kind": kind, "field_id": fid, "value": alt}


def _sum_candidates(ctx: Context, c: _Case, stated: Decimal, filled, diff: Decimal, half: Decimal, mode: str) -> list[tuple[str, dict]]:
    def fits(d: Decimal) -> bool:
        if mode == "lower":
            return d >= -half
        if mode == "upper":
            return d <= half
        return abs(d) <= half

    out = []
    for kind, alt in _alternatives(ctx, c.stated, stated, is_term=False):
        if fits(diff + (alt - stated)):
            out.append(_explain(ctx, kind, c.stated, stated, alt, c.stated))
    for t, v in filled:
        for kind, alt in _alternatives(ctx, t.fid, v, is_term=True):
            if fits(diff - t.sign * (alt - v)):
                out.append(_explain(ctx, kind, t.fid, v, alt, c.stated))
    return out


# -- ratios ---------------------------------------------------------------------------------------


def _ratio_consistent(stated: Decimal, num: Decimal, hn: Decimal, den: Decimal, hd: Decimal, p: int) -> tuple[bool, bool]:
    """(agrees at printed precision ``p``, intervals overlap) for stated % against num/den × 100."""
    if den == 0:
        return False, False
    exact = num / den * HUNDRED
    if agrees_printed(stated, exact, p):
        return True, True
    q = Interval.around(num, hn) / Interval.around(den, hd)
    return False, q is None or q.scale(HUNDRED).overlaps(printed_interval(stated, p))


def _ratio(ctx: Context, c: _Case) -> None:
    values = ctx.values
    stated = values[c.stated]
    fnum, bnum = _split(values, c.terms)
    fden, bden = _split(values, c.den)
    if not fnum or not fden or (c.policy is BlankPolicy.ALL_REQUIRED and (bnum or bden)):
        _unverifiable(ctx, c, stated, bnum + bden)
        return
    num, hn = _total(ctx, fnum)
    den, hd = _total(ctx, fden)
    den_only = [(t, v) for t, v in fden if all(t.fid != x.fid for x, _ in fnum)]  # 上年 sits in both for a change rate
    stated_cell = (ctx.cell(c.stated, role="stated"),)
    term_cells = tuple(ctx.cell(t.fid, role="term") for t, _ in fnum)
    den_cells = tuple(ctx.cell(t.fid, role="denominator") for t, _ in den_only)
    if den == 0:
        if num == 0 and stated == 0:
            return
        # “增长100%” for a line that had no base is a common convention for “new”: wrong, but not a false figure
        growth = any(t.sign < 0 for t in c.terms)
        severity = Severity.WARNING if growth and stated == HUNDRED else RATE012.severity
        # the workbook shows this verdict on the ratio's own 校验结果 row, which only a native ratio has
        ctx.report(RATE012, stated_cell + den_cells + term_cells, severity=severity, figures=(None, stated, None),
                   formula_blind=c.rule.id not in native_ids(),
                   stated_label=SCHEMA[c.stated].label, actual=_num(stated),
                   den_label="、".join(SCHEMA[t.fid].label for t, _ in fden), identity=c.rule.id)
        return
    precision = ctx.printed(c.stated, stated)
    agree, within = _ratio_consistent(stated, num, hn, den, hd, precision)
    if agree or (within and not ctx.loose.isdisjoint(c.inputs)):
        return
    expected = round_half_up(num / den * HUNDRED, precision)
    diff = stated - expected
    likely = [] if within else _ratio_candidates(ctx, c, stated, fnum, fden, den_only, (num, hn, den, hd), precision)
    if within:
        suffix = "；差额在分子、分母及比率本身的舍入误差范围内，属舍入差异"
    else:
        suffix = _blank_note(bnum + bden) + _hint(likely)
    suffix = _derived_note(ctx, c) + suffix
    ctx.report(
        c.rule, stated_cell + term_cells + den_cells, severity=Severity.WARNING if within else c.rule.severity, rounding=within,
        figures=(expected, stated, diff), suffix=suffix,
        stated_label=SCHEMA[c.stated].label, actual=_num(stated), expected=format(expected, "f"),
        diff=_num(diff, "+"), basis=c.basis, unreported=tuple(bnum + bden), likely=_likely(likely),
    )


def _ratio_candidates(ctx: Context, c: _Case, stated: Decimal, fnum, fden, den_only, figures: tuple, precision: int) -> list[tuple[str, dict]]:
    num, hn, den, hd = figures
    out = []
    for kind, alt in _alternatives(ctx, c.stated, stated, is_term=False):
        if any(_ratio_consistent(alt, num, hn, den, hd, ctx.printed(c.stated, alt))):
            out.append(_explain(ctx, kind, c.stated, stated, alt, c.stated))
    if num != 0 and any(_ratio_consistent(stated, den, hd, num, hn, precision)):
        out.append(("若分子分母对调则相符：可能把分子和分母弄反了", {"kind": "num_den_swapped", "field_id": None, "value": None}))
    num_sign = {t.fid: t.sign for t, _ in fnum}
    den_sign = {t.fid: t.sign for t, _ in fden}
    for t, v in fnum + den_only:
        for kind, alt in _alternatives(ctx, t.fid, v, is_term=False):
            delta = alt - v
            n2 = num + num_sign.get(t.fid, 0) * delta
            d2 = den + den_sign.get(t.fid, 0) * delta
            if d2 != 0 and any(_ratio_consistent(stated, n2, hn, d2, hd, precision)):
                out.append(_explain(ctx, kind, t.fid, v, alt, c.stated))
    return out


# -- counts ---------------------------------------------------------------------------------------


def _count(ctx: Context, rule: CountRule) -> None:
    stated = ctx.values.get(rule.stated)
    if stated is None or rule.stated in ctx.blocked:
        return
    listed = [fid for fid in rule.listed if not is_blank(ctx.raw.get(fid))]
    if not listed:
        if stated != 0:
            ctx.report(missing.MISS002, (ctx.cell(rule.stated, role="stated"),), stated_label=SCHEMA[rule.stated].label,
                       basis="核对个数", missing=SCHEMA[rule.listed[0]].label.rstrip("0123456789"), identity=rule.id)
        return
    n = Decimal(len(listed))
    if stated == n:
        return
    cells = (ctx.cell(rule.stated, role="stated"),) + tuple(ctx.cell(f, role="listed") for f in listed)
    ctx.report(rule, cells, figures=(n, stated, stated - n), stated_label=SCHEMA[rule.stated].label,
               actual=_num(stated), expected=len(listed))


# ----------------------------------------------------------------------------------------------
# Public entry points


def _options(profile) -> tuple[str | None, Mapping]:
    """``profile``: None (the workbook's, else V1), a profile id ("N53"), or {"id": …, "params": {rule id: {param: value}}}."""
    if profile is None or isinstance(profile, str):
        return profile, {}
    return profile.get("id"), profile.get("params", {})


@lru_cache(maxsize=8)
def _watched(profile_id: str | None) -> tuple:
    return tuple(missing.indicators(profile_id))


def _finding_key(f: Finding) -> tuple:
    c = f.primary
    if c is None:
        where = (-1, 0, 0)
    else:
        where = (SHEET_ORDER.get(c.sheet, len(SHEET_ORDER)) if c.sheet else -1, *a1_position(c.address))
    return (0 if f.rule_id.startswith("STR") else 1, *where, sort_key(f.rule_id), f.message)


def _run(ctx: Context, profile_id: str | None) -> None:
    values_rules.run(ctx)
    _run_identities(ctx)
    shares.run(ctx)
    plausibility.run(ctx)
    missing.run(ctx, _watched(profile_id or missing.DEFAULT_PROFILE))


def check_values(raw: Mapping[str, object], *, addresses: Mapping[str, tuple[str, str]] | None = None, profile=None,
                 blocked: frozenset = frozenset(), precisions: Mapping[str, int] | None = None) -> list[Finding]:
    """Findings for raw cell values keyed by schema id (what every front end calls).

    ``raw`` holds what the cells hold: numbers as typed, percentages as fractions
    (0.951 for 95.10 %), dates as dates, blanks as None or absent. ``addresses``
    maps field id → (sheet title, A1) when the cells are not where the template
    puts them. ``blocked``: fields known to be unusable (e.g. on a missing sheet).
    ``precisions``: field id → decimals its cell prints (from its number format,
    ``schema.precision.decimals_of_format``), where that differs from the declaration.
    """
    profile_id, overrides = _options(profile)
    ctx = Context(raw, addresses, overrides, precisions)
    ctx.blocked.update(blocked)
    with localcontext(CONTEXT):
        _run(ctx, profile_id)
    return sorted(ctx.findings, key=_finding_key)


def check_workbook(data, *, profile=None) -> Report:
    """STR checks on the workbook facts, then every value rule (unless the file cannot be checked)."""
    start = time.perf_counter()
    profile_id, overrides = _options(profile)
    ctx = Context(data.raw, data.addresses, overrides, getattr(data, "precisions", None))
    with localcontext(CONTEXT):
        fatal = structure.run(ctx, data, expected_formulas() if data.formulas else {})
        if not fatal:
            _run(ctx, profile_id or getattr(data, "profile", None))
            _evaluator_entries(ctx, data)
    return Report(
        file=str(data.path), sha256=data.sha256, size=data.size, template_id=data.template_id,
        template_version=data.template_version, ruleset_version=RULESET_VERSION,
        checked_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        duration_ms=(time.perf_counter() - start) * 1000, findings=sorted(ctx.findings, key=_finding_key), checked=not fatal,
    )


def _evaluator_entries(ctx: Context, data) -> None:
    """SCORE rules on the 评分 sheet's evaluator inputs (a workbook on disk made from a scored profile)."""
    from ..readers.evaluator import given_of_workbook
    from ..rules import scoring

    found = given_of_workbook(data)
    if found:
        profile, given, bad, where = found
        scoring.run(ctx, profile, given, bad, lambda key, what, value: ctx.at(*where(key, what), value=value, role="input"))


def check_path(path: str | Path, *, profile=None, parts=None) -> Report:
    """Read and check one file; never raises on a bad file (it becomes an STR finding).
    ``parts``: its package parts as the pre-flight inflated them (``readers.workbook.Inflated``)."""
    from ..readers.workbook import ReadProblem, WorkbookData, read_workbook

    start = time.perf_counter()
    try:
        data = read_workbook(path, parts=parts)
    except Exception as exc:  # the reader is meant not to raise; a bug there must not lose the submission
        data = WorkbookData(path=str(path), problems=[ReadProblem("corrupt", f"{type(exc).__name__}: {exc}"[:200])])
    report = check_workbook(data, profile=profile)
    report.duration_ms = (time.perf_counter() - start) * 1000
    return report


__all__ = ["CASES", "Context", "DEFAULT_ADDRESSES", "REGISTRY", "RULESET_VERSION", "check_path", "check_values", "check_workbook",
           "expected_formulas"]
