"""Strict Open XML (Excel's "Strict Open XML 电子表格") and the Transitional names the patcher works in.

A Strict package is the same workbook under other namespace and relationship-type
URIs (ISO/IEC 29500-1 Strict: ``http://purl.oclc.org/ooxml/…``); content types and
the package's own relationships do not change. The patcher reads a Strict part
translated to Transitional names and writes the parts it edits back in Strict names,
so an annotated copy of a Strict workbook stays Strict and everything it does not
touch is copied byte for byte.
"""

from __future__ import annotations

_T = "http://schemas.openxmlformats.org/"
_S = "http://purl.oclc.org/ooxml/"
# (Transitional, Strict), longer URIs first: a relationship type is its namespace plus a name,
# and the property parts' names change in Strict.
NAMESPACES: tuple[tuple[str, str], ...] = (
    (_T + "officeDocument/2006/relationships/extended-properties", _S + "officeDocument/relationships/extendedProperties"),
    (_T + "officeDocument/2006/relationships/custom-properties", _S + "officeDocument/relationships/customProperties"),
    (_T + "officeDocument/2006/relationships", _S + "officeDocument/relationships"),
    (_T + "officeDocument/2006/extended-properties", _S + "officeDocument/extendedProperties"),
    (_T + "officeDocument/2006/custom-properties", _S + "officeDocument/customProperties"),
    (_T + "officeDocument/2006/docPropsVTypes", _S + "officeDocument/docPropsVTypes"),
    (_T + "officeDocument/2006/sharedTypes", _S + "officeDocument/sharedTypes"),
    (_T + "spreadsheetml/2006/main", _S + "spreadsheetml/main"),
    (_T + "drawingml/2006/spreadsheetDrawing", _S + "drawingml/spreadsheetDrawing"),
    (_T + "drawingml/2006/chart", _S + "drawingml/chart"),
    (_T + "drawingml/2006/main", _S + "drawingml/main"),
)
STRICT_DOCUMENT = (_S + "officeDocument/relationships/officeDocument").encode()


def is_strict(package_rels: bytes) -> bool:
    """Whether ``_rels/.rels`` points at its workbook with the Strict relationship type."""
    return STRICT_DOCUMENT in package_rels


def _swap(data: bytes, pairs) -> bytes:
    # a URI always follows a quote (xmlns="…", Type="…"): text that merely mentions one is left alone
    for old, new in pairs:
        data = data.replace(b'"' + old.encode(), b'"' + new.encode())
    return data


def to_transitional(data: bytes) -> bytes:
    return _swap(data, ((s, t) for t, s in NAMESPACES))


def to_strict(data: bytes) -> bytes:
    return _swap(data, NAMESPACES)


__all__ = ["NAMESPACES", "is_strict", "to_strict", "to_transitional"]
