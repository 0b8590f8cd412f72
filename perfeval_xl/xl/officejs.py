"""xlwings Office.js / Lite: the same 校验 as a script, plus the custom functions.

Served by xlwings Server (``custom_scripts_call``) or pasted into xlwings Lite.
With ``XLWINGS_ON_SERVER`` unset the decorators are no-ops, so this module
imports anywhere.
"""

from __future__ import annotations

import xlwings as xw

from . import validate


@xw.script(name="校验")
def check(book: xw.Book):
    """校验当前工作簿：标出问题单元格，并在“校验结果”表列出全部问题。"""
    validate.run(book)


@xw.script(name="清除标记")
def clear(book: xw.Book):
    """清除上一次校验留下的单元格标记与批注，恢复模板原有底色。"""
    validate.clear(book)
