"""A Strict Open XML workbook made from a transitional one, as Excel's "Strict Open XML 电子表格" saves it.

LibreOffice cannot write Strict, so the test corpus rewrites a generated workbook's
namespaces and relationship types with the Strict map of ISO/IEC 29500-1 (content types
and the package's own relationships stay as they are). The tests check the result
against the standard's URIs written out literally and have LibreOffice open it.
"""

from __future__ import annotations

import io
import zipfile

from perfeval_xl.outputs.ooxml_strict import to_strict

STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
STRICT_DOCUMENT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
TRANSITIONAL_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TRANSITIONAL_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def strict_copy(data: bytes) -> bytes:
    """The same workbook in Strict names, ``conformance="strict"`` on the workbook element."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename.endswith((".xml", ".rels")):
                body = to_strict(body)
                if info.filename == "xl/workbook.xml":
                    body = body.replace(f'<workbook xmlns="{STRICT_MAIN}"'.encode(),
                                        f'<workbook xmlns="{STRICT_MAIN}" conformance="strict"'.encode(), 1)
            out.writestr(info.filename, body)
    return buf.getvalue()


def transitional_uris(data: bytes) -> list[str]:
    """Parts of a package still naming a Transitional SpreadsheetML namespace or relationship."""
    z = zipfile.ZipFile(io.BytesIO(data))
    return [n for n in z.namelist()
            if any(u.encode() in z.read(n) for u in (TRANSITIONAL_MAIN, TRANSITIONAL_RELS))]
