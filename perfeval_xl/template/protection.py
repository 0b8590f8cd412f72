"""The template's sheet protection, declared once: what a user may still do on a
protected sheet, and where the workbook records its password.

The writer applies it with openpyxl; the 校验 button takes protection off for its
run and puts back exactly this, through Excel (COM) or an Office.js client. The
three APIs name the same switch differently, so each option carries all three names.
"""

from __future__ import annotations

from dataclasses import dataclass

# A hidden workbook-level name holding the sheet password the template was generated with,
# so the button can lift and restore protection on a machine where PERFEVAL_PASSWORD is not set.
# The protection guards against slips of the hand, not against a determined user (any
# openpyxl-style protection can be stripped), so carrying the password costs no secrecy.
KEY_NAME = "PE_SHEET_KEY"


@dataclass(frozen=True)
class Option:
    allowed: bool  # may a user do this on a protected template sheet?
    openpyxl: str  # SheetProtection attribute; True there means "locked"
    excel: str  # keyword of Excel's Worksheet.Protect (and, for Allow*, a property of .Protection)
    officejs: str  # key of Office.js WorksheetProtectionOptions (allow…)
    excel_inverted: bool = False  # DrawingObjects/Scenarios say "protect", the Allow* say "allow"


PROTECTION = (
    # Accountants widen columns and rows for long names and wrapped notes; everything else stays locked.
    Option(True, "formatColumns", "AllowFormattingColumns", "allowFormatColumns"),
    Option(True, "formatRows", "AllowFormattingRows", "allowFormatRows"),
    # A figure cell's number format says what the report printed (0.00% for “95.10%”): the checker reads it
    # as the cell's precision, so accountants may set it.
    Option(True, "formatCells", "AllowFormattingCells", "allowFormatCells"),
    Option(False, "insertColumns", "AllowInsertingColumns", "allowInsertColumns"),
    Option(False, "insertRows", "AllowInsertingRows", "allowInsertRows"),
    Option(False, "insertHyperlinks", "AllowInsertingHyperlinks", "allowInsertHyperlinks"),
    Option(False, "deleteColumns", "AllowDeletingColumns", "allowDeleteColumns"),
    Option(False, "deleteRows", "AllowDeletingRows", "allowDeleteRows"),
    Option(False, "sort", "AllowSorting", "allowSort"),
    Option(False, "autoFilter", "AllowFiltering", "allowAutoFilter"),
    Option(False, "pivotTables", "AllowUsingPivotTables", "allowPivotTables"),
    # openpyxl's defaults leave drawing objects and scenarios unprotected; Excel's Protect() would lock them
    Option(True, "objects", "DrawingObjects", "allowEditObjects", excel_inverted=True),
    Option(True, "scenarios", "Scenarios", "allowEditScenarios", excel_inverted=True),
)


def openpyxl_attributes() -> dict[str, bool]:
    return {o.openpyxl: not o.allowed for o in PROTECTION}


def excel_protect_kwargs(allowed: dict[str, bool] | None = None) -> dict[str, bool]:
    """Keywords for Worksheet.Protect; ``allowed`` (option openpyxl name → allowed) overrides the declaration."""
    out = {}
    for o in PROTECTION:
        ok = o.allowed if allowed is None else allowed.get(o.openpyxl, o.allowed)
        out[o.excel] = (not ok) if o.excel_inverted else ok
    return out


def officejs_options() -> dict[str, bool]:
    return {o.officejs: o.allowed for o in PROTECTION}
