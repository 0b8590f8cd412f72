"""xlwings Office.js / Lite: the same 校验 as a script, plus the custom functions.

Served by xlwings Server (``custom_scripts_call``) or pasted into xlwings Lite.
With ``XLWINGS_ON_SERVER`` unset the decorators are no-ops, so this module
imports anywhere. The client must load macros/officejs/protection.js, which
carries out the unprotect/re-protect calls the actions start and end with.
"""

from __future__ import annotations

import xlwings as xw

from . import validate
from .protection import unlocked


@xw.script(name="校验")
def check(book: xw.Book):
    """校验当前工作簿：标出问题单元格，并在“校验结果”表列出全部问题。"""
    # the client rejects writes to locked cells of a protected sheet: unprotect first, re-protect last
    with unlocked(book):
        validate.run(book)


@xw.script(name="清除标记")
def clear(book: xw.Book):
    """清除上一次校验留下的单元格标记与批注，恢复模板原有底色。"""
    with unlocked(book):
        validate.clear(book)
