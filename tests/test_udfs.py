"""The xlwings functions: as plain Python, and through xlwings' Office.js custom-function
entry points (``custom_functions_call`` / ``custom_functions_meta``) with the request body
Office.js sends.

The Office.js part runs in a subprocess: ``XLWINGS_ON_SERVER`` is read once, when
xlwings is first imported, and other tests in this process have already imported it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from perfeval_xl.xl import udfs

# -- plain Python ---------------------------------------------------------------------------


def test_ratio_and_change_rate_are_blank_and_zero_safe():
    assert udfs.pe_ratio(136, 143) == pytest.approx(136 / 143)
    assert udfs.pe_ratio([[1, 2], [3, None]], [[2]]) == 3.0
    assert udfs.pe_ratio([1, "备注", None], 4) == 0.25  # text in a range is not a number
    assert udfs.pe_ratio(None, 5) is None
    assert udfs.pe_ratio(5, 0) is None
    assert udfs.pe_change_rate(63.46, 32) == pytest.approx(0.983125)
    assert udfs.pe_change_rate(1, 0) is None
    assert udfs.pe_change_rate(None, 3) is None


def test_rule_functions_take_cell_units():
    assert udfs.pe_linear_over(0.951, 8, 1, 0.5) == 8
    assert udfs.pe_linear_over(1.03, 5, 1, 0.5) == 3.5
    assert udfs.pe_linear_over(0.983125, 8, 0, 0.8) == 0
    assert udfs.pe_linear_under(0.97, 10, 1, 1) == 7
    assert udfs.pe_steps_under(0.9927, 8, 1, 0.05, 2) == 8
    assert udfs.pe_steps_under(0.95, 8, 1, 0.05, 2) == 6
    assert udfs.pe_steps_over(1.08, 5, 1, 0.05, 2) == 3
    assert udfs.pe_linear_over("不适用", 5, 1, 0.5) == 5
    assert udfs.pe_linear_over(None, 5, 1, 0.5) is None


def test_bands_and_checklist():
    spec = "=0:5;(0,10]:4;(10,20]:3;(20,30]:2;>30:0"
    assert udfs.pe_bands(0.1, spec) == 4
    assert udfs.pe_bands(0, spec) == 5
    assert udfs.pe_bands(0.3994, spec) == 0
    assert udfs.pe_bands(1, "=0:3;=1:2;=2:0", False) == 2
    assert udfs.pe_bands(1.02, "<=100:5;>100:") is None  # a band without points: 需人工评分
    assert udfs.pe_checklist(["是", "否", "是"], 3) == 2
    assert udfs.pe_checklist([["是", "是", "否", "是", "是"]], 3, 1, "deduct") == 2
    assert udfs.pe_checklist(["是", None], 2) is None
    with pytest.raises(ValueError, match="缺少"):
        udfs.pe_bands(0.1, "(0,10]")


def test_indicator_score_explain_grade_over_raw_cells():
    assert udfs.pe_indicator("STAFF_CONTROL", 136, 143) == pytest.approx(136 / 143)
    assert udfs.pe_indicator("STAFF_CONTROL", 136, None) is None
    assert udfs.pe_indicator("BUILDING_AREA", "不适用（本年无完工项目）", None, None) == "不适用"
    assert udfs.pe_indicator("DISCLOSURE", "是", "否") == 1
    assert udfs.pe_score("STAFF_CONTROL", 0.951, "V3") == 8
    assert udfs.pe_score("BUILDING_AREA", "不适用", "V1") == 5
    assert udfs.pe_score("FUND_BALANCE", 1, "V2") == 2
    assert udfs.pe_explain("STAFF_CONTROL", "V3", 136, 143) == "在职人员控制率 95.10% ≤ 100%，得满分 8 分"
    assert udfs.pe_explain("STAFF_CONTROL", "V3", 136, None) == "无法计算：缺少 编制数合计"
    assert udfs.pe_grade(16, 32) == "差"
    assert udfs.pe_grade(28.8, 32) == "优"  # 89.99999999999999 in floats, exactly 90 in decimals
    assert udfs.pe_grade(None) is None
    with pytest.raises(ValueError, match="需要 2 个参数"):
        udfs.pe_indicator("STAFF_CONTROL", 136)
    with pytest.raises(ValueError, match="不含指标"):
        udfs.pe_score("KEY_SPEND", 0.9, "V3")


# -- Office.js custom functions ------------------------------------------------------------------

_DRIVER = r"""
import asyncio, json, sys
import xlwings as xw
import xlwings.server as server
from perfeval_xl.xl import udfs

requests = json.load(sys.stdin)
out = {"meta": server.custom_functions_meta(udfs), "results": []}
for func_name, args in requests:
    body = {"func_name": func_name, "args": args, "caller_address": "Microsoft Excel[评价.xlsx]评分!G5",
            "content_language": "zh-CN", "version": xw.__version__, "client": "Office.js", "runtime": "1.4"}
    try:
        out["results"].append({"ok": asyncio.run(server.custom_functions_call(body, udfs))})
    except Exception as e:
        out["results"].append({"error": str(e)})
json.dump(out, sys.stdout, ensure_ascii=False)
"""


def _m(*rows):
    """A 2-D matrix as Office.js sends it."""
    return [list(r) for r in rows]


def _s(x):
    """A single cell as a 1×1 matrix."""
    return [[x]]


# (function, args as sent, expected result matrix or error text)
CALLS = [
    ("pe_ratio", [_m([1, 2], [3, None]), _s(2)], [[3.0]]),
    ("pe_ratio", [_m([1], ["备注"], [None]), _s(4)], [[0.25]]),
    ("pe_ratio", [_s(5), _s(None)], [[""]]),
    ("pe_ratio", [_s(5), _s(0)], [[""]]),
    ("pe_change_rate", [_s(63.46), _s(32)], [[0.983125]]),
    ("pe_linear_over", [_s(1.03), _s(5), _s(1), _s(0.5), _s(None)], [[3.5]]),  # blank optional → default per=1
    ("pe_linear_over", [_s("不适用"), _s(5), _s(1), _s(0.5), _s(1)], [[5.0]]),
    ("pe_steps_under", [_s(0.9927), _s(8), _s(1), _s(0.05), _s(2)], [[8.0]]),
    ("pe_bands", [_s(0.1), _s("=0:5;(0,10]:4;(10,20]:3;(20,30]:2;>30:0"), _s(None)], [[4.0]]),
    ("pe_checklist", [_m(["是"], ["否"], ["是"]), _s(3), _s(None), _s(None)], [[2.0]]),
    ("pe_checklist", [_m(["是", None]), _s(3), _s(1), _s("award")], [[""]]),
    ("pe_indicator", [_s("STAFF_CONTROL"), [_s(136), _s(143)]], [[136 / 143]]),
    ("pe_indicator", [_s("STAFF_CONTROL"), [_s(136), _s(None)]], [[""]]),
    ("pe_indicator", [_s("BUILDING_AREA"), [_s("不适用（本年无完工项目）"), _s(None), _s(None)]], [["不适用"]]),
    ("pe_indicator", [_s("STAFF_CONTROL"), [_s(136)]], "需要 2 个参数"),
    ("pe_score", [_s("STAFF_CONTROL"), _s(0.951), _s("V3")], [[8.0]]),
    ("pe_score", [_s("BUDGET_CONTROL"), _s(0.1), _s("V1")], [[4.0]]),
    ("pe_score", [_s("STAFF_CONTROL"), _s(None), _s("V3")], [[""]]),
    ("pe_explain", [_s("STAFF_CONTROL"), _s("V3"), [_s(136), _s(None)]], [["无法计算：缺少 编制数合计"]]),
    ("pe_explain", [_s("STAFF_CONTROL"), _s("V3"), [_s(136), _s(143)]], [["在职人员控制率 95.10% ≤ 100%，得满分 8 分"]]),
    ("pe_grade", [_s(90), _s(None)], [["优"]]),
    ("pe_grade", [_s(16), _s(32)], [["差"]]),
    ("pe_grade", [_s(None), _s(100)], [[""]]),
]


@pytest.fixture(scope="module")
def officejs():
    env = dict(os.environ, XLWINGS_LICENSE_KEY="noncommercial", XLWINGS_ON_SERVER="true")
    payload = json.dumps([[name, args] for name, args, _ in CALLS], ensure_ascii=False)
    proc = subprocess.run([sys.executable, "-c", _DRIVER], input=payload, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("i", range(len(CALLS)), ids=[f"{c[0]}-{i}" for i, c in enumerate(CALLS)])
def test_custom_functions_call_with_officejs_body(officejs, i):
    name, _args, expected = CALLS[i]
    got = officejs["results"][i]
    if isinstance(expected, str):
        assert expected in got.get("error", ""), got
        return
    assert "ok" in got, got
    value, want = got["ok"][0][0], expected[0][0]
    if isinstance(want, float):
        assert value == pytest.approx(want, rel=1e-12)
    else:
        assert value == want


def test_custom_functions_meta_lists_every_udf_in_chinese(officejs):
    funcs = {f["name"]: f for f in officejs["meta"]["functions"]}
    assert set(funcs) == {
        "PE_RATIO", "PE_CHANGE_RATE", "PE_LINEAR_OVER", "PE_LINEAR_UNDER", "PE_STEPS_OVER", "PE_STEPS_UNDER",
        "PE_BANDS", "PE_CHECKLIST", "PE_INDICATOR", "PE_SCORE", "PE_EXPLAIN", "PE_GRADE",
    }
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for name, f in funcs.items():
        assert cjk.search(f["description"]), name
        for p in f["parameters"]:
            assert cjk.search(p["description"]), (name, p["name"])
    params = {p["name"]: p for p in funcs["PE_INDICATOR"]["parameters"]}
    assert params["inputs"].get("repeating") is True
    assert {p["name"]: p.get("optional", False) for p in funcs["PE_LINEAR_OVER"]["parameters"]}["per"] is True
    assert funcs["PE_GRADE"]["description"].startswith("评价等级")
