"""perfeval examples: regenerate the bundled template and filled examples."""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("examples", help="重新生成模板与示例工作簿", description="由字段声明与 examples/data 下的数据文件重新生成 workbook_templates/。")
    p.add_argument("--out", type=Path, default=None, help="输出目录（默认仓库中的 workbook_templates/）")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..examples import ROOT, build_all

    for path in build_all(args.out or ROOT):
        print(f"已生成：{path}")
    return 0
