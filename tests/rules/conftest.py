"""Session fixtures for the rule cases (helpers live in rule_fixtures.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rule_fixtures import openpyxl_mutation, zip_mutation, load_baseline


@pytest.fixture(scope="session")
def baseline_workbook(tmp_path_factory) -> Path:
    """The template filled with the baseline values."""
    from perfeval_xl.template.writer import build_template
    from perfeval_xl.schema import SCHEMA
    from perfeval_xl.schema.values import coerce

    typed = {k: coerce(SCHEMA[k], v)[0] for k, v in load_baseline().items()}
    return build_template(tmp_path_factory.mktemp("baseline") / "baseline.xlsx", values=typed)


@pytest.fixture(scope="session")
def mutated_workbook(baseline_workbook, tmp_path_factory):
    """``mutated_workbook("delete_sheet:资产")`` → path of the tampered copy (built once)."""
    cache: dict[str, Path] = {}
    root = tmp_path_factory.mktemp("mutations")

    def make(spec: str) -> Path:
        if spec not in cache:
            kind, _, arg = spec.partition(":")
            dst = root / f"m{len(cache):02d}.xlsx"
            if not zip_mutation(kind, arg, baseline_workbook, dst):
                openpyxl_mutation(kind, arg, baseline_workbook, dst)
            cache[spec] = dst
        return cache[spec]

    return make
