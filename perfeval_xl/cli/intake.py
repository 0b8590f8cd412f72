"""perfeval intake: the finance bureau's intake of submitted workbooks.

SOURCE is any mix of workbook files, folders (recursive), .eml, .mbox, Maildir,
.zip and .msg (the latter only with the optional GPL extra ``perfeval-xl[msg]``);
``--imap`` reads the mailbox named by PERFEVAL_IMAP_* environment variables.
Exit codes: 0 nothing needs attention, 1 some submission has errors or security
findings (or could not be processed), 2 usage problems.
"""

from __future__ import annotations

import errno
import sqlite3
import sys
from pathlib import Path

from . import EXIT_FINDINGS, EXIT_OK, UserError


def register(sub) -> None:
    p = sub.add_parser(
        "intake",
        help="收件：批量接收、预检、校验报送的工作簿并生成回执",
        description="收件处理：来源可以是工作簿、文件夹（递归）、.eml、.mbox、Maildir、.zip、.msg（需可选组件 perfeval-xl[msg]，GPL）；"
        "--imap 从环境变量 PERFEVAL_IMAP_HOST/_PORT/_USER/_PASSWORD/_MAILBOX/_SSL 指定的邮箱读取未读邮件。"
        "每份报送先做安全预检（SEC 规则），通过后校验、生成标注副本、回执与回复草稿；台账、汇总表写入 --out。"
        "退出码：0 无需处理，1 有错误或安全问题，2 用法错误。",
    )
    p.add_argument("sources", nargs="*", type=Path, metavar="来源", help="工作簿、文件夹、.eml、.mbox、Maildir、.zip")
    p.add_argument("--out", type=Path, required=True, metavar="目录", help="输出目录（原件、标注副本、回执、台账、汇总）")
    p.add_argument("--imap", action="store_true", help="从 IMAP 邮箱读取未读邮件（连接参数见环境变量，密码不在命令行上）")
    p.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="并行处理进程数（输出顺序与进程数无关）")
    p.add_argument("--send", action="store_true", help="用 SMTP 发送回复（服务器见环境变量 PERFEVAL_SMTP_*）")
    p.add_argument("--expected", type=Path, metavar="departments.csv", help="应报送单位名单（预算编码/部门名称/邮箱），处理后输出报送情况")
    p.add_argument("--no-annotate", action="store_true", help="不生成标注副本（更快）")
    p.add_argument("--max-size-mb", type=float, default=None, metavar="MB", help="单个文件大小上限（默认 25 MB）；邮件大小上限随之按同一比例调整（默认 60 MB，即 2.4 倍）")
    p.add_argument("-q", "--quiet", action="store_true", help="不显示进度条与明细")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..intake.batch import Config, run_intake
    from ..preflight import Limits
    from ..intake.sources import ImapSettings, ImapSource, iter_sources

    if not args.sources and not args.imap:
        raise UserError("请指定至少一个来源，或使用 --imap")
    if args.jobs < 1:
        raise UserError("-j 必须至少为 1")
    expected = None
    if args.expected is not None:
        from ..intake.status import read_expected

        expected = read_expected(args.expected)
    for src in args.sources:
        if not src.exists():
            raise UserError(f"找不到来源：{src}")
    limits = Limits()
    if args.max_size_mb is not None:
        if args.max_size_mb <= 0:
            raise UserError("--max-size-mb 必须大于 0")
        limits = limits.with_file_limit(int(args.max_size_mb * (1 << 20)))
    sender = None
    if args.send:
        from ..intake.receipt import SmtpSender

        sender = SmtpSender()
    out = args.out
    # a message over the limit is copied here range by range, then kept under rejected/ as the evidence
    imap = ImapSource(ImapSettings.from_env(), max_bytes=limits.max_message_bytes, spool=out / ".imap-spool") if args.imap else None
    cfg = Config(out=str(out), limits=limits, annotate=not args.no_annotate)

    def envelopes():
        if args.sources:
            yield from iter_sources(args.sources, exclude=[out])
        if imap is not None:
            yield from imap.envelopes()

    from rich.console import Console

    console = Console(stderr=True)
    show = not args.quiet and console.is_terminal
    try:
        return _run(args, cfg, envelopes, imap, sender, expected, console, show, out)
    except sqlite3.DatabaseError as exc:  # a damaged ledger: nothing is overwritten, the user is told what to do
        raise UserError(f"台账文件 {out / 'ledger.sqlite3'} 无法使用（{exc}）。台账可能已损坏：请将其移走或从备份恢复后重新运行；"
                        "已保存的原件不受影响。") from exc
    except OSError as exc:  # disk full, read-only --out: what was recorded stays consistent, a rerun completes the batch
        what = "磁盘空间不足" if exc.errno == errno.ENOSPC else ("输出目录只读或无写入权限" if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM)
                                                        else (exc.strerror or str(exc)))
        raise UserError(f"无法写入输出目录 {out}：{what}（{exc.filename or ''}）。已记录的报送保持完整，处理好后重新运行即可继续。") from exc


def _run(args, cfg, envelopes, imap, sender, expected, console, show, out) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..intake.batch import run_intake

    try:
        if show:
            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          console=console, transient=True) as progress:
                outcome = run_intake(envelopes(), cfg, jobs=args.jobs, imap=imap, sender=sender, progress=progress,
                                     expected=expected)
        else:
            outcome = run_intake(envelopes(), cfg, jobs=args.jobs, imap=imap, sender=sender, expected=expected)
    finally:
        if imap is not None:
            imap.close()
        if sender is not None:
            sender.close()
    _print(outcome, args, Console())
    if expected is not None:
        from ..intake.ledger import LEDGER_NAME, Ledger
        from ..intake.status import compute, print_status, write_status

        with Ledger(out / LEDGER_NAME) as ledger:
            status = compute(expected, ledger)
        write_status(status, out)
        if not args.quiet:
            print_status(status, Console())
    return EXIT_FINDINGS if outcome.needs_attention else EXIT_OK


def _print(outcome, args, console) -> None:
    from ..intake.ledger import STATUS_ZH

    if not args.quiet:
        for r in outcome.submissions:
            who = r["department"] or r["file_name"]
            extra = f"（重复：同第 {r['duplicate_of']} 号）" if r["status"] == "duplicate" else ""
            if r["supersedes"]:
                extra += f"（替代第 {r['supersedes']} 号）"
            console.print(f"#{r['id']:>4} {STATUS_ZH.get(r['status'], r['status']):<4} 错误 {r['errors']:>3} 安全 {r['security']:>2}  "
                          f"{who}{extra}", markup=False, highlight=False)
    counts: dict[str, int] = {}
    for r in outcome.submissions:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    shown = "，".join(f"{STATUS_ZH.get(k, k)} {v}" for k, v in sorted(counts.items()))
    console.print(f"处理 {outcome.processed} 件（已处理过、跳过 {outcome.skipped} 件），报送 {len(outcome.submissions)} 份"
                  + (f"：{shown}" if shown else ""), markup=False, highlight=False)
    if outcome.moved:
        console.print(f"IMAP：移入 Processed {outcome.moved.get('processed', 0)} 封，移入 Rejected {outcome.moved.get('rejected', 0)} 封",
                      markup=False, highlight=False)
    if args.send:
        console.print(f"已发送回复 {outcome.sent} 封", markup=False, highlight=False)
    for f in outcome.failures + outcome.send_errors:
        print(f"警告：{f}", file=sys.stderr)
    if outcome.summary:
        console.print(f"汇总：{outcome.summary[0]}，{outcome.summary[1]}", markup=False, highlight=False)
