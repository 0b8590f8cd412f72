"""Every command's help and usage errors are Chinese; data-file mistakes are explained in Chinese."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from perfeval_xl.cli import build_parser, main

ENGLISH_BOILERPLATE = re.compile(
    r"usage:|options:|positional arguments|show this help|show program's version|"
    r"the following arguments|invalid choice|unrecognized arguments|expected one argument|error:|invalid \w+ value"
)


def _all_parsers(parser: argparse.ArgumentParser, path=()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _all_parsers(sub, path + (name,))


COMMANDS = [path for path, _ in _all_parsers(build_parser())]


def test_every_command_is_covered():
    assert {("check",), ("read",), ("schema",), ("fill",), ("intake",), ("addin", "build"), ("addin", "install")} <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "perfeval")
def test_help_has_no_english_boilerplate(path, capsys):
    with pytest.raises(SystemExit) as exc:
        main([*path, "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("用法：perfeval")
    assert not ENGLISH_BOILERPLATE.search(text), text
    assert "显示本帮助并退出" in text


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "perfeval")
def test_every_argument_explains_itself(path):
    parser = dict(_all_parsers(build_parser()))[path]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            assert all(choice.help for choice in action._choices_actions), path
        else:
            assert action.help, (path, action.dest)


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["chek", "x.xlsx"], "参数 命令：无效的取值“chek”（可选：addin、check"),
        (["check"], "缺少必需的参数：路径"),
        (["check", "--limit", "几条", "a.xlsx"], "参数 --limit：不是有效的整数：“几条”"),
        (["read", "a.xlsx", "--format", "jsn"], "您是否想输入：json？"),
        (["check", "--bogus", "a.xlsx"], "无法识别的参数：--bogus"),
        (["fill", "t.xlsx", "--data"], "参数 --data：需要一个值"),
    ],
)
def test_usage_errors_are_chinese(argv, expected, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：perfeval")
    assert "错误：" in err and expected in err
    assert not ENGLISH_BOILERPLATE.search(err), err


def test_a_mistyped_command_gets_a_suggestion(capsys):
    with pytest.raises(SystemExit):
        main(["chek", "x.xlsx"])
    assert "您是否想输入：check" in capsys.readouterr().err


@pytest.mark.parametrize(
    "text, expected",
    [
        ('{"dept.name": "财政局",}', "第 1 行第 21 列，字段编号须用英文双引号括起"),
        ('{"dept.name": "财政局" "report.year": 2024}', "第 1 行第 21 列，缺少逗号"),
        ('{"dept.name": 财政局}', "第 1 行第 15 列，此处缺少值"),
        ('{"dept.name": "C:\\dir"}', "无效的反斜杠转义"),
    ],
)
def test_json_syntax_errors_are_explained_in_chinese(tmp_path, capsys, text, expected):
    data = tmp_path / "data.json"
    data.write_text(text, encoding="utf-8")
    assert main(["fill", str(tmp_path / "t.xlsx"), "--data", str(data), "--out", str(tmp_path / "o.xlsx")]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert not re.search(r"Expecting|delimiter|line \d|column \d|char \d", err), err
    assert not (tmp_path / "o.xlsx").exists()


def test_a_mistyped_field_id_gets_a_suggestion(tmp_path, capsys):
    data = tmp_path / "data.json"
    data.write_text(json.dumps({"dept.nmae": "某局", "report.yaer": 2024}), encoding="utf-8")
    assert main(["fill", str(tmp_path / "t.xlsx"), "--data", str(data), "--out", str(tmp_path / "o.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "dept.nmae（" not in err
    assert re.search(r"dept\.nmae：未知字段编号，您是否想输入：dept\.name", err), err
    assert re.search(r"report\.yaer：未知字段编号，您是否想输入：report\.year", err), err


def test_the_command_line_calls_the_copy_what_readme_calls_it(capsys):
    """README: 标注副本. The command line says the same, in help and in what it prints."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "标注副本" in readme and "批注副本" not in readme
    for path in COMMANDS:
        with pytest.raises(SystemExit):
            main([*path, "--help"])
        assert "批注副本" not in capsys.readouterr().out, path


def test_the_evaluation_method_dropdown_is_full_width_and_old_spellings_still_read():
    from openpyxl import load_workbook

    from perfeval_xl.examples import ROOT
    from perfeval_xl.schema import SCHEMA
    from perfeval_xl.schema.values import coerce, parse_input

    field = SCHEMA["eval.method"]
    assert "部门（单位）绩效自评" in field.choices and not any("(" in c or ")" in c for c in field.choices)
    wb = load_workbook(next(ROOT.glob("*模板.xlsx")))
    lists = [dv.formula1 for ws in wb.worksheets for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert any("部门（单位）绩效自评" in f for f in lists) and not any("部门(单位)" in f for f in lists)
    # a workbook filled from the older dropdown keeps its answer
    assert coerce(field, "部门(单位)绩效自评") == ("部门（单位）绩效自评", None)
    assert parse_input(field, "部门(单位)绩效自评") == ("部门（单位）绩效自评", None)
