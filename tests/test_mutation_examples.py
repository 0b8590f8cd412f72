"""Mutation on the bundled examples: 1.00 万元 more in a money input that some identity can check
produces at least one 错误 whose cells include that input (issue: the consistency checker)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfeval_xl.check import check_values
from perfeval_xl.check.engine import CASES
from perfeval_xl.examples import EXAMPLES, ROOT
from perfeval_xl.readers.workbook import read_workbook
from perfeval_xl.rules.base import BlankPolicy, Severity
from perfeval_xl.schema import INPUTS, SCHEMA, FieldType


def _filled(raw, fid) -> bool:
    return raw.get(fid) not in (None, "")


def _checkable(raw) -> dict[str, int]:
    """Money input → the sign of the mutation that must be caught.

    An input is checkable when some identity has its stated figure filled and enough of its
    other figures filled to be evaluated (every figure where the rule needs them all). A blank
    is unknown, not 0: with parts blank an identity only bounds the stated figure, so only a
    filled input moved in the impossible direction must be caught (a part up against a lower
    bound, the stated figure down; the reverse for an upper bound).
    """
    out: dict[str, int] = {}
    for c in CASES:
        if c.rule.kind == "at_least":  # 其中 rows are not exhaustive: one more 万元 in an item can be legitimate
            continue
        figures = [t.fid for t in c.terms + c.den]
        if not _filled(raw, c.stated) or not any(_filled(raw, f) for f in figures):
            continue  # a blank stated figure, or nothing to compare it with
        blank = [t for t in c.terms if not _filled(raw, t.fid) and (not t.present_if or _filled(raw, t.present_if))]
        if c.policy is BlankPolicy.ALL_REQUIRED and not all(_filled(raw, f) for f in figures):
            continue
        if not blank:
            for fid in c.inputs:
                if fid in INPUTS and SCHEMA[fid].type is FieldType.MONEY and _filled(raw, fid):
                    out.setdefault(fid, 1)
            continue
        signs = {t.sign for t in blank}
        if len(signs) != 1 or any(SCHEMA[t.fid].may_be_negative for t in blank):
            continue
        lower = signs == {1}
        if SCHEMA[c.stated].type is FieldType.MONEY:
            out.setdefault(c.stated, -1 if lower else 1)
        for t in c.terms:
            if _filled(raw, t.fid) and SCHEMA[t.fid].type is FieldType.MONEY and (t.sign > 0) == lower:
                out.setdefault(t.fid, 1)
    return out


@pytest.fixture(scope="module")
def raws():
    return {ex.stem: read_workbook(ROOT / "examples" / f"{ex.stem}.xlsx").raw for ex in EXAMPLES}


@pytest.mark.parametrize("example", [e.stem for e in EXAMPLES])
def test_one_more_wan_in_any_checkable_money_input_is_an_error_on_that_cell(raws, example):
    raw = raws[example]
    targets = _checkable(raw)
    assert targets, example
    missed = []
    for fid, sign in sorted(targets.items()):
        mutated = dict(raw)
        base = Decimal(repr(raw[fid])) if _filled(raw, fid) else Decimal(0)
        mutated[fid] = float(base + sign * Decimal("1.00"))
        errors = [f for f in check_values(mutated) if f.severity is Severity.ERROR]
        if not any(fid in {c.field_id for c in f.cells} for f in errors):
            missed.append(fid)
    assert not missed, f"{example}: +1.00 not caught as an error on {missed}"


def test_the_fully_consistent_example_watches_every_money_input_of_the_identities(raws):
    identity_money = {fid for c in CASES if c.rule.kind != "at_least"
                      for fid in c.inputs if fid in INPUTS and SCHEMA[fid].type is FieldType.MONEY}
    # the synthetic department leaves only unused project rows and function classes blank
    assert len(_checkable(raws["synthetic"])) > 0.6 * len(identity_money)
