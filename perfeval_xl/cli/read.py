"""perfeval read: every input of a filled workbook, keyed by field id, with its cell."""

from __future__ import annotations

from pathlib import Path

from . import UserError


def register(sub) -> None:
    p = sub.add_parser("read", help="读取已填报工作簿的全部输入", description="按字段编号输出全部输入值及其单元格地址。")
    p.add_argument("workbook", type=Path, metavar="工作簿", help="由本工具模板填报的工作簿（.xlsx）")
    p.add_argument("--format", choices=("json", "table"), default="table", help="table：终端表格（默认）；json：字段编号 → 名称、单元格、值")
    p.add_argument("--all", action="store_true", help="连同空白字段一起输出")
    p.set_defaults(func=run)


def read_inputs(path: Path) -> dict[str, dict]:
    from ..readers.workbook import read_workbook
    from ..schema import INPUTS
    from ..schema.values import coerce

    data = read_workbook(path, with_formulas=False)
    if not data.readable or not data.is_template:
        reason = "；".join(p.detail or p.code for p in data.problems) or "缺少模板标识（不是本工具生成的模板）"
        raise UserError(f"无法读取 {path}：{reason}")
    out = {}
    for fid, f in INPUTS.items():
        raw = data.raw.get(fid)
        value, problem = coerce(f, raw)
        sheet, cell = data.addresses[fid]
        entry = {"label": f.label, "sheet": sheet, "cell": cell, "value": value}
        if problem:
            entry["problem"] = problem.code
            entry["raw"] = raw
        out[fid] = entry
    return out


def run(args) -> int:
    from ..outputs.serialize import dumps

    entries = read_inputs(args.workbook)
    if not args.all:
        entries = {k: v for k, v in entries.items() if v["value"] is not None or "problem" in v}
    if args.format == "json":
        print(dumps(entries, indent=1))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table("字段编号", "名称", "单元格", "值", title=str(args.workbook))
    for fid, e in entries.items():
        shown = "" if e["value"] is None else str(e["value"])
        if "problem" in e:
            shown = f"[red]{e['raw']!r}（{e['problem']}）[/red]"
        table.add_row(fid, e["label"], f"{e['sheet']}!{e['cell']}", shown)
    Console().print(table)
    return 0
