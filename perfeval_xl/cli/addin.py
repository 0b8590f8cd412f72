"""``perfeval addin build|install``: the Excel ribbon add-in (绩效评价 → 校验)."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import EXIT_FAILED, EXIT_OK, UserError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "addin",
        help="Excel 加载项（功能区“绩效评价 → 校验”按钮）：生成与安装",
        description="生成或安装 Excel 加载项 perfeval_xl.xlam。说明见 macros/README.md。",
    )
    parser.set_defaults(func=lambda args: _usage(parser))
    sub = parser.add_subparsers(dest="addin_command", metavar="子命令")

    build = sub.add_parser(
        "build",
        help="基于 xlwings 的功能区加载项生成 perfeval_xl.xlam",
        description="复制 xlwings 的 quickstart_addin_ribbon.xlam（VBA 不变），"
        "写入 macros/customUI.xml 的功能区和 macros/addin.conf.yml 的配置。",
    )
    build.add_argument(
        "--out",
        type=Path,
        default=Path("perfeval_xl.xlam"),
        metavar="路径",
        help="输出文件或目录（默认：当前目录下的 perfeval_xl.xlam；文件名必须是 perfeval_xl.xlam）",
    )
    build.set_defaults(func=_build)

    install = sub.add_parser(
        "install",
        help="把加载项放入 Excel 启动文件夹 XLSTART（仅 Windows）",
        description="复制到 %APPDATA%\\Microsoft\\Excel\\XLSTART；不指定 --file 时直接生成到该文件夹。",
    )
    install.add_argument(
        "--file",
        type=Path,
        default=None,
        metavar="路径",
        help="已生成的 perfeval_xl.xlam（默认：重新生成）",
    )
    install.add_argument(
        "--force",
        action="store_true",
        help="XLSTART 中已有的加载项含有不同的 VBA（如导入的 UDF 包装函数）时仍然覆盖；原文件先备份到 XLSTART 的上一级文件夹",
    )
    install.set_defaults(func=_install)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return EXIT_FAILED


def _build(args: argparse.Namespace) -> int:
    from ..xl import addin  # lazy: keeps `perfeval --help` from importing yaml/defusedxml

    try:
        sources = addin.load_sources()
        path = addin.build_addin(args.out)
    except addin.AddinError as exc:
        raise UserError(str(exc)) from None
    print(f"已生成 Excel 加载项：{path}")
    print(f"  模板：xlwings {addin.xlwings_version()} 的 {addin.XLWINGS_ADDIN_NAME}（VBA 原样保留）")
    print(f"  功能区与配置来源：{sources.origin}")
    print(f"  配置表 myaddin.conf：UDF Modules = {sources.config.get('UDF Modules') or '（空）'}")
    print(
        "下一步：在 Windows 上运行 perfeval addin install --file <该文件>，"
        "或手动复制到 %APPDATA%\\Microsoft\\Excel\\XLSTART 后重启 Excel。"
    )
    print(f"注意：Windows 上的 Python 需安装 perfeval-xl 和 xlwings {addin.xlwings_version()}（与生成时的版本一致）。")
    return EXIT_OK


def _install(args: argparse.Namespace) -> int:
    from ..xl import addin

    try:
        path = addin.install_addin(args.file, force=args.force)
    except addin.AddinError as exc:
        raise UserError(str(exc)) from None
    print(f"已安装 Excel 加载项：{path}")
    print("请重新启动 Excel，功能区应出现“绩效评价”选项卡。卸载时删除该文件即可。")
    return EXIT_OK
