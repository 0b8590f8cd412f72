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
from ..schema.sheets.cover import DEFAULT_MONEY_UNIT, MONEY_DECIMALS, MONEY_UNIT, MONEY_UNITS, RATE_DECIMALS
from ..schema.sheets.expenses import GAP_SIGN
from .base import ArithmeticRule, BlankPolicy, Case, CountRule, IdentityKind, Rule, Severity
from . import values_rules
from .native import SHOWN_UNDER, native_rules, rate_supplier

# Excel 2010, WPS and LibreOffice compute these alike; no dynamic arrays, no _xlfn. functions.
# The whole template keeps to this list (tests/native/test_functions.py scans every formula).
FUNCTIONS = frozenset({
    "ABS", "AND", "CHAR", "COUNT", "COUNTA", "COUNTIF", "EXACT", "HYPERLINK", "IF", "INT", "ISBLANK", "ISERROR", "ISNUMBER", "LEFT", "LEN",
    "MAX", "MID", "MIN", "N", "NOT", "OR", "ROUND", "SUBSTITUTE", "SUM", "SUMPRODUCT", "TEXT", "TRIM",
})
DIFF_DIGITS = 6
MAGNITUDE = "1E15"  # values_rules.MAGNITUDE

PASS, ROUNDING, ERROR, WARNING, UNCHECKED, HINT = "通过", "舍入差异", "错误", "警告", "未能核对", "提示"
STATUSES = (ERROR, WARNING, ROUNDING, HINT, UNCHECKED, PASS)
# an info finding (a hint) shows as 提示 and is in neither count
STATUS_OF = {Severity.ERROR: ERROR, Severity.WARNING: WARNING, Severity.INFO: HINT}


def _lit(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def ref(fid: str) -> str:
    return "{" + fid + "}"


# What str.strip() removes (values.is_blank): control characters by CHAR (ASCII, the same in every code
# page), the rest as literals. A cell holding only these is blank to the engine, so it is blank here too.
_STRIPPED_CODES = (9, 10, 11, 12, 13, 28, 29, 30, 31)
_STRIPPED_LITERALS = ("\x85", "\xa0", "\u1680", *(chr(c) for c in range(0x2000, 0x200B)), "\u2028", "\u2029", "\u202f",
                      "\u205f", "\u3000")


# LibreOffice holds a tab typed in a cell as character 1 (its mark for a tab inside cell text), so text functions
# there see CHAR(1) where Excel and WPS see CHAR(9); a real character 1 cannot be typed into a cell.
_LIBREOFFICE_TAB = 1


def blank(fid: str) -> str:
    """A reference to the field's blank flag (a cell of the field table on 校验结果)."""
    return f"[blank.{fid}]"


def usable(fid: str) -> str:
    """A reference to the field's usable flag: TRUE when the engine would not block it."""
    return f"[usable.{fid}]"


def _spaced(x: str) -> str:
    """``x`` with every character str.strip() removes turned into a plain space (TRIM then removes it)."""
    text = x
    for code in (*_STRIPPED_CODES, _LIBREOFFICE_TAB):
        text = f'SUBSTITUTE({text},CHAR({code})," ")'
    for ch in _STRIPPED_LITERALS:
        text = f'SUBSTITUTE({text},"{ch}"," ")'
    return text


def blank_formula(fid: str) -> str:
    """TRUE when the engine reads the cell as blank: empty, or only whitespace (``values.is_blank``)."""
    x = ref(fid)
    return f"IF(ISNUMBER({x}),FALSE,IF(ISERROR({x}),FALSE,LEN(TRIM({_spaced(x)}))=0))"


def text(fid: str) -> str:
    """A reference to a text field's text as the engine reads it (stripped; a reference to the text table)."""
    return f"[text.{fid}]"


def text_formula(fid: str) -> str:
    """A text cell's text, stripped as str.strip() strips it. Inside, TRIM also narrows runs of spaces to one:
    that changes no verdict below, since no choice holds a space and “=” then text stays “=” then text."""
    x = ref(fid)
    return f'IF(ISERROR({x}),"",IF(ISNUMBER({x}),"",TRIM({_spaced(x)})))'


def choice(fid: str) -> str:
    """The option a dropdown cell holds as the engine reads it (``values.canonical_choice``), else "": its stripped
    text when that is a valid choice (no value finding), half-width brackets made full-width (options hold only those)."""
    options = SCHEMA[fid].choices
    assert not any(ch in opt for opt in options for ch in "() "), fid
    t = text(fid)
    if any(ch in opt for opt in options for ch in "（）"):
        t = f'SUBSTITUTE(SUBSTITUTE({t},"(","（"),")","）")'
    return f'IF({code(fid)}="",{t},"")'


# A gap typed beside its 超支/节约 choice (values_rules._apply_directions): the choice gives the sign.
_DIRECTION_OF = dict(values_rules.DIRECTED)
_WAYS = {sign: tuple(w for w, s in GAP_SIGN.items() if s == sign) for sign in (1, -1)}


def _way_is(fid: str, sign: int) -> str:
    """TRUE when the gap's choice reads as ``sign`` (1: 超支/增加, −1: 节约/减少)."""
    return "OR(" + ",".join(f"{choice(_DIRECTION_OF[fid])}={_lit(w)}" for w in _WAYS[sign]) + ")"


def signed(fid: str) -> str:
    """The figure the identities read from a cell: a gap with 节约/减少 chosen is −|x| (a negative one stays as typed)."""
    if fid not in _DIRECTION_OF:
        return f"N({ref(fid)})"
    return f"IF({_way_is(fid, -1)},-ABS(N({ref(fid)})),N({ref(fid)}))"


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


def money_unit() -> str:
    """The money unit 封面 declares (元/万元/亿元), else the default: messages name figures in it."""
    u = f"TRIM({ref(MONEY_UNIT)})"
    default = _lit(DEFAULT_MONEY_UNIT)
    return f"IF(ISERROR({u}),{default},IF(OR({','.join(f'{u}={_lit(x)}' for x in MONEY_UNITS)}),{u},{default}))"


GLOBALS = {"mdec": declared(MONEY_DECIMALS), "rdec": declared(RATE_DECIMALS), "unit": money_unit()}


def half(fid: str) -> str:
    """Half a unit of the figure's last declared digit (0 for counts), in the cell's own scale."""
    f = SCHEMA[fid]
    if f.type is FieldType.COUNT:
        return "0"
    shift = "+2" if f.type is FieldType.PERCENT else ""
    return f"0.5*10^-({decimals(fid)}{shift})"


def code(fid: str) -> str:
    """A reference to the field's value finding: the VAL rule the engine reports on the cell, or ""."""
    return f"[code.{fid}]"


# The per-cell rules a formula decides exactly: anything but a number in a numeric cell (text, a logical
# value, an error; VAL002, with VAL003/VAL004 shown in its row: which kind of text it is depends on how the
# text parses), and for a number (values_rules._check_number) negative, too many decimals, not whole, a
# decrease beyond 100 %. VAL006 (out of range) stays with the engine: a date typed as text can be out of
# range. The codes below still include VAL006, so a figure out of range blocks the identities reading it.
CELL_RULES = (values_rules.VAL002, values_rules.VAL005, values_rules.VAL007, values_rules.VAL008, values_rules.VAL009,
              values_rules.RATE011)


TEXT_TYPES = (FieldType.TEXT, FieldType.LONGTEXT, FieldType.ENUM)


def _text_code(fid: str) -> str:
    """VAL004 (shown in VAL002's row) for formula text, VAL009 for a choice not in the dropdown, else "" —
    ``values.coerce`` for text: stripped, “=” and more first, then the choice (half-width brackets allowed).
    An error value (#REF!) is read as blank by the engine (STR018 says so), so it has no value finding."""
    f = SCHEMA[fid]
    x, s, vr = ref(fid), text(fid), values_rules
    out = '""'
    if f.type is FieldType.ENUM:
        alt = f'SUBSTITUTE(SUBSTITUTE({s},"(","（"),")","）")'
        known = ",".join(f"EXACT({t},{_lit(c)})" for t in (s, alt) for c in f.choices)
        out = f'IF(OR({known}),"",{_lit(vr.VAL009.id)})'
    out = f'IF(AND(LEFT({s},1)="=",LEN({s})>1),{_lit(vr.VAL002.id)},{out})'
    number = _lit(vr.VAL009.id) if f.type is FieldType.ENUM else '""'  # a number is never one of the choices
    return f'IF(ISERROR({x}),"",IF(ISNUMBER({x}),{number},IF(LEN({s})=0,"",{out})))'


def code_formula(fid: str) -> str:
    """The VAL rule ``values_rules.run`` reports for the value in this cell (in its order), else ""."""
    f = SCHEMA[fid]
    if f.type in TEXT_TYPES:
        return _text_code(fid)
    x = ref(fid)
    vr = values_rules
    scale = 100 if f.type is FieldType.PERCENT else 1
    out = '""'
    if f.type is not FieldType.COUNT:
        allowed = decimals(fid)
        if f.type is FieldType.PERCENT:
            allowed = f"MAX({allowed},{f.precision})+2"  # a rate may print more decimals than declared
        out = f'IF(ROUND({x},{allowed})<>{x},{_lit(vr.VAL007.id)},{out})'
    if f.max is not None:
        out = f'IF({x}>{_num(f.max / scale)},{_lit(vr.VAL006.id)},{out})'
    if f.min is not None:
        below = vr.RATE011 if fid in vr.CHANGE_RATE_FIELDS else vr.VAL005 if f.min == 0 else vr.VAL006
        out = f'IF({x}<{_num(f.min / scale)},{_lit(below.id)},{out})'
    out = f'IF(ABS({x})>={_num(vr.MAGNITUDE / scale)},{_lit(vr.VAL006.id)},{out})'
    if f.type is FieldType.COUNT:  # read before any bound (values.coerce)
        out = f'IF({x}<>INT({x}),{_lit(vr.VAL008.id)},{out})'
    # text, TRUE/FALSE (values.coerce); an error value is read as blank by the engine (STR018 says so)
    not_a_number = f'IF(ISERROR({x}),"",IF({blank(fid)},"",{_lit(vr.VAL002.id)}))'
    # TRUE/FALSE is not a number to Excel and WPS (VAL002 here too); LibreOffice keeps no logical type in a
    # number-formatted cell (it reads 1/0), the one input on which it cannot agree
    return f'IF(ISNUMBER({x}),{out},{not_a_number})'


def usable_formula(fid: str) -> str:
    """TRUE when the engine would not block the field (values_rules.run); blank counts as usable unless required."""
    f = SCHEMA[fid]
    x = ref(fid)
    if not f.type.numeric:
        return "TRUE"  # only numeric fields are read as figures; a name cell is only ever blank or not
    number = f'{code(fid)}=""'
    if fid in _DIRECTION_OF:  # a negative gap against a chosen 超支/增加 is set aside (XREF010)
        number = f"AND({number},NOT(AND({_way_is(fid, 1)},{x}<0)))"
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
    unit = "[global.unit]" if f.type is FieldType.MONEY else _lit(f.unit_label)
    return f'TEXT({expr},"{fmt}")&{unit}'


# -- figures an identity may supply when blank (上年 = 本年 − 增减额, 预算 = 决算 − 差额; engine._derive) ------


@lru_cache(maxsize=1)
def _positions() -> dict[tuple[str, str], int]:
    """(rule id, stated field) → index of its 校验结果 row, known before any row is built."""
    out, i = {}, 0
    for rule in native_rules():
        if rule is values_rules.VAL001:
            i += len(values_rules.REQUIRED)
        elif rule in DIRECTION_RULES:
            i += len(values_rules.DIRECTED)
        elif isinstance(rule, CountRule) or rule in CELL_RULES:
            i += 1
        elif isinstance(rule, ArithmeticRule):
            for c in rule.cases:
                out[(rule.id, c.stated)] = i
                i += 1
        else:
            i += len(_declared_checks(rule, i))
    return out


def _declared_checks(rule: Rule, first_row: int) -> list["NativeCheck"]:
    """The rows of a rule declared in its own module (share groups, plausibility cases), with their own backends."""
    from .excel_plausibility import plausibility_checks
    from .excel_shares import share_checks

    return share_checks(rule) or plausibility_checks(rule, first_row)


@lru_cache(maxsize=1)
def _derivers() -> dict[str, tuple[int, ...]]:
    """Derived field → the rows that may supply it, in the engine's order (the first that can, does)."""
    out: dict[str, list[int]] = {}
    for rule in native_rules():
        if isinstance(rule, ArithmeticRule):
            for c in rule.cases:
                if c.derives:
                    out.setdefault(c.derives, []).append(_positions()[(rule.id, c.stated)])
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _at(key: str, i: int) -> str:
    """A helper cell of another 校验结果 row (the i-th native check)."""
    return f"[{key}#{i}]"


def eblank(fid: str, before: int | None = None) -> str:
    """Blank to the identities: blank in the cell and not supplied by a deriving row (before row ``before``)."""
    rows = [i for i in _derivers().get(fid, ()) if before is None or i < before]
    if not rows:
        return blank(fid)
    return "AND(" + blank(fid) + "," + ",".join(f"NOT({_at('took', i)})" for i in rows) + ")"


def value(fid: str) -> str:
    """The figure an identity uses: the cell's number, else what a deriving row supplied (0 when blank)."""
    out = signed(fid)
    for i in reversed(_derivers().get(fid, ())):
        out = f"IF({_at('took', i)},{_at('dval', i)},{out})"
    return out


def ehalf(fid: str) -> str:
    """Half-width of a figure's interval: a supplied figure carries the halves of the figures it came from."""
    out = half(fid)
    for i in reversed(_derivers().get(fid, ())):
        out = f"IF({_at('took', i)},{_at('dhalf', i)},{out})"
    return out


@dataclass(frozen=True)
class NativeCheck:
    """One row of 校验结果: a case of a native rule, with the helper formulas of its row."""

    rule: Rule
    stated: str
    inputs: tuple[str, ...]  # the fields whose cells the check colours when it fails (filled ones; VAL001: the blank one)
    formulas: dict  # helper key → formula (without "=")
    label: str
    per_cell: bool = False  # a value rule: one row for every cell of the rule; [point] holds how many fail
    primaries: tuple[str, ...] = ()  # the finding's cell is the first filled of these (``stated`` is the first)


def _sum_check(rule: ArithmeticRule, case: Case) -> NativeCheck:
    s = case.stated
    terms = case.terms
    fields = list(dict.fromkeys([s, *(t.field for t in terms)]))
    derived = _derivers()
    ok = "AND(" + ",".join(usable(f) for f in fields) + ")"
    filled = "+".join(f"NOT({eblank(t.field)})*1" if t.field in derived else f"ISNUMBER({ref(t.field)})*1" for t in terms)
    blank_plus = [t for t in terms if t.sign > 0]
    blank_minus = [t for t in terms if t.sign < 0]
    neg = [t for t in terms if SCHEMA[t.field].may_be_negative]

    def count_blank(ts) -> str:
        return "(" + "+".join(f"({eblank(t.field)})*1" for t in ts) + ")" if ts else "0"

    exact = '"lower"' if rule.kind is IdentityKind.AT_LEAST else '"exact"'
    # with blank parts: a bound when every blank pulls one way and none may be negative (engine._bound);
    # a “其中” row (AT_LEAST) can only be short, so an upper bound says nothing there
    upper = '""' if rule.kind is IdentityKind.AT_LEAST else '"upper"'
    partial = '""' if rule.blank_policy(case) is BlankPolicy.ALL_REQUIRED else (
        f'IF(OR([bneg]>0,AND([bplus]>0,[bminus]>0)),"",IF([bplus]>0,"lower",{upper}))')
    mode = f'IF(OR(NOT([ok]),{eblank(s)},[filled]=0),"",IF([bplus]+[bminus]=0,{exact},{partial}))'
    point = "+".join(("-" if t.sign < 0 else "") + value(t.field) for t in terms).lstrip("+") or "0"
    groups: dict[str, list[str]] = {}
    for t in terms:
        if t.field not in derived:
            groups.setdefault(half(t.field), []).append(ref(t.field))
    halves = [ehalf(s)] + [f"({h})*COUNT({','.join(refs)})" for h, refs in groups.items() if h != "0"]
    halves += [f"IF({eblank(t.field)},0,{ehalf(t.field)})" for t in terms if t.field in derived]
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
        "actual": figure(s, value(s)),
        "expected": bound + figure(s, "[point]"),
        "diff": 'IF([diff]>=0,"+","")&' + figure(s, "[diff]"),
    }
    helpers = {
        "ok": ok,
        "filled": filled,
        "bplus": count_blank(blank_plus),
        "bminus": count_blank(blank_minus),
        "bneg": count_blank(neg),
        "mode": mode,
        "point": point,
        "half": "+".join(halves),
        "diff": f'IF([mode]="",0,ROUND({value(s)}-([point]),{DIFF_DIGITS}))',
    }
    passed = "相符"
    if case.derives:
        helpers.update(_deriving(rule, case))
        if rate_supplier(case.derives) is not None:
            helpers["rtook"] = _rate_would_supply(rule, case)
            status = f'IF([rtook],{_lit(fail)},{status})'
        status = f'IF([took],{_lit(PASS)},{status})'
        passed = f'IF([took],{_lit("据此推算" + SCHEMA[case.derives].label)},"相符")'
    helpers["status"] = status
    helpers["message"] = _message(rule, params, passed=passed, passed_is_formula=bool(case.derives))
    if "rtook" in helpers:  # the figure this row gives is impossible; the one the rate gives does not fit either
        target, rate = SCHEMA[case.derives].label, SCHEMA[rate_supplier(case.derives).stated].label
        helpers["message"] = (f'IF([rtook],{_lit(SCHEMA[s].label + "填报 ")}&{params["actual"]}&'
                              f'{_lit(f"，据此推算的{target}为负数，不可能；按所述{rate}推算{target}也不相符")},'
                              f'{helpers["message"]})')
    return NativeCheck(rule, s, tuple(fields), helpers, case.label or rule.title)


def _deriving(rule: ArithmeticRule, case: Case) -> dict:
    """took / dval / dhalf of a row that may supply its blank term (``engine._derive``)."""
    target, s = case.derives, case.stated
    here = _positions()[(rule.id, s)]
    others = [t for t in case.terms if t.field != target]
    for t in others:  # a figure used to derive must itself be final by then
        assert all(i < here for i in _derivers().get(t.field, ())), (rule.id, t.field)
    sign = next(t.sign for t in case.terms if t.field == target)
    rest = "".join(("-" if t.sign < 0 else "+") + value(t.field) for t in others) or "+0"
    halves = "+".join([half(s)] + [ehalf(t.field) for t in others])
    conds = ["[ok]", f"NOT({blank(s)})", eblank(target, before=here), *(f"NOT({eblank(t.field)})" for t in others)]
    if not SCHEMA[target].may_be_negative:  # an impossible figure is not supplied (RATE013 says so)
        conds.append("ROUND([dval]+[dhalf],6)>=0")
    return {
        "dval": f"ROUND(({value(s)}-(0{rest}))*{sign},{DIFF_DIGITS})",
        "dhalf": halves,
        "took": "AND(" + ",".join(conds) + ")",
    }


def printed_places(fid: str) -> str:
    """The decimals a stated rate is read at (``Context.printed``): declared, or more when more were typed
    (a usable rate has at most MAX(declared, precision))."""
    x = ref(fid)
    typed = "IF(" + ",IF(".join(f"ROUND({x},{k + 2})={x},{k}" for k in range(5)) + ",6" + ")" * 5
    return f"MAX({decimals(fid)},{typed})"


def _rate_would_supply(rule: ArithmeticRule, case: Case) -> str:
    """TRUE when this row's stated amount is there but gave an impossible figure, and the one stated rate that may
    supply the same figure does (``engine._derive_from_rate``): the engine then checks this row against a figure it
    cannot agree with, an error (``native._supplies_first``)."""
    rate = rate_supplier(case.derives)
    r, x = rate.stated, ref(rate.stated)
    later = [t for t in rate.terms if t.field != case.derives]
    fields = list(dict.fromkeys([r, *(t.field for t in rate.terms + rate.denominator)]))
    total = "".join(("-" if t.sign < 0 else "+") + value(t.field) for t in later)
    halves = "+".join(half(t.field) for t in later)
    # the growth factor's low end 1 + (r − 10^−p)/100 must be above 0 (r typed with at most p decimals)
    growth = f"IF({x}<0,ROUND({x}*100*10^{printed_places(r)},0)-1>-100*10^{printed_places(r)},TRUE)"
    conds = ["[ok]", f"NOT({blank(case.stated)})", blank(case.derives), "NOT([took])", *(usable(f) for f in fields), f"NOT({blank(r)})",
             *(f"NOT({eblank(t.field)})" for t in later), f"ROUND(0{total}-({halves}),{DIFF_DIGITS})>=0", growth]
    return "AND(" + ",".join(conds) + ")"


def _scale(fields) -> str:
    """2·10^d for the most decimals among ``fields``: every figure and half-unit is then a whole number."""
    ds = sorted({decimals(f) for f in fields if SCHEMA[f].type is not FieldType.COUNT})
    if not ds:
        return "2"
    return "2*10^" + (ds[0] if len(ds) == 1 else "MAX(" + ",".join(ds) + ")")


def _scaled(terms, scale: str) -> tuple[str, str]:
    """(Σ sign·term, Σ half-units) times ``scale``, rounded to whole numbers (exact in binary up to 2^53)."""
    point = "+".join(("-" if t.sign < 0 else "") + value(t.field) for t in terms).lstrip("+")
    halves = "+".join(f"({ehalf(t.field)})" for t in terms if ehalf(t.field) != "0")
    return f"ROUND(({point})*{scale},0)", f"ROUND(({halves})*{scale},0)" if halves else "0"




def _ratio_check(rule: ArithmeticRule, case: Case) -> NativeCheck:
    """A stated percentage against Σ num / Σ den × 100, as ``engine._ratio`` decides it, without dividing.

    The stated rate is read at its printed precision p (declared, or more when more digits were typed);
    it agrees when it is the quotient rounded half-up or truncated to p decimals, and is a 舍入差异 when
    the quotient of the figures' intervals meets the printed interval of the rate. Every quantity is
    scaled to a whole number first (figures by 2·10^d, the rate by 2·10^p) and each comparison
    ``q ≥ c`` is made as ``100·num ≥ c·den``: products of whole numbers are exact in binary below 2^53
    (at the default two decimals and rates up to 100 %: figures below 2.25·10^9), so the boundaries
    (just inside, just outside) come out as the engine's Decimal arithmetic gives them.
    """
    s = case.stated
    num_terms, den_terms = case.terms, case.denominator
    fields = list(dict.fromkeys([s, *(t.field for t in num_terms + den_terms)]))
    ok = "AND(" + ",".join(usable(f) for f in fields) + ")"
    terms = list(dict.fromkeys(t.field for t in num_terms + den_terms))
    any_blank = ",".join(eblank(f) for f in [s, *terms])
    scale = _scale(terms)
    num, hn = _scaled(num_terms, scale)
    den, hd = _scaled(den_terms, scale)
    x = ref(s)
    fail = STATUS_OF[rule.severity]
    # the rate times 2·10^p: its half-unit is 1 and its unit 2
    ss = "[ss]"
    lo = f"IF({ss}>0,{ss}-1,IF({ss}<0,{ss}-2,-2))"
    hi = f"IF({ss}>0,{ss}+2,IF({ss}<0,{ss}+1,2))"
    q = "[q]"
    d = "ABS([den])"
    agree = (f"IF({q}>0,AND({q}>=({ss}-1)*{d},{q}<({ss}+2)*{d}),"
             f"IF({q}<0,AND({q}>({ss}-2)*{d},{q}<=({ss}+1)*{d}),{ss}=0))")
    corners = ",".join(f"({a})*([den]{sign}[hd])" for a in (lo, hi) for sign in ("-", "+"))
    within = (f"IF(AND([den]-[hd]<=0,[den]+[hd]>=0),TRUE,"
              f"AND(200*10^[p]*([num]+[hn])>=MIN({corners}),200*10^[p]*([num]-[hn])<=MAX({corners})))")
    # on a zero base the row gives RATE012's verdict (engine._ratio): nothing to say when the rate and its
    # numerator are 0, a warning for “增长100%” of a line that had no base, else RATE012's severity
    from .registry import RATE012

    growth = any(t.sign < 0 for t in num_terms)
    on_zero = _lit(STATUS_OF[RATE012.severity])
    if growth:
        on_zero = f"IF({x}=1,{_lit(WARNING)},{on_zero})"
    on_zero = f"IF(AND([num]=0,{x}=0),{_lit(PASS)},{on_zero})"
    status = (f'IF([mode]="",{_lit(UNCHECKED)},IF([mode]="zero",{on_zero},'
              f'IF([agree],{_lit(PASS)},IF([within],{_lit(ROUNDING)},{_lit(fail)}))))')
    fmt = 'IF([p]=0,"0","0."&LEFT("0000",[p]))'
    params = {
        "stated_label": _lit(SCHEMA[s].label),
        "basis": _lit(case.label or rule.title),
        "actual": f"ROUND({x}*100,6)",
        "expected": f"TEXT([point],{fmt})",
        "diff": 'IF([diff]>=0,"+","")&[diff]',
    }
    return NativeCheck(rule, s, tuple(fields), {
        "ok": ok,
        "mode": f'IF(OR(NOT([ok]),{any_blank}),"",IF([den]=0,"zero","ratio"))',
        "p": printed_places(s),
        "num": num,
        "hn": hn,
        "den": den,
        "hd": hd,
        "ss": f"ROUND({x}*100*2*10^[p],0)",
        "q": '200*10^[p]*[num]*IF([den]<0,-1,1)',  # 100·num·2·10^p, signed so it is compared with |den|
        "agree": f'IF([mode]="ratio",{agree},FALSE)',
        "within": f'IF([mode]="ratio",{within},FALSE)',
        "point": f'IF([mode]="ratio",ROUND(100*[num]/[den],[p]),0)',
        "diff": f'IF([mode]="ratio",ROUND({x}*100-[point],6),0)',
        "status": status,
        "message": f'IF([mode]="zero",{_zero_base_message(case)},{_message(rule, params)})',
    }, case.label or rule.title)


def _zero_base_message(case: Case) -> str:
    """RATE012's message on a ratio row whose base is 0 (the row's status is then RATE012's verdict)."""
    from .registry import RATE012

    params = {"stated_label": _lit(SCHEMA[case.stated].label), "actual": f"ROUND({ref(case.stated)}*100,6)",
              "den_label": _lit("、".join(SCHEMA[t.field].label for t in case.denominator))}
    return f'{_lit(RATE012.id + "：")}&{_message(RATE012, params, passed="分母为 0，比率与分子也为 0，无需核对")}'


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
    """A required figure or name left blank (``values_rules.run``: blank or only spaces)."""
    fail = STATUS_OF[rule.severity]
    return NativeCheck(rule, fid, (fid,), {
        "status": f'IF({blank(fid)},{_lit(fail)},{_lit(PASS)})',
        "message": _message(rule, {"label": _lit(SCHEMA[fid].label)}, passed="已填写"),
    }, SCHEMA[fid].label)


DIRECTION_RULES = (values_rules.XREF010, values_rules.XREF011)


def _direction_check(rule: Rule, amount: str) -> NativeCheck:
    """A negative gap beside a chosen direction (``values_rules._apply_directions``): against 超支/增加 (XREF010, the
    gap is set aside) or with 节约/减少 (XREF011, read as −|x|). A gap with its own VAL finding is not read at all."""
    x, way = ref(amount), choice(_DIRECTION_OF[amount])
    sign = 1 if rule is values_rules.XREF010 else -1
    hit = f'AND(ISNUMBER({x}),{code(amount)}="",{_way_is(amount, sign)},{x}<0)'
    params = {"label": _lit(SCHEMA[amount].label), "shown": figure(amount, x), "direction": way,
              "amount": figure(amount, f"-{x}")}
    return NativeCheck(rule, amount, (amount, _DIRECTION_OF[amount]), {
        "status": f"IF({hit},{_lit(STATUS_OF[rule.severity])},{_lit(PASS)})",
        "message": _message(rule, params, passed="未发现负号与所选方向矛盾" if sign > 0 else "未发现负号与“节约/减少”重复"),
    }, SCHEMA[amount].label)


def _cell_rule_check(rule: Rule) -> NativeCheck:
    """One row for a value rule over every numeric input: how many cells the engine would report."""
    fail = STATUS_OF[rule.severity]
    from .registry import REGISTRY

    title = "、".join([rule.title] + [REGISTRY[r].title for r, under in SHOWN_UNDER.items() if under == rule.id])
    detail = f'"共 "&[point]&" 处：{title}（已按严重程度给单元格着色，各处说明见 perfeval check）"'
    return NativeCheck(rule, "", (), {
        "point": f"[count.{rule.id.lower()}]",
        "status": f'IF([point]>0,{_lit(fail)},{_lit(PASS)})',
        "message": f'IF([status]={_lit(PASS)},"无",{detail})',
    }, rule.title, per_cell=True)


UNCHECKED_TEXT = '"无法核对：数据不全或有无效数据（见 perfeval check 的说明）"'


def _message(rule: Rule, params: dict, passed: str = "相符", passed_is_formula: bool = False, unchecked: str = UNCHECKED_TEXT,
             suffix: str = "") -> str:
    """The rule's Chinese message with live figures, shown when the check does not pass.

    ``unchecked``: the formula said when the row is 未能核对; ``suffix``: a formula appended to the message.
    """
    import string

    pieces = []
    for text, name, _, _ in string.Formatter().parse(rule.message):
        if text:
            pieces.append(_lit(text))
        if name is not None:
            if name not in params:
                raise KeyError(f"{rule.id}: no Excel text for message parameter {name!r}")
            pieces.append(f"({params[name]})")
    detail = "&".join(pieces + ([suffix] if suffix else []))
    return (f'IF([status]={_lit(PASS)},{passed if passed_is_formula else _lit(passed)},IF([status]={_lit(UNCHECKED)},'
            f'{unchecked},{detail}))')


_FIELD_TOKEN = re.compile(r"\[(blank|usable|code|text)\.([a-z0-9_.]+)\]")


@lru_cache(maxsize=1)
def field_table() -> tuple[tuple[str, str | None, str | None, str, str | None], ...]:
    """(field id, blank, usable, value finding, text) formulas of every field the native rows read (in
    first-use order), then of every other input whose value finding a formula decides (numbers, text,
    choices). A flag no formula reads is None (not written: less for the spreadsheet to load); so is the
    text of a numeric field.

    Written once each (hidden on 校验结果) so a row refers to a flag instead of repeating its formula.
    """
    from ..schema import INPUTS

    def decided(fid: str) -> bool:
        return SCHEMA[fid].type.numeric or SCHEMA[fid].type in TEXT_TYPES

    seen: dict[str, None] = {}
    pending = [f for chk in native_checks() for f in chk.formulas.values()]
    while pending:
        formula = pending.pop(0)
        for _, fid in _FIELD_TOKEN.findall(formula):
            if fid not in seen:
                seen[fid] = None
                pending.append(usable_formula(fid))
                if decided(fid):
                    pending.append(code_formula(fid))

    def text_of(fid: str) -> str | None:
        return text_formula(fid) if SCHEMA[fid].type in TEXT_TYPES else None

    read = [(fid, blank_formula(fid), usable_formula(fid), code_formula(fid) if decided(fid) else '""', text_of(fid))
            for fid in seen]
    rest = [(fid, blank_formula(fid) if SCHEMA[fid].type.numeric else None, None, code_formula(fid), text_of(fid))
            for fid, f in INPUTS.items() if decided(fid) and fid not in seen]
    return tuple(read + rest)


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
        elif rule in CELL_RULES:
            out.append(_cell_rule_check(rule))
        elif rule in DIRECTION_RULES:
            out.extend(_direction_check(rule, amount) for amount, _ in values_rules.DIRECTED)
        elif isinstance(rule, CountRule):
            out.append(_count_check(rule))
        elif isinstance(rule, ArithmeticRule) and rule.kind is IdentityKind.RATIO:
            out.extend(_ratio_check(rule, c) for c in rule.cases)
        elif isinstance(rule, ArithmeticRule):
            out.extend(_sum_check(rule, c) for c in rule.cases)
        else:
            out.extend(_declared_checks(rule, len(out)))
    return out


HELPERS = ("ok", "filled", "bplus", "bminus", "bneg", "mode", "point", "half", "diff", "took", "dval", "dhalf", "rtook")
# a ratio row's helpers, in the same hidden columns (a row is one kind or the other)
RATIO_HELPERS = ("ok", "p", "num", "hn", "den", "mode", "point", "hd", "diff", "agree", "within", "ss", "q")

__all__ = ["FUNCTIONS", "GLOBALS", "HELPERS", "RATIO_HELPERS", "NativeCheck", "STATUSES", "field_table", "native_checks"]
