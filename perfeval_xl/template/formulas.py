"""The formula text of every template-owned cell, as strings (no openpyxl).

The writer puts these into the workbook; the checker compares a submitted
workbook's formulas against them (STR tamper checks) without building a workbook.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..rules.arithmetic import ARITHMETIC_RULES
from ..rules.base import ArithmeticRule
from ..schema import SCHEMA
from ..schema.layout import IDENTITY_DIFF, IDENTITY_EXPECTED
from .layout import directed, expected_formula, layout

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_.]*)\}")


def reference(field_id: str, from_sheet: str | None = None) -> str:
    """How a formula on ``from_sheet`` refers to a field: inputs by their defined name, derived cells by address."""
    f = SCHEMA[field_id]
    if f.is_input:
        return f.defined_name
    lay = layout()
    cell = lay.cell(field_id)
    if cell.sheet == from_sheet:
        return cell.address
    return lay.ref(field_id)


def render(formula: str, sheet_id: str | None) -> str:
    return "=" + _PLACEHOLDER.sub(lambda m: reference(m.group(1), sheet_id), formula)


def row_identity(field_id: str):
    """(rule, case) whose 应为/差异 a table column shows: the one identity stated in the same row."""
    row = field_id.rsplit(".", 1)[0]
    found = [(r, c) for r in ARITHMETIC_RULES if isinstance(r, ArithmeticRule) for c in r.cases if c.stated.rsplit(".", 1)[0] == row]
    assert len(found) == 1, (field_id, found)
    return found[0]


def field_formula(field_id: str) -> str:
    """A derived field's formula (``{field.id}`` placeholders); identity columns are built from their rule."""
    f = SCHEMA[field_id]
    if f.formula not in (IDENTITY_EXPECTED, IDENTITY_DIFF):
        return f.formula
    rule, case = row_identity(field_id)
    if f.formula == IDENTITY_EXPECTED:
        return expected_formula(rule, case)
    row = field_id.rsplit(".", 1)[0]
    expected_id = next(fid for fid, g in SCHEMA.items() if fid.rsplit(".", 1)[0] == row and g.formula == IDENTITY_EXPECTED)
    s, e = "{" + case.stated + "}", "{" + expected_id + "}"
    return f'IF(AND(ISNUMBER({s}),ISNUMBER({e})),ROUND({s}-{e},8),"")'


def diff_formula(p) -> str:
    """The 差异 cell of a live check: stated − 应为, without binary noise so a true zero shows as 0."""
    sheet = p.expected_cell.sheet
    stated = reference(p.spec.stated, sheet)
    value = _PLACEHOLDER.sub(lambda m: reference(m.group(1), sheet), directed(p.spec.stated))
    e = p.expected_cell.address
    digits = 8 if p.spec.percent else 6
    return f'=IF(AND(ISNUMBER({stated}),ISNUMBER({e})),ROUND({value}-{e},{digits}),"")'


@lru_cache(maxsize=1)
def owned_formulas() -> dict[tuple[str, str], str]:
    """(sheet title, A1) → formula (without "=") of every derived field and live 应为/差异 cell."""
    lay = layout()
    out = {}
    for f in SCHEMA.values():
        if not f.is_input:
            c = lay.cell(f.id)
            out[(lay.sheet_title(c.sheet), c.address)] = render(field_formula(f.id), c.sheet)[1:]
    for p in lay.checks:
        title = lay.sheet_title(p.expected_cell.sheet)
        out[(title, p.expected_cell.address)] = render(p.spec.expected, p.expected_cell.sheet)[1:]
        out[(title, p.diff_cell.address)] = diff_formula(p)[1:]
    return out
