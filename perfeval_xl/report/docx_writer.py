"""Lay the report ``Document`` out as a .docx (python-docx): A4, 公文-style fonts, bordered tables.

East Asian text needs its own font slot (``w:eastAsia``): setting ``font.name`` alone only
changes the Latin font, and Word/LibreOffice would then show Chinese in the theme font.
Fonts are the usual Windows/WPS ones (仿宋, 黑体, 楷体, 宋体); where they are missing
(e.g. a Linux server) LibreOffice falls back to an installed CJK font for the PDF.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .model import Chart, Cover, Document, Heading, Notice, PageBreak, Paragraph, Table, runs_of

BODY_FONT = "仿宋"
HEADING_FONTS = {1: "黑体", 2: "楷体", 3: "仿宋"}
TITLE_FONT = "宋体"
TABLE_FONT = "仿宋"
LATIN_FONT = "Times New Roman"

BODY_SIZE = Pt(14)  # 四号
TITLE_SIZE = Pt(20)
HEADING_SIZES = {1: Pt(15), 2: Pt(14), 3: Pt(14)}
TABLE_SIZE = Pt(9)  # 小五
NOTE_SIZE = Pt(11)
LINE = Pt(26)  # fixed line pitch of the body

TITLE_TAIL = "部门整体支出绩效评价报告"
TITLE_LINE = 22  # characters of 二号 text that fit one line of the A4 text block

# U+2060 WORD JOINER between a figure and its unit: "1941.98万元" never breaks across lines
_NUMBER_UNIT = re.compile(r"(?<=\d)(万元|亿元|人次|元|%|％|人|个|项|件|条|次|分|㎡|亩|批)")
WORD_JOINER = "\u2060"
COMMENT_AUTHOR = "评价报告草稿"


def bind_units(text: str) -> str:
    """Glue a figure to its unit, and the unit's own characters together ("1.30万元" is one unit of line breaking)."""
    return _NUMBER_UNIT.sub(lambda m: WORD_JOINER + WORD_JOINER.join(m.group(1)), text)


BLACK = RGBColor(0, 0, 0)
RED = RGBColor(0xC0, 0x00, 0x00)
GREY = RGBColor(0x59, 0x59, 0x59)


def set_fonts(target, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set the Latin and East Asian fonts of a run or style (``w:rFonts``), dropping theme fonts."""
    target.font.name = latin
    rpr = target.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), latin)
    # the hint lets Word take ambiguous characters (“ ” …) from the East Asian font. No w:lang
    # eastAsia="zh-CN": under it LibreOffice's Chinese line breaking ignores U+2060 and splits
    # "1.30万元" as "1.30万 / 元" (see bind_units)
    rfonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        rpr.remove(lang)


def _style(doc, name: str, east_asia: str, size, bold: bool = False, color=BLACK):
    st = doc.styles[name]
    set_fonts(st, east_asia)
    st.font.size = size
    st.font.bold = bold
    st.font.italic = False
    st.font.color.rgb = color
    return st


def _setup(doc) -> None:
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(30), Mm(28)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    sec.header_distance, sec.footer_distance = Mm(15), Mm(15)

    normal = _style(doc, "Normal", BODY_FONT, BODY_SIZE)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    for level in (1, 2, 3):
        st = _style(doc, f"Heading {level}", HEADING_FONTS[level], HEADING_SIZES[level], bold=True)
        hpf = st.paragraph_format
        hpf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        hpf.line_spacing = LINE
        hpf.space_before = Pt(6) if level == 1 else Pt(0)
        hpf.space_after = Pt(0)
        hpf.first_line_indent = Pt(28)
        hpf.keep_with_next = True
    title = _style(doc, "Title", TITLE_FONT, TITLE_SIZE, bold=True)
    tpf = title.paragraph_format
    tpf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tpf.space_before = Pt(0)
    tpf.space_after = Pt(18)
    tpf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    # python-docx's default Title has a bottom border: remove it
    ppr = title.element.get_or_add_pPr()
    for el in ppr.findall(qn("w:pBdr")):
        ppr.remove(el)
    _page_number_footer(sec)


def _page_number_footer(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run("— ")
    set_fonts(r, BODY_FONT)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    inner = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    inner.append(t)
    fld.append(inner)
    p._p.append(fld)
    r2 = p.add_run(" —")
    set_fonts(r2, BODY_FONT)
    for run in (r, r2):
        run.font.size = Pt(12)


def _add_runs(p, runs, size=None, font: str | None = None, color=None) -> None:
    for run in runs:
        r = p.add_run(bind_units(run.text))
        if font:
            set_fonts(r, font)
        if size is not None:
            r.font.size = size
        if color is not None:
            r.font.color.rgb = color
        if run.mark == "placeholder":
            r.font.highlight_color = WD_COLOR_INDEX.YELLOW
            r.font.bold = True
            r.font.color.rgb = RED
        elif run.mark == "missing":
            r.font.highlight_color = WD_COLOR_INDEX.GRAY_25
        elif run.mark == "alert":
            r.font.color.rgb = RED
            r.font.bold = True
        elif run.mark == "bold":
            r.font.bold = True
        elif run.mark == "draft":
            r.font.highlight_color = WD_COLOR_INDEX.YELLOW
        if run.comment:
            p.part.document.add_comment(r, text=run.comment, author=COMMENT_AUTHOR, initials="草")


def _paragraph(doc, block: Paragraph) -> None:
    if block.style == "draft_heading":
        p = doc.add_paragraph(style="Heading 2")
        _add_runs(p, block.runs)
        return
    p = doc.add_paragraph()
    pf = p.paragraph_format
    size = None
    color = None
    if block.style in ("body", "narrative"):
        pf.first_line_indent = Pt(28)
        # left, not justified: a justified CJK line before an unbreakable figure stretches
        # ("1941.98 万 元 ， 占"); CJK wraps at any character, so the right edge stays even
        pf.alignment = WD_ALIGN_PARAGRAPH.LEFT
    elif block.style == "note":
        size = NOTE_SIZE
        color = GREY
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pf.space_after = Pt(3)
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    elif block.style == "signature":
        pf.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        pf.right_indent = Pt(28)
        pf.keep_with_next = True
    elif block.style == "meta":
        pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
        size = Pt(12)
        pf.space_after = Pt(6)
    _add_runs(p, block.runs, size=size, color=color)


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _borders(table, color: str = "000000", size: int = 4) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), color)
        borders.append(el)
    for old in tblpr.findall(qn("w:tblBorders")):
        tblpr.remove(old)
    tblpr.append(borders)


def _cell_margins(table, side_mm: float = 1.2, top_mm: float = 0.4) -> None:
    """Narrow cell margins: a 万元 column must hold "12345.67" on one line."""
    tblpr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for edge, mm in (("top", top_mm), ("left", side_mm), ("bottom", top_mm), ("right", side_mm)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(int(mm * 56.7)))  # twips
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    for old in tblpr.findall(qn("w:tblCellMar")):
        tblpr.remove(old)
    tblpr.append(mar)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def _cell_text(cell, text: str, *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.alignment = align
    for run in runs_of(text):
        r = p.add_run(bind_units(run.text))
        set_fonts(r, TABLE_FONT)
        r.font.size = TABLE_SIZE
        r.font.bold = bold
        if run.mark == "missing":
            r.font.highlight_color = WD_COLOR_INDEX.GRAY_25
        elif run.mark == "placeholder":
            r.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _text_width(doc) -> int:
    sec = doc.sections[0]
    return sec.page_width - sec.left_margin - sec.right_margin


def _table(doc, block: Table) -> None:
    if block.title:
        p = doc.add_paragraph()
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_before = Pt(6)
        r = p.add_run(block.title)
        set_fonts(r, HEADING_FONTS[1])
        r.font.size = Pt(12)
    if not block.header:
        return
    ncols = len(block.header)
    t = doc.add_table(rows=1 + len(block.rows), cols=ncols)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    _borders(t)
    _cell_margins(t)
    widths = block.widths or tuple(1.0 for _ in range(ncols))
    scale = _text_width(doc) / sum(widths)
    col_widths = [int(w * scale) for w in widths]
    for i, w in enumerate(col_widths):
        t.columns[i].width = w
    hdr = t.rows[0]
    _repeat_header(hdr)
    for i, h in enumerate(block.header):
        c = hdr.cells[i]
        c.width = col_widths[i]
        _cell_text(c, h, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(c, "D9D9D9")
    for ri, row in enumerate(block.rows):
        tr = t.rows[ri + 1]
        _cant_split(tr)
        bold = ri in block.total_rows
        for ci, text in enumerate(row):
            c = tr.cells[ci]
            c.width = col_widths[ci]
            align = WD_ALIGN_PARAGRAPH.RIGHT if ci in block.numeric else WD_ALIGN_PARAGRAPH.LEFT
            _cell_text(c, text, bold=bold, align=align)
    for note in block.notes:
        p = doc.add_paragraph()
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.paragraph_format.space_after = Pt(4)
        r = p.add_run(note)
        set_fonts(r, BODY_FONT)
        r.font.size = Pt(10)
        r.font.color.rgb = GREY


def _notice(doc, block: Notice) -> None:
    t = doc.add_table(rows=1, cols=1)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    color = "C00000" if block.kind == "error" else "595959"
    _borders(t, color=color, size=12)
    cell = t.rows[0].cells[0]
    cell.width = _text_width(doc)
    _shade(cell, "FDE9E9" if block.kind == "error" else "F2F2F2")
    p = cell.paragraphs[0]
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    r = p.add_run(block.title)
    set_fonts(r, HEADING_FONTS[1])
    r.font.size = Pt(12)
    r.font.bold = True
    r.font.color.rgb = RED if block.kind == "error" else BLACK
    for line in block.lines:
        q = cell.add_paragraph()
        q.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        q.paragraph_format.first_line_indent = Pt(0)
        rr = q.add_run(line)
        set_fonts(rr, BODY_FONT)
        rr.font.size = Pt(10.5)
    doc.add_paragraph()


def _cover(doc, block: Cover) -> None:
    """封面: the title a third down the page, the labelled lines, the issuing bureau at the foot."""
    for _ in range(5):
        doc.add_paragraph()
    title = doc.add_paragraph()
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    # year / department / 部门整体支出绩效评价报告 on lines of their own: a long name never wraps mid-word
    head, sep, tail = block.title.rpartition(TITLE_TAIL)
    year, _, dept = head.partition("年度")
    parts = [p for p in ((f"{year}年度" if dept else ""), dept or head, sep + tail) if p] if sep else [block.title]
    for i, part in enumerate(parts):
        r = title.add_run(part)
        set_fonts(r, TITLE_FONT)
        r.font.size = Pt(22)
        r.font.bold = True
        if i < len(parts) - 1:
            r.add_break()
    for _ in range(4):
        doc.add_paragraph()
    for label, value in block.lines:
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Mm(22)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.paragraph_format.line_spacing = Pt(34)
        r = p.add_run(f"{label}：")
        set_fonts(r, HEADING_FONTS[1])
        r.font.size = Pt(15)
        v = p.add_run(value or "\u3000" * 12)
        set_fonts(v, BODY_FONT)
        v.font.size = Pt(15)
        v.font.underline = True
    # the bureau's line is part of the layout: blank, it is a rule to write on, like the lines above;
    # a space before it rather than empty paragraphs, so a three-line title still keeps the cover to one page
    p = doc.add_paragraph()
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(72)
    p.paragraph_format.keep_together = True
    if not block.issuer:
        blank = p.add_run("\u3000" * 8)
        blank.font.size = Pt(16)
        blank.font.underline = True
    r = p.add_run(block.issuer or "（制）")
    set_fonts(r, HEADING_FONTS[1])
    r.font.size = Pt(16)


def _chart(doc, block: Chart) -> None:
    from .charts import render

    p = doc.add_paragraph()
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.keep_with_next = False
    p.add_run().add_picture(io.BytesIO(render(block)), width=Mm(150))


def _title(doc, text: str) -> None:
    title = doc.add_paragraph(style="Title")
    head, sep, tail = text.rpartition(TITLE_TAIL)
    if sep and head and len(text) > TITLE_LINE:
        # "2020年度长沙市芙蓉区人民政府办公室" / "部门整体支出绩效评价报告": break between the two, not inside a word
        title.add_run(head).add_break()
        title.add_run(sep + tail)
    else:
        title.add_run(text)


def write_docx(report: Document, path: Path | str) -> Path:
    """Write ``report`` to ``path`` (.docx) and return the path."""
    path = Path(path)
    doc = new_docx()
    _setup(doc)
    props = doc.core_properties
    props.title = report.title
    props.author = report.dept
    props.comments = ""
    props.language = "zh-CN"

    titled = False
    for i, block in enumerate(report.blocks):
        if isinstance(block, Cover):
            _cover(doc, block)
            doc.sections[0].different_first_page_header_footer = True  # no page number on the cover
            continue
        if not titled and not isinstance(block, PageBreak):
            _title(doc, report.title)
            titled = True
        if isinstance(block, Heading):
            h = doc.add_paragraph(style=f"Heading {block.level}")
            h.add_run(block.text)
            if block.level == 1 and (block.text.startswith("附表") or block.text.startswith("审核附件")):
                h.paragraph_format.first_line_indent = Pt(0)
        elif isinstance(block, Paragraph):
            _paragraph(doc, block)
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Notice):
            _notice(doc, block)
        elif isinstance(block, Chart):
            _chart(doc, block)
        elif isinstance(block, PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


__all__ = ["write_docx", "set_fonts"]
