"""The real-reports corpus: every case entered exactly as printed (own unit and precision, blanks blank).

No consistent, rounding or truncated case gives an 错误; every inconsistent case is flagged by the
rule family its verdict names (see real_reports/README.md).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from perfeval_xl.check import check_values
from perfeval_xl.rules.base import Severity
from perfeval_xl.rules.registry import REGISTRY, family
from perfeval_xl.schema import SCHEMA, FieldType

HERE = Path(__file__).resolve().parent / "real_reports"
CASES = sorted(HERE.glob("*.yml"))
VERDICTS = {"consistent", "rounding", "truncated", "inconsistent"}
KEYS = {"id", "slug", "source", "unit", "money_decimals", "rate_decimals", "quote", "values", "verdict", "expect", "note"}
_PRINTED_RATE = re.compile(r"^([+-]?\d+(?:\.(\d+))?)\s*%$")
# The 封面 必填项 (名称, 填报人 …) are not part of a published figure; their VAL001 is not a verdict.
IGNORED = {"VAL001"}


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def cells(case: dict) -> tuple[dict, dict]:
    """(raw cell values, printed decimals per rate cell) for a case: what an accountant types, as printed."""
    raw = {"report.money_unit": case["unit"], "report.money_decimals": case["money_decimals"],
           "report.rate_decimals": case["rate_decimals"]}
    printed = {}
    for fid, value in case["values"].items():
        assert fid in SCHEMA, f"{case['id']}: unknown field {fid}"
        f = SCHEMA[fid]
        if f.type is FieldType.PERCENT:
            m = _PRINTED_RATE.match(str(value))
            assert m, f"{case['id']}: a rate is written as printed, e.g. 36.2%: {fid}={value!r}"
            raw[fid] = float(Decimal(m.group(1)) / 100)  # a % cell holds the fraction
            printed[fid] = len(m.group(2) or "")  # the cell's format prints what the report printed
        else:
            raw[fid] = value
    return raw, printed


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_real_report(path):
    case = load(path)
    assert set(case) <= KEYS and {"id", "source", "unit", "values", "verdict"} <= set(case), set(case) ^ KEYS
    assert case["verdict"] in VERDICTS
    raw, printed = cells(case)
    findings = check_values(raw, precisions=printed)
    errors = [f for f in findings if f.severity is Severity.ERROR and f.rule_id not in IGNORED]
    warnings = [f for f in findings if f.severity is Severity.WARNING]
    shown = [(f.rule_id, f.message) for f in errors]
    if case["verdict"] != "inconsistent":
        assert not errors, f"{case['id']} ({case['verdict']}) gave 错误: {shown}"
        if case["verdict"] == "rounding":  # the gap is there and is called what it is
            assert any(f.rounding for f in warnings), f"{case['id']}: no 舍入差异 among {[(f.rule_id, f.message) for f in warnings]}"
        return
    expect = case.get("expect") or []
    assert expect, "an inconsistent case names the rule family that must flag it"
    for e in expect:
        want = e.get("rule") or e["family"]
        pool = warnings if e.get("severity") == "warning" else errors  # a count mismatch is a 警告 by design
        hit = [f for f in pool if (f.rule_id == want or family(f.rule_id) == want)
               and set(e.get("fields") or ()) <= {c.field_id for c in f.cells}]
        assert hit, f"{case['id']}: expected {e.get('severity', 'error')} of {want} on {e.get('fields')}, got {shown}"
    families = {e.get("rule") or e["family"] for e in expect if e.get("severity", "error") == "error"}
    stray = [f for f in errors if f.rule_id not in families and family(f.rule_id) not in families]
    assert not stray, f"{case['id']}: 错误 of a family the verdict does not name: {[(f.rule_id, f.message) for f in stray]}"


def test_the_corpus_covers_every_verdict():
    verdicts = {load(p)["verdict"] for p in CASES}
    assert verdicts == VERDICTS
    assert len(CASES) >= 25


def test_cases_not_held_are_listed_with_what_is_missing():
    text = (HERE / "not_held.md").read_text(encoding="utf-8")
    held = {load(p)["id"] for p in CASES}
    listed = set(re.findall(r"^\| ([CRI]\d\d) \|", text, flags=re.M))
    assert not held & listed, f"held and listed as not held: {held & listed}"
    every = {f"C{i:02d}" for i in range(1, 38)} | {f"R{i:02d}" for i in range(1, 7)} | {f"I{i:02d}" for i in range(1, 11)}
    assert held | listed == every, f"neither held nor listed: {sorted(every - held - listed)}"


def test_rule_ids_named_by_the_corpus_exist():
    for p in CASES:
        for e in load(p).get("expect") or []:
            assert (e.get("rule") in REGISTRY) or e.get("family") in {family(r) for r in REGISTRY}, (p.stem, e)


def test_the_unexplained_residual_of_i10_is_named_not_judged():
    """鹿寨县 2019: the 出国费 change is not printed; the residual of the 三公 change is what the blank lines must make up."""
    raw, printed = cells(load(next(HERE.glob("I10-*.yml"))))
    findings = check_values(raw, precisions=printed)
    assert not [f for f in findings if f.severity is Severity.ERROR and f.rule_id not in IGNORED]
    notes = [f for f in findings if f.rule_id == "MISS002" and f.params.get("identity") == "SUM018"]
    assert len(notes) == 1 and "增减额合计应为 -3.82万元" in notes[0].message


@pytest.mark.parametrize(("case", "fid", "printed"), [
    ("C02", "change.reception.rate", "-76.0%"),  # “与上年下降7.6%” mistyped: 上年接待费 would be ≈ 4304
    ("C07", "change.reception.gap_rate", "-82%"),  # “较年初预算下降42%” mistyped: 接待预算 ≈ 1322 > 合计预算
    ("C12", "change.reception.rate", "-76.22%"),  # “下降16.22%” mistyped: 上年接待费 ≈ 65.2 > 上年合计 ≈ 54
])
def test_rates_alone_are_checked_through_the_bases_they_imply(case, fid, printed):
    """A case that prints rates only is consistent as printed; one rate off makes the bases it implies disagree (SUM)."""
    doc = load(next(HERE.glob(f"{case}-*.yml")))
    doc["values"][fid] = printed
    raw, precisions = cells(doc)
    errors = [f for f in check_values(raw, precisions=precisions) if f.severity is Severity.ERROR and f.rule_id != "VAL001"]
    assert errors and all(family(f.rule_id) == "SUM" for f in errors), [(f.rule_id, f.message) for f in errors]
    assert any("推算" in f.message for f in errors)
