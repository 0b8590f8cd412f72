"""The summary workbook: one row per checked file, and every finding of all of them.

This is what a 财政局 reviewer sorts and filters after checking a folder of
submissions, so the header is on row 1, with a filter and frozen panes.
Department names, file names and messages come from the senders: every text
cell goes through ``safe_text`` (a department called "=HYPERLINK(…)" must land
as text), while counts, scores and amounts stay numbers.

The tables are built as pandas DataFrames (the per-file table, the findings, the
errors pivoted by rule and department with totals, the scores) and written with
openpyxl's styling and charts. ``perfeval intake``'s summary uses the same writers.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping

from ..rules.base import Severity
from ..schema import label_of
from . import safe_text
from .timefmt import local_display, zone_label

if TYPE_CHECKING:  # pandas is imported only when a summary is written
    import pandas as pd

SUMMARY_SHEET = "汇总"
FINDINGS_SHEET = "问题明细"
PIVOT_SHEET = "错误分布"
CHART_SHEET = "图表"
UNKNOWN_DEPT = "（未能识别）"
TOTAL = "合计"

# (header, DataFrame column, minimum width); widths grow with the content up to MAX_WIDTH
SUMMARY_COLUMNS = (
    ("序号", "no", 5), ("文件", "file", 16), ("部门（单位）", "department", 14), ("年度", "year", 6),
    ("模板版本", "template_version", 8), ("结论", "verdict", 8), ("错误", "errors", 5), ("警告", "warnings", 5),
    ("提示", "infos", 5), ("得分", "score", 6), ("等级", "grade", 5), (f"校验时间（{zone_label()}）", "checked_at", 17),
    ("规则集版本", "ruleset_version", 8), ("SHA-256（前 16 位）", "sha_short", 18), ("SHA-256", "sha256", 66),
)
FINDINGS_COLUMNS = (
    ("文件", "file", 16), ("部门（单位）", "department", 14), ("序号", "n", 5), ("规则", "rule_id", 8),
    ("严重程度", "severity", 8), ("规则名称", "title", 16), ("工作表", "sheet", 10), ("单元格", "address", 7),
    ("字段", "field", 14), ("说明", "message", 60), ("应为", "expected", 10), ("填报数", "actual", 10), ("差异", "difference", 8),
)
SUMMARY_HEADER = tuple(h for h, _, _ in SUMMARY_COLUMNS)
FINDINGS_HEADER = tuple(h for h, _, _ in FINDINGS_COLUMNS)
MAX_WIDTH = 26  # wider text wraps: one landscape page stays legible
LINE_HEIGHT = 15  # points per line of 11 pt text
HIDDEN_COLUMNS = {"sha256"}  # the full hash, for copying; printed, the prefix identifies the file
SHA_PREFIX = 16


@dataclass(frozen=True)
class Identity:
    """Who sent the workbook, as far as its cover says, and what it scores."""

    department: str | None = None
    year: int | str | None = None
    score: float | None = None
    grade: str | None = None


def identify(data) -> Identity:
    """Department, year, score and grade from a ``WorkbookData`` (raw values: no validation needed to label a row)."""
    if data is None or not getattr(data, "readable", False):
        return Identity()
    dept = data.raw.get("dept.name")
    year = data.raw.get("report.year")
    if isinstance(year, float) and year.is_integer():
        year = int(year)  # calamine gives every number as float; 2023.0 is the year 2023
    dept = str(dept).strip() if dept is not None else None
    score, grade = score_and_grade(data)
    return Identity(dept or None, year if isinstance(year, (int, str)) else None, score, grade)


def score_and_grade(data) -> tuple[float | None, str | None]:
    """The total (out of 100) and 等级 once every row is scored; before that (None, "已评 X / 100 分，尚有 N 项待评").

    (None, None) when the workbook cannot be scored. The evaluator's entries on the 评分 sheet count.
    """
    from ..readers.evaluator import scorecard_of

    try:
        card = scorecard_of(data)
    except Exception:  # a workbook too broken to score still gets its row
        return None, None
    if card is None:
        return None, None
    if card.total is None or card.grade is None:
        return None, card.explanation
    return round(float(card.total), 2), card.grade


def identify_path(path: Path | str) -> Identity:
    from ..readers.workbook import read_workbook

    return identify(read_workbook(path, with_formulas=False))


def verdict(report) -> str:
    if not report.checked:
        return "无法校验"
    return "合格" if report.passed else "不合格"


# --------------------------------------------------------------------------- tables


def files_frame(reports: list, identities: Mapping[str, Identity]) -> "pd.DataFrame":
    import pandas as pd

    rows = []
    for i, r in enumerate(reports, start=1):
        who = identities.get(r.file, Identity())
        counts = r.counts()
        rows.append({
            "no": i, "file": r.file, "department": who.department, "year": who.year,
            "template_version": r.template_version, "verdict": verdict(r), "passed": r.passed,
            "errors": counts[Severity.ERROR.value], "warnings": counts[Severity.WARNING.value],
            "infos": counts[Severity.INFO.value], "score": who.score, "grade": who.grade,
            "checked_at": local_display(r.checked_at), "ruleset_version": r.ruleset_version,
            "sha_short": (r.sha256 or "")[:SHA_PREFIX] or None, "sha256": r.sha256 or None,
        })
    return pd.DataFrame(rows, columns=["passed", *(k for _, k, _ in SUMMARY_COLUMNS)])


def findings_frame(reports: list, identities: Mapping[str, Identity]) -> "pd.DataFrame":
    import pandas as pd

    rows = []
    for r in reports:
        who = identities.get(r.file, Identity())
        for n, f in enumerate(r.findings, start=1):
            c = f.primary
            rows.append({
                "file": r.file, "department": who.department, "n": n, "rule_id": f.rule_id,
                "severity_id": f.severity.value, "severity": f.severity.label_zh, "title": f.title,
                "sheet": c.sheet if c else None, "address": c.address if c else None,
                "field": label_of(c.field_id) if c else None, "message": f.message,
                "expected": f.expected, "actual": f.actual, "difference": f.difference,
            })
    return pd.DataFrame(rows, columns=["severity_id", *(k for _, k, _ in FINDINGS_COLUMNS)])


def errors_by_rule_and_department(findings: "pd.DataFrame") -> "pd.DataFrame":
    """错误 counted per rule (rows) and department (columns), with 合计 row and column, busiest rule first."""
    import pandas as pd

    errors = findings[findings["severity_id"] == Severity.ERROR.value]
    if errors.empty:
        return pd.DataFrame()
    table = errors.assign(department=errors["department"].fillna(UNKNOWN_DEPT)).pivot_table(
        index="rule_id", columns="department", values="n", aggfunc="count", fill_value=0,
        margins=True, margins_name=TOTAL,
    )
    body = table.drop(index=TOTAL).sort_values(TOTAL, ascending=False, kind="stable")
    return pd.concat([body, table.loc[[TOTAL]]]).rename_axis(index="规则", columns=None)


# --------------------------------------------------------------------------- writing


def _plain(value):
    """numpy scalars and NaN → what safe_text and openpyxl take (int, float, None …)."""
    if value is None:
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # lists and other non-scalars are not missing
        pass
    return value.item() if hasattr(value, "item") and not isinstance(value, (str, bytes)) else value


def display_width(value) -> int:
    """Columns a value takes in Excel: CJK characters count twice."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_frame(ws, df: "pd.DataFrame", columns, *, max_width: int = MAX_WIDTH) -> None:
    """Header row, one row per DataFrame row, widths fitted to the content, filter and frozen header."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    widths = []
    for header, key, minimum in columns:
        content = max((display_width(v) for v in df[key]), default=0) if key in df else 0
        widths.append(min(max(minimum, display_width(header) + 2, content + 2), max_width if minimum <= max_width else minimum))
    header_row(ws, [h for h, _, _ in columns], widths)
    keys = [k for _, k, _ in columns]
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, values in enumerate(df[keys].itertuples(index=False, name=None), start=2):
        lines = 1
        for cell, width in zip(safe_text.write_row(ws, i, [_plain(v) for v in values]), widths):
            if isinstance(cell.value, str) and display_width(cell.value) > width - 1:
                cell.alignment = wrap  # long names wrap in their cell instead of spilling over the next
                lines = max(lines, -(-display_width(cell.value) // (width - 1)))
        if lines > 1:  # neither openpyxl nor LibreOffice fits row heights to wrapped text on their own
            ws.row_dimensions[i].height = LINE_HEIGHT * min(lines, 8)
    for j, key in enumerate(keys, start=1):
        if key in HIDDEN_COLUMNS:
            ws.column_dimensions[get_column_letter(j)].hidden = True
    _finish(ws, len(columns), len(df))


def write_pivot(ws, table: "pd.DataFrame", title: str) -> None:
    """A rule × department table: bold 合计 row and column."""
    from openpyxl.styles import Font

    if table.empty:
        safe_text.write(ws["A1"], f"{title}：没有错误。")
        return
    columns = [(table.index.name or "", "__index__", 8)] + [(str(c), c, 8) for c in table.columns]
    df = table.reset_index().rename(columns={table.index.name: "__index__"})
    write_frame(ws, df, columns, max_width=24)
    bold = Font(bold=True)
    for cell in ws[ws.max_row]:
        cell.font = bold
    for row in ws.iter_rows(min_col=ws.max_column, max_col=ws.max_column):
        row[0].font = bold


def add_charts(wb, errors_by_rule: "pd.Series", scores: "pd.Series") -> None:
    """The 图表 sheet: errors by rule, and scores by department (0–100), as horizontal bars."""
    from openpyxl.chart import BarChart, Reference

    ws = wb.create_sheet(CHART_SHEET)
    # charts under the two small tables, one above the other: printed, the sheet is one page wide
    below = max(len(errors_by_rule), len(scores)) + 3
    second = below + int(max(7.5, 0.5 * len(errors_by_rule)) * 2) + 3  # chart heights are in cm, rows ~0.5 cm
    blocks = ((1, ("规则", "错误数"), errors_by_rule, "各规则错误数", "错误数", f"A{below}", None),
              (3, ("部门（单位）", "得分"), scores, "各部门得分", "得分", f"A{second}", (0, 100)))
    for col, header, series, title, axis, anchor, scale in blocks:
        label_width = min(60, max([12, *(display_width(v) + 2 for v in series.index)]))
        header_row(ws, header, [label_width, 8], start_col=col, page=False)
        for i, (label, value) in enumerate(series.items(), start=2):
            safe_text.write_row(ws, i, (_plain(label), _plain(value)), start_col=col)
        if series.empty:
            continue
        chart = BarChart()
        chart.type = "bar"
        chart.title = title
        chart.y_axis.title = axis
        chart.legend = None
        if scale:
            chart.y_axis.scaling.min, chart.y_axis.scaling.max = scale
        chart.add_data(Reference(ws, min_col=col + 1, min_row=1, max_row=len(series) + 1), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=col, min_row=2, max_row=len(series) + 1))
        chart.height = max(7.5, 0.5 * len(series))
        chart.width = 24
        ws.add_chart(chart, anchor)
    ws.page_setup.orientation = "portrait"  # tables and both charts stacked on one printed page
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 1


def write_summary(out: Path | str, reports: Iterable, identities: Mapping[str, Identity] | None = None) -> Path:
    """Write the summary workbook atomically; ``identities`` is keyed by ``report.file``."""
    from openpyxl import Workbook

    from .files import save_atomically

    identities = identities or {}
    reports = list(reports)
    files = files_frame(reports, identities)
    findings = findings_frame(reports, identities)

    wb = Workbook()
    ws = wb.active
    ws.title = SUMMARY_SHEET
    write_frame(ws, files, SUMMARY_COLUMNS)
    verdict_col = [k for _, k, _ in SUMMARY_COLUMNS].index("verdict") + 1
    for i, (passed, checked) in enumerate(zip(files["passed"], (r.checked for r in reports)), start=2):
        _colour_verdict(ws.cell(i, verdict_col), bool(passed) and checked)

    write_frame(wb.create_sheet(FINDINGS_SHEET), findings, FINDINGS_COLUMNS)
    pivot = errors_by_rule_and_department(findings)
    write_pivot(wb.create_sheet(PIVOT_SHEET), pivot, "按规则和部门统计的错误")
    by_rule = pivot[TOTAL].drop(TOTAL) if not pivot.empty else files["errors"].iloc[0:0]
    scored = files.dropna(subset=["score"])
    scores = scored.set_index(scored["department"].fillna(scored["file"]))["score"].sort_values(ascending=False)
    add_charts(wb, by_rule, scores)
    out = Path(out)
    save_atomically(wb, out)
    return out


def header_row(ws, header, widths, *, start_col: int = 1, page: bool = True) -> None:
    """Row 1 of a summary sheet: bold headings on the template's header fill, column widths set."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from ..template.styles import FILL_HEADER

    safe_text.write_row(ws, 1, header, start_col=start_col)
    for i, w in enumerate(widths, start=start_col):
        c = ws.cell(1, i)
        c.font = Font(bold=True)
        c.fill = FILL_HEADER
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = w
    if not page:
        return
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


def _colour_verdict(cell, passed: bool) -> None:
    from openpyxl.styles import Font, PatternFill

    from ..check.marks import MARK_RGB, TEXT_RGB

    if passed:
        cell.fill = PatternFill("solid", fgColor="C6EFCE")
        cell.font = Font(color="006100")
    else:
        cell.fill = PatternFill("solid", fgColor=MARK_RGB[Severity.ERROR])
        cell.font = Font(color=TEXT_RGB[Severity.ERROR])


__all__ = [
    "FINDINGS_HEADER", "FINDINGS_SHEET", "Identity", "SUMMARY_HEADER", "SUMMARY_SHEET", "add_charts",
    "errors_by_rule_and_department", "findings_frame", "files_frame", "header_row", "identify", "identify_path",
    "score_and_grade", "verdict", "write_frame", "write_pivot", "write_summary",
]
