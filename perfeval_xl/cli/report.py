"""perfeval report: the 部门整体支出绩效评价报告 (.docx, optionally PDF) written from a filled workbook.

Refuses a workbook with 错误 findings unless ``--force``; the forced report carries a
visible 未通过校验 notice listing them.
"""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser(
        "report",
        help="根据已填报的工作簿生成评价报告（.docx）",
        description="校验并评分已填报的工作簿，生成《部门整体支出绩效评价报告》。数字均取自工作簿或由其计算；"
        "文字说明未填写处显示“【待填写：…】”。工作簿有错误时拒绝生成，除非加 --force。",
    )
    p.add_argument("workbook", type=Path, metavar="FILLED", help="已填报的工作簿（.xlsx）")
    p.add_argument("--out", "-o", type=Path, required=True, metavar="报告.docx", help="输出的 Word 文件")
    p.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 转换为 PDF（与 .docx 同目录）")
    p.add_argument("--force", action="store_true", help="工作簿有错误时仍生成报告（开头标注“未通过校验”）")
    p.add_argument("--profile", metavar="V1", default=None, help="评分方案（默认取工作簿中记录的方案，否则 V1）")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..report import generate

    result = generate(args.workbook, args.out, profile=args.profile, force=args.force, pdf=args.pdf)
    print(f"报告：{result.docx}（评分方案 {result.profile}）")
    if result.pdf:
        print(f"PDF：{result.pdf}")
    if result.errors:
        print(f"注意：工作簿有 {result.errors} 项错误，报告已标注“未通过校验”。")
    if result.rounding:
        print(f"舍入差异 {result.rounding} 处，已在附表后说明。")
    return 0
