"""perfeval score: the full-100 table of a filled workbook, with the evaluator's entries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from openpyxl import load_workbook

from perfeval_xl.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "workbook_templates" / "examples"


def enter(path: Path, entries: dict) -> Path:
    wb = load_workbook(path)
    for name, value in entries.items():
        (sheet, coord), = list(wb.defined_names[name].destinations)
        wb[sheet][coord.replace("$", "")].value = value
    wb.save(path)
    return path


def run_json(capsys, *argv) -> tuple[int, dict]:
    code = main(["score", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_hunan_2018_is_not_graded_on_32_points(capsys):
    code, out = run_json(capsys, str(EXAMPLES / "hunan_unit_2018.xlsx"))
    assert code == 0 and out["profile_id"] == "V3"
    assert out["grade"] is None and out["total"] is None
    assert (out["scored_points"], out["pending"]) == (32, 2)
    assert out["summary"] == "已评 32 / 100 分，尚有 2 项待评"
    staff = out["rows"][0]
    assert (staff["name"], staff["points"], staff["value"], staff["score"]) == ("在职人员控制率", 8, "95.10%", 8)
    assert out["rows"][-1]["value"] == "评价组评分" and out["rows"][-1]["score"] is None


def test_evaluator_entries_complete_the_table(tmp_path, capsys):
    book = enter(shutil.copy(EXAMPLES / "hunan_unit_2018.xlsx", tmp_path / "h.xlsx"), {
        "score_e01_given": 40, "score_e01_reason": "资产账实不符", "score_e02_given": 26,
    })
    code, out = run_json(capsys, str(book))
    assert (out["total"], out["grade"], out["pending"]) == (82, "良", 0)
    assert out["summary"] == "总分 82 分，评价等级：良"
    e01 = next(r for r in out["rows"] if r["code"] == "E01")
    assert e01["reason"] == "资产账实不符" and e01["explanation"] == "评价组评分 40 分，扣分理由：资产账实不符"


def test_another_profile_and_a_text_score(tmp_path, capsys):
    book = enter(shutil.copy(EXAMPLES / "hunan_unit_2018.xlsx", tmp_path / "h.xlsx"), {"score_e01_given": "四十"})
    code = main(["score", str(book)])
    text = capsys.readouterr().out
    assert code == 2 and "E01 的评价组得分“四十”不是数字" in text
    assert text.rstrip().endswith("已评 32 / 100 分，尚有 2 项待评")
    code, out = run_json(capsys, str(book), "--profile", "V2")
    assert out["profile_id"] == "V2" and out["rows"][0]["name"] == "财政供养人员控制率"
    assert out["grade"] is None


def test_unknown_profile_is_a_clear_error(capsys):
    assert main(["score", str(EXAMPLES / "synthetic.xlsx"), "--profile", "V99"]) == 2
    assert "未知评分方案 V99" in capsys.readouterr().err


def test_check_and_its_summary_show_what_is_still_open(tmp_path, capsys):
    from openpyxl import load_workbook as load

    out = tmp_path / "汇总.xlsx"
    main(["check", str(EXAMPLES / "hunan_unit_2018.xlsx"), "--summary", str(out)])
    assert "评分：hunan_unit_2018.xlsx：已评 32 / 100 分，尚有 2 项待评" in capsys.readouterr().out
    ws = load(out)["汇总"]
    col = [c.value for c in ws[1]].index("等级")
    assert ws.cell(2, col + 1).value == "已评 32 / 100 分，尚有 2 项待评"


def test_check_shows_the_grade_once_every_row_is_scored(tmp_path, capsys):
    book = enter(shutil.copy(EXAMPLES / "hunan_unit_2018.xlsx", tmp_path / "h.xlsx"),
                 {"score_e01_given": 40, "score_e01_reason": "资产账实不符", "score_e02_given": 26})
    main(["check", str(book)])
    assert "评分：h.xlsx：总分 82 分，评价等级：良" in capsys.readouterr().out


def test_intake_summary_grade_column_says_what_is_open(tmp_path):
    from perfeval_xl.intake.batch import _score
    from perfeval_xl.readers.workbook import read_workbook

    assert _score(read_workbook(EXAMPLES / "hunan_unit_2018.xlsx")) == (None, "已评 32 / 100 分，尚有 2 项待评")
    book = enter(shutil.copy(EXAMPLES / "hunan_unit_2018.xlsx", tmp_path / "h.xlsx"),
                 {"score_e01_given": 40, "score_e01_reason": "资产账实不符", "score_e02_given": 26})
    assert _score(read_workbook(book)) == ("82.00", "良")


def _report_text(path) -> str:
    import docx

    d = docx.Document(path)
    cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def test_report_says_what_is_open_and_grades_only_the_full_table(tmp_path):
    from perfeval_xl.report import generate

    partial = _report_text(generate(EXAMPLES / "hunan_unit_2018.xlsx", tmp_path / "p.docx", force=True).docx)
    assert "已评 32 / 100 分，尚有 2 项待评" in partial
    assert "评价等级为" not in partial
    book = enter(shutil.copy(EXAMPLES / "hunan_unit_2018.xlsx", tmp_path / "h.xlsx"),
                 {"score_e01_given": 40, "score_e01_reason": "资产账实不符", "score_e02_given": 26})
    full = _report_text(generate(book, tmp_path / "f.docx", force=True).docx)
    assert "评价等级为“良”" in full and "评价组评分 40 分，扣分理由：资产账实不符" in full
