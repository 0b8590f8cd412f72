"""Which rules the workbook can judge by itself (native) and which need Python.

A rule is *native* when its whole semantics — the filled terms, the declared
precision, blank handling, blocking by invalid cells, the severities — can be
written as formulas that Excel 2010+, WPS and LibreOffice compute alike, so the
workbook shows exactly the findings ``perfeval check`` gives. Anything a formula
would only approximate stays Python-only; the reason is declared here, once, and
shown by ``perfeval rules`` and the rule docs.

Derived from the declarations, not listed by hand: a new SUM identity is native
unless it uses one of the features below.
"""

from __future__ import annotations

from functools import lru_cache

from . import missing, values_rules
from .base import ArithmeticRule, CountRule, IdentityKind, Rule
from .plausibility import is_declared
from .shares import GROUPS

# Why a rule is Python-only, by feature (Chinese: shown to users).
WHY_ROWS = ("项目明细行是否存在要看项目名称是否有效（去掉首尾空白后的字数不超过上限）；"
            "Excel 的 TRIM 还压缩中间空格、LEN 按 UTF-16 计字，公式无法逐一复现")
WHY_FILE = "针对文件本身（结构、篡改、安全），公式看不到"
WHY_CELLS = "单元格中是文字、逻辑值或日期时，判断属于哪种问题要看文字如何解析（如“1,234”是以文本存储的数字），公式无法逐一复现"
WHY_TEXT = "文字与日期的判断（字数按字符还是按 UTF-16 计、日期能否识别、日期先后）依赖文本解析，公式无法逐一复现"
WHY_RANGE = "超出范围也包括以文字填写的日期（如“1999-01-01”），公式无法逐一解析；数值超出范围仍会在表内使相关核对显示“未能核对”"
WHY_PROFILE = "要核对哪些指标的数据随评分方案而定，表内的核对行对所有评分方案都相同，故只由 Python 按工作簿的评分方案给出"
WHY_MISSING = "表内对应的核对行显示“未能核对”并说明原因；作为单独一条提示（哪些数字缺失）只由 Python 给出"
WHY_SCORE = "评价组评分行随评分方案而定，得分填成文字时要解析文字才能判断，公式无法逐一复现"
WHY_ENGINE = "由 Python 引擎在核对中给出"
WHY_RATE_DERIVED = ("读到的上年数或预算数在报告只印增减率时由 Python 按“本年 ÷ (1 + 增减率)”推算为一个区间，"
                    "区间两端是十进制除法的商，再与其他数（可能也是这样的区间）相加或相除；公式只能按整数交叉相乘比较，"
                    "几个除数相乘后超出双精度能精确表示的范围，恰在边界上的判断无法逐位复现")


def _rate_derived() -> frozenset[str]:
    """Figures the engine may work out from a stated rate alone (上年 = 本年 ÷ (1 + 增减率), an interval)."""
    return frozenset(_derivers()[1])


# Findings the workbook shows in another rule's row: whether a number cell holds a number is exact in a formula
# (ISNUMBER, blank as the engine reads it), which kind of text it holds is not (“1,234”, “１２”, “=1+2”), so
# the three are one 校验结果 row under VAL002, with the same cells and the same severity (all 错误).
SHOWN_UNDER = {values_rules.VAL003.id: values_rules.VAL002.id, values_rules.VAL004.id: values_rules.VAL002.id}
assert all(values_rules.VAL002.severity is r.severity for r in (values_rules.VAL003, values_rules.VAL004))


def zero_base_rule() -> Rule:
    """The rule of a stated rate on a zero base: a native ratio row gives its verdict (the row's [mode] is "zero")."""
    from .registry import RATE012

    return RATE012


def row_rule(rule_id: str) -> str:
    """The rule a 校验结果 row reports this rule's findings as (itself, unless it is shown under another)."""
    return SHOWN_UNDER.get(rule_id, rule_id)


@lru_cache(maxsize=None)  # asked for every native rule each time a workbook's live block is read
def rows_of(rule_id: str) -> frozenset[str]:
    """The rules whose 校验结果 rows show this rule's findings: RATE012 shows on every native ratio's row."""
    if rule_id == zero_base_rule().id:
        return frozenset(r.id for r in native_rules() if isinstance(r, ArithmeticRule) and r.kind is IdentityKind.RATIO)
    return frozenset({row_rule(rule_id)})


@lru_cache(maxsize=1)
def _derivers() -> tuple[dict[str, list], dict[str, list]]:
    """(figure → the cases supplying it from a stated amount, figure → the cases supplying it from a stated rate)."""
    from .arithmetic import ARITHMETIC_RULES

    by_amount: dict[str, list] = {}
    by_rate: dict[str, list] = {}
    for r in ARITHMETIC_RULES:
        if isinstance(r, ArithmeticRule):
            for c in r.cases:
                if c.derives:
                    (by_rate if r.kind is IdentityKind.RATIO else by_amount).setdefault(c.derives, []).append(c)
    return by_amount, by_rate


def later_figures(case) -> frozenset[str]:
    """The figures a supplying case computes its figure from (all its terms but the one it supplies)."""
    return frozenset(t.field for t in case.terms if t.field != case.derives)


def rate_supplier(fid: str):
    """The one case that may supply ``fid`` from a stated rate alone, or None."""
    cases = _derivers()[1].get(fid, ())
    return cases[0] if len(cases) == 1 else None


def _supplies_first(rule: ArithmeticRule, case, fid: str) -> bool:
    """The case reads a rate-derivable figure only as its own supplier: it is the one identity supplying ``fid`` from a
    stated amount, and the one stated rate that could supply it uses the very same figures. Whenever the rate could
    supply ``fid`` this case does so first (and is then true by construction); when the figure it gives is impossible
    (negative), a figure from the rate makes it an error (the Excel backend says when the rate would supply it)."""
    by_amount, _ = _derivers()
    rate = rate_supplier(fid)
    if rule.kind is IdentityKind.RATIO or case.derives != fid or by_amount.get(fid) != [case] or rate is None:
        return False
    return later_figures(rate) == later_figures(case)


def _reads_rate_derived(rule: ArithmeticRule) -> bool:
    for c in rule.cases:
        read = {c.stated, *(t.field for t in c.terms), *(t.field for t in c.denominator)}
        if any(not _supplies_first(rule, c, fid) for fid in _rate_derived().intersection(read)):
            return True
    return False


def python_only_reason(rule: Rule) -> str:
    """"" when the rule is native; otherwise why a formula cannot give the same finding."""
    if isinstance(rule, CountRule):
        return ""
    if isinstance(rule, ArithmeticRule):
        if any(t.present_if for c in rule.cases for t in c.terms):
            return WHY_ROWS
        if _reads_rate_derived(rule):
            return WHY_RATE_DERIVED
        return ""
    if rule.family in ("STR", "SEC"):
        return WHY_FILE
    if rule is values_rules.VAL001:  # a required cell left blank (or only spaces)
        return ""
    if rule in (values_rules.VAL005, values_rules.VAL007, values_rules.VAL008, values_rules.RATE011):
        return ""  # a number in a numeric cell: negative, too many decimals, not whole, a decrease beyond 100 %
    if rule is values_rules.VAL002 or rule.id in SHOWN_UNDER:
        return ""  # anything but a number in a numeric cell (one row, VAL002)
    if rule in (values_rules.XREF010, values_rules.XREF011):
        return ""  # a negative gap beside a chosen direction: the choice is an exact option once stripped
    if rule is values_rules.VAL006:
        return WHY_RANGE
    if rule is values_rules.VAL009:
        return ""  # a choice not in the dropdown: stripped, compared exactly (EXACT), half-width brackets allowed
    if rule in (values_rules.VAL010, values_rules.VAL011, values_rules.VAL012, values_rules.VAL013):
        return WHY_TEXT
    if any(g.rule_id == rule.id for g in GROUPS):  # stated shares of one whole against 100 %
        return ""
    if rule.family == "VAL" or rule in values_rules.RULES:
        return WHY_CELLS
    if rule is zero_base_rule():
        return ""  # on a native ratio's row (a Python-only ratio's RATE012 finding is formula_blind)
    if is_declared(rule):  # a plausibility case declared as data: both backends derive from it
        return ""
    if rule.family == "SCORE":
        return WHY_SCORE
    if rule.family == "MISS":
        return WHY_PROFILE if rule is missing.MISS001 else WHY_MISSING
    return WHY_ENGINE


def is_native(rule: Rule) -> bool:
    return not python_only_reason(rule)


def native_rules() -> list[Rule]:
    """The native rules in registry order (the order of 校验结果)."""
    from .registry import REGISTRY

    return [r for r in REGISTRY.values() if is_native(r)]


@lru_cache(maxsize=1)
def native_ids() -> frozenset[str]:
    return frozenset(r.id for r in native_rules())


__all__ = ["SHOWN_UNDER", "is_native", "later_figures", "native_ids", "native_rules", "python_only_reason", "rate_supplier",
           "row_rule", "rows_of", "zero_base_rule"]
