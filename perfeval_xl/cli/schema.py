"""perfeval schema: the field documentation, generated from the declarations."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("schema", help="列出全部字段说明", description="输出每个字段的编号、名称、位置、类型、单位、精度与说明。")
    p.add_argument("--format", choices=("md", "json"), default="md", help="md：Markdown 表格（默认）；json：完整的字段声明")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..docs.fields import fields_json, fields_markdown

    print(fields_markdown() if args.format == "md" else fields_json())
    return 0
