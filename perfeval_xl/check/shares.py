"""SUM020–SUM022: the stated shares of one whole against 100 %, each share as the interval its print allows."""

from __future__ import annotations

from decimal import Decimal

from ..rules.base import Severity
from ..rules.registry import REGISTRY
from ..rules.shares import GROUPS
from ..schema import SCHEMA
from .intervals import HUNDRED, ZERO, printed_interval


def _num(value: Decimal) -> str:
    return format(value.normalize() if value else ZERO, "f")


def run(ctx) -> None:
    values, blocked = ctx.values, ctx.blocked
    for g in GROUPS:
        rule = REGISTRY[g.rule_id]
        if any(f in blocked for pair in g.parts for f in pair if f):
            continue  # a VAL finding already names the cell
        stated, unknown = [], []
        for share, amount in g.parts:
            v = values.get(share) if share else None
            if v is not None:
                stated.append((share, v))
            elif values.get(amount) != 0:  # no share, and no amount stated as 0: the part's share is unknown
                unknown.append(share or amount)
        if len(stated) < 2 and not (stated and not unknown):
            continue  # one share on its own bounds nothing a cell's own limit does not
        total = sum((v for _, v in stated), ZERO)
        lo = hi = ZERO
        for fid, v in stated:
            band = printed_interval(v, ctx.printed(fid, v))
            lo, hi = lo + band.lo, hi + band.hi
        exact = not unknown
        if (exact and total == HUNDRED) or (not exact and total <= HUNDRED):
            continue
        within = lo <= HUNDRED <= hi if exact else lo <= HUNDRED
        suffix = ""
        if unknown:
            names = "、".join(SCHEMA[f].label for f in unknown[:3]) + (f" 等 {len(unknown)} 项" if len(unknown) > 3 else "")
            suffix = f"（{names} 未载明，按未知处理，已载明的占比之和至多为 100%）"
        if within:
            suffix += "；差额在各占比的舍入误差范围内，属舍入差异"
        cells = tuple(ctx.cell(fid, role="stated") for fid, _ in stated)
        diff = total - HUNDRED
        ctx.report(rule, cells, severity=Severity.WARNING if within else rule.severity, rounding=within,
                   figures=(HUNDRED, total, diff), suffix=suffix, group=g.name, total=_num(total),
                   expected="应为 100%" if exact else "不应超过 100%", diff=("+" if diff > 0 else "") + _num(diff))
