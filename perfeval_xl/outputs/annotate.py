"""The annotated copy: a checked workbook with its findings written into it.

Every cell a finding involves gets a fill in the colour of its worst severity
and a note (comment) with the message(s); the 校验结果 sheet lists every
finding with a hyperlink to its cell. The input is never touched: the copy is
written to a temporary file next to the output and renamed into place.

One openpyxl load and one save (anchors.md §3.1: results sheet + highlights;
xlwings.md §5: openpyxl keeps protection, names, validations, comments and
conditional formats, but drops shapes, unknown parts, x14 validations and
cached formula values, which is why this is only ever a *copy*). The sheets
stay protected: openpyxl writes into protected sheets without unprotecting.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

from ..check.marks import MARK_RGB, TEXT_RGB, Mark, cell_marks
from ..errors import UserError
from ..rules.base import Severity
from ..schema import label_of
from ..xl.marking import FIRST_ROW as BUTTON_FIRST_ROW, MARKS_COLUMN
from . import safe_text
from .files import same_file, save_atomically

RESULTS_SHEET = "校验结果"
# The template's 校验结果 sheet, shared with the Excel 校验 button (xl/validate.py):
# 1 heading, 2 unit line, 3 the button's 校验/清除标记 switch, 4 status, 5 header, 6… findings.
FIRST_ROW = BUTTON_FIRST_ROW
HEADER_ROW = FIRST_ROW - 1
NOTE_AUTHOR = "perfeval 校验"


@dataclass
class AnnotateResult:
    path: Path
    flagged: int  # cells coloured
    rows: int  # findings listed on 校验结果
    warnings: list[str] = field(default_factory=list)  # what openpyxl said it dropped


def annotate(src: Path | str, report, out: Path | str) -> AnnotateResult:
    """Write the annotated copy of ``src`` (checked as ``report``) to ``out``."""
    from openpyxl import load_workbook

    src, out = Path(src), Path(out)
    if same_file(src, out):
        raise UserError(f"标注副本不能覆盖原文件：{out}")
    keep_vba = src.suffix.lower() == ".xlsm"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            wb = load_workbook(src, keep_vba=keep_vba, rich_text=True)
        except Exception as exc:  # openpyxl raises many types for files calamine still read
            raise UserError(f"无法生成标注副本（openpyxl 无法打开 {src.name}）：{type(exc).__name__}: {exc}") from exc
    flagged = _flag_cells(wb, cell_marks(report.findings))
    ws = _results_sheet(wb)
    rows = _fill_results(ws, report)
    _record_marks(ws, flagged)
    _activate(wb, ws)
    save_atomically(wb, out)
    dropped = sorted({str(w.message) for w in caught})
    return AnnotateResult(out, len(flagged), rows, dropped)


def _flag_cells(wb, marks: dict[tuple[str, str], Mark]) -> list[tuple[str, str]]:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    fills = {s: PatternFill("solid", fgColor=rgb) for s, rgb in MARK_RGB.items()}
    titles = set(wb.sheetnames)
    done = []
    for (sheet, address), mark in marks.items():
        if sheet not in titles:  # a finding about a missing sheet has nowhere to go but the list
            continue
        try:
            cell = wb[sheet][address]
        except (ValueError, KeyError, IndexError):  # not an A1 address
            continue
        cell.fill = fills[mark.severity]
        text = "\n".join(mark.lines)
        if cell.comment is not None and cell.comment.text:
            # keep the template's own note (e.g. on 差异 cells) and put ours first
            text = f"{text}\n\n{cell.comment.text}"
        note = Comment(text[:safe_text.MAX_CELL_TEXT], NOTE_AUTHOR)
        note.width = 320
        note.height = min(60 + 18 * text.count("\n") + len(text) // 2, 600)
        cell.comment = note
        done.append((sheet, cell.coordinate))
    return done


def _results_sheet(wb):
    """The template's 校验结果 sheet, or a new one at the end for workbooks without it."""
    from openpyxl.styles import Alignment, Font, PatternFill

    if RESULTS_SHEET in wb.sheetnames:
        ws = wb[RESULTS_SHEET]
        if ws.max_row >= FIRST_ROW:  # results of an earlier check: replace, never append
            ws.delete_rows(FIRST_ROW, ws.max_row - FIRST_ROW + 1)
            ws._hyperlinks = []
        return ws
    ws = wb.create_sheet(RESULTS_SHEET)
    ws["A1"] = "校验结果"
    ws["A1"].font = Font(bold=True, size=16)
    for i, h in enumerate(_header(), start=1):
        c = ws.cell(HEADER_ROW, i, h)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="D9E1F2")
        c.alignment = Alignment(horizontal="center", vertical="center")
    for col, width in zip("ABCDEFG", (6, 10, 10, 14, 10, 28, 80)):
        ws.column_dimensions[col].width = width
    return ws


def _header() -> tuple[str, ...]:
    from ..template.writer import FINDINGS_HEADER

    return FINDINGS_HEADER


def _fill_results(ws, report) -> int:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    counts = report.counts()
    verdict = "合格" if report.passed else ("无法校验" if not report.checked else "不合格")
    sev_counts = "，".join(f"{s.label_zh} {counts[s.value]}" for s in Severity)
    # A3/B3 belong to the 校验 button (its 校验/清除标记 switch): the status and provenance go in A4.
    status = ws["A4"]
    safe_text.write(
        status,
        f"校验结论：{verdict}。共 {len(report.findings)} 条：{sev_counts}。"
        f"（perfeval check，规则集 {report.ruleset_version}，模板 v{report.template_version or '未知'}，"
        f"校验时间 {report.checked_at}，原文件 SHA-256 {report.sha256}）",
    )
    status.font = Font(bold=True, color=TEXT_RGB[Severity.ERROR] if not report.passed else "375623")

    fills = {s: PatternFill("solid", fgColor=rgb) for s, rgb in MARK_RGB.items()}
    link_font = Font(color="0563C1", underline="single")
    top = Alignment(vertical="top")
    wrap = Alignment(wrap_text=True, vertical="top")
    titles = set(ws.parent.sheetnames)
    for i, f in enumerate(report.findings, start=1):
        row = FIRST_ROW + i - 1
        c = f.primary
        sheet = c.sheet if c else None
        address = c.address.replace("$", "") if c and c.address else None
        field_text = label_of(c.field_id) if c else None
        severity = f.severity.label_zh + ("（舍入差异）" if f.rounding else "")  # as the 校验 button writes it
        cells = safe_text.write_row(ws, row, (i, f.rule_id, severity, sheet, address, field_text, f.message))
        for x in cells:
            x.alignment = top
        cells[2].fill = fills[f.severity]
        cells[5].alignment = cells[6].alignment = wrap
        ws.row_dimensions[row].height = _row_height(f.message, field_text)
        if sheet in titles and address:
            quoted = sheet.replace("'", "''")
            cells[4].hyperlink = Hyperlink(ref=cells[4].coordinate, location=f"'{quoted}'!{address}", display=address)
            cells[4].font = link_font
    return len(report.findings)


def _record_marks(ws, flagged: list[tuple[str, str]]) -> None:
    """List the coloured cells in the hidden column the 校验 button reads, so that
    清除标记 (or the next 校验) in Excel takes this copy's marks off too."""
    for i, (sheet, address) in enumerate(flagged):
        safe_text.write(ws[f"{MARKS_COLUMN}{FIRST_ROW + i}"], f"'{sheet}'!{address}")
    ws.column_dimensions[MARKS_COLUMN].hidden = True


def _row_height(message: str, field_text: str | None) -> float:
    """Rows written by openpyxl are not auto-fitted on open: size wrapped text ourselves.

    Column widths count narrow characters; a Chinese character takes two.
    """
    def lines(text: str | None, width: int) -> int:
        if not text:
            return 1
        units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
        return max(1, -(-units // width))

    return 15.0 * max(lines(message, 78), lines(field_text, 26)) + 3


def _activate(wb, ws) -> None:
    """Open the copy on its results; deselect the other tabs or Excel groups them."""
    for other in wb.worksheets:
        other.sheet_view.tabSelected = False
    wb.active = wb.worksheets.index(ws)
    ws.sheet_view.tabSelected = True


__all__ = ["AnnotateResult", "RESULTS_SHEET", "annotate"]
