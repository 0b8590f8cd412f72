"""Security pre-flight: what a received file is, checked before any spreadsheet parser sees it.

Runs over the bytes with the standard library, defusedxml's rules, msoffcrypto-tool
and oletools only (anchors.md §6):

* a file-size cap (SEC001);
* zip caps: member count (SEC002), compression ratio of large members (SEC003),
  declared sizes (SEC004) and a *streaming* byte cap over the real inflated bytes,
  which also catches sizes that lie (SEC005);
* the prolog of every XML part through an expat parser configured like defusedxml
  (DTD, internal entities → SEC006 billion laughs; external entities → SEC007),
  stopped at the root element so a clean part costs almost nothing;
* the used range of every worksheet (SEC008: a stray cell at XFD1048576 makes a
  reader materialise billions of cells);
* cell text longer than Excel's 32,767 characters in a sheet or shared-strings part
  (SEC009, ``cell_text``);
* VBA projects (SEC010) and Excel 4 macro sheets (SEC011), described by olevba
  (reported, never run);
* encryption (SEC012, msoffcrypto-tool), legacy .xls (SEC013), not a workbook
  (SEC014), corrupt or truncated (SEC015), empty (SEC016), .xlsb (SEC017);
* external links (SEC020) and embedded OLE/ActiveX objects (SEC021).

Every outcome is a ``Finding`` in the checker's schema; nothing here raises on bad input.
"""

from __future__ import annotations

import io
import re
import struct
import xml.parsers.expat
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Iterator

from ..check.findings import Finding
from ..rules.base import Severity
from ..rules.security import SEC_RULES
from .cell_text import EXCEL_CELL_TEXT_MAX, TextSpan, longest_text
from .package import (EMBED_RELS, EMBED_TYPES, LINK_RELS, LINK_TYPES, MACRO_SHEET_RELS, MACRO_SHEET_TYPES, STRINGS_RELS,
                      STRINGS_TYPES, VBA_RELS, VBA_TYPES, package_map)

MiB = 1 << 20
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ZIP_EMPTY = b"PK\x05\x06"
_XML_SUFFIXES = (".xml", ".rels", ".vml")
# start tags of rows and cells (``<c>``, ``<x:c …/>``; not ``<cols>`` or ``<cfRule>``) and their r attribute
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_R_ATTR = re.compile(rb"""(?<![\w:])r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_A1 = re.compile(rb"\s*\$?([A-Za-z]{1,3})\$?([0-9]{1,9})")
# One pass over a chunk: a canonical cell (letters, row), a canonical row (number), or any other
# row/cell tag (a prefix, other quotes or spacing, r not first or missing), which sends the chunk to _TAG.
_FAST = re.compile(rb'<(?:c r="([A-Z]{1,3})([0-9]{1,9})"|row r="([0-9]{1,9})"|((?:[A-Za-z_][\w.-]*:)?(?:row|c))(?=[\s/>]))')



def sec(rule_id: str, **params) -> Finding:
    """A SEC finding with its message rendered from the rule's template."""
    rule = SEC_RULES[rule_id]
    try:
        message = rule.message.format(**params)
    except (KeyError, IndexError):
        message = rule.message
    return Finding(rule_id=rule.id, severity=rule.severity, message=message, title=rule.title, params=dict(params))

# what no reader may be given; the other SEC errors (macros, links) are about the content, not the parser
PARSER_HAZARDS = frozenset({"SEC001", "SEC002", "SEC003", "SEC004", "SEC005", "SEC006", "SEC007", "SEC008", "SEC009", "SEC012",
                            "SEC013", "SEC014", "SEC015", "SEC016", "SEC017"})


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 25 * MiB
    max_message_bytes: int = 60 * MiB
    max_members: int = 2_000
    max_member_bytes: int = 100 * MiB  # declared or real, one part
    max_total_bytes: int = 200 * MiB  # declared or real, all parts
    max_ratio: float = 200.0
    ratio_min_bytes: int = 2 * MiB  # only parts inflating beyond this are judged by their ratio
    max_sheet_rows: int = 100_000
    max_sheet_cells: int = 2_000_000
    max_depth: int = 4  # nesting of message/rfc822, .msg, TNEF, zip
    max_attachments: int = 200  # per message, all levels

    def with_file_limit(self, max_file_bytes: int) -> "Limits":
        """These limits for another file size (``--max-size-mb``); the message limit follows it, keeping the
        default proportion: a message may carry a file at the limit base64-encoded (4/3) with room to spare."""
        from dataclasses import replace

        return replace(self, max_file_bytes=max_file_bytes, max_message_bytes=int(max_file_bytes * MESSAGE_PER_FILE))


MESSAGE_PER_FILE = Limits.max_message_bytes / Limits.max_file_bytes  # 60 MB of mail per 25 MB file by default


@dataclass
class Preflight:
    """What the pre-flight found out about one file."""

    kind: str  # xlsx | xlsm | xls | xlsb | ole | zip | empty | unknown
    findings: list[Finding] = field(default_factory=list)
    members: int = 0
    inflated: int = 0
    embedded: set = field(default_factory=set)  # parts that are embedded objects (may be OLE, not VBA)
    ole_parts: list = field(default_factory=list)  # other parts whose bytes are an OLE compound file
    # with ``keep_parts``: the inflated bytes of the parts the workbook reader needs (workbook, its
    # relationships, custom properties, sheets up to KEEP_PART_MAX), verified here, so it inflates none again
    parts: dict = field(default_factory=dict, repr=False)
    names: list = field(default_factory=list, repr=False)  # every member, as the reader's namelist

    @property
    def unsafe(self) -> bool:
        """A finding that makes the file dangerous for a parser (size, bombs, DTDs, extents, damage)."""
        return any(f.severity is Severity.ERROR and f.rule_id in PARSER_HAZARDS for f in self.findings)

    @property
    def blocked(self) -> bool:
        """A SEC error: the file is quarantined and no spreadsheet parser sees it."""
        return any(f.severity is Severity.ERROR for f in self.findings)


def sniff(data: bytes) -> str:
    """Container type by content: ole | zip | empty | other."""
    if not data:
        return "empty"
    if data[:8] == OLE_MAGIC:
        return "ole"
    if data[:4] in (ZIP_MAGIC, ZIP_EMPTY):
        return "zip"
    return "other"


def is_workbook_package(names: set[str] | list[str]) -> bool:
    names = set(names)
    return "xl/workbook.xml" in names or "xl/workbook.bin" in names


KEEP_PART_MAX = 16 * MiB  # a larger sheet, or one past 32 MB kept in all, is inflated again by the reader instead
KEEP_TOTAL_MAX = 32 * MiB
_READER_PARTS = frozenset({"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "docProps/custom.xml"})


def preflight(data: bytes, name: str = "", limits: Limits | None = None, *, keep_parts: bool = False) -> Preflight:
    """Check the bytes of one received file. Never raises."""
    limits = limits or Limits()
    try:
        return _preflight(data, name, limits, keep_parts)
    except Exception as exc:  # pragma: no cover - a bug here must not stop a batch
        return Preflight("unknown", [sec("SEC015", detail=f"预检异常 {type(exc).__name__}: {exc}"[:200])])


def _mb(n: int) -> str:
    return f"{n / MiB:.1f}"


def _preflight(data: bytes, name: str, limits: Limits, keep_parts: bool = False) -> Preflight:
    size = len(data)
    if size == 0:
        return Preflight("empty", [sec("SEC016")])
    if size > limits.max_file_bytes:
        return Preflight("unknown", [sec("SEC001", size_mb=_mb(size), limit_mb=_mb(limits.max_file_bytes))])
    kind = sniff(data)
    if kind == "ole":
        return _ole(data, name)
    if kind == "zip":
        return scan_zip(data, limits, workbook=True, keep_parts=keep_parts)
    head = data[:64].lstrip()
    detail = "内容为文本" if head[:1] in (b"<", b"{") or _looks_text(data[:512]) else "无法识别的文件格式"
    if head[:5].lower() == b"%pdf-":
        detail = "内容为 PDF 文档"
    return Preflight("unknown", [sec("SEC014", detail=detail)])


def _looks_text(chunk: bytes) -> bool:
    try:
        chunk.decode("utf-8")
        return True
    except UnicodeDecodeError:
        try:
            chunk.decode("gb18030")
            return b"\x00" not in chunk
        except UnicodeDecodeError:
            return False


# --- OLE (encrypted OOXML, legacy .xls, other Office binaries) -----------------------------


def _ole(data: bytes, name: str) -> Preflight:
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception as exc:
        return Preflight("ole", [sec("SEC015", detail=f"OLE 复合文档损坏（{type(exc).__name__}）")])
    try:
        streams = {"/".join(s).lower() for s in ole.listdir(streams=True, storages=False)}
    finally:
        ole.close()
    if "encryptedpackage" in streams:
        return Preflight("ole", [sec("SEC012", detail=_encryption_kind(data) or "OOXML 加密包")])
    if "workbook" in streams or "book" in streams:
        findings = []
        enc = _encryption_kind(data)
        if enc:
            findings.append(sec("SEC012", detail=enc))
        findings.append(sec("SEC013"))
        findings.extend(_olevba(data, name or "workbook.xls"))
        return Preflight("xls", findings)
    detail = "Word 文档" if "worddocument" in streams else "其他 OLE 复合文档"
    return Preflight("ole", [sec("SEC014", detail=detail)])


def _encryption_kind(data: bytes) -> str | None:
    """msoffcrypto-tool's view: the encryption scheme, or None when not encrypted."""
    try:
        import msoffcrypto

        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        if not office.is_encrypted():
            return None
        kind = getattr(office, "type", None) or type(office).__name__
        return f"msoffcrypto：{kind}"
    except Exception:
        return None


def _olevba(data: bytes, name: str) -> list[Finding]:
    """VBA / XLM findings described by olevba; only called when a cheap scan saw a reason."""
    try:
        import warnings

        with warnings.catch_warnings():  # oletools still uses pyparsing's old names
            warnings.simplefilter("ignore")
            from oletools.olevba import VBA_Parser
    except Exception:  # pragma: no cover
        return []
    out: list[Finding] = []
    try:
        vba = VBA_Parser(name, data=data)
    except Exception:
        return []
    try:
        has_vba = bool(vba.detect_vba_macros())
        try:
            has_xlm = bool(vba.detect_xlm_macros())
        except Exception:
            has_xlm = False
        keywords = []
        if has_vba or has_xlm:
            try:
                for kw_type, keyword, _desc in vba.analyze_macros() or []:
                    if kw_type in ("AutoExec", "Suspicious", "IOC") and keyword not in keywords:
                        keywords.append(keyword)
            except Exception:
                pass
        detail = "olevba：" + ("、".join(keywords[:6]) if keywords else "已检测到宏代码")
        if has_vba:
            out.append(sec("SEC010", detail=detail, keywords=keywords))
        if has_xlm:
            out.append(sec("SEC011", detail=detail, keywords=keywords))
    except Exception:
        pass
    finally:
        try:
            vba.close()
        except Exception:
            pass
    return out


# --- zip packages ----------------------------------------------------------------------------


def open_zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def scan_zip(data: bytes, limits: Limits, *, workbook: bool, keep_parts: bool = False) -> Preflight:
    """Caps for any zip (a workbook package or an archive attachment); package checks when ``workbook``."""
    try:
        zf = open_zip(data)
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, struct.error, NotImplementedError) as exc:
        return Preflight("zip", [sec("SEC015", detail=_zip_error(data, exc))])
    names = [i.filename for i in infos]
    out = Preflight("zip", members=len(infos))
    if workbook:
        if "xl/workbook.bin" in names:
            out.kind = "xlsb"
            out.findings.append(sec("SEC017"))
            return out
        if "xl/workbook.xml" not in names:
            detail = "压缩包中没有 xl/workbook.xml"
            if "word/document.xml" in names:
                detail = "内容为 Word 文档（.docx）"
            elif "ppt/presentation.xml" in names:
                detail = "内容为 PowerPoint 演示文稿"
            elif "content.xml" in names and "mimetype" in names:
                detail = "内容为 OpenDocument 文档"
            out.findings.append(sec("SEC014", detail=detail))
            return out
        out.kind = "xlsx"
    if len(infos) > limits.max_members:
        out.findings.append(sec("SEC002", count=len(infos), limit=limits.max_members))
        return out
    declared_total = 0
    for info in infos:
        declared_total += info.file_size
        if info.file_size > limits.max_member_bytes:
            out.findings.append(sec("SEC004", what=f"部件 {info.filename} ", member=info.filename,
                                    size_mb=_mb(info.file_size), limit_mb=_mb(limits.max_member_bytes)))
        elif info.file_size > limits.ratio_min_bytes:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                out.findings.append(sec("SEC003", member=info.filename, ratio=int(ratio), size_mb=_mb(info.file_size),
                                        limit=int(limits.max_ratio)))
        if info.flag_bits & 0x1:
            out.findings.append(sec("SEC012", detail=f"zip 部件 {info.filename} 已加密"))
    if declared_total > limits.max_total_bytes:
        out.findings.append(sec("SEC004", what="全部部件合计", size_mb=_mb(declared_total), limit_mb=_mb(limits.max_total_bytes)))
    if out.blocked:
        return out
    sheets: set[str] = set()
    strings: set[str] = set()
    if workbook:
        sheets, strings = _package_parts(zf, out)
        if out.blocked:
            return out
    # the streaming pass: real bytes, CRCs, XML prologs, sheet extents, bounds of cell text
    total = kept = 0
    for info in infos:
        if info.is_dir():
            continue
        is_sheet = info.filename in sheets
        keep = (keep_parts and (is_sheet or info.filename in _READER_PARTS) and info.file_size <= KEEP_PART_MAX
                and kept + info.file_size <= KEEP_TOTAL_MAX)
        span = TextSpan(info.filename in strings) if is_sheet or info.filename in strings else None
        got = _stream_member(data, info, limits, limits.max_total_bytes - total, out, workbook, is_sheet, keep, span)
        if got is None:
            out.parts.clear()
            return out
        total += got
        kept += got if keep else 0
        if span is not None and span.needs_count() and _text_too_long(zf, info, out):
            out.parts.clear()
            return out
    if keep_parts:
        out.names = names
    out.inflated = total
    if workbook and (out.ole_parts or any(f.rule_id in ("SEC010", "SEC011") for f in out.findings)):
        # olevba describes what it recognises (keywords, auto-exec); the part-level detection stays for the rest
        described = {f.rule_id: f for f in _olevba(data, "workbook.xlsm")}
        out.findings = [described.pop(f.rule_id, f) if f.rule_id in ("SEC010", "SEC011") else f for f in out.findings]
        out.findings += list(described.values())
    return out


def _text_too_long(zf: zipfile.ZipFile, info: zipfile.ZipInfo, out: Preflight) -> bool:
    """The exact count of a part whose byte bounds allow an over-long cell text (inflated again, streaming)."""
    try:
        found = longest_text(_chunks(zf, info))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
        return False  # the first pass checked the bytes and their CRC: nothing new to report
    if found is None:
        return False
    chars, where = found
    out.findings.append(sec("SEC009", member=info.filename, where=where, chars=f"{chars:,}", limit=f"{EXCEL_CELL_TEXT_MAX:,}"))
    return True


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member inflated again, streaming."""
    with zf.open(info) as fh:
        yield from iter(lambda: fh.read(1 << 16), b"")


def _zip_error(data: bytes, exc: Exception) -> str:
    if data[:4] == ZIP_MAGIC and ZIP_EMPTY not in data[-66000:]:
        return "压缩包被截断（缺少中央目录），可能是上传或下载中断"
    return f"压缩包结构损坏（{type(exc).__name__}: {str(exc)[:80]}）"


def _package_parts(zf: zipfile.ZipFile, out: Preflight) -> tuple[set[str], set[str]]:
    """Macro, link and embedding findings by relationships and content types; returns the sheet and shared-strings parts."""
    pm = package_map(zf)
    for problem in pm.problems:
        out.findings.append(sec("SEC015", detail=f"包控制部件异常：{problem}"))
    vba = pm.parts(VBA_RELS, VBA_TYPES) + [n for n in pm.names if n.lower().endswith("vbaproject.bin")]
    if vba:
        out.findings.append(sec("SEC010", detail="、".join(dict.fromkeys(vba[:3]))))
    xlm = pm.parts(MACRO_SHEET_RELS, MACRO_SHEET_TYPES)
    xlm += [n for n in pm.names if n.lower().startswith(("xl/macrosheets/", "xl/intlmacrosheets/"))]
    if xlm:
        out.findings.append(sec("SEC011", detail="、".join(dict.fromkeys(xlm[:3]))))
    links = pm.parts(LINK_RELS, LINK_TYPES) + [n for n in pm.names if n.lower().startswith("xl/externallinks/")
                                                 and n.lower().endswith(".xml")]
    links = [n for n in dict.fromkeys(links) if not _addin_link(zf, pm, n)]
    remote = [r for r in pm.external(LINK_RELS) if r.source in links or r.source.lower() == (pm.workbook or "").lower()]
    if links or remote:
        targets = [r.target for r in remote if r.source.lower() in {n.lower() for n in links} or not links]
        shown = "、".join(dict.fromkeys(targets[:3])) or "、".join(dict.fromkeys(links[:3]))
        out.findings.append(sec("SEC020", detail=shown[:300], parts=list(dict.fromkeys(links))))
    embedded = pm.parts(EMBED_RELS, EMBED_TYPES) + [n for n in pm.names if n.lower().startswith(("xl/embeddings/", "xl/activex/"))]
    if embedded:
        embedded = list(dict.fromkeys(embedded))
        out.findings.append(sec("SEC021", detail="、".join(embedded[:3]), parts=embedded))
    out.embedded = set(embedded)
    strings = pm.parts(STRINGS_RELS, STRINGS_TYPES) + [n for n in pm.names if n.lower().endswith("sharedstrings.xml")]
    return set(pm.sheet_parts()), set(strings)


def _addin_link(zf: zipfile.ZipFile, pm, name: str) -> bool:
    """An external link that only calls our own add-in's functions (not SEC020)."""
    from .addin_links import is_our_addin

    try:
        info = zf.getinfo(name)
        if info.file_size > 1 << 20:
            return False
        body = zf.read(info)
    except Exception:
        return False
    targets = [r.target for r in pm.rels if r.source == name and r.external]
    return is_our_addin(body, targets)


class _Stop(Exception):
    pass


def _stream_member(data: bytes, info: zipfile.ZipInfo, limits: Limits, budget: int, out: Preflight, workbook: bool,
                   is_sheet: bool = False, keep: bool = False, span: TextSpan | None = None) -> int | None:
    """Inflate one member in chunks, counting real bytes; None when the scan must stop."""
    name = info.filename
    raw = _raw_member(data, info)
    if raw is None:
        out.findings.append(sec("SEC015", detail=f"部件 {name} 的本地文件头损坏"))
        return None
    if info.compress_type == zipfile.ZIP_STORED:
        chunks = (raw[i:i + (1 << 16)] for i in range(0, len(raw), 1 << 16))
        inflater = None
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-15)
        chunks = None
    else:
        out.findings.append(sec("SEC015", detail=f"部件 {name} 使用了 Excel 不会使用的压缩方法 {info.compress_type}"))
        return None
    cap = min(limits.max_member_bytes, budget)
    is_xml = workbook and (is_sheet or name.lower().endswith(_XML_SUFFIXES))
    prolog = _Prolog(name) if is_xml else None
    extent = _Extent() if is_sheet else None
    crc = 0
    got = 0
    kept: list[bytes] | None = [] if keep else None

    def feed(chunk: bytes) -> bool:
        nonlocal crc, got
        if kept is not None:
            kept.append(chunk)
        if not got and workbook and chunk[:8] == OLE_MAGIC and name not in out.embedded:
            out.ole_parts.append(name)  # a compound file that is no embedded object: olevba looks at it
        got += len(chunk)
        if got > info.file_size:
            out.findings.append(sec("SEC005", member=name, what=f"声明的 {info.file_size} 字节"))
            return False
        if got > cap:
            out.findings.append(sec("SEC005", member=name, what=f"上限 {_mb(cap)} MB"))
            return False
        crc = zlib.crc32(chunk, crc)
        if prolog is not None and not prolog.done:
            finding = prolog.feed(chunk[:4096])  # the root element is near the start: expat need not see the rest
            if finding is None and not prolog.done:
                finding = prolog.feed(chunk[4096:])
            if finding is not None:
                out.findings.append(finding)
                return False
        if span is not None:
            span.feed(chunk)
        if extent is not None:
            extent.feed(chunk)
            if extent.rows > limits.max_sheet_rows or extent.rows * extent.cols > limits.max_sheet_cells:
                _too_large(out, name, extent, limits)  # no need to read on: the part is refused already
                return False
        return True

    try:
        if inflater is None:
            for chunk in chunks:
                if not feed(chunk):
                    return None
        else:
            pos = 0
            step = 1 << 16
            while pos < len(raw) or inflater.unconsumed_tail:
                src = inflater.unconsumed_tail or raw[pos:pos + step]
                if not inflater.unconsumed_tail:
                    pos += step
                chunk = inflater.decompress(src, 1 << 18)
                if chunk and not feed(chunk):
                    return None
                if inflater.eof:
                    break
            if not inflater.eof:
                tail = inflater.flush()
                if tail and not feed(tail):
                    return None
    except zlib.error as exc:
        out.findings.append(sec("SEC015", detail=f"部件 {name} 无法解压（{exc}）"))
        return None
    if got != info.file_size or (crc & 0xFFFFFFFF) != info.CRC:
        out.findings.append(sec("SEC015", detail=f"部件 {name} 的校验和或长度不符，文件可能被截断或篡改"))
        return None
    if extent is not None:
        extent.result()
        if extent.rows > limits.max_sheet_rows or extent.rows * extent.cols > limits.max_sheet_cells:
            _too_large(out, name, extent, limits)
            return None
    if kept is not None:
        out.parts[name] = b"".join(kept)
    return got


def _too_large(out: Preflight, name: str, extent: "_Extent", limits: Limits) -> None:
    out.findings.append(sec("SEC008", member=name, rows=extent.rows, cols=extent.cols, limit_rows=limits.max_sheet_rows,
                            limit_cells=limits.max_sheet_cells))


def _raw_member(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    off = info.header_offset
    head = data[off:off + 30]
    if len(head) < 30 or head[:4] != ZIP_MAGIC:
        return None
    n, m = struct.unpack("<HH", head[26:30])
    start = off + 30 + n + m
    raw = data[start:start + info.compress_size]
    if len(raw) < info.compress_size:
        return None
    if info.flag_bits & 0x1:
        return None
    return raw


class _Prolog:
    """An expat parser over the start of one XML part, configured as defusedxml forbids,
    stopped at the root element (a DTD can only come before it)."""

    def __init__(self, member: str):
        self.member = member
        self.done = False
        self.finding: Finding | None = None
        p = xml.parsers.expat.ParserCreate()
        p.StartDoctypeDeclHandler = self._doctype
        p.EntityDeclHandler = self._entity
        p.UnparsedEntityDeclHandler = self._unparsed
        p.ExternalEntityRefHandler = self._external
        p.StartElementHandler = self._root
        self.parser = p
        self.doctype = False

    def _doctype(self, name, sysid, pubid, has_internal_subset):
        self.doctype = True
        if sysid or pubid:
            self.finding = sec("SEC007", member=self.member, target=sysid or pubid)
            raise _Stop

    def _entity(self, name, is_param, value, base, sysid, pubid, notation):
        if sysid or pubid:
            self.finding = sec("SEC007", member=self.member, target=sysid or pubid)
        else:
            self.finding = sec("SEC006", member=self.member, what=f"实体声明 {name}")
        raise _Stop

    def _unparsed(self, name, base, sysid, pubid, notation):
        self.finding = sec("SEC007", member=self.member, target=sysid or pubid)
        raise _Stop

    def _external(self, context, base, sysid, pubid):
        self.finding = sec("SEC007", member=self.member, target=sysid or pubid)
        raise _Stop

    def _root(self, name, attrs):
        if self.doctype:
            self.finding = sec("SEC006", member=self.member, what="DTD 声明")
        raise _Stop

    def feed(self, chunk: bytes) -> Finding | None:
        try:
            self.parser.Parse(chunk, False)
        except _Stop:
            self.done = True
            return self.finding
        except xml.parsers.expat.ExpatError as exc:
            self.done = True
            if self.doctype:
                return sec("SEC006", member=self.member, what="DTD 声明")
            return sec("SEC015", detail=f"部件 {self.member} 不是合法的 XML（{exc}）")
        return None


def _column(letters: bytes) -> int:
    col = 0
    for ch in letters.upper():
        col = col * 26 + ch - 64
    return col


class _Extent:
    """Largest row and column a reader would place a cell at, as calamine counts them.

    ``r`` attributes in either quoting style; a ``<row>`` without ``r`` follows the previous
    row; a ``<c>`` without ``r`` follows the previous cell of its row (or starts at column A).
    Attributes inside a tag are scanned whole, so a tag split across chunks is kept for the next one.

    The whole part is counted, not only up to the first ``</sheetData>``: that end may be a decoy (in a
    comment, CDATA, a processing instruction or an attribute value, where calamine reads on past it), and
    rows after the real end are still parsed by openpyxl and lxml, which the annotated copy may use.
    """

    def __init__(self):
        self.rows = 0
        self.cols = 0
        self.row = 0
        self.col = 0
        self.tail = b""

    def feed(self, chunk: bytes, final: bool = False) -> None:
        buf = self.tail + chunk
        cut = len(buf) if final else buf.rfind(b"<")
        if cut < 0 or len(buf) - cut > 1 << 16:  # no tag start, or an absurd tag: scan it all
            cut = len(buf)
        self.tail = buf[cut:]
        if self._fast(buf, cut):  # scanned in place up to ``cut``: no copy of the chunk
            return
        for name, attrs in _TAG.findall(buf, 0, cut):
            m = _R_ATTR.search(attrs)
            if name == b"row":
                if m is not None:
                    digits = re.match(rb"\s*([0-9]{1,9})", m.group(1) or m.group(2))
                    self.row = int(digits.group(1)) if digits else self.row + 1
                else:
                    self.row += 1
                self.col = 0
                if self.row > self.rows:
                    self.rows = self.row
                continue
            ref = _A1.match(m.group(1) or m.group(2)) if m is not None else None
            if ref is not None:
                self.col = _column(ref.group(1))
                r = int(ref.group(2))
                if r > self.rows:
                    self.rows = r
            else:
                self.col += 1
                if self.row == 0:  # a cell outside any row: calamine puts it in row 1
                    self.rows = max(self.rows, 1)
            if self.col > self.cols:
                self.cols = self.col

    def _fast(self, scan: bytes, end: int) -> bool:
        """Every row and cell tag of ``scan`` is written the canonical way (``<row r="5"``, ``<c r="B5"``, as Excel,
        LibreOffice and openpyxl write them): maxima from one C-level scan, no per-tag parsing. False (nothing
        done) for anything else — a prefix, other quotes, r not first or missing — which is counted tag by tag."""
        tags = _FAST.findall(scan, 0, end)
        if not tags:
            return True  # no row or cell tag at all (the third alternative matches any)
        letters, cell_rows, rows, other = zip(*tags)
        if any(other):
            return False
        numbers = set(cell_rows)
        numbers.update(rows)
        numbers.discard(b"")
        self.rows = max(self.rows, max(map(int, numbers)))
        widest = set(letters)
        widest.discard(b"")
        if widest:
            self.cols = max(self.cols, _column(max(widest, key=lambda c: (len(c), c))))
        last_row = next((r for r in reversed(rows) if r), b"")
        if last_row:
            self.row = int(last_row)
            self.col = 0
        last_cell = next((c for c in reversed(letters) if c), b"")
        if last_cell:  # conservative: a following cell without r counts on from the last cell seen
            self.col = _column(last_cell)
        return True

    def result(self) -> tuple[int, int]:
        self.feed(b"", final=True)
        return self.rows, self.cols


__all__ = ["Limits", "Preflight", "SEC_RULES", "is_workbook_package", "preflight", "scan_zip", "sec", "sniff"]
