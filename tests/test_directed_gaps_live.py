"""The live 应为/差异 cells read a gap typed beside 超支/节约 the way the checker does.

Reports print "节约1万元" with an unsigned amount; with the choice set, the template's live cells
must take the amount as −1 — or the accountant sees a red 差异 the bureau's check does not give.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from perfeval_xl.check.engine import check_path
from perfeval_xl.examples import ROOT
from perfeval_xl.outputs.libreoffice import recalculate
from perfeval_xl.template.filler import fill_file
from perfeval_xl.template.layout import layout

TEMPLATE = ROOT / "部门整体支出绩效评价模板.xlsx"
D = Decimal
# 三公 and its parts: final − budget is the printed gap; the parts' gaps add up to the total's
ROWS = {"abroad": ("4", "5", "1", "节约"), "reception": ("3", "5", "2", "节约"),
        "vehicle": ("10.5", "10", "0.5", "超支"), "sanggong": ("17.5", "20", "2.5", "节约")}


def _values(flip: str | None = None, pad: str = "") -> dict:
    values: dict[str, object] = {}
    for row, (final, budget, gap, way) in ROWS.items():
        values[f"spend.{row}.final"] = D(final)
        values[f"spend.{row}.budget"] = D(budget)
        values[f"change.{row}.gap"] = D(gap)
        values[f"change.{row}.gap_direction"] = pad + (("超支" if way == "节约" else "节约") if row == flip else way) + pad
    return values


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    out = tmp_path_factory.mktemp("directed")
    made = {}
    for name, flip, pad in (("right", None, ""), ("wrong", "reception", ""), ("padded", None, " ")):
        path = fill_file(TEMPLATE, _values(flip, pad), out / f"{name}.xlsx")
        made[name] = (path, load_workbook(recalculate(path, out / "lo"), data_only=True))
    return made


def _diffs(wb) -> dict[str, float]:
    lay = layout()
    out = {}
    for p in lay.checks:
        if p.spec.stated.endswith(".gap"):
            d = wb[lay.sheet_title(p.diff_cell.sheet)][p.diff_cell.address].value
            if isinstance(d, (int, float)):
                out[f"{p.spec.rule_id}:{p.spec.stated}"] = round(d, 6)
    return out


@pytest.mark.parametrize("name", ["right", "padded"])  # “ 节约 ”: stripped by the checker, trimmed by the sheet
def test_unsigned_gaps_with_their_direction_agree_on_the_sheet_and_in_the_check(books, name):
    path, wb = books[name]
    diffs = _diffs(wb)
    assert any(k.startswith("SUM018:") for k in diffs) and len(diffs) >= 5, diffs
    assert set(diffs.values()) == {0}, diffs
    found = {f.rule_id for f in check_path(path).findings if f.severity.value in ("error", "warning")}
    assert not found & {"SUM018", "RATE014", "XREF010", "XREF011"}, found


def test_a_wrong_direction_shows_on_the_sheet_as_in_the_check(books):
    path, wb = books["wrong"]
    diffs = {k: v for k, v in _diffs(wb).items() if v}
    # 接待费 节约2 read as 超支2: its own row is 4 off, and the parts no longer add up to the total's gap
    assert diffs.get("RATE014:change.reception.gap") == 4, diffs
    assert diffs.get("SUM018:change.sanggong.gap") == -4, diffs
    found = {f.rule_id for f in check_path(path).findings if f.severity.value == "error"}
    assert {"RATE014", "SUM018"} <= found, found
