"""Lifting the template's sheet protection for one 校验 run and restoring it exactly.

The template locks every sheet; the button must colour cells and fill 校验结果.
Protection comes off before the first write and goes back in a ``finally``, with
the options the template declares (template/protection.py), so users can still
resize rows and columns afterwards.

* Excel desktop (COM): Unprotect/Protect on each protected sheet, options read
  from the sheet itself before unprotecting, so protection returns exactly as it was.
* Office.js (xlwings Server / Lite): Python cannot touch protection directly; it
  brackets its actions with two ``runMacro`` calls that the client's JavaScript
  (macros/officejs/protection.js) carries out before and after the writes.

The password is the one the workbook records (KEY_NAME), else the documented
setting PERFEVAL_PASSWORD, else the default the generator uses.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field

from ..template.protection import KEY_NAME, PROTECTION, excel_protect_kwargs, officejs_options
from ..template.writer import DEFAULT_PASSWORD, PASSWORD_ENV

JS_UNPROTECT = "perfevalUnprotectSheets"
JS_PROTECT = "perfevalProtectSheets"


@dataclass
class Unlocked:
    locked: set[str] = field(default_factory=set)  # protected sheets whose password did not match: do not write there


def _unquote(refers_to: str | None) -> str | None:
    text = (refers_to or "").lstrip("=").strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('""', '"')
    return None


def sheet_password(book) -> str:
    try:
        recorded = _unquote(book.names[KEY_NAME].refers_to)
    except Exception:  # no record (an older template, or a client that sends no constant names)
        recorded = None
    return recorded or os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD


@contextmanager
def unlocked(book):
    engine = book.app.engine.name
    if engine == "excel":
        with _excel(book) as state:
            yield state
    elif engine == "remote":
        with _officejs(book) as state:
            yield state
    else:  # engines that cannot write (calamine) have nothing to unlock
        yield Unlocked()


@contextmanager
def _officejs(book):
    names = [s.name for s in book.sheets]
    pwd = sheet_password(book)
    # The client unprotects only sheets that are protected and remembers which, so the
    # closing call restores those and leaves an unprotected sheet unprotected.
    book.app.macro(JS_UNPROTECT)(names, pwd)
    try:
        yield Unlocked()
    finally:
        book.app.macro(JS_PROTECT)(names, pwd, officejs_options())


@contextmanager
def _excel(book):  # pragma: no cover - needs Excel on Windows (macros/README.md, Windows checklist)
    pwd = sheet_password(book)
    state = Unlocked()
    restore = []
    for sheet in book.sheets:
        api = sheet.api
        if not api.ProtectContents:
            continue
        allowed = _allowed_now(api)
        try:
            api.Unprotect(Password=pwd)
        except Exception:  # another password: leave the sheet alone, and write nothing there
            state.locked.add(sheet.name)
            continue
        restore.append((api, allowed))
    try:
        yield state
    finally:
        for api, allowed in restore:
            api.Protect(Password=pwd, Contents=True, **excel_protect_kwargs(allowed))


def _allowed_now(api) -> dict[str, bool]:  # pragma: no cover - Excel only
    """The sheet's current options, so protection comes back as the sheet had it."""
    out = {}
    for o in PROTECTION:
        try:  # ProtectDrawingObjects / ProtectScenarios on the sheet, the Allow* on its .Protection
            if o.excel_inverted:
                out[o.openpyxl] = not getattr(api, "Protect" + o.excel)
            else:
                out[o.openpyxl] = bool(getattr(api.Protection, o.excel))
        except Exception:  # an Excel without this switch: keep the declared value
            pass
    return out
