"""Property tests: whatever lands in whatever input cell, ``check_values`` never crashes,
its findings are well formed, JSON-serialisable and deterministic."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfeval_xl.check import REGISTRY, Finding, check_values
from perfeval_xl.outputs.serialize import dumps
from perfeval_xl.rules.base import Severity
from perfeval_xl.schema import INPUTS

BASELINE = yaml.safe_load((Path(__file__).resolve().parent / "rules" / "baseline.yml").read_text(encoding="utf-8"))
FIELD_IDS = sorted(INPUTS)

cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["=SUM(A1)", "=A1", " 42", "1,234.50", "95.10%", "－", "#REF!", "#DIV/0!", "是", "否", "TRUE",
                     "2021-03-31", "2021年13月1日", "\u3000", "1e308", "-0", "0.1+0.2"]),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)),
    st.sampled_from([1e-300, 1e300, 0.30000000000000004, -0.0, 123456789012345.67, 2**53 + 1.0]),
)
changes = st.dictionaries(st.sampled_from(FIELD_IDS), cell_values, max_size=12)


def _well_formed(findings: list[Finding]) -> None:
    for f in findings:
        assert f.rule_id in REGISTRY
        assert f.message and f.title
        # a 舍入差异 is a warning whatever the identity's severity; anything else is reported at the declared severity
        assert f.severity is (Severity.WARNING if f.rounding else REGISTRY[f.rule_id].severity), (f.rule_id, f.severity, f.rounding)
        assert not f.rounding or f.rule_id.startswith(("SUM", "ROLL", "XREF", "RATE")), f.rule_id
        for c in f.cells:
            assert not (isinstance(c.value, float) and not math.isfinite(c.value))
            assert not (isinstance(c.value, Decimal) and not c.value.is_finite())
    dumps([f.to_dict() for f in findings])


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes)
def test_any_values_over_a_consistent_baseline(change):
    raw = dict(BASELINE)
    raw.update(change)
    findings = check_values(raw)
    _well_formed(findings)
    assert [f.to_dict() for f in check_values(dict(raw))] == [f.to_dict() for f in findings]


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELD_IDS), cell_values, max_size=40))
def test_any_values_on_an_empty_form(raw):
    _well_formed(check_values(raw))


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.text(max_size=12), cell_values, max_size=5), changes)
def test_unknown_keys_are_ignored(extra, change):
    raw = dict(BASELINE)
    raw.update(change)
    with_extra = dict(raw)
    with_extra.update({k: v for k, v in extra.items() if k not in INPUTS})
    assert [f.to_dict() for f in check_values(with_extra)] == [f.to_dict() for f in check_values(raw)]
