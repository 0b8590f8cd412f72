"""perfeval template: write the locked template workbook."""

from __future__ import annotations

from pathlib import Path

from . import UserError

DEFAULT_OUT = Path("workbook_templates") / "部门整体支出绩效评价模板.xlsx"


def register(sub) -> None:
    p = sub.add_parser("template", help="生成模板工作簿", description="由字段声明生成带保护、命名与数据验证的模板工作簿。")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"输出路径（默认 {DEFAULT_OUT}）")
    p.add_argument("--year", type=int, help="预填评价年度")
    p.add_argument("--dept", help="预填部门名称")
    p.add_argument("--profile", default=None, help="评分方案编号（默认 V1 长沙区县），或 perfeval profile import 生成的 .yml 文件")
    p.add_argument("--udf", action="store_true", help="评分表使用 xlwings 自定义函数，而非原生公式")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..template.writer import DEFAULT_PROFILE, build_template

    if args.year is not None and not 2000 <= args.year <= 2100:
        raise UserError(f"年度应在 2000–2100 之间：{args.year}")
    from .profile_arg import load_profile

    profile = load_profile(args.profile) if args.profile else DEFAULT_PROFILE
    from ..indicators import PROFILES

    if args.udf and not isinstance(profile, str) and profile.id not in PROFILES:
        raise UserError("导入的评分方案暂不支持 --udf 版本（自定义函数按方案编号查找方案），请去掉 --udf")
    path = build_template(args.out, profile=profile, udf=args.udf, year=args.year, dept=args.dept)
    print(f"已生成模板：{path}")
    return 0
