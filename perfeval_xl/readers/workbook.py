"""A filled .xlsx → raw field values keyed by schema id, plus the structural facts.

Values come from python-calamine (fast); names, sheet states, document
properties and the formulas of derived cells come from the package XML,
parsed with defusedxml. Reading never raises on a bad file: what could not be
read is returned as ``problems`` for the STR rules to report.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
import re
import zipfile
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Callable, Iterable, Iterator

from defusedxml import ElementTree as SafeET

from ..schema import SCHEMA, Layout, a1_position, col_letter, precision
from ..template.layout import layout
from ..template.markers import NAME_ID, NAME_VERSION, PROP_ID, PROP_PROFILE, PROP_VARIANT, PROP_VERSION

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
}
_M = "{%s}" % NS["m"]
_REF = re.compile(r"^'?(?P<sheet>.+?)'?!\$?(?P<col>[A-Z]{1,3})\$?(?P<row>\d+)$")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ReadCode(StrEnum):
    """What the reader found wrong with a file's structure; the STR rules (rules/structure.py) report each."""

    NOT_FOUND = "not_found"
    NOT_A_WORKBOOK = "not_a_workbook"
    OLE_CONTAINER = "ole_container"
    CORRUPT = "corrupt"
    MISSING_SHEET = "missing_sheet"
    UNREADABLE_SHEET = "unreadable_sheet"
    MISSING_NAME = "missing_name"
    BROKEN_NAME = "broken_name"
    MOVED_NAME = "moved_name"
    SHIFTED_NAME = "shifted_name"  # moved with its row when rows were inserted: column A still shows the template's labels
    REDIRECTED_NAME = "redirected_name"


@dataclass(frozen=True)
class ReadProblem:
    """A structural fact the STR rules turn into findings."""

    code: ReadCode  # a StrEnum: compares equal to its text; an unknown code fails here, not in a rule
    detail: str = ""
    sheet: str | None = None
    address: str | None = None
    field_id: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "code", ReadCode(self.code))


@dataclass
class WorkbookData:
    path: str
    sha256: str = ""
    size: int = 0
    template_id: str | None = None
    template_version: str | None = None
    profile: str | None = None
    variant: str | None = None
    properties: dict[str, str] = field(default_factory=dict)
    sheet_names: list[str] = field(default_factory=list)
    sheet_states: dict[str, str] = field(default_factory=dict)
    defined_names: dict[str, str] = field(default_factory=dict)
    raw: dict[str, object] = field(default_factory=dict)
    addresses: dict[str, tuple[str, str]] = field(default_factory=dict)  # field id -> (sheet title, A1)
    formulas: dict[tuple[str, str], str] = field(default_factory=dict)  # (sheet title, A1) -> formula, derived cells only
    input_formulas: dict[tuple[str, str], str] = field(default_factory=dict)  # input cells holding a formula, not a value
    input_errors: dict[tuple[str, str], str] = field(default_factory=dict)  # input cells holding an error (#REF!, …)
    unprotected_sheets: list[str] = field(default_factory=list)  # template sheets whose protection was removed
    structure_locked: bool | None = None  # None: not read (a live book, or values only)
    problems: list[ReadProblem] = field(default_factory=list)
    readable: bool = False  # values could be read at all
    # field id → decimals its cell's number format prints, where the format is not the template's own
    # (an accountant who formats a rate cell 0.00% says the report printed two decimals)
    precisions: dict[str, int] = field(default_factory=dict)
    cell_formats: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)  # (sheet, A1) → format code of figure inputs
    # sheet title → template row → workbook row, for sheets whose rows were inserted (names moved with them)
    shifted_rows: dict[str, dict[int, int]] = field(default_factory=dict)
    # sheet title → every formula on it by A1, read only for a sheet where an input name moved on the same sheet
    sheet_formulas: dict[str, dict[str, str]] = field(default_factory=dict, repr=False, compare=False)
    # (sheet, addresses) → values of cells outside the schema (the 评分 sheet's evaluator entries);
    # None: read them from ``path`` (a live book sets its own)
    read_cells: Callable[[str, Iterable[str]], dict[str, object]] | None = field(default=None, repr=False, compare=False)

    @property
    def is_template(self) -> bool:
        return self.template_id is not None


def sha256_of(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def parse_ref(ref: str) -> tuple[str, str] | None:
    m = _REF.match(ref.strip())
    if not m:
        return None
    return m.group("sheet").replace("''", "'"), f"{m.group('col')}{m.group('row')}"


@lru_cache(maxsize=1)
def _template_titles() -> tuple[str, ...]:
    return tuple(s.title for s in layout().sheets)


@lru_cache(maxsize=1)
def _derived_addresses_cached() -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in _derived_addresses(layout()).items()}


def _derived_addresses(lay: Layout) -> dict[str, set[str]]:
    """Per sheet title, the addresses whose formulas the template owns."""
    out: dict[str, set[str]] = {}
    for f in SCHEMA.values():
        if not f.is_input:
            c = lay.cell(f.id)
            out.setdefault(lay.sheet_title(c.sheet), set()).add(c.address)
    for p in lay.checks:
        for c in (p.expected_cell, p.diff_cell):
            out.setdefault(lay.sheet_title(c.sheet), set()).add(c.address)
    return out


@lru_cache(maxsize=1)
def _input_addresses_cached() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for _fid, title, _r, _c, address, name, _ref in _placements():
        if name is not None:
            out.setdefault(title, set()).add(address)
    return {k: frozenset(v) for k, v in out.items()}


class _EveryCell:
    """An address set holding every cell (to read all formulas of a sheet)."""

    def __contains__(self, _address) -> bool:
        return True

    def __iter__(self):
        return iter(())


_EVERY_CELL = _EveryCell()


def _moved_on_own_sheet(names: dict[str, str]) -> set[str]:
    """Sheets where an input name points at another cell of its own sheet (rows inserted, or a redirect)."""
    out = set()
    for _fid, title, _r, _c, _address, name, expected_ref in _placements():
        target = names.get(name) if name is not None else None
        if target is not None and target != expected_ref:
            parsed = parse_ref(target)
            if parsed is not None and parsed[0] == title:
                out.add(title)
    return out


def _input_targets(names: dict[str, str]) -> dict[str, frozenset[str]]:
    """Per sheet title, the cells the input names point at: the template's, or where a name was moved."""
    out = dict(_input_addresses_cached())
    for _fid, _title, _r, _c, _address, name, expected_ref in _placements():
        target = names.get(name) if name is not None else None
        if target is None or target == expected_ref:
            continue
        parsed = parse_ref(target)
        if parsed is not None:
            out[parsed[0]] = out.get(parsed[0], frozenset()) | {parsed[1]}
    return out


def read_workbook(path: Path | str, *, with_formulas: bool = True, parts: "Inflated | None" = None) -> WorkbookData:
    """The workbook at ``path``; ``parts``: its package parts as the pre-flight already inflated and verified them."""
    path = Path(path)
    data = WorkbookData(path=str(path))
    if not path.is_file():
        data.problems.append(ReadProblem(ReadCode.NOT_FOUND, str(path)))
        return data
    if parts is not None:  # the bytes the pre-flight vetted are the bytes read, even if the file changes meanwhile
        data.sha256, data.size, head = hashlib.sha256(parts.data).hexdigest(), len(parts.data), parts.data[:8]
    else:
        data.sha256, data.size = sha256_of(path)
        with open(path, "rb") as fh:
            head = fh.read(8)
    if head == OLE_MAGIC:
        data.problems.append(ReadProblem(ReadCode.OLE_CONTAINER, "加密工作簿或旧版 .xls"))
        return data
    if parts is None and not zipfile.is_zipfile(path):
        data.problems.append(ReadProblem(ReadCode.NOT_A_WORKBOOK, "文件不是 .xlsx（zip）格式"))
        return data
    try:
        with (_InflatedZip(parts) if parts is not None else zipfile.ZipFile(path)) as zf:
            _read_package(zf, data, with_formulas)
    except (zipfile.BadZipFile, KeyError, SafeET.ParseError, ValueError, OSError, EOFError) as exc:
        data.problems.append(ReadProblem(ReadCode.CORRUPT, f"{type(exc).__name__}: {exc}"[:200]))
        return data
    except Exception as exc:  # defusedxml raises its own family for entity tricks
        data.problems.append(ReadProblem(ReadCode.CORRUPT, f"{type(exc).__name__}: {exc}"[:200]))
        return data
    if not data.sheet_names:
        return data
    _read_values(path, data, parts.data if parts is not None else None)
    return data


@dataclass(frozen=True)
class Inflated:
    """A file's bytes as the pre-flight vetted them, the parts it inflated and the names of every member."""

    data: bytes
    parts: dict[str, bytes]
    names: list[str]


class _InflatedZip:
    """What ``_read_package`` asks of a ``ZipFile``, served from ``Inflated``; a part not kept is inflated from its bytes."""

    def __init__(self, inflated: Inflated):
        self.inflated, self._zf = inflated, None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._zf is not None:
            self._zf.close()

    def _zip(self) -> zipfile.ZipFile:
        if self._zf is None:
            self._zf = zipfile.ZipFile(io.BytesIO(self.inflated.data))
        return self._zf

    def namelist(self) -> list[str]:
        return list(self.inflated.names)

    def read(self, name: str) -> bytes:
        got = self.inflated.parts.get(name)
        return got if got is not None else self._zip().read(name)

    def open(self, name: str):
        got = self.inflated.parts.get(name)
        return io.BytesIO(got) if got is not None else self._zip().open(name)


def _read_package(zf: zipfile.ZipFile, data: WorkbookData, with_formulas: bool) -> None:
    names = set(zf.namelist())
    if "xl/workbook.xml" not in names:
        data.problems.append(ReadProblem(ReadCode.NOT_A_WORKBOOK, "压缩包中没有 xl/workbook.xml"))
        return
    workbook_xml = zf.read("xl/workbook.xml")
    sheets, defined = _workbook_xml(workbook_xml)
    rels = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for rel in SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels")):
            rels[rel.get("Id")] = rel.get("Target")
    sheet_files: dict[str, str] = {}
    for title, state, rid in sheets:
        data.sheet_names.append(title)
        data.sheet_states[title] = state or "visible"
        target = rels.get(rid, "").lstrip("/")
        sheet_files[title] = target if target.startswith("xl/") else f"xl/{target}"
    data.defined_names.update(defined)
    if "docProps/custom.xml" in names:
        for prop in SafeET.fromstring(zf.read("docProps/custom.xml")):
            name = prop.get("name")
            value = next(iter(prop), None)
            if name and value is not None:
                data.properties[name] = (value.text or "").strip()
    data.template_id = data.properties.get(PROP_ID) or unquote_name(data.defined_names.get(NAME_ID))
    data.template_version = data.properties.get(PROP_VERSION) or unquote_name(data.defined_names.get(NAME_VERSION))
    data.profile = data.properties.get(PROP_PROFILE)
    data.variant = data.properties.get(PROP_VARIANT)
    if with_formulas and data.template_id:
        data.structure_locked = _WB_PROTECTION.search(workbook_xml) is not None
        owned = _derived_addresses_cached()
        inputs = _input_targets(data.defined_names)
        formats = _xf_formats(zf) if "xl/styles.xml" in names else []
        moved = _moved_on_own_sheet(data.defined_names)
        for title in _template_titles():
            member = sheet_files.get(title)
            if not member or member not in names:
                continue
            xml, prefix, protected = _sheet_data(zf, member)
            if not protected:
                data.unprotected_sheets.append(title)
            wanted = inputs.get(title, frozenset())
            cells = _usual_cells(xml, prefix) if title in owned or wanted else None
            if title in moved:  # rows may have been inserted: the template's formulas are looked for where they went
                every, _ = _formulas(xml, prefix, title, _EVERY_CELL, cells=cells)
                data.sheet_formulas[title] = {a: f for (_t, a), f in every.items()}
            if title in owned or wanted:
                derived, typed = _formulas(xml, prefix, title, owned.get(title, frozenset()), wanted, cells)
                data.formulas.update(derived)
                data.input_formulas.update(typed)
                data.input_errors.update(_error_cells(xml, title, wanted))
            if formats and wanted:
                data.cell_formats.update(_cell_formats(xml, title, wanted, formats, cells))


# workbook.xml carries ~550 defined names; scanning it (no DTD is ever expanded: a
# DOCTYPE is refused outright) is several times faster than building an element tree.
_WB_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*?)/?>")
_WB_NAME = re.compile(rb'<definedName name="([^"&<>]+)">([^<]*)</definedName>'
                      rb"|<(?:\w+:)?definedName\b([^>]*)>([^<]*)</(?:\w+:)?definedName>")
_WB_ATTR = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attrs(raw: bytes) -> dict[str, str]:
    """Attributes of a start tag; a namespaced one keeps its prefix (``r:id``)."""
    return {m.group(1).decode("utf-8"): _xml_text(m.group(2) if m.group(2) is not None else m.group(3)) for m in _WB_ATTR.finditer(raw)}


def _workbook_xml(raw: bytes) -> tuple[list[tuple[str, str | None, str]], dict[str, str]]:
    """(sheets as (name, state, relationship id), workbook-scoped defined names) of workbook.xml."""
    if b"<!DOCTYPE" in raw[:4096] or b"<!ENTITY" in raw:
        raise ValueError("workbook.xml 含 DTD/实体声明")
    sheets = []
    end = raw.find(b"</sheets>")  # the sheet list precedes the ~550 names: no need to try each of them as a sheet
    for m in _WB_SHEET.finditer(raw, 0, len(raw) if end < 0 else end):
        a = _attrs(m.group(1))
        sheets.append((a.get("name", ""), a.get("state"), a.get("r:id", "")))
    found = _WB_NAME.findall(raw)  # (name of a name written plainly, its text, other attributes, text), in order
    # The ~550 names and texts are decoded and unescaped in one call each, not one by one: joined by NUL, which
    # XML text cannot hold (a &#0; would change the count and send the names one by one).
    keys = "\0".join(k.decode("utf-8", "replace") for k, _b, _a, _t in found).split("\0")
    texts = _unescape("\0".join((b or t).decode("utf-8", "replace") for _k, b, _a, t in found)).split("\0")
    if len(texts) != len(found):
        texts = [_xml_text(b or t) for _k, b, _a, t in found]
    names = {}
    for (key, _b, attrs, _t), name, text in zip(found, keys, texts):
        if key:  # the common case, a name attribute alone: no attribute map to build
            names[name] = text.strip()
            continue
        a = _attrs(attrs)
        if "localSheetId" not in a and "name" in a:
            names[a["name"]] = text.strip()
    return sheets, names


def unquote_name(text: str | None) -> str | None:
    """The value of a constant defined name (``"1.0"`` → 1.0); None when absent or empty."""
    if not text:
        return None
    return str(text).strip().strip('"') or None


# The sheet XML is scanned with regular expressions instead of an XML parser (about
# 5× faster). This is safe: workbook.xml was parsed with defusedxml, and here we only
# pick ``<c r="…"><f …>text</f>`` pairs out of the bytes, so no DTD or entity is ever
# expanded. In SpreadsheetML ``<f>`` is the first child of ``<c>`` (CT_Cell: f, v, is).
_XML_ROOT = re.compile(rb"\s*(?:<\?xml[^>]*\?>)?\s*(?:<!--.*?-->\s*)*<(?:([A-Za-z_][\w.-]*):)?worksheet\b", re.S)
_XML_R = re.compile(rb"""\br\s*=\s*["']([A-Z]{1,3}[0-9]+)["']""")
_XML_ATTR = re.compile(rb"""\b(t|si)\s*=\s*["']([^"']*)["']""")
_XML_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);")
_XML_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
# An A1 reference in a formula: not part of a name (staff_quota_total) or a function (LOG10().
_A1_IN_FORMULA = re.compile(r"(?<![A-Za-z0-9_.])(\$?)([A-Z]{1,3})(\$?)([0-9]+)(?![A-Za-z0-9_(])")
_FORMULA_PATTERNS: dict[bytes, tuple[re.Pattern, re.Pattern]] = {}


def _formula_patterns(prefix: bytes) -> tuple[re.Pattern, re.Pattern]:
    """(``<f>`` element, the ``<c …>`` start tag just before it) for a namespace prefix (usually none)."""
    if prefix not in _FORMULA_PATTERNS:
        p = re.escape(prefix + b":") if prefix else b""
        _FORMULA_PATTERNS[prefix] = (
            re.compile(b"<" + p + rb"f(?=[\s>/])([^>]*?)(?:/>|>([^<]*)</" + p + rb"f>)"),
            re.compile(b"<" + p + rb"c\b([^>]*)>\s*\Z"),
        )
    return _FORMULA_PATTERNS[prefix]


def _sheet_data(zf: zipfile.ZipFile, member: str) -> tuple[bytes, bytes, bool]:
    """The sheet XML up to the end of ``<sheetData>`` (cells come first; validations and
    formatting, often most of the part, are not even decompressed), its namespace prefix, and
    whether the sheet is protected (``<sheetProtection>`` follows ``<sheetData>`` within a few bytes)."""
    whole = zf.inflated.parts.get(member) if isinstance(zf, _InflatedZip) else None
    if whole is not None:  # already in memory: no chunked reassembly
        root = _XML_ROOT.match(whole, 0, 1 << 15)  # as much as the first chunk below
        prefix = (root.group(1) or b"") if root else b""
        end = (b"</" + prefix + b":sheetData>") if prefix else b"</sheetData>"
        i = whole.find(end)
        if i < 0:
            return whole, prefix, False
        i += len(end)
        return whole[:i], prefix, _PROTECTION.search(whole, i, i + 1024) is not None
    buf = b""
    prefix = end = None
    with zf.open(member) as fh:
        while True:
            chunk = fh.read(1 << 15)
            if not chunk:
                break
            start = max(0, len(buf) - 64)
            buf += chunk
            if prefix is None:
                root = _XML_ROOT.match(buf)
                if root is None and len(buf) < 4096:
                    continue
                prefix = (root.group(1) or b"") if root else b""
                end = (b"</" + prefix + b":sheetData>") if prefix else b"</sheetData>"
                start = 0
            i = buf.find(end, start)
            if i >= 0:
                tail = buf[i + len(end): i + len(end) + 1024]
                if len(tail) < 1024:
                    tail += fh.read(1024 - len(tail))
                return buf[: i + len(end)], prefix, _PROTECTION.search(tail) is not None
    return buf, prefix or b"", False


_PROTECTION = re.compile(rb"<(?:\w+:)?sheetProtection\b[^>]*\bsheet\s*=\s*[\"'](?:1|true)[\"']")
_WB_PROTECTION = re.compile(rb"<(?:\w+:)?workbookProtection\b[^>]*\blockStructure\s*=\s*[\"'](?:1|true)[\"']")


def _xml_text(raw: bytes) -> str:
    return _unescape(raw.decode("utf-8", "replace"))


def _unescape(text: str) -> str:
    if "&" not in text:
        return text

    def entity(m: re.Match) -> str:
        e = m.group(1)
        if e[0] != "#":
            return _XML_NAMED[e]
        try:
            return chr(int(e[2:], 16) if e[1] in "xX" else int(e[1:]))
        except (ValueError, OverflowError):
            return m.group(0)

    return _XML_ENTITY.sub(entity, text)


def _shift_formula(formula: str, drow: int, dcol: int) -> str:
    """A shared formula as it reads ``drow`` rows and ``dcol`` columns away from its anchor."""
    if not (drow or dcol):
        return formula

    def shift(m: re.Match) -> str:
        col_abs, col, row_abs, row = m.groups()
        c = _rc(f"{col}1")[1] + 1 + (0 if col_abs else dcol)
        r = int(row) + (0 if row_abs else drow)
        return f"{col_abs}{col_letter(c)}{row_abs}{r}" if c >= 1 and r >= 1 else "#REF!"

    parts = formula.split('"')  # even-numbered parts lie outside string literals
    return '"'.join(_A1_IN_FORMULA.sub(shift, p) if i % 2 == 0 else p for i, p in enumerate(parts))


def _formulas(xml: bytes, prefix: bytes, title: str, addresses: frozenset[str], inputs: frozenset[str] = frozenset(),
              cells: list[tuple[bytes, ...]] | None = None) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str]]:
    """Formulas (or their absence: "") of the template-owned cells of one sheet's ``<sheetData>``,
    and the formulas found in its input cells (which must hold plain values).

    Shared formulas (``<f t="shared" si="0"/>``, which Excel and LibreOffice write for
    filled-down ranges) are expanded from their anchor cell, as Excel reads them.
    ``cells``: the sheet's cells as ``_usual_cells`` found them, when it could.
    """
    out: dict[tuple[str, str], str] = {(title, a): "" for a in addresses}
    typed: dict[tuple[str, str], str] = {}
    anchors: dict[bytes, tuple[str, str]] = {}  # shared-formula index -> (anchor cell, formula)
    followers: list[tuple[str, bytes]] = []
    for ref, f_attrs, f_text in (_cell_formulas(xml, prefix) if cells is None else
                                 ((ref, f_attrs, f_text) for ref, _c, f, f_attrs, f_text in cells if f)):
        ref = ref.decode("ascii")
        attrs = dict(_XML_ATTR.findall(f_attrs)) if f_attrs else {}
        shared = attrs.get(b"t") == b"shared" and b"si" in attrs
        if not shared and ref not in addresses and ref not in inputs:
            continue  # most formulas are the template's checks elsewhere on the sheet: their text is never looked at
        text = _xml_text(f_text) if f_text else ""
        if shared:
            if text:
                anchors[attrs[b"si"]] = (ref, text)
            elif ref in addresses or ref in inputs:
                followers.append((ref, attrs[b"si"]))
                continue
        if ref in addresses:
            out[(title, ref)] = text
        elif ref in inputs:
            typed[(title, ref)] = text or "（共享或数组公式）"
    for ref, si in followers:
        text = ""
        if si in anchors:
            anchor, text = anchors[si]
            (ar, ac), (r, c) = _rc(anchor), _rc(ref)
            text = _shift_formula(text, r - ar, c - ac)
        if ref in addresses:
            out[(title, ref)] = text
        else:
            typed[(title, ref)] = text or "（共享公式）"
    return out, typed


def _cell_formulas(xml: bytes, prefix: bytes) -> Iterator[tuple[bytes, bytes, bytes | None]]:
    """(r of the cell, attributes of its ``<f>``, the formula text or None) for each ``<f>`` that opens a cell."""
    f_re, c_re = _formula_patterns(prefix)
    for m in f_re.finditer(xml):
        cm = c_re.match(xml, xml.rfind(b"<", 0, m.start()), m.start())
        rm = _XML_R.search(cm.group(1)) if cm else None
        if rm is not None:
            yield rm.group(1), m.group(1), m.group(2)


# One findall over a sheet whose cell tags are all written as Excel, LibreOffice and openpyxl write them
# (unprefixed, r first, in double quotes): per cell, its r, its other attributes and the <f> that opens it
# (marker, attributes, text) — what the formulas and the formats of the sheet need, from one scan instead
# of one per question. Each of the three patterns starts with a literal, which the regex engine searches fast.
_USUAL_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]+)"([^>]*)>\s*(?:(<f)(?=[\s>/])([^>]*?)(?:/>|>([^<]*)</f>))?')
_ODD_CELL = re.compile(rb'<c(?=[\s/>])(?! r="[A-Z]{1,3}[0-9]+"[^>]*>)')
_PREFIXED_CELL = re.compile(rb":c[\s/>]")  # a false alarm (such text in a formula) only costs the slower path


def _usual_cells(xml: bytes, prefix: bytes) -> list[tuple[bytes, ...]] | None:
    """The cells of ``_USUAL_CELL``, or None when some cell tag is written otherwise (each question then scans alone)."""
    if prefix or _ODD_CELL.search(xml) or _PREFIXED_CELL.search(xml):
        return None
    return _USUAL_CELL.findall(xml)


_ERROR_TYPE = (b't="e"', b"t='e'")


def _error_cells(xml: bytes, title: str, inputs: frozenset[str]) -> dict[tuple[str, str], str]:
    """Input cells whose value is an error (``t="e"``: #REF!, #N/A, …), which a value reader shows as blank."""
    out: dict[tuple[str, str], str] = {}
    if not inputs:
        return out
    for marker in _ERROR_TYPE:
        pos = xml.find(marker)
        while pos >= 0:
            start = xml.rfind(b"<", 0, pos)
            rm = _XML_R.search(xml, start, pos + 200)
            if rm is not None and xml[start + 1:start + 2] != b"/" and rm.start() < xml.find(b">", pos):
                ref = rm.group(1).decode("ascii")
                if ref in inputs:
                    end = xml.find(b"</", pos)
                    v = re.search(rb"<(?:\w+:)?v>([^<]*)<", xml[pos:end + 4 if end >= 0 else pos + 400])
                    out[(title, ref)] = _xml_text(v.group(1)) if v else "#错误"
            pos = xml.find(marker, pos + 1)
    return out


# Excel's built-in number formats a figure cell may carry (ECMA-376 §18.8.30); others are in <numFmts>.
BUILTIN_FORMATS = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
                   37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)",
                   49: "@"}
_XML_S = re.compile(rb"""(?<![\w:])s\s*=\s*["']([0-9]+)["']""")


def _xf_formats(zf: zipfile.ZipFile) -> list[str]:
    """The number format code of each cell style (``<cellXfs>`` index → code).

    Scanned like workbook.xml (a DTD or entity is refused, nothing is expanded): an element tree of
    styles.xml, built by defusedxml's pure-Python parser, cost more than the rest of the reading."""
    raw = zf.read("xl/styles.xml")
    if b"<!DOCTYPE" in raw[:4096] or b"<!ENTITY" in raw:
        raise ValueError("styles.xml 含 DTD/实体声明")
    root = _STYLES_ROOT.match(raw, 0, 1 << 12)
    p = re.escape(root.group(1) + b":") if root and root.group(1) else b""
    numfmt, cellxfs, xf = (re.compile(b"<" + p + rb"numFmt\b([^>]*)>"),
                           re.compile(b"<" + p + rb"cellXfs\b[^>]*?(?:/>|>(.*?)</" + p + rb"cellXfs>)", re.S),
                           re.compile(b"<" + p + rb"xf\b([^>]*)>"))
    custom = {}
    for attrs in numfmt.findall(raw):  # in <numFmts> and in <dxfs>, as the tree's iter() found them
        a = _attrs(attrs)
        custom[_int(a.get("numFmtId"), -1)] = a.get("formatCode", "")
    xfs = cellxfs.search(raw)
    if xfs is None:
        return []
    ids = (_NUMFMT_ID.search(attrs) for attrs in xf.findall(xfs.group(1) or b""))
    return [custom.get(fid, BUILTIN_FORMATS.get(fid, "General")) for fid in (_int(m and m.group(1).decode("ascii", "replace"), 0) for m in ids)]


_NUMFMT_ID = re.compile(rb"""(?<![\w:])numFmtId\s*=\s*["']([^"']*)["']""")
_STYLES_ROOT = re.compile(rb"\s*(?:<\?xml[^>]*\?>)?\s*(?:<!--.*?-->\s*)*<(?:([A-Za-z_][\w.-]*):)?styleSheet\b", re.S)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _cell_formats(xml: bytes, title: str, inputs: frozenset[str], formats: list[str],
                  cells: list[tuple[bytes, ...]] | None = None) -> dict[tuple[str, str], str]:
    """Format codes of the input cells of one sheet (a cell without ``s`` has style 0)."""
    out: dict[tuple[str, str], str] = {}
    if cells is None:  # a cell tag not written the usual way
        return _cell_formats_each(xml, title, inputs, formats)
    attrs_of = {ref: attrs for ref, attrs, _f, _f_attrs, _f_text in cells}  # the last of a repeated r wins, as below
    for ref in inputs:
        attrs = attrs_of.get(ref.encode("ascii"))
        if attrs is None:
            continue
        sm = _XML_S.search(attrs)
        i = int(sm.group(1)) if sm else 0
        if i < len(formats):
            out[(title, ref)] = formats[i]
    return out


def _cell_formats_each(xml: bytes, title: str, inputs: frozenset[str], formats: list[str]) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for m in _XML_C.finditer(xml):
        rm = _XML_R.search(m.group(1))
        if rm is None:
            continue
        ref = rm.group(1).decode("ascii")
        if ref not in inputs:
            continue
        sm = _XML_S.search(m.group(1))
        i = int(sm.group(1)) if sm else 0
        if i < len(formats):
            out[(title, ref)] = formats[i]
    return out


_XML_C = re.compile(rb"<(?:\w+:)?c\b([^>]*)/?>")


def precisions_of_formats(addresses: dict[str, tuple[str, str]], cell_formats: dict[tuple[str, str], str]) -> dict[str, int]:
    """Field id → decimals its cell prints, for money and rate cells whose format is not the template's own.

    A format the template wrote says nothing about the report (every cell starts with it); a format the
    accountant set (0.00% on a rate the report printed as “95.10%”) says what the report printed.
    """
    out = {}
    for fid, where in addresses.items():
        code = cell_formats.get(where)
        if code is None:
            continue
        f = SCHEMA[fid]
        template = precision.TEMPLATE_FORMATS.get(f.type)
        if template is None or code == template:
            continue
        d = precision.decimals_of_format(code)
        if d is not None:
            out[fid] = min(d, precision.MAX_DECIMALS)
    return out


def _read_values(path: Path, data: WorkbookData, content: bytes | None = None) -> None:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content)) if content is not None else CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken parts
        data.problems.append(ReadProblem(ReadCode.CORRUPT, f"{type(exc).__name__}: {exc}"[:200]))
        return

    cells = _OpenBookCells(str(path), book)

    def grid(title: str):
        try:
            rows = book.get_sheet_by_name(title).to_python(skip_empty_area=False)
        except Exception as exc:  # a sheet calamine cannot parse
            data.problems.append(ReadProblem(ReadCode.UNREADABLE_SHEET, str(exc)[:200], sheet=title))
            rows = []
        cells.grids[title] = rows
        return rows

    place_fields(data, grid, check_names=bool(data.template_id))
    data.precisions = precisions_of_formats(data.addresses, data.cell_formats)
    data.read_cells = cells
    _follow_inserted_rows(data)


def _follow_inserted_rows(data: WorkbookData) -> None:
    """On a sheet where every moved name went with its row, compare the template's formulas where their rows went."""
    from .row_shift import row_of

    owned = _derived_addresses_cached()
    blocked = {p.sheet for p in data.problems if p.code == ReadCode.MOVED_NAME}
    for title, row_map in data.shifted_rows.items():
        every = data.sheet_formulas.get(title)
        if every is None or title in blocked:
            continue
        for address in owned.get(title, ()):
            row, col = a1_position(address)
            data.formulas[(title, address)] = every.get(f"{col_letter(col)}{row_of(row_map, row)}", "")


class _OpenBookCells:
    """Cells outside the schema (the 评分 sheet's evaluator entries) from the book and grids the reader
    already has, instead of opening and parsing the file again. Pickled (a result coming back from a
    worker), it keeps only the path and reads the file anew."""

    def __init__(self, path: str, book=None):
        self.path, self.book, self.grids = path, book, {}

    def __call__(self, sheet: str, addresses: Iterable[str]) -> dict[str, object]:
        rows = self.grids.get(sheet)
        if rows is None:
            if self.book is None:
                return cell_values(self.path, sheet, addresses)
            rows = self.grids[sheet] = self.book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        return _pick(rows, addresses)

    def __getstate__(self):
        return {"path": self.path, "book": None, "grids": {}}


def place_fields(data: WorkbookData, grid: Callable[[str], list[list[object]]], *, check_names: bool) -> None:
    """Fill ``data.raw``/``data.addresses`` from value grids (one per sheet title, 0-based rows of cells).

    Shared by the file reader and the live-book reader, so both check the defined names the
    same way: a moved name is followed to the cell the user typed into.
    """
    present = set(data.sheet_names)
    for sheet in layout().sheets:
        if sheet.title not in present:
            data.problems.append(ReadProblem(ReadCode.MISSING_SHEET, sheet.title, sheet=sheet.title))
    names = data.defined_names
    grids: dict[str, list[list[object]]] = {}
    for fid, title, r, c, address, name, expected_ref in _placements():
        if name is not None and check_names:
            target = names.get(name)
            if target != expected_ref:  # the generator's exact text: the common case needs no parsing
                parsed = parse_ref(target) if target else None
                if target is None:
                    data.problems.append(ReadProblem(ReadCode.MISSING_NAME, name, sheet=title, address=address, field_id=fid))
                elif parsed is None:
                    data.problems.append(ReadProblem(ReadCode.BROKEN_NAME, target, sheet=title, address=address, field_id=fid))
                elif parsed != (title, address):
                    code = ReadCode.REDIRECTED_NAME if _redirected(parsed, title) else ReadCode.MOVED_NAME
                    data.problems.append(
                        ReadProblem(code, f"{parsed[0]}!{parsed[1]}", sheet=title, address=address, field_id=fid)
                    )
                    title, address = parsed  # the name follows the cell the user typed into
                    r, c = _rc(address)
        data.addresses[fid] = (title, address)
        if title not in present:
            data.raw[fid] = None
            continue
        rows = grids.get(title)
        if rows is None:
            rows = grids[title] = grid(title) or []
        value = rows[r][c] if r < len(rows) and c < len(rows[r]) else None
        data.raw[fid] = None if value == "" else value
    _shared_targets(data)
    _shifted_names(data, grids, grid)
    data.readable = True


def _shifted_names(data: WorkbookData, grids: dict, grid: Callable[[str], list[list[object]]]) -> None:
    """A moved name that went with its row, on a sheet whose column A still shows the template's labels in order:
    rows were inserted, not a redirect. A name that went anywhere else stays a moved name; a name left in place on
    a row that moved (it now reads another row) means the sheet is not one insert, and then no name is shifted."""
    from .row_shift import align_rows, row_of

    moved: dict[str, list[ReadProblem]] = {}
    for p in data.problems:
        if p.code == ReadCode.MOVED_NAME:
            moved.setdefault(p.sheet, []).append(p)
    for title, problems in moved.items():
        rows = grids.get(title)
        row_map = align_rows(title, rows if rows is not None else grid(title))
        if row_map is None:
            continue
        follows = set()
        for fid, sheet, r, c, address, name, _ref in _placements():
            if sheet != title or name is None:
                continue
            where = data.addresses.get(fid)
            if where is None or where[0] != title:
                continue
            went = row_of(row_map, r + 1)
            if where[1] == address:
                if went != r + 1:
                    break  # a name left on a row that moved: it reads another row now, and the picture is not one insert
                continue
            if a1_position(where[1]) == (went, c + 1):
                follows.add(fid)  # a name that went elsewhere stays a moved name (STR010)
        else:
            shifted = {p.field_id for p in problems if p.field_id in follows}
            data.problems[:] = [ReadProblem(ReadCode.SHIFTED_NAME, p.detail, p.sheet, p.address, p.field_id)
                                if p.code == ReadCode.MOVED_NAME and p.field_id in shifted else p for p in data.problems]
            data.shifted_rows[title] = row_map


def _shared_targets(data: WorkbookData) -> None:
    """A moved name that lands on another input's cell makes one figure count twice: a redirection."""
    if not any(p.code == ReadCode.MOVED_NAME for p in data.problems):
        return  # the template's own cells are distinct: only a moved name can share one
    by_cell: dict[tuple[str, str], list[str]] = {}
    for fid, where in data.addresses.items():
        by_cell.setdefault(where, []).append(fid)
    shared = {fid for fids in by_cell.values() if len(fids) > 1 for fid in fids}
    if not shared:
        return
    data.problems[:] = [ReadProblem(ReadCode.REDIRECTED_NAME, p.detail, p.sheet, p.address, p.field_id)
                        if p.code == ReadCode.MOVED_NAME and p.field_id in shared else p for p in data.problems]


def _redirected(target: tuple[str, str], title: str) -> bool:
    """A name pointing at another sheet, at a cell the template computes, or at another input's cell:
    not a cell that moved with inserted rows, but values taken from somewhere the template does not put them.
    (Two names on one cell are found after all names are placed.)"""
    sheet, address = target
    if sheet != title:
        return True
    return address in _derived_addresses_cached().get(sheet, ())


@lru_cache(maxsize=1)
def _placements() -> tuple[tuple[str, str, int, int, str, str | None, str | None], ...]:
    """Per field, computed once: (id, sheet title, row index, column index, A1, defined name, its expected text)."""
    lay = layout()
    out = []
    for fid, f in SCHEMA.items():
        cell = lay.cell(fid)
        out.append(
            (fid, lay.sheet_title(cell.sheet), cell.row - 1, cell.col - 1, cell.address,
             f.defined_name if f.is_input else None, lay.ref(fid) if f.is_input else None)
        )
    return tuple(out)


def _rc(address: str) -> tuple[int, int]:
    """0-based (row, column) indexes into a sheet's value grid."""
    row, col = a1_position(address)
    return row - 1, col - 1


def cell_values(path: Path | str, sheet: str, addresses: Iterable[str]) -> dict[str, object]:
    """Cached values of arbitrary cells (tests, the annotated copy)."""
    from python_calamine import CalamineWorkbook

    return _pick(CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False), addresses)


def _pick(rows: list[list[object]], addresses: Iterable[str]) -> dict[str, object]:
    out = {}
    for a in addresses:
        r, c = _rc(a)
        out[a] = rows[r][c] if r < len(rows) and c < len(rows[r]) else None
    return out


__all__ = ["Inflated", "ReadProblem", "WorkbookData", "cell_values", "col_letter", "parse_ref", "place_fields", "read_workbook", "sha256_of"]
