"""The 校验 button's code path through xlwings' own remote engine (no Excel, no fake)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import xlwings as xw

from perfeval_xl.examples import EXAMPLES, ROOT
from perfeval_xl.xl import validate
from perfeval_xl.outputs.listing import SUPPLEMENT_TITLE
from perfeval_xl.xl.marking import FIRST_ROW, MARK_FILL, MARKS_COLUMN, SECTION_ROW
from xl_payload import book_payload

HERE = Path(__file__).resolve().parent


def cli_json(path: Path) -> dict:
    r = subprocess.run([sys.executable, "-m", "perfeval_xl", "check", "--json", str(path)], capture_output=True, text=True)
    assert r.returncode in (0, 1), r.stderr
    return json.loads(r.stdout)["files"][0]


def _cells_of(actions, func):
    out = {}
    for a in actions:
        if a["func"] == func:
            out[(a["sheet_position"], a["start_row"], a["start_column"])] = a["args"]
    return out


def _written(writes, row0: int, col0: int):
    """The value the button wrote last into one cell (0-based position), or None."""
    for a in reversed(writes):
        if a["start_row"] == row0 and a["start_column"] == col0:
            v = a["values"]
            return v[0][0] if isinstance(v, list) and v and isinstance(v[0], list) else v
    return None


def _severity_counts(findings, rounding: bool = False) -> str:
    """The counts as the sheet words them, computed here from the CLI's JSON."""
    n = {s: sum(1 for f in findings if f["severity"] == s) for s in ("error", "warning", "info")}
    if rounding:
        text = f"错误 {n['error']} 项，警告 {n['warning']} 项（含舍入差异 {sum(1 for f in findings if f['rounding'])} 项）"
        return text + (f"，提示 {n['info']} 项" if n["info"] else "")
    return f"错误 {n['error']} 项，警告 {n['warning']} 项，提示 {n['info']} 项"


def _address(row0: int, col0: int) -> str:
    from perfeval_xl.schema import col_letter

    return f"{col_letter(col0 + 1)}{row0 + 1}"


@pytest.mark.parametrize("example", [e.stem for e in EXAMPLES])
def test_button_marks_exactly_the_cells_perfeval_check_reports(example):
    path = ROOT / "examples" / f"{example}.xlsx"
    payload = book_payload(path)
    book = xw.Book(json=payload)
    report = validate.run(book)
    actions = book.json()["actions"]
    sheet_names = [s["name"] for s in payload["sheets"]]

    expected = cli_json(path)
    want_cells = {(c["sheet"], c["address"]) for f in expected["findings"] for c in f["cells"] if c["address"]}
    colored = {
        (sheet_names[pos], _address(r, c)): args[0]
        for (pos, r, c), args in _cells_of(actions, "setRangeColor").items()
        if sheet_names[pos] != "校验结果"
    }
    # previous-run restoration is a no-op on a fresh book, so every colour is a mark
    assert set(colored) == want_cells
    assert set(colored.values()) <= {v.lower() for v in MARK_FILL.values()} | set(MARK_FILL.values())

    # the same findings, in the same order, as the CLI's JSON
    assert [f.rule_id for f in report.findings] == [f["rule_id"] for f in expected["findings"]]
    assert [f.message for f in report.findings] == [f["message"] for f in expected["findings"]]

    # listed below the live block: exactly the findings its formulas cannot give, in the CLI's order
    writes = [a for a in actions if a["func"] == "setValues" and sheet_names[a["sheet_position"]] == "校验结果"]
    rows = next((a["values"] for a in writes if a["start_row"] == FIRST_ROW - 1 and a["start_column"] == 0), [])
    supplement = [f for f in expected["findings"] if not f["native"]]
    native = [f for f in expected["findings"] if f["native"]]
    assert [r[1] for r in rows] == [f["rule_id"] for f in supplement]
    assert [r[6] for r in rows] == [f["message"] for f in supplement]
    assert [r[0] for r in rows] == list(range(1, len(supplement) + 1))
    section = _written(writes, SECTION_ROW - 1, 0)
    assert section.startswith(SUPPLEMENT_TITLE) and _severity_counts(supplement) in section
    status = _written(writes, 3, 0)
    assert f"表内公式：{_severity_counts(native, rounding=True)}" in status
    assert f"补充校验：{_severity_counts(supplement)}" in status
    alerts = [a for a in actions if a["func"] == "alert"]
    assert len(alerts) == 1 and "校验完成" in alerts[0]["args"][0]
    assert f"表内公式：{_severity_counts(native, rounding=True)}" in alerts[0]["args"][0]
    counts = expected["counts"]
    rounding = sum(1 for f in expected["findings"] if f["rounding"])
    # the popup promises what README and macros/README promise: 错误, 警告 and how many are 舍入差异
    assert (
        f"错误 {counts['error']} 个，警告 {counts['warning']} 个（其中舍入差异 {rounding} 个），提示 {counts['info']} 个"
        in alerts[0]["args"][0]
    )


def test_some_example_has_rounding_differences_for_the_popup_to_count():
    assert any(f["rounding"] for e in EXAMPLES for f in cli_json(ROOT / "examples" / f"{e.stem}.xlsx")["findings"])


def test_nothing_is_written_into_input_cells():
    from perfeval_xl.schema import INPUTS
    from perfeval_xl.template.layout import layout

    path = ROOT / "examples" / "seed_furong_2020.xlsx"
    payload = book_payload(path)
    book = xw.Book(json=payload)
    validate.run(book)
    lay = layout()
    inputs = {(lay.sheet_title(lay.cell(f).sheet), lay.cell(f).address) for f in INPUTS}
    names = [s["name"] for s in payload["sheets"]]
    for a in book.json()["actions"]:
        if a["func"] in ("setValues", "rangeClearContents", "setFormula"):
            for r in range(a["row_count"] or 1):
                for c in range(a["column_count"] or 1):
                    assert (names[a["sheet_position"]], _address(a["start_row"] + r, a["start_column"] + c)) not in inputs


def test_clear_restores_the_template_fills_of_the_marked_cells():
    """Run twice: the second run first restores every cell the first run marked."""
    from perfeval_xl.xl.marking import declared_fill

    path = ROOT / "examples" / "seed_furong_2020.xlsx"
    payload = book_payload(path)
    first = xw.Book(json=payload)
    validate.run(first)
    marked = [(s, a) for s, a in _marked_from_actions(first.json()["actions"], payload)]
    assert marked
    # what a saved-and-reopened book holds: the hidden column lists the marks
    names = [s["name"] for s in payload["sheets"]]
    findings_sheet = payload["sheets"][names.index("校验结果")]
    col = ord(MARKS_COLUMN) - 65
    rows = findings_sheet["values"]
    for i, (s, a) in enumerate(marked):
        r = FIRST_ROW - 1 + i
        while len(rows) <= r:
            rows.append([""] * len(rows[0]))
        while len(rows[r]) <= col:
            for row in rows:
                row.append("")
        rows[r][col] = f"'{s}'!{a}"
    rows[2][1] = "清除标记"
    second = xw.Book(json=payload)
    assert validate.run(second) is None
    restored = {}
    for a in second.json()["actions"]:
        if a["func"] == "setRangeColor":
            restored[(names[a["sheet_position"]], _address(a["start_row"], a["start_column"]))] = a["args"][0]
    assert set(restored) == set(marked)
    for (s, addr), color in restored.items():
        want = declared_fill(s, addr)
        assert (color or None) == (want.lower() if want else None) or color == want


def _marked_from_actions(actions, payload):
    names = [s["name"] for s in payload["sheets"]]
    for a in actions:
        if a["func"] == "setValues" and names[a["sheet_position"]] == "校验结果" and a["start_column"] == ord(MARKS_COLUMN) - 65:
            for row in a["values"]:
                s, addr = row[0].rsplit("!", 1)
                yield s.strip("'"), addr


def test_officejs_script_runs_through_xlwings_server(tmp_path):
    """The Office.js/Lite 校验 script, called exactly as xlwings Server calls it."""
    payload_file = tmp_path / "payload.json"
    payload_file.write_text(json.dumps(book_payload(ROOT / "examples" / "synthetic.xlsx"), ensure_ascii=False), encoding="utf-8")
    code = (
        "import asyncio, json, sys; import xlwings as xw; import xlwings.server as s;"
        "import perfeval_xl.xl.officejs as m;"
        f"book = xw.Book(json=json.load(open({str(payload_file)!r}, encoding='utf-8')));"
        "meta = s.custom_scripts_meta(m);"
        "asyncio.run(s.custom_scripts_call(m, 'check', typehint_to_value={xw.Book: book}));"
        "print(json.dumps({'meta': meta, 'actions': book.json()['actions']}, ensure_ascii=False))"
    )
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial", PYTHONPATH=str(HERE))
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert {m["name"] for m in out["meta"]} >= {"校验", "清除标记"}
    alerts = [a for a in out["actions"] if a["func"] == "alert"]
    assert alerts and "校验完成" in alerts[0]["args"][0]
    # a real Office.js client refuses writes to locked cells: unprotect first, re-protect last, declared options
    from perfeval_xl.template.protection import officejs_options
    from perfeval_xl.xl.protection import JS_PROTECT, JS_UNPROTECT

    actions = out["actions"]
    assert actions[0]["func"] == "runMacro" and actions[0]["args"][0] == JS_UNPROTECT
    assert actions[-1]["func"] == "runMacro" and actions[-1]["args"][0] == JS_PROTECT
    assert actions[-1]["args"][3] == officejs_options() and actions[-1]["args"][3]["allowFormatColumns"] is True
    assert actions[0]["args"][2] == actions[-1]["args"][2]  # the same password both ways
    assert sum(a["func"] == "runMacro" for a in actions) == 2


def test_officejs_client_script_defines_both_callbacks():
    """The JavaScript side of the two runMacro calls: present, parseable, named as Python calls them."""
    import shutil

    from perfeval_xl.xl.protection import JS_PROTECT, JS_UNPROTECT

    js = HERE.parent / "macros" / "officejs" / "protection.js"
    text = js.read_text(encoding="utf-8")
    for name in (JS_UNPROTECT, JS_PROTECT):
        assert f"async function {name}(" in text and f"xlwings.registerCallback({name})" in text
    node = shutil.which("node")
    if node:  # syntax check with a real JavaScript engine where one is installed
        r = subprocess.run([node, "--check", str(js)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr


def test_button_reports_the_evaluator_entries_like_perfeval_check(tmp_path):
    """A 得分 over its 分值 and a deduction without 扣分理由 are marked by the button exactly as check reports them."""
    import shutil

    from openpyxl import load_workbook

    path = shutil.copy(ROOT / "examples" / "hunan_unit_2018.xlsx", tmp_path / "entries.xlsx")
    wb = load_workbook(path)
    for name, v in (("score_e01_given", 50), ("score_e02_given", 20)):
        (sheet, coord), = list(wb.defined_names[name].destinations)
        wb[sheet][coord.replace("$", "")].value = v
    wb.save(path)
    payload = book_payload(path)
    book = xw.Book(json=payload)
    report = validate.run(book)
    assert {f.rule_id for f in report.findings} >= {"SCORE001", "SCORE002"}
    expected = cli_json(path)
    assert sorted(f["rule_id"] for f in expected["findings"] if f["rule_id"].startswith("SCORE")) == ["SCORE001", "SCORE002"]
    sheet_names = [s["name"] for s in payload["sheets"]]
    colored = {(sheet_names[pos], _address(r, c)) for (pos, r, c) in _cells_of(book.json()["actions"], "setRangeColor")}
    assert {("评分", "J9"), ("评分", "J10"), ("评分", "K10")} <= colored


def test_a_book_without_live_rows_lists_every_finding_native_included():
    """A book whose 校验结果 has no live rows (an older template): nothing native may go unlisted."""
    from perfeval_xl.outputs.listing import ALL_TITLE
    from perfeval_xl.template.results_layout import NATIVE_FIRST_ROW, native_last_row

    path = ROOT / "examples" / "seed_furong_2020.xlsx"
    payload = book_payload(path)
    names = [s["name"] for s in payload["sheets"]]
    values = payload["sheets"][names.index("校验结果")]["values"]
    for r in range(NATIVE_FIRST_ROW - 1, native_last_row()):
        values[r][1] = ""  # the 规则 column of the live block
    book = xw.Book(json=payload)
    report = validate.run(book)
    expected = cli_json(path)
    assert any(f["native"] for f in expected["findings"])
    writes = [a for a in book.json()["actions"] if a["func"] == "setValues" and names[a["sheet_position"]] == "校验结果"]
    rows = next((a["values"] for a in writes if a["start_row"] == FIRST_ROW - 1 and a["start_column"] == 0), [])
    assert [r[1] for r in rows] == [f["rule_id"] for f in expected["findings"]] == [f.rule_id for f in report.findings]
    assert _written(writes, SECTION_ROW - 1, 0).startswith(ALL_TITLE)
    assert "表内公式：" not in _written(writes, 3, 0)


def test_clearing_puts_the_template_heading_back():
    from perfeval_xl.outputs.listing import NOT_RUN

    path = ROOT / "examples" / "synthetic.xlsx"
    payload = book_payload(path)
    names = [s["name"] for s in payload["sheets"]]
    payload["sheets"][names.index("校验结果")]["values"][2][1] = "清除标记"
    book = xw.Book(json=payload)
    assert validate.run(book) is None
    writes = [a for a in book.json()["actions"] if a["func"] == "setValues" and names[a["sheet_position"]] == "校验结果"]
    assert _written(writes, SECTION_ROW - 1, 0) == SUPPLEMENT_TITLE + NOT_RUN
    # the generated template carries the same heading, so clearing restores what it had
    from openpyxl import load_workbook

    assert load_workbook(path)["校验结果"][f"A{SECTION_ROW}"].value == SUPPLEMENT_TITLE + NOT_RUN
