"""The desktop add-in's 校验 button: ``RunMain`` → ``perfeval_xl.main()`` → here."""

from __future__ import annotations

from . import validate


def main() -> None:
    import xlwings as xw

    from ..template.writer import password

    book = xw.Book.caller()  # the custom add-in passes the *active* workbook (xlwings.md §4)
    # The sheets stay protected for the user; UserInterfaceOnly lets this code colour cells.
    for sheet in book.sheets:
        try:
            sheet.api.Protect(Password=password(), UserInterfaceOnly=True)
        except Exception:  # a sheet protected with another password: marks there are skipped by Excel
            pass
    validate.run(book, formulas=True)
