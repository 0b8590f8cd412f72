"""The patched annotated copy against today's openpyxl copy, and against what Excel requires.

For every example and a mutation corpus (value and structure edits, a workbook
re-saved by LibreOffice with shared strings and its own VML, an already
annotated copy, a workbook without 校验结果), the package-patching ``annotate``
must put the same marks (cell, fill, note text) and the same 校验结果 rows as
the openpyxl writer, change no other zip member, and leave a package whose parts
are well-formed and whose content types and relationships are consistent.
"""

from __future__ import annotations

import io
import posixpath
import re
import sys
import zipfile
from functools import lru_cache
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import Workbook, load_workbook

from perfeval_xl.check import check_path
from perfeval_xl.check.marks import MARK_RGB, cell_marks
from perfeval_xl.outputs.annotate import FIRST_ROW, NOTE_AUTHOR, RESULTS_SHEET, annotate
from perfeval_xl.outputs.annotate_openpyxl import annotate_openpyxl
from perfeval_xl.outputs.xlsx_patch import CONTENT_TYPES, MAIN, OFFICE_REL, PACKAGE_REL, WORKSHEET_ORDER, rels_part, resolve
from perfeval_xl.readers.workbook import read_workbook
from perfeval_xl.xl.marking import MARKS_COLUMN

sys.path.insert(0, str(Path(__file__).parent / "intake"))
import intake_corpus as C  # noqa: E402

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "workbook_templates" / "examples").glob("*.xlsx"))
OUR_RGB = set(MARK_RGB.values())
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


# --- the corpus --------------------------------------------------------------------------------


def _set_number(data: bytes, title: str, address: str, value: float) -> bytes:
    name = C.sheet_part(data, title)
    xml = C.part(data, name).decode()
    m = re.search(r'<c r="%s"( [^>]*?)?(/>|>.*?</c>)' % address, xml, re.S)
    assert m, (title, address)
    style = re.search(r'\ss="(\d+)"', m.group(0))
    new = f'<c r="{address}"{f" s={chr(34)}{style.group(1)}{chr(34)}" if style else ""}><v>{value}</v></c>'
    return C.rezip(data, replace={name: (xml[: m.start()] + new + xml[m.end():]).encode()})


def _plus_one_wan(stem: str, fields: tuple[str, ...]) -> bytes:
    data = C.example(stem)
    book = read_workbook(C.EXAMPLES / f"{stem}.xlsx")
    for fid in fields:
        sheet, address = book.addresses[fid]
        data = _set_number(data, sheet, address, float(book.raw.get(fid) or 0) + 1)
    return data


def _plain() -> bytes:
    wb = Workbook()
    wb.active.title = "数据"
    wb.active["B2"] = 5
    wb.create_sheet("其他")["A1"] = "x"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@lru_cache(maxsize=1)
def _libreoffice_resaved() -> bytes:
    """The synthetic example after a LibreOffice round trip: shared strings, LO's styles and VML."""
    import tempfile

    from perfeval_xl.outputs.libreoffice import convert

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in" / "lo.xlsx"
        src.parent.mkdir()
        src.write_bytes(_plus_one_wan("synthetic", ("inc.general_budget",)))
        return convert([src], "xlsx", Path(tmp) / "out")[0].read_bytes()


CORPUS = {
    **{f"example-{p.stem}": (lambda p=p: p.read_bytes()) for p in EXAMPLES},
    "plus-one-wan-synthetic": lambda: _plus_one_wan("synthetic", ("inc.general_budget", "exp.basic")),
    "plus-one-wan-hunan": lambda: _plus_one_wan("hunan_unit_2018", ("inc.general_budget",)),
    "text-in-money": lambda: C.text_in_money(C.example()),
    "deleted-sheet": lambda: C.deleted_sheet(C.example()),
    "renamed-sheet": lambda: C.renamed_sheet(C.example()),
    "old-version": lambda: C.old_version(C.example()),
    "protection-removed": lambda: C.protection_removed(C.example("seed_furong_2020")),
    "hidden-sheet-added": lambda: C.hidden_sheet_added(C.example()),
    "external-link": lambda: C.external_link(C.example()),
    "wrong-template": C.wrong_template,
    "plain-openpyxl-book": _plain,
    "libreoffice-resaved": _libreoffice_resaved,
}


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    """name → (input path, report, patched copy, openpyxl copy)."""
    root = tmp_path_factory.mktemp("corpus")
    return _Cases(root)


class _Cases(dict):
    def __init__(self, root: Path):
        super().__init__()
        self.root = root

    def __missing__(self, name: str):
        folder = self.root / name
        folder.mkdir()
        src = folder / "in.xlsx"
        src.write_bytes(CORPUS[name]())
        report = check_path(src)
        new = annotate(src, report, folder / "patched.xlsx")
        assert new.warnings == [], new.warnings  # patched, not the openpyxl fallback
        annotate_openpyxl(src, report, folder / "openpyxl.xlsx")
        self[name] = (src, report, new.path, folder / "openpyxl.xlsx")
        return self[name]


# --- what a person sees, read back by openpyxl ------------------------------------------------


def marks_of(path: Path) -> dict:
    """Every fill and note outside 校验结果, and everything on 校验结果 from the status row down."""
    wb = load_workbook(path)
    cells = {}
    for ws in wb.worksheets:
        if ws.title == RESULTS_SHEET:
            continue
        for row in ws.iter_rows():
            for c in row:
                rgb = c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type == "solid" else None
                rgb = rgb[-6:].upper() if isinstance(rgb, str) else rgb
                note = (c.comment.text, c.comment.author) if c.comment is not None else None
                if rgb or note:
                    cells[(ws.title, c.coordinate)] = (rgb, note)
    ws = wb[RESULTS_SHEET]
    results = [
        (c.coordinate, c.value, c.data_type) for row in ws.iter_rows(min_row=4) for c in row if c.value is not None
    ]
    severity_fills = [ws.cell(r, 3).fill.fgColor.rgb[-6:] for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(r, 3).value]
    links = sorted((h.ref, h.location, h.display) for h in ws._hyperlinks)
    heights = {r: ws.row_dimensions[r].height for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value}
    selected = [w.title for w in wb.worksheets if w.sheet_view.tabSelected]
    return {
        "cells": cells, "results": results, "severity_fills": severity_fills, "links": links, "heights": heights,
        "hidden_marks_column": ws.column_dimensions[MARKS_COLUMN].hidden, "active": wb.active.title,
        "selected": selected, "sheets": wb.sheetnames,
    }


@pytest.mark.parametrize("name", list(CORPUS))
def test_same_marks_and_results_as_the_openpyxl_copy(cases, name):
    src, report, new, old = cases[name]
    a, b = marks_of(new), marks_of(old)
    assert a == b
    ours = {k for k, (rgb, note) in a["cells"].items() if rgb in OUR_RGB or (note and note[1] == NOTE_AUTHOR)}
    assert ours == {k for k in cell_marks(report.findings) if k[0] in a["sheets"]}
    assert a["active"] == RESULTS_SHEET and a["selected"] == [RESULTS_SHEET]


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


@pytest.mark.parametrize("name", list(CORPUS))
def test_only_the_parts_holding_marks_change(cases, name):
    src, report, new, _ = cases[name]
    before, after = _members(src), _members(new)
    assert set(before) <= set(after)
    changed = {n for n in before if before[n] != after[n]}
    titles = {s for s, _ in cell_marks(report.findings)} | {RESULTS_SHEET}
    allowed = {CONTENT_TYPES, "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}
    parts = _sheet_parts(before)
    for title in titles & set(parts):
        p = parts[title]
        allowed |= {p, rels_part(p)}
        allowed |= {t for rid, typ, t in _rels(before, p)}
    for p in parts.values():  # a sheet selected in the input loses tabSelected, nothing else
        if b"tabSelected" in before[p]:
            allowed.add(p)
    assert changed <= allowed, changed - allowed
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(new) as b:  # copied as stored, not recompressed
        stored = {i.filename: (i.compress_type, i.compress_size, i.CRC) for i in a.infolist()}
        assert all(stored[i.filename] == (i.compress_type, i.compress_size, i.CRC)
                   for i in b.infolist() if i.filename in stored and i.filename not in changed)
        assert b.testzip() is None
    for n in changed - {CONTENT_TYPES}:  # and never to something that is not XML
        etree.fromstring(after[n])


def _sheet_parts(members: dict[str, bytes]) -> dict[str, str]:
    main = next(t for _, typ, t in _rels(members, "") if typ.endswith("/officeDocument"))
    targets = {rid: t for rid, _, t in _rels(members, main)}
    return {s.get("name"): targets[s.get(f"{{{OFFICE_REL}}}id")]
            for s in etree.fromstring(members[main]).iter(f"{{{MAIN}}}sheet")}


def _rels(members: dict[str, bytes], part: str) -> list[tuple[str, str, str | None]]:
    rp = rels_part(part) if part else "_rels/.rels"
    if rp not in members:
        return []
    out = []
    for r in etree.fromstring(members[rp]).iter(f"{{{PACKAGE_REL}}}Relationship"):
        ext = r.get("TargetMode") == "External"
        out.append((r.get("Id"), r.get("Type"), None if ext else resolve(part, r.get("Target"))))
    return out


def package_problems(path: Path) -> list[str]:
    """What Excel checks before it offers to repair: well-formed parts, declared content types,
    relationships to parts that exist, r:ids that resolve, worksheet children in schema order,
    style indexes within their tables, notes with a VML drawing."""
    m = _members(path)
    problems = []
    types = etree.fromstring(m[CONTENT_TYPES])
    defaults = {d.get("Extension").lower() for d in types.iter(CT_NS + "Default")}
    overrides = {o.get("PartName").lstrip("/") for o in types.iter(CT_NS + "Override")}
    problems += [f"override for missing part {o}" for o in overrides - set(m)]
    for name, body in m.items():
        if name.endswith("/") or name == CONTENT_TYPES:
            continue
        if name not in overrides and name.rsplit(".", 1)[-1].lower() not in defaults:
            problems.append(f"no content type for {name}")
        if name.endswith((".xml", ".rels", ".vml")):
            try:
                etree.fromstring(body)
            except etree.XMLSyntaxError as exc:
                problems.append(f"{name} not well-formed: {exc}")
        if name.endswith(".rels"):
            source = posixpath.join(posixpath.dirname(posixpath.dirname(name)), posixpath.basename(name)[:-5])
            ids = [r[0] for r in _rels(m, source.lstrip("/") if source != "/" else "")]
            problems += [f"duplicate Id in {name}"] if len(ids) != len(set(ids)) else []
            problems += [f"{name} → missing {t}" for _, _, t in _rels(m, source if source != "/" else "") if t and t not in m]
    styles = etree.fromstring(m["xl/styles.xml"])
    n_xf = len(styles.find(f"{{{MAIN}}}cellXfs"))
    for tag, attr in (("fonts", "fontId"), ("fills", "fillId"), ("borders", "borderId")):
        table = styles.find(f"{{{MAIN}}}{tag}")
        if table.get("count") and int(table.get("count")) != len(table):
            problems.append(f"styles {tag} count")
        for xf in styles.find(f"{{{MAIN}}}cellXfs"):
            if int(xf.get(attr, 0)) >= len(table):
                problems.append(f"xf {attr} out of range")
    order = {t: i for i, t in enumerate(WORKSHEET_ORDER)}
    for name, body in m.items():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        root = etree.fromstring(body)
        ranks = [order[etree.QName(c).localname] for c in root if etree.QName(c).namespace == MAIN]
        if ranks != sorted(ranks):
            problems.append(f"{name}: children out of schema order")
        if any(int(c.get("s", 0)) >= n_xf for c in root.iter(f"{{{MAIN}}}c")):
            problems.append(f"{name}: style index out of range")
        rel_ids = {r[0]: r for r in _rels(m, name)}
        for el in root.iter():
            rid = el.get(f"{{{OFFICE_REL}}}id")
            if rid and rid not in rel_ids:
                problems.append(f"{name}: r:id {rid} unresolved")
        has_comments = any(t == OFFICE_REL + "/comments" for _, t, _ in rel_ids.values())
        if has_comments and root.find(f"{{{MAIN}}}legacyDrawing") is None:
            problems.append(f"{name}: notes without a VML drawing")
    return problems


@pytest.mark.parametrize("name", list(CORPUS))
def test_package_is_consistent(cases, name):
    src, _, new, _ = cases[name]
    assert package_problems(src) == []  # the checks themselves accept what we were given
    assert package_problems(new) == []


def test_libreoffice_opens_the_copies_and_sees_fills_and_notes(cases, tmp_path):
    """LibreOffice reads every patched copy; saved back by it, the same cells carry our fills and notes."""
    from perfeval_xl.outputs.libreoffice import convert

    # deleted-sheet: its defined names point at a sheet index that is gone, and LibreOffice refuses the
    # input itself; the patched copy keeps the input as it was, so it is refused alike.
    names = [n for n in CORPUS if n not in ("libreoffice-resaved", "deleted-sheet")]
    copies = []
    for n in names:
        _, _, new, _ = cases[n]
        link = tmp_path / "in" / f"{n}.xlsx"
        link.parent.mkdir(exist_ok=True)
        link.write_bytes(new.read_bytes())
        copies.append(link)
    outs = convert(copies, "xlsx", tmp_path / "lo")
    checked = 0
    for n, out in zip(names, outs):
        ours = {k: v for k, v in marks_of(cases[n][2])["cells"].items() if v[0] in OUR_RGB}
        seen = marks_of(out)["cells"]
        checked += len(ours)
        for key, (rgb, note) in ours.items():
            assert seen[key][0] == rgb, (n, key)
            assert seen[key][1] is not None and seen[key][1][0].strip() == note[0].strip(), (n, key)
    assert checked > 50  # the examples and value mutations mark dozens of cells


def test_reannotating_a_patched_copy_replaces_its_results(cases, tmp_path):
    src, report, new, _ = cases["plus-one-wan-synthetic"]
    again = annotate(new, report, tmp_path / "again.xlsx")
    reference = annotate_openpyxl(new, report, tmp_path / "again_openpyxl.xlsx")
    assert again.warnings == []
    assert marks_of(again.path) == marks_of(tmp_path / "again_openpyxl.xlsx")
    assert (again.flagged, again.rows) == reference[:2]
    assert package_problems(again.path) == []


def test_unreadable_package_falls_back_and_says_so(tmp_path):
    """A workbook part the patcher cannot find is written by openpyxl instead, never silently."""
    data = C.rezip(_plain(), replace={"_rels/.rels": C.part(_plain(), "_rels/.rels").replace(b"xl/workbook.xml", b"xl/missing.xml")})
    src = tmp_path / "odd.xlsx"
    src.write_bytes(data)
    report = check_path(tmp_path / "odd.xlsx")
    assert report.findings
    res = annotate(src, report, tmp_path / "out.xlsx")
    assert "openpyxl" in res.warnings[0]
    assert load_workbook(res.path).active.title == RESULTS_SHEET


def test_cells_and_rows_missing_from_the_sheet_are_created_in_order(tmp_path):
    """Findings on cells the sheet never wrote (blank rows, blank columns between cells) get them, in
    row and column order, with the same marks as openpyxl's copy."""
    from perfeval_xl.check.findings import CellRef, Finding, Report
    from perfeval_xl.rules.base import Severity

    src = tmp_path / "plain.xlsx"
    src.write_bytes(_plain())
    data = _members(src)
    sheet = _sheet_parts(data)["数据"]
    xml = data[sheet].replace(b'<row r="2">', b'<row r="2" spans="2:2">')
    src.write_bytes(C.rezip(src.read_bytes(), replace={sheet: xml}))
    findings = [Finding("SUM001", Severity.ERROR, "甲", (CellRef("数据", "A2"), CellRef("数据", "D2"))),
                Finding("SUM002", Severity.WARNING, "乙", (CellRef("数据", "C1"), CellRef("数据", "B7"))),
                Finding("SUM003", Severity.INFO, "丙", (CellRef("数据", "AA30"), CellRef("其他", "A1")))]
    report = Report(file=str(src), findings=findings, checked_at="2024-03-28T23:30:00+00:00")
    new = annotate(src, report, tmp_path / "new.xlsx")
    annotate_openpyxl(src, report, tmp_path / "old.xlsx")
    assert new.warnings == [] and new.flagged == 6
    assert marks_of(new.path) == marks_of(tmp_path / "old.xlsx")
    assert package_problems(new.path) == []
    root = etree.fromstring(_members(new.path)[sheet])
    refs = [[c.get("r") for c in row.iter(f"{{{MAIN}}}c")] for row in root.iter(f"{{{MAIN}}}row")]
    assert refs == [["C1"], ["A2", "B2", "D2"], ["B7"], ["AA30"]]
    assert root.find(f".//{{{MAIN}}}row[@r='2']").get("spans") == "1:4"
    status = load_workbook(new.path)[RESULTS_SHEET]["A4"].value
    assert "校验时间 2024-03-29 07:30（北京时间）" in status


def test_formulas_in_earlier_results_drop_the_calc_chain(tmp_path):
    """Rows of an earlier 校验结果 holding formulas are removed; the calculation chain that may list
    them goes too (Excel rebuilds it; a chain naming missing formulas is what it would repair)."""
    data = C.example()
    sheet = _sheet_parts(_members_of(data))[RESULTS_SHEET]
    r = str(FIRST_ROW + 1).encode()  # a row of earlier results, below the template's live native checks
    xml = C.part(data, sheet).replace(b"</sheetData>", b'<row r="' + r + b'"><c r="B' + r + b'"><f>1+1</f><v>2</v></c></row></sheetData>')
    chain = (b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b'<c r="B' + r + b'" i="12"/></calcChain>')
    types = C.part(data, CONTENT_TYPES).replace(
        b"</Types>", b'<Override PartName="/xl/calcChain.xml" '
                     b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>')
    rels = C.part(data, "xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>", b'<Relationship Id="rIdChain" Target="calcChain.xml" '
                             b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain"/></Relationships>')
    src = tmp_path / "chain.xlsx"
    src.write_bytes(C.rezip(data, replace={sheet: xml, CONTENT_TYPES: types, "xl/_rels/workbook.xml.rels": rels},
                            add={"xl/calcChain.xml": chain}))
    assert package_problems(src) == []
    res = annotate(src, check_path(src), tmp_path / "out.xlsx")
    assert res.warnings == []
    after = _members(res.path)
    assert "xl/calcChain.xml" not in after and b"calcChain" not in after["xl/_rels/workbook.xml.rels"]
    assert b"calcChain" not in after[CONTENT_TYPES]
    assert package_problems(res.path) == []


def _members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}
