"""perfeval status: who submitted, who is missing, who still has errors."""

from __future__ import annotations

from pathlib import Path

from . import EXIT_FINDINGS, EXIT_OK, UserError


def register(sub) -> None:
    p = sub.add_parser(
        "status",
        help="报送情况：谁已报送、谁未报送、谁仍有错误",
        description="将应报送单位名单（CSV：预算编码/部门名称/邮箱）与收件台账对照，按部门名称或发件人邮箱匹配；"
        "结果打印并写入 目录/status.csv 与 status.json。退出码：0 全部合格，1 有未报送或有错误，2 用法错误。",
    )
    p.add_argument("--expected", type=Path, required=True, metavar="departments.csv", help="应报送单位名单")
    p.add_argument("--out", type=Path, required=True, metavar="目录", help="perfeval intake 的输出目录（含台账）")
    p.set_defaults(func=run)


def run(args) -> int:
    from rich.console import Console

    from ..intake.ledger import LEDGER_NAME, Ledger
    from ..intake.status import compute, print_status, read_expected, write_status

    expected = read_expected(args.expected)
    path = args.out / LEDGER_NAME
    if not path.is_file():
        raise UserError(f"{args.out} 中没有收件台账（{LEDGER_NAME}），请先运行 perfeval intake")
    with Ledger(path) as ledger:
        report = compute(expected, ledger)
    csv_path, _ = write_status(report, args.out)
    console = Console()
    print_status(report, console)
    console.print(f"已写入 {csv_path}", markup=False, highlight=False)
    return EXIT_OK if report.complete else EXIT_FINDINGS
