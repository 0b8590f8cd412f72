"""New cell formats appended to styles.xml: a cell's own format with one thing changed.

A flagged cell keeps its number format, border, alignment and protection and
only gets our fill, exactly as ``cell.fill = …`` does in openpyxl; every
(format, change) pair is appended once and shared by the cells that need it.
Existing entries are never changed: other cells use them.
"""

from __future__ import annotations

import copy

from lxml import etree

from .xlsx_patch import PatchError, q

# CT_Xf: alignment, protection, extLst.
_XF_CHILDREN = ("alignment", "protection", "extLst")


class Styles:
    def __init__(self, root: etree._Element):
        self.root = root
        self.fonts, self.fills, self.xfs = (root.find(q(t)) for t in ("fonts", "fills", "cellXfs"))
        if self.fonts is None or self.fills is None or self.xfs is None or not len(self.xfs) or not len(self.fonts):
            raise PatchError("styles.xml 缺少字体、填充或单元格格式表")
        self._fills: dict[str, int] = {}
        self._fonts: dict[tuple, int] = {}
        self._xfs: dict[tuple, int] = {}

    def derive(self, base: int, *, fill: str | None = None, font: tuple | None = None,
               alignment: dict[str, str] | None = None) -> int:
        """Index of the format ``base`` with the given fill (RGB), font (see ``font_key``) or alignment."""
        key = (base, fill, font, tuple(sorted(alignment.items())) if alignment else None)
        if key in self._xfs:
            return self._xfs[key]
        if not 0 <= base < len(self.xfs):
            base = 0
        xf = copy.deepcopy(self.xfs[base])
        if fill is not None:
            xf.set("fillId", str(self._fill(fill)))
            xf.set("applyFill", "1")
        if font is not None:
            # replaces the font, as openpyxl's cell.font = … does: built on the workbook's default font
            xf.set("fontId", str(self._font(0, font)))
            xf.set("applyFont", "1")
        if alignment is not None:  # replaces the alignment, as openpyxl's cell.alignment = … does
            old = xf.find(q("alignment"))
            if old is not None:
                xf.remove(old)
            xf.insert(0, etree.Element(q("alignment"), alignment))
            xf.set("applyAlignment", "1")
        self._xfs[key] = _append(self.xfs, xf)
        return self._xfs[key]

    def _fill(self, rgb: str) -> int:
        if rgb not in self._fills:
            el = etree.Element(q("fill"))
            pattern = etree.SubElement(el, q("patternFill"), patternType="solid")
            etree.SubElement(pattern, q("fgColor"), rgb="FF" + rgb)
            etree.SubElement(pattern, q("bgColor"), indexed="64")
            self._fills[rgb] = _append(self.fills, el)
        return self._fills[rgb]

    def _font(self, base: int, key: tuple) -> int:
        """The font ``base`` (name kept) with bold / colour / underline / size of ``key``."""
        if (base, key) not in self._fonts:
            bold, rgb, underline, size = key
            if not 0 <= base < len(self.fonts):
                base = 0
            el = copy.deepcopy(self.fonts[base])
            for tag in ("b", "color", "u", "sz"):
                for old in el.findall(q(tag)):
                    el.remove(old)
            if bold:
                el.insert(0, etree.Element(q("b"), val="1"))
            if underline:
                el.append(etree.Element(q("u"), val=underline))
            if size:
                el.append(etree.Element(q("sz"), val=str(size)))
            if rgb:
                el.append(etree.Element(q("color"), rgb="FF" + rgb))
            self._fonts[(base, key)] = _append(self.fonts, el)
        return self._fonts[(base, key)]


def font_key(bold: bool = False, rgb: str | None = None, underline: str | None = None, size: float | None = None) -> tuple:
    return (bold, rgb, underline, size)


def _append(container: etree._Element, el: etree._Element) -> int:
    container.append(el)
    n = len(container.findall(el.tag))
    container.set("count", str(n))
    return n - 1
