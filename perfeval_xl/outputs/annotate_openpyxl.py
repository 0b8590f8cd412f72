"""The annotated copy written by an openpyxl round trip: the reference and the fallback.

This was the only writer before the package patcher (``annotate``). It stays
because it is the yardstick the patcher is tested against (same marks, same
校验结果 rows, for every example and a mutation corpus), and the fallback for
a package the patcher cannot make sense of.

One openpyxl load and one save (anchors.md §3.1: results sheet + highlights;
xlwings.md §5: openpyxl keeps protection, names, validations, comments and
conditional formats, but drops shapes, unknown parts, x14 validations and
cached formula values, which is why this is only ever a *copy*). The sheets
stay protected: openpyxl writes into protected sheets without unprotecting.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from ..check.marks import MARK_RGB, Mark, cell_marks
from ..errors import UserError
from ..xl.marking import MARKS_COLUMN
from ..template.results_layout import NATIVE_FIRST_ROW, native_last_row
from . import listing, safe_text
from .annotate_content import (
    CENTRED_COLUMNS, COLUMN_WIDTHS, FIRST_ROW, HEADER_FILL_RGB, HEADER_ROW, LINK_RGB, NOTE_AUTHOR, NOTE_WIDTH,
    RESULTS_SHEET, SECTION_ROW, STATUS_CELL, STATUS_RANGE, mark_reference, note_height, note_text, result_rows,
    status_height, status_line,
)
from .files import save_atomically


def annotate_openpyxl(src: Path, report, out: Path) -> tuple[int, int, list[str]]:
    """Write the copy; returns (cells flagged, rows listed, what openpyxl said it dropped)."""
    from openpyxl import load_workbook

    keep_vba = src.suffix.lower() == ".xlsm"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            wb = load_workbook(src, keep_vba=keep_vba, rich_text=True)
        except Exception as exc:  # openpyxl raises many types for files calamine still read
            raise UserError(f"无法生成标注副本（openpyxl 无法打开 {src.name}）：{type(exc).__name__}: {exc}") from exc
    flagged = _flag_cells(wb, cell_marks(report.findings))
    live = frozenset()
    if RESULTS_SHEET in wb.sheetnames:
        sheet = wb[RESULTS_SHEET]
        live = listing.live_rules((sheet.cell(n, 1).value, sheet.cell(n, 2).value)
                                  for n in range(NATIVE_FIRST_ROW, native_last_row() + 1))
    ws = _results_sheet(wb)
    rows = _fill_results(ws, report, live)
    _record_marks(ws, flagged)
    _activate(wb, ws)
    save_atomically(wb, out)
    return len(flagged), rows, sorted({str(w.message) for w in caught})


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
        old = cell.comment.text if cell.comment is not None else None
        text = note_text(mark, old)
        note = Comment(text, NOTE_AUTHOR)
        note.width = NOTE_WIDTH
        note.height = note_height(text)
        cell.comment = note
        done.append((sheet, cell.coordinate))
    return done


def _results_sheet(wb):
    """The template's 校验结果 sheet, or a new one at the end for workbooks without it."""
    from openpyxl.styles import Alignment, Font, PatternFill

    from ..template.writer import FINDINGS_HEADER

    if RESULTS_SHEET in wb.sheetnames:
        ws = wb[RESULTS_SHEET]
        if ws.max_row >= FIRST_ROW:  # results of an earlier check: replace, never append
            ws.delete_rows(FIRST_ROW, ws.max_row - FIRST_ROW + 1)
            ws._hyperlinks = []
        return ws
    ws = wb.create_sheet(RESULTS_SHEET)
    ws["A1"] = "校验结果"
    ws["A1"].font = Font(bold=True, size=16)
    for i, h in enumerate(FINDINGS_HEADER, start=1):
        c = ws.cell(HEADER_ROW, i, h)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor=HEADER_FILL_RGB)
        c.alignment = Alignment(horizontal="center", vertical="center")
    for col, width in COLUMN_WIDTHS.items():
        ws.column_dimensions[col].width = width
    return ws


def _fill_results(ws, report, live: frozenset[str]) -> int:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.worksheet.hyperlink import Hyperlink

    text, rgb = status_line(report, live)
    status = safe_text.write(ws[STATUS_CELL], text)
    status.font = Font(bold=True, color=rgb)
    status.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[status.row].height = status_height(text)
    if all(r.isdisjoint(CellRange(STATUS_RANGE)) for r in ws.merged_cells.ranges):  # never overlapping merges
        ws.merge_cells(STATUS_RANGE)
    listed = listing.split(report.findings, live)[1]
    safe_text.write(ws[f"A{SECTION_ROW}"], listing.section_line(listed, bool(live))).font = Font(bold=True)

    fills = {s: PatternFill("solid", fgColor=rgb) for s, rgb in MARK_RGB.items()}
    link_font = Font(color=LINK_RGB, underline="single")
    top = Alignment(vertical="top")
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(vertical="top", horizontal="center")
    rows = result_rows(listed, ws.parent.sheetnames)
    for i, r in enumerate(rows):
        row = FIRST_ROW + i
        cells = safe_text.write_row(ws, row, r.values)
        for j, x in enumerate(cells):
            x.alignment = centre if j in CENTRED_COLUMNS else top
        cells[2].fill = fills[r.severity]
        cells[5].alignment = cells[6].alignment = wrap
        ws.row_dimensions[row].height = r.height
        if r.link:
            cells[4].hyperlink = Hyperlink(ref=cells[4].coordinate, location=r.link, display=r.values[4])
            cells[4].font = link_font
    return len(rows)


def _record_marks(ws, flagged: list[tuple[str, str]]) -> None:
    """List the coloured cells in the hidden column the 校验 button reads, so that
    清除标记 (or the next 校验) in Excel takes this copy's marks off too."""
    for i, (sheet, address) in enumerate(flagged):
        safe_text.write(ws[f"{MARKS_COLUMN}{FIRST_ROW + i}"], mark_reference(sheet, address))
    ws.column_dimensions[MARKS_COLUMN].hidden = True


def _activate(wb, ws) -> None:
    """Open the copy on its results; deselect the other tabs or Excel groups them."""
    for other in wb.worksheets:
        other.sheet_view.tabSelected = False
    wb.active = wb.worksheets.index(ws)
    ws.sheet_view.tabSelected = True


__all__ = ["annotate_openpyxl"]
