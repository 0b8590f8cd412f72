"""perfeval profile import: a bureau's 指标表 workbook → a scoring profile (.yml)."""

from __future__ import annotations

from pathlib import Path

from . import EXIT_FAILED, EXIT_OK, UserError


def register(sub) -> None:
    p = sub.add_parser("profile", help="评分方案：由财政局的指标表导入", description="评分方案相关命令。")
    psub = p.add_subparsers(dest="profile_command", metavar="子命令")
    imp = psub.add_parser(
        "import", help="由指标表工作簿生成评分方案",
        description="读取财政局下发的《部门整体支出绩效评价指标表》（.xlsx），逐项匹配可自动计算的指标并识别评价标准，"
        "其余列为评价组评分项；分值不平时拒绝导入并指出行号。",
    )
    imp.add_argument("table", type=Path, help="指标表工作簿（.xlsx）")
    imp.add_argument("--out", type=Path, required=True, help="输出的评分方案文件（.yml）")
    imp.add_argument("--id", default=None, help="方案编号（默认取输出文件名）")
    imp.add_argument("--name", default=None, help="方案名称（默认取表格标题）")
    imp.add_argument("--sheet", default=None, help="指标表所在工作表（默认自动查找）")
    imp.set_defaults(func=run_import)
    bundle = psub.add_parser(
        "bundle", help="由 workbook_templates/profiles/ 中的指标表重新生成自带评分方案",
        description="自带的评分方案以指标表工作簿为准（workbook_templates/profiles/*.xlsx），本命令用同一导入逻辑生成其 .yml。",
    )
    bundle.set_defaults(func=run_bundle)
    p.set_defaults(func=lambda args: (p.print_help(), EXIT_FAILED)[1])


def import_file(table: Path, *, profile_id: str, name: str | None = None, sheet: str | None = None):
    from ..indicators.table_import import import_table
    from ..readers.score_table import read_table

    try:
        grid, merges, title = read_table(table, sheet)
    except FileNotFoundError:
        raise UserError(f"找不到文件 {table}") from None
    except KeyError:
        raise UserError(f"{table} 中没有工作表“{sheet}”") from None
    except Exception as e:  # not an xlsx, corrupt …
        raise UserError(f"无法读取 {table}：{type(e).__name__}") from None
    return import_table(grid, merges, profile_id=profile_id, name=name, source=f"{table.name}（{title}）")


IMPORTED_HEAD = "# 由 perfeval profile import 生成；可手工修改，但 levels 的分值须保持平衡（二级 = 三级之和，一级 = 二级之和，合计 100）。"


def dump(data: dict, head: str = IMPORTED_HEAD) -> str:
    import yaml

    return head + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def run_import(args) -> int:
    from ..indicators.profile import profile_from_data
    from ..indicators.table_import import TableError

    pid = args.id or args.out.stem
    try:
        result = import_file(args.table, profile_id=pid, name=args.name, sheet=args.sheet)
        profile_from_data(result.data)  # what the template and the engine will load
    except (TableError, ValueError) as e:
        raise UserError(f"{args.table}：{e}") from None
    for line in result.report_lines():
        print(line)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(dump(result.data), encoding="utf-8")
    print(f"已写出评分方案：{args.out}")
    return EXIT_OK


def bundled_tables():
    """(table workbook, generated .yml) of every bundled profile."""
    from importlib import resources

    from ..examples import ROOT

    folder = Path(str(resources.files("perfeval_xl.indicators") / "profiles"))
    return [(x, folder / f"{x.stem}.yml") for x in sorted((ROOT / "profiles").glob("*.xlsx"))]


def bundled_text(table: Path) -> str:
    result = import_file(table, profile_id=table.stem)
    return dump(result.data, f"# 由 workbook_templates/profiles/{table.name} 经 perfeval profile bundle 生成：请改工作簿，不要改本文件。")


def run_bundle(args) -> int:
    for table, yml in bundled_tables():
        yml.write_text(bundled_text(table), encoding="utf-8")
        print(f"已生成：{yml}")
    return EXIT_OK
