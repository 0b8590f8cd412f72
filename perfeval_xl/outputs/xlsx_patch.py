"""Editing an .xlsx package part by part instead of re-serialising the workbook.

An openpyxl load + save rebuilds every part of a workbook (and drops what it
does not model: shapes, cached values, x14 extensions, unknown parts). Here the
original zip is copied member by member; only the parts we edit are parsed
(lxml, which keeps namespace prefixes and ``mc:Ignorable`` intact, unlike
ElementTree) and written back, and new parts are added with the relationships
and content types Excel needs to open them without its repair prompt.

Part names follow OPC: zip member names without the leading "/". A Strict Open XML
package is worked on in Transitional names and its edited parts written back in Strict
ones (``ooxml_strict``).
"""

from __future__ import annotations

import copy
import posixpath
import re
import struct
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from . import ooxml_strict

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_NS = "http://www.w3.org/XML/1998/namespace"
CONTENT_TYPES = "[Content_Types].xml"

REL = {
    "officeDocument": OFFICE_REL + "/officeDocument",
    "worksheet": OFFICE_REL + "/worksheet",
    "styles": OFFICE_REL + "/styles",
    "comments": OFFICE_REL + "/comments",
    "vmlDrawing": OFFICE_REL + "/vmlDrawing",
    "calcChain": OFFICE_REL + "/calcChain",
    "sharedStrings": OFFICE_REL + "/sharedStrings",
}
MEDIA = {
    "worksheet": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
    "comments": "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml",
    "vmlDrawing": "application/vnd.openxmlformats-officedocument.vmlDrawing",
}

# CT_Worksheet is a sequence: a child in the wrong place is exactly what makes Excel "repair" a file.
WORKSHEET_ORDER = (
    "sheetPr dimension sheetViews sheetFormatPr cols sheetData sheetCalcPr sheetProtection protectedRanges "
    "scenarios autoFilter sortState dataConsolidate customSheetViews mergeCells phoneticPr conditionalFormatting "
    "dataValidations hyperlinks printOptions pageMargins pageSetup headerFooter rowBreaks colBreaks "
    "customProperties cellWatches ignoredErrors smartTags drawing legacyDrawing legacyDrawingHF drawingHF "
    "picture oleObjects controls webPublishItems tableParts extLst"
).split()
WORKBOOK_ORDER = (
    "fileVersion fileSharing workbookPr workbookProtection bookViews sheets functionGroups externalReferences "
    "definedNames calcPr oleSize customWorkbookViews pivotCaches smartTagPr smartTagTypes webPublishing "
    "fileRecoveryPr webPublishObjects extLst"
).split()

MAX_ROW, MAX_COL = 1_048_576, 16_384
_ADDRESS = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,6})$")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class PatchError(Exception):
    """The package is not one we can edit in place (the caller falls back to a full rewrite)."""


def q(tag: str, ns: str = MAIN) -> str:
    return f"{{{ns}}}{tag}"


def rels_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve(source: str, target: str) -> str:
    """The part a relationship of ``source`` points to (targets may be relative or absolute)."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


def split_address(address: str) -> tuple[int, int]:
    """"B12" → (12, 2); PatchError for anything that is not one cell inside Excel's grid."""
    m = _ADDRESS.match(address)
    if not m:
        raise ValueError(address)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    row = int(m.group(2))
    if col > MAX_COL or row > MAX_ROW:
        raise ValueError(address)
    return row, col


def column_letter(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


class Package:
    """An .xlsx opened for patching: reads parts, collects edits, writes the copy."""

    def __init__(self, path: Path | str):
        try:
            self._zip = zipfile.ZipFile(path)
            self._infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise PatchError(f"不是有效的 zip 包：{exc}") from exc
        self._names = {i.filename for i in self._infos}
        try:
            self.strict = "_rels/.rels" in self._names and ooxml_strict.is_strict(self._zip.read("_rels/.rels"))
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
            raise PatchError(f"无法读取 _rels/.rels：{exc}") from exc
        self._edited: dict[str, etree._Element] = {}  # parsed parts, serialised again on save
        self._new: dict[str, bytes] = {}  # parts added (or replaced wholesale) as bytes
        self._dropped: set[str] = set()
        self._parsed: dict[str, etree._Element] = {}  # parts read but not (yet) edited

    # -- reading ---------------------------------------------------------------------------------
    def has(self, part: str) -> bool:
        return part not in self._dropped and (part in self._edited or part in self._new or part in self._names)

    def read(self, part: str) -> bytes:
        """A part's bytes in Transitional names (what every reader of this class expects)."""
        if part in self._new:
            return self._new[part]
        if part in self._edited:
            return serialise(self._edited[part])
        try:
            data = self._zip.read(part)
        except KeyError as exc:
            raise PatchError(f"缺少部件 {part}") from exc
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
            raise PatchError(f"无法读取部件 {part}：{exc}") from exc
        return ooxml_strict.to_transitional(data) if self.strict else data

    def _written(self, part: str) -> bytes:
        """An edited or new part as it goes into the copy: back in Strict names for a Strict package."""
        data = self.read(part)
        return ooxml_strict.to_strict(data) if self.strict else data

    def is_edited(self, part: str) -> bool:
        return part in self._edited or part in self._new

    def parse(self, part: str) -> etree._Element:
        """A part's XML for reading (edits to it are not saved: use ``edit``)."""
        if part in self._edited:
            return self._edited[part]
        if part not in self._parsed:
            try:
                self._parsed[part] = etree.fromstring(self.read(part), _PARSER)
            except etree.XMLSyntaxError as exc:
                raise PatchError(f"{part} 不是格式正确的 XML：{exc}") from exc
        return self._parsed[part]

    def edit(self, part: str) -> etree._Element:
        """A part's XML to change in place; it is written back on save."""
        if part not in self._edited:
            self._edited[part] = self.parse(part)
            self._parsed.pop(part, None)
            self._new.pop(part, None)
        return self._edited[part]

    # -- relationships and content types --------------------------------------------------------
    def relationships(self, part: str) -> list[tuple[str, str, str | None]]:
        """(Id, Type, target part or None when external) of every relationship of ``part``."""
        rp = rels_part(part) if part else "_rels/.rels"
        if not self.has(rp):
            return []
        out = []
        for r in self.parse(rp).iter(q("Relationship", PACKAGE_REL)):
            external = r.get("TargetMode") == "External"
            out.append((r.get("Id"), r.get("Type"), None if external else resolve(part, r.get("Target", ""))))
        return out

    def related(self, part: str, kind: str) -> list[tuple[str, str]]:
        """(Id, target part) of ``part``'s relationships of type ``kind`` (a REL key)."""
        return [(rid, t) for rid, typ, t in self.relationships(part) if typ == REL[kind] and t]

    def target(self, part: str, rid: str) -> str | None:
        return next((t for i, _, t in self.relationships(part) if i == rid), None)

    def relate(self, part: str, kind: str, target: str) -> str:
        """Add a relationship from ``part`` to ``target``; returns its new Id."""
        rp = rels_part(part)
        if not self.has(rp):
            self._parsed.pop(rp, None)
            self._new[rp] = f'<Relationships xmlns="{PACKAGE_REL}"/>'.encode()
        root = self.edit(rp)
        taken = {r.get("Id") for r in root}
        n = len(taken) + 1
        while f"rId{n}" in taken:
            n += 1
        rel = etree.SubElement(root, q("Relationship", PACKAGE_REL))
        rel.set("Id", f"rId{n}")
        rel.set("Type", REL[kind])
        rel.set("Target", posixpath.relpath(target, posixpath.dirname(part)))
        return f"rId{n}"

    def add_part(self, part: str, data: bytes | etree._Element, kind: str) -> None:
        """A new part with its content type declared (an override; VML by its extension, as Excel does)."""
        self._parsed.pop(part, None)
        if isinstance(data, bytes):
            self._new[part] = data
        else:
            self._edited[part] = data
        types = self.edit(CONTENT_TYPES)
        if kind == "vmlDrawing":
            ext = part.rsplit(".", 1)[-1]
            if not any(d.get("Extension", "").lower() == ext.lower() for d in types.iter(q("Default", CONTENT_TYPES_NS))):
                d = etree.Element(q("Default", CONTENT_TYPES_NS), Extension=ext, ContentType=MEDIA[kind])
                types.insert(0, d)  # Defaults before Overrides, as every writer puts them
            return
        etree.SubElement(types, q("Override", CONTENT_TYPES_NS), PartName="/" + part, ContentType=MEDIA[kind])

    def replace(self, part: str, data: bytes) -> None:
        """Replace a part's bytes wholesale (parts edited as text, such as VML)."""
        self._edited.pop(part, None)
        self._parsed.pop(part, None)
        self._new[part] = data

    def drop(self, part: str) -> None:
        """Remove a part and its content-type override (relationships to it are the caller's)."""
        self._dropped.add(part)
        types = self.edit(CONTENT_TYPES)
        for o in list(types.iter(q("Override", CONTENT_TYPES_NS))):
            if o.get("PartName") == "/" + part:
                types.remove(o)

    def free_name(self, pattern: str) -> str:
        """The first unused part name of ``pattern`` ("xl/comments/comment{}.xml")."""
        taken = {n.lower() for n in self._names | set(self._new) | set(self._edited)}
        n = 1
        while pattern.format(n).lower() in taken:
            n += 1
        return pattern.format(n)

    def names(self) -> list[str]:
        return [i.filename for i in self._infos if i.filename not in self._dropped] + [
            p for p in (*self._new, *self._edited) if p not in self._names and p not in self._dropped]

    # -- writing ---------------------------------------------------------------------------------
    def save(self, path: Path | str) -> None:
        """Write the copy: untouched members as they were, edited and new ones after serialising."""
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for info in self._infos:
                name = info.filename
                if name in self._dropped:
                    continue
                if name in self._edited or name in self._new:
                    out.writestr(_like(info), self._written(name))
                else:
                    _copy_member(self._zip, info, out)
            for name in (*self._new, *self._edited):
                if name not in self._names and name not in self._dropped:
                    out.writestr(_like(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))), self._written(name))

    def close(self) -> None:
        self._zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _like(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    out = zipfile.ZipInfo(info.filename, info.date_time)
    out.compress_type = zipfile.ZIP_DEFLATED
    out.external_attr = info.external_attr
    return out


def _copy_member(src: zipfile.ZipFile, info: zipfile.ZipInfo, out: zipfile.ZipFile) -> None:
    """Copy one member's compressed bytes as they are: no inflate, no deflate (most of a copy's cost
    otherwise). Uses the same ZipFile attributes ``writestr`` itself uses; where they are missing
    (another Python) or the member is unusual, the member is recompressed instead."""
    raw = _raw_bytes(src, info)
    if raw is None or not hasattr(out, "fp") or not hasattr(out, "NameToInfo"):
        out.writestr(_like(info), src.read(info))
        return
    zi = zipfile.ZipInfo(info.filename, info.date_time)
    zi.compress_type, zi.CRC, zi.compress_size, zi.file_size = info.compress_type, info.CRC, info.compress_size, info.file_size
    zi.external_attr, zi.create_system = info.external_attr, info.create_system
    zi.flag_bits = info.flag_bits & ~0x08  # sizes and CRC go in the local header: no data descriptor
    zi.header_offset = out.fp.tell()
    out.fp.write(zi.FileHeader(zip64=False))
    out.fp.write(raw)
    out.filelist.append(zi)
    out.NameToInfo[zi.filename] = zi
    out.start_dir = out.fp.tell()


def _raw_bytes(src: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """The member's data as stored, or None when it should go the slow way (encrypted, zip64, odd header)."""
    if info.flag_bits & 0x01 or info.file_size >= 0x7FFFFFFF or info.compress_size >= 0x7FFFFFFF:
        return None
    fp = src.fp
    fp.seek(info.header_offset)
    header = fp.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        return None
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fp.seek(info.header_offset + 30 + name_len + extra_len)
    raw = fp.read(info.compress_size)
    if len(raw) != info.compress_size:
        return None
    if info.compress_type == zipfile.ZIP_STORED and zlib.crc32(raw) != info.CRC:
        return None
    return raw


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def place(parent: etree._Element, child: etree._Element, order: list[str]) -> etree._Element:
    """Insert ``child`` where the schema's sequence ``order`` puts it among ``parent``'s children."""
    rank = order.index(etree.QName(child).localname)
    for i, existing in enumerate(parent):
        r = _rank(existing, order)
        if r is not None and r > rank:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def _rank(el, order: list[str]) -> int | None:
    if not isinstance(el.tag, str):  # comments, processing instructions
        return None
    name = etree.QName(el)
    if name.namespace == MC and name.localname == "AlternateContent":  # ranked by what it wraps
        inner = next((c for choice in el for c in choice if isinstance(c.tag, str)), None)
        return _rank(inner, order) if inner is not None else None
    return order.index(name.localname) if name.namespace == MAIN and name.localname in order else None


def child(parent: etree._Element, tag: str, order: list[str]) -> etree._Element:
    """``parent``'s child ``tag``, created in its schema position when missing."""
    found = parent.find(q(tag))
    return found if found is not None else place(parent, etree.Element(q(tag)), order)


class SheetXml:
    """The cells of one worksheet part, found or created in row and column order."""

    def __init__(self, root: etree._Element):
        self.root = root
        self.data = child(root, "sheetData", WORKSHEET_ORDER)
        self._rows: dict[int, etree._Element] | None = None

    def rows(self) -> dict[int, etree._Element]:
        if self._rows is None:
            self._rows, last = {}, 0
            for row in self.data.iterfind(q("row")):
                last = int(row.get("r") or last + 1)
                row.set("r", str(last))  # r is optional: pin implicit positions before inserting around them
                self._rows[last] = row
        return self._rows

    def row(self, n: int) -> etree._Element:
        rows = self.rows()
        if n not in rows:
            new = etree.Element(q("row"), r=str(n))
            after = [r for r in rows if r > n]
            if after:
                rows[min(after)].addprevious(new)
            else:
                self.data.append(new)
            rows[n] = new
        return rows[n]

    def cell(self, address: str) -> etree._Element:
        r, c = split_address(address)
        row = self.row(r)
        _widen_spans(row, c)
        last = 0
        for existing in row.iterfind(q("c")):
            ref = existing.get("r")
            col = split_address(ref)[1] if ref else last + 1
            if not ref:
                existing.set("r", f"{column_letter(col)}{r}")
            if col == c:
                return existing
            if col > c:
                new = etree.Element(q("c"), r=address)
                existing.addprevious(new)
                return new
            last = col
        return etree.SubElement(row, q("c"), r=address)

    def drop_rows_from(self, first: int) -> bool:
        """Remove every row from ``first`` down; True if one of them held a formula."""
        had_formula = False
        for n, row in list(self.rows().items()):
            if n >= first:
                had_formula |= row.find(f"{q('c')}/{q('f')}") is not None
                self.data.remove(row)
                del self._rows[n]
        return had_formula

    def update_dimension(self) -> None:
        dim = self.root.find(q("dimension"))
        if dim is None:
            return
        rows = [n for n, row in self.rows().items() if len(row)]
        cols = [split_address(c.get("r"))[1] for n in rows for c in self._rows[n].iterfind(q("c"))]
        dim.set("ref", f"A1:{column_letter(max(cols))}{max(rows)}" if rows else "A1")

    def hide_column(self, col: int) -> None:
        cols = child(self.root, "cols", WORKSHEET_ORDER)
        for el in cols.iterfind(q("col")):
            lo, hi = int(el.get("min")), int(el.get("max"))
            if lo <= col <= hi:
                if lo < col:  # split the span so that only this column is hidden
                    left = copy.deepcopy(el)
                    left.set("max", str(col - 1))
                    el.addprevious(left)
                if col < hi:
                    right = copy.deepcopy(el)
                    right.set("min", str(col + 1))
                    el.addnext(right)
                el.set("min", str(col))
                el.set("max", str(col))
                el.set("hidden", "1")
                return
        new = etree.Element(q("col"), min=str(col), max=str(col), width="13", customWidth="1", hidden="1")
        after = [el for el in cols.iterfind(q("col")) if int(el.get("min")) > col]
        if after:
            after[0].addprevious(new)
        else:
            cols.append(new)


def _widen_spans(row: etree._Element, col: int) -> None:
    """Keep a row's optional ``spans`` hint ("first:last" column) true when a cell is added to it."""
    spans = row.get("spans")
    if not spans or " " in spans or ":" not in spans:
        return
    try:
        lo, hi = (int(x) for x in spans.split(":"))
    except ValueError:
        return
    if not lo <= col <= hi:
        row.set("spans", f"{min(lo, col)}:{max(hi, col)}")


def cell_text(cell: etree._Element, shared) -> str | None:
    """What a cell shows as text: inline, shared (``shared()`` gives the table, read only when needed) or a value."""
    t = cell.get("t")
    if t == "inlineStr":
        return "".join(x.text or "" for x in cell.iter(q("t")))
    v = cell.find(q("v"))
    if v is None or v.text is None:
        return None
    if t == "s":
        table = shared()
        try:
            return table[int(v.text)]
        except (ValueError, IndexError):
            return None
    return v.text


def shared_strings(pkg: "Package", workbook_part: str) -> list[str]:
    """The workbook's shared-string table (empty when it has none)."""
    found = pkg.related(workbook_part, "sharedStrings")
    if not found or not pkg.has(found[0][1]):
        return []
    return ["".join(t.text or "" for t in si.iter(q("t"))) for si in pkg.parse(found[0][1]).iterfind(q("si"))]


def set_text(cell: etree._Element, text: str) -> None:
    """An inline string: no shared-string table to rewrite, and never a formula."""
    _clear(cell)
    cell.set("t", "inlineStr")
    t = etree.SubElement(etree.SubElement(cell, q("is")), q("t"))
    t.text = text
    if text != text.strip() or "\n" in text:
        t.set(q("space", XML_NS), "preserve")


def set_number(cell: etree._Element, value) -> None:
    _clear(cell)
    etree.SubElement(cell, q("v")).text = str(value)


def _clear(cell: etree._Element) -> None:
    for k in ("t", "cm", "vm"):
        cell.attrib.pop(k, None)
    for c in list(cell):
        cell.remove(c)
