"""ReadProblem.code and Problem.code are enums: what the readers emit and what the rules handle cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from perfeval_xl.readers.workbook import ReadCode, ReadProblem
from perfeval_xl.schema.values import Problem, ProblemCode

RULES = Path(__file__).resolve().parent.parent / "perfeval_xl" / "rules"


def test_unknown_codes_fail_where_they_are_made():
    with pytest.raises(ValueError):
        ReadProblem("missing_nmae")
    with pytest.raises(ValueError):
        Problem("not_a_numbr")
    assert ReadProblem("corrupt").code is ReadCode.CORRUPT and ReadProblem("corrupt").code == "corrupt"


def test_every_value_problem_drives_a_val_rule():
    from perfeval_xl.rules.values_rules import _BY_PROBLEM

    assert set(_BY_PROBLEM) == set(ProblemCode)


def test_every_read_problem_is_reported_by_a_structure_rule():
    text = (RULES / "structure.py").read_text(encoding="utf-8")
    handled = {c for c in ReadCode if re.search(rf'["\']{c.value}["\']|ReadCode\.{c.name}\b', text)}
    assert handled == set(ReadCode)


@pytest.mark.parametrize("raw, code", [("abc", ProblemCode.NOT_A_NUMBER), ("=A1", ProblemCode.FORMULA_TEXT)])
def test_coerce_emits_enum_members(raw, code):
    from perfeval_xl.schema import INPUTS
    from perfeval_xl.schema.values import coerce

    money = next(f for f in INPUTS.values() if f.type.numeric and f.type.value == "money")
    _, problem = coerce(money, raw)
    assert problem.code is code
