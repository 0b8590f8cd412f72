"""What the 校验 button does to an open workbook, whatever engine runs it.

1. take off the marks of the previous run;
2. read the book and check it with the same engine as ``perfeval check``;
3. mark the cells of every finding; below the live native block of 校验结果, list the
   findings its formulas cannot give (with links to the cells): nothing native twice;
4. tell the user the counts, the live block's and the listed ones apart.
"""

from __future__ import annotations

from ..check.findings import Report
from ..outputs import listing
from ..template.markers import ACTION_CELL, ACTIONS
from ..template.results_layout import NATIVE_FIRST_ROW, native_last_row
from ..schema import SHEET_BY_ID, label_of
from ..rules.base import Severity
from . import scorecard
from .live_book import workbook_data
from .marking import FIRST_ROW, MARKS_COLUMN, SECTION_ROW, apply_marks, clear_marks

FINDINGS_SHEET = SHEET_BY_ID["findings"].title
ACTION_CLEAR = ACTIONS[1]
LAST_COLUMN = "G"
MAX_ROWS = 5000


def _previous_marks(sheet) -> list[tuple[str, str]]:
    values = sheet.range(f"{MARKS_COLUMN}{FIRST_ROW}:{MARKS_COLUMN}{FIRST_ROW + MAX_ROWS}").value or []
    out = []
    for v in values:
        if isinstance(v, str) and "!" in v:
            s, a = v.rsplit("!", 1)
            out.append((s.strip("'"), a))
    return out


def _clear_findings_sheet(sheet) -> None:
    sheet.range(f"A{FIRST_ROW}:{MARKS_COLUMN}{FIRST_ROW + MAX_ROWS}").clear_contents()
    sheet.range(f"A{SECTION_ROW}").value = listing.SUPPLEMENT_TITLE + listing.NOT_RUN


def _live_rules(sheet) -> frozenset[str]:
    """The native rules this book's live block has rows for (an older template may have fewer)."""
    rows = sheet.range(f"A{NATIVE_FIRST_ROW}:B{native_last_row()}").options(ndim=2).value or []
    return listing.live_rules((r[0], r[1]) for r in rows if len(r) >= 2)


def _link(sheet: str | None, address: str | None) -> str:
    if not sheet or not address:
        return ""
    return f'=HYPERLINK("#\'{sheet}\'!{address}","{address}")'


def findings_rows(findings) -> list[list[object]]:
    """The listed findings (``listing.split``'s second part) as rows A…G of 校验结果."""
    rows = []
    for i, f in enumerate(findings, start=1):
        c = f.primary
        rows.append(
            [
                i,
                f.rule_id,
                f.severity.label_zh + ("（舍入差异）" if f.rounding else ""),
                c.sheet if c else "",
                _link(c.sheet, c.address) if c else "",
                label_of(c.field_id) if c else "",
                f.message,
            ]
        )
    return rows


def summary_text(report: Report, live: frozenset[str] | None = None) -> str:
    """The popup's line: 错误, 警告 (and how many of them are only 舍入差异), 提示; then the live
    block's and the listed part apart (``live``: the rules the book has live rows for)."""
    counts = report.counts()
    rounding = sum(1 for f in report.findings if f.rounding)
    errors = counts[Severity.ERROR.value]
    parts = listing.both_counts_text(*listing.split(report.findings, live)) + "。" if live else ""
    return (
        f"校验完成：错误 {errors} 个，警告 {counts[Severity.WARNING.value]} 个（其中舍入差异 {rounding} 个），"
        f"提示 {counts[Severity.INFO.value]} 个。" + parts
        + ("无错误，可以报送。" if not errors else "请按“校验结果”表逐条核对。")
    )


def _is_template(book) -> bool:
    if FINDINGS_SHEET in {s.name for s in book.sheets}:
        return True
    book.app.alert("这个工作簿不是绩效评价模板（缺少“校验结果”工作表），无法校验。", title="校验")
    return False


def clear(book, *, announce: bool = True, locked=frozenset()) -> int:
    """Take off the previous run's marks and empty the findings list; returns how many cells were restored."""
    if not _is_template(book):
        return 0
    out = book.sheets[FINDINGS_SHEET]
    previous = _previous_marks(out)
    clear_marks(book, previous, locked)
    _clear_findings_sheet(out)
    if announce:
        out.range("A4").value = f"已清除 {len(previous)} 个单元格的标记。"
        book.app.alert(f"已清除 {len(previous)} 个单元格的校验标记。", title="校验")
    return len(previous)


LOCKED_TEXT = (
    "工作表“{sheets}”受保护，且密码与本工具记录的不同，{what}。"
    "请用生成模板时的密码设置环境变量 PERFEVAL_PASSWORD 后重试（见 macros/README.md）。"
)


def run(book, *, formulas: bool = False, locked=frozenset()) -> Report | None:
    """Validate ``book`` in place (or only clear the marks when 校验结果!B3 says 清除标记).

    ``locked``: protected sheets the caller could not unprotect. Nothing is written
    there; without 校验结果 the counts are only shown, so no half-written list is left.
    """
    from ..check import RULESET_VERSION, check_workbook

    if not _is_template(book):
        return None
    out = book.sheets[FINDINGS_SHEET]
    if FINDINGS_SHEET in locked:
        report = check_workbook(workbook_data(book, formulas=formulas))
        book.app.alert(
            summary_text(report) + "\n" + LOCKED_TEXT.format(sheets=FINDINGS_SHEET, what="未写入问题清单和标记"),
            title="校验",
        )
        return report
    if str(out.range(ACTION_CELL).value or "").strip() == ACTION_CLEAR:
        clear(book, locked=locked)
        return None
    clear(book, announce=False, locked=locked)

    data = workbook_data(book, formulas=formulas)
    report = check_workbook(data)
    live = _live_rules(out)
    listed = listing.split(report.findings, live)[1]
    rows = findings_rows(listed)
    out.range("A4").value = summary_text(report, live) + f"（规则集 {RULESET_VERSION}）"
    out.range(f"A{SECTION_ROW}").value = listing.section_line(listed, bool(live))
    if rows:
        out.range(f"A{FIRST_ROW}").value = rows
    if scorecard.SCORING_SHEET not in locked:
        scorecard.write(book, data.raw)
    marked = apply_marks(book, report.findings, locked)
    if marked:
        out.range(f"{MARKS_COLUMN}{FIRST_ROW}").value = [[f"'{s}'!{a}"] for s, a in marked]
    note = "\n" + LOCKED_TEXT.format(sheets="、".join(sorted(locked)), what="这些表上的单元格未标色") if locked else ""
    book.app.alert(summary_text(report, live) + note, title="校验")
    return report
