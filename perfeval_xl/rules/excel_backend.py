"""The Excel backend of the native rules: the engine's semantics as formula text.

Pure string generation from the declarations (no openpyxl). Formulas use
``{field.id}`` for a field's cell (the template writer renders it) and ``[key]``
for another helper cell of the same check row on 校验结果 (``ok``, ``mode``,
``point``, ``half``, ``diff``, ``status``).

The semantics are the Python engine's (``check/engine.py``), step by step:

* an input with a VAL problem (text in a number cell, negative, out of range, not
  whole, too many decimals, a required figure blank) blocks every identity reading
  it: status 未能核对, no finding;
* blank is unknown, never 0: with blank parts the identity can only be a bound
  (lower with blank added parts, upper with blank subtracted ones), and nothing at
  all when a blank part may be negative or blanks pull both ways, or when the rule
  needs every figure (``BlankPolicy.ALL_REQUIRED``);
* the rounding allowance is half a unit of the declared last digit of the stated
  figure and of each *filled* term (counts are exact);
* a gap within the allowance is a 舍入差异 (warning), beyond it the rule's severity.

Differences are rounded to ``DIFF_DIGITS`` decimals before comparing: every usable
figure has at most 4 decimals, so this only removes binary noise.

Only functions every target computes alike (``FUNCTIONS``; a test scans the
generated template against it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..schema import SCHEMA, FieldType
from ..schema.sheets.cover import MONEY_DECIMALS, RATE_DECIMALS
from .base import ArithmeticRule, BlankPolicy, Case, CountRule, IdentityKind, Rule, Severity
from . import values_rules
from .native import native_rules

# Excel 2010, WPS and LibreOffice compute these alike; no dynamic arrays, no _xlfn. functions.
# The whole template keeps to this list (tests/native/test_functions.py scans every formula).
FUNCTIONS = frozenset({
    "ABS", "AND", "CHAR", "COUNT", "COUNTA", "COUNTIF", "HYPERLINK", "IF", "INT", "ISBLANK", "ISERROR", "ISNUMBER", "LEFT", "LEN",
    "MAX", "MID", "MIN", "N", "NOT", "OR", "ROUND", "SUBSTITUTE", "SUM", "SUMPRODUCT", "TEXT", "TRIM",
})
DIFF_DIGITS = 6
MAGNITUDE = "1E15"  # values_rules.MAGNITUDE

PASS, ROUNDING, ERROR, WARNING, UNCHECKED = "通过", "舍入差异", "错误", "警告", "未能核对"
STATUSES = (ERROR, WARNING, ROUNDING, UNCHECKED, PASS)
STATUS_OF = {Severity.ERROR: ERROR, Severity.WARNING: WARNING}


def _lit(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def ref(fid: str) -> str:
    return "{" + fid + "}"


# What str.strip() removes (values.is_blank): control characters by CHAR (ASCII, the same in every code
# page), the rest as literals. A cell holding only these is blank to the engine, so it is blank here too.
_STRIPPED_CODES = (9, 10, 11, 12, 13, 28, 29, 30, 31)
_STRIPPED_LITERALS = ("\x85", "\xa0", "\u1680", *(chr(c) for c in range(0x2000, 0x200B)), "\u2028", "\u2029", "\u202f",
                      "\u205f", "\u3000")


def blank(fid: str) -> str:
    """A reference to the field's blank flag (a cell of the field table on 校验结果)."""
    return f"[blank.{fid}]"


def usable(fid: str) -> str:
    """A reference to the field's usable flag: TRUE when the engine would not block it."""
    return f"[usable.{fid}]"


def blank_formula(fid: str) -> str:
    """TRUE when the engine reads the cell as blank: empty, or only whitespace (``values.is_blank``)."""
    x = ref(fid)
    text = x
    for code in _STRIPPED_CODES:
        text = f'SUBSTITUTE({text},CHAR({code})," ")'
    for ch in _STRIPPED_LITERALS:
        text = f'SUBSTITUTE({text},"{ch}"," ")'
    return f"IF(ISNUMBER({x}),FALSE,IF(ISERROR({x}),FALSE,LEN(TRIM({text}))=0))"


_DEC = {MONEY_DECIMALS: "mdec", RATE_DECIMALS: "rdec"}


def decimals(fid: str) -> str:
    """The decimals a figure is declared to carry (``precision.declared``: a whole 0–4 on 封面, else the field's own)."""
    f = SCHEMA[fid]
    key = {FieldType.MONEY: MONEY_DECIMALS, FieldType.PERCENT: RATE_DECIMALS}.get(f.type)
    if key is None or key == fid:
        return str(f.precision)
    return f"IF(ISNUMBER([global.{_DEC[key]}]),[global.{_DEC[key]}],{f.precision})"


def declared(key: str) -> str:
    """A 封面 decimals declaration when it is usable (a whole 0–4, ``precision._whole``), else ""."""
    d = ref(key)
    return f'IF(ISNUMBER({d}),IF(AND({d}>=0,{d}<=4,{d}=INT({d})),{d},""),"")'


GLOBALS = {"mdec": declared(MONEY_DECIMALS), "rdec": declared(RATE_DECIMALS)}


def half(fid: str) -> str:
    """Half a unit of the figure's last declared digit (0 for counts), in the cell's own scale."""
    f = SCHEMA[fid]
    if f.type is FieldType.COUNT:
        return "0"
    shift = "+2" if f.type is FieldType.PERCENT else ""
    return f"0.5*10^-({decimals(fid)}{shift})"


def usable_formula(fid: str) -> str:
    """TRUE when the engine would not block the field (values_rules.run); blank counts as usable unless required."""
    f = SCHEMA[fid]
    x = ref(fid)
    if not f.type.numeric:
        return "TRUE"  # only numeric fields are read as figures; a name cell is only ever blank or not
    conds = [f"ABS({x})<{MAGNITUDE}"]
    scale = 100 if f.type is FieldType.PERCENT else 1
    if f.min is not None:
        conds.append(f"{x}>={_num(f.min / scale)}")
    if f.max is not None:
        conds.append(f"{x}<={_num(f.max / scale)}")
    if f.type is FieldType.COUNT:
        conds.append(f"{x}=INT({x})")
    else:
        allowed = decimals(fid)
        if f.type is FieldType.PERCENT:
            allowed = f"MAX({allowed},{f.precision})+2"  # not reached by native rules today
        conds.append(f"ROUND({x},{allowed})={x}")
    number = f"AND({','.join(conds)})"
    if f.required:
        return f"IF(ISNUMBER({x}),{number},FALSE)"
    return f"IF(ISNUMBER({x}),{number},{blank(fid)})"


def _num(v) -> str:
    text = format(v, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def figure(fid: str, expr: str) -> str:
    """A figure for a message, as the engine prints it (grouped, the field's decimals, its unit)."""
    f = SCHEMA[fid]
    fmt = "0" if f.type is FieldType.COUNT else "#,##0." + "0" * f.precision
    return f'TEXT({expr},"{fmt}")&{_lit(f.unit_label)}'


@dataclass(frozen=True)
class NativeCheck:
    """One row of 校验结果: a case of a native rule, with the helper formulas of its row."""

    rule: Rule
    stated: str
    inputs: tuple[str, ...]  # the fields whose cells the check colours when it fails (filled ones; VAL001: the blank one)
    formulas: dict  # helper key → formula (without "=")
    label: str


def _sum_check(rule: ArithmeticRule, case: Case) -> NativeCheck:
    s = case.stated
    terms = case.terms
    fields = list(dict.fromkeys([s, *(t.field for t in terms)]))
    ok = "AND(" + ",".join(usable(f) for f in fields) + ")"
    filled = "+".join(f"ISNUMBER({ref(t.field)})*1" for t in terms)
    blank_plus = [t for t in terms if t.sign > 0]
    blank_minus = [t for t in terms if t.sign < 0]
    neg = [t for t in terms if SCHEMA[t.field].may_be_negative]

    def count_blank(ts) -> str:
        return "(" + "+".join(f"({blank(t.field)})*1" for t in ts) + ")" if ts else "0"

    exact = '"lower"' if rule.kind is IdentityKind.AT_LEAST else '"exact"'
    # with blank parts: a bound when every blank pulls one way and none may be negative (engine._bound);
    # a “其中” row (AT_LEAST) can only be short, so an upper bound says nothing there
    upper = '""' if rule.kind is IdentityKind.AT_LEAST else '"upper"'
    partial = '""' if rule.blank_policy(case) is BlankPolicy.ALL_REQUIRED else (
        f'IF(OR([bneg]>0,AND([bplus]>0,[bminus]>0)),"",IF([bplus]>0,"lower",{upper}))')
    mode = f'IF(OR(NOT([ok]),{blank(s)},[filled]=0),"",IF([bplus]+[bminus]=0,{exact},{partial}))'
    point = "+".join(("-" if t.sign < 0 else "") + f"N({ref(t.field)})" for t in terms).lstrip("+") or "0"
    groups: dict[str, list[str]] = {}
    for t in terms:
        groups.setdefault(half(t.field), []).append(ref(t.field))
    halves = [half(s)] + [f"({h})*COUNT({','.join(refs)})" for h, refs in groups.items() if h != "0"]
    fail = STATUS_OF[rule.severity]
    status = (
        f'IF([mode]="",{_lit(UNCHECKED)},'
        f'IF(OR([diff]=0,AND([mode]="lower",[diff]>0),AND([mode]="upper",[diff]<0)),{_lit(PASS)},'
        f'IF(ABS([diff])<=ROUND([half],{DIFF_DIGITS}),{_lit(ROUNDING)},{_lit(fail)})))'
    )
    bound = "" if rule.kind is IdentityKind.AT_LEAST else 'IF([mode]="lower","不小于",IF([mode]="upper","不大于",""))&'
    params = {
        "stated_label": _lit(SCHEMA[s].label),
        "basis": _lit(case.label or rule.title),
        "actual": figure(s, ref(s)),
        "expected": bound + figure(s, "[point]"),
        "diff": 'IF([diff]>=0,"+","")&' + figure(s, "[diff]"),
    }
    return NativeCheck(rule, s, tuple(fields), {
        "ok": ok,
        "filled": filled,
        "bplus": count_blank(blank_plus),
        "bminus": count_blank(blank_minus),
        "bneg": count_blank(neg),
        "mode": mode,
        "point": point,
        "half": "+".join(halves),
        "diff": f'IF([mode]="",0,ROUND(N({ref(s)})-([point]),{DIFF_DIGITS}))',
        "status": status,
        "message": _message(rule, params),
    }, case.label or rule.title)


def _count_check(rule: CountRule) -> NativeCheck:
    s = rule.stated
    listed = "+".join(f"NOT({blank(f)})*1" for f in rule.listed)
    fail = STATUS_OF[rule.severity]
    params = {"stated_label": _lit(SCHEMA[s].label), "actual": f"TEXT({ref(s)},\"0\")", "expected": "[point]"}
    return NativeCheck(rule, s, (s,), {
        "ok": usable(s),
        "filled": "0",
        "bplus": "0",
        "bminus": "0",
        "bneg": "0",
        "mode": f'IF(OR(NOT([ok]),{blank(s)},[point]=0),"","exact")',
        "point": listed,
        "half": "0",
        "diff": f'IF([mode]="",0,N({ref(s)})-[point])',
        "status": f'IF([mode]="",{_lit(UNCHECKED)},IF([diff]=0,{_lit(PASS)},{_lit(fail)}))',
        "message": _message(rule, params),
    }, rule.title)


def _required_check(rule: Rule, fid: str) -> NativeCheck:
    """VAL001: a required figure or name left blank (``values_rules.run``: blank or only spaces)."""
    fail = STATUS_OF[rule.severity]
    return NativeCheck(rule, fid, (fid,), {
        "status": f'IF({blank(fid)},{_lit(fail)},{_lit(PASS)})',
        "message": _message(rule, {"label": _lit(SCHEMA[fid].label)}, passed="已填写"),
    }, SCHEMA[fid].label)


def _message(rule: Rule, params: dict, passed: str = "相符") -> str:
    """The rule's Chinese message with live figures, shown when the check does not pass."""
    import string

    pieces = []
    for text, name, _, _ in string.Formatter().parse(rule.message):
        if text:
            pieces.append(_lit(text))
        if name is not None:
            if name not in params:
                raise KeyError(f"{rule.id}: no Excel text for message parameter {name!r}")
            pieces.append(f"({params[name]})")
    detail = "&".join(pieces)
    return (f'IF([status]={_lit(PASS)},{_lit(passed)},IF([status]={_lit(UNCHECKED)},'
            f'"无法核对：数据不全或有无效数据（见 perfeval check 的说明）",{detail}))')


_FIELD_TOKEN = re.compile(r"\[(blank|usable)\.([a-z0-9_.]+)\]")


def field_table() -> list[tuple[str, str, str]]:
    """(field id, blank formula, usable formula) of every field the native rows read, in first-use order.

    Written once each (hidden on 校验结果) so a row refers to a flag instead of repeating its formula.
    """
    seen: dict[str, None] = {}
    pending = [f for chk in native_checks() for f in chk.formulas.values()]
    while pending:
        text = pending.pop(0)
        for _, fid in _FIELD_TOKEN.findall(text):
            if fid not in seen:
                seen[fid] = None
                pending.append(usable_formula(fid))
    return [(fid, blank_formula(fid), usable_formula(fid)) for fid in seen]


@lru_cache(maxsize=1)
def _checks() -> tuple[NativeCheck, ...]:
    return tuple(_build())


def native_checks() -> list[NativeCheck]:
    """Every native check, in registry order: the rows of 校验结果."""
    return list(_checks())


def _build() -> list[NativeCheck]:
    """Every native check, in registry order: the rows of 校验结果."""
    out = []
    for rule in native_rules():
        if rule is values_rules.VAL001:
            out.extend(_required_check(rule, fid) for fid in values_rules.REQUIRED)
        elif isinstance(rule, CountRule):
            out.append(_count_check(rule))
        elif isinstance(rule, ArithmeticRule):
            out.extend(_sum_check(rule, c) for c in rule.cases)
    return out


HELPERS = ("ok", "filled", "bplus", "bminus", "bneg", "mode", "point", "half", "diff")

__all__ = ["FUNCTIONS", "GLOBALS", "HELPERS", "NativeCheck", "STATUSES", "field_table", "native_checks"]
