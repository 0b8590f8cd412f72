"""A figure a 校验结果 row supplies (上年 = 本年 − 增减额, 预算 = 决算 − 差额) is computed before any row reads it.

A circular reference among the helper cells shows as #VALUE!/Err:522 on every row that depends on it, in
LibreOffice as in Excel; the graph of helper cells is checked statically and a workbook that makes every
supplying row take its figure is recalculated by LibreOffice.
"""

from __future__ import annotations

import re
from graphlib import TopologicalSorter

from openpyxl import load_workbook

from parity import SUPPLIED, CorpusWriter, examples, recalculate_all
from perfeval_xl.rules.excel_backend import PASS, field_table, native_checks
from perfeval_xl.template.results_layout import MESSAGE_COLUMN, NATIVE_FIRST_ROW, STATUS_COLUMN, native_last_row

_TOKEN = re.compile(r"\[([a-z]+)(?:\.([a-z0-9_.]+)|#(\d+))?\]")


def _graph() -> dict[tuple, set[tuple]]:
    """helper cell → the helper cells its formula reads: (row, key) on a check row, ("field", kind, id) in the field table."""
    graph: dict[tuple, set[tuple]] = {}

    def reads(text: str, row: int | None) -> set[tuple]:
        out = set()
        for kind, fid, other in _TOKEN.findall(text):
            if fid:
                out.add(("field", kind, fid))
            elif other:
                out.add((int(other), kind))
            else:
                out.add((row, kind))
        return out

    for fid, blank_f, usable_f, code_f, text_f in field_table():
        for kind, text in (("blank", blank_f), ("usable", usable_f), ("code", code_f), ("text", text_f)):
            if text is not None:
                graph[("field", kind, fid)] = reads(text, None)
    for i, chk in enumerate(native_checks()):
        for key, text in chk.formulas.items():
            graph[(i, key)] = reads(text, i)
    return graph


def test_the_helper_cells_have_no_circular_reference():
    graph = _graph()
    order = list(TopologicalSorter(graph).static_order())  # raises CycleError on a cycle
    assert len(order) >= len(graph)
    assert any(dep[1] == "took" for deps in graph.values() for dep in deps if isinstance(dep[0], int))


def test_a_supplied_figure_comes_from_a_row_at_or_before_every_row_reading_it():
    readers = 0
    for i, chk in enumerate(native_checks()):
        for text in chk.formulas.values():
            for _, _, other in _TOKEN.findall(text):
                if other:
                    assert int(other) <= i, (chk.rule.id, chk.stated, int(other))
                    readers += 1
    assert readers > 0  # the supplying rows are native: something reads them


def test_libreoffice_computes_every_row_when_every_figure_is_supplied(tmp_path):
    raw = dict(dict(examples())["synthetic"])
    for target, *_ in SUPPLIED:
        raw.pop(target)
    for fid in [k for k in raw if k.startswith("spend.") and k.endswith(".budget")]:
        raw.pop(fid)  # each supplied by its own gap
    path = CorpusWriter().write(raw, tmp_path / "supplied.xlsx")
    (recalc,) = recalculate_all([path], tmp_path / "recalc")
    ws = load_workbook(recalc, data_only=True)["校验结果"]
    errors = [(c.coordinate, c.value) for row in ws.iter_rows(min_row=NATIVE_FIRST_ROW, max_row=native_last_row())
              for c in row if isinstance(c.value, str) and (c.value.startswith("#") or c.value.startswith("Err:"))]
    assert errors == []
    took = [i for i, chk in enumerate(native_checks()) if "took" in chk.formulas
            and ws[f"{STATUS_COLUMN}{NATIVE_FIRST_ROW + i}"].value == PASS
            and str(ws[f"{MESSAGE_COLUMN}{NATIVE_FIRST_ROW + i}"].value).startswith("据此推算")]
    assert len(took) >= 6, took
