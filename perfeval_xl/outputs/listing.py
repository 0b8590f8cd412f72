"""Which findings the 校验结果 listing shows below the live block, and the counts of both parts.

The template's 校验结果 sheet already reports every native check by formula, live.
The 校验 button and the annotated copy therefore list only what those formulas
cannot judge (structure, tampering, security, the Python-only rules) and replace
nothing native. A native finding is left to the live block only when the
workbook really has a live row for its rule: a workbook made from an older
template, or without 校验结果, gets every finding listed, so none goes unlisted.
Marks on the cells are not affected: every finding still colours its cells.

Pure (no I/O library): the button, both copy writers and the terminal share it.
"""

from __future__ import annotations

from typing import Iterable

from ..rules.base import Severity

SUPPLEMENT_TITLE = "Python 补充校验（结构、篡改、安全等，表内公式无法判断）"
NATIVE_TITLE = "表内公式核对"
SUPPLEMENT_SHORT = "补充校验"
ALL_TITLE = "perfeval 校验结果（本工作簿没有表内自动核对，全部列出）"
NOT_RUN = "：尚未运行（请点击“绩效评价 → 校验”按钮，或由财政局运行 perfeval check）"


def live_rules(rows: Iterable[tuple[object, object]]) -> frozenset[str]:
    """The native rule ids a workbook's live block has rows for, from its (序号, 规则) cells, row by row
    from the block's first row. A row counts only where 序号 is its place in the block: rows an older,
    shorter block left to an earlier findings list are numbered from their own start and are not live."""
    from ..rules.native import native_ids, rows_of

    found = set()
    for place, (serial, rule) in enumerate(rows, start=1):
        if isinstance(rule, str) and _number(serial) == place:
            found.add(rule.strip())
    return frozenset(r for r in native_ids() if rows_of(r) & found)  # VAL003/VAL004 in VAL002's row, RATE012 in a ratio's


def _number(v: object) -> float | None:
    try:
        return float(v) if v is not None and not isinstance(v, bool) else None
    except (TypeError, ValueError):
        return None


def split(findings, live: frozenset[str] | None = None) -> tuple[list, list]:
    """(shown live by the workbook's formulas, listed below them).

    ``live`` None: no workbook to look at (the terminal), so the registry's flag alone decides.
    """
    native, supplement = [], []
    for f in findings:
        (native if f.native and (live is None or f.rule_id in live) else supplement).append(f)
    return native, supplement


def counts(findings) -> dict[Severity, int]:
    out = {s: 0 for s in Severity}
    for f in findings:
        out[f.severity] += 1
    return out


def native_counts_text(findings) -> str:
    """错误 2 项，警告 1 项（含舍入差异 1 项）: the live block knows 错误 and 警告 only; 提示 shown if any."""
    n = counts(findings)
    rounding = sum(1 for f in findings if f.rounding)
    text = f"错误 {n[Severity.ERROR]} 项，警告 {n[Severity.WARNING]} 项（含舍入差异 {rounding} 项）"
    return text + (f"，提示 {n[Severity.INFO]} 项" if n[Severity.INFO] else "")


def supplement_counts_text(findings) -> str:
    n = counts(findings)
    return "，".join(f"{s.label_zh} {n[s]} 项" for s in Severity)


def both_counts_text(native, supplement) -> str:
    """表内公式：… ；补充校验：… — the header line of the button and the annotated copy."""
    return f"表内公式：{native_counts_text(native)}；{SUPPLEMENT_SHORT}：{supplement_counts_text(supplement)}"


def section_line(listed, live_block: bool = True) -> str:
    """The heading above the listed findings, with their counts (``live_block``: the sheet has live rows)."""
    title = SUPPLEMENT_TITLE if live_block else ALL_TITLE
    return f"{title}：{supplement_counts_text(listed)}" + ("" if listed else "，无需处理")


__all__ = ["ALL_TITLE", "NATIVE_TITLE", "NOT_RUN", "SUPPLEMENT_SHORT", "SUPPLEMENT_TITLE", "both_counts_text", "counts",
           "live_rules", "native_counts_text", "section_line", "split", "supplement_counts_text"]
