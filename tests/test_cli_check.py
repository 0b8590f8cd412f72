"""perfeval check end to end: exit codes, JSON against its documentation, the annotated
copy and the summary written from real check results, inputs never modified."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from perfeval_xl.cli import main
from perfeval_xl.check.marks import MARK_RGB as FILL_RGB
from perfeval_xl.outputs.annotate import FIRST_ROW, NOTE_AUTHOR, RESULTS_SHEET
from perfeval_xl.outputs.summary import SUMMARY_HEADER, SUMMARY_SHEET

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "workbook_templates" / "examples" / "synthetic.xlsx"
DOC = ROOT / "docs" / "report-json.md"


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main(["check", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def cli_process(*argv) -> subprocess.CompletedProcess:
    """A real process: what an accountant's shell sees, tracebacks included."""
    return subprocess.run(
        [sys.executable, "-m", "perfeval_xl.cli", "check", *map(str, argv)],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )


@pytest.fixture()
def good(tmp_path) -> Path:
    p = tmp_path / "in" / "示例部门.xlsx"
    p.parent.mkdir(exist_ok=True)
    shutil.copy(EXAMPLE, p)
    return p


@pytest.fixture(scope="module")
def broken_src(tmp_path_factory, example_values) -> Path:
    """The synthetic example with one money input off by 100 万元: its totals no longer add up."""
    from perfeval_xl.template.writer import build_template

    values = dict(example_values["synthetic"])
    values["inc.general_budget"] = values["inc.general_budget"] + Decimal(100)
    return build_template(tmp_path_factory.mktemp("broken") / "收入不平.xlsx", values=values)


@pytest.fixture()
def broken(tmp_path, broken_src) -> Path:
    p = tmp_path / "in" / broken_src.name
    p.parent.mkdir(exist_ok=True)
    shutil.copy(broken_src, p)
    return p


@pytest.fixture()
def not_a_workbook(tmp_path) -> Path:
    p = tmp_path / "in" / "其实是文本.xlsx"
    p.parent.mkdir(exist_ok=True)
    p.write_text("这不是工作簿\n", encoding="utf-8")
    return p


# -- exit codes -------------------------------------------------------------------------


def test_consistent_example_exits_0(capsys, good):
    before = sha(good)
    code, out, _ = cli(capsys, good)
    assert code == 0
    assert "共 1 个文件：错误 0" in out and "合格" in out
    assert sha(good) == before


def test_corrupted_money_input_exits_1_and_names_the_cell(capsys, broken):
    before = sha(broken)
    code, out, _ = cli(capsys, broken)
    assert code == 1
    assert "不合格" in out and re.search(r"错误 [1-9]", out)
    code, out, _ = cli(capsys, broken, "--json")
    assert code == 1
    doc = json.loads(out)
    errors = [f for f in doc["files"][0]["findings"] if f["severity"] == "error"]
    assert errors
    involved = {c["field_id"] for f in errors for c in f["cells"]}
    assert "inc.general_budget" in involved
    assert sha(broken) == before


def test_terminal_groups_the_formula_checks_apart_from_the_supplementary_ones(capsys, tmp_path):
    """表内公式核对 (what the workbook's formulas show) first, then 补充校验, each with its own counts."""
    seed = tmp_path / "seed.xlsx"
    shutil.copy(ROOT / "workbook_templates" / "examples" / "seed_furong_2020.xlsx", seed)
    code, out, _ = cli(capsys, seed)
    code_json, doc, _ = cli(capsys, seed, "--json")
    assert code == code_json == 1  # the exit code is the same with or without --json
    findings = json.loads(doc)["files"][0]["findings"]
    native = [f for f in findings if f["native"]]
    supplement = [f for f in findings if not f["native"]]
    assert native and supplement

    def counts(fs):
        return "，".join(f"{zh} {sum(1 for f in fs if f['severity'] == s)}"
                        for s, zh in (("error", "错误"), ("warning", "警告"), ("info", "提示")))

    head_native, head_supplement = f"【表内公式核对】{counts(native)}", f"【补充校验】{counts(supplement)}"
    assert head_native in out and head_supplement in out
    first, second = out.split(head_supplement)
    assert head_native in first
    for f in native:  # each finding under its own part, its message printed once
        assert f["message"] in first and f["message"] not in second
    for f in supplement:
        assert f["message"] in second


def test_text_file_renamed_xlsx_exits_2_without_traceback(not_a_workbook):
    proc = cli_process(not_a_workbook)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "无法校验" in proc.stdout


def test_missing_path_exits_2_without_traceback(tmp_path, good):
    proc = cli_process(tmp_path / "没有这个文件.xlsx", good)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "共 2 个文件" in proc.stdout and "1 个无法校验" in proc.stdout


def test_empty_folder_is_a_usage_error(capsys, tmp_path):
    (tmp_path / "空").mkdir()
    code, _, err = cli(capsys, tmp_path / "空")
    assert code == 2 and "没有" in err


# -- files and folders ------------------------------------------------------------------


def test_folder_is_searched_recursively(capsys, tmp_path, good, broken):
    sub = tmp_path / "in" / "二级"
    sub.mkdir()
    shutil.copy(EXAMPLE, sub / "下级单位.xlsx")
    (tmp_path / "in" / "~$示例部门.xlsx").write_bytes(b"lock")  # Excel's lock file: not a submission
    (tmp_path / "in" / "说明.txt").write_text("x", encoding="utf-8")
    code, out, _ = cli(capsys, tmp_path / "in", "--json")
    doc = json.loads(out)
    names = sorted(Path(f["file"]).name for f in doc["files"])
    assert names == sorted(["示例部门.xlsx", "收入不平.xlsx", "下级单位.xlsx"])
    assert code == 1 and doc["summary"]["files"] == 3 and doc["summary"]["passed"] == 2


def test_quiet_prints_only_the_summary_line(capsys, good, broken):
    code, out, _ = cli(capsys, good, broken, "-q")
    assert code == 1
    lines = [l for l in out.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("共 2 个文件：错误 ")


# -- JSON -------------------------------------------------------------------------------


def documented_keys() -> dict[str, set[str]]:
    """The key tables of docs/report-json.md, by their ``<!-- keys: … -->`` marker."""
    out: dict[str, set[str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"<!-- keys: (\w+) -->", line)
        if m:
            current = m.group(1)
            out[current] = set()
            continue
        if current is None:
            continue
        m = re.match(r"\| `(\w+)` \|", line)
        if m:
            out[current].add(m.group(1))
        elif out[current] and not line.startswith("|"):
            current = None
    return out


def test_json_matches_the_documented_schema(capsys, good, broken):
    doc_keys = documented_keys()
    assert set(doc_keys) == {"top", "summary", "file", "finding", "cell"}
    code, out, _ = cli(capsys, good, broken, "--json")
    doc = json.loads(out)
    assert set(doc) == doc_keys["top"]
    assert set(doc["summary"]) == doc_keys["summary"]
    assert doc["schema_version"] == doc["files"][0]["schema_version"]
    findings = [f for r in doc["files"] for f in r["findings"]]
    assert findings, "the broken workbook must give findings to validate"
    for r in doc["files"]:
        assert set(r) == doc_keys["file"]
        assert set(r["counts"]) == {"error", "warning", "info"}
        assert re.fullmatch(r"[0-9a-f]{64}", r["sha256"]) and r["sha256"] == sha(r["file"])
        assert r["ruleset_version"] == doc["ruleset_version"]
        assert r["template_version"] == "1.1" and r["checked"] is True
        assert sum(r["counts"].values()) == len(r["findings"])
    for f in findings:
        assert set(f) == doc_keys["finding"]
        assert f["severity"] in ("error", "warning", "info")
        for c in f["cells"]:
            assert set(c) == doc_keys["cell"]
    assert doc["summary"]["counts"] == {
        k: sum(r["counts"][k] for r in doc["files"]) for k in ("error", "warning", "info")
    }
    assert [r["passed"] for r in doc["files"]] == [True, False]


def test_json_for_an_unreadable_file(capsys, not_a_workbook):
    code, out, _ = cli(capsys, not_a_workbook, "--json")
    doc = json.loads(out)
    assert code == 2
    assert doc["files"][0]["checked"] is False and doc["files"][0]["passed"] is False
    assert doc["summary"]["checked"] == 0


# -- annotated copy ---------------------------------------------------------------------


def test_annotate_one_file_matches_the_findings(capsys, tmp_path, broken):
    before = sha(broken)
    out_path = tmp_path / "out" / "批注.xlsx"
    code, stdout, err = cli(capsys, broken, "--json", "--annotate", out_path)
    assert code == 1 and sha(broken) == before
    doc = json.loads(stdout)  # stdout stays pure JSON: the "written" line went to stderr
    assert "标注副本" in err
    findings = doc["files"][0]["findings"]
    listed = [f for f in findings if not f["native"]]  # the native ones are the live block's, above
    assert any(f["native"] for f in findings)

    wb = load_workbook(out_path)
    rows = [r for r in wb[RESULTS_SHEET].iter_rows(min_row=FIRST_ROW, values_only=True) if r[0] is not None]
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows] == [
        (i, f["rule_id"], f["severity_zh"], f["cells"][0]["sheet"] if f["cells"] else None,
         f["cells"][0]["address"] if f["cells"] else None)
        for i, f in enumerate(listed, start=1)
    ]
    assert [r[6].lstrip("'") for r in rows] == [f["message"] for f in listed]

    want = {(c["sheet"], c["address"]) for f in findings for c in f["cells"] if c["sheet"] and c["address"]}
    got = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.comment is not None and c.comment.author == NOTE_AUTHOR:
                    got.add((ws.title, c.coordinate))
                    assert c.fill.fgColor.rgb[-6:] in FILL_RGB.values()
    assert got == want


def test_annotate_several_files_into_a_folder(capsys, tmp_path, good, broken):
    out_dir = tmp_path / "批注"
    code, _, _ = cli(capsys, good, broken, "--annotate", out_dir)
    assert code == 1
    assert sorted(p.name for p in out_dir.iterdir()) == sorted([good.name, broken.name])
    ok = load_workbook(out_dir / good.name)[RESULTS_SHEET]
    assert "合格" in ok["A4"].value and "不合格" not in ok["A4"].value


def test_single_file_into_a_folder_given_with_a_slash(capsys, tmp_path, good):
    code, _, _ = cli(capsys, good, "--annotate", f"{tmp_path / '批注.xlsx'}/")  # odd, but clearly a folder
    assert code == 0
    assert (tmp_path / "批注.xlsx" / good.name).is_file()


def test_rechecking_an_inbox_skips_the_copies_left_in_it(capsys, tmp_path, good, broken):
    inbox = good.parent
    copies = inbox / "批注"
    assert cli(capsys, inbox, "--annotate", copies)[0] == 1
    assert sorted(p.name for p in copies.iterdir()) == sorted([good.name, broken.name])
    code, out, _ = cli(capsys, inbox, "--annotate", copies, "--json")
    assert code == 1
    assert sorted(Path(f["file"]).name for f in json.loads(out)["files"]) == sorted([good.name, broken.name])
    assert {Path(f["file"]).parent for f in json.loads(out)["files"]} == {inbox}


def test_annotated_copy_opens_in_libreoffice(capsys, tmp_path, broken):
    from perfeval_xl.outputs.libreoffice import convert

    out_path = tmp_path / "a.xlsx"
    assert cli(capsys, broken, "--annotate", out_path)[0] == 1
    pdf = convert([out_path], "pdf", tmp_path / "pdf")[0]
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "SUM005" in text and "SUM006" in text, text[:2000]  # the +100 万元 一般公共预算 breaks both totals it feeds


@pytest.mark.parametrize("how", ["same_path", "input_folder", "folder_of_several"])
def test_annotate_refuses_to_overwrite_an_input(tmp_path, good, broken, how):
    before = {p: sha(p) for p in (good, broken)}
    mtimes = {p: p.stat().st_mtime_ns for p in (good, broken)}
    if how == "same_path":
        argv = (good, "--annotate", good)
    elif how == "input_folder":  # OUT/<name> would be the input itself
        argv = (good, "--annotate", good.parent)
    else:
        argv = (good, broken, "--annotate", good.parent)
    proc = cli_process(*argv)
    assert proc.returncode == 2
    assert "拒绝" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""  # refused before checking anything
    assert {p: sha(p) for p in before} == before
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes


def test_annotate_skips_unreadable_files_and_exits_2(capsys, tmp_path, good, not_a_workbook):
    out_dir = tmp_path / "批注"
    code, out, _ = cli(capsys, good, not_a_workbook, "--annotate", out_dir)
    assert code == 2
    assert [p.name for p in out_dir.iterdir()] == [good.name]
    assert "未生成标注副本" in out


# -- summary ----------------------------------------------------------------------------


def test_summary_one_row_per_file(capsys, tmp_path, good, broken, not_a_workbook):
    from perfeval_xl.template.writer import build_template

    hostile = build_template(tmp_path / "in" / "恶意.xlsx", values={"dept.name": "=HYPERLINK(\"http://x\",\"y\")", "report.year": 2024})
    inputs = (good, broken, not_a_workbook, hostile)
    before = {p: sha(p) for p in inputs}
    target = tmp_path / "汇总.xlsx"
    code, out, _ = cli(capsys, *inputs, "--summary", target)
    assert code == 2  # one file could not be checked
    assert {p: sha(p) for p in inputs} == before
    ws = load_workbook(target)[SUMMARY_SHEET]
    rows = {Path(r[1]).name: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {p.name for p in inputs}
    assert rows[good.name][2:6] == ("示例区农业农村局（虚构示例）", 2023, "1.1", "合格")
    assert rows[broken.name][5] == "不合格" and rows[broken.name][6] >= 1
    assert rows[not_a_workbook.name][5] == "无法校验"
    assert rows[hostile.name][2] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert rows[good.name][SUMMARY_HEADER.index("SHA-256")] == before[good]
    dept_cell = next(r for r in ws.iter_rows(min_row=2) if r[1].value.endswith("恶意.xlsx"))[2]
    assert dept_cell.data_type == "s"


def test_summary_may_not_overwrite_an_input(tmp_path, good):
    before = sha(good)
    proc = cli_process(good, "--summary", good)
    assert proc.returncode == 2 and "拒绝" in proc.stderr and "Traceback" not in proc.stderr
    assert sha(good) == before


def test_json_rendered_file_by_file_is_the_whole_document(capsys, good, broken, not_a_workbook):
    """`check --json` renders each file's part as its report arrives; the text must be the document dumped whole."""
    from perfeval_xl.check import check_path
    from perfeval_xl.cli.check import file_json, json_document, json_text
    from perfeval_xl.outputs.serialize import dumps

    reports = [check_path(p) for p in (good, broken, not_a_workbook)]
    for some in (reports, reports[1:2], []):
        assert json_text(some, [file_json(r) for r in some]) == dumps(json_document(some), indent=1)
    code, out, _ = cli(capsys, good, broken, "--json")
    assert [Path(f["file"]).name for f in json.loads(out)["files"]] == [good.name, broken.name]
