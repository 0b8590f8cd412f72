"""The 发布 text: the seed's own figures come back, no tool wording, and the wording follows the data.

* ``test_seed_figures_reach_the_report`` reads the real report (``tests/corpus/seed/``), takes every number in it that the workbook holds as a
  numeric field, and finds each one in the regenerated report;
* ``test_no_tool_wording_in_publish_mode`` scans the three examples' 发布 reports for tool names,
  rule ids, cell addresses, （未填报） and the other forbidden strings and patterns;
* the changed-input tests flip one figure at a time (increase ↔ decrease, overspend, zero base,
  both years zero, stated vs computed) and check the sentence that follows.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as open_docx

from perfeval_xl.cli import main
from perfeval_xl.indicators import score
from perfeval_xl.report import build_report, typed_values
from perfeval_xl.report.docx_writer import WORD_JOINER
from perfeval_xl.schema import INPUTS, FieldType

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "workbook_templates" / "examples"
# the published 2020 report of 芙蓉区政府办, as transcribed (a public document, kept with the tests)
SEED_REPORT = Path(__file__).parent / "corpus" / "seed" / "furong_2020_report.txt"
NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")
NUMERIC = (FieldType.MONEY, FieldType.COUNT, FieldType.NUMBER, FieldType.PERCENT)

FORBIDDEN_STRINGS = ("perfeval", "--force", "--mode", "xlwings", "（未填报）", "未填报", "【待填写", "应为", "无法计算",
                     "计算：", "未通过校验", "校验", "填报的", "与本年支出合计一致", "舍入差异", "None", "nan")
FORBIDDEN_PATTERNS = (
    re.compile(r"\b(?:STR|VAL|SUM|ROLL|RATE|XREF|PLAUS|MISS|SEC)\d{3}\b"),  # rule ids
    re.compile(r"[\u4e00-\u9fff]+!\$?[A-Z]{1,3}\$?\d+"),  # 收入支出!B43
    re.compile(r"\b[A-Z]{1,2}\d{1,3}\b(?![\d.])"),  # a bare cell address
    re.compile(r"\d+(?:\.\d+)?\s+(?:万元|%)"),  # a figure torn from its unit
    re.compile(r"(?<!“)三公”"),  # the stripped opening quote
)


def report_text(path: Path) -> str:
    doc = open_docx(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += ["\t".join(c.text for c in r.cells) for t in doc.tables for r in t.rows]
    return "\n".join(parts).replace(WORD_JOINER, "")


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    out = {}
    d = tmp_path_factory.mktemp("publish")
    for stem in ("seed_furong_2020", "synthetic", "hunan_unit_2018"):
        path = d / f"{stem}.docx"
        assert main(["report", str(EXAMPLES / f"{stem}.xlsx"), "--out", str(path), "--force"]) == 0
        out[stem] = path
    return out


def seed_text() -> str:
    return SEED_REPORT.read_text(encoding="utf-8")


def test_seed_figures_reach_the_report(published):
    seed = seed_text()
    _, values = typed_values(EXAMPLES / "seed_furong_2020.xlsx")
    held = {abs(Decimal(str(values[fid]))) for fid, f in INPUTS.items() if f.type in NUMERIC and values.get(fid) is not None}
    text = report_text(published["seed_furong_2020"])
    in_report = {Decimal(n) for n in NUMBER.findall(text)}
    wanted = {Decimal(n) for n in NUMBER.findall(seed)} & held
    missing = sorted(n for n in wanted if n not in in_report)
    assert len(wanted) >= 30, wanted  # the seed's money, counts, stated rates: not a vacuous check
    assert not missing, f"figures of the real report the workbook holds, missing from the regenerated report: {missing}"
    for figure in ("24.4%", "1.51万元", "71.23%", "6.60万元", "完成率100%", "办结率98%"):
        assert figure in text


@pytest.mark.parametrize("stem", ["seed_furong_2020", "synthetic", "hunan_unit_2018"])
def test_no_tool_wording_in_publish_mode(published, stem):
    text = report_text(published[stem])
    found = [s for s in FORBIDDEN_STRINGS if s in text]
    found += [m.group(0) for p in FORBIDDEN_PATTERNS for m in p.finditer(text)]
    assert not found, found
    todo = published[stem].with_name(f"{stem}.待补充.txt")
    assert todo.is_file() and "待补充" in todo.read_text(encoding="utf-8")


def test_forbidden_patterns_catch_the_old_wording():
    """The scan above would have failed on the wording the issue quotes."""
    old = ("上年决算数（未填报），无法计算增减变动。SUM009（收入支出!B43）。年末应为132.74万元，"
           "与填报的年末数相差0.01万元。请运行 perfeval check。2020年三公”经费合计。1941.98 万元")
    hits = [s for s in FORBIDDEN_STRINGS if s in old] + [m.group(0) for p in FORBIDDEN_PATTERNS for m in p.finditer(old)]
    for expected in ("（未填报）", "应为", "perfeval", "SUM009", "收入支出!B43", "三公”", "1941.98 万元"):
        assert any(expected in h for h in hits), expected


# -- the wording follows the data ---------------------------------------------------


@pytest.fixture(scope="module")
def base():
    """The synthetic example without the stated 较预算/占比/预算增减 columns: the tests below flip base
    figures and read the 完成率 and 增减 clauses (the extra columns have their own tests)."""
    from perfeval_xl.report.spending import EXTRA_FACTS

    _, values = typed_values(EXAMPLES / "synthetic.xlsx")
    return {k: (None if k.startswith("change.") and k.split(".")[-1] in EXTRA_FACTS else x) for k, x in values.items()}


def text_of(values, mode="发布") -> str:
    return build_report(values, score(values, "V1"), [], mode=mode).text()


def with_(base, **changes) -> dict:
    v = dict(base)
    for k, x in changes.items():
        v[k.replace("__", ".")] = None if x is None else Decimal(str(x))
    return v


def test_decrease_and_increase(base):
    down = text_of(with_(base, spend__reception__prior_final=8.5, spend__reception__final=7.2))
    assert "公务接待费预算为9.00万元，支出决算为7.20万元，完成预算的80.00%，与上年相比减少1.30万元，下降15.29%" in down
    up = text_of(with_(base, spend__reception__prior_final=7.2, spend__reception__final=8.5))
    assert "支出决算为8.50万元，完成预算的94.44%，与上年相比增加1.30万元，增长18.06%" in up
    assert "“三公”经费有所增加" in up  # drafted problem
    assert "“三公”经费有所增加" not in down


def test_overspend_reads_as_amount_over_budget(base):
    text = text_of(with_(base, spend__reception__budget=9, spend__reception__final=26.86))
    assert "公务接待费预算为9.00万元，支出决算为26.86万元，超预算17.86万元" in text
    assert "完成预算的298.44%" not in text


def test_zero_base_and_both_years_zero(base):
    text = text_of(with_(base, spend__abroad__prior_final=0, spend__abroad__budget=5, spend__abroad__final=3))
    assert "因公出国（境）费预算为5.00万元，支出决算为3.00万元，完成预算的60.00%，上年无此项支出，本年增加3.00万元" in text
    zero = text_of(with_(base, spend__abroad__prior_final=0, spend__abroad__prior_budget=0, spend__abroad__budget=0,
                         spend__abroad__final=0))
    assert "因公出国（境）费上年和本年均无支出" in zero


def test_missing_figure_leaves_the_clause_out(base):
    values = with_(base, spend__reception__prior_final=None, assets__fixed__closing=None, staff__quota__total=None,
                   staff__quota__admin=None, change__reception__amount=None, change__reception__rate=None)
    doc = build_report(values, score(values, "V1"), [])
    text = doc.text()
    assert "公务接待费预算为9.00万元，支出决算为7.20万元，完成预算的80.00%；" in text  # no 增减 clause
    assert "年末固定资产542.80万元" in text  # 520.00 + 35.40 − 12.60, computed when blank
    assert "核定编制" not in text
    assert any("公务接待费的上年决算数" in g for g in doc.gaps)
    assert "人员：编制数" in doc.gaps


def test_stated_figure_when_only_it_is_there(base):
    values = with_(base, spend__reception__prior_final=None, spend__reception__budget=None,
                   change__reception__amount=-1.3, change__reception__rate=-15.3, change__reception__completion=80)
    text = text_of(values)
    assert "公务接待费支出决算为7.20万元，完成预算的80%，与上年相比减少1.30万元，下降15.3%" in text


def test_stated_and_computed_disagree_one_number_in_the_text(base):
    values = with_(base, change__reception__rate=-50, change__reception__amount=-1.3)
    text = text_of(values)
    assert "下降15.29%" in text and "50%" not in text.split("附表1")[0]
    review = build_report(values, score(values, "V1"), [], mode="审核").text()
    assert "报告所述为-50.00" in review  # the reviewer sees both


def test_project_overspend_and_low_execution_are_drafted(base):
    values = with_(base, projects__r01__actual=470, projects__r02__actual=150)
    doc = build_report(values, score(values, "V1"), [])
    text = doc.text()
    assert "高标准农田建设预算420.00万元，实际支出470.00万元，超预算50.00万元" in text
    assert "农业技术推广调整后预算210.00万元，实际支出150.00万元，执行率71.43%" in text
    assert "文字说明：超预算原因" in doc.gaps
    values["narrative.overspend_reason"] = "汛期抢修增加工程量。"
    assert "超预算的原因：汛期抢修增加工程量。" in text_of(values)


def test_drafts_are_marked_with_a_comment(tmp_path, base):
    from perfeval_xl.report.docx_writer import write_docx

    values = with_(base, staff__onpost__total=48)  # 48 > 45 编制
    doc = build_report(values, score(values, "V1"), [])
    assert "实际在编人数超过编制数" in doc.text() and "超编3人" in doc.text()
    out = write_docx(doc, tmp_path / "d.docx")
    import zipfile

    with zipfile.ZipFile(out) as z:
        comments = z.read("word/comments.xml").decode("utf-8")
    assert "草稿" in comments


# -- cover, charts ---------------------------------------------------------------------


def test_cover_from_the_cover_sheet(base):
    import datetime as dt

    from perfeval_xl.report.model import Cover

    values = dict(base)
    values["report.bureau"] = "示例区财政局"
    values["report.issued"] = dt.date(2024, 4, 2)
    doc = build_report(values, score(values, "V1"), [])
    cover = next(b for b in doc.blocks if isinstance(b, Cover))
    assert dict(cover.lines) == {"部门（单位）名称": "示例区农业农村局（虚构示例）", "预算编码": "302099",
                                 "评价方式": "部门（单位）绩效自评", "评价机构": "部门（单位）评价组", "报告日期": "2024年4月2日"}
    assert cover.issuer == "示例区财政局（制）"
    values["report.bureau"] = None
    doc = build_report(values, score(values, "V1"), [])
    assert next(b for b in doc.blocks if isinstance(b, Cover)).issuer == ""
    assert any("财政局名称" in g for g in doc.gaps)


def test_charts_are_embedded_with_a_cjk_font(published):
    import warnings
    import zipfile

    from perfeval_xl.report.charts import cjk_font, render
    from perfeval_xl.report.model import Chart

    with zipfile.ZipFile(published["synthetic"]) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(media) == 2  # 支出构成 and 三公
    assert cjk_font() is not None, "no CJK font installed (fonts-wqy-zenhei)"
    chart = Chart("“三公”经费（万元）", "bars", ("因公出国（境）费", "公务接待费"), (("本年决算", (Decimal("1.5"), None)),))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = render(chart)
    assert png.startswith(b"\x89PNG")
    assert not [w for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)], caught


# -- every stated figure reaches the text ---------------------------------------------


def _distinct(i: int, f) -> Decimal:
    """A figure no other field holds: whole for counts, two decimals otherwise, inside the field's range."""
    if f.type is FieldType.COUNT:
        return Decimal(40 + i)
    x = Decimal(i % 90 + 1) + Decimal((i * 37) % 99 + 1) / 100
    return -x if f.min is not None and f.min < 0 and i % 2 else x


def test_every_stated_field_reaches_the_publish_text(base):
    """Fill every input that restates a figure (derived from the schema: a new one without a sentence
    fails here), leave the base figures they restate blank, and find each value in the 发布 text."""
    from perfeval_xl.report.stated import stated_fields

    stated = stated_fields()
    assert len(stated) >= 100 and "change.vehicle_purchase.gap" in stated and "exp.share.c201" in stated
    values = {k: (x if k in INPUTS and INPUTS[k].required else None) for k, x in base.items()}
    filled = {fid: _distinct(i, INPUTS[fid]) for i, fid in enumerate(stated)}
    for key in ("inc", "exp"):  # 上年合计, 增减额, 增减率 restate each other beside the required 本年合计
        amount = filled[f"{key}.change_amount"]
        filled[f"{key}.total_prior"] = prior = values[f"{key}.total_year"] - amount
        filled[f"{key}.change_rate"] = (amount * 100 / prior).quantize(Decimal("0.01"))
    values.update(filled)
    doc = build_report(values, score(values, "V1"), [])
    text = doc.text()
    in_text = {Decimal(n) for n in NUMBER.findall(text)}
    missing = [f"{fid}={x}" for fid, x in filled.items() if abs(x) not in in_text]
    assert not missing, f"stated figures missing from the 发布 text: {missing}"


def test_stated_gap_and_budget_change_follow_their_sign(base):
    over = with_(base, change__reception__gap=2.5, change__reception__gap_rate=27.78, change__reception__budget_change=1.2,
                 spend__reception__budget=None, change__reception__completion=None)
    text = text_of(over)
    assert "公务接待费支出决算为7.20万元，较预算超支2.50万元，超支率27.78%" in text
    assert "本年预算较上年预算增加1.20万元" in text
    under = with_(base, change__reception__gap=-1.8, change__reception__budget_change=-1, change__reception__budget_change_rate=-10)
    text = text_of(under)
    assert "完成预算的80.00%，较预算节约1.80万元" in text and "本年预算较上年预算减少1.00万元，下降10%" in text


def test_a_direction_choice_beside_the_gap_sets_its_sign(base):
    """The 超支/节约 choice beside a gap decides the words, whatever the sign; an unusable choice decides nothing."""
    fid = "change.reception.gap"
    values = with_(base, change__reception__gap=1.8, spend__reception__budget=None, change__reception__completion=None)
    values[fid + "_direction"] = "节约"
    assert "较预算节约1.80万元" in text_of(values)
    values[fid + "_direction"] = "超支"
    assert "较预算超支1.80万元" in text_of(values)
    values[fid + "_direction"] = " 节约 "  # the checker strips the choice too
    assert "较预算节约1.80万元" in text_of(values)
    values[fid + "_direction"] = "节约了"  # not an option (VAL009): the gap's own sign speaks, as in the checker
    assert "较预算超支1.80万元" in text_of(values)


# -- blank narratives ----------------------------------------------------------------------


def test_a_section_with_blank_narratives_prints_no_heading(base):
    from perfeval_xl.report.model import Heading

    from perfeval_xl.report.outline import _has_content

    values = dict(base)
    values["narrative.project_org"] = None
    values["narrative.project_mgmt"] = "严格执行项目管理办法。"
    doc = build_report(values, score(values, "V1"), [])
    heads = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert "（一）项目管理情况" in heads and not any("项目组织情况" in h for h in heads)  # renumbered
    assert "文字说明：项目组织情况" in doc.gaps
    values["narrative.project_mgmt"] = None
    doc = build_report(values, score(values, "V1"), [])
    heads = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert not any("部门项目组织实施情况" in h for h in heads)
    assert heads[heads.index("三、资产管理情况") - 1] != "三、部门项目组织实施情况"
    assert any(h.endswith("、部门整体支出绩效情况") for h in heads) and "四、部门整体支出绩效情况" in heads
    assert all(_has_content(doc.blocks, i) for i, b in enumerate(doc.blocks) if isinstance(b, Heading))
    review = build_report(values, score(values, "V1"), [], mode="审核")
    assert "三、部门项目组织实施情况" in review.text()  # the reviewer sees the placeholders where the text goes


def test_lone_heading_gap_reaches_the_todo_file(tmp_path):
    """The CLI lists a blank narrative on the terminal and in 待补充.txt."""
    out = tmp_path / "r.docx"
    assert main(["report", str(EXAMPLES / "hunan_unit_2018.xlsx"), "--out", str(out), "--force"]) == 0
    todo = out.with_name("r.待补充.txt").read_text(encoding="utf-8")
    assert "文字说明：项目组织情况" in todo
    assert "部门项目组织实施情况" not in report_text(out)


# -- 三公 over three years ----------------------------------------------------------------


def test_sanggong_chart_draws_three_years_of_final_accounts(base):
    from perfeval_xl.report.model import Chart

    def chart(values):
        doc = build_report(values, score(values, "V1"), [])
        return next(b for b in doc.blocks if isinstance(b, Chart) and "三公" in b.title), doc.text()

    three, text = chart(dict(base))  # the synthetic example holds 前年决算
    assert [n for n, _ in three.series] == ["2021年决算", "2022年决算", "2023年预算", "2023年决算"]
    assert three.title.startswith("“三公”经费近三年决算")
    assert three.series[0][1] == (Decimal("0"), Decimal("9.40"), Decimal("15.20"))
    assert "2021年“三公”经费决算为24.60万元（其中因公出国（境）费0.00万元、公务接待费9.40万元、公务用车购置及运行维护费15.20万元）" in text
    two, text = chart({k: (None if k.startswith("history.") else x) for k, x in base.items()})
    assert [n for n, _ in two.series] == ["2022年决算", "2023年预算", "2023年决算"]
    assert "近三年" not in two.title and "2021年" not in text


def test_year_before_last_total_is_checked():
    """SUM030: the 前年 合计 against its three parts, on the synthetic example (consistent) and one digit off."""
    from perfeval_xl.check import check_values

    _, values = typed_values(EXAMPLES / "synthetic.xlsx")
    from perfeval_xl.readers.workbook import read_workbook

    raw = dict(read_workbook(EXAMPLES / "synthetic.xlsx", with_formulas=False).raw)
    assert not [f for f in check_values(raw) if f.rule_id == "SUM030"]
    raw["history.sanggong.prior2_final"] = 26.4
    assert [f.rule_id for f in check_values(raw) if f.rule_id == "SUM030"] == ["SUM030"]


def test_outline_keeps_the_authors_headings_and_closes_up_the_numbers():
    from perfeval_xl.report.model import Heading, PageBreak, para
    from perfeval_xl.report.outline import published_outline

    blocks = [Heading("一、部门概况", 1), Heading("（一）部门基本情况", 2), Heading("1.主要职能", 3),
              Heading("2.机构情况", 3), para("内设机构5个。"),
              Heading("二、项目组织实施", 1), Heading("（一）项目组织情况", 2),
              Heading("三、存在的主要问题", 1), Heading("（一）立项依据不足", 2, authored=True),
              Heading("（二）资金使用进度较低", 2, authored=True), para("个别项目执行率偏低。"), PageBreak(),
              Heading("附表1　基础数据表", 1)]
    out = [b.text for b in published_outline(blocks) if isinstance(b, Heading)]
    assert out == ["一、部门概况", "（一）部门基本情况", "1.机构情况", "二、存在的主要问题", "（一）立项依据不足",
                   "（二）资金使用进度较低"]


def test_the_report_names_the_unit_the_cover_declares(base):
    """A workbook kept in 元 with whole figures reads in 元 throughout: no "万元" anywhere in the text,
    the figures at the declared decimals, the table headings and chart titles in 元."""
    values = with_(base, spend__reception__budget=90000, spend__reception__final=72000, spend__reception__prior_final=85000)
    values["report.money_unit"] = "元"
    values["report.money_decimals"] = Decimal(0)
    doc = build_report(values, score(values, "V1"), [])
    text = doc.text()
    assert "公务接待费预算为90000元，支出决算为72000元，完成预算的80.00%，与上年相比减少13000元，下降15.29%" in text
    assert "万元" not in text
    assert "单位：元" in text
    from perfeval_xl.report.model import Chart

    assert {b.unit for b in doc.blocks if isinstance(b, Chart)} == {"元"}
    # the default stays 万元 at two decimals, and the unit does not leak into the next report
    assert "预算为9.00万元" in text_of(base)
