"""Hostile and broken workbooks (issue 14), built from the bundled examples at the package level.

Each builder returns the bytes of one file; ``CASES`` names them with the finding each must
get. Shared by the tests, ``benchmarks/bench_hostile.py`` and the one-batch corpus run.
"""

from __future__ import annotations

import io
import zipfile

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

