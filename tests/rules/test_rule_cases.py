"""Every case of every rule fixture (tests/rules/cases/<RULEID>.yml), one test each: ``<RULEID>_<case>``.

``pytest -k SUM009`` runs one rule. A case lays its ``fields:`` over the consistent
baseline (or applies a workbook ``mutation:``), runs the checker, and compares the
findings of the fixture's rule — plus any other rule its ``expect:`` names — with
``expect:`` by (rule, severity, rounding, fields ⊆ cells). See cases/README.md.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from rule_fixtures import CASES_DIR, merged

from perfeval_xl.check import check_path, check_values
from perfeval_xl.docs.rules import fixture_cases
from perfeval_xl.rules.registry import REGISTRY

CASE_KEYS = {"description", "fields", "expect", "mutation", "profile", "known_versions", "checked", "precisions"}
EXPECT_KEYS = {"rule", "severity", "fields", "rounding", "message"}


def _load() -> list[tuple[str, str, dict]]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, case in fixture_cases(doc).items():
            out.append((doc.get("rule"), name, case))
    return out


CASES = _load()


def _findings(case: dict, mutated_workbook, monkeypatch):
    if "known_versions" in case:
        monkeypatch.setattr("perfeval_xl.rules.structure.KNOWN_VERSIONS", tuple(case["known_versions"]))
    if case.get("mutation"):
        report = check_path(mutated_workbook(case["mutation"]), profile=case.get("profile"))
        if "checked" in case:
            assert report.checked is case["checked"]
        return report.findings
    return check_values(merged(case.get("fields")), profile=case.get("profile"), precisions=case.get("precisions"))


def _matches(expected: dict, finding) -> bool:
    if finding.rule_id != expected["rule"] or finding.severity.value != expected["severity"]:
        return False
    if bool(expected.get("rounding", False)) != finding.rounding:
        return False
    cell_fields = {c.field_id for c in finding.cells}
    said = expected.get("message") or ()
    if isinstance(said, str):
        said = (said,)
    return set(expected.get("fields") or ()) <= cell_fields and all(text in finding.message for text in said)


@pytest.mark.parametrize(("rule_id", "name", "case"), CASES, ids=[f"{r}_{n}" for r, n, _ in CASES])
def test_rule_case(rule_id, name, case, mutated_workbook, monkeypatch):
    assert set(case) <= CASE_KEYS, f"unknown keys {set(case) - CASE_KEYS}"
    expect = case.get("expect") or []
    for e in expect:
        assert set(e) <= EXPECT_KEYS and {"rule", "severity"} <= set(e), e
    watched = {rule_id} | {e["rule"] for e in expect}
    got = [f for f in _findings(case, mutated_workbook, monkeypatch) if f.rule_id in watched]
    shown = [(f.rule_id, f.severity.value, f.rounding, [c.field_id for c in f.cells][:4], f.message) for f in got]
    unmatched = list(got)
    for e in expect:
        hit = next((f for f in unmatched if _matches(e, f)), None)
        assert hit is not None, f"expected {e}, got {shown}"
        unmatched.remove(hit)
    assert not unmatched, f"unexpected findings: {shown}"
    for f in got:  # every finding renders a complete message and points at cells it can name
        assert "{" not in f.message and f.title


# -- the fixture contract (style.md §8.4) ----------------------------------------------------------


def test_every_fixture_names_a_registered_rule():
    for path in sorted(CASES_DIR.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        assert doc.get("rule") == path.stem, f"{path.name}: rule: {doc.get('rule')!r} must match the file name"
        assert path.stem in REGISTRY, f"{path.name} names an unregistered rule"
        assert fixture_cases(doc), f"{path.name} has no cases"


def test_every_rule_has_a_passing_and_a_failing_case():
    # SEC rules judge whole files, not field values: their cases are the generated
    # bad-input corpus of tests/intake (see test_every_security_rule_has_a_corpus_case there).
    verdicts: dict[str, Counter] = {r: Counter() for r in REGISTRY if not r.startswith("SEC")}
    for rule_id, _, case in CASES:
        fails = any(e["rule"] == rule_id for e in case.get("expect") or [])
        verdicts[rule_id]["fail" if fails else "pass"] += 1
    missing = {r: dict(c) for r, c in verdicts.items() if not (c["pass"] and c["fail"])}
    assert not missing, f"rules without both a pass and a fail case: {missing}"


def test_baseline_is_clean():
    assert check_values(merged({})) == []


def test_readme_documents_the_format():
    text = (Path(CASES_DIR) / "README.md").read_text(encoding="utf-8")
    for key in ("fields", "expect", "mutation", "rounding", "0.9510"):
        assert key in text
