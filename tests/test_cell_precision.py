"""The precision of a stated figure follows what its cell prints (its number format), in real .xlsx files.

The template gives figure cells formats of its own; a cell still in it follows the 封面 declaration. A cell the
accountant formatted (0.0% for a rate the report printed as “95.1%”, 0.00% for “95.10%”) is checked at the
decimals its format prints, whatever digits were typed: 666/700 = 95.14 % agrees with a stated 95.1 % printed
with one decimal, and contradicts 95.10 % printed with two.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from perfeval_xl.check import check_path
from perfeval_xl.readers.workbook import read_workbook
from perfeval_xl.schema import SCHEMA, precision
from perfeval_xl.schema.field import FieldType
from perfeval_xl.template.filler import fill_file
from perfeval_xl.template.layout import layout

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "workbook_templates" / "部门整体支出绩效评价模板.xlsx"
BASELINE = ROOT / "tests" / "rules" / "baseline.yml"
# 编制 700, 在编在岗 666: 666/700 = 95.142857… %
STAFF = {"staff.quota.admin": 700, "staff.quota.inst": 0, "staff.quota.worker": 0, "staff.quota.total": 700,
         "staff.onpost.admin": 666, "staff.onpost.inst": 0, "staff.onpost.worker": 0, "staff.onpost.total": 666,
         "staff.control_rate": 0.951}


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    values = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))
    values.update(STAFF)
    # the baseline holds what % cells hold (0.951); a data file for fill states percentage points (95.1)
    values = {k: (Decimal(str(v)) * 100 if v is not None and SCHEMA[k].type is FieldType.PERCENT else v) for k, v in values.items()}
    return fill_file(TEMPLATE, values, tmp_path_factory.mktemp("precision") / "filled.xlsx")


def _variant(filled: Path, out: Path, formats: dict[str, str], values: dict | None = None) -> Path:
    lay = layout()
    wb = load_workbook(filled)
    for fid, value in (values or {}).items():
        c = lay.cell(fid)
        wb[lay.sheet_title(c.sheet)][c.address].value = value
    for fid, fmt in formats.items():
        c = lay.cell(fid)
        wb[lay.sheet_title(c.sheet)][c.address].number_format = fmt
    wb.save(out)
    return out


def _rate001(path: Path) -> list:
    return [f for f in check_path(path).findings if f.rule_id == "RATE001"]


def test_template_cells_carry_the_templates_own_formats(filled):
    wb = load_workbook(filled)
    lay = layout()
    for fid, kind in (("staff.control_rate", FieldType.PERCENT), ("exp.total_year", FieldType.MONEY)):
        c = lay.cell(fid)
        assert wb[lay.sheet_title(c.sheet)][c.address].number_format == precision.TEMPLATE_FORMATS[kind]
    assert read_workbook(filled).precisions == {}


def test_template_format_follows_the_cover_declaration(filled, tmp_path):
    # 封面 blank: two decimals, 95.1 typed is 95.10 and 95.14 contradicts it
    assert [f.severity.value for f in _rate001(filled)] == ["error"]
    one = _variant(filled, tmp_path / "one.xlsx", {}, {"report.rate_decimals": 1})
    assert _rate001(one) == []


def test_a_cell_formatted_one_decimal_is_checked_at_one(filled, tmp_path):
    path = _variant(filled, tmp_path / "f1.xlsx", {"staff.control_rate": "0.0%"})
    assert read_workbook(path).precisions == {"staff.control_rate": 1}
    assert _rate001(path) == []


def test_a_cell_formatted_two_decimals_beats_a_one_decimal_cover(filled, tmp_path):
    # 封面 says rates print one decimal, but this report printed “95.10%” and the cell says so: typed 95.1
    path = _variant(filled, tmp_path / "f2.xlsx", {"staff.control_rate": "0.00%"}, {"report.rate_decimals": 1})
    assert read_workbook(path).precisions == {"staff.control_rate": 2}
    found = _rate001(path)
    assert [f.severity.value for f in found] == ["error"]
    assert "95.14%" in found[0].message


def test_a_money_cell_formatted_whole_is_read_at_zero_decimals(filled, tmp_path):
    path = _variant(filled, tmp_path / "m0.xlsx", {"exp.total_year": "#,##0"})
    assert read_workbook(path).precisions == {"exp.total_year": 0}
    # a whole-万元 figure widens the rounding interval: 2278 stands for 2277.5…2278.5
    path = _variant(filled, tmp_path / "m0b.xlsx", {"exp.total_year": "#,##0"}, {"exp.total_year": 2278, "goals.dept_amount": 2278,
                                                                                   "budget.final": 2278})
    sums = [f for f in check_path(path).findings if f.rule_id in ("SUM008", "SUM009", "XREF002", "XREF004")]
    assert sums and all(f.rounding for f in sums), [(f.rule_id, f.message) for f in sums]
