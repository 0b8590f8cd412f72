"""The workbook's own verdict equals perfeval check's: LibreOffice recalculates, 校验结果 is read back.

For every example, every native rule fixture that is a set of cell values, and
mutations of the examples (each checkable input +0.01, +1, blanked, ×10), the
native findings (rule, sheet, cell, severity) on 校验结果 and the two workbook
names equal what ``check_path`` reports for the same file. The default run takes
every ``PARITY_EVERY``-th mutation (CI time; the examples, fixtures and ratio boundaries always); ``PERFEVAL_PARITY_FULL=1`` runs the
whole corpus (``benchmarks/bench_native.py`` reports its size and time).
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
from openpyxl import load_workbook

from parity import CorpusWriter, compare, corpus, examples, recalculate_all, workbook_verdict
from perfeval_xl.template.layout import layout

PARITY_EVERY = 1 if os.environ.get("PERFEVAL_PARITY_FULL") else 40


def _seed_with(**changes) -> dict:
    raw = dict(dict(examples())["seed_furong_2020"])
    raw.update({k.replace("__", "."): v for k, v in changes.items()})
    return raw


# The issue's own examples: the sheet used to show yellow where the bureau's check says 错误.
ISSUE_CASES = {
    "basic_plus_cent": (_seed_with(exp__basic=1641.82), ("SUM009", "error")),
    "other_27_36": (_seed_with(exp__func__c229=27.36), ("SUM008", "error")),
}


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("parity")
    members = corpus(PARITY_EVERY) + [(name, raw) for name, (raw, _) in ISSUE_CASES.items()]
    writer = CorpusWriter()
    paths = [writer.write(raw, tmp / f"c{i:04d}.xlsx") for i, (_, raw) in enumerate(members)]
    return dict(zip([n for n, _ in members], zip(paths, recalculate_all(paths, tmp / "recalc"))))


def test_every_workbook_gives_the_same_native_findings_as_perfeval_check(recalculated):
    problems = [f"{name}: {p}" for name, pair in recalculated.items() if (p := compare(*pair))]
    assert len(recalculated) >= (600 if PARITY_EVERY == 1 else 100)
    assert problems == []


def test_the_corpus_exercises_every_status(recalculated):
    """A parity that never saw an error, a rounding warning or an unchecked row would prove little."""
    seen = Counter()
    for path, recalc in recalculated.values():
        found, (errors, warnings), _ = workbook_verdict(recalc)
        seen.update(sev for (_, _, _, sev) in found.elements())
        seen["workbooks with errors"] += errors > 0
    assert seen["error"] > 20 and seen["warning"] > 5 and seen["workbooks with errors"] > 20


@pytest.mark.parametrize("name", sorted(ISSUE_CASES))
def test_the_issue_examples_are_errors_on_the_sheet_too(recalculated, name):
    _, recalc = recalculated[name]
    rule, severity = ISSUE_CASES[name][1]
    found, (errors, _), _ = workbook_verdict(recalc)
    assert (rule, severity) in {(r, s) for (r, _, _, s) in found}
    wb = load_workbook(recalc, data_only=True)
    cover = wb[layout().sheets[0].title]
    verdicts = [c.value for row in cover.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("表内核对")]
    assert verdicts == [f"表内核对：有 {errors} 项错误，请先修改（见“校验结果”表）"]


def test_a_clean_example_says_it_can_be_sent(recalculated):
    _, recalc = recalculated["synthetic"]
    wb = load_workbook(recalc, data_only=True)
    cover = wb[layout().sheets[0].title]
    verdicts = [c.value for row in cover.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("表内核对")]
    assert verdicts == ["表内核对：可以报送"]
    assert workbook_verdict(recalc)[1] == (0, 0)


def test_the_ratio_boundaries_reach_every_verdict(recalculated):
    """Just inside and just outside the rounding and truncation intervals: pass, 舍入差异 and 错误 all occur."""
    verdicts = set()
    for name, (_, recalc) in recalculated.items():
        if name.startswith("ratio boundary:"):
            found = {(r, s) for (r, _, _, s) in workbook_verdict(recalc)[0] if r in ("RATE001", "RATE003")}
            verdicts |= {s for _, s in found} or {"pass"}
    assert verdicts == {"pass", "warning", "error"}


def test_the_value_rules_are_exercised(recalculated):
    seen = Counter()
    for _, recalc in recalculated.values():
        seen.update(r for (r, _, _, _) in workbook_verdict(recalc)[0].elements())
    assert seen["VAL005"] and seen["VAL007"] and seen["VAL008"] and seen["RATE011"], seen


def test_every_hand_written_case_names_real_inputs():
    """A misspelt field id would write nothing and prove nothing."""
    from parity import RATIO_BOUNDARIES, VALUE_CASES
    from perfeval_xl.schema import INPUTS

    assert [k for _, changes in RATIO_BOUNDARIES + VALUE_CASES for k in changes if k not in INPUTS] == []


def test_the_plausibility_and_share_cases_reach_every_verdict(recalculated):
    """Both ways of every plausibility rule (a hint included) and the share intervals' 舍入差异 and 错误 occur."""
    seen = set()
    for name, (_, recalc) in recalculated.items():
        if name.startswith(("plausibility:", "shares:")):
            seen |= {(r, s) for (r, _, _, s) in workbook_verdict(recalc)[0] if r.startswith(("PLAUS", "SUM02"))}
    assert {r for r, _ in seen if r.startswith("PLAUS")} == {f"PLAUS{i:03d}" for i in range(1, 13)}
    assert ("PLAUS009", "info") in seen
    assert {("SUM022", "warning"), ("SUM022", "error")} <= seen


def test_the_directions_are_exercised(recalculated):
    """Gaps typed unsigned beside 超支/节约: a flipped or blanked choice fails the sums, a negative gap its choice."""
    seen = Counter()
    for name, (_, recalc) in recalculated.items():
        if name.startswith("direction:"):
            seen.update(r for (r, _, _, _) in workbook_verdict(recalc)[0].elements())
    assert seen["SUM018"] and seen["SUM019"] and seen["XREF010"] and seen["XREF011"], seen


def test_the_supplied_figures_are_exercised(recalculated):
    """A blank 上年/预算 figure: supplied by its amount (passes), or the amount gives an impossible one while the rate
    would supply it (an error) or not (unchecked)."""
    seen = Counter()
    for name, (_, recalc) in recalculated.items():
        if name.startswith("supplied figure:"):
            seen.update(r for (r, _, _, _) in workbook_verdict(recalc)[0].elements())
    assert seen["RATE014"] and seen["RATE020"] and seen["RATE024"], seen
