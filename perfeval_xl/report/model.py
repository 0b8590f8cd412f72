"""The report as data: headings, paragraphs of marked runs, tables, notices (laid out by docx_writer)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from . import phrases as P
from .phrases import MISSING


PLACEHOLDER_PREFIX = "【待填写："


MISSING_CELL = "未填报"  # a blank figure in a table cell (the brackets of "（未填报）" cost a column its width)


NOT_COMPUTABLE = "—"  # a rate or sum that cannot be computed


_MARKS = re.compile(r"(【待填写：[^】]*】|（未填报）)")


@dataclass(frozen=True)
class Run:
    text: str
    mark: str = ""  # "" | "missing" (（未填报）) | "placeholder" (【待填写：…】) | "alert" | "bold" | "draft"
    comment: str = ""  # a Word comment anchored on the run (drafted 问题与建议: "请核实")


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    style: str = "body"  # body | narrative | note | signature | meta

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 一、  2 （一）  3 1.
    authored: bool = False  # a line of the author's narrative: never dropped, even with nothing under it


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()  # right-aligned columns
    widths: tuple[float, ...] = ()  # relative column widths
    notes: tuple[str, ...] = ()
    total_rows: tuple[int, ...] = ()  # row indexes printed bold (合计)


@dataclass(frozen=True)
class Notice:
    title: str
    lines: tuple[str, ...]
    kind: str = "error"  # error | info


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Cover:
    """The cover page in the layout bureaus issue: title, labelled lines, "XX财政局（制）"."""

    title: str
    lines: tuple[tuple[str, str], ...]  # (label, value); a blank value prints an empty rule
    issuer: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart drawn at write time (``charts.render``): grouped bars or a pie over categories."""

    title: str
    kind: str  # "bars" | "pie"
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[Decimal | None, ...]], ...]  # (name, one value per category)
    unit: str = "万元"


Block = Heading | Paragraph | Table | Notice | PageBreak | Cover | Chart


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)
    dept: str = ""
    year: int | None = None
    mode: str = "发布"
    gaps: list[str] = field(default_factory=list)  # 待补充: what the text had to leave out


    def text(self) -> str:
        """Plain text of the whole report (paragraphs, headings, notices and table cells)."""
        out: list[str] = [self.title]
        for b in self.blocks:
            if isinstance(b, Heading):
                out.append(b.text)
            elif isinstance(b, Paragraph):
                out.append(b.text)
            elif isinstance(b, Notice):
                out.append(b.title)
                out.extend(b.lines)
            elif isinstance(b, Cover):
                out.append(b.title)
                out.extend(f"{label}：{value}" for label, value in b.lines)
                out.append(b.issuer)
            elif isinstance(b, Chart):
                out.append(b.title)
                out.extend(b.categories)
            elif isinstance(b, Table):
                out.append(b.title)
                out.append("\t".join(b.header))
                out.extend("\t".join(r) for r in b.rows)
                out.extend(b.notes)
        return "\n".join(out)

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def runs_of(text: str, mark: str = "") -> tuple[Run, ...]:
    """Split text into runs, marking "（未填报）" and "【待填写：…】" wherever they occur
    (and a table cell that reads just "未填报")."""
    if text == MISSING_CELL:
        return (Run(text, "missing"),)
    out = []
    for part in _MARKS.split(text):
        if not part:
            continue
        if part == MISSING:
            out.append(Run(part, "missing"))
        elif part.startswith(PLACEHOLDER_PREFIX):
            out.append(Run(part, "placeholder"))
        else:
            out.append(Run(part, mark))
    return tuple(out)


def para(text: str, style: str = "body") -> Paragraph:
    return Paragraph(runs_of(text), style)


def placeholder(label: str) -> str:
    return f"{PLACEHOLDER_PREFIX}{label}】"


def cell(x: object, places: int = 2) -> str:
    """A figure in a table cell: fixed decimals, or "未填报"."""
    return MISSING_CELL if P.dec(x) is None else P.num(x, places)


def cell_pct(pp: Decimal | None) -> str:
    return NOT_COMPUTABLE if pp is None else P.pct(pp)


def _blank(text: str) -> bool:
    return text in (MISSING_CELL, NOT_COMPUTABLE, "")


def published(table: Table) -> Table:
    """A table as the 发布 text prints it: rows with no figure and figure columns with no entry
    dropped, a blank cell read as "—" (never "未填报")."""
    rows = [r for i, r in enumerate(table.rows)
            if i in table.total_rows or not table.numeric or not all(_blank(r[c]) for c in table.numeric)]
    keep = [c for c in range(len(table.header))
            if c not in table.numeric or any(not _blank(r[c]) for r in rows)]
    if not rows or not any(c in table.numeric for c in keep) and table.numeric:
        return Table(table.title, (), (), notes=())
    old_totals = [r for i, r in enumerate(table.rows) if i in table.total_rows]
    new_rows = tuple(tuple(NOT_COMPUTABLE if r[c] == MISSING_CELL else r[c] for c in keep) for r in rows)
    return Table(
        table.title,
        tuple(table.header[c] for c in keep),
        new_rows,
        numeric=tuple(keep.index(c) for c in table.numeric if c in keep),
        widths=tuple(table.widths[c] for c in keep) if table.widths else (),
        # a note defining a column that was dropped ("执行率 = …") goes with it
        notes=tuple(n for n in table.notes
                    if not any(n.startswith(table.header[c]) for c in range(len(table.header)) if c not in keep)),
        total_rows=tuple(i for i, r in enumerate(rows) if r in old_totals),
    )
