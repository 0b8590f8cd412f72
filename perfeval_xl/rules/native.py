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

from . import values_rules
from .arithmetic import ARITHMETIC_RULES
from .base import ArithmeticRule, CountRule, IdentityKind, Rule

# Why a rule is Python-only, by feature (Chinese: shown to users).
WHY_RATIO = "比率按区间相除并按填报的小数位数比较，公式无法逐位复现"
WHY_DERIVED = "需按所述增减额推算未填的上年（预算）数，推算值参与核对"
WHY_ROWS = "项目明细行是否存在要看项目名称是否有效，公式只能近似"
WHY_FILE = "针对文件本身（结构、篡改、安全），公式看不到"
WHY_CELLS = "逐格取值检查：尚未编译为公式"
WHY_ENGINE = "由 Python 引擎在核对中给出（合理性判断、缺失说明）"
WHY_DIRECTED = "增减额的正负由旁边的“超支/节约”选项决定，公式尚未按方向取正负"


@lru_cache(maxsize=1)
def derived_targets() -> frozenset[str]:
    """Fields an identity may supply when blank (上年决算 from 增减额 …)."""
    return frozenset(c.derives for r in ARITHMETIC_RULES if isinstance(r, ArithmeticRule) for c in r.cases if c.derives)


def python_only_reason(rule: Rule) -> str:
    """"" when the rule is native; otherwise why a formula cannot give the same finding."""
    if isinstance(rule, CountRule):
        return ""
    if isinstance(rule, ArithmeticRule):
        if rule.kind is IdentityKind.RATIO:
            return WHY_RATIO
        if any(c.derives for c in rule.cases) or derived_targets().intersection(rule.inputs()):
            return WHY_DERIVED
        if any(t.present_if for c in rule.cases for t in c.terms):
            return WHY_ROWS
        if {amount for amount, _ in values_rules.DIRECTED}.intersection(rule.inputs()):
            return WHY_DIRECTED
        return ""
    if rule.family in ("STR", "SEC"):
        return WHY_FILE
    if rule is values_rules.VAL001:  # a required cell left blank (or only spaces)
        return ""
    if rule.family == "VAL" or rule in values_rules.RULES:  # RATE011 is a bound on one cell
        return WHY_CELLS
    if rule.family == "RATE":  # RATE012: a ratio on a zero base
        return WHY_RATIO
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


__all__ = ["derived_targets", "is_native", "native_ids", "native_rules", "python_only_reason"]
