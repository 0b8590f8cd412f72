"""perfeval rules: list every consistency rule (the registry describes itself)."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("rules", help="列出全部校验规则", description="输出每条校验规则的编号、名称、类别、严重程度与说明。")
    p.add_argument("--format", choices=("md", "json"), default="md", help="md：Markdown 表格（默认）；json：完整的规则注册表")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..docs.rules import native_summary, rules_json, rules_table
    from ..rules.registry import REGISTRY, RULESET_VERSION

    if args.format == "json":
        print(rules_json())
    else:
        print(f"# 校验规则（规则集 v{RULESET_VERSION}，共 {len(REGISTRY)} 条）\n")
        print(native_summary() + "\n")
        print("\n".join(rules_table()))
    return 0
