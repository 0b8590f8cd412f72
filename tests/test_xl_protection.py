"""Sheet protection around the 校验 run, through xlwings' own remote engine.

The template is generated with a custom PERFEVAL_PASSWORD and then checked on a
"machine" where that variable is unset: the password the button uses must be the
one whose hash the sheets carry, protection must come off before the first write
and go back last with the declared options, and ``perfeval_xl.main()`` runs the
whole path via xlwings' Book.caller() (set_mock_caller is xlwings' own mechanism).
"""

from __future__ import annotations

import pytest
import xlwings as xw
from openpyxl import load_workbook
from openpyxl.utils.protection import hash_password

import perfeval_xl
from perfeval_xl.template.protection import KEY_NAME, PROTECTION, officejs_options, openpyxl_attributes
from perfeval_xl.template.writer import PASSWORD_ENV, build_template
from perfeval_xl.xl import validate
from perfeval_xl.xl.protection import JS_PROTECT, JS_UNPROTECT, sheet_password, unlocked
from xl_payload import book_payload

CUSTOM = "财政局2024!"
WRITES = {"setValues", "setRangeColor", "rangeClearContents", "addNote", "setFormula"}


@pytest.fixture(scope="module")
def custom_template(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv(PASSWORD_ENV, CUSTOM)
    path = build_template(tmp_path_factory.mktemp("pw") / "模板.xlsx", year=2024, dept="某区财政局")
    mp.undo()
    return path


@pytest.fixture
def caller():
    """xlwings' own mock caller, removed again so no other test sees it."""
    yield lambda book: book.set_mock_caller()
    if hasattr(xw.Book, "_mock_caller"):
        del xw.Book._mock_caller


def test_the_template_records_its_password_and_the_button_finds_it(custom_template, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    wb = load_workbook(custom_template)
    book = xw.Book(json=book_payload(custom_template))
    pwd = sheet_password(book)
    assert pwd == CUSTOM
    # what Excel will compare on Unprotect: the hash each sheet was protected with
    for ws in wb.worksheets:
        assert ws.protection.sheet and ws.protection.password == hash_password(pwd), ws.title
    assert wb.defined_names[KEY_NAME].hidden


def test_without_a_record_the_documented_setting_is_used(custom_template, monkeypatch):
    payload = book_payload(custom_template)
    payload["names"] = [n for n in payload["names"] if n["name"] != KEY_NAME]
    monkeypatch.setenv(PASSWORD_ENV, "另一个密码")
    assert sheet_password(xw.Book(json=payload)) == "另一个密码"
    monkeypatch.delenv(PASSWORD_ENV)
    assert sheet_password(xw.Book(json=payload)) == "perfeval"


def test_template_protection_is_the_declared_one(custom_template):
    wb = load_workbook(custom_template)
    for ws in wb.worksheets:
        for attr, locked in openpyxl_attributes().items():
            assert getattr(ws.protection, attr) is locked, (ws.title, attr)
    # users may resize rows and columns and set a cell's number format (it says what the report printed),
    # and nothing structural
    assert {o.openpyxl for o in PROTECTION if o.allowed} >= {"formatColumns", "formatRows", "formatCells"}
    assert officejs_options()["allowFormatColumns"] and officejs_options()["allowFormatRows"] and officejs_options()["allowFormatCells"]
    assert not officejs_options()["allowInsertRows"] and not officejs_options()["allowDeleteRows"]


def _order(actions):
    return [(a["func"], a["args"][0] if a["func"] == "runMacro" else None) for a in actions]


def test_perfeval_main_unprotects_first_and_reprotects_last(custom_template, monkeypatch, caller):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    payload = book_payload(custom_template)
    book = xw.Book(json=payload)
    caller(book)
    perfeval_xl.main()  # RunMain's entry point, Book.caller() and all
    actions = book.json()["actions"]
    names = [s["name"] for s in payload["sheets"]]
    first, last = actions[0], actions[-1]
    assert first["func"] == "runMacro" and first["args"] == [JS_UNPROTECT, names, CUSTOM]
    assert last["func"] == "runMacro" and last["args"] == [JS_PROTECT, names, CUSTOM, officejs_options()]
    middle = actions[1:-1]
    assert any(a["func"] == "setValues" for a in middle), _order(actions)
    assert not any(a["func"] == "runMacro" for a in middle)
    alerts = [a for a in middle if a["func"] == "alert"]
    assert len(alerts) == 1 and alerts[0]["args"][0].startswith("校验完成：")


def test_protection_goes_back_even_when_the_run_fails(custom_template):
    book = xw.Book(json=book_payload(custom_template))
    with pytest.raises(ZeroDivisionError):
        with unlocked(book):
            book.sheets[0].range("A1").color = "#ff0000"
            1 / 0
    funcs = [(a["func"], a["args"][0]) for a in book.json()["actions"]]
    assert funcs == [("runMacro", JS_UNPROTECT), ("setRangeColor", "#ff0000"), ("runMacro", JS_PROTECT)]


def test_a_sheet_that_stays_locked_gets_no_marks(custom_template):
    from perfeval_xl.examples import ROOT

    path = ROOT / "examples" / "seed_furong_2020.xlsx"
    payload = book_payload(path)
    names = [s["name"] for s in payload["sheets"]]
    free = xw.Book(json=payload)
    report = validate.run(free)
    marked_sheets = {names[a["sheet_position"]] for a in free.json()["actions"] if a["func"] == "setRangeColor"}
    victim = sorted(marked_sheets - {"校验结果"})[0]

    book = xw.Book(json=book_payload(path))
    again = validate.run(book, locked={victim})
    assert [f.rule_id for f in again.findings] == [f.rule_id for f in report.findings]
    actions = book.json()["actions"]
    assert not [a for a in actions if a["func"] in WRITES and names[a["sheet_position"] or 0] == victim and a["func"] != "setValues"]
    alert = [a for a in actions if a["func"] == "alert"][0]["args"][0]
    assert victim in alert and "PERFEVAL_PASSWORD" in alert


def test_a_locked_findings_sheet_means_counts_only_and_no_half_written_list():
    from perfeval_xl.examples import ROOT

    payload = book_payload(ROOT / "examples" / "seed_furong_2020.xlsx")
    book = xw.Book(json=payload)
    report = validate.run(book, locked={"校验结果"})
    assert report is not None and report.findings
    actions = book.json()["actions"]
    assert [a["func"] for a in actions] == ["alert"]
    text = actions[0]["args"][0]
    assert text.startswith("校验完成：") and "未写入问题清单和标记" in text
