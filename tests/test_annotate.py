"""The annotated copy: findings painted onto a copy, the input untouched, the rest kept."""

from __future__ import annotations

import re

import hashlib
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from perfeval_xl.check.findings import CellRef, Finding, Report
from perfeval_xl.errors import UserError
from perfeval_xl.check.marks import MARK_RGB as FILL_RGB, cell_marks
from perfeval_xl.outputs.annotate import FIRST_ROW, NOTE_AUTHOR, RESULTS_SHEET, annotate
from perfeval_xl.schema import label_of as field_label
from perfeval_xl.readers.workbook import read_workbook
from perfeval_xl.rules.base import Severity

EXAMPLE = Path(__file__).resolve().parent.parent / "workbook_templates" / "examples" / "synthetic.xlsx"
OUR_FILLS = {"00" + rgb for rgb in FILL_RGB.values()} | {"FF" + rgb for rgb in FILL_RGB.values()}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def src(tmp_path) -> Path:
    p = tmp_path / "in" / "某部门.xlsx"
    p.parent.mkdir()
    shutil.copy(EXAMPLE, p)
    return p


@pytest.fixture(scope="module")
def addresses():
    return read_workbook(EXAMPLE).addresses


def cell(addresses, fid, value=None, role="") -> CellRef:
    sheet, address = addresses[fid]
    return CellRef(sheet, address, fid, value, role)


@pytest.fixture()
def report(src, addresses) -> Report:
    """Findings of every severity, one cell shared by two findings, one finding without cells."""
    return Report(
        file=str(src),
        sha256=sha(src),
        template_id="perfeval-xl/dept-overall-expenditure",
        template_version="1.0",
        ruleset_version="1.0",
        checked_at="2026-01-01T09:00:00+08:00",
        findings=[
            Finding(
                "SUM001", Severity.ERROR, "本年收入合计 3080.00 万元，各项之和 3180.00 万元",
                (cell(addresses, "inc.total_year", Decimal("3080"), "stated"),
                 cell(addresses, "inc.general_budget", Decimal("3000"), "term")),
                expected=Decimal("3180"), actual=Decimal("3080"), difference=Decimal("-100"),
            ),
            Finding("SUM009", Severity.WARNING, "一般公共预算拨款相差 0.01，属舍入差异", (cell(addresses, "inc.general_budget"),),
                    rounding=True),
            Finding("MISS001", Severity.INFO, "=HYPERLINK(\"http://evil\",\"点我\")", (cell(addresses, "dept.code"),)),
            Finding("STR010", Severity.INFO, "工作簿缺少文档属性"),
        ],
    )


def flagged_in(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(sheet, address) → (fill rgb, note text) of every cell carrying our note or one of our fills."""
    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        if ws.title == RESULTS_SHEET:
            continue
        for row in ws.iter_rows():
            for c in row:
                rgb = c.fill.fgColor.rgb if c.fill and c.fill.fill_type == "solid" else None
                ours = isinstance(rgb, str) and rgb.upper() in OUR_FILLS
                noted = c.comment is not None and c.comment.author == NOTE_AUTHOR
                if ours or noted:
                    out[(ws.title, c.coordinate)] = (rgb[2:].upper() if ours else None, c.comment.text if noted else None)
    return out


def test_input_untouched_and_copy_written_atomically(src, report, tmp_path):
    before = sha(src)
    out = tmp_path / "out" / "批注.xlsx"
    res = annotate(src, report, out)
    assert sha(src) == before
    assert res.path == out and out.is_file()
    assert [p.name for p in out.parent.iterdir()] == ["批注.xlsx"]  # no temp file left behind
    assert res.rows == 2 and res.flagged == 3  # SUM001 and SUM009 are the live block's: marked, not listed


def test_flagged_cells_exactly_at_findings_with_worst_severity(src, report, tmp_path, addresses):
    out = annotate(src, report, tmp_path / "a.xlsx").path
    got = flagged_in(out)
    expected_cells = {(a[0], a[1]) for a in (addresses["inc.total_year"], addresses["inc.general_budget"], addresses["dept.code"])}
    assert set(got) == expected_cells == set(cell_marks(report.findings))
    # inc.general_budget is in an error and a warning: red wins, both messages are noted
    fill, note = got[addresses["inc.general_budget"]]
    assert fill == FILL_RGB[Severity.ERROR]
    assert "【错误 SUM001】" in note and "【警告 SUM009】一般公共预算拨款相差 0.01，属舍入差异" in note
    assert got[addresses["dept.code"]][0] == FILL_RGB[Severity.INFO]
    assert got[addresses["inc.total_year"]][1] == "【错误 SUM001】本年收入合计 3080.00 万元，各项之和 3180.00 万元"


def test_results_sheet_lists_only_what_the_live_block_cannot_show(src, report, tmp_path):
    from perfeval_xl.outputs.listing import SUPPLEMENT_TITLE
    from perfeval_xl.rules.native import native_ids
    from perfeval_xl.xl.marking import SECTION_ROW

    out = annotate(src, report, tmp_path / "a.xlsx").path
    wb = load_workbook(out)
    ws = wb[RESULTS_SHEET]
    assert wb.active.title == RESULTS_SHEET
    assert [c.value for c in ws[FIRST_ROW - 1]][:7] == ["序号", "规则", "严重程度", "工作表", "单元格", "字段", "说明"]
    assert {"SUM001", "SUM009"} <= native_ids() and not {"MISS001", "STR010"} & native_ids()
    status = ws["A4"].value
    assert "不合格" in status and report.sha256 in status
    assert "表内公式：错误 1 项，警告 1 项（含舍入差异 1 项）；补充校验：错误 0 项，警告 0 项，提示 2 项" in status
    assert ws[f"A{SECTION_ROW}"].value == f"{SUPPLEMENT_TITLE}：错误 0 项，警告 0 项，提示 2 项"
    # the long status is wrapped over the printed columns A…G, tall enough for its lines, not run past G
    assert "A4:G4" in {str(r) for r in ws.merged_cells.ranges} and ws["A4"].alignment.wrap_text
    assert ws.row_dimensions[4].height >= 30
    assert (ws["A3"].value, ws["B3"].value) == ("按钮动作", "校验")  # the 校验 button's switch is left alone
    rows = [tuple(c.value for c in r[:7]) for r in ws.iter_rows(min_row=FIRST_ROW) if any(c.value is not None for c in r[:7])]
    want = []
    for i, f in enumerate(report.findings[2:], start=1):
        c = f.primary
        want.append((i, f.rule_id, f.severity.label_zh, c.sheet if c else None, c.address if c else None,
                     field_label(c.field_id) if c else None, f.message))
    # the message that looks like a formula is stored escaped, as text
    want[0] = want[0][:6] + ("'" + want[0][6],)
    assert rows == want
    assert ws.cell(FIRST_ROW, 7).data_type == "s"
    link = ws.cell(FIRST_ROW, 5).hyperlink
    sheet, address = report.findings[2].primary.sheet, report.findings[2].primary.address
    assert link.location == f"'{sheet}'!{address}" and not link.target
    assert ws.cell(FIRST_ROW + 1, 5).hyperlink is None  # no cell, no link
    # the live block above is left as the template wrote it: formulas, not our values
    from perfeval_xl.template.results_layout import NATIVE_FIRST_ROW, native_last_row

    before = load_workbook(src)[RESULTS_SHEET]
    for r in range(NATIVE_FIRST_ROW, native_last_row() + 1):
        assert [c.value for c in ws[r][:7]] == [c.value for c in before[r][:7]]


def test_live_block_rows_of_the_workbook_decide_not_the_registry_alone(src, report, tmp_path):
    """A workbook whose live block lacks a native rule's rows (an older template) gets that rule's findings listed."""
    from perfeval_xl.template.results_layout import NATIVE_FIRST_ROW, native_last_row

    wb = load_workbook(src)
    ws = wb[RESULTS_SHEET]
    for r in range(NATIVE_FIRST_ROW, native_last_row() + 1):
        if ws.cell(r, 2).value == "SUM009":
            ws.cell(r, 2).value = None
    wb.save(src)
    out = annotate(src, report, tmp_path / "a.xlsx").path
    ws = load_workbook(out)[RESULTS_SHEET]
    listed = [r[1] for r in ws.iter_rows(min_row=FIRST_ROW, values_only=True) if r[0] is not None]
    assert listed == ["SUM009", "MISS001", "STR010"]  # SUM001 still has live rows, SUM009 none


def test_marks_listed_for_the_excel_button(src, report, tmp_path):
    """The 校验 button's 清除标记 reads the hidden column: it must list exactly the coloured cells."""
    from perfeval_xl.xl.marking import MARKS_COLUMN

    out = annotate(src, report, tmp_path / "a.xlsx").path
    ws = load_workbook(out)[RESULTS_SHEET]
    listed = [ws[f"{MARKS_COLUMN}{r}"].value for r in range(FIRST_ROW, FIRST_ROW + 10)]
    listed = [v for v in listed if v]
    assert sorted(listed) == sorted(f"'{s}'!{a}" for s, a in cell_marks(report.findings))
    assert ws.column_dimensions[MARKS_COLUMN].hidden


def test_everything_else_kept(src, report, tmp_path):
    out = annotate(src, report, tmp_path / "a.xlsx").path
    a, b = load_workbook(src), load_workbook(out)
    assert a.sheetnames == b.sheetnames
    assert b.security.lockStructure and b.security.workbookPassword == a.security.workbookPassword
    assert {k: v.attr_text for k, v in a.defined_names.items()} == {k: v.attr_text for k, v in b.defined_names.items()}
    assert a.custom_doc_props.names == b.custom_doc_props.names
    for wa in a.worksheets:
        wb_ = b[wa.title]
        assert wb_.protection.sheet and wb_.protection.password == wa.protection.password
        assert len(wb_.data_validations.dataValidation) == len(wa.data_validations.dataValidation)
        assert [str(r.sqref) for r in wb_.conditional_formatting] == [str(r.sqref) for r in wa.conditional_formatting]
        if wa.title == RESULTS_SHEET:
            continue
        for ra, rb in zip(wa.iter_rows(), wb_.iter_rows()):
            for ca, cb in zip(ra, rb):
                assert ca.value == cb.value, (wa.title, ca.coordinate)
                assert ca.protection.locked == cb.protection.locked


def test_refuses_to_overwrite_the_input(src, report, tmp_path):
    before = sha(src)
    with pytest.raises(UserError):
        annotate(src, report, src)
    link = tmp_path / "hardlink.xlsx"
    os.link(src, link)
    with pytest.raises(UserError):  # another name for the same file
        annotate(src, report, link)
    with pytest.raises(UserError):
        annotate(src, report, src.parent / "." / src.name)
    assert sha(src) == before


def test_reannotating_replaces_earlier_results(src, report, tmp_path, addresses):
    first = annotate(src, report, tmp_path / "1.xlsx").path
    again = Finding("MISS001", Severity.INFO, "一般公共预算拨款未填写，无法核对", (cell(addresses, "inc.general_budget"),))
    short = Report(file=str(first), findings=[again], checked_at="x", ruleset_version="1.0")
    second = annotate(first, short, tmp_path / "2.xlsx").path
    ws = load_workbook(second)[RESULTS_SHEET]
    filled = [r for r in ws.iter_rows(min_row=FIRST_ROW, values_only=True) if any(v is not None for v in r)]
    assert [r[:7] for r in filled] == [(1, "MISS001", "提示", *filled[0][3:6], "一般公共预算拨款未填写，无法核对")]
    assert [r[9] for r in filled] == [f"'{again.primary.sheet}'!{again.primary.address}"]
    links = [c.coordinate for row in ws.iter_rows() for c in row if c.hyperlink is not None]
    assert links == [f"E{FIRST_ROW}"]


def test_workbook_without_results_sheet_gets_one(tmp_path):
    plain = tmp_path / "plain.xlsx"
    wb = Workbook()
    wb.active.title = "数据"
    wb.active["B2"] = 5
    wb.save(plain)
    r = Report(file=str(plain), findings=[
        Finding("STR001", Severity.ERROR, "不是本模板", (CellRef("数据", "B2"),)),
        Finding("STR002", Severity.ERROR, "缺少工作表", (CellRef("封面", "B5"),)),  # a sheet that is not there
    ])
    out = annotate(plain, r, tmp_path / "out.xlsx").path
    wb2 = load_workbook(out)
    assert wb2.sheetnames == ["数据", RESULTS_SHEET]
    assert wb2["数据"]["B2"].value == 5 and wb2["数据"]["B2"].fill.fgColor.rgb.endswith(FILL_RGB[Severity.ERROR])
    rows = [r for r in wb2[RESULTS_SHEET].iter_rows(min_row=FIRST_ROW, values_only=True) if r[0] is not None]
    assert [x[1] for x in rows] == ["STR001", "STR002"]


def test_workbook_without_live_block_lists_native_findings_too(tmp_path):
    from perfeval_xl.outputs.listing import ALL_TITLE
    from perfeval_xl.xl.marking import SECTION_ROW

    plain = tmp_path / "plain.xlsx"
    wb = Workbook()
    wb.active.title = "收入支出"
    wb.active["B5"] = 5
    wb.save(plain)
    r = Report(file=str(plain), findings=[Finding("SUM001", Severity.ERROR, "合计不符", (CellRef("收入支出", "B5"),))])
    assert r.findings[0].native
    ws = load_workbook(annotate(plain, r, tmp_path / "out.xlsx").path)[RESULTS_SHEET]
    assert [x[1] for x in ws.iter_rows(min_row=FIRST_ROW, values_only=True) if x[0] is not None] == ["SUM001"]
    assert ws[f"A{SECTION_ROW}"].value.startswith(ALL_TITLE)
    assert "共 1 条：错误 1 项" in ws["A4"].value and "表内公式" not in ws["A4"].value


def test_unopenable_file_is_a_user_error(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(UserError):
        annotate(bad, Report(file=str(bad)), tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


def test_copy_opens_in_libreoffice(src, report, tmp_path):
    from perfeval_xl.outputs.libreoffice import convert

    out = annotate(src, report, tmp_path / "a.xlsx").path
    pdf = convert([out], "pdf", tmp_path / "pdf")[0]
    import subprocess

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # the rendered copy shows the results sheet with every listed finding, not merely some bytes
    flat = text.replace("\n", " ")
    assert "工作簿缺少文档属性" in flat and "补充校验：错误 0 项，警告 0 项，提示 2 项" in flat, text[:2000]
    # the native ones are the live block's rows, which name every native rule
    assert {f.rule_id for f in report.findings} <= set(re.findall(r"[A-Z]{3,5}\d{3}", text)), text[:2000]


@pytest.mark.parametrize("merged", ["C4:D5", "A4:G4", "G3:H4"])
def test_status_merge_never_overlaps_a_merge_the_sheet_has(src, report, tmp_path, merged):
    """Overlapping merges make Excel offer to repair the file: the status is merged over A:G only when free."""
    from openpyxl.worksheet.cell_range import CellRange

    from perfeval_xl.outputs.annotate_openpyxl import annotate_openpyxl

    wb = load_workbook(src)
    for r in [r for r in wb[RESULTS_SHEET].merged_cells.ranges if r.min_row <= 5 <= r.max_row or r.min_row == 4]:
        wb[RESULTS_SHEET].unmerge_cells(str(r))
    wb[RESULTS_SHEET].merge_cells(merged)
    wb.save(src)
    for out in (annotate(src, report, tmp_path / "p.xlsx").path,
                tmp_path / "o.xlsx" if annotate_openpyxl(src, report, tmp_path / "o.xlsx") else None):
        ranges = [CellRange(str(r)) for r in load_workbook(out)[RESULTS_SHEET].merged_cells.ranges]
        assert all(a.isdisjoint(b) for i, a in enumerate(ranges) for b in ranges[i + 1:]), ranges
        assert merged in {str(r) for r in ranges}
