"""The template's live 差异 colouring follows the checker's blank semantics, computed by a real engine (LibreOffice).

Each conditional-format condition of a 差异 cell is copied into a scratch sheet of a filled
template, LibreOffice recalculates it, and the red/yellow verdicts must match what the checker
says about the same figures: a blank part is unknown (only an impossible total is red), the
tolerance counts only the filled figures at the precision declared on 封面.
"""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from rule_fixtures import merged

from perfeval_xl.check import check_values
from perfeval_xl.outputs.libreoffice import recalculate
from perfeval_xl.schema import SCHEMA
from perfeval_xl.schema.values import coerce
from perfeval_xl.template.layout import layout
from perfeval_xl.template.writer import _live_conditions, build_template

STATED = "spend.sanggong.final"
SCENARIOS = {
    # name: (changes, red, yellow) — 三公 = 出国 + 接待 (0.61) + 公务用车 (5.43)
    "complete_exact": ({}, False, False),
    "complete_wrong": ({STATED: 6.40}, True, False),
    "abroad_blank_total_covers_parts": ({"spend.abroad.final": None, STATED: 6.50}, False, False),
    "abroad_blank_total_below_parts": ({"spend.abroad.final": None, STATED: 5.00}, True, False),
    "abroad_blank_one_cent_below": ({"spend.abroad.final": None, STATED: 6.03}, False, True),
    "one_decimal_declared_widens_tolerance": ({"report.money_decimals": 1, "spend.reception.final": 0.6, "spend.vehicle.final": 5.4,
                                               STATED: 6.1}, False, True),
    "one_decimal_declared_still_catches": ({"report.money_decimals": 1, "spend.reception.final": 0.6, "spend.vehicle.final": 5.4,
                                            STATED: 6.3}, True, False),
}


def _spec():
    lay = layout()
    return next(p for p in lay.checks if p.spec.rule_id == "SUM012" and p.spec.stated == STATED)


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    root = tmp_path_factory.mktemp("live")
    p = _spec()
    lay = layout()
    sheet = lay.sheet_title(p.expected_cell.sheet)
    red, yellow = _live_conditions(p.spec, f"'{sheet}'!{p.diff_cell.address}", p.expected_cell.sheet)
    out = {}
    for name, (changes, _, _) in SCENARIOS.items():
        typed = {k: coerce(SCHEMA[k], v)[0] for k, v in merged(changes).items() if v is not None}
        path = build_template(root / f"{name}.xlsx", values=typed)
        wb = load_workbook(path)
        wb.security.lockStructure = False
        ws = wb.create_sheet("probe")
        ws["A1"] = f"=AND(ISNUMBER('{sheet}'!{p.diff_cell.address}),{red})"
        ws["A2"] = f"=AND(ISNUMBER('{sheet}'!{p.diff_cell.address}),{yellow})"
        wb.save(path)
        calc = load_workbook(recalculate(path, root / name), data_only=True)
        out[name] = (calc["probe"]["A1"].value, calc["probe"]["A2"].value, check_values(merged(changes)))
    return out


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_live_colour_matches_the_checker(verdicts, name):
    _, want_red, want_yellow = SCENARIOS[name]
    red, yellow, findings = verdicts[name]
    assert bool(red) is want_red
    assert bool(yellow) is want_yellow or want_red  # red stops further formats; yellow may also hold underneath
    mine = [f for f in findings if f.rule_id == "SUM012"]
    if want_red:
        assert mine and mine[0].severity.value == "error"
    elif want_yellow:
        assert mine and mine[0].rounding
    else:
        assert not mine


def test_no_two_live_checks_share_a_cell():
    """A cell checked by two rules (三公 本年决算: SUM012 and RATE013) gets one 应为/差异 pair per rule."""
    lay = layout()
    taken = {}
    for p in lay.checks:
        for c in (p.expected_cell, p.diff_cell):
            key = (c.sheet, c.address)
            assert key not in taken, f"{p.spec.rule_id} and {taken[key]} both write {key}"
            taken[key] = p.spec.rule_id
    assert sum(1 for p in lay.checks if p.spec.stated == STATED) == 2
