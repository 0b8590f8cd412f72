"""Write validated values into a copy of a template (openpyxl keeps protection, names and validation)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Mapping

from ..errors import UserError
from .reader import read_workbook


def same_file(a: Path, b: Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve() or (Path(b).exists() and os.path.samefile(a, b))
    except OSError:
        return False


def fill_file(template: Path, values: Mapping[str, object], out: Path) -> Path:
    from openpyxl import load_workbook

    from .template_writer import fill_values

    if same_file(template, out):
        raise UserError("输出文件不能与模板相同：原文件不会被改写")
    data = read_workbook(template, with_formulas=False)
    if not data.is_template:
        reason = "；".join(p.detail or p.code for p in data.problems) or "缺少模板标识"
        raise UserError(f"{template} 不是本工具生成的模板（{reason}）")
    wb = load_workbook(template)
    fill_values(wb, values)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # write next to the target, then rename: a failed save never leaves half a file
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=out.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out
