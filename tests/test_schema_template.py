"""Schema ↔ template: every input named, unlocked, validated; everything else locked; protections on."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from perfeval_xl.examples import ROOT, TEMPLATE_NAME, TEMPLATE_UDF_NAME, build_all
from perfeval_xl.readers.workbook import parse_ref, read_workbook
from perfeval_xl.schema import INPUTS, SCHEMA, TEMPLATE_ID, TEMPLATE_VERSION
from perfeval_xl.template.layout import layout

TEMPLATE = ROOT / TEMPLATE_NAME


@pytest.fixture(scope="module")
def wb():
    return load_workbook(TEMPLATE)


def test_well_over_150_named_inputs():
    assert len(INPUTS) > 150


def test_every_input_has_exactly_one_name_pointing_at_its_cell(wb):
    lay = layout()
    targets: dict[tuple[str, str], list[str]] = {}
    for name, dn in wb.defined_names.items():
        ref = parse_ref(dn.attr_text)
        if ref:
            targets.setdefault(ref, []).append(name)
    for fid, f in INPUTS.items():
        cell = lay.cell(fid)
        where = (lay.sheet_title(cell.sheet), cell.address)
        assert targets.get(where) == [f.defined_name], (fid, where, targets.get(where))
        assert wb.defined_names[f.defined_name].localSheetId is None  # workbook-scoped


def _validated_cells(ws) -> set[str]:
    out = set()
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row in ws[rng.coord] if ":" in rng.coord else [[ws[rng.coord]]]:
                for c in row:
                    out.add(c.coordinate)
    return out


def test_only_inputs_are_unlocked_and_each_is_validated_with_chinese_prompt(wb):
    lay = layout()
    inputs_by_sheet: dict[str, set[str]] = {}
    for fid in INPUTS:
        c = lay.cell(fid)
        inputs_by_sheet.setdefault(lay.sheet_title(c.sheet), set()).add(c.address)
    from perfeval_xl.template.markers import ACTION_CELL

    inputs_by_sheet.setdefault("校验结果", set()).add(ACTION_CELL)  # the button's 校验/清除标记 switch
    for name, dn in wb.defined_names.items():  # the evaluator rows' 得分 and 扣分理由, as the profile declares them
        if name.startswith("score_e") and name.endswith(("_given", "_reason")):
            (sheet, coord), = list(dn.destinations)
            inputs_by_sheet.setdefault(sheet, set()).add(coord.replace("$", ""))
    for ws in wb.worksheets:
        unlocked = {c.coordinate for row in ws.iter_rows() for c in row if c.protection and not c.protection.locked}
        assert unlocked == inputs_by_sheet.get(ws.title, set()), ws.title
        validated = _validated_cells(ws)
        assert inputs_by_sheet.get(ws.title, set()) <= validated, ws.title
        for dv in ws.data_validations.dataValidation:
            assert dv.showErrorMessage and dv.error and dv.prompt
            assert any("\u4e00" <= ch <= "\u9fff" for ch in dv.error + dv.prompt)


def test_protections_are_on(wb):
    assert wb.security.lockStructure
    assert wb.security.workbookPassword
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        assert ws.protection.password, ws.title
        assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)
        assert ws.freeze_panes


def test_derived_cells_hold_formulas_and_inputs_hold_nothing(wb):
    lay = layout()
    for fid, f in SCHEMA.items():
        c = lay.cell(fid)
        value = wb[lay.sheet_title(c.sheet)][c.address].value
        if f.is_input:
            assert value is None, fid
        else:
            assert isinstance(value, str) and value.startswith("="), fid
    for p in lay.checks:
        ws = wb[lay.sheet_title(p.expected_cell.sheet)]
        assert str(ws[p.expected_cell.address].value).startswith("=")
        assert str(ws[p.diff_cell.address].value).startswith("=")


def test_template_identity_is_readable_without_editable_cells():
    data = read_workbook(TEMPLATE)
    assert data.template_id == TEMPLATE_ID
    assert data.template_version == TEMPLATE_VERSION
    assert data.problems == []
    assert data.variant == "native"
    assert read_workbook(ROOT / TEMPLATE_UDF_NAME).variant == "udf"


def test_committed_workbooks_are_not_stale(tmp_path):
    """The files in workbook_templates/ are exactly what the declarations generate."""
    (tmp_path / "examples").mkdir()
    written = build_all(tmp_path)
    for path in written:
        committed = ROOT / path.relative_to(tmp_path)
        assert committed.exists(), f"{committed} missing: run `perfeval examples`"
        assert committed.read_bytes() == path.read_bytes(), f"{committed} is stale: run `perfeval examples`"


def test_generated_docs_are_not_stale(tmp_path):
    from perfeval_xl.docs import write_all

    for path in write_all(tmp_path):
        committed = ROOT.parent / path.relative_to(tmp_path)
        assert committed.exists(), f"{committed} missing: run `python -m perfeval_xl.docs`"
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), f"{committed} is stale"


def test_cli_template_prefills_year_and_dept(tmp_path):
    from perfeval_xl.cli import main

    out = tmp_path / "t.xlsx"
    assert main(["template", "--out", str(out), "--year", "2024", "--dept", "测试局"]) == 0
    data = read_workbook(out)
    assert data.raw["report.year"] == 2024
    assert data.raw["dept.name"] == "测试局"
    assert main(["template", "--out", str(out), "--year", "1800"]) == 2
