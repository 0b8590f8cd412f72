"""The 评分 sheet computes, in LibreOffice, exactly what the Python engine computes.

Workbooks are built two ways: a minimal one (an 输入 sheet holding only the
inputs the profile reads, plus the 评分 sheet), and — when the lead's template
writer is importable — the real template. All are recalculated in one
LibreOffice run and read back with openpyxl ``data_only=True``.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from perfeval_xl.xl import udfs
from perfeval_xl.indicators import INDICATORS, PROFILES, score
from perfeval_xl.indicators.indicator import NOT_APPLICABLE
from perfeval_xl.outputs import libreoffice
from perfeval_xl.template.scoring_sheet import name_for, write_scoring_sheet
from perfeval_xl.schema import SCHEMA
from perfeval_xl.schema.values import to_cell

from scoring_scenarios import SCENARIOS

INPUT_SHEET = "输入"

from perfeval_xl.template.writer import build_template


def _input_rows(profile_id: str) -> dict[str, int]:
    fields = sorted({f for code in PROFILES[profile_id].codes for f in INDICATORS[code].inputs})
    return {fid: i + 2 for i, fid in enumerate(fields)}


def ref_for(profile_id: str):
    rows = _input_rows(profile_id)
    return lambda fid: f"'{INPUT_SHEET}'!$B${rows[fid]}"


def enter_given(wb, given: dict) -> None:
    """Type the evaluator's 得分 and 扣分理由 into their named cells."""
    for key, (points, reason) in given.items():
        for what, v in (("given", points), ("reason", reason)):
            (sheet, coord), = list(wb.defined_names[f"score_{key.lower()}_{what}"].destinations)
            wb[sheet][coord.replace("$", "")].value = float(v) if isinstance(v, Decimal) else v


def build_minimal(path: Path, profile_id: str, values: dict, udf: bool = False, given: dict | None = None) -> Path:
    wb = Workbook()
    inp = wb.active
    inp.title = INPUT_SHEET
    inp["A1"], inp["B1"] = "项目", "填报数"
    for fid, row in _input_rows(profile_id).items():
        inp.cell(row, 1, SCHEMA[fid].label)
        inp.cell(row, 2, to_cell(SCHEMA[fid], values.get(fid)))
    write_scoring_sheet(wb.create_sheet("评分"), ref_for(profile_id), profile_id, udf=udf)
    enter_given(wb, given or {})
    wb.save(path)
    return path


CASES = [(p, s) for p in ("V1", "V2", "V3", "N53") for s in ("example_2018", "edges")] + [("V3", "grade_edge")]
# the evaluator's entries per case: every row of V3 scored (a total and a grade), V2 partly and with faults
GIVEN = {
    ("V3", "grade_edge"): {"E01": (Decimal("42"), None), "E02": (Decimal("20"), "  部分产出未达  计划 ")},
    ("V3", "example_2018"): {"E01": (Decimal("40"), "资产账实不符"), "E02": (Decimal("26"), "")},
    ("V2", "edges"): {"E01": (Decimal("2.5"), None), "E02": (Decimal("12"), "超出分值"), "E03": (Decimal("10"), "满分")},
}
TEMPLATE_CASES = [("V3", "example_2018"), ("V1", "edges"), ("N53", "edges")]


@pytest.fixture(scope="module")
def computed(tmp_path_factory):
    """(kind, profile, scenario) → recalculated workbook (values only)."""
    src = tmp_path_factory.mktemp("src")
    out = tmp_path_factory.mktemp("out")
    built: dict[tuple, Path] = {}
    for p, s in CASES:
        built[("minimal", p, s)] = build_minimal(src / f"minimal_{p}_{s}.xlsx", p, SCENARIOS[s], given=GIVEN.get((p, s)))
    for p, s in TEMPLATE_CASES:
        built[("template", p, s)] = build_template(src / f"template_{p}_{s}.xlsx", profile=p, values=SCENARIOS[s])
    libreoffice.convert(list(built.values()), "xlsx", out)  # LibreOffice missing fails the test: setup-test-env.sh installs it
    return {k: load_workbook(out / v.name, data_only=True) for k, v in built.items()}


def cell_value(wb, name: str):
    dn = wb.defined_names[name]
    (sheet, coord), = list(dn.destinations)
    return wb[sheet][coord.replace("$", "")].value


def blank(v) -> bool:
    return v is None or v == ""


def close(got, want: Decimal) -> bool:
    return isinstance(got, (int, float)) and math.isclose(got, float(want), rel_tol=1e-9, abs_tol=1e-12)


def assert_sheet_matches_engine(wb, profile_id: str, values: dict, given: dict | None = None) -> None:
    card = score(values, profile_id, given)
    for item in card.items:
        if item.evaluator:
            assert cell_value(wb, name_for(item.code, "note")) == item.explanation, item.code
            got_score = cell_value(wb, name_for(item.code, "score"))
            assert blank(got_score) if item.score is None else close(got_score, item.score), (item.code, got_score)
            continue
        ind = INDICATORS[item.code]
        got = cell_value(wb, name_for(item.code, "value"))
        if not item.applicable:
            assert got == NOT_APPLICABLE, item.code
        elif item.value is None:
            assert blank(got), (item.code, got)
        else:
            assert close(got, item.value / ind.scale), (item.code, got, item.value)
        assert cell_value(wb, name_for(item.code, "note")) == item.explanation, item.code
        if PROFILES[profile_id].scored:
            got_score = cell_value(wb, name_for(item.code, "score"))
            if item.score is None:
                assert blank(got_score), (item.code, got_score)
            else:
                assert close(got_score, item.score), (item.code, got_score, item.score)
    if PROFILES[profile_id].scored:
        total = cell_value(wb, "score_total")
        assert blank(total) if card.total is None else close(total, card.total), (total, card.total)
        assert cell_value(wb, "score_max") == card.max_total
        assert (cell_value(wb, "score_grade") or None) == card.grade
        assert cell_value(wb, "score_total_note") == card.explanation
        assert close(cell_value(wb, "score_scored"), card.scored_points)
        assert cell_value(wb, "score_pending") == card.pending
    else:
        assert "score_total" not in wb.defined_names


@pytest.mark.parametrize("profile_id,scenario", CASES)
def test_minimal_workbook_matches_engine(computed, profile_id, scenario):
    assert_sheet_matches_engine(computed[("minimal", profile_id, scenario)], profile_id, SCENARIOS[scenario],
                                GIVEN.get((profile_id, scenario)))


@pytest.mark.parametrize("profile_id,scenario", TEMPLATE_CASES)
def test_template_matches_engine(computed, profile_id, scenario):
    assert_sheet_matches_engine(computed[("template", profile_id, scenario)], profile_id, SCENARIOS[scenario])


def test_fixture_facts_hold_in_the_sheet(computed):
    """domain.md §4.2 numbers as the accountant sees them in the recalculated V3 sheet."""
    wb = computed[("minimal", "V3", "example_2018")]
    assert round(cell_value(wb, "score_staff_control_value"), 4) == 0.9510
    assert cell_value(wb, "score_staff_control_score") == 8
    assert round(cell_value(wb, "score_sanggong_change_budget_value"), 4) == 0.9831
    assert cell_value(wb, "score_sanggong_change_budget_score") == 0
    assert cell_value(wb, "score_budget_completion_score") == 8
    assert cell_value(wb, "score_budget_control_score") == 0
    assert cell_value(wb, "score_total") == 82  # 16 computed + 40 + 26 entered by the evaluator
    assert cell_value(wb, "score_grade") == "良"
    edge = computed[("minimal", "V3", "grade_edge")]
    assert cell_value(edge, "score_grade") == "优"  # 28.8 + 42 + 20 = 90.8
    partial = computed[("minimal", "V1", "example_2018")]
    assert blank(cell_value(partial, "score_grade")) and blank(cell_value(partial, "score_total"))
    assert cell_value(partial, "score_total_note") == "已评 33 / 100 分，尚有 2 项待评"
    v2 = computed[("minimal", "V2", "example_2018")]
    assert cell_value(v2, "score_budget_adjust_score") == 0  # 39.94% at least, 追减 blank
    v1 = computed[("minimal", "V1", "edges")]
    assert cell_value(v1, "score_budget_control_score") == 4  # exactly 10% is in (0,10]
    assert cell_value(v1, "score_building_invest_note").endswith("需人工评分")


def test_formulas_use_only_functions_libreoffice_7_4_knows(tmp_path):
    wb_path = build_minimal(tmp_path / "f.xlsx", "V2", SCENARIOS["edges"])
    ws = load_workbook(wb_path)["评分"]
    used = set()
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("="):
                used |= set(re.findall(r"([A-Z][A-Z0-9.]*)\(", re.sub(r'"[^"]*"', "", c.value)))
    assert used <= {"IF", "AND", "OR", "COUNT", "COUNTA", "ISNUMBER", "ROUND", "INT", "MIN", "MAX", "MID",
                    "TEXT", "CHOOSE", "SUM", "LEFT", "SUMPRODUCT", "NOT", "TRIM"}, used


def test_sheet_layout_and_names(tmp_path):
    wb = load_workbook(build_minimal(tmp_path / "l.xlsx", "V1", SCENARIOS["example_2018"]))
    ws = wb["评分"]
    assert [ws.cell(4, c).value for c in range(1, 10)] == [
        "一级指标", "二级指标", "三级指标", "分值", "指标解释（计算公式）", "评分标准", "指标值", "得分", "评分说明"]
    assert ws["A5"].value == "投入（13分）" and ws["B5"].value == "预算配置（13分）"
    assert ws["C5"].value == "在职人员控制率" and ws["D5"].value == 5
    assert ws["F5"].value == "≤100% 得满分；每超过 1 个百分点扣 0.5 分，扣完为止"
    assert ws["G5"].number_format == "0.00%"
    assert any(str(r) == "A5:A6" for r in ws.merged_cells.ranges)  # 投入 spans its two rows
    for code in PROFILES["V1"].codes:
        for what in ("value", "score", "note"):
            assert name_for(code, what) in wb.defined_names
    assert {"score_total", "score_grade", "score_max"} <= set(wb.defined_names)
    assert ws.column_dimensions["I"].width >= 40 and ws["I5"].alignment.wrap_text


# -- the UDF variant: formulas call PE_* with the declared inputs --------------------------

_CALL = re.compile(r"^=(PE_[A-Z_]+)\((.*)\)$")


def _args(text: str) -> list[str]:
    return [a for a in re.findall(r'"[^"]*"|[^,]+', text)]


def _evaluate_udf_formula(formula: str, inputs, local) -> object:
    """Evaluate ``=PE_X(args)`` by calling perfeval_xl.xl.udfs: a stand-in for Excel's call."""
    m = _CALL.match(formula)
    assert m, formula
    func = getattr(udfs, m.group(1).lower())
    args = []
    for a in _args(m.group(2)):
        if a.startswith('"'):
            args.append(a.strip('"'))
        elif a.startswith(f"'{INPUT_SHEET}'!"):
            args.append(inputs[a.split("!")[1].replace("$", "")].value)
        else:
            args.append(local[a.replace("$", "")])
    return func(*args)


@pytest.mark.parametrize("profile_id,scenario", [("V1", "edges"), ("V2", "edges"), ("V3", "example_2018"), ("N53", "edges")])
def test_udf_sheet_calls_match_engine(tmp_path, profile_id, scenario):
    values = SCENARIOS[scenario]
    wb = load_workbook(build_minimal(tmp_path / "u.xlsx", profile_id, values, udf=True))
    ws, inputs = wb["评分"], wb[INPUT_SHEET]
    card = score(values, profile_id)
    local: dict[str, object] = {}
    for item in card.items:
        if item.evaluator:
            continue  # evaluator rows are plain formulas over two inputs (checked in LibreOffice)
        ind = INDICATORS[item.code]
        vcell = list(wb.defined_names[name_for(item.code, "value")].destinations)[0][1].replace("$", "")
        formula = ws[vcell].value
        assert formula.startswith(f'=PE_INDICATOR("{item.code}",')
        assert len(_args(_CALL.match(formula).group(2))) == 1 + len(ind.inputs)
        local[vcell] = value = _evaluate_udf_formula(formula, inputs, local)
        if not item.applicable:
            assert value == NOT_APPLICABLE
        elif item.value is None:
            assert value is None
        else:
            assert close(value, item.value / ind.scale)
        ncell = list(wb.defined_names[name_for(item.code, "note")].destinations)[0][1].replace("$", "")
        assert _evaluate_udf_formula(ws[ncell].value, inputs, local) == item.explanation
        if PROFILES[profile_id].scored:
            scell = list(wb.defined_names[name_for(item.code, "score")].destinations)[0][1].replace("$", "")
            formula = ws[scell].value
            if ind.at_least_when_blank:  # a native lower-bound guard around PE_SCORE
                m = re.search(r'(PE_SCORE\([^)]*\))\)$', formula)
                assert formula.startswith("=IF(AND(") and m, formula
                if item.value is None and item.score == 0:
                    continue
                formula = "=" + m.group(1)
            got = _evaluate_udf_formula(formula, inputs, local)
            assert got is None if item.score is None else close(got, item.score)
