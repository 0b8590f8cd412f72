"""On every bundled example, the three ways of computing the 评分 sheet agree:

1. the Python engine (``perfeval_xl.indicators.score``);
2. the native-formula template, recalculated by LibreOffice headless;
3. the ``--udf`` template, whose PE_* calls are sent through xlwings' own
   Office.js entry point (``xlwings.server.custom_functions_call``) exactly as
   Excel would send them, cell by cell in sheet order.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from perfeval_xl.examples import EXAMPLES, ROOT
from perfeval_xl.indicators import INDICATORS, score
from perfeval_xl.outputs.libreoffice import recalculate
from perfeval_xl.template.writer import build_template
from perfeval_xl.schema import INPUTS
from perfeval_xl.schema.values import to_cell

_CALL = re.compile(r"^=(PE_[A-Z_]+)\((.*)\)$")
_ARG = re.compile(r'"[^"]*"|[^,]+')

# Runs in a child process with XLWINGS_ON_SERVER=true, so @xw.func registers the UDFs for Office.js.
_DRIVER = r"""
import asyncio, json, sys
import xlwings as xw
import xlwings.server as server
from perfeval_xl.xl import udfs

job = json.load(sys.stdin)
local = dict(job["given"])
for cell, func, args in job["calls"]:
    matrices = []
    for kind, x in args:
        v = x if kind == "lit" else job["inputs"].get(x) if kind == "name" else local.get(x)
        matrices.append([[v]])
    body = {"func_name": func.lower(), "args": matrices, "caller_address": f"Microsoft Excel[示例.xlsx]评分!{cell}",
            "content_language": "zh-CN", "version": xw.__version__, "client": "Office.js", "runtime": "1.4"}
    local[cell] = asyncio.run(server.custom_functions_call(body, udfs))[0][0]
json.dump(local, sys.stdout, ensure_ascii=False)
"""


def _cell_of(wb, name: str) -> str:
    return list(wb.defined_names[name].destinations)[0][1].replace("$", "")


def _num(v):
    return None if v in (None, "") else v


def _close(a, b) -> bool:
    if a in (None, "") or b in (None, ""):
        return a in (None, "") and b in (None, "")
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))


@pytest.fixture(scope="module")
def native(tmp_path_factory):
    out = tmp_path_factory.mktemp("lo3")
    return {ex.stem: load_workbook(recalculate(ROOT / "examples" / f"{ex.stem}.xlsx", out), data_only=True) for ex in EXAMPLES}


def _udf_results(wb, ex, values, card) -> dict[str, object]:
    ws = wb["评分"]
    inputs = {INPUTS[fid].defined_name: _jsonable(to_cell(INPUTS[fid], v)) for fid, v in values.items() if fid in INPUTS}
    calls = []
    for row in ws.iter_rows():
        for c in row:
            m = _CALL.match(c.value) if isinstance(c.value, str) else None
            if not m:
                continue
            args = []
            for a in _ARG.findall(m.group(2)):
                a = a.strip()
                if a.startswith('"'):
                    args.append(("lit", a.strip('"')))
                elif re.fullmatch(r"\$?[A-Z]{1,3}\$?\d+", a):
                    args.append(("cell", a.replace("$", "")))
                elif re.fullmatch(r"-?\d+(\.\d+)?", a):
                    args.append(("lit", float(a)))
                else:
                    args.append(("name", a))
            calls.append((c.coordinate, m.group(1), args))
    given = {}
    if card.total is not None:  # the total and maximum are native SUMs in both variants
        given[_cell_of(wb, "score_total")] = float(card.total)
    if card.max_total is not None and "score_max" in wb.defined_names:
        given[_cell_of(wb, "score_max")] = float(card.max_total)
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial")
    r = subprocess.run(
        [sys.executable, "-c", _DRIVER],
        input=json.dumps({"inputs": inputs, "calls": calls, "given": given}, ensure_ascii=False),
        capture_output=True, text=True, env=env,
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _jsonable(v):
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


@pytest.mark.parametrize("example", [e.stem for e in EXAMPLES])
def test_python_native_and_udf_agree(example, example_values, native, tmp_path):
    ex = next(e for e in EXAMPLES if e.stem == example)
    values = example_values[example]
    card = score(values, ex.profile)
    lo = native[example]
    udf_book = load_workbook(build_template(tmp_path / "udf.xlsx", profile=ex.profile, udf=True, values=values))
    udf = _udf_results(udf_book, ex, values, card)
    compared = 0
    for item in card.items:
        if item.evaluator:
            continue  # no computed value: both sheets hold the same two-input formulas
        scale = INDICATORS[item.code].scale
        want_value = None if item.value is None else float(item.value / scale)
        if not item.applicable:
            want_value = "不适用"
        code = item.code.lower()
        for kind, want in (("value", want_value), ("score", None if item.score is None else float(item.score)),
                           ("note", item.explanation)):
            name = f"score_{code}_{kind}"
            if name not in lo.defined_names:
                continue
            got_native = lo["评分"][_cell_of(lo, name)].value
            got_udf = udf.get(_cell_of(udf_book, name))
            assert _close(_num(got_native), want), (example, name, got_native, want)
            assert _close(_num(got_udf), want), (example, name, got_udf, want)
            compared += 1
    if "score_grade" in lo.defined_names:
        assert (lo["评分"][_cell_of(lo, "score_grade")].value or None) == card.grade
        assert (udf.get(_cell_of(udf_book, "score_grade")) or None) == card.grade
        total = lo["评分"][_cell_of(lo, "score_total")].value
        assert _close(_num(total), None if card.total is None else float(Decimal(card.total)))
    assert compared >= 3 * len(card.items) - len(card.items)  # value and note always, score when scored
