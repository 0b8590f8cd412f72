"""Builders for the intake tests: workbook edits at the package level, mails, OLE, TNEF, zips.

Everything is generated from the bundled examples (workbook_templates/examples)
so the corpus follows the template as it evolves.
"""

from __future__ import annotations

import base64
import io
import re
import struct
import zipfile
import zlib
import sqlite3
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "workbook_templates" / "examples"
XLAM = None  # resolved lazily: xlwings ships a real add-in with a VBA project


def example(stem: str = "synthetic") -> bytes:
    return (EXAMPLES / f"{stem}.xlsx").read_bytes()


def vba_project_bin() -> bytes:
    import xlwings

    xlam = Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"
    with zipfile.ZipFile(xlam) as zf:
        return zf.read("xl/vbaProject.bin")


# --- package edits ---------------------------------------------------------------------------


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
          drop: set[str] | None = None, comment: bytes = b"") -> bytes:
    replace, add, drop = replace or {}, add or {}, drop or set()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            body = replace.get(info.filename, None)
            dst.writestr(info.filename, src.read(info) if body is None else body)
        for name, body in add.items():
            dst.writestr(name, body)
        dst.comment = comment
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name)


def sheet_part(data: bytes, title: str) -> str:
    wb = part(data, "xl/workbook.xml").decode()
    rels = part(data, "xl/_rels/workbook.xml.rels").decode()
    for m in re.finditer(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', wb):
        name = re.sub(r"&#(\d+);", lambda x: chr(int(x.group(1))), m.group(1))
        if name == title:
            target = re.search(r'Target="([^"]+)" Id="%s"' % m.group(2), rels) or re.search(r'Id="%s"[^>]*Target="([^"]+)"' % m.group(2), rels)
            return target.group(1).lstrip("/")
    raise KeyError(title)


def set_cell_text(data: bytes, title: str, address: str, text: str) -> bytes:
    name = sheet_part(data, title)
    xml = part(data, name).decode()
    cell = re.compile(r'<c r="%s"( [^>]*?)?(/>|>.*?</c>)' % address, re.S)
    m = cell.search(xml)
    style = re.search(r'\ss="(\d+)"', m.group(0)) if m else None
    new = f'<c r="{address}"{f" s={chr(34)}{style.group(1)}{chr(34)}" if style else ""} t="inlineStr"><is><t>{escape(text)}</t></is></c>'
    assert m, f"cell {title}!{address} not in {name}"
    xml = xml[: m.start()] + new + xml[m.end():]
    return rezip(data, replace={name: xml.encode()})


def with_dept(data: bytes, dept: str, year: int | None = None) -> bytes:
    data = set_cell_text(data, "封面", "B5", dept)
    if year is not None:
        name = sheet_part(data, "封面")
        xml = part(data, name).decode()
        xml = re.sub(r'<c r="B7"([^>]*)><v>\d+</v></c>', rf'<c r="B7"\1><v>{year}</v></c>', xml)
        data = rezip(data, replace={name: xml.encode()})
    return data


def variant(data: bytes, n: int = 1) -> bytes:
    """Same content, different bytes (a zip comment): a resubmission that is not a duplicate."""
    return rezip(data, comment=f"resubmission {n}".encode())


# --- bad workbooks: the SEC cases ------------------------------------------------------------


def zip_bomb_ratio(base: bytes) -> bytes:
    return rezip(base, add={"xl/media/padding.bin": b"\0" * (40 << 20)})


def _patch_sizes(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the declared uncompressed size of one member (local header and central directory)."""
    buf = bytearray(data)
    name = member.encode()
    pos = 0
    while True:
        pos = buf.find(b"PK\x03\x04", pos)
        if pos < 0:
            break
        n = struct.unpack_from("<H", buf, pos + 26)[0]
        if bytes(buf[pos + 30: pos + 30 + n]) == name:
            struct.pack_into("<I", buf, pos + 22, size)
        pos += 4
    pos = 0
    while True:
        pos = buf.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        n = struct.unpack_from("<H", buf, pos + 28)[0]
        if bytes(buf[pos + 46: pos + 46 + n]) == name:
            struct.pack_into("<I", buf, pos + 24, size)
        pos += 4
    return bytes(buf)


def zip_bomb_declared(base: bytes) -> bytes:
    return _patch_sizes(rezip(base, add={"xl/media/big.bin": b"x" * 1000}), "xl/media/big.bin", 3_900_000_000)


def zip_size_lie(base: bytes) -> bytes:
    """A member that says 1 KB and inflates to 8 MB: only a streaming count notices."""
    return _patch_sizes(rezip(base, add={"xl/media/lie.bin": b"\0" * (8 << 20)}), "xl/media/lie.bin", 1000)


def too_many_members(base: bytes) -> bytes:
    return rezip(base, add={f"xl/media/m{i}.bin": b"" for i in range(2100)})


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>&lol9;</Application></Properties>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>&xxe;</Application></Properties>"""


def billion_laughs(base: bytes) -> bytes:
    return rezip(base, replace={"docProps/app.xml": BILLION_LAUGHS})


def external_entity(base: bytes) -> bytes:
    return rezip(base, replace={"docProps/app.xml": XXE})


def _add_content_type(data: bytes, xml: str) -> bytes:
    ct = part(data, "[Content_Types].xml").decode().replace("</Types>", xml + "</Types>")
    return ct.encode()


def vba_macro(base: bytes, *, xlsm: bool = True) -> bytes:
    ct = _add_content_type(base, '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>')
    if xlsm:
        ct = ct.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    rels = part(base, "xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
    return rezip(base, replace={"[Content_Types].xml": ct, "xl/_rels/workbook.xml.rels": rels},
                 add={"xl/vbaProject.bin": vba_project_bin()})


XLM_SHEET = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<xm:macrosheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1"><c r="A1" t="str"><f>EXEC("calc.exe")</f><v></v></c></row><row r="2"><c r="A2" t="e"><f>HALT()</f><v>#N/A</v></c></row></sheetData></xm:macrosheet>"""


def xlm_macro(base: bytes) -> bytes:
    ct = _add_content_type(base, '<Override PartName="/xl/macrosheets/sheet1.xml" ContentType="application/vnd.ms-excel.macrosheet+xml"/>')
    rels = part(base, "xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rIdXlm" Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" Target="macrosheets/sheet1.xml"/></Relationships>')
    wb = part(base, "xl/workbook.xml").replace(
        b"</sheets>", b'<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" name="Macro1" sheetId="99" state="hidden" r:id="rIdXlm"/></sheets>')
    return rezip(base, replace={"[Content_Types].xml": ct, "xl/_rels/workbook.xml.rels": rels, "xl/workbook.xml": wb},
                 add={"xl/macrosheets/sheet1.xml": XLM_SHEET})


def encrypted(base: bytes, password: str = "secret") -> bytes:
    import msoffcrypto

    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(base)).encrypt(password, out)
    data = out.getvalue()
    assert msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted()
    return data


def external_link(base: bytes) -> bytes:
    link = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><externalLink xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            b'<externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames></externalBook></externalLink>')
    link_rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 b'relationships/externalLinkPath" Target="file:///C:/%E8%B4%A2%E5%8A%A1/budget.xlsx" TargetMode="External"/></Relationships>')
    ct = _add_content_type(base, '<Override PartName="/xl/externalLinks/externalLink1.xml" '
                                 'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>')
    rels = part(base, "xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rIdExt" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink" '
        b'Target="externalLinks/externalLink1.xml"/></Relationships>')
    return rezip(base, replace={"[Content_Types].xml": ct, "xl/_rels/workbook.xml.rels": rels},
                 add={"xl/externalLinks/externalLink1.xml": link, "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels})


def embedded_object(base: bytes) -> bytes:
    return rezip(base, add={"xl/embeddings/oleObject1.bin": cfb({"\x01Ole10Native": b"\0" * 5000})})


def xlsb(base: bytes) -> bytes:
    return rezip(base, drop={"xl/workbook.xml"}, add={"xl/workbook.bin": b"\x83\x01\x00" * 10})


def huge_sheet(base: bytes, rows: int = 150_000) -> bytes:
    name = sheet_part(base, "资产")
    body = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, rows + 1))
    xml = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + body +
           "</sheetData></worksheet>")
    return rezip(base, replace={name: xml.encode()})


def stray_cell(base: bytes) -> bytes:
    name = sheet_part(base, "资产")
    xml = part(base, name).decode()
    xml = xml.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    return rezip(base, replace={name: xml.encode()})


# --- structural (checker) cases --------------------------------------------------------------


def wrong_template() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "部门名称"
    ws["B1"] = "某局"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def old_version(base: bytes, version: str = "0.9") -> bytes:
    custom = part(base, "docProps/custom.xml").decode()
    custom = re.sub(r'(name="perfeval.template_version"[^>]*>\s*<vt:lpwstr[^>]*>)[^<]*', rf"\g<1>{version}", custom)
    wb = part(base, "xl/workbook.xml").decode()
    wb = re.sub(r'(<definedName name="PE_TEMPLATE_VERSION"[^>]*>)[^<]*', rf'\g<1>"{version}"', wb)
    return rezip(base, replace={"docProps/custom.xml": custom.encode(), "xl/workbook.xml": wb.encode()})


def _sheet_entry(wb: str, title: str) -> re.Match:
    enc = "".join(f"&#{ord(c)};" if ord(c) > 127 else c for c in title)
    for candidate in (title, enc):
        m = re.search(r'<sheet [^>]*?name="%s"[^>]*/>' % re.escape(candidate), wb)
        if m:
            return m
    raise KeyError(title)


def deleted_sheet(base: bytes, title: str = "三公经费") -> bytes:
    wb = part(base, "xl/workbook.xml").decode()
    m = _sheet_entry(wb, title)
    return rezip(base, replace={"xl/workbook.xml": (wb[: m.start()] + wb[m.end():]).encode()})


def renamed_sheet(base: bytes, title: str = "三公经费", new: str = "三公经费（修改）") -> bytes:
    wb = part(base, "xl/workbook.xml").decode()
    m = _sheet_entry(wb, title)
    entry = re.sub(r'name="[^"]*"', f'name="{new}"', m.group(0))
    return rezip(base, replace={"xl/workbook.xml": (wb[: m.start()] + entry + wb[m.end():]).encode()})


def text_in_money(base: bytes) -> bytes:
    return set_cell_text(base, "收入支出", "B5", "约一百万元")


def protection_removed(base: bytes) -> bytes:
    name = sheet_part(base, "收入支出")
    xml = re.sub(r"<sheetProtection[^>]*/>", "", part(base, name).decode())
    return rezip(base, replace={name: xml.encode()})


def hidden_sheet_added(base: bytes) -> bytes:
    ct = _add_content_type(base, '<Override PartName="/xl/worksheets/sheet99.xml" '
                                 'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
    rels = part(base, "xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rIdHid" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        b'Target="/xl/worksheets/sheet99.xml"/></Relationships>')
    wb = part(base, "xl/workbook.xml").replace(
        b"</sheets>", b'<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" name="Hidden" sheetId="98" state="hidden" r:id="rIdHid"/></sheets>')
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1">'
             b'<v>1</v></c></row></sheetData></worksheet>')
    return rezip(base, replace={"[Content_Types].xml": ct, "xl/_rels/workbook.xml.rels": rels, "xl/workbook.xml": wb},
                 add={"xl/worksheets/sheet99.xml": sheet})


def corrupt_zip(base: bytes) -> bytes:
    buf = bytearray(base)
    cd = buf.rfind(b"PK\x01\x02")
    for i in range(cd, min(cd + 40, len(buf))):
        buf[i] ^= 0x5A
    return bytes(buf)


def truncated(base: bytes) -> bytes:
    return base[: len(base) // 2]


def damaged_member(base: bytes) -> bytes:
    """Central directory intact, compressed bytes of a sheet flipped: CRC or inflate error."""
    buf = bytearray(base)
    pos = buf.find(b"xl/worksheets/sheet3.xml")
    for i in range(pos + 200, pos + 260):
        buf[i] ^= 0xFF
    return bytes(buf)


# --- OLE compound files (legacy .xls, .msg) -------------------------------------------------


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal but valid Compound File Binary (v3) with the given root-level streams (≥ 4096 bytes each)."""
    SECT = 512
    ENDOFCHAIN, FATSECT, FREESECT = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    items = [(n, d + b"\0" * max(0, 4096 - len(d))) for n, d in streams.items()]
    data_sectors = [(len(d) + SECT - 1) // SECT for _n, d in items]
    n_dir = (len(items) + 1 + 3) // 4
    n_fat = 1
    while (n_fat + n_dir + sum(data_sectors)) > n_fat * 128:
        n_fat += 1
    fat = [FATSECT] * n_fat
    dir_start = len(fat)
    fat += list(range(dir_start + 1, dir_start + n_dir)) + [ENDOFCHAIN]
    starts = []
    for count in data_sectors:
        start = len(fat)
        starts.append(start)
        fat += list(range(start + 1, start + count)) + [ENDOFCHAIN]
    fat += [FREESECT] * (n_fat * 128 - len(fat))

    def entry(name: str, kind: int, child=FREESECT, right=FREESECT, start=ENDOFCHAIN, size=0) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1) + struct.pack("<III", FREESECT, right, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))

    entries = [entry("Root Entry", 5, child=1 if items else FREESECT)]
    for i, (name, d) in enumerate(items):
        entries.append(entry(name, 2, right=i + 2 if i + 1 < len(items) else FREESECT, start=starts[i], size=len(d)))
    directory = b"".join(entries).ljust(n_dir * SECT, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, n_fat, dir_start, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0))
    difat = list(range(n_fat)) + [FREESECT] * (109 - n_fat)
    header += struct.pack("<109I", *difat)
    assert len(header) == 512
    body = struct.pack(f"<{len(fat)}I", *fat) + directory + b"".join(d.ljust(c * SECT, b"\0") for (_n, d), c in zip(items, data_sectors))
    return header + body


def legacy_xls() -> bytes:
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x0206)
    eof = struct.pack("<HH", 0x000A, 0)
    return cfb({"Workbook": bof + eof})


def outlook_msg() -> bytes:
    """A bare compound file with only a subject stream: what a .msg looks like to a sniffer, and no more."""
    return cfb({"__substg1.0_0037001F": "报送材料".encode("utf-16-le")})


def outlook_msg_with(attachments: list[tuple[str, bytes]], sender: str = "kj@example.gov.cn") -> bytes:
    """A real Outlook .msg written by aspose-email-foss (MIT; test extra), read back by extract-msg."""
    import tempfile

    from aspose.email_foss import msg

    m = msg.MapiMessage.create("部门整体支出绩效评价报送", "请查收附件。")
    m.set_property(msg.PropertyId.SENDER_NAME, "部门会计")
    m.set_property(msg.PropertyId.SENDER_EMAIL_ADDRESS, sender)
    m.add_recipient("czj@example.gov.cn", display_name="财政局")
    for name, data in attachments:
        m.add_attachment(name, data, mime_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    with tempfile.TemporaryDirectory() as d:
        path = f"{d}/m.msg"
        m.save(path)
        with open(path, "rb") as fh:
            return fh.read()


# --- TNEF (winmail.dat) ----------------------------------------------------------------------


def tnef(files: list[tuple[bytes, bytes]]) -> bytes:
    def obj(level: int, name: int, typ: int, data: bytes) -> bytes:
        return struct.pack("<BHHI", level, name, typ, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)

    out = struct.pack("<IH", 0x223E9F78, 0x0001)
    out += obj(1, 0x9006, 0x0008, struct.pack("<I", 0x00010000))
    for name, data in files:
        out += obj(2, 0x9002, 0x0006, b"\x01\x00\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00")
        out += obj(2, 0x8010, 0x0001, name + b"\0")
        out += obj(2, 0x800F, 0x0006, data)
    return out


# --- zips ------------------------------------------------------------------------------------


def zip_archive(files: list[tuple[str, bytes]], *, gbk_names: bool = False) -> bytes:
    """A plain zip; with ``gbk_names`` the names are GBK bytes without the UTF-8 flag (Chinese Windows)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=(2024, 3, 1, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    raw = out.getvalue()
    if not gbk_names:
        return raw
    # re-encode: names as GBK bytes, flag bit 11 cleared (same length is not guaranteed: rebuild by hand)
    return _gbk_zip(files)


def _gbk_zip(files: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    central = []
    for name, data in files:
        raw_name = name.encode("gbk")
        comp = zlib.compressobj(6, zlib.DEFLATED, -15)
        body = comp.compress(data) + comp.flush()
        crc = zlib.crc32(data)
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x5821, crc, len(body), len(data), len(raw_name), 0))
        out.write(raw_name + body)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x5821, crc, len(body), len(data),
                                   len(raw_name), 0, 0, 0, 0, 0, offset) + raw_name)
    cd_start = out.tell()
    for c in central:
        out.write(c)
    cd_size = out.tell() - cd_start
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), cd_size, cd_start, 0))
    return out.getvalue()


# --- mail ------------------------------------------------------------------------------------


def mail(sender: str = "dept@example.gov.cn", subject: str = "报送绩效评价表", attachments=(),
         *, message_id: str | None = None, date=None, body: str = "请查收附件。", sender_name: str = "") -> EmailMessage:
    import datetime as dt
    from email.utils import formataddr

    msg = EmailMessage()
    msg["From"] = formataddr((sender_name, sender)) if sender_name else sender
    msg["To"] = "finance@example.gov.cn"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date or dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    msg["Message-ID"] = message_id or make_msgid("test", domain="example.gov.cn")
    msg.set_content(body)
    for name, data, ctype in attachments:
        maintype, subtype = (ctype or "application/octet-stream").split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


def raw_mail_gbk(name: str, data: bytes, style: str, *, message_id: str, sender: str = "gbk@example.gov.cn") -> bytes:
    """A mail as Chinese clients write it: the attachment name in GBK, RFC 2047 in quotes or RFC 2231."""
    gbk = name.encode("gbk")
    if style == "2047":
        enc = "=?GBK?B?" + base64.b64encode(gbk).decode() + "?="
        params = f'Content-Type: application/vnd.ms-excel; name="{enc}"\r\nContent-Disposition: attachment; filename="{enc}"'
    elif style == "2231":
        pct = "".join(f"%{b:02X}" for b in gbk)
        params = f"Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=gbk''{pct}"
    else:
        raise ValueError(style)
    subject = "=?GBK?B?" + base64.b64encode("报送材料".encode("gbk")).decode() + "?="
    b64 = base64.encodebytes(data).decode().replace("\n", "\r\n")
    text = (f"From: {sender}\r\nTo: finance@example.gov.cn\r\nSubject: {subject}\r\nDate: Fri, 01 Mar 2024 10:00:00 +0800\r\n"
            f"Message-ID: {message_id}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
            f"--b1\r\nContent-Type: text/plain; charset=GBK\r\n\r\nhi\r\n--b1\r\n{params}\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            f"{b64}\r\n--b1--\r\n")
    return text.encode("ascii")


def forwarded(inner: EmailMessage, sender: str = "office@example.gov.cn") -> EmailMessage:
    outer = mail(sender=sender, subject="转发：" + str(inner["Subject"]))
    outer.add_attachment(inner)  # message/rfc822
    return outer


def ledger_rows(out) -> list[dict]:
    """Every submission row of the ledger under ``out``, as dicts, in the order they were recorded."""
    db = sqlite3.connect(out / "ledger.sqlite3")
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute("SELECT * FROM submissions ORDER BY id")]
    finally:
        db.close()
