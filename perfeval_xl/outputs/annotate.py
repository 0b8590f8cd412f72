"""The annotated copy: a checked workbook with its findings written into it.

Every cell a finding involves gets a fill in the colour of its worst severity
and a note (comment) with the message(s); the 校验结果 sheet lists every
finding with a hyperlink to its cell. The input is never touched: the copy is
written to a temporary file next to the output and renamed into place.

The copy is the original package patched, not re-serialised: every zip member
is copied as it is except the ones the marks live in (styles.xml gains the
marked cells' new formats; the flagged sheets get those formats and notes; the
comments and VML parts; 校验结果; workbook.xml for the active tab; the
relationships and content types of parts we add). So the copy differs from the
original only in the marks, and keeps what an openpyxl round trip would drop
(shapes, cached formula values, x14 validations, unknown parts) at a fraction
of its cost. A package the patcher cannot read is written by the openpyxl
writer instead (``annotate_openpyxl``, also the reference the tests compare
against), and the result says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

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
from .files import same_file, save_atomically
from .xlsx_notes import Notes
from .xlsx_patch import (
    MAIN, OFFICE_REL, WORKBOOK_ORDER, WORKSHEET_ORDER, Package, PatchError, SheetXml, cell_text, child, q, rels_part,
    set_number, set_text, shared_strings, split_address,
)
from .xlsx_styles import Styles, font_key

_TOP = {"vertical": "top"}
_WRAP = {"vertical": "top", "wrapText": "1"}
_CENTRE = {"vertical": "top", "horizontal": "center"}


@dataclass
class AnnotateResult:
    path: Path
    flagged: int  # cells coloured
    rows: int  # findings listed on 校验结果
    warnings: list[str] = field(default_factory=list)  # what could not be kept as it was


def annotate(src: Path | str, report, out: Path | str) -> AnnotateResult:
    """Write the annotated copy of ``src`` (checked as ``report``) to ``out``."""
    src, out = Path(src), Path(out)
    if same_file(src, out):
        raise UserError(f"标注副本不能覆盖原文件：{out}")
    try:
        with Package(src) as pkg:
            flagged, rows = patch(pkg, report)
            save_atomically(pkg, out)
        return AnnotateResult(out, flagged, rows)
    except PatchError as exc:
        if _strict(src):  # openpyxl reads no Strict namespaces: its rewrite would lose the sheets
            raise UserError(f"无法为 Strict Open XML 工作簿 {src.name} 生成标注副本（{exc}）。"
                            "请在 Excel 中另存为“Excel 工作簿 (*.xlsx)”后重新校验。") from exc
        from .annotate_openpyxl import annotate_openpyxl

        flagged, rows, dropped = annotate_openpyxl(src, report, out)
        note = f"无法在原文件包上直接标注（{exc}），已改用 openpyxl 重写整个工作簿"
        return AnnotateResult(out, flagged, rows, [note, *dropped])


def _strict(src: Path) -> bool:
    import zipfile

    from .ooxml_strict import is_strict

    try:
        with zipfile.ZipFile(src) as z:
            return is_strict(z.read("_rels/.rels"))
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, ValueError):
        return False


def patch(pkg: Package, report) -> tuple[int, int]:
    """Write the marks of ``report`` into the open package; returns (cells flagged, rows listed)."""
    book = _Workbook(pkg)
    styles = Styles(pkg.edit(book.styles))
    flagged = _flag_cells(pkg, book, styles, cell_marks(report.findings))
    part = book.sheets.get(RESULTS_SHEET)
    live = _live_rules(pkg, book, part) if part else frozenset()
    part = part or _add_results_sheet(pkg, book, styles)
    root = pkg.edit(part)
    rows = _fill_results(pkg, book, styles, root, report, flagged, live)
    _activate(pkg, book, part)
    return len(flagged), rows


class _Workbook:
    """workbook.xml: the sheets by name (in tab order) and the styles part."""

    def __init__(self, pkg: Package):
        main = next((t for _, t in pkg.related("", "officeDocument")), None)
        if main is None or not pkg.has(main):
            raise PatchError("找不到工作簿部件")
        self.part = main
        self.root = pkg.parse(main)
        targets = {rid: t for rid, _, t in pkg.relationships(main)}
        self.sheets: dict[str, str] = {}
        for s in self.root.iter(q("sheet")):
            target = targets.get(s.get(f"{{{OFFICE_REL}}}id"))
            if target and pkg.has(target):
                self.sheets[s.get("name")] = target
        styles = pkg.related(main, "styles")
        if not styles or not pkg.has(styles[0][1]):
            raise PatchError("工作簿没有样式部件")
        self.styles = styles[0][1]
        self.titles = [s.get("name") for s in self.root.iter(q("sheet"))]


def _flag_cells(pkg, book, styles, marks: dict[tuple[str, str], Mark]) -> list[tuple[str, str]]:
    by_sheet: dict[str, list[tuple[str, Mark]]] = {}
    done = []
    for (sheet, address), mark in marks.items():
        if sheet not in book.sheets:
            continue  # a finding about a missing sheet has nowhere to go but the list
        try:
            split_address(address)
        except ValueError:  # not an A1 address
            continue
        by_sheet.setdefault(sheet, []).append((address, mark))
        done.append((sheet, address))
    for sheet, items in by_sheet.items():
        part = book.sheets[sheet]
        root = pkg.edit(part)
        cells = SheetXml(root)
        notes = Notes(pkg, part, root)
        for address, mark in items:
            c = cells.cell(address)
            c.set("s", str(styles.derive(int(c.get("s") or 0), fill=MARK_RGB[mark.severity])))
            text = note_text(mark, notes.existing(address))
            notes.put(address, text, NOTE_AUTHOR, NOTE_WIDTH, note_height(text))
        notes.finish()
    return done


def _add_results_sheet(pkg, book, styles) -> str:
    """A 校验结果 sheet at the end, for workbooks made without the template's."""
    from ..template.writer import FINDINGS_HEADER

    part = pkg.free_name("xl/worksheets/sheet{}.xml")
    root = etree.Element(q("worksheet"), nsmap={None: MAIN, "r": OFFICE_REL})
    etree.SubElement(etree.SubElement(root, q("sheetViews")), q("sheetView"), workbookViewId="0")
    cols = etree.SubElement(root, q("cols"))
    for letter, width in COLUMN_WIDTHS.items():
        n = str(split_address(f"{letter}1")[1])
        etree.SubElement(cols, q("col"), min=n, max=n, width=str(width), customWidth="1")
    etree.SubElement(root, q("sheetData"))
    cells = SheetXml(root)
    title = cells.cell("A1")
    set_text(title, RESULTS_SHEET)
    title.set("s", str(styles.derive(0, font=font_key(bold=True, size=16))))
    header = styles.derive(styles.derive(0, font=font_key(bold=True), fill=HEADER_FILL_RGB),
                           alignment={"horizontal": "center", "vertical": "center"})
    for i, h in enumerate(FINDINGS_HEADER):
        c = cells.cell(f"{chr(65 + i)}{HEADER_ROW}")
        set_text(c, h)
        c.set("s", str(header))
    pkg.add_part(part, root, "worksheet")
    rid = pkg.relate(book.part, "worksheet", part)
    wb = pkg.edit(book.part)
    sheets = wb.find(q("sheets"))
    ids = [int(s.get("sheetId", 0)) for s in sheets]
    new = etree.SubElement(sheets, q("sheet"), name=RESULTS_SHEET, sheetId=str(max(ids, default=0) + 1))
    new.set(f"{{{OFFICE_REL}}}id", rid)
    book.sheets[RESULTS_SHEET] = part
    book.titles.append(RESULTS_SHEET)
    return part


def _live_rules(pkg, book, part) -> frozenset[str]:
    """The native rules the sheet's live block has rows for (read before anything on it changes)."""
    rows = range(NATIVE_FIRST_ROW, native_last_row() + 1)
    wanted = {f"{col}{n}" for n in rows for col in "AB"}
    table: list[str] | None = None

    def shared() -> list[str]:
        nonlocal table
        if table is None:
            table = shared_strings(pkg, book.part)
        return table

    found = {c.get("r"): cell_text(c, shared) for c in pkg.parse(part).iter(q("c")) if c.get("r") in wanted}
    return listing.live_rules((found.get(f"A{n}"), found.get(f"B{n}")) for n in rows)


def _fill_results(pkg, book, styles, root, report, flagged, live) -> int:
    cells = SheetXml(root)
    if cells.drop_rows_from(FIRST_ROW):  # results of an earlier check: replace, never append
        _drop_calc_chain(pkg, book)  # it may list the formulas just removed; Excel rebuilds it
    _drop_below(root, "hyperlinks", "hyperlink")
    _drop_below(root, "mergeCells", "mergeCell")

    text, rgb = status_line(report, live)
    status = cells.cell(STATUS_CELL)
    set_text(status, safe_text.escape(text))
    status.set("s", str(styles.derive(int(status.get("s") or 0), font=font_key(bold=True, rgb=rgb), alignment=_WRAP)))
    status_row = cells.row(split_address(STATUS_CELL)[0])
    status_row.set("ht", str(status_height(text)))
    status_row.set("customHeight", "1")
    _merge(root, STATUS_RANGE)
    listed = listing.split(report.findings, live)[1]
    section = cells.cell(f"A{SECTION_ROW}")
    set_text(section, listing.section_line(listed, bool(live)))
    section.set("s", str(styles.derive(int(section.get("s") or 0), font=font_key(bold=True))))

    top, wrap, centre = (styles.derive(0, alignment=a) for a in (_TOP, _WRAP, _CENTRE))
    link_style = styles.derive(centre, font=font_key(rgb=LINK_RGB, underline="single"))
    links = []
    rows = result_rows(listed, book.titles)
    for i, r in enumerate(rows):
        n = FIRST_ROW + i
        row = cells.row(n)
        row.set("ht", str(r.height))
        row.set("customHeight", "1")
        for j, value in enumerate(r.values):
            c = cells.cell(f"{chr(65 + j)}{n}")
            _write(c, value)
            s = wrap if j in (5, 6) else centre if j in CENTRED_COLUMNS else top
            if j == 2:
                s = styles.derive(centre, fill=MARK_RGB[r.severity])
            if j == 4 and r.link:
                s = link_style
                links.append((c.get("r"), r.link, r.values[4]))
            c.set("s", str(s))
    for i, (sheet, address) in enumerate(flagged):
        _write(cells.cell(f"{MARKS_COLUMN}{FIRST_ROW + i}"), mark_reference(sheet, address))
    if links:
        holder = child(root, "hyperlinks", WORKSHEET_ORDER)
        for ref, location, display in links:
            etree.SubElement(holder, q("hyperlink"), ref=ref, location=location, display=str(display))
    cells.hide_column(split_address(f"{MARKS_COLUMN}1")[1])
    cells.update_dimension()
    return len(rows)


def _merge(root, ref: str) -> None:
    """Merge ``ref`` unless a merge already touches it (overlapping merges are what Excel "repairs")."""
    holder = root.find(q("mergeCells"))
    if holder is not None and any(_overlap(m.get("ref", ""), ref) for m in holder.iterfind(q("mergeCell"))):
        return
    holder = child(root, "mergeCells", WORKSHEET_ORDER)
    etree.SubElement(holder, q("mergeCell"), ref=ref)
    holder.set("count", str(len(holder)))


def _overlap(a: str, b: str) -> bool:
    def corners(ref: str):
        first, _, last = ref.partition(":")
        return split_address(first), split_address(last or first)

    try:
        ((r1, c1), (r2, c2)), ((r3, c3), (r4, c4)) = corners(a), corners(b)
    except ValueError:
        return True  # a merge we cannot read: leave the sheet's merges as they are
    return r1 <= r4 and r3 <= r2 and c1 <= c4 and c3 <= c2


def _write(cell, value) -> None:
    v = safe_text.cell_value(value)
    if v is None or v == "":  # an empty text is no value, as openpyxl writes it
        return
    if isinstance(v, str):
        set_text(cell, v)
    else:  # the row number: the only non-text value on the sheet
        set_number(cell, v)


def _drop_below(root, holder_tag: str, tag: str) -> None:
    """Remove ``tag`` entries of ``holder_tag`` that start on or below the first result row."""
    holder = root.find(q(holder_tag))
    if holder is None:
        return
    for el in list(holder.iterfind(q(tag))):
        try:
            row = split_address(el.get("ref", "").split(":")[0].replace("$", ""))[0]
        except ValueError:
            continue
        if row >= FIRST_ROW:
            holder.remove(el)
    if not len(holder):
        root.remove(holder)
    elif holder.get("count") is not None:
        holder.set("count", str(len(holder)))


def _drop_calc_chain(pkg, book) -> None:
    for rid, target in pkg.related(book.part, "calcChain"):
        pkg.drop(target)
        rels = pkg.edit(rels_part(book.part))
        for r in list(rels):
            if r.get("Id") == rid:
                rels.remove(r)


def _activate(pkg, book, results_part: str) -> None:
    """Open the copy on its results; deselect the other tabs (only where selected) or Excel groups them."""
    wb = pkg.edit(book.part)
    view = child(wb, "bookViews", WORKBOOK_ORDER).find(q("workbookView"))
    if view is None:
        view = etree.SubElement(wb.find(q("bookViews")), q("workbookView"))
    view.set("activeTab", str(book.titles.index(RESULTS_SHEET)))
    if int(view.get("firstSheet") or 0) > book.titles.index(RESULTS_SHEET):
        view.set("firstSheet", "0")
    for name, part in book.sheets.items():
        if part == results_part:
            continue
        if not pkg.is_edited(part) and b"tabSelected" not in pkg.read(part):
            continue  # the common case, decided without parsing the sheet
        views = [sv for sv in pkg.parse(part).iter(q("sheetView")) if sv.get("tabSelected") not in (None, "0", "false")]
        if views:
            for sv in pkg.edit(part).iter(q("sheetView")):
                sv.attrib.pop("tabSelected", None)
    for sv in pkg.edit(results_part).iter(q("sheetView")):
        sv.set("tabSelected", "1")


__all__ = ["AnnotateResult", "FIRST_ROW", "NOTE_AUTHOR", "RESULTS_SHEET", "annotate", "patch"]
