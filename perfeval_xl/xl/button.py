"""The desktop add-in's 校验 button: ``RunMain`` → ``perfeval_xl.main()`` → here."""

from __future__ import annotations

from . import validate
from .protection import unlocked


def main(book=None) -> None:
    """Check the active workbook. ``book``: for a caller that already holds one (tests use
    xlwings' own ``Book.set_mock_caller`` instead, so the Book.caller() path runs too)."""
    import xlwings as xw

    book = book or xw.Book.caller()  # the custom add-in passes the *active* workbook (xlwings.md §4)
    # Protection comes off for the run and goes back exactly as the template had it, also on an error.
    with unlocked(book) as state:
        # only the desktop engine can read formulas; Office.js sends values
        validate.run(book, formulas=book.app.engine.name == "excel", locked=state.locked)
