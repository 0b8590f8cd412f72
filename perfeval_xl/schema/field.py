"""The field declaration: one frozen record per input or derived cell.

Everything the template, the reader, the docs and the checker know about a
cell comes from here; nothing else restates a label, a unit or a bound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum


class FieldType(str, Enum):
    MONEY = "money"  # 万元, Decimal
    COUNT = "count"  # whole persons / items
    PERCENT = "percent"  # held as percentage points (95.10 means 95.10%)
    NUMBER = "number"  # other measured quantities (㎡, 件 …)
    TEXT = "text"
    LONGTEXT = "longtext"  # wrapped narrative paragraphs for the report
    DATE = "date"
    ENUM = "enum"

    @property
    def numeric(self) -> bool:
        return self in (FieldType.MONEY, FieldType.COUNT, FieldType.PERCENT, FieldType.NUMBER)

    @property
    def label_zh(self) -> str:
        return {
            "money": "金额",
            "count": "整数",
            "percent": "百分比",
            "number": "数值",
            "text": "文本",
            "longtext": "长文本",
            "date": "日期",
            "enum": "选项",
        }[self.value]


DEFAULT_DECIMALS = {
    FieldType.MONEY: 2,
    FieldType.COUNT: 0,
    FieldType.PERCENT: 2,
    FieldType.NUMBER: 2,
}

DEFAULT_UNIT = {
    FieldType.MONEY: "万元",
    FieldType.PERCENT: "%",
}

_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
# A defined name must not read as an A1 or R1C1 reference.
_CELL_LIKE = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*)$")


@dataclass(frozen=True)
class Field:
    """One cell of the template.

    ``id`` is the stable ascii key used everywhere (data files, JSON, rules).
    ``sheet``/``block`` place it; its address is computed by the layout.
    A field with ``formula`` is derived: locked, computed in the workbook.
    """

    id: str
    label: str
    type: FieldType
    sheet: str = ""
    block: str = ""
    unit: str = ""
    decimals: int | None = None
    required: bool = False
    min: Decimal | None = None
    max: Decimal | None = None
    help: str = ""
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    formula: str | None = None  # Excel formula over {field.id} placeholders
    row_label: str = ""  # the label printed in the row (grids: the row's label)
    column_label: str = ""  # grids/tables: the column header
    tags: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise ValueError(f"bad field id {self.id!r}")
        if self.type is FieldType.ENUM and not self.choices:
            raise ValueError(f"{self.id}: enum without choices")

    @property
    def is_input(self) -> bool:
        return self.formula is None

    @property
    def defined_name(self) -> str:
        name = self.id.replace(".", "_")
        if _CELL_LIKE.match(name):
            raise ValueError(f"{self.id}: defined name {name} reads as a cell reference")
        return name

    @property
    def precision(self) -> int:
        """Declared decimals (numbers only)."""
        if self.decimals is not None:
            return self.decimals
        return DEFAULT_DECIMALS.get(self.type, 0)

    @property
    def unit_label(self) -> str:
        return self.unit or DEFAULT_UNIT.get(self.type, "")

    @property
    def may_be_negative(self) -> bool:
        """Whether a value of this field can be below 0 (no lower bound, or a negative one)."""
        return self.type.numeric and (self.min is None or self.min < 0)
