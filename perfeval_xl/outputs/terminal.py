"""Findings on the terminal (rich): per file, the workbook's own formula checks apart from the
supplementary ones, each grouped by sheet, coloured by severity.

Messages are built as ``rich.text.Text`` rather than markup: a message quoting a
cell that holds "[red]" or "[/]" must print literally, not restyle the output.
"""

from __future__ import annotations

from typing import Iterable

from rich.console import Console
from rich.text import Text

from ..rules.base import Severity

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
WORKBOOK_LEVEL = "（整个工作簿）"  # findings with no sheet: not a workbook, missing names …


def console(stderr: bool = False) -> Console:
    # soft_wrap: one finding per line even when piped, so grep and less work on the output
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _sheet_order() -> dict[str, int]:
    from ..schema import SHEETS

    return {s.title: i for i, s in enumerate(SHEETS)}


def grouped(findings) -> list[tuple[str, list]]:
    """Findings grouped by their primary cell's sheet, in workbook order, by cell within a sheet."""
    order = _sheet_order()
    groups: dict[str, list] = {}
    for f in findings:
        c = f.primary
        groups.setdefault(c.sheet if c and c.sheet else WORKBOOK_LEVEL, []).append(f)

    def rank(name: str) -> tuple[int, int, str]:
        if name == WORKBOOK_LEVEL:
            return (0, 0, "")
        return (1, order.get(name, len(order)), name)

    return [(name, sorted(groups[name], key=lambda f: f.sort_key())) for name in sorted(groups, key=rank)]


def counts_text(counts: dict[str, int]) -> str:
    return "，".join(f"{s.label_zh} {counts.get(s.value, 0)}" for s in Severity)


def file_status(report) -> Text:
    counts = report.counts()
    if not report.checked:
        return Text("无法校验", style="bold red")
    if report.passed:
        return Text.assemble(("合格", "bold green"), f"（{counts_text(counts)}）")
    return Text.assemble(("不合格", "bold red"), f"（{counts_text(counts)}）")


def render_report(out: Console, report, limit: int | None = None) -> None:
    """The file's line, then its findings in two parts, each with its counts: what the workbook's own
    formulas show (表内公式核对) and what only this check finds (补充校验), each grouped by sheet."""
    from .listing import NATIVE_TITLE, SUPPLEMENT_SHORT, counts, split

    head = Text(report.file, style="bold")
    if report.template_version:
        head.append(f"　模板 v{report.template_version}", style="dim")
    head.append("　")
    head.append_text(file_status(report))
    out.print(head)
    shown = 0
    for title, part in zip((NATIVE_TITLE, SUPPLEMENT_SHORT), split(report.findings)):
        if not part or (limit is not None and shown >= limit):
            continue
        out.print(Text(f"  【{title}】{counts_text({s.value: n for s, n in counts(part).items()})}", style="bold"))
        for sheet, findings in grouped(part):
            if limit is not None and shown >= limit:
                break
            out.print(Text(f"    {sheet}", style="bold"))
            for f in findings:
                if limit is not None and shown >= limit:
                    break
                shown += 1
                c = f.primary
                line = Text("      ")
                line.append(f.severity.label_zh, style=STYLE[f.severity])
                line.append(f" {f.rule_id:<8} ")
                line.append(f"{(c.address or '') if c else '':<6} ", style="cyan")
                line.append(f.message)
                out.print(line)
    hidden = len(report.findings) - shown
    if hidden > 0:
        out.print(Text(f"    …… 另有 {hidden} 条未显示（用 --json 或 --summary 查看全部）", style="dim"))


def totals(reports: Iterable) -> dict[str, int]:
    total = {s.value: 0 for s in Severity}
    for r in reports:
        for k, v in r.counts().items():
            total[k] += v
    return total


def summary_line(reports: list) -> Text:
    """共 3 个文件：错误 2，警告 5，提示 9 — plus the files that could not be checked."""
    total = totals(reports)
    line = Text(f"共 {len(reports)} 个文件：")
    for i, s in enumerate(Severity):
        if i:
            line.append("，")
        n = total[s.value]
        line.append(f"{s.label_zh} {n}", style=STYLE[s] if n else "")
    unreadable = sum(1 for r in reports if not r.checked)
    failed = sum(1 for r in reports if r.checked and not r.passed)
    if failed:
        line.append(f"；{failed} 个不合格")
    if unreadable:
        line.append(f"；{unreadable} 个无法校验", style="bold red")
    return line


def render(out: Console, reports: list, quiet: bool = False, limit: int | None = None) -> None:
    if not quiet:
        for r in reports:
            render_report(out, r, limit)
            out.print()
    out.print(summary_line(reports))


__all__ = ["STYLE", "console", "counts_text", "grouped", "render", "render_report", "summary_line", "totals"]
