"""Data-file validation reports each problem as data: the field id and a code, not only a sentence."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfeval_xl.readers.data_file import DataError, validate


@pytest.mark.parametrize(("doc", "code"), [
    ({"no.such.field": 1}, "unknown_field"),
    ({"outputs.r01.rate_expected": 1}, "computed_field"),
    ({"assets.fixed.opening": "一百"}, "invalid_value"),
    ({"assets.fixed.opening": -5}, "invalid_value"),
    ({"assets.fixed.opening": "1.234"}, "invalid_value"),
    ({"staff.onpost.total": 3.5}, "invalid_value"),
    ({"eval.method": "随便"}, "invalid_value"),
])
def test_each_bad_entry_is_one_coded_error_and_no_value(doc, code):
    values, errors = validate(doc)
    assert values == {}
    assert [(e.field_id, e.code) for e in errors] == [(next(iter(doc)), code)]
    assert all(isinstance(e, DataError) and e.message for e in errors)


def test_good_entries_survive_next_to_bad_ones():
    values, errors = validate({"assets.fixed.opening": "138.36", "no.such.field": 1, "staff.onpost.total": 42})
    assert values == {"assets.fixed.opening": Decimal("138.36"), "staff.onpost.total": Decimal(42)}
    assert [(e.field_id, e.code) for e in errors] == [("no.such.field", "unknown_field")]
