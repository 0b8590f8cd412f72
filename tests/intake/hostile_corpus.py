"""Hostile and broken workbooks (issue 14), built from the bundled examples at the package level.

Each builder returns the bytes of one file; ``CASES`` names them with the finding each must
get. Shared by the tests, ``benchmarks/bench_hostile.py`` and the one-batch corpus run.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

import intake_corpus as C

FIRST_SHEET = "xl/worksheets/sheet1.xml"


def _sheet(base: bytes, name: str = FIRST_SHEET) -> str:
    return C.part(base, name).decode()


def add_rows(base: bytes, xml: str, name: str = FIRST_SHEET) -> bytes:
    """Extra ``<row>`` markup at the end of a sheet's ``<sheetData>``."""
    return C.rezip(base, replace={name: _sheet(base, name).replace("</sheetData>", xml + "</sheetData>").encode()})


# --- A: extents that make a native reader abort or crawl ---------------------------------------


def far_cell_single_quotes(base: bytes) -> bytes:
    return add_rows(base, "<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>")


def far_cell_double_quotes(base: bytes) -> bytes:
    return add_rows(base, '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')


def far_row_cells_without_r(base: bytes) -> bytes:
    return add_rows(base, '<row r="1048576"><c><v>1</v></c><c><v>2</v></c></row>')


def far_row_without_any_r(base: bytes) -> bytes:
    """Rows without ``r`` count on from the last one: 1,048,000 empty rows skip ahead."""
    return add_rows(base, '<row r="1048000"/>' + "<row><c><v>1</v></c></row>" * 3)


def wide_row_cells_without_r(base: bytes) -> bytes:
    """Cells without ``r`` count on along their row; then one far row multiplies the area."""
    return add_rows(base, '<row r="13">' + "<c/>" * 16384 + '</row><row r="200000"><c r="A200000"><v>1</v></c></row>')


def far_cell_prefixed(base: bytes) -> bytes:
    """A namespace prefix on the cell elements (valid XML, read the same by calamine)."""
    xml = _sheet(base).replace("<worksheet ", '<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ', 1)
    xml = xml.replace("</sheetData>", "<x:row r='1048576'><x:c r='XFD1048576'><x:v>1</x:v></x:c></x:row></sheetData>")
    return C.rezip(base, replace={FIRST_SHEET: xml.encode()})


def far_cell_part_elsewhere(base: bytes) -> bytes:
    """The sheet part moved out of xl/worksheets/, found only through the workbook's relationships."""
    xml = _sheet(base).replace("</sheetData>", "<row r='1048576'><c r='XFD1048576'><v>1</v></c></row></sheetData>")
    rels = C.part(base, "xl/_rels/workbook.xml.rels").decode().replace("/xl/worksheets/sheet1.xml", "/xl/data/blob1.bin")
    ct = C.part(base, "[Content_Types].xml").decode().replace('PartName="/xl/worksheets/sheet1.xml"', 'PartName="/xl/data/blob1.bin"')
    out = C.rezip(base, replace={"xl/_rels/workbook.xml.rels": rels.encode(), "[Content_Types].xml": ct.encode()}, drop={FIRST_SHEET})
    out = C.rezip(out, add={"xl/data/blob1.bin": xml.encode()})
    # the sheet's own relationships (comments) follow it
    if "xl/worksheets/_rels/sheet1.xml.rels" in zipfile.ZipFile(io.BytesIO(base)).namelist():
        out = C.rezip(out, add={"xl/data/_rels/blob1.bin.rels": C.part(base, "xl/worksheets/_rels/sheet1.xml.rels")})
    return out


def million_rows(base: bytes) -> bytes:
    body = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(20, 1_000_020))
    return add_rows(base, body)


EXTENT_CASES = {
    "far_cell_single_quotes": far_cell_single_quotes,
    "far_cell_double_quotes": far_cell_double_quotes,
    "far_row_cells_without_r": far_row_cells_without_r,
    "far_row_without_any_r": far_row_without_any_r,
    "wide_row_cells_without_r": wide_row_cells_without_r,
    "far_cell_prefixed": far_cell_prefixed,
    "far_cell_part_elsewhere": far_cell_part_elsewhere,
    "million_rows": million_rows,
}



# --- B: tampering that used to pass as 合格 -------------------------------------------------------

COVER = "封面"


def _cover(base: bytes) -> str:
    return C.sheet_part(base, COVER)


def _set_cell(base: bytes, address: str, body: str, attrs: str = "") -> bytes:
    """Replace one cell of the cover (keeping its style) with raw cell content."""
    name = _cover(base)
    xml = C.part(base, name).decode()
    pattern = re.compile(r'<c r="%s"([^>]*?)(/>|>.*?</c>)' % address, re.S)
    m = pattern.search(xml)
    style = re.search(r'\ss="\d+"', m.group(1)).group(0) if m and re.search(r'\ss="\d+"', m.group(1)) else ""
    new = f'<c r="{address}"{style}{attrs}>{body}</c>'
    if m:
        xml = xml[: m.start()] + new + xml[m.end():]
    else:
        row = re.search(r"[0-9]+", address).group(0)
        xml = re.sub(r'(<row r="%s"[^>]*>)' % row, r"\g<1>" + new, xml, count=1)
    return C.rezip(base, replace={name: xml.encode()})


def _name(base: bytes, name: str, target: str) -> bytes:
    wb = C.part(base, "xl/workbook.xml").decode()
    wb, n = re.subn(r'(<definedName name="%s"[^>]*>)[^<]*(<)' % name, lambda m: m.group(1) + escape(target) + m.group(2), wb)
    assert n == 1, name
    return C.rezip(base, replace={"xl/workbook.xml": wb.encode()})


def name_to_other_sheet(base: bytes) -> bytes:
    """report_year read from a helper cell on another sheet holding a made-up year."""
    helper = C.sheet_part(base, "资产")
    xml = C.part(base, helper).decode().replace("</sheetData>", '<row r="900"><c r="Z900"><v>2023</v></c></row></sheetData>')
    return _name(C.rezip(base, replace={helper: xml.encode()}), "report_year", "'资产'!$Z$900")


def name_to_helper_same_sheet(base: bytes) -> bytes:
    return _name(_set_cell(base, "H30", "<v>2023</v>"), "report_year", f"'{COVER}'!$H$30")


def two_names_one_cell(base: bytes) -> bytes:
    return _name(base, "dept_code", f"'{COVER}'!$B$5")


def stale_formula_in_input(base: bytes) -> bytes:
    return _set_cell(base, "B7", "<f>2000+500</f><v>2023</v>")


def external_formula_in_input(base: bytes) -> bytes:
    return _set_cell(base, "B7", "<f>'C:\\财务\\[预算.xlsx]Sheet1'!$A$1</f><v>2023</v>")


def ref_error_in_input(base: bytes) -> bytes:
    return _set_cell(base, "B7", "<v>#REF!</v>", ' t="e"')


def na_error_in_input(base: bytes) -> bytes:
    return _set_cell(base, "B6", "<v>#N/A</v>", " t='e'")


def _add_part(base: bytes, name: str, body: bytes, rel_type: str, content_type: str, rels_ns: str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships") -> bytes:
    ct = C.part(base, "[Content_Types].xml").decode().replace(
        "</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>')
    rels = C.part(base, "xl/_rels/workbook.xml.rels").decode().replace(
        "</Relationships>", f'<Relationship Id="rIdX9" Type="{rels_ns}/{rel_type}" Target="/{name}"/></Relationships>')
    return C.rezip(base, replace={"[Content_Types].xml": ct.encode(), "xl/_rels/workbook.xml.rels": rels.encode()}, add={name: body})


def _link_body() -> bytes:
    return C.part(C.external_link(C.example()), "xl/externalLinks/externalLink1.xml")


def external_link_unusual_name(base: bytes) -> bytes:
    out = _add_part(base, "xl/misc/data7.xml", _link_body(), "externalLink",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml")
    return C.rezip(out, add={"xl/misc/_rels/data7.xml.rels": C.part(C.external_link(C.example()),
                                                                   "xl/externalLinks/_rels/externalLink1.xml.rels")})


def external_link_strict(base: bytes) -> bytes:
    """The same link declared with ISO Strict relationship URIs."""
    return _add_part(base, "xl/links/l1.xml", _link_body(), "externalLink",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml",
                     rels_ns="http://purl.oclc.org/ooxml/officeDocument/relationships")


def vba_unusual_name(base: bytes) -> bytes:
    return _add_part(base, "xl/media/image9.png", C.vba_project_bin(), "vbaProject", "application/vnd.ms-office.vbaProject",
                     rels_ns="http://schemas.microsoft.com/office/2006/relationships")


def vba_no_relationship(base: bytes) -> bytes:
    """A VBA project stored under a harmless name with no relationship: recognised by its content."""
    return C.rezip(base, add={"docProps/thumbnail.jpeg": C.vba_project_bin()})


TAMPER_CASES = {
    "name_to_other_sheet": (name_to_other_sheet, "STR016"),
    "name_to_helper_same_sheet": (name_to_helper_same_sheet, "STR010"),
    "two_names_one_cell": (two_names_one_cell, "STR016"),
    "stale_formula_in_input": (stale_formula_in_input, "STR017"),
    "external_formula_in_input": (external_formula_in_input, "STR017"),
    "ref_error_in_input": (ref_error_in_input, "STR018"),
    "na_error_in_input": (na_error_in_input, "STR018"),
    "external_link_unusual_name": (external_link_unusual_name, "SEC020"),
    "external_link_strict": (external_link_strict, "SEC020"),
    "vba_unusual_name": (vba_unusual_name, "SEC010"),
    "vba_no_relationship": (vba_no_relationship, "SEC010"),
}


# --- E: text longer than a cell can hold (Excel keeps at most 32,767 characters) ---------------------

CELL_TEXT_MAX = 32_767
_SST_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def hex_text(n: int) -> str:
    """``n`` random hex digits: text that deflates only about 2:1, so no zip-ratio cap stops it first."""
    import os

    return os.urandom((n + 1) // 2).hex()[:n]


def inline_text(base: bytes, text: str, address: str = "B5") -> bytes:
    """One cover cell holding ``text`` as an inline string (how the 30 MB cell was delivered)."""
    return _set_cell(base, address, f"<is><t>{escape(text)}</t></is>", ' t="inlineStr"')


def shared_strings(base: bytes, items: list[str], address: str = "B5") -> bytes:
    """A sharedStrings part (``items`` are raw ``<si>`` contents) and a cover cell showing the last one."""
    sst = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_SST_NS}" count="{len(items)}" '
           f'uniqueCount="{len(items)}">' + "".join(f"<si>{i}</si>" for i in items) + "</sst>").encode()
    with_cell = _set_cell(base, address, f"<v>{len(items) - 1}</v>", ' t="s"')
    return _add_part(with_cell, "xl/sharedStrings.xml", sst, "sharedStrings",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml")


def long_inline_string(base: bytes, n: int = 30 << 20) -> bytes:
    """A 30 MB text in one cell: a reader spent 17 s on it."""
    return inline_text(base, hex_text(n))


def long_shared_string(base: bytes, n: int = 3 << 20) -> bytes:
    return shared_strings(base, ["<t>封面</t>", f"<t>{hex_text(n)}</t>"])


def long_rich_text_runs(base: bytes) -> bytes:
    """Forty formatted runs of 1,000 characters: no run is long, the string they make is."""
    runs = "".join(f"<r><rPr><b/></rPr><t>{hex_text(1000)}</t></r>" for _ in range(40))
    return shared_strings(base, ["<t>封面</t>", runs])


def long_inline_rich_text(base: bytes) -> bytes:
    runs = "".join(f"<r><t>{hex_text(2000)}</t></r>" for _ in range(20))
    return _set_cell(base, "B5", f"<is>{runs}</is>", ' t="inlineStr"')


def long_cached_formula_text(base: bytes, n: int = 1 << 20) -> bytes:
    """A formula's cached string result (``t="str"``) is read as the cell's text too."""
    return _set_cell(base, "B5", f'<f>REPT("a",{n})</f><v>{"a" * n}</v>', ' t="str"')


def one_past_the_limit(base: bytes) -> bytes:
    return inline_text(base, "x" * (CELL_TEXT_MAX + 1))


def astral_characters_past_the_limit(base: bytes) -> bytes:
    """16,384 characters outside the BMP are 32,768 UTF-16 units: Excel counts them twice."""
    return inline_text(base, "\U00020000" * (CELL_TEXT_MAX // 2 + 1))


CELL_TEXT_CASES = {
    "long_inline_string": long_inline_string,
    "long_shared_string": long_shared_string,
    "long_rich_text_runs": long_rich_text_runs,
    "long_inline_rich_text": long_inline_rich_text,
    "long_cached_formula_text": long_cached_formula_text,
    "one_past_the_limit": one_past_the_limit,
    "astral_characters_past_the_limit": astral_characters_past_the_limit,
}


def at_the_limit_cjk(base: bytes) -> bytes:
    """32,767 Chinese characters: 98,301 bytes of UTF-8, but within Excel's limit."""
    return inline_text(base, ("绩效评价说明" * 6000)[:CELL_TEXT_MAX])


def at_the_limit_entities(base: bytes) -> bytes:
    """32,767 ampersands, written as ``&amp;`` (five bytes each)."""
    return shared_strings(base, ["<t>封面</t>", "<t>" + "&amp;" * CELL_TEXT_MAX + "</t>"])


def at_the_limit_with_phonetic_run(base: bytes) -> bytes:
    """A phonetic guide (``<rPh>``) is not part of the cell's text."""
    return shared_strings(base, ["<t>封面</t>", f"<t>{'y' * CELL_TEXT_MAX}</t><rPh sb=\"0\" eb=\"1\"><t>{'p' * 500}</t></rPh>"])


CELL_TEXT_WITHIN = {
    "at_the_limit_ascii": lambda base: inline_text(base, "x" * CELL_TEXT_MAX),
    "at_the_limit_cjk": at_the_limit_cjk,
    "at_the_limit_entities": at_the_limit_entities,
    "at_the_limit_with_phonetic_run": at_the_limit_with_phonetic_run,
}


# --- issue 13 point 5: calls into our own add-in, stored by Excel as an external link ----------------

_ADDIN_LINK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<externalLink xmlns="http://schemas.openxmlformats.org/'
               'spreadsheetml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14"'
               ' xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><externalBook xmlns:r="http://schemas.'
               'openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"><definedNames>{names}</definedNames>{extra}'
               '</externalBook></externalLink>')
XLSTART = "http://schemas.microsoft.com/office/2006/relationships/xlStartup"
LINK_PATH = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath"


def addin_link(base: bytes, *, functions=("PE_RATIO", "PE_SCORE"), rel_type: str = XLSTART, target: str = "perfeval_xl.xlam",
               extra: str = "") -> bytes:
    """What Excel writes for a book whose formulas call the add-in's UDFs: a link part, its path, a reference
    in workbook.xml, and formulas reading ``[1]!PE_…`` (here in a cell of the last sheet)."""
    link = _ADDIN_LINK.format(names="".join(f'<definedName name="{f}"/>' for f in functions), extra=extra).encode()
    link_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships xmlns="http://schemas.openxmlformats.org/'
                 f'package/2006/relationships"><Relationship Id="rId1" Type="{rel_type}" Target="{escape(target)}" '
                 'TargetMode="External"/></Relationships>').encode()
    ct = C.part(base, "[Content_Types].xml").decode().replace(
        "</Types>", '<Override PartName="/xl/externalLinks/externalLink1.xml" '
                    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>')
    rels = C.part(base, "xl/_rels/workbook.xml.rels").decode().replace(
        "</Relationships>", '<Relationship Id="rIdLink1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                            'externalLink" Target="externalLinks/externalLink1.xml"/></Relationships>')
    wb = C.part(base, "xl/workbook.xml").decode()
    ref = '<externalReferences><externalReference xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rIdLink1"/></externalReferences>'
    wb = wb.replace("<definedNames>", ref + "<definedNames>", 1) if "<definedNames>" in wb else wb.replace("</sheets>", "</sheets>" + ref, 1)
    last = sorted(n for n in zipfile.ZipFile(io.BytesIO(base)).namelist() if n.startswith("xl/worksheets/sheet"))[-1]
    sheet = C.part(base, last).decode().replace(
        "</sheetData>", f'<row r="400"><c r="A400"><f>[1]!{functions[0]}(1,2)</f><v>0.5</v></c></row></sheetData>')
    return C.rezip(base, replace={"[Content_Types].xml": ct.encode(), "xl/_rels/workbook.xml.rels": rels.encode(),
                                  "xl/workbook.xml": wb.encode(), last: sheet.encode()},
                   add={"xl/externalLinks/externalLink1.xml": link, "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels})


ADDIN_OK = {
    "addin_xlstart": lambda b: addin_link(b),
    "addin_full_path": lambda b: addin_link(b, rel_type=LINK_PATH,
                                            target="file:///C:\\Users\\张三\\AppData\\Roaming\\Microsoft\\Excel\\XLSTART\\perfeval_xl.xlam"),
    "addin_upper_case": lambda b: addin_link(b, functions=("pe_ratio",), target="PERFEVAL_XL.XLAM"),
}
ADDIN_NOT_OURS = {
    "addin_other_book": lambda b: addin_link(b, target="evil_tools.xlam"),
    "addin_foreign_function": lambda b: addin_link(b, functions=("PE_RATIO", "SHELL_EXEC")),
    "addin_with_cached_sheet": lambda b: addin_link(b, extra='<sheetNames><sheetName val="数据"/></sheetNames>'),
    "addin_look_alike_folder": lambda b: addin_link(b, rel_type=LINK_PATH, target="file:///C:/perfeval_xl.xlam/budget.xlsx"),
}


# --- rows inserted on an unprotected sheet, as Excel does it --------------------------------------

_A1_TOKEN = re.compile(r"(\$?)([A-Z]{1,3})(\$?)([0-9]+)")


def _shift_rows(text: str, at: int, n: int) -> str:
    """Every A1 reference in ``text`` at or below row ``at`` moved down ``n`` rows (Excel's rule for an insert)."""
    return _A1_TOKEN.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}{int(m.group(4)) + n if int(m.group(4)) >= at else m.group(4)}", text)


def insert_rows(base: bytes, title: str, at: int, rows: tuple[str, ...] = ("", "")) -> bytes:
    """What Excel writes after unprotecting ``title`` and inserting ``len(rows)`` rows above row ``at``: cells, merged
    ranges, validations and every defined name on that sheet below the insert move down; each new row holds the
    given text in column A (a department's note, or nothing). The template's formulas use names, so none changes."""
    name = C.sheet_part(base, title)
    xml = C.part(base, name).decode()
    xml = re.sub(r"<sheetProtection\b[^>]*/>", "", xml)
    n = len(rows)
    xml = re.sub(r'\b(r|ref|sqref)="([^"]*)"', lambda m: f'{m.group(1)}="{_shift_rows(m.group(2), at, n)}"', xml)
    added = "".join(f'<row r="{at + i}">' + (f'<c r="A{at + i}" t="inlineStr"><is><t>{escape(text)}</t></is></c>' if text else "")
                    + "</row>" for i, text in enumerate(rows))
    cut = xml.index("<sheetData>")
    below = [m for m in re.finditer(r'<row r="(\d+)"', xml) if m.start() > cut and int(m.group(1)) >= at + n]
    pos = below[0].start() if below else xml.index("</sheetData>")
    xml = xml[:pos] + added + xml[pos:]
    wb = C.part(base, "xl/workbook.xml").decode()
    quoted = f"'{title}'!"
    wb = re.sub(r"(<definedName [^>]*>)([^<]*)(<)",
                lambda m: m.group(1) + (quoted + _shift_rows(m.group(2)[len(quoted):], at, n)
                                        if m.group(2).startswith(quoted) else m.group(2)) + m.group(3), wb)
    return C.rezip(base, replace={name: xml.encode(), "xl/workbook.xml": wb.encode()})


INSERT_SHEET, INSERT_AT = "收入支出", 21  # above 一般公共服务支出, the first row of the functional classification
