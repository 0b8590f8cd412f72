"""fill → read round trip, and clear refusals for bad input."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest
from openpyxl import Workbook

from perfeval_xl.examples import EXAMPLES, ROOT, TEMPLATE_NAME, data_path

TEMPLATE = ROOT / TEMPLATE_NAME


def perfeval(*args):
    return subprocess.run([sys.executable, "-m", "perfeval_xl.cli", *map(str, args)], capture_output=True, text=True)


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("example", [e.stem for e in EXAMPLES])
def test_fill_then_read_round_trips_exactly(tmp_path, example, example_values):
    out = tmp_path / "filled.xlsx"
    before = sha(TEMPLATE)
    ex = next(e for e in EXAMPLES if e.stem == example)
    r = perfeval("fill", TEMPLATE, "--data", data_path(ex), "--out", out)
    assert r.returncode == 0, r.stderr
    assert sha(TEMPLATE) == before
    r = perfeval("read", out, "--format", "json")
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    expected = example_values[example]
    assert set(got) == set(expected)
    from decimal import Decimal

    for fid, value in expected.items():
        v = got[fid]["value"]
        if isinstance(value, Decimal):
            assert Decimal(str(v)) == value, fid
        else:
            assert str(v) == str(value), fid
        assert got[fid]["cell"] and got[fid]["sheet"]


def test_read_reports_cell_addresses():
    from perfeval_xl.cli.read import read_inputs

    entries = read_inputs(ROOT / "examples" / "seed_furong_2020.xlsx")
    assert entries["assets.fixed.closing"]["sheet"] == "资产"
    assert entries["assets.fixed.closing"]["value"] == 132.75  # the seed report's 年末固定资产 (domain.md §4.1)


def write_json(tmp_path, doc):
    p = tmp_path / "data.json"
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "doc, needle",
    [
        ({"no.such.field": 1}, "未知字段编号"),
        ({"assets.fixed.opening": "一百"}, "应为数字"),
        ({"assets.fixed.opening": -5}, "不能小于"),
        ({"assets.fixed.opening": "1.234"}, "最多 2 位小数"),
        ({"staff.onpost.total": 3.5}, "应为整数"),
        ({"eval.method": "随便"}, "应为下列之一"),
        ({"outputs.r01.rate_expected": 1}, "计算单元格"),
    ],
)
def test_fill_rejects_bad_data_and_writes_nothing(tmp_path, doc, needle):
    out = tmp_path / "out.xlsx"
    r = perfeval("fill", TEMPLATE, "--data", write_json(tmp_path, doc), "--out", out)
    assert r.returncode == 2
    assert needle in r.stderr
    assert "Traceback" not in r.stderr
    assert not out.exists()


def test_fill_refuses_to_overwrite_the_template(tmp_path):
    copy = tmp_path / "t.xlsx"
    copy.write_bytes(TEMPLATE.read_bytes())
    r = perfeval("fill", copy, "--data", write_json(tmp_path, {"dept.name": "x"}), "--out", copy)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert copy.read_bytes() == TEMPLATE.read_bytes()


def test_not_a_workbook_and_not_this_template(tmp_path):
    text = tmp_path / "notes.xlsx"
    text.write_text("这不是工作簿", encoding="utf-8")
    other = tmp_path / "other.xlsx"
    wb = Workbook()
    wb.active["A1"] = "随便一个表"
    wb.save(other)
    data = write_json(tmp_path, {"dept.name": "x"})
    for bad in (text, other, tmp_path / "missing.xlsx"):
        for args in (("read", bad), ("fill", bad, "--data", data, "--out", tmp_path / "o.xlsx")):
            r = perfeval(*args)
            assert r.returncode == 2, (args, r.stdout)
            assert "Traceback" not in r.stderr
            assert r.stderr.strip().startswith("错误")
    assert not (tmp_path / "o.xlsx").exists()
