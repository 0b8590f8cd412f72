"""扣分理由 read like a reviewer: each scoring-rule kind words a lost point from its declaration, and the
report's score table, ``perfeval score`` and the 评分 sheet print the same words (the sheet's Excel twin is
compared with the engine in tests/test_score_sheet_equals_cli.py)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from perfeval_xl.indicators import score
from perfeval_xl.indicators.catalog import INDICATORS
from perfeval_xl.indicators.scoring_rules import RULE_TYPES, Band, rule_from_data
from perfeval_xl.report import build_report, typed_values
from perfeval_xl.report.scoretable import score_rows

EXAMPLES = Path(__file__).resolve().parent.parent / "workbook_templates" / "examples"

CASES = [
    ({"type": "steps_under", "threshold": 100, "step": 5, "deduct": 2}, "BUDGET_EXECUTION", D("93.34"), D(5),
     "93.34%，低于 100%，按每低于 5 个百分点扣 2 分，扣 2 分"),
    ({"type": "steps_over", "threshold": 0, "step": 5, "deduct": 1}, "SANGGONG_CHANGE_FINAL", D("12.5"), D(5),
     "12.50%，超过 0%，按每超过 5 个百分点扣 1 分，扣 2 分"),
    ({"type": "linear_under", "threshold": 100, "deduct": 0.5}, "PROCUREMENT_EXEC", D("96"), D(5),
     "政府采购执行率 96.00%，低于 100%，按每低于 1 个百分点扣 0.5 分，扣 2 分"),
    ({"type": "linear_over", "threshold": 0, "deduct": 0.8}, "SANGGONG_CHANGE_FINAL", D("5"), D(8),
     "5.00%，超过 0%，按每超过 1 个百分点扣 0.8 分，扣 4 分"),
    ({"type": "bands", "bands": {"<=10": 5, "(10,20]": 3, ">20": 0}}, "BUDGET_CONTROL", D("10.34"), D(5),
     "预算控制率 10.34%，超过 10%、不超过 20%，按评分标准得 3 分，扣 2 分"),
    ({"type": "bands", "bands": {"=0": 3, "=1": 2, "=2": 0}}, "FUND_BALANCE", D(2), D(3),
     "：结余超过上年结转，按评分标准得 0 分，扣 3 分"),
    ({"type": "checklist", "per_item": 1, "mode": "deduct"}, "FUND_COMPLIANCE", D(3), D(5),
     "5 项评价要点中 2 项不符合，每项不符合扣 1 分，扣 2 分"),
    ({"type": "checklist", "per_item": 1, "mode": "award"}, "FUND_COMPLIANCE", D(3), D(5),
     "5 项评价要点中 3 项符合，每项符合得 1 分，扣 2 分"),
    ({"type": "proportional", "target": 100}, "OUTPUT_COMPLETION", D(90), D(10),
     "90.00%，未达到 100%，按完成比例计分（10 分 × 90.00% ÷ 100%），扣 1 分"),
]


def test_every_rule_kind_is_worded():
    assert {c[0]["type"] for c in CASES} == set(RULE_TYPES)


@pytest.mark.parametrize("spec, code, x, points, expected", CASES)
def test_lost_points_read_like_a_reviewer(spec, code, x, points, expected):
    rule, ind = rule_from_data(spec), INDICATORS[code]
    s = rule.score(x, points, ind)
    text = rule.explain(x, points, ind, s)
    assert expected in text, text
    assert text.startswith(ind.title)
    assert "档" not in text and "属于" not in text  # no band notation


def test_less_than_a_step_is_no_deduction():
    rule, ind = rule_from_data({"type": "steps_under", "threshold": 100, "step": 5, "deduct": 2}), INDICATORS["BUDGET_EXECUTION"]
    assert rule.explain(D("96.12"), D(5), ind, D(5)).endswith("低于 100% 不足 5 个百分点，不扣分，得满分 5 分")


def test_band_words_read_the_declared_ends():
    pct = INDICATORS["BUDGET_CONTROL"]
    assert Band.parse("[10,20)", D(1)).words(pct) == "不低于 10%、低于 20%"
    assert Band.parse(">30", D(0)).words(pct) == "超过 30%"
    assert Band.parse("<=10", D(5)).words(pct) == "不超过 10%"


def test_report_and_score_command_print_the_same_reason(capsys):
    from perfeval_xl.cli import main

    _, values = typed_values(EXAMPLES / "synthetic.xlsx")
    card = score(values, "V1")
    row = next(r for r in score_rows(card).rows if r.level3 == "预算控制率")
    assert row.reason == "预算控制率 10.34%，超过 10%、不超过 20%，按评分标准得 3 分，扣 2 分"
    assert main(["score", str(EXAMPLES / "synthetic.xlsx")]) == 0
    assert row.reason in capsys.readouterr().out
    text = build_report(values, card, []).text()
    assert "属于 (" not in text and "档" not in text
