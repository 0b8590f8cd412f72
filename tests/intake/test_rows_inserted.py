"""The STR010/STR019 policy: an honest row insert is a warning; a name redirected anywhere stays an error.

The workbooks are real .xlsx files: the example with rows inserted as Excel writes them (cells,
merged ranges and the sheet's defined names moved down, the sheet unprotected), then tampered
with on top of that.
"""

from __future__ import annotations

import re

import pytest

import hostile_corpus as H
import intake_corpus as C
from perfeval_xl.preflight.checked import check_file
from perfeval_xl.readers.workbook import read_workbook

NOTE = ("补充说明：本行为单位自行插入", "")
FIELD_C205 = next(fid for fid, f in __import__("perfeval_xl.schema", fromlist=["SCHEMA"]).SCHEMA.items()
                  if f.defined_name == "exp_func_c205")


@pytest.fixture(scope="module")
def base() -> bytes:
    return C.example()


@pytest.fixture(scope="module")
def inserted(base) -> bytes:
    return H.insert_rows(base, H.INSERT_SHEET, H.INSERT_AT, NOTE)


def _check(tmp_path, data: bytes, name: str = "a.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return check_file(path), path


def _by_rule(report) -> dict:
    out: dict = {}
    for f in report.findings:
        out.setdefault(f.rule_id, []).append(f)
    return out


def test_honest_insert_is_a_warning_and_reads_the_same_figures(base, inserted, tmp_path):
    report, path = _check(tmp_path, inserted)
    found = _by_rule(report)
    assert [f.severity.value for f in found["STR019"]] == ["warning"]
    assert not {"STR010", "STR016", "STR011", "STR012"} & set(found), sorted(found)
    assert report.passed
    original = tmp_path / "original.xlsx"
    original.write_bytes(base)
    assert read_workbook(path).raw == read_workbook(original).raw
    assert "收入支出!B23" in found["STR019"][0].message


@pytest.mark.parametrize("at,rows", [(4, ("",)), (21, ("", "", "")), (90, ("备注",))])
def test_inserts_anywhere_on_the_sheet_are_warnings(base, tmp_path, at, rows):
    report, _ = _check(tmp_path, H.insert_rows(base, H.INSERT_SHEET, at, rows))
    found = _by_rule(report)
    assert "STR019" in found and "STR010" not in found and report.passed, sorted(found)


def test_after_an_insert_a_name_redirected_to_a_helper_cell_is_still_an_error(inserted, tmp_path):
    """The department inserts rows, then points one name at a helper cell on the same sheet."""
    xml_name = C.sheet_part(inserted, H.INSERT_SHEET)
    xml = C.part(inserted, xml_name).decode().replace("</sheetData>", '<row r="400"><c r="H400"><v>1</v></c></row></sheetData>')
    tampered = H._name(C.rezip(inserted, replace={xml_name: xml.encode()}), "exp_func_c205", f"'{H.INSERT_SHEET}'!$H$400")
    report, _ = _check(tmp_path, tampered)
    found = _by_rule(report)
    assert [c.field_id for f in found["STR010"] for c in f.cells] == [FIELD_C205]
    assert found["STR010"][0].severity.value == "error" and not report.passed
    assert "STR019" in found  # the other names did go with their rows


def test_after_an_insert_a_name_pointing_at_another_sheet_is_still_an_error(inserted, tmp_path):
    report, _ = _check(tmp_path, H._name(inserted, "exp_func_c205", "'资产'!$B$5"))
    found = _by_rule(report)
    assert found["STR016"][0].severity.value == "error" and not report.passed


def test_a_name_moved_to_another_row_of_its_column_is_not_an_insert(base, tmp_path):
    """No row inserted, one name moved down its own column to an empty cell: column A still reads as the template."""
    report, _ = _check(tmp_path, H._name(base, "exp_func_c205", f"'{H.INSERT_SHEET}'!$B$200"))
    found = _by_rule(report)
    assert "STR010" in found and "STR019" not in found and not report.passed


def test_an_inserted_row_copying_a_template_label_is_not_an_honest_insert(base, tmp_path):
    """A copy of the row's label above the real row, with the name pointing at the copy: the figure read is not
    the one the template row shows, so the copy does not pass for the row."""
    label = "一般公共服务支出（201类）"
    data = H.insert_rows(base, H.INSERT_SHEET, H.INSERT_AT, (label,))
    data = H._name(data, "exp_func_c201", f"'{H.INSERT_SHEET}'!$B${H.INSERT_AT}")
    wb = C.part(data, "xl/workbook.xml").decode()
    assert re.search(r"exp_func_c202\">'收入支出'!\$B\$23<", wb)
    report, _ = _check(tmp_path, data)
    found = _by_rule(report)
    assert "STR010" in found and not report.passed, sorted(found)


def test_formulas_are_compared_where_their_rows_went(inserted, tmp_path):
    """The insert moves the 应为 cells too; a formula changed in its new place is still found (STR012)."""
    xml_name = C.sheet_part(inserted, H.INSERT_SHEET)
    xml = C.part(inserted, xml_name).decode()
    moved_row = H.INSERT_AT + len(NOTE) + 5
    m = re.search(r'<c r="D(\d+)"[^>]*><f>([^<]*)</f>', xml[xml.index(f'<row r="{moved_row}"'):])
    assert m, "a formula below the insert"
    xml = xml.replace(f"<f>{m.group(2)}</f>", "<f>0</f>", 1)
    report, _ = _check(tmp_path, C.rezip(inserted, replace={xml_name: xml.encode()}))
    found = _by_rule(report)
    assert "STR012" in found or "STR011" in found, sorted(found)
    assert not report.passed
