"""Reading typed values for the report, and the small sums and labels every section shares."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Mapping, Sequence

from ..schema import SCHEMA
from . import phrases as P
from .model import Block, Heading, Paragraph, placeholder, runs_of


# a line of a narrative field that is its own sub-heading, e.g. "（一）部分项目立项依据不足"
_NARRATIVE_HEADING = re.compile(r"^（([一二三四五六七八九十]{1,3})）([^。；]{1,40})$")

class Values:
    def __init__(self, values: Mapping[str, object]):
        self._v = values

    def __call__(self, fid: str) -> object:
        return self._v.get(fid)

    def d(self, fid: str) -> Decimal | None:
        return P.dec(self._v.get(fid))

    def s(self, fid: str) -> str | None:
        x = self._v.get(fid)
        if x is None:
            return None
        if isinstance(x, (dt.date, dt.datetime)):
            return x.isoformat()
        text = str(x).strip()
        return text or None

    def any(self, fids: Iterable[str]) -> bool:
        return any(self._v.get(f) is not None for f in fids)

    def names(self, prefix: str, n: int) -> list[str]:
        return [t for t in (self.s(f"{prefix}.name_{i:02d}") for i in range(1, n + 1)) if t]


PUBLISH, REVIEW = "发布", "审核"
MODES = (PUBLISH, REVIEW)


@dataclass
class Ctx:
    """What every section needs: the values, the year, the mode, and what it had to leave out."""

    v: Values
    year: int | None
    mode: str = PUBLISH
    gaps: list[str] = field(default_factory=list)  # 待补充, in report order
    derived: list[str] = field(default_factory=list)  # figures the text derived (审核 annex)

    @property
    def review(self) -> bool:
        return self.mode == REVIEW

    def gap(self, what: str) -> None:
        if what not in self.gaps:
            self.gaps.append(what)

    def derive(self, what: str) -> None:
        if what not in self.derived:
            self.derived.append(what)


def clean_label(label: str) -> str:
    """"一、一般公共预算财政拨款收入" → "一般公共预算财政拨款收入"; "　其中：公务用车购置费" → "公务用车购置费"."""
    label = label.strip("　 ")
    label = re.sub(r"^[一二三四五六七八九十]+、", "", label)
    label = re.sub(r"^\d+、", "", label)
    label = re.sub(r"^其中：", "", label)
    return label.strip("　 ")


def sum_known(values: Sequence[Decimal | None]) -> Decimal | None:
    """Sum when every part is filled; None otherwise (a partial sum is not a total)."""
    if not values or any(x is None for x in values):
        return None
    return sum(values, Decimal(0))


def total_of(v: Values, total_id: str, part_ids: Sequence[str]) -> tuple[Decimal | None, bool]:
    """(stated total, or the sum of its parts when the total is blank; whether it was computed)."""
    stated = v.d(total_id)
    if stated is not None:
        return stated, False
    parts = [v.d(f) for f in part_ids]
    s = sum_known(parts)
    return s, s is not None


def breakdown(v: Values, items: Sequence[tuple[str, str]], fmt) -> str:
    """"行政人员37人、事业人员14人" over the filled items only."""
    return "、".join(f"{label}{fmt(v.d(fid))}" for fid, label in items if v.d(fid) is not None)


def narrative_lines(v: Values, fid: str) -> list[str]:
    text = v.s(fid)
    if not text:
        return []
    return [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]


def narrative_blocks(ctx: Ctx, fid: str, *, headings: bool = False, optional: bool = False) -> tuple[list[Block], int]:
    """Paragraphs of a narrative field; with ``headings`` a short line "（一）…" becomes a
    second-level heading. Returns the blocks and the last （N） ordinal used.

    An empty field is a 待补充 item (unless ``optional``); the 审核 text also shows a
    highlighted placeholder where it goes, the 发布 text leaves it out."""
    v = ctx.v
    lines = narrative_lines(v, fid)
    if not lines:
        if optional:
            return [], 0
        ctx.gap(f"文字说明：{SCHEMA[fid].label}")
        if ctx.review:
            return [Paragraph(runs_of(placeholder(SCHEMA[fid].label)), "narrative")], 0
        return [], 0
    out: list[Block] = []
    last = 0
    for line in lines:
        m = _NARRATIVE_HEADING.match(line) if headings else None
        n = P.cn_number_value(m.group(1)) if m else None
        if m and n is not None:
            out.append(Heading(line, 2, authored=True))
            last = max(last, n)
        else:
            out.append(Paragraph(runs_of(line), "narrative"))
    return out, last


def year_text(year: int | None) -> str:
    return f"{year}年" if year is not None else "本年"


def severity_of(f) -> str:
    sev = getattr(f, "severity", None)
    return getattr(sev, "value", str(sev))


def finding_line(f) -> str:
    c = f.primary if hasattr(f, "primary") else None
    where = f"（{c.sheet}!{c.address}）" if c is not None and c.sheet and c.address else ""
    return f"{f.rule_id}{where}：{f.message}"


QUOTA_PARTS = (("staff.quota.admin", "行政编制"), ("staff.quota.inst", "事业编制"), ("staff.quota.worker", "工勤编制"))


ONPOST_PARTS = (("staff.onpost.admin", "行政人员"), ("staff.onpost.inst", "事业人员"), ("staff.onpost.worker", "工勤人员"))


OTHER_PARTS = (("staff.other.gov_employee", "政府雇员"), ("staff.other.temp", "临聘人员"))


RETIRED_PARTS = (("staff.retired.retire", "退休人员"), ("staff.retired.lixiu", "离休人员"))


def spend_row(v: Values, row: str) -> dict[str, Decimal | None]:
    return {c: v.d(f"spend.{row}.{c}") for c in ("prior_budget", "prior_final", "budget", "final")}


BUDGET_ITEMS = (
    ("budget.carryover_prior", "上年结转"),
    ("budget.initial", "年初预算"),
    ("budget.added", "本年追加"),
    ("budget.reduced", "本年追减"),
    ("budget.adjusted", "调整后预算"),
    ("budget.final", "支出决算"),
    ("budget.balance_end", "年末结余"),
)


def score_text(x: Decimal | None) -> str:
    if x is None:
        return "—"
    return P.num(x) if x != x.to_integral_value() else P.num(x, 0)
