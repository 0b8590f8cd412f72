"""The LibreOffice-recalculated 评分 sheet says what ``perfeval score --json`` says.

For every bundled example under every scored profile (bundled and imported
from a 指标表 fixture), with some evaluator rows entered and some left open:
each row's 得分 and 说明, and the total, the grade and the progress line.
"""

from __future__ import annotations

import json
import math

import pytest
from openpyxl import load_workbook

from perfeval_xl.cli import main
from perfeval_xl.examples import EXAMPLES
from perfeval_xl.indicators import PROFILES
from perfeval_xl.indicators.profile import profile_from_data
from perfeval_xl.indicators.table_import import import_table
from perfeval_xl.outputs import libreoffice
from perfeval_xl.readers.score_table import read_table
from perfeval_xl.template.writer import build_template

from tables.score_tables import HUNAN, YUEYANG

BUNDLED = ("V1", "V2", "V3")


def _imported(tmp, key, table):
    grid, merges, _ = read_table(table.write(tmp / f"{key}.xlsx"))
    return profile_from_data(import_table(grid, merges, profile_id=key).data)


def _enter(path, profile, complete: bool):
    """Type 得分 (and a reason) into the evaluator rows: all of them, or every other one."""
    wb = load_workbook(path)
    for i, item in enumerate(profile.evaluator_items):
        if not complete and i % 2:
            continue
        s = item.points if i % 3 == 0 else item.points - 1
        for what, v in (("given", float(s)), ("reason", None if s == item.points else f"第{i + 1}项扣分理由")):
            (sheet, coord), = list(wb.defined_names[f"score_{item.key.lower()}_{what}"].destinations)
            wb[sheet][coord.replace("$", "")].value = v
    wb.save(path)


@pytest.fixture(scope="module")
def cases(tmp_path_factory, example_values):
    src, out = tmp_path_factory.mktemp("src"), tmp_path_factory.mktemp("out")
    profiles = {p: PROFILES[p] for p in BUNDLED}
    profiles.update({k: _imported(src, k, t) for k, t in (("hunan", HUNAN), ("yueyang", YUEYANG))})
    built = {}
    for ex in EXAMPLES:
        for pid, profile in profiles.items():
            for complete in (False, True):
                path = src / f"{ex.stem}_{pid}_{int(complete)}.xlsx"
                build_template(path, profile=profile, values=example_values[ex.stem])
                _enter(path, profile, complete)
                built[(ex.stem, pid, complete)] = path
    libreoffice.convert(list(built.values()), "xlsx", out)
    return {k: (v, out / v.name) for k, v in built.items()}


def _cell(wb, name):
    (sheet, coord), = list(wb.defined_names[name].destinations)
    return wb[sheet][coord.replace("$", "")].value


def _same_number(got, want) -> bool:
    if want is None:
        return got in (None, "")
    return isinstance(got, (int, float)) and math.isclose(got, want, abs_tol=1e-9)


def test_sheet_equals_score_json(cases, capsys):
    checked = graded = 0
    for (stem, pid, complete), (original, recalculated) in cases.items():
        assert main(["score", str(original), "--json"]) == 0
        want = json.loads(capsys.readouterr().out)
        wb = load_workbook(recalculated, data_only=True)
        for row in want["rows"]:
            key = row["code"].lower()
            assert _same_number(_cell(wb, f"score_{key}_score"), row["score"]), (stem, pid, row)
            assert _cell(wb, f"score_{key}_note") == row["explanation"], (stem, pid, row)
        assert _same_number(_cell(wb, "score_total"), want["total"]), (stem, pid, complete)
        assert (_cell(wb, "score_grade") or None) == want["grade"], (stem, pid, complete)
        assert _cell(wb, "score_total_note") == want["summary"], (stem, pid, complete)
        checked += 1
        graded += want["grade"] is not None
        if not complete:
            assert want["grade"] is None and want["summary"].startswith("已评 ")
    assert checked == len(EXAMPLES) * 5 * 2
    assert graded >= len(EXAMPLES)  # complete entries give a total and a grade wherever every computed row scores
