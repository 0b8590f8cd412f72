"""What each part of an OOXML package *is*, the way Excel finds out: by relationships and content types.

Name-based checks (``xl/worksheets/…``, ``…/vbaProject.bin``) miss a part stored under an
unusual name: Excel follows ``_rels/.rels`` → the workbook → its relationships, and reads a
part's type from ``[Content_Types].xml``. So does this map. Relationship and content-type
types are matched by their last path segment, so Transitional and Strict (purl.oclc.org)
packages are read alike.

Only the small control parts (``[Content_Types].xml`` and ``*.rels``) are parsed here, with
defusedxml; they are capped in size before they are read.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache
import re
import zipfile
from dataclasses import dataclass, field

CONTROL_PART_MAX = 4 << 20  # a real .rels or [Content_Types].xml is a few KB

# relationship type (last segment) / content type (fragment) → role
SHEET_RELS = ("worksheet", "chartsheet", "dialogsheet", "xlMacrosheet", "xlIntlMacrosheet")
SHEET_TYPES = ("worksheet+xml", "chartsheet+xml", "dialogsheet+xml", "macrosheet+xml", "ms-excel.intlmacrosheet",
               "ms-excel.macrosheet")
MACRO_SHEET_RELS = ("xlMacrosheet", "xlIntlMacrosheet")
MACRO_SHEET_TYPES = ("macrosheet+xml", "ms-excel.intlmacrosheet", "ms-excel.macrosheet")
VBA_RELS = ("vbaProject", "wordVbaData", "vbaProjectSignature")
VBA_TYPES = ("vbaproject", "ms-office.vbaproject", "vbaprojectsignature")
LINK_RELS = ("externalLink", "externalLinkPath", "xlExternalLinkPath", "xlPathMissing", "xlStartup", "xlAlternateStartup",
             "xlLibrary")
LINK_TYPES = ("externallink+xml",)
STRINGS_RELS = ("sharedStrings",)
STRINGS_TYPES = ("sharedstrings+xml",)
EMBED_RELS = ("oleObject", "package", "control", "activeXControlBinary", "ctrlProp")
EMBED_TYPES = ("activex", "oleobject", "ole-object")

_REL = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^>]*)>")
_ATTR = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CT = re.compile(rb"<(?:[\w.-]+:)?(Default|Override)\b([^>]*)>")


@dataclass(frozen=True)
class Rel:
    source: str  # part the relationship belongs to ("" for the package)
    id: str
    type: str  # last segment of the type URI
    target: str  # resolved part name, or the raw target for an external one
    external: bool


@dataclass
class PackageMap:
    names: list[str]
    rels: list[Rel] = field(default_factory=list)
    overrides: dict[str, str] = field(default_factory=dict)  # lower-case part name → content type
    defaults: dict[str, str] = field(default_factory=dict)  # extension → content type
    problems: list[str] = field(default_factory=list)

    def content_type(self, name: str) -> str:
        cache = self.__dict__.setdefault("_ct_cache", {})
        if name in cache:
            return cache[name]
        cache[name] = ct = self._content_type(name)
        return ct

    def _content_type(self, name: str) -> str:
        ct = self.overrides.get(name.lower())
        if ct is None:
            ct = self.defaults.get(posixpath.splitext(name)[1].lstrip(".").lower(), "")
        return ct.lower()

    def _existing(self, targets) -> list[str]:
        lower = {n.lower(): n for n in self.names}
        out = []
        for t in targets:
            n = lower.get(t.lower())
            if n is not None and n not in out:
                out.append(n)
        return out

    def parts(self, rel_types: tuple[str, ...], type_fragments: tuple[str, ...]) -> list[str]:
        """Parts reached by one of ``rel_types`` or declared with a content type containing a fragment."""
        by_rel = [r.target for r in self.rels if not r.external and r.type in rel_types]
        by_type = [n for n in self.names if _any_in(type_fragments, self.content_type(n))]
        return self._existing(by_rel + by_type)

    def external(self, rel_types: tuple[str, ...]) -> list[Rel]:
        return [r for r in self.rels if r.external and r.type in rel_types]

    @property
    def workbook(self) -> str | None:
        for r in self.rels:
            if r.source == "" and r.type == "officeDocument" and not r.external:
                found = self._existing([r.target])
                if found:
                    return found[0]
        return None

    def sheet_parts(self) -> list[str]:
        """Every part a reader could treat as a sheet: by relationship, content type, or the usual folder."""
        usual = [n for n in self.names if n.lower().startswith(("xl/worksheets/", "xl/chartsheets/", "xl/macrosheets/",
                                                                 "xl/dialogsheets/")) and n.lower().endswith(".xml")]
        return self._existing(self.parts(SHEET_RELS, SHEET_TYPES) + usual)


@lru_cache(maxsize=4096)  # bounded: a hostile package may declare thousands of distinct types
def _any_in(fragments: tuple[str, ...], content_type: str) -> bool:
    """Does a content type contain one of the fragments (asked for each part, again and again, with few distinct types)."""
    return any(f in content_type for f in fragments)


def _attrs(raw: bytes) -> dict[str, str]:
    out = {}
    for m in _ATTR.finditer(raw):
        value = m.group(2) if m.group(2) is not None else m.group(3)
        out[m.group(1).decode("utf-8", "replace").split(":")[-1]] = _unescape(value.decode("utf-8", "replace"))
    return out


def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    from xml.sax.saxutils import unescape

    return unescape(text, {"&quot;": '"', "&apos;": "'"})


def rels_source(rels_name: str) -> str:
    """``xl/_rels/workbook.xml.rels`` → ``xl/workbook.xml``; ``_rels/.rels`` → "" (the package)."""
    folder, base = posixpath.split(rels_name)
    parent = posixpath.dirname(folder)
    if not base.endswith(".rels") or posixpath.basename(folder) != "_rels":
        return rels_name
    src = base[: -len(".rels")]
    return posixpath.join(parent, src) if src else ""


def resolve(source: str, target: str) -> str:
    from urllib.parse import unquote

    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        path = target.lstrip("/")
    else:
        path = posixpath.join(posixpath.dirname(source), target)
    return posixpath.normpath(path).lstrip("/") if path else ""


def package_map(zf: zipfile.ZipFile) -> PackageMap:
    """The package's relationships and content types. Never raises; oversize control parts are problems."""
    infos = [i for i in zf.infolist() if not i.is_dir()]
    pm = PackageMap(names=[i.filename for i in infos])
    for info in infos:
        lower = info.filename.lower()
        is_rels = lower.endswith(".rels")
        is_ct = lower == "[content_types].xml"
        if not (is_rels or is_ct):
            continue
        if info.file_size > CONTROL_PART_MAX:
            pm.problems.append(f"{info.filename} 过大（{info.file_size} 字节）")
            continue
        try:
            raw = zf.read(info)
        except Exception as exc:  # a damaged member: the streaming pass reports it as SEC015
            pm.problems.append(f"{info.filename}：{type(exc).__name__}")
            continue
        if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
            pm.problems.append(f"{info.filename} 含 DTD")
            continue
        if is_ct:
            for m in _CT.finditer(raw):
                a = _attrs(m.group(2))
                if m.group(1) == b"Override" and "PartName" in a:
                    pm.overrides[a["PartName"].lstrip("/").lower()] = a.get("ContentType", "")
                elif m.group(1) == b"Default" and "Extension" in a:
                    pm.defaults[a["Extension"].lower()] = a.get("ContentType", "")
            continue
        source = rels_source(info.filename)
        for m in _REL.finditer(raw):
            a = _attrs(m.group(1))
            target = a.get("Target", "")
            external = a.get("TargetMode", "").lower() == "external"
            type_ = a.get("Type", "").rstrip("/").rsplit("/", 1)[-1]
            pm.rels.append(Rel(source, a.get("Id", ""), type_, target if external else resolve(source, target), external))
    return pm


__all__ = ["PackageMap", "Rel", "package_map", "resolve", "rels_source"]
