"""What an annotated copy says, apart from how it is written into the package.

The notes on flagged cells and the rows of the 校验结果 sheet are decided here
once; the package patcher (``annotate``) and the openpyxl writer kept as its
reference and fallback (``annotate_openpyxl``) both render exactly this.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..check.marks import TEXT_RGB, Mark
from ..rules.base import Severity
from ..schema import label_of
from ..xl.marking import FIRST_ROW as BUTTON_FIRST_ROW, SECTION_ROW
from . import listing, safe_text
from .timefmt import local_display, zone_label

RESULTS_SHEET = "校验结果"
# The template's 校验结果 sheet, shared with the Excel 校验 button (xl/validate.py):
# 1 heading, 2 unit line, 3 the button's 校验/清除标记 switch, 4 status, 5… the live native block,
# then the section line, the header and the findings listed below it.
FIRST_ROW = BUTTON_FIRST_ROW
HEADER_ROW = FIRST_ROW - 1
STATUS_CELL = "A4"  # A3/B3 belong to the 校验 button's switch
STATUS_RANGE = "A4:G4"  # merged and wrapped: the status with its hash would run past the printed columns
CENTRED_COLUMNS = (0, 1, 2, 4)  # 序号, 规则, 严重程度, 单元格: centred as in the live block above
NOTE_AUTHOR = "perfeval 校验"
NOTE_WIDTH = 320
PASSED_RGB = "375623"
LINK_RGB = "0563C1"
HEADER_FILL_RGB = "D9E1F2"
# Widths of A…G on a 校验结果 sheet we have to add (the template declares its own).
COLUMN_WIDTHS = dict(zip("ABCDEFG", (6, 10, 10, 14, 10, 28, 80)))


@dataclass(frozen=True)
class ResultRow:
    """One finding on 校验结果: columns A…G, the severity fill of C, the link of E, the row height."""

    values: tuple
    severity: Severity
    link: str | None  # 'sheet'!A1 the 单元格 column jumps to
    height: float


def note_text(mark: Mark, existing: str | None) -> str:
    """Our lines, then the note the cell already had (e.g. the template's note on 差异 cells)."""
    text = "\n".join(mark.lines)
    if existing:
        text = f"{text}\n\n{existing}"
    # always starts with "【", so escaping only drops what XML cannot carry and cuts at Excel's limit
    return safe_text.escape(text)


def note_height(text: str) -> int:
    return min(60 + 18 * text.count("\n") + len(text) // 2, 600)


def status_line(report, live: frozenset[str]) -> tuple[str, str]:
    """The A4 text and its colour: the verdict, then the live block's part and the listed part apart
    (``live``: the rules the sheet has live rows for; none: every finding is listed and counted once)."""
    native, supplement = listing.split(report.findings, live)
    verdict = "合格" if report.passed else ("无法校验" if not report.checked else "不合格")
    parts = (listing.both_counts_text(native, supplement) if live
             else f"共 {len(supplement)} 条：{listing.supplement_counts_text(supplement)}")
    text = (f"校验结论：{verdict}。{parts}。"
            f"（perfeval check，规则集 {report.ruleset_version}，模板 v{report.template_version or '未知'}，"
            f"校验时间 {local_display(report.checked_at)}（{zone_label()}），原文件 SHA-256 {report.sha256}）")
    return text, (PASSED_RGB if report.passed else TEXT_RGB[Severity.ERROR])


def result_rows(findings, sheet_titles) -> list[ResultRow]:
    """The listed findings (``listing.split``'s second part), numbered from 1."""
    titles = set(sheet_titles)
    rows = []
    for i, f in enumerate(findings, start=1):
        c = f.primary
        sheet = c.sheet if c else None
        address = c.address.replace("$", "") if c and c.address else None
        field_text = label_of(c.field_id) if c else None
        severity = f.severity.label_zh + ("（舍入差异）" if f.rounding else "")  # as the 校验 button writes it
        link = None
        if sheet in titles and address:
            link = "'" + sheet.replace("'", "''") + "'!" + address
        values = (i, f.rule_id, severity, sheet, address, field_text, f.message)
        rows.append(ResultRow(values, f.severity, link, _row_height(f.message, field_text)))
    return rows


def status_height(text: str) -> float:
    """Row 4 holds the status across A…G (161 narrow characters wide)."""
    return _lines(text, 150) * 15.0 + 3


def mark_reference(sheet: str, address: str) -> str:
    """How the hidden column lists a coloured cell for the 校验 button's 清除标记."""
    return f"'{sheet}'!{address}"


def _row_height(message: str, field_text: str | None) -> float:
    """Rows we write are not auto-fitted on open: size wrapped text ourselves.

    Column widths count narrow characters; a Chinese character takes two.
    """
    return 15.0 * max(_lines(message, 78), _lines(field_text, 26)) + 3


def _lines(text: str | None, width: int) -> int:
    if not text:
        return 1
    units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
    return max(1, -(-units // width))
