"""What the 校验结果 listing leaves to the live block and what it lists below it."""

from __future__ import annotations

from perfeval_xl.check.findings import Finding
from perfeval_xl.outputs import listing
from perfeval_xl.rules.base import Severity
from perfeval_xl.rules.native import native_ids


def test_a_row_is_live_only_where_its_number_is_its_place_in_the_block():
    assert {"SUM001", "SUM009", "ROLL001"} <= native_ids() and "MISS001" not in native_ids()
    rows = [(1, "SUM001"), (2.0, " SUM009 "), (1, "ROLL001"), (4, "MISS001"), ("5", None), (True, "ROLL001")]
    # ROLL001 sits where an older, shorter block ended and an earlier findings list began (numbered from 1)
    assert listing.live_rules(rows) == {"SUM001", "SUM009"}
    assert listing.live_rules([]) == frozenset()


def test_text_stored_numbers_and_formula_text_are_live_in_the_row_of_text_in_a_number_cell():
    """VAL003/VAL004 have no row of their own: the VAL002 row counts their cells, so a block with it shows them."""
    assert listing.live_rules([(1, "VAL002")]) == {"VAL002", "VAL003", "VAL004"}
    assert not listing.live_rules([(1, "VAL005")]) & {"VAL002", "VAL003", "VAL004"}  # an older block without the row


def test_split_by_the_registry_and_by_the_workbook():
    fs = [Finding("SUM001", Severity.ERROR, "a"), Finding("MISS001", Severity.INFO, "b"),
          Finding("SUM009", Severity.WARNING, "c", rounding=True)]
    native, listed = listing.split(fs)  # no workbook: the registry's flag decides
    assert [f.rule_id for f in native] == ["SUM001", "SUM009"] and [f.rule_id for f in listed] == ["MISS001"]
    native, listed = listing.split(fs, frozenset({"SUM001"}))  # the book has no live row for SUM009
    assert [f.rule_id for f in native] == ["SUM001"] and [f.rule_id for f in listed] == ["MISS001", "SUM009"]
    assert listing.split(fs, frozenset())[1] == fs
    assert listing.both_counts_text(*listing.split(fs)) == (
        "表内公式：错误 1 项，警告 1 项（含舍入差异 1 项）；补充校验：错误 0 项，警告 0 项，提示 1 项")
    assert listing.section_line([]).endswith("错误 0 项，警告 0 项，提示 0 项，无需处理")
    assert listing.section_line(fs, live_block=False).startswith(listing.ALL_TITLE)
