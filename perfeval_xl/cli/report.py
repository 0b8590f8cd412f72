"""perfeval report: the 部门整体支出绩效评价报告 (.docx, optionally PDF) written from a filled workbook.

``--mode 发布`` (default) writes the text a department publishes; ``--mode 审核`` adds the
reviewer's annex. Refuses a workbook with 错误 findings unless ``--force``; what is missing
or wrong is printed here and written to the companion 待补充.txt, never into the 发布 text.
"""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser(
        "report",
        help="根据已填报的工作簿生成评价报告（.docx）",
        description="校验并评分已填报的工作簿，生成《部门整体支出绩效评价报告》（含封面、得分表、图表和由数据草拟的问题与建议）。"
        "数字均取自工作簿或由其计算；缺少数字的句子不写入正文，缺什么列在终端和同名的“.待补充.txt”中。"
        "工作簿有错误时拒绝生成，除非加 --force。",
    )
    p.add_argument("workbook", type=Path, metavar="FILLED", help="已填报的工作簿（.xlsx）")
    p.add_argument("--out", "-o", type=Path, required=True, metavar="报告.docx", help="输出的 Word 文件")
    p.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 转换为 PDF（与 .docx 同目录）")
    p.add_argument("--mode", choices=("发布", "审核"), default="发布",
                   help="发布（默认）：部门对外公开的正文，不含校验信息；审核：另附审核附件（校验结果及单元格、推算数字、待补充清单）")
    p.add_argument("--force", action="store_true", help="工作簿有错误时仍生成报告（错误列在终端和待补充清单中；审核模式在开头标注“未通过校验”）")
    p.add_argument("--profile", metavar="V1", default=None, help="评分方案（默认取工作簿中记录的方案，否则 V1）")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..report import generate

    result = generate(args.workbook, args.out, profile=args.profile, force=args.force, pdf=args.pdf, mode=args.mode)
    print(f"报告：{result.docx}（{args.mode}模式，评分方案 {result.profile}）")
    if result.pdf:
        print(f"PDF：{result.pdf}")
    if result.errors:
        print(f"注意：工作簿有 {result.errors} 项错误，修正前报告不得作为正式结论：")
        for i, line in enumerate(result.error_lines, 1):
            print(f"  {i}. {line}")
    if result.gaps:
        print(f"待补充 {len(result.gaps)} 项（正文已略去相应内容）：")
        for i, gap in enumerate(result.gaps, 1):
            print(f"  {i}. {gap}")
    if result.rounding:
        print(f"舍入差异 {result.rounding} 处（见审核模式的审核附件）。")
    print(f"待补充清单：{result.todo}")
    return 0
