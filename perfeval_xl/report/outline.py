"""The 发布 outline: a heading with nothing under it is left out, and the numbering closes up.

A section whose narratives are all blank would print a lone heading ("（一）项目组织情况" and then
the next heading); the 发布 text drops it — the missing narrative is already a 待补充 item — and
renumbers its siblings so "（二）项目管理情况" becomes "（一）".
"""

from __future__ import annotations

import re

from . import phrases as P
from .model import Block, Cover, Heading, PageBreak

_CN = "[一二三四五六七八九十]+"
# level → (pattern of the ordinal, how the n-th ordinal is written)
ORDINALS = {
    1: (re.compile(rf"^{_CN}、"), lambda n: f"{P.cn_number(n)}、"),
    2: (re.compile(rf"^（{_CN}）"), P.cn_ordinal),
    3: (re.compile(r"^\d+[.．、]"), lambda n: f"{n}."),
}


def _has_content(blocks: list[Block], i: int) -> bool:
    level = blocks[i].level  # type: ignore[union-attr]
    for b in blocks[i + 1:]:
        if isinstance(b, (PageBreak, Cover)) or isinstance(b, Heading) and b.level <= level:
            return False
        if not isinstance(b, Heading) or b.authored:
            return True
    return False


def drop_lone_headings(blocks: list[Block]) -> list[Block]:
    """The blocks without the headings that have no paragraph, table or chart under them."""
    return [b for i, b in enumerate(blocks) if not isinstance(b, Heading) or b.authored or _has_content(blocks, i)]


def renumber(blocks: list[Block]) -> list[Block]:
    """Number the headings that carry an ordinal 一、/（一）/1. in sequence under their parent
    (the annex's "附表1" and unnumbered headings keep their text)."""
    counters = {1: 0, 2: 0, 3: 0}
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Heading) and b.level in ORDINALS:
            pattern, write = ORDINALS[b.level]
            for deeper in (lv for lv in counters if lv > b.level):
                counters[deeper] = 0
            m = pattern.match(b.text)
            if m:
                counters[b.level] += 1
                b = Heading(write(counters[b.level]) + b.text[m.end():], b.level, b.authored)
        out.append(b)
    return out


def published_outline(blocks: list[Block]) -> list[Block]:
    return renumber(drop_lone_headings(blocks))
