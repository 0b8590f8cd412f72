"""The schema: every field of the template, declared once.

``SCHEMA`` maps field id -> ``Field``; ``SHEETS`` gives their order and placement.
This package imports no I/O library.
"""

from .field import Field, FieldType
from .layout import Cell, CheckSpec, a1_position, Column, Form, Grid, GridRow, Layout, Sheet, Table, col_letter, fields_by_id
from .sheets import SHEETS

TEMPLATE_ID = "perfeval-xl/dept-overall-expenditure"
TEMPLATE_TITLE = "部门整体支出绩效评价基础数据表"
TEMPLATE_VERSION = "1.1"
# Versions a reader still recognises as this template (older ones get a coded finding).
KNOWN_VERSIONS = ("1.1",)

SCHEMA: dict[str, Field] = dict(fields_by_id(SHEETS))
INPUTS: dict[str, Field] = {k: f for k, f in SCHEMA.items() if f.is_input}
SHEET_BY_ID = {s.id: s for s in SHEETS}


def label_of(field_id: str | None) -> str:
    """The Chinese label of a field, for people; an unknown id is shown as it is."""
    if not field_id:
        return ""
    f = SCHEMA.get(field_id)
    return f.label if f else field_id

__all__ = [
    "Cell",
    "CheckSpec",
    "Column",
    "Field",
    "FieldType",
    "Form",
    "Grid",
    "GridRow",
    "INPUTS",
    "KNOWN_VERSIONS",
    "Layout",
    "SCHEMA",
    "SHEETS",
    "SHEET_BY_ID",
    "Sheet",
    "TEMPLATE_ID",
    "TEMPLATE_TITLE",
    "TEMPLATE_VERSION",
    "Table",
    "a1_position",
    "col_letter",
    "label_of",
]
