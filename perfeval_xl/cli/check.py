"""perfeval check: check filled workbooks, report on the terminal, as JSON, as an
annotated copy and as a summary workbook.

Exit codes: 0 no 错误, 1 错误 found, 2 some file could not be checked (or an
output could not be written, or the command line was wrong).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from . import EXIT_FAILED, EXIT_FINDINGS, EXIT_OK, UserError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")


@dataclass(frozen=True)
class Target:
    path: Path
    rel: Path  # where its annotated copy goes below an output folder


def register(sub) -> None:
    p = sub.add_parser(
        "check",
        help="校验已填报的工作簿",
        description="校验工作簿中的合计、滚存、比率与跨表核对关系。可指定文件或文件夹（递归查找 .xlsx/.xlsm/.xls）。"
        "退出码：0 无错误，1 发现错误，2 无法校验。",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="路径", help="工作簿文件或文件夹")
    p.add_argument("--json", action="store_true", help="输出 JSON（格式见 docs/report-json.md）")
    p.add_argument("--annotate", metavar="OUT", help="生成标注副本：标出问题单元格并填写“校验结果”表。多个文件时 OUT 为文件夹；单个文件时为文件路径，或已有文件夹/不带扩展名的路径（视为文件夹）")
    p.add_argument("--summary", type=Path, metavar="汇总.xlsx", help="生成汇总工作簿：每个文件一行，另附全部问题明细")
    p.add_argument("-q", "--quiet", action="store_true", help="只输出最后的汇总行")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="每个文件最多显示 N 条问题（终端输出）")
    p.set_defaults(func=run)


def expand(paths: list[Path], annotate_dir: Path | None = None) -> list[Target]:
    """Files as given; folders searched recursively for workbooks.

    A folder scan skips Excel's ~$ lock files and an existing annotate folder
    lying inside the scanned folder, so checking an inbox again does not pick
    up the copies the previous run left in it. Only a folder is ever skipped:
    a file named as OUT may be a submission, and then it is refused, not hidden.
    """
    out: list[Target] = []
    seen: set[Path] = set()
    for p in paths:
        if p.is_dir():
            skip = None
            if annotate_dir is not None and annotate_dir.is_dir():
                a, root = annotate_dir.resolve(), p.resolve()
                skip = a if a != root and a.is_relative_to(root) else None
            found = sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in WORKBOOK_SUFFIXES and not f.name.startswith("~$")
                and not (skip and f.resolve().is_relative_to(skip))
            )
            if not found:
                raise UserError(f"文件夹中没有 .xlsx/.xlsm/.xls 工作簿：{p}")
            items = [Target(f, f.relative_to(p)) for f in found]
        else:  # a missing path is reported as a file that could not be checked, not a crash
            items = [Target(p, Path(p.name))]
        for t in items:
            key = t.path.resolve()
            if key not in seen:
                seen.add(key)
                out.append(t)
    return out


def annotate_destinations(targets: list[Target], out_arg: str) -> dict[Path, Path]:
    """Input path → annotated copy path; refuses anything that would overwrite an input.

    ``out_arg`` is the raw argument: a trailing slash ("批注/") means a folder, and
    Path() would drop it.
    """
    from ..outputs.files import same_file

    out = Path(out_arg)
    as_dir = len(targets) > 1 or out.is_dir() or out_arg.endswith(("/", os.sep)) or not out.suffix
    if len(targets) > 1 and out.exists() and not out.is_dir():
        raise UserError(f"校验多个文件时，--annotate 须指定文件夹：{out} 是文件")
    dest = {t.path: (out / t.rel if as_dir else out) for t in targets}
    if not as_dir:
        src = targets[0].path
        if out.suffix.lower() != src.suffix.lower():
            raise UserError(f"标注副本的扩展名须与原文件一致（{src.suffix}）：{out}")
    _refuse_overwrite(list(dest.values()), [t.path for t in targets], "标注副本", same_file)
    if len(set(map(Path.resolve, dest.values()))) < len(dest):
        raise UserError("多个输入文件的标注副本会写到同一位置，请分别校验或改用文件夹输入")
    return dest


def _refuse_overwrite(outputs: list[Path], inputs: list[Path], what: str, same_file) -> None:
    for o in outputs:
        for i in inputs:
            if same_file(o, i):
                raise UserError(f"{what}会覆盖输入文件 {i}，已拒绝。请指定其他输出位置。")


def check_targets(targets: list[Target], each=None) -> list:
    """Every file through the pre-flight and a bounded worker: one hostile file cannot stop the batch.
    ``each(report)`` runs here as each report arrives, while the worker reads the next file."""
    from ..preflight.checked import check_files, warm

    warm()
    reports = []
    for report in check_files([t.path for t in targets]):
        if each is not None:
            each(report)
        reports.append(report)
    return reports


def json_document(reports: list) -> dict:
    return {**_document_head(reports), "files": [r.to_dict() for r in reports]}


def _document_head(reports: list) -> dict:
    from .. import __version__
    from ..check import RULESET_VERSION
    from ..check.findings import REPORT_SCHEMA_VERSION
    from ..outputs.terminal import totals

    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "ruleset_version": RULESET_VERSION,
        "generator": f"perfeval-xl {__version__}",
        "summary": {
            "files": len(reports),
            "checked": sum(1 for r in reports if r.checked),
            "passed": sum(1 for r in reports if r.passed),
            "counts": totals(reports),
        },
    }


_FILES_SLOT = "@@files@@"  # stands in the skeleton document, which holds no file data


def json_text(reports: list, file_texts: list[str]) -> str:
    """``dumps(json_document(reports), indent=1)``, with each file's part already rendered by ``file_json``."""
    from ..outputs.serialize import dumps

    text = dumps({**_document_head(reports), "files": [_FILES_SLOT] if file_texts else []}, indent=1)
    return text.replace(f'  "{_FILES_SLOT}"', ",\n".join(file_texts), 1) if file_texts else text


def file_json(report) -> str:
    """One report as it stands in the document's "files" list (two levels deep, indent 1)."""
    from ..outputs.serialize import dumps

    return "  " + dumps(report.to_dict(), indent=1).replace("\n", "\n  ")  # JSON text holds no raw newline but between lines


def exit_code(reports: list, output_failed: bool = False) -> int:
    if output_failed or any(not r.checked for r in reports):
        return EXIT_FAILED
    return EXIT_FINDINGS if any(r.has_errors for r in reports) else EXIT_OK


def run(args) -> int:
    from ..outputs.files import same_file
    from ..outputs.terminal import console, render

    targets = expand(args.paths, Path(args.annotate) if args.annotate else None)
    inputs = [t.path for t in targets]
    # Every output is vetted before any work: a refused command leaves nothing half-written.
    dest = annotate_destinations(targets, args.annotate) if args.annotate else {}
    if args.summary:
        if args.summary.suffix.lower() != ".xlsx":
            raise UserError(f"汇总文件须为 .xlsx：{args.summary}")
        _refuse_overwrite([args.summary], inputs + list(dest.values()), "汇总文件", same_file)

    file_texts: list[str] = []
    # with --json each report is rendered as it arrives, while the worker is busy with the next file
    reports = check_targets(targets, (lambda r: file_texts.append(file_json(r))) if args.json else None)

    out = console(stderr=args.json)  # with --json, stdout carries the document and nothing else
    if args.json:
        sys.stdout.write(json_text(reports, file_texts) + "\n")
        sys.stdout.flush()
    else:
        render(console(), reports, quiet=args.quiet, limit=args.limit)
        if not args.quiet:
            _print_scores(targets, reports)

    failed = False
    if dest:
        failed |= _write_annotated(targets, reports, dest, out, args.quiet)
    if args.summary:
        failed |= _write_summary(args.summary, targets, reports, out, args.quiet)
    return exit_code(reports, failed)


def _print_scores(targets, reports) -> None:
    """One line per checked template: its total and grade, or what is still open (已评 X / 100 分，尚有 N 项待评)."""
    from ..readers.evaluator import score_summary
    from ..readers.workbook import read_workbook

    for t, r in zip(targets, reports):
        line = score_summary(read_workbook(t.path, with_formulas=False)) if r.checked else None
        if line:
            print(f"评分：{t.path.name}：{line}")


def _write_annotated(targets, reports, dest, out, quiet: bool) -> bool:
    from ..outputs.annotate import annotate

    failed = False
    for t, r in zip(targets, reports):
        if not r.checked or t.path.suffix.lower() == ".xls":
            if not quiet:
                out.print(f"未生成标注副本（无法校验或为旧版 .xls）：{t.path}", markup=False)
            continue
        try:
            res = annotate(t.path, r, dest[t.path])
        except (UserError, OSError) as exc:
            print(f"错误：{exc}", file=sys.stderr)
            failed = True
            continue
        if not quiet:
            out.print(f"标注副本：{res.path}（标出 {res.flagged} 个单元格，{res.rows} 条问题）", markup=False)
            for w in res.warnings:
                out.print(f"  注意：openpyxl 另存时提示“{w}”", style="yellow", markup=False)
    return failed


def _write_summary(path: Path, targets, reports, out, quiet: bool) -> bool:
    from ..outputs.summary import identify_path, write_summary

    # the cover's department and year: one more (fast, calamine) read, only when a summary is asked for
    who = {r.file: identify_path(t.path) for t, r in zip(targets, reports) if r.checked}
    try:
        write_summary(path, reports, who)
    except OSError as exc:
        print(f"错误：无法写入汇总文件 {path}：{exc}", file=sys.stderr)
        return True
    if not quiet:
        out.print(f"汇总：{path}", markup=False)
    return False
