"""The summary workbook: one row per checked file, and every finding of all of them.

This is what a 财政局 reviewer sorts and filters after checking a folder of
submissions, so the header is on row 1, with a filter and frozen panes.
Department names, file names and messages come from the senders: every text
cell goes through ``safe_text`` (a department called "=HYPERLINK(…)" must land
as text), while counts and amounts stay numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from ..rules.base import Severity
from ..schema import label_of
from . import safe_text

SUMMARY_SHEET = "汇总"
FINDINGS_SHEET = "问题明细"
SUMMARY_HEADER = (
    "序号", "文件", "部门（单位）", "年度", "模板版本", "结论",
    "错误", "警告", "提示", "校验时间", "规则集版本", "SHA-256", "评分",
)
FINDINGS_HEADER = (
    "文件", "部门（单位）", "序号", "规则", "严重程度", "规则名称",
    "工作表", "单元格", "字段", "说明", "应为", "填报数", "差异",
)
SUMMARY_WIDTHS = (6, 40, 30, 8, 10, 10, 7, 7, 7, 22, 10, 66, 30)
FINDINGS_WIDTHS = (40, 30, 6, 10, 10, 28, 12, 8, 28, 80, 14, 14, 12)


@dataclass(frozen=True)
class Identity:
    """Who sent the workbook, as far as its cover says."""

    department: str | None = None
    year: int | str | None = None
    score: str | None = field(default=None, compare=False)  # "总分 … 评价等级" or "已评 X / 100 分，尚有 N 项待评"


def identify(data) -> Identity:
    """Department and year from a ``WorkbookData`` (raw values: no validation needed to label a row)."""
    if data is None or not getattr(data, "readable", False):
        return Identity()
    dept = data.raw.get("dept.name")
    year = data.raw.get("report.year")
    if isinstance(year, float) and year.is_integer():
        year = int(year)  # calamine gives every number as float; 2023.0 is the year 2023
    dept = str(dept).strip() if dept is not None else None
    from ..readers.evaluator import score_summary

    return Identity(dept or None, year if isinstance(year, (int, str)) else None, score_summary(data))


def identify_path(path: Path | str) -> Identity:
    from ..readers.workbook import read_workbook

    return identify(read_workbook(path, with_formulas=False))


def verdict(report) -> str:
    if not report.checked:
        return "无法校验"
    return "合格" if report.passed else "不合格"


def write_summary(out: Path | str, reports: Iterable, identities: Mapping[str, Identity] | None = None) -> Path:
    """Write the summary workbook atomically; ``identities`` is keyed by ``report.file``."""
    from openpyxl import Workbook

    from .files import save_atomically

    identities = identities or {}
    reports = list(reports)
    wb = Workbook()
    ws = wb.active
    ws.title = SUMMARY_SHEET
    header_row(ws, SUMMARY_HEADER, SUMMARY_WIDTHS)
    for i, r in enumerate(reports, start=1):
        who = identities.get(r.file, Identity())
        counts = r.counts()
        cells = safe_text.write_row(
            ws,
            i + 1,
            (
                i, r.file, who.department, who.year, r.template_version, verdict(r),
                counts[Severity.ERROR.value], counts[Severity.WARNING.value], counts[Severity.INFO.value],
                r.checked_at, r.ruleset_version, r.sha256, who.score,
            ),
        )
        _colour_verdict(cells[5], r)
    _finish(ws, len(SUMMARY_HEADER), len(reports))

    fs = wb.create_sheet(FINDINGS_SHEET)
    header_row(fs, FINDINGS_HEADER, FINDINGS_WIDTHS)
    row = 1
    for r in reports:
        who = identities.get(r.file, Identity())
        for n, f in enumerate(r.findings, start=1):
            row += 1
            c = f.primary
            safe_text.write_row(
                fs,
                row,
                (
                    r.file, who.department, n, f.rule_id, f.severity.label_zh, f.title,
                    c.sheet if c else None, c.address if c else None, label_of(c.field_id) if c else None,
                    f.message, f.expected, f.actual, f.difference,
                ),
            )
    _finish(fs, len(FINDINGS_HEADER), row - 1)
    out = Path(out)
    save_atomically(wb, out)
    return out


def header_row(ws, header, widths) -> None:
    """Row 1 of a summary sheet: bold headings on the template's header fill, column widths set."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from ..template.styles import FILL_HEADER

    safe_text.write_row(ws, 1, header)
    for i, w in enumerate(widths, start=1):
        c = ws.cell(1, i)
        c.font = Font(bold=True)
        c.fill = FILL_HEADER
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = w
    # printed, a summary is one landscape page wide with the header repeated
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"


def _finish(ws, n_cols: int, n_rows: int) -> None:
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(n_cols)}{n_rows + 1}"


def _colour_verdict(cell, report) -> None:
    from openpyxl.styles import Font, PatternFill

    from ..check.marks import MARK_RGB, TEXT_RGB

    if report.passed:
        cell.fill = PatternFill("solid", fgColor="C6EFCE")
        cell.font = Font(color="006100")
    else:
        cell.fill = PatternFill("solid", fgColor=MARK_RGB[Severity.ERROR])
        cell.font = Font(color=TEXT_RGB[Severity.ERROR])


__all__ = ["FINDINGS_HEADER", "FINDINGS_SHEET", "Identity", "SUMMARY_HEADER", "SUMMARY_SHEET", "identify", "header_row", "identify_path", "verdict", "write_summary"]
