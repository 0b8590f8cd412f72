"""The verdict of a submission, exactly: 合格 means checked and no 错误; warnings and hints never fail it.

The intake batch turns a report into a ledger status with ``Report.passed``; the receipt
and the summaries print ``STATUS_ZH`` of that status. Compared whole, never with ``in``:
"合格" is a substring of "不合格".
"""

from __future__ import annotations

import pytest

from perfeval_xl.check.findings import Finding, Report
from perfeval_xl.intake.receipt import receipt_text, verdict
from perfeval_xl.rules.base import Severity

W = Finding("SUM009", Severity.WARNING, "舍入差异", rounding=True)
I = Finding("MISS001", Severity.INFO, "未填写")
E = Finding("SUM005", Severity.ERROR, "不平")


@pytest.mark.parametrize(("findings", "checked", "passed"), [
    ([], True, True),
    ([W], True, True),
    ([W, I, W], True, True),
    ([I], True, True),
    ([E], True, False),
    ([W, E, I], True, False),
    ([], False, False),  # could not be checked: never 合格
    ([W], False, False),
])
def test_passed_is_checked_and_no_error(findings, checked, passed):
    report = Report(file="x.xlsx", findings=list(findings), checked=checked)
    assert report.passed is passed
    assert report.has_errors is any(f.severity is Severity.ERROR for f in findings)


def test_counts_by_severity():
    report = Report(file="x.xlsx", findings=[W, I, W, E])
    assert report.counts() == {"error": 1, "warning": 2, "info": 1}


@pytest.mark.parametrize(("status", "zh"), [
    ("passed", "合格"), ("failed", "不合格"), ("rejected", "已拒收"), ("unreadable", "无法校验"), ("duplicate", "重复提交"),
])
def test_verdict_words(status, zh):
    assert verdict({"status": status}) == zh


def test_warnings_only_receipt_says_qualified_exactly():
    report = Report(file="x.xlsx", findings=[W, I])
    row = {"id": 7, "file_name": "x.xlsx", "status": "passed" if report.passed else "failed"}
    doc = {"counts": report.counts(), "findings": [f.to_dict() for f in report.findings]}
    lines = receipt_text(row, doc).splitlines()
    assert [line for line in lines if line.startswith("校验结论：")] == ["校验结论：合格"]
    assert "问题统计：错误 0 项，警告 1 项，提示 1 项（其中安全检查 0 项）" in lines


def test_an_unknown_status_is_shown_as_it_is_not_hidden():
    assert verdict({"status": "pending"}) == "pending"
