"""Write validated values into a copy of a template (openpyxl keeps protection, names and validation)."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from ..errors import UserError
from ..outputs.files import same_file, save_atomically
from ..readers.workbook import read_workbook


def fill_file(template: Path, values: Mapping[str, object], out: Path) -> Path:
    from openpyxl import load_workbook

    from .writer import fill_values

    if same_file(template, out):
        raise UserError("输出文件不能与模板相同：原文件不会被改写")
    data = read_workbook(template, with_formulas=False)
    if not data.is_template:
        reason = "；".join(p.detail or p.code for p in data.problems) or "缺少模板标识"
        raise UserError(f"{template} 不是本工具生成的模板（{reason}）")
    wb = load_workbook(template)
    fill_values(wb, values)
    save_atomically(wb, Path(out))
    return Path(out)
