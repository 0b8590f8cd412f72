"""Colouring flagged cells and taking the colours off again.

The template's own fills are declared (input yellow, computed grey, labels
none) and the sheets are protected, so a mark is undone by restoring the
declared fill: no snapshot is needed and nothing is written into input cells.
The marked addresses are kept in a hidden column of 校验结果 so a later
run (or 清除标记) finds them even after the workbook was saved and reopened.
"""

from __future__ import annotations

from functools import lru_cache

from ..check.marks import MARK_RGB, cell_marks
from ..schema import SCHEMA
from ..template.layout import layout
from ..template.results_layout import findings_first_row

MARK_FILL = {s: f"#{rgb}" for s, rgb in MARK_RGB.items()}
INPUT_FILL = "#FFF2CC"
DERIVED_FILL = "#EDEDED"
MARKS_COLUMN = "J"  # hidden column of 校验结果 holding 'sheet'!A1 of every marked cell
FIRST_ROW = findings_first_row()  # below the template's live native checks
SECTION_ROW = FIRST_ROW - 2  # the heading of the listed findings, with their counts (the header row follows)


@lru_cache(maxsize=1)
def _declared_fills() -> dict[tuple[str, str], str]:
    lay = layout()
    out = {}
    for f in SCHEMA.values():
        c = lay.cell(f.id)
        out[(lay.sheet_title(c.sheet), c.address)] = INPUT_FILL if f.is_input else DERIVED_FILL
    for p in lay.checks:
        for c in (p.expected_cell, p.diff_cell):
            out[(lay.sheet_title(c.sheet), c.address)] = DERIVED_FILL
    return out


def declared_fill(sheet: str, address: str) -> str | None:
    """The fill the template generator gave this cell (None: no fill)."""
    return _declared_fills().get((sheet, address))


def apply_marks(book, findings, locked=frozenset()) -> list[tuple[str, str]]:
    present = {s.name for s in book.sheets} - set(locked)
    done = []
    for (sheet, address), mark in sorted(cell_marks(findings).items()):
        if sheet not in present:
            continue
        rng = book.sheets[sheet].range(address)
        rng.color = MARK_FILL[mark.severity]
        _replace_note(rng, "\n".join(mark.lines)[:2000])
        done.append((sheet, address))
    return done


def clear_marks(book, marked: list[tuple[str, str]], locked=frozenset()) -> int:
    present = {s.name for s in book.sheets} - set(locked)
    n = 0
    for sheet, address in marked:
        if sheet not in present:
            continue
        rng = book.sheets[sheet].range(address)
        rng.color = declared_fill(sheet, address)
        try:
            rng.note.delete()
        except Exception:  # no note there (or an engine without notes): nothing to remove
            pass
        n += 1
    return n


def _replace_note(rng, text: str) -> None:
    try:
        if rng.note is not None:
            rng.note.delete()
    except Exception:  # engines that cannot tell whether a note exists
        pass
    try:
        rng.add_note(text)
    except NotImplementedError:  # clients without note support still get colours and the 校验结果 sheet
        pass
