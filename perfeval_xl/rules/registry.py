"""Every rule in one registry: stable ids, checked once at import.

Families, in the order the engine runs them and the docs list them:
STR (structure) → VAL (values) → SUM/ROLL/XREF/RATE (identities) → PLAUS → MISS.
The identities are declared in ``arithmetic.py``; the others next to their code
(``structure``, ``values_rules``, ``plausibility``, ``missing``). One identity
is evaluated by the engine itself and declared here: RATE012 (a ratio whose
denominator is 0). RATE011 (a decrease below −100 %) is a bound on one figure and
lives with the VAL rules.

An id is never reused or renumbered; a retired rule keeps its id out of use.
Bump ``RULESET_VERSION`` whenever a rule is added, removed or changes behaviour
(it is recorded in every report).
"""

from __future__ import annotations

import re
import string

from ..schema import SCHEMA
from . import missing, plausibility, scoring, security, shares, structure, values_rules
from .arithmetic import ARITHMETIC_RULES
from .base import FAMILIES, CheckRule, Rule, Severity

RULESET_VERSION = "1.1.0"

RATE012 = CheckRule(
    id="RATE012", slug="rate-on-zero-base", title="分母为 0 却填了比率",
    rationale="比率以 0 为分母时无定义：上年为 0 时变动率无定义，预算为 0 时完成率无定义（以 0 为基数的"
    "增长率若填了数字即为错误）。应留空，并在报告中用文字说明。报告把从无到有写成“增长100%”"
    "是常见习惯，此时只作警告：请改为文字说明“上年无此项支出”。",
    severity=Severity.ERROR,
    message="{stated_label}填报 {actual}%，但{den_label}为 0，该比率无定义；请清空此格并在报告中用文字说明",
)

FAMILY_ORDER = ("SEC", "STR", "VAL", "SUM", "ROLL", "XREF", "RATE", "PLAUS", "MISS", "SCORE")
_ID = re.compile(r"^(?P<family>[A-Z]+)(?P<num>\d{3})$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")


def _collect() -> dict[str, Rule]:
    rules: list[Rule] = [
        *structure.RULES,
        *values_rules.RULES,
        *ARITHMETIC_RULES,
        *shares.RULES,
        RATE012,
        *plausibility.RULES,
        *missing.RULES,
        *scoring.RULES,
        *security.RULES,
    ]
    out: dict[str, Rule] = {}
    slugs: dict[str, str] = {}
    for r in rules:
        problems = validate(r)
        if r.id in out:
            problems.append("duplicate id")
        if r.slug in slugs:
            problems.append(f"slug already used by {slugs[r.slug]}")
        if problems:
            raise ValueError(f"rule {r.id}: " + "; ".join(problems))
        out[r.id] = r
        slugs[r.slug] = r.id
    return dict(sorted(out.items(), key=lambda kv: sort_key(kv[0])))


def sort_key(rule_id: str) -> tuple[int, int]:
    m = _ID.match(rule_id)
    family = m.group("family") if m else rule_id
    rank = FAMILY_ORDER.index(family) if family in FAMILY_ORDER else len(FAMILY_ORDER)
    return rank, int(m.group("num")) if m else 0


def validate(r: Rule) -> list[str]:
    """What is wrong with one declaration (empty when it is fine)."""
    problems = []
    m = _ID.match(r.id)
    if not m or m.group("family") not in FAMILIES or m.group("family") not in FAMILY_ORDER:
        problems.append("id must be a known family prefix + 3 digits")
    if not _SLUG.match(r.slug):
        problems.append(f"slug {r.slug!r} is not kebab-case")
    if not r.title or not r.rationale or not r.message:
        problems.append("title, rationale and message are required")
    if not isinstance(r.severity, Severity):
        problems.append("severity must be a Severity")
    unknown = [f for f in r.inputs() if f not in SCHEMA]
    if unknown:
        problems.append(f"reads unknown fields {unknown[:5]}")
    try:
        message_params(r)
    except ValueError as exc:
        problems.append(f"bad message template: {exc}")
    return problems


def message_params(r: Rule) -> tuple[str, ...]:
    """The named parameters of a rule's message template, in order."""
    names = []
    for _, name, spec, conv in string.Formatter().parse(r.message):
        if name is None:
            continue
        if not name.isidentifier():
            raise ValueError(f"positional or dotted field {name!r}")
        if name not in names:
            names.append(name)
    return tuple(names)


REGISTRY: dict[str, Rule] = _collect()


def family(rule_id: str) -> str:
    m = _ID.match(rule_id)
    return m.group("family") if m else ""


def rules_of(family_id: str) -> list[Rule]:
    return [r for r in REGISTRY.values() if r.family == family_id]


__all__ = ["FAMILY_ORDER", "RATE012", "REGISTRY", "RULESET_VERSION", "family", "message_params", "rules_of", "sort_key", "validate"]
