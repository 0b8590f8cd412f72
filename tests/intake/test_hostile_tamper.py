"""Issue 14, class B: tampering that used to pass as 合格; issue 13 point 5: calls into our own add-in."""

from __future__ import annotations

import pytest

import hostile_corpus as H
import intake_corpus as C
from perfeval_xl.preflight import preflight
from perfeval_xl.preflight.checked import check_file


@pytest.fixture(scope="module")
def base() -> bytes:
    return C.example()


@pytest.mark.parametrize("case", sorted(H.TAMPER_CASES))
def test_tampering_is_never_passed(base, tmp_path, case):
    build, rule = H.TAMPER_CASES[case]
    path = tmp_path / f"{case}.xlsx"
    path.write_bytes(build(base))
    report = check_file(path)
    found = {f.rule_id: f for f in report.findings}
    assert rule in found, [f.rule_id for f in report.findings]
    assert found[rule].severity.value == "error"
    assert not report.passed


def test_the_untouched_example_still_passes(base, tmp_path):
    path = tmp_path / "good.xlsx"
    path.write_bytes(base)
    assert check_file(path).passed


def test_input_formula_finding_names_the_cell_and_formula(base, tmp_path):
    path = tmp_path / "stale.xlsx"
    path.write_bytes(H.stale_formula_in_input(base))
    f = next(f for f in check_file(path).findings if f.rule_id == "STR017")
    assert "B7 =2000+500" in f.message
    assert f.cells[0].field_id == "report.year"


@pytest.mark.parametrize("case", sorted(H.ADDIN_OK))
def test_calls_into_our_addin_are_not_external_links(base, case):
    found = preflight(H.ADDIN_OK[case](base))
    assert not any(f.rule_id == "SEC020" for f in found.findings), found.findings


@pytest.mark.parametrize("case", sorted(H.ADDIN_NOT_OURS))
def test_links_that_only_look_like_our_addin_are_sec020(base, case):
    found = preflight(H.ADDIN_NOT_OURS[case](base))
    assert [f.rule_id for f in found.findings] == ["SEC020"]


def test_addin_functions_are_read_from_the_udf_module():
    from perfeval_xl.preflight.addin_links import addin_functions

    assert {"PE_RATIO", "PE_SCORE", "PE_INDICATOR"} <= addin_functions()


def test_a_book_calling_our_addin_is_checked_and_passes(base, tmp_path):
    path = tmp_path / "udf.xlsx"
    path.write_bytes(H.ADDIN_OK["addin_full_path"](base))
    report = check_file(path)
    assert report.checked and report.passed, [f.rule_id for f in report.findings]
