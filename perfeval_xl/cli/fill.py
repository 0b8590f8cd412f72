"""perfeval fill: prefill a template from data keyed by field id."""

from __future__ import annotations

import sys
from pathlib import Path

from . import UserError


def register(sub) -> None:
    p = sub.add_parser("fill", help="按字段编号预填模板", description="把 JSON/CSV 数据（字段编号 → 值）写入模板的输入单元格。出错时不写任何文件。")
    p.add_argument("template", type=Path, help="模板工作簿")
    p.add_argument("--data", type=Path, required=True, help="数据文件（.json 或 .csv）")
    p.add_argument("--out", type=Path, required=True, help="输出的已填报工作簿")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..readers.data_file import load
    from ..template.filler import fill_file

    try:
        values, errors = load(args.data)
    except (OSError, ValueError) as exc:
        raise UserError(str(exc)) from None
    if errors:
        print(f"数据有 {len(errors)} 处错误，未写入任何文件：", file=sys.stderr)
        for e in errors:
            print(f"  - {e}", file=sys.stderr)
        return 2
    fill_file(args.template, values, args.out)
    print(f"已写入 {len(values)} 个字段：{args.out}")
    return 0
