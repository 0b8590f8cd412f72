"""The pre-flight's limits and stops, each edge from both sides, on a tiny package built here.

Every case is small (a handful of KB, no LibreOffice, no mail): the file is fast enough to run
once per mutant in ``scripts/mutation.sh preflight``. Limits are set relative to the fixture's
own measured sizes (exactly at a size passes, one byte under it is refused), so a case cannot
drift to the wrong side of an edge when the fixture changes. What is asserted is data: the
rule ids, their params, the kind of file, the members and inflated byte counts.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib

import pytest

from perfeval_xl.preflight import Limits, Preflight, is_workbook_package, preflight, scan_zip, sniff
from perfeval_xl.preflight.scan import MiB, OLE_MAGIC

SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def sheet_xml(rows: int, cols: int, *, closed: bool = True) -> bytes:
    """A worksheet whose used range is exactly ``rows`` × ``cols`` (its last cell is at the far corner)."""
    last = ""
    n = cols
    while n:
        n, r = divmod(n - 1, 26)
        last = chr(65 + r) + last
    body = f'<?xml version="1.0"?><worksheet {NS}><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
    body += f'<row r="{rows}"><c r="{last}{rows}"><v>2</v></c></row>'
    return (body + "</sheetData></worksheet>" if closed else body).encode()


def package(extra: dict[str, bytes] | None = None, *, sheet: bytes | None = None, drop: tuple = (),
            method=zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal workbook package: content types, relationships, workbook, one 3 × 2 sheet, plus ``extra`` parts."""
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               b'<Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'.encode(),
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook {NS}><sheets><sheet name="S" sheetId="1"/></sheets></workbook>'.encode(),
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                      f'relationships"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                                      f'</Relationships>'.encode(),
        SHEET: sheet if sheet is not None else sheet_xml(3, 2),
    }
    parts.update(extra or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, body in parts.items():
            if name not in drop:
                z.writestr(name, body)
    return out.getvalue()


def infos(data: bytes) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.infolist()


def run(data: bytes, **limits) -> tuple[list[str], Preflight]:
    report = preflight(data, "x.xlsx", Limits(**limits))
    return [f.rule_id for f in report.findings], report


def only(report: Preflight, rule_id: str):
    found = [f for f in report.findings if f.rule_id == rule_id]
    assert len(found) == 1, [f.rule_id for f in report.findings]
    return found[0]


def patch_central(data: bytes, member: str, offset: int, fmt: str, value: int, *, local_offset: int | None = None) -> bytes:
    """Rewrite one field of a member's central-directory entry (and of its local header when ``local_offset``)."""
    buf = bytearray(data)
    name = member.encode()
    pos = buf.find(b"PK\x01\x02")
    while pos >= 0:
        n = struct.unpack_from("<H", buf, pos + 28)[0]
        if bytes(buf[pos + 46:pos + 46 + n]) == name:
            struct.pack_into(fmt, buf, pos + offset, value)
            if local_offset is not None:
                head = struct.unpack_from("<I", buf, pos + 42)[0]
                struct.pack_into(fmt, buf, head + local_offset, value)
        pos = buf.find(b"PK\x01\x02", pos + 4)
    return bytes(buf)


# -- the clean package and what the pre-flight counts ----------------------------------------------


def test_a_clean_package_passes_with_every_member_counted():
    data = package()
    codes, report = run(data)
    assert codes == [] and report.kind == "xlsx" and not report.blocked and not report.unsafe
    assert (report.members, report.inflated) == (len(infos(data)), sum(i.file_size for i in infos(data)))
    assert preflight(data).findings == []  # the default limits, no name


def test_a_folder_entry_is_counted_as_a_member_but_not_streamed():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        members = src.infolist()
        dst.writestr(members[0].filename, src.read(members[0]))
        dst.writestr(zipfile.ZipInfo("xl/media/"), b"")
        for info in members[1:]:
            dst.writestr(info.filename, src.read(info))
    codes, report = run(out.getvalue())
    assert codes == [] and report.members == len(members) + 1
    assert report.inflated == sum(i.file_size for i in members)


def test_a_large_highly_compressible_part_is_inflated_in_bounded_chunks_and_counted_exactly():
    """1.5 MiB of zeros deflates to a few KB: the inflater hands it out 256 KiB at a time from an unconsumed tail."""
    body = b"\0" * (3 * MiB // 2)
    data = package({"xl/media/zeros.bin": body})
    codes, report = run(data)
    assert codes == [] and report.inflated == sum(i.file_size for i in infos(data))


def test_an_incompressible_part_is_inflated_over_many_input_steps_and_counted_exactly():
    body = random.Random(16).randbytes(300_000)  # incompressible
    data = package({"xl/media/noise.bin": body})
    assert next(i.compress_size for i in infos(data) if i.filename == "xl/media/noise.bin") > 3 * (1 << 16)
    codes, report = run(data)
    assert codes == [] and report.inflated == sum(i.file_size for i in infos(data))


def test_a_part_whose_local_header_carries_a_large_extra_field_is_read_past_it():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        extra = zipfile.ZipInfo("xl/media/extra.bin")
        extra.compress_type = zipfile.ZIP_DEFLATED
        extra.extra = struct.pack("<HH", 0xCAFE, 40_000) + b"\x01" * 40_000  # beyond a signed 16-bit length
        dst.writestr(extra, b"payload " * 100)
    codes, report = run(out.getvalue())
    assert codes == [] and report.inflated == sum(i.file_size for i in infos(out.getvalue()))


# -- what the bytes are ----------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "kind"), [
    (b"", "empty"),
    (OLE_MAGIC + b"\0" * 8, "ole"),
    (OLE_MAGIC[:7] + b"\0" * 9, "other"),
    (b"PK\x03\x04rest", "zip"),
    (b"PK\x05\x06rest", "zip"),
    (b"PK\x03\x05rest", "other"),
    (b"PK\x01\x02rest", "other"),
])
def test_sniff(data, kind):
    assert sniff(data) == kind


@pytest.mark.parametrize(("names", "expected"), [
    ({"xl/workbook.xml"}, True),
    (["xl/workbook.bin", "x"], True),
    ({"xl/workbook.xml.rels", "workbook.xml"}, False),
    (set(), False),
])
def test_is_workbook_package(names, expected):
    assert is_workbook_package(names) is expected


def test_an_empty_file_is_sec016():
    codes, report = run(b"")
    assert codes == ["SEC016"] and report.kind == "empty" and report.blocked


@pytest.mark.parametrize(("data", "detail"), [
    ("金额,合计\n1,2\n".encode("gbk"), "内容为文本"),  # GBK text that is not UTF-8
    (b"<\xff\xfe\x00", "内容为文本"),  # markup, however undecodable
    (b"  {\xff\x00", "内容为文本"),  # JSON after leading blanks
    (b"a" * 512 + b"\xff\x00", "内容为文本"),  # only the first 512 bytes are looked at
    (b"a" * 511 + b"\xff\x00", "无法识别的文件格式"),
    (b"ab\x00\xff", "无法识别的文件格式"),  # NUL and an invalid byte: binary
    (b"\x01\x02\x03\x00\xfe\xff", "无法识别的文件格式"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "内容为 PDF 文档"),
    (b"\n %pdf-1.7\x00\xff", "内容为 PDF 文档"),
    (b"%PDF1.4", "内容为文本"),
    (b" " * 64 + b"<\xff\x00", "无法识别的文件格式"),  # only the first 64 bytes may open with markup
])
def test_what_a_non_workbook_file_is_said_to_be(data, detail):
    codes, report = run(data)
    assert codes == ["SEC014"] and report.kind == "unknown" and report.findings[0].params == {"detail": detail}


def test_an_unexpected_failure_is_a_bounded_sec015_never_an_exception():
    class Hostile(bytes):
        def __len__(self):
            raise RuntimeError("说明" * 200)

    report = preflight(Hostile(b"PK\x03\x04"), "x.xlsx")
    assert report.kind == "unknown" and [f.rule_id for f in report.findings] == ["SEC015"] and report.blocked
    detail = report.findings[0].params["detail"]
    assert detail.startswith("预检异常 RuntimeError: 说明") and len(detail) == 200


# -- the file-size cap -----------------------------------------------------------------------------


def test_file_size_exactly_at_the_limit_passes_and_one_byte_over_is_sec001():
    data = package({"xl/media/noise.bin": bytes(range(256)) * 8192})  # 2 MiB that do not compress: a 2.0 MB file
    assert run(data, max_file_bytes=len(data))[0] == []
    codes, report = run(data, max_file_bytes=len(data) - 1)
    assert codes == ["SEC001"] and report.kind == "unknown" and report.inflated == 0
    assert report.findings[0].params == {"size_mb": f"{len(data) / MiB:.1f}", "limit_mb": f"{(len(data) - 1) / MiB:.1f}"}


# -- zip caps ------------------------------------------------------------------------------------


def test_member_count_at_the_limit_passes_and_one_over_stops_before_anything_else():
    data = package({"xl/media/big.bin": b"x" * 5000})
    n = len(infos(data))
    assert run(data, max_members=n)[0] == []
    codes, report = run(data, max_members=n - 1, max_member_bytes=100)  # the size cap would fire too, were it reached
    assert codes == ["SEC002"] and report.findings[0].params == {"count": n, "limit": n - 1} and report.members == n


def test_member_size_at_the_limit_passes_and_one_byte_over_is_sec004_naming_the_part():
    data = package({"xl/media/big.bin": b"x" * 5000})
    assert run(data, max_member_bytes=5000)[0] == []
    codes, report = run(data, max_member_bytes=4999, ratio_min_bytes=0)  # over the size cap: never judged by ratio too
    assert codes == ["SEC004"] and report.inflated == 0
    assert report.findings[0].params == {"what": "部件 xl/media/big.bin ", "member": "xl/media/big.bin",
                                         "size_mb": f"{5000 / MiB:.1f}", "limit_mb": f"{4999 / MiB:.1f}"}


def test_total_declared_size_at_the_limit_passes_and_one_byte_over_is_sec004():
    data = package()
    total = sum(i.file_size for i in infos(data))
    codes, report = run(data, max_total_bytes=total)
    assert codes == [] and report.inflated == total
    codes, report = run(data, max_total_bytes=total - 1)
    assert codes == ["SEC004"] and report.inflated == 0
    assert report.findings[0].params == {"what": "全部部件合计", "size_mb": f"{total / MiB:.1f}",
                                         "limit_mb": f"{(total - 1) / MiB:.1f}"}


def _ratio_case() -> tuple[bytes, zipfile.ZipInfo]:
    data = package({"xl/media/pad.bin": b"ab" * 3000})
    return data, next(i for i in infos(data) if i.filename == "xl/media/pad.bin")


def test_compression_ratio_exactly_at_the_limit_passes_and_just_over_is_sec003():
    data, info = _ratio_case()
    ratio = info.file_size / info.compress_size
    assert run(data, ratio_min_bytes=1000, max_ratio=ratio)[0] == []
    codes, report = run(data, ratio_min_bytes=1000, max_ratio=ratio - 0.01)
    assert codes == ["SEC003"] and report.inflated == 0
    assert report.findings[0].params == {"member": "xl/media/pad.bin", "ratio": int(ratio), "size_mb": f"{6000 / MiB:.1f}",
                                         "limit": int(ratio - 0.01)}


def test_a_part_exactly_at_the_ratio_floor_is_not_judged_by_its_ratio():
    data, info = _ratio_case()
    assert run(data, ratio_min_bytes=info.file_size, max_ratio=1.0)[0] == []
    assert run(data, ratio_min_bytes=info.file_size - 1, max_ratio=1.0)[0] == ["SEC003"]


def test_a_stored_part_above_the_floor_has_ratio_1():
    data = package({"xl/media/pad.bin": b"ab" * 3000}, method=zipfile.ZIP_STORED)
    assert run(data, ratio_min_bytes=1000, max_ratio=1.0)[0] == []
    codes, report = run(data, ratio_min_bytes=1000, max_ratio=0.99)
    assert {f.params["ratio"] for f in report.findings} == {1} and set(codes) == {"SEC003"}


def test_an_encrypted_zip_member_is_sec012_and_nothing_is_inflated():
    data = patch_central(package(), SHEET, 8, "<H", 0x1)
    codes, report = run(data)
    assert codes == ["SEC012"] and report.inflated == 0 and report.blocked
    assert report.findings[0].params == {"detail": f"zip 部件 {SHEET} 已加密"}


def test_a_part_inflating_beyond_its_declared_size_is_sec005_naming_it():
    data = package({"xl/media/lie.bin": b"\0" * 50_000})
    data = patch_central(data, "xl/media/lie.bin", 24, "<I", 1000, local_offset=22)
    codes, report = run(data)
    assert codes == ["SEC005"] and report.blocked
    assert report.findings[0].params == {"member": "xl/media/lie.bin", "what": "声明的 1000 字节"}


def test_a_part_shorter_than_declared_is_sec015_naming_it():
    data = package({"xl/media/short.bin": b"\0" * 50_000})
    data = patch_central(data, "xl/media/short.bin", 24, "<I", 50_001, local_offset=22)
    codes, report = run(data)
    assert codes == ["SEC015"] and "xl/media/short.bin" in report.findings[0].params["detail"]


def test_a_part_with_a_wrong_checksum_is_sec015_naming_it():
    data = package({"xl/media/crc.bin": b"\0" * 50_000})
    crc = next(i.CRC for i in infos(data) if i.filename == "xl/media/crc.bin")
    data = patch_central(data, "xl/media/crc.bin", 16, "<I", crc ^ 1, local_offset=14)
    codes, report = run(data)
    assert codes == ["SEC015"] and "xl/media/crc.bin" in report.findings[0].params["detail"]


def test_a_part_whose_deflate_stream_is_garbage_is_sec015_naming_it():
    good = package({"xl/media/junk.bin": bytes(range(256)) * 40})
    info = next(i for i in infos(good) if i.filename == "xl/media/junk.bin")
    buf = bytearray(good)
    start = info.header_offset + 30 + len(info.filename.encode())
    buf[start:start + 8] = b"\xff" * 8  # reserved block type 3: zlib refuses it at once
    codes, report = run(bytes(buf))
    assert codes == ["SEC015"] and "xl/media/junk.bin" in report.findings[0].params["detail"]


def test_a_deflate_stream_that_never_ends_is_a_truncated_part():
    body = b"abc" * 2000
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = comp.compress(body) + comp.flush(zlib.Z_SYNC_FLUSH)  # no final block
    info = zipfile.ZipInfo("xl/media/open.bin")
    info.compress_type = zipfile.ZIP_STORED
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for i in src.infolist():
            dst.writestr(i.filename, src.read(i))
        dst.writestr(info, raw)
    data = out.getvalue()
    member = next(i for i in infos(data) if i.filename == "xl/media/open.bin")
    data = patch_central(data, "xl/media/open.bin", 10, "<H", zipfile.ZIP_DEFLATED, local_offset=8)
    data = patch_central(data, "xl/media/open.bin", 24, "<I", len(body), local_offset=22)
    data = patch_central(data, "xl/media/open.bin", 16, "<I", zlib.crc32(body), local_offset=14)
    assert member.compress_size == len(raw)
    codes, report = run(data)
    assert codes == [] and report.inflated == sum(i.file_size for i in infos(data))


# -- XML prologs and sheet extents ---------------------------------------------------------------


DTD = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'


@pytest.mark.parametrize("member", ["docProps/app.xml", "xl/drawings/vmlDrawing1.vml", "XL/MEDIA/SHOUT.XML"])
def test_an_entity_declaration_in_any_xml_part_is_sec006(member):
    codes, report = run(package({member: DTD}))
    assert codes == ["SEC006"] and report.findings[0].params["member"] == member


def test_a_relationships_part_with_a_broken_xml_declaration_is_sec015_naming_it():
    codes, report = run(package({"xl/worksheets/_rels/sheet1.xml.rels": b"<?xml version=1.0?><Relationships/>"}))
    assert codes == ["SEC015"] and "xl/worksheets/_rels/sheet1.xml.rels" in report.findings[0].params["detail"]


def test_xml_in_a_part_that_is_no_xml_is_not_parsed():
    assert run(package({"xl/media/image.png": DTD}))[0] == []


def test_a_plain_archive_is_capped_but_not_read_as_a_workbook():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("readme.xml", DTD)
        z.writestr("data.bin", OLE_MAGIC + b"\0" * 100)
    data = archive.getvalue()
    report = scan_zip(data, Limits(), workbook=False)
    assert (report.kind, report.findings, report.ole_parts) == ("zip", [], [])
    assert report.inflated == sum(i.file_size for i in infos(data))
    limited = scan_zip(data, Limits(max_members=1), workbook=False)
    assert [f.rule_id for f in limited.findings] == ["SEC002"]


@pytest.mark.parametrize(("rows", "cols"), [(7, 3), (1, 30), (120, 1)])
def test_sheet_extent_at_the_limits_passes_and_one_over_is_sec008(rows, cols):
    data = package(sheet=sheet_xml(rows, cols))
    assert run(data, max_sheet_rows=rows, max_sheet_cells=rows * cols)[0] == []
    for limits in ({"max_sheet_rows": rows - 1, "max_sheet_cells": rows * cols},
                   {"max_sheet_rows": rows, "max_sheet_cells": rows * cols - 1}):
        codes, report = run(data, **limits)
        assert codes == ["SEC008"] and report.blocked
        assert report.findings[0].params == {"member": SHEET, "rows": rows, "cols": cols,
                                             "limit_rows": limits["max_sheet_rows"], "limit_cells": limits["max_sheet_cells"]}


def test_a_far_cell_in_the_last_unterminated_tag_of_a_sheet_still_counts():
    """The scan keeps the tag after the last "<" for the next chunk; at the end of the part it is counted too."""
    sheet = f'<?xml version="1.0"?><worksheet {NS}><sheetData><row r="1"><c r="A1"/><c r="Z9"/>'.encode()
    data = package(sheet=sheet)
    assert run(data, max_sheet_rows=9, max_sheet_cells=9 * 26)[0] == []
    for limits in ({"max_sheet_rows": 8}, {"max_sheet_cells": 9 * 26 - 1}):
        codes, report = run(data, **limits)
        assert codes == ["SEC008"] and report.inflated == 0
        assert {k: report.findings[0].params[k] for k in ("member", "rows", "cols")} == {"member": SHEET, "rows": 9, "cols": 26}


def test_a_stored_sheet_is_checked_chunk_by_chunk_too():
    data = package(sheet=sheet_xml(50, 4), method=zipfile.ZIP_STORED)
    assert run(data, max_sheet_rows=50, max_sheet_cells=200)[0] == []
    assert run(data, max_sheet_rows=49)[0] == ["SEC008"]


def readable_package(sheet: bytes, **kw) -> bytes:
    """``package`` with what calamine needs to find the sheet (content types, the sheet's relationship id)."""
    types = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
    workbook = (f'<?xml version="1.0"?><workbook {NS} xmlns:r="{REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
                f'</sheets></workbook>')
    return package({"[Content_Types].xml": types.encode(), "xl/workbook.xml": workbook.encode()}, sheet=sheet, **kw)


def _calamine_rows(data: bytes) -> int:
    from python_calamine import CalamineWorkbook

    return len(CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("S").to_python(skip_empty_area=False))


# A first "</sheetData>" that calamine does not take for the end: the far cell after it is still read.
DECOYS = {
    "comment": ("", "<!-- </sheetData> -->"),
    "processing instruction": ("", "<?note </sheetData> ?>"),
    "cdata": ('<c r="B1" t="inlineStr"><is><t><![CDATA[</sheetData>]]></t></is></c>', ""),
    "attribute value": ('<c r="B1" note="</row></sheetData>"/>', ""),
}


@pytest.mark.parametrize("decoy", sorted(DECOYS))
def test_a_decoy_end_of_sheet_data_does_not_hide_a_far_cell(decoy):
    """The first "</sheetData>" of the part may be a decoy calamine reads past: the scan does not stop at it."""
    in_row, between = DECOYS[decoy]
    sheet = (f'<?xml version="1.0"?><worksheet {NS}><sheetData><row r="1"><c r="A1"><v>1</v></c>{in_row}</row>{between}'
             f'<row r="500"><c r="C500"><v>2</v></c></row></sheetData></worksheet>').encode()
    data = readable_package(sheet)
    assert _calamine_rows(data) == 500  # what a reader would allocate: the decoy ended nothing
    codes, report = run(data, max_sheet_rows=499)
    assert codes == ["SEC008"] and {k: report.findings[0].params[k] for k in ("rows", "cols")} == {"rows": 500, "cols": 3}
    assert run(data, max_sheet_rows=500)[0] == []


def test_rows_past_the_end_of_sheet_data_are_counted_though_calamine_never_reads_them():
    """openpyxl and lxml (the annotated copy) parse rows wherever they stand in the part: the whole part is counted."""
    sheet = (f'<?xml version="1.0"?><worksheet {NS}><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
             f'<row r="900000"><c r="XFD900000"><v>2</v></c></row></worksheet>').encode()
    data = readable_package(sheet)
    assert _calamine_rows(data) == 1
    assert run(data, max_sheet_rows=5, max_sheet_cells=10)[0] == ["SEC008"]


def test_a_second_sheet_data_is_counted_though_calamine_ignores_it():
    sheet = (f'<?xml version="1.0"?><worksheet {NS}><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
             f'<sheetData><row r="900"><c r="B900"><v>2</v></c></row></sheetData></worksheet>').encode()
    data = readable_package(sheet)
    assert _calamine_rows(data) == 1
    assert run(data, max_sheet_rows=899)[0] == ["SEC008"]
    assert run(readable_package(sheet, method=zipfile.ZIP_STORED), max_sheet_rows=899)[0] == ["SEC008"]


# -- compound files inside the package -----------------------------------------------------------


def test_a_part_that_is_a_compound_file_is_handed_to_the_macro_scan_unless_it_is_an_embedded_object():
    ole = OLE_MAGIC + b"\0" * 600
    report = preflight(package({"xl/media/hidden.bin": ole}), "x.xlsx")
    assert report.ole_parts == ["xl/media/hidden.bin"] and not report.blocked
    report = preflight(package({"xl/embeddings/oleObject1.bin": ole}), "x.xlsx")
    assert report.ole_parts == [] and [f.rule_id for f in report.findings] == ["SEC021"]


def test_only_the_first_bytes_of_a_part_say_whether_it_is_a_compound_file():
    late = b"\0" * (1 << 16) + OLE_MAGIC + b"\0" * 100
    report = preflight(package({"xl/media/late.bin": late}, method=zipfile.ZIP_STORED), "x.xlsx")
    assert report.ole_parts == [] and report.findings == []


def test_a_deflate_option_flag_is_no_encryption():
    """Bits 1–2 of the general-purpose flag are deflate options (as info-zip -9 writes them); only bit 0 is encryption."""
    data = patch_central(package(), SHEET, 8, "<H", 0x2, local_offset=6)
    codes, report = run(data)
    assert codes == [] and report.inflated == sum(i.file_size for i in infos(data))


# -- what kind of zip it is ----------------------------------------------------------------------


def test_a_binary_workbook_is_sec017_alone():
    data = package({"xl/workbook.bin": b"\x83\x01\x00" * 10}, drop=("xl/workbook.xml",))
    codes, report = run(data, max_members=1)  # the member cap is never reached: the kind decides first
    assert codes == ["SEC017"] and report.kind == "xlsb" and report.blocked and report.inflated == 0


@pytest.mark.parametrize(("members", "detail"), [
    ({"a.xml": b"<a/>"}, "压缩包中没有 xl/workbook.xml"),
    ({"word/document.xml": b"<w/>"}, "内容为 Word 文档（.docx）"),
    ({"ppt/presentation.xml": b"<p/>"}, "内容为 PowerPoint 演示文稿"),
    ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<o/>"}, "内容为 OpenDocument 文档"),
    ({"content.xml": b"<o/>"}, "压缩包中没有 xl/workbook.xml"),  # an ODF package always has its mimetype
    ({"mimetype": b"x"}, "压缩包中没有 xl/workbook.xml"),
])
def test_a_zip_that_is_no_workbook_is_sec014_saying_what_it_is(members, detail):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    codes, report = run(out.getvalue(), max_members=0)
    assert codes == ["SEC014"] and report.kind == "zip" and report.findings[0].params == {"detail": detail}
    assert report.members == len(members)


def test_a_truncated_zip_is_sec015_saying_so():
    data = package({"xl/media/noise.bin": bytes(range(256)) * 40})
    codes, report = run(data[:len(data) // 2])
    assert codes == ["SEC015"] and report.kind == "zip"
    assert report.findings[0].params == {"detail": "压缩包被截断（缺少中央目录），可能是上传或下载中断"}


def test_a_zip_with_a_damaged_central_directory_is_sec015():
    data = bytearray(package())
    cd = data.find(b"PK\x01\x02")
    data[cd:cd + 4] = b"PK\x09\x09"  # the first central-directory entry loses its signature
    codes, report = run(bytes(data))
    assert codes == ["SEC015"] and report.kind == "zip"
    assert report.findings[0].params["detail"].startswith("压缩包结构损坏（BadZipFile: ")  # the reader's own diagnosis


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_a_compression_method_excel_never_writes_is_sec015_naming_the_part(method):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("xl/media/odd.bin", b"x" * 1000, compress_type=method)
    codes, report = run(out.getvalue())
    assert codes == ["SEC015"] and report.inflated == 0
    assert report.findings[0].params == {"detail": f"部件 xl/media/odd.bin 使用了 Excel 不会使用的压缩方法 {method}"}


@pytest.mark.parametrize("damage", [b"XXXX", b"PK\x03"])
def test_a_broken_local_header_is_sec015_naming_the_part(damage):
    data = bytearray(package())
    info = next(i for i in infos(bytes(data)) if i.filename == SHEET)
    data[info.header_offset:info.header_offset + 4] = damage.ljust(4, b"\0")
    codes, report = run(bytes(data))
    assert codes == ["SEC015"] and report.inflated == 0
    assert report.findings[0].params == {"detail": f"部件 {SHEET} 的本地文件头损坏"}


def test_a_part_whose_compressed_bytes_run_past_the_end_of_the_file_is_sec015():
    data = package({"xl/media/last.bin": bytes(range(256)) * 40})
    info = next(i for i in infos(data) if i.filename == "xl/media/last.bin")
    cut = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    cd = data.find(b"PK\x01\x02")
    shifted = data[:cut] + data[cd:]
    buf = bytearray(shifted)  # the end record's central-directory offset moves with the cut
    end = buf.rfind(b"PK\x05\x06")
    struct.pack_into("<I", buf, end + 16, cut)
    codes, report = run(bytes(buf))
    assert codes == ["SEC015"] and report.inflated == 0 and "xl/media/last.bin" in report.findings[0].params["detail"]


# -- a refused part stops the scan: nothing after it is read ---------------------------------------


def test_an_entity_declaration_stops_the_scan_at_that_part():
    data = package({"docProps/app.xml": DTD, "xl/media/lie.bin": b"\0" * 50_000})
    data = patch_central(data, "xl/media/lie.bin", 24, "<I", 1000, local_offset=22)  # would be SEC005, were it read
    codes, report = run(data)
    assert codes == ["SEC006"] and report.inflated == 0


def test_a_sheet_beyond_its_extent_is_refused_before_its_checksum_is_known():
    data = package(sheet=sheet_xml(9, 4))
    crc = next(i.CRC for i in infos(data) if i.filename == SHEET)
    data = patch_central(data, SHEET, 16, "<I", crc ^ 1, local_offset=14)
    for limits in ({"max_sheet_rows": 8}, {"max_sheet_cells": 35}):
        codes, report = run(data, **limits)
        assert codes == ["SEC008"] and report.inflated == 0
    assert run(data)[0] == ["SEC015"]


def test_only_sheets_have_an_extent():
    far = f'<?xml version="1.0"?><data {NS}><row r="900000"><c r="XFD900000"/></row></data>'.encode()
    assert run(package({"xl/customData/data.xml": far}), max_sheet_rows=5, max_sheet_cells=10)[0] == []


# -- compound files: legacy, encrypted, macros -----------------------------------------------------


def test_a_legacy_xls_and_an_encrypted_workbook_are_told_apart_by_their_compound_file():
    import intake_corpus as C

    xls = preflight(C.legacy_xls(), "old.xls")
    assert (xls.kind, [f.rule_id for f in xls.findings]) == ("xls", ["SEC013"])
    locked = preflight(C.encrypted(package()), "locked.xlsx")
    assert (locked.kind, [f.rule_id for f in locked.findings]) == ("ole", ["SEC012"]) and locked.blocked


def test_a_macro_project_hidden_under_another_name_is_found_by_olevba_alongside_other_findings():
    import intake_corpus as C

    data = package({"xl/media/payload.bin": C.vba_project_bin(),
                    "xl/embeddings/oleObject1.bin": C.cfb({"\x01Ole10Native": b"\0" * 5000})})
    report = preflight(data, "x.xlsx")
    assert report.ole_parts == ["xl/media/payload.bin"]
    assert [f.rule_id for f in report.findings] == ["SEC021", "SEC010"] and report.blocked
    vba = report.findings[1]
    assert vba.params["keywords"] and vba.params["detail"] == "olevba：" + "、".join(vba.params["keywords"][:6])

