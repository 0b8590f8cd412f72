"""Cell notes (legacy comments) added to a worksheet part: the comments part and its VML drawing.

Excel shows a note only when both exist: the text lives in ``commentN.xml``,
the box in a VML drawing the sheet references with ``<legacyDrawing>``. Notes
already in the workbook keep their parts; ours are added to them (a cell that
already had a note gets ours in front of its text, as openpyxl's writer did).

The VML is treated as text, not parsed: Excel's own VML is not always
well-formed XML. Each shape we append declares its namespaces itself.
"""

from __future__ import annotations

import re

from lxml import etree

from .xlsx_patch import MAIN, OFFICE_REL, PatchError, Package, WORKSHEET_ORDER, place, q, split_address

_SHAPE_ID = re.compile(rb'id="_x0000_s(\d+)"')
_IDMAP = re.compile(rb'<[^>]*idmap[^>]*\bdata="([0-9, ]+)"')
_VML_NS = ('xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel"')
_SHAPETYPE = (f'<v:shapetype {_VML_NS} id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
              'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
              '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')


def comment_text(comment: etree._Element) -> str:
    """The plain text of a note, as openpyxl reads it (runs joined, phonetic hints left out)."""
    text = comment.find(q("text"))
    if text is None:
        return ""
    parts = [text.findtext(q("t")) or ""]
    parts += [r.findtext(q("t")) or "" for r in text.iterfind(q("r"))]
    return "".join(parts)


class Notes:
    """The notes of one worksheet part, read and extended."""

    def __init__(self, pkg: Package, sheet_part: str, sheet: etree._Element):
        self.pkg, self.part, self.sheet = pkg, sheet_part, sheet
        found = pkg.related(sheet_part, "comments")
        self.comments_part = found[0][1] if found and pkg.has(found[0][1]) else None
        self.root = pkg.edit(self.comments_part) if self.comments_part else None
        self._by_ref = {}
        if self.root is not None:
            for c in self.root.iter(q("comment")):
                self._by_ref[c.get("ref", "").upper()] = c
        self._new_shapes: list[tuple[int, int, int, int]] = []  # (row, col, width, height)

    def existing(self, address: str) -> str | None:
        c = self._by_ref.get(address)
        return comment_text(c) if c is not None else None

    def put(self, address: str, text: str, author: str, width: int, height: int) -> None:
        """Set the note of ``address`` to ``text`` (replacing one already there)."""
        if self.root is None:
            self.root = etree.Element(q("comments"), nsmap={None: MAIN})
            etree.SubElement(self.root, q("authors"))
            etree.SubElement(self.root, q("commentList"))
        authors = self.root.find(q("authors"))
        names = [a.text for a in authors.iterfind(q("author"))]
        if author not in names:
            etree.SubElement(authors, q("author")).text = author
            names.append(author)
        comment = self._by_ref.get(address)
        if comment is None:
            comment = etree.SubElement(self.root.find(q("commentList")), q("comment"), ref=address)
            self._by_ref[address] = comment
            row, col = split_address(address)
            self._new_shapes.append((row - 1, col - 1, width, height))
        else:
            for old in list(comment):
                comment.remove(old)
        comment.set("authorId", str(names.index(author)))
        t = etree.SubElement(etree.SubElement(comment, q("text")), q("t"))
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def finish(self) -> None:
        """Write the comments part and the new VML shapes, adding parts and relationships as needed."""
        if self.root is None:
            return
        pkg = self.pkg
        if self.comments_part is None:
            self.comments_part = pkg.free_name("xl/comments/comment{}.xml")
            pkg.add_part(self.comments_part, self.root, "comments")
            pkg.relate(self.part, "comments", self.comments_part)
        if not self._new_shapes:
            return
        legacy = self.sheet.find(q("legacyDrawing"))
        vml_part = pkg.target(self.part, legacy.get(f"{{{OFFICE_REL}}}id")) if legacy is not None else None
        if vml_part and pkg.has(vml_part):
            data = pkg.read(vml_part)
            end = data.rfind(b"</xml>")
            if end < 0:
                raise PatchError(f"{vml_part} 不是可识别的 VML")
            first = max((int(m) for m in _SHAPE_ID.findall(data)), default=_block(pkg) * 1024) + 1
            shapes = _shapes(self._new_shapes, first)
            if b"_x0000_t202" not in data:
                shapes = _SHAPETYPE + shapes
            pkg.replace(vml_part, data[:end] + shapes.encode() + data[end:])
            return
        if legacy is not None:  # a legacyDrawing pointing nowhere: Excel would repair it away; replace it
            self.sheet.remove(legacy)
        block = _block(pkg) + 1
        vml_part = pkg.free_name("xl/drawings/vmlDrawing{}.vml")
        body = (f'<xml {_VML_NS}><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/></o:shapelayout>'
                + _SHAPETYPE + _shapes(self._new_shapes, block * 1024 + 1) + "</xml>")
        pkg.add_part(vml_part, body.encode(), "vmlDrawing")
        rid = pkg.relate(self.part, "vmlDrawing", vml_part)
        el = etree.Element(q("legacyDrawing"))
        el.set(f"{{{OFFICE_REL}}}id", rid)
        place(self.sheet, el, WORKSHEET_ORDER)


def _block(pkg: Package) -> int:
    """The highest VML shape-id block (o:idmap) any drawing in the package uses."""
    top = 0
    for name in pkg.names():
        if name.lower().endswith(".vml"):
            for m in _IDMAP.findall(pkg.read(name)):
                top = max([top, *(int(x) for x in re.split(rb"[, ]+", m.strip()) if x)])
    return top


def _shapes(specs: list[tuple[int, int, int, int]], first_id: int) -> str:
    return "".join(
        f'<v:shape {_VML_NS} id="_x0000_s{first_id + i}" type="#_x0000_t202" '
        f'style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:{w}px;height:{h}px;z-index:{i + 1};visibility:hidden" '
        'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow color="black" obscured="t"/>'
        '<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
        '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:AutoFill>False</x:AutoFill>'
        f"<x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>"
        for i, (row, col, w, h) in enumerate(specs)
    )
