"""Where every field sits: sheets made of blocks, blocks made of rows.

Three block shapes cover the whole report:

* ``Form``  – one field per row: label | value | unit | 应为 | 差异 | 说明
* ``Grid``  – rows × fixed columns (e.g. 三公经费 × 上年预算/上年决算/本年预算/本年决算)
* ``Table`` – N numbered rows × typed columns (e.g. the 30-row 项目支出 list)

Field ids are derived from the block id: a grid cell is ``<block>.<row>.<col>``,
a table cell ``<block>.rNN.<col>``. Addresses are computed, never written down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping, Sequence

from .field import Field, FieldType


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: FieldType = FieldType.MONEY
    unit: str = ""
    decimals: int | None = None
    min: object = None
    max: object = None
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    help: str = ""
    width: float = 14
    formula: str | None = None  # table columns may be derived per row: {row.<col>} placeholders


# A table column that shows an identity of its row (应为, 差异) instead of a formula of its own: the template
# writes it from the rule declared for the row's stated figure (template/formulas.field_formula).
IDENTITY_EXPECTED = "{identity.expected}"
IDENTITY_DIFF = "{identity.diff}"


@dataclass(frozen=True)
class GridRow:
    key: str
    label: str
    help: str = ""
    min: object = None
    required: bool = False


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    fields: tuple[Field, ...]
    note: str = ""

    def all_fields(self, sheet: str) -> list[Field]:
        return [replace(f, sheet=sheet, block=self.id, row_label=f.row_label or f.label) for f in self.fields]


@dataclass(frozen=True)
class Grid:
    id: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[GridRow, ...]
    note: str = ""

    def field_id(self, row: str, col: str) -> str:
        return f"{self.id}.{row}.{col}"

    def all_fields(self, sheet: str) -> list[Field]:
        out = []
        for r in self.rows:
            for c in self.columns:
                out.append(
                    Field(
                        id=self.field_id(r.key, c.key),
                        label=f"{r.label.strip('　 ')}（{c.label}）",
                        type=c.type,
                        sheet=sheet,
                        block=self.id,
                        unit=c.unit,
                        decimals=c.decimals,
                        min=r.min if r.min is not None else c.min,
                        max=c.max,
                        choices=c.choices,
                        help=r.help or c.help,
                        required=r.required,
                        row_label=r.label,
                        column_label=c.label,
                    )
                )
        return out


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    n_rows: int
    columns: tuple[Column, ...]
    note: str = ""

    def row_key(self, i: int) -> str:
        return f"r{i:02d}"

    def field_id(self, i: int, col: str) -> str:
        return f"{self.id}.{self.row_key(i)}.{col}"

    def column_ids(self, col: str) -> list[str]:
        return [self.field_id(i, col) for i in range(1, self.n_rows + 1)]

    def all_fields(self, sheet: str) -> list[Field]:
        out = []
        for i in range(1, self.n_rows + 1):
            for c in self.columns:
                formula = None
                if c.formula:
                    formula = c.formula.replace("{row.", "{" + f"{self.id}.{self.row_key(i)}.")
                out.append(
                    Field(
                        id=self.field_id(i, c.key),
                        label=f"{self.title}第{i}行{c.label}",
                        type=c.type,
                        sheet=sheet,
                        block=self.id,
                        unit=c.unit,
                        decimals=c.decimals,
                        min=c.min,
                        max=c.max,
                        choices=c.choices,
                        max_length=c.max_length,
                        help=c.help,
                        formula=formula,
                        row_label=str(i),
                        column_label=c.label,
                    )
                )
        return out


Block = Form | Grid | Table


@dataclass(frozen=True)
class Sheet:
    id: str
    title: str  # the Excel sheet name (Chinese)
    heading: str
    blocks: tuple[Block, ...] = ()
    placeholder: str = ""  # sheets filled later by the scorer / checker
    label_width: float = 34
    value_width: float = 18  # forms' 填报数 column; wide for long-text sheets

    def all_fields(self) -> list[Field]:
        out: list[Field] = []
        for b in self.blocks:
            out.extend(b.all_fields(self.id))
        return out


# ----------------------------------------------------------------------------
# Computed positions


@dataclass(frozen=True)
class CheckSpec:
    """A live 应为/差异 pair the template shows next to a stated figure.

    ``expected`` is an Excel formula over ``{field.id}`` placeholders; the
    difference is always ``stated − expected``.  ``tolerance`` (an Excel expression
    over placeholders, same unit as the stated cell) is the widest difference rounding
    can explain given the figures that are filled. ``blank_parts`` (an Excel expression)
    counts the blank, hence unknown, parts; with some blank, only ``bound`` can still
    be wrong: "lower" (the stated figure is below the filled parts), "upper", or "" (nothing).
    """

    rule_id: str
    stated: str  # field id
    expected: str
    tolerance: str
    label: str = ""
    percent: bool = False
    block: str | None = None  # force a check row into this block instead of beside the stated cell
    one_sided: bool = False  # only a shortfall (stated < expected) is wrong, e.g. 其中 rows
    blank_parts: str = ""  # "" when a blank part blanks the 应为 itself (ratios, changes)
    bound: str = ""


@dataclass(frozen=True)
class Cell:
    sheet: str  # sheet id
    row: int
    col: int

    @property
    def address(self) -> str:
        return f"{col_letter(self.col)}{self.row}"

    @property
    def abs_address(self) -> str:
        return f"${col_letter(self.col)}${self.row}"


def a1_position(address: str | None) -> tuple[int, int]:
    """(row, column), 1-based, of an A1 address ("B12", "$B$12"); (0, 0) when it is not one."""
    m = _A1.match((address or "").replace("$", "").upper())
    if not m:
        return (0, 0)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


_A1 = re.compile(r"^([A-Z]{1,3})(\d+)$")


def col_letter(col: int) -> str:
    s = ""
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


@dataclass
class BlockPlacement:
    block: Block
    title_row: int
    header_row: int | None
    first_row: int
    last_row: int
    columns: dict[str, int] = field(default_factory=dict)  # logical column -> sheet column


@dataclass
class SheetPlacement:
    sheet: Sheet
    blocks: list[BlockPlacement] = field(default_factory=list)
    labels: list[tuple[int, int, str, str]] = field(default_factory=list)  # row, col, text, style
    widths: dict[int, float] = field(default_factory=dict)
    last_row: int = 0
    freeze: str = "B4"


@dataclass
class CheckPlacement:
    spec: CheckSpec
    expected_cell: Cell
    diff_cell: Cell


class Layout:
    """Positions of every field and every 应为/差异 cell of the template."""

    TITLE_ROW = 1
    INFO_ROW = 2

    def __init__(self, sheets: Sequence[Sheet], checks: Iterable[CheckSpec] = ()):
        self.sheets = list(sheets)
        self.cells: dict[str, Cell] = {}
        self.placements: dict[str, SheetPlacement] = {}
        self.checks: list[CheckPlacement] = []
        self.table_rows: dict[str, list[int]] = {}
        by_stated: dict[str, list[CheckSpec]] = {}
        forced: dict[str, list[CheckSpec]] = {}
        for c in checks:
            (forced.setdefault(c.block, []) if c.block else by_stated.setdefault(c.stated, [])).append(c)
        for sheet in self.sheets:
            self.placements[sheet.id] = self._place_sheet(sheet, by_stated, forced)

    # -- form: A label | B value | C unit | D 应为 | E 差异 | F 说明
    def _place_sheet(self, sheet: Sheet, by_stated, forced) -> SheetPlacement:
        sp = SheetPlacement(sheet)
        sp.widths[1] = sheet.label_width
        # Blocks share the sheet's columns: units and help texts go right of the widest block,
        # so a narrow 单位 column of one block never sits under a wide 说明 column of another.
        data_last = max(
            [5 if isinstance(b, Form) else 1 + len(b.columns) for b in sheet.blocks] or [5]
        )
        has_grid = any(isinstance(b, Grid) for b in sheet.blocks)
        unit_col, help_col = (data_last + 1, data_last + 2) if has_grid else (3, data_last + 1)
        row = 3
        for block in sheet.blocks:
            row += 1 if sp.blocks else 0
            title_row = row
            sp.labels.append((row, 1, block.title, "block"))
            row += 1
            if isinstance(block, Form):
                bp = BlockPlacement(block, title_row, row, row + 1, row, {"value": 2, "unit": 3, "expected": 4, "diff": 5, "help": help_col})
                checked = block.id in forced or any(f.id in by_stated for f in block.fields)
                headers = ((1, "项目"), (2, "填报数"), (3, "单位"), (4, "应为" if checked else ""), (5, "差异" if checked else ""), (help_col, "填报说明"))
                for col, text in headers:
                    sp.labels.append((row, col, text, "header"))
                for col, w in ((2, sheet.value_width), (3, 8), (4, 14), (5, 12), (help_col, 60)):
                    sp.widths[col] = max(sp.widths.get(col, 0), w)
                for f in block.fields:
                    row += 1
                    self.cells[f.id] = Cell(sheet.id, row, 2)
                    sp.labels.append((row, 1, f.row_label or f.label, "label"))
                    sp.labels.append((row, 3, f.unit_label, "unit"))
                    sp.labels.append((row, help_col, f.help, "help"))
                    specs = by_stated.pop(f.id, [])
                    if specs:
                        first, rest = specs[0], specs[1:]
                        self.checks.append(CheckPlacement(first, Cell(sheet.id, row, 4), Cell(sheet.id, row, 5)))
                        for extra in rest:
                            row += 1
                            sp.labels.append((row, 1, extra.label or f"　{f.label}（另一口径）", "check"))
                            self.checks.append(CheckPlacement(extra, Cell(sheet.id, row, 4), Cell(sheet.id, row, 5)))
                for spec in forced.pop(block.id, []):
                    row += 1
                    sp.labels.append((row, 1, spec.label, "check"))
                    sp.labels.append((row, 3, "%" if spec.percent else "万元", "unit"))
                    self.checks.append(CheckPlacement(spec, Cell(sheet.id, row, 4), Cell(sheet.id, row, 5)))
                bp.last_row = row
            elif isinstance(block, Grid):
                cols = {c.key: 2 + i for i, c in enumerate(block.columns)}
                cols["unit"] = unit_col
                cols["help"] = help_col
                bp = BlockPlacement(block, title_row, row, row + 1, row, cols)
                sp.labels.append((row, 1, "项目", "header"))
                for c in block.columns:
                    sp.labels.append((row, cols[c.key], c.label, "header"))
                    sp.widths[cols[c.key]] = max(sp.widths.get(cols[c.key], 0), c.width)
                sp.labels.append((row, cols["unit"], "单位", "header"))
                sp.labels.append((row, cols["help"], "填报说明", "header"))
                sp.widths[cols["unit"]] = max(sp.widths.get(cols["unit"], 0), 8)
                sp.widths[cols["help"]] = max(sp.widths.get(cols["help"], 0), 48)
                for r in block.rows:
                    row += 1
                    sp.labels.append((row, 1, r.label, "label"))
                    units = dict.fromkeys(c.unit or ("%" if c.type is FieldType.PERCENT else "万元") for c in block.columns)
                    unit = "/".join(units)
                    sp.labels.append((row, cols["unit"], unit, "unit"))
                    sp.labels.append((row, cols["help"], r.help, "help"))
                    row_specs: list[tuple[int, CheckSpec]] = []
                    for c in block.columns:
                        fid = block.field_id(r.key, c.key)
                        self.cells[fid] = Cell(sheet.id, row, cols[c.key])
                        for s in by_stated.pop(fid, []):
                            row_specs.append((cols[c.key], s))
                    # one 应为/差异 row pair per check of a cell: a cell checked by two rules gets two pairs
                    layers: dict[int, list[CheckSpec]] = {}
                    for col, s in row_specs:
                        layers.setdefault(col, []).append(s)
                    for depth in range(max((len(v) for v in layers.values()), default=0)):
                        exp_row, diff_row = row + 1, row + 2
                        name = r.label.strip('　 ')
                        extra = "" if depth == 0 else f"（{next(v[depth] for v in layers.values() if len(v) > depth).rule_id}）"
                        sp.labels.append((exp_row, 1, f"　↳ {name} 应为{extra}", "check"))
                        sp.labels.append((diff_row, 1, f"　↳ {name} 差异{extra}", "check"))
                        for col, specs in layers.items():
                            if len(specs) > depth:
                                self.checks.append(CheckPlacement(specs[depth], Cell(sheet.id, exp_row, col), Cell(sheet.id, diff_row, col)))
                        row = diff_row
                bp.last_row = row
            elif isinstance(block, Table):
                cols = {"seq": 1}
                for i, c in enumerate(block.columns):
                    cols[c.key] = 2 + i
                bp = BlockPlacement(block, title_row, row, row + 1, row, cols)
                sp.labels.append((row, 1, "序号", "header"))
                for c in block.columns:
                    sp.labels.append((row, cols[c.key], c.label, "header"))
                    sp.widths[cols[c.key]] = max(sp.widths.get(cols[c.key], 0), c.width)
                rows = []
                for i in range(1, block.n_rows + 1):
                    row += 1
                    rows.append(row)
                    sp.labels.append((row, 1, str(i), "seq"))
                    for c in block.columns:
                        self.cells[block.field_id(i, c.key)] = Cell(sheet.id, row, cols[c.key])
                self.table_rows[block.id] = rows
                for spec in forced.pop(block.id, []):
                    row += 1
                    sp.labels.append((row, 1, spec.label, "check"))
                    # the table's own money column hosts 应为, the next one 差异
                    money_cols = [cols[c.key] for c in block.columns if c.type is FieldType.MONEY] or [2]
                    ec = money_cols[-1]
                    self.checks.append(CheckPlacement(spec, Cell(sheet.id, row, ec), Cell(sheet.id, row, ec + 1)))
                bp.last_row = row
            else:  # pragma: no cover - the Block union is closed
                raise TypeError(block)
            sp.blocks.append(bp)
        sp.last_row = row
        return sp

    def cell(self, field_id: str) -> Cell:
        return self.cells[field_id]

    def sheet_title(self, sheet_id: str) -> str:
        return self.placements[sheet_id].sheet.title

    def ref(self, field_id: str, absolute: bool = True) -> str:
        c = self.cells[field_id]
        return f"'{self.sheet_title(c.sheet)}'!{c.abs_address if absolute else c.address}"


def unplaced_checks(layout: Layout, checks: Iterable[CheckSpec]) -> list[CheckSpec]:
    placed = {id(p.spec) for p in layout.checks}
    return [c for c in checks if id(c) not in placed]


def fields_by_id(sheets: Sequence[Sheet]) -> Mapping[str, Field]:
    out: dict[str, Field] = {}
    for s in sheets:
        for f in s.all_fields():
            if f.id in out:
                raise ValueError(f"duplicate field id {f.id}")
            out[f.id] = f
    return out
