"""Shared test fixtures: the example data and generated workbooks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# xlwings' remote engine needs a key; PolyForm Noncommercial covers government use (README).
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = ROOT / "workbook_templates" / "examples"


@pytest.fixture(scope="session")
def example_values():
    """Typed values of every bundled example, keyed by example stem."""
    from perfeval_xl.examples import EXAMPLES, data_path
    from perfeval_xl.readers.data_file import load

    out = {}
    for ex in EXAMPLES:
        values, errors = load(data_path(ex))
        assert not errors, errors
        out[ex.stem] = values
    return out
