"""User-facing text cites public sources, never the project's internal notes.

Users have 财政部's 部门决算 报表说明, 财预〔2013〕53号 and their province's 评价办法;
they do not have domain.md, its D/I numbering, or the "种子报告" it transcribes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from perfeval_xl.rules.registry import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
INTERNAL = re.compile(
    r"domain\.md|real_reports\.md|frameworks\.md|anchors\.md|style\.md|xlwings\.md|种子报告|seed/|§\s?\d|"
    r"(?<=[（(、；，\s])[DI]\d{1,2}(?:[–-][DI]\d{1,2})?(?=[、；，）)\s])"  # domain.md's D6 / I13 labels in a citation
)


@pytest.mark.parametrize("rule_id", list(REGISTRY))
def test_rule_texts_cite_public_sources(rule_id):
    r = REGISTRY[rule_id]
    for text in (r.title, r.rationale, r.message):
        assert not INTERNAL.search(text), (rule_id, INTERNAL.search(text).group(0), text)


def test_generated_rule_docs_have_no_internal_references():
    pages = sorted((ROOT / "docs" / "rules").glob("*.md"))
    assert len(pages) > 40
    for page in pages:
        text = page.read_text(encoding="utf-8")
        hit = INTERNAL.search(text)
        assert not hit, (page.name, hit.group(0))


def test_user_documentation_has_no_internal_references():
    for path in [ROOT / "README.md", ROOT / "macros" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(r"\|\s*`[a-z_.0-9]+`\s*\|", line):  # fields.md rows: D5 there is a cell address
                continue
            hit = INTERNAL.search(line)
            assert not hit, (path.name, hit.group(0), line)


def test_the_pattern_catches_what_it_should():
    for bad in ("（domain.md D6）", "种子报告 37+14+4=55", "（D2–D4 合并）", "见 §6.3", "（I13；例）"):
        assert INTERNAL.search(bad), bad
    for fine in ("单元格 D5", "财预〔2013〕53号", "XBRL DQC_0015", "B13"):
        assert not INTERNAL.search(fine), fine
