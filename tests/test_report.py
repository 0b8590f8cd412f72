"""perfeval report: the 评价报告 written from a filled workbook.

The central test (``test_every_number_is_accounted_for``) reads the generated .docx back,
extracts every number from its paragraphs and table cells, and accounts for each one.
A number is allowed only as one of these kinds, each recomputed here independently of
``perfeval_xl.report``:

A. a workbook value: a numeric input field (money at two decimals, counts as whole numbers,
   measured quantities as entered) or a part of the 填报日期. A stated figure (a ``change.*``
   field, a 履职产出 or 项目 rate — ``perfeval_xl.report.stated``) is allowed as written, and
   the 上年决算 it implies (本年决算 − stated 增减额) with its rate; other percent fields
   are not — a rate the workbook can compute must be computed;
B. a figure recomputed from workbook values with Decimal/ROUND_HALF_UP at two decimals:
   占比 (part ÷ its total), 完成率 (决算 ÷ 预算, 实际 ÷ 计划), 增减额/增减率 (本年 − 上年
   and ÷ |上年|), roll-forwards (年初 + 增加 − 减少, 年初 + 追加 − 追减) and their
   differences, sums of filled parts (staff totals, project columns) and the 控制率;
C. a count of listed items: names of 内设机构/下属单位, listed projects, 履职产出 rows, the
   numbers of 错误 and 舍入差异 findings;
D. an ordinal: "1." at the start of a paragraph, the 序号 column of a table (must equal the
   row number), "附表1/附表2";
E. a score-card figure from ``perfeval_xl.indicators.score`` over the same values: an
   indicator's value, its points and score, the total, the full marks and the scaled total.

Text the report quotes verbatim is removed before extracting (its numbers belong to its
author, not to the report): the ``narrative.*`` paragraphs, text-field values (names,
预算编码), the scoring engine's explanations and the profile's name and notes, the
checker's finding messages with their rule ids and cells, the schema's row labels that
carry a code or an ordinal ("一般公共服务支出（201类）", "1、因公出国（境）费"), and a short
explicit list of definitional constants ("× 100%", "为0", "0.01万元").
"""

from __future__ import annotations

import re
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.enum.text import WD_COLOR_INDEX

from perfeval_xl.check import check_path
from perfeval_xl.cli import main
from perfeval_xl.indicators import PROFILES, score
from perfeval_xl.indicators.indicator import fmt_number
from perfeval_xl.report import typed_values
from perfeval_xl.report.content import Heading, Paragraph, build_report
from perfeval_xl.report.docx_writer import WORD_JOINER
from perfeval_xl.report.scoretable import score_rows
from perfeval_xl.report.stated import stated_fields
from perfeval_xl.rules.base import Severity
from perfeval_xl.schema import INPUTS, FieldType
from perfeval_xl.schema.sheets.expenses import SPEND_ROWS
from perfeval_xl.schema.sheets.finance import FUNCTION_CLASSES, INCOME_SOURCES
from perfeval_xl.schema.sheets.outputs import OUTPUT_TABLE
from perfeval_xl.schema.sheets.projects import PROJECT_TABLE

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "workbook_templates" / "examples"
CENT = Decimal("0.01")
NUMBER = re.compile(r"(?<![\d.,])-?\d+(?:,\d{3})*(?:\.\d+)?")
DEFINITIONS = ("× 100%", "上年为0", "均为0", "为0", "0.01万元所致", "不足0.01%", "超过30%", "/ 100 分")


# -- helpers -------------------------------------------------------------------------


def q2(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def s2(x: Decimal) -> str:
    t = format(q2(x), "f")
    return "0.00" if t == "-0.00" else t


def docx_cells(path: Path) -> tuple[list[str], list[tuple[str, list[list[str]]]]]:
    """(paragraph texts, [(first header cell, rows of cell texts)]) of the document body."""
    doc = open_docx(str(path))
    paras = [p.text.replace(WORD_JOINER, "") for p in doc.paragraphs]
    tables = []
    for t in doc.tables:
        rows = [[c.text.replace(WORD_JOINER, "") for c in r.cells] for r in t.rows]
        tables.append((rows[0][0] if rows and rows[0] else "", rows))
    return paras, tables


def all_text(path: Path) -> str:
    paras, tables = docx_cells(path)
    return "\n".join(paras + ["\t".join(r) for _, rows in tables for r in rows])


def generate(workbook: Path, out: Path, *extra: str) -> int:
    return main(["report", str(workbook), "--out", str(out), *extra])


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Each bundled example's report (forced where the example has 错误)."""
    out = {}
    d = tmp_path_factory.mktemp("reports")
    for stem in ("seed_furong_2020", "synthetic", "hunan_unit_2018"):
        path = d / f"{stem}.docx"
        assert generate(EXAMPLES / f"{stem}.xlsx", path, "--force") == 0
        out[stem] = path
    return out


# -- the allowed numbers --------------------------------------------------------------


class Allowed:
    def __init__(self, stem: str):
        self.path = EXAMPLES / f"{stem}.xlsx"
        data, self.values = typed_values(self.path)
        self.profile = data.profile or "V1"
        self.findings = check_path(self.path).findings
        self.card = score(self.values, self.profile)
        self.kinds: dict[str, set[str]] = {k: set() for k in "ABCE"}
        self.quoted: list[str] = []
        self._workbook_values()
        self._computed()
        self._counts()
        self._scorecard()
        self._quotes()

    def d(self, fid: str) -> Decimal | None:
        return self.values.get(fid)

    # A
    def _workbook_values(self) -> None:
        for fid, f in INPUTS.items():
            x = self.values.get(fid)
            if x is None:
                continue
            if f.type is FieldType.MONEY:
                self.kinds["A"].add(s2(x))
            elif f.type is FieldType.COUNT:
                self.kinds["A"].add(str(int(x)))
            elif f.type is FieldType.NUMBER:
                self.kinds["A"].add(str(int(x)) if x == x.to_integral_value() else format(q2(x).normalize(), "f"))
            elif f.type is FieldType.DATE:
                self.kinds["A"].update({str(x.year), str(x.month), str(x.day)})
        stated = set(stated_fields()) | {OUTPUT_TABLE.field_id(i, "rate") for i in range(1, OUTPUT_TABLE.n_rows + 1)}
        stated |= {PROJECT_TABLE.field_id(i, "goal_rate") for i in range(1, PROJECT_TABLE.n_rows + 1)}
        for fid in stated:
            x = self.values.get(fid)
            if x is not None:
                x = abs(x)
                self.kinds["A"].update({s2(x), format(q2(x).normalize(), "f"), str(int(x)) if x == int(x) else s2(x)})
        year = self.values.get("report.year")
        if year is not None:  # 前年 and 上年 as years ("2021年“三公”经费决算", the chart's legend)
            self.kinds["A"].update({str(int(year) - 2), str(int(year) - 1)})
        for r in SPEND_ROWS:  # the 上年决算 a stated 增减额 implies, and its 增减率
            final, prior, amount = (self.values.get(f) for f in (f"spend.{r.key}.final", f"spend.{r.key}.prior_final", f"change.{r.key}.amount"))
            if prior is None and final is not None and amount is not None:
                implied = final - amount
                self.kinds["A"].add(s2(implied))
                if implied != 0:
                    self.kinds["A"].add(s2(abs(amount) * 100 / abs(implied)))

    # B
    def _ratio(self, num, den) -> None:
        if num is not None and den is not None and den != 0:
            self.kinds["B"].add(s2(num * 100 / den))

    def _diff(self, a, b) -> None:
        if a is not None and b is not None:
            self.kinds["B"].update({s2(a - b), s2(abs(a - b))})

    def _change_rate(self, current, prior) -> None:
        if current is not None and prior is not None:
            self._diff(current, prior)
            self._ratio(abs(current - prior), prior)

    def _sum(self, parts) -> Decimal | None:
        if parts and all(p is not None for p in parts):
            total = sum(parts, Decimal(0))
            self.kinds["B"].add(s2(total))
            self.kinds["B"].add(str(int(total)) if total == total.to_integral_value() else s2(total))
            return total
        return None

    def _computed(self) -> None:
        d = self.d
        inc, exp = d("inc.total_year"), d("exp.total_year")
        for key, _ in INCOME_SOURCES:
            self._ratio(d(f"inc.{key}"), inc)
        self._ratio(d("inc.fiscal_total"), inc)
        self._ratio(inc, inc)
        for key, _ in FUNCTION_CLASSES:
            self._ratio(d(f"exp.func.{key}"), exp)
        for k in ("basic", "project", "personnel", "public", "upper", "operating", "affiliate"):
            self._ratio(d(f"exp.{k}"), exp)
        self._ratio(exp, exp)
        for key in ("inc", "exp"):  # 比上年增减率
            self._change_rate(d(f"{key}.total_year"), d(f"{key}.total_prior"))
        # staff: totals from parts where the total is blank, and the 控制率
        groups = {
            "staff.quota": ("admin", "inst", "worker"),
            "staff.onpost": ("admin", "inst", "worker"),
            "staff.other": ("gov_employee", "temp"),
            "staff.retired": ("retire", "lixiu"),
        }
        totals = {}
        for prefix, parts in groups.items():
            totals[prefix] = d(f"{prefix}.total")
            if totals[prefix] is None:
                totals[prefix] = self._sum([d(f"{prefix}.{p}") for p in parts])
        self._ratio(totals["staff.onpost"], totals["staff.quota"])
        # 三公 / 公用 / 采购 rows
        for r in SPEND_ROWS:
            final, budget, prior = (d(f"spend.{r.key}.{c}") for c in ("final", "budget", "prior_final"))
            self._ratio(final, budget)
            self._diff(final, prior)
            self._diff(final, budget)  # 超预算
            if final is not None and prior is not None and prior != 0:
                rate = (final - prior) * 100 / abs(prior)
                self.kinds["B"].update({s2(rate), s2(abs(rate))})
        # budget execution
        self._ratio(d("budget.fiscal_final"), d("budget.fiscal_initial"))
        self._ratio(d("budget.final"), d("budget.adjusted"))
        self._change_rate(d("budget.final"), d("budget.adjusted"))  # 节约率 / 超支率
        self._ratio(d("budget.added"), d("budget.initial"))  # 预算控制率
        init, added, reduced, adjusted = (d(f"budget.{k}") for k in ("initial", "added", "reduced", "adjusted"))
        if init is not None:
            expected = init + (added or 0) - (reduced or 0)
            self.kinds["B"].add(s2(expected))
            self._diff(adjusted, expected)
        # assets roll-forward
        o, a, dd, c = (d(f"assets.fixed.{k}") for k in ("opening", "added", "disposed", "closing"))
        if None not in (o, a, dd):
            self.kinds["B"].add(s2(o + a - dd))
            self._diff(c, o + a - dd)
        self._ratio(d("assets.fixed.in_use"), c)
        # goals against the totals they should equal
        self._diff(d("goals.dept_amount"), exp)
        self._diff(d("goals.project_amount"), d("exp.project"))
        # 履职产出 rows
        for i in range(1, OUTPUT_TABLE.n_rows + 1):
            self._ratio(d(OUTPUT_TABLE.field_id(i, "actual")), d(OUTPUT_TABLE.field_id(i, "plan")))
        # projects: per row, column sums, and the sum against 项目支出
        rows = [i for i in range(1, PROJECT_TABLE.n_rows + 1)
                if self.values.get(PROJECT_TABLE.field_id(i, "name")) or
                any(d(PROJECT_TABLE.field_id(i, k)) is not None for k in ("initial", "adjusted", "actual"))]
        for i in rows:
            self._ratio(d(PROJECT_TABLE.field_id(i, "actual")), d(PROJECT_TABLE.field_id(i, "adjusted")))
            for budget in ("adjusted", "initial"):  # 超预算 (against 调整后预算, or 年初预算 when that is blank)
                self._diff(d(PROJECT_TABLE.field_id(i, "actual")), d(PROJECT_TABLE.field_id(i, budget)))
        sums = {k: self._sum([d(PROJECT_TABLE.field_id(i, k)) for i in rows]) for k in ("initial", "adjusted", "actual")}
        self._ratio(sums["actual"], sums["adjusted"])
        self._diff(sums["actual"], d("exp.project"))
        self.project_rows = rows

    # C
    def _counts(self) -> None:
        for prefix, n in (("org.internal", 15), ("org.subunit", 10)):
            names = [self.values.get(f"{prefix}.name_{i:02d}") for i in range(1, n + 1)]
            self.kinds["C"].add(str(sum(1 for x in names if x)))
        self.kinds["C"].add(str(len(self.project_rows)))
        outputs = [i for i in range(1, OUTPUT_TABLE.n_rows + 1)
                   if any(self.values.get(OUTPUT_TABLE.field_id(i, k)) is not None for k in ("name", "plan", "actual"))]
        self.kinds["C"].add(str(len(outputs)))
        errors = [f for f in self.findings if f.severity is Severity.ERROR]
        rounding = [f for f in self.findings if f.rounding and f.severity is not Severity.ERROR]
        self.kinds["C"].update({str(len(errors)), str(len(rounding))})

    # E
    def _scorecard(self) -> None:
        card = self.card
        for it in card.items:
            for x in (it.points, it.score):
                if x is not None:
                    self.kinds["E"].add(fmt_number(x))
            if it.value is not None:
                self.kinds["E"].add(s2(it.value))
        for x in (card.total, card.max_total):
            if x is not None:
                self.kinds["E"].add(fmt_number(x))
        if card.profile.scored:  # 已评 X / 100 分, 尚有 N 项待评, 其余 M 分
            scored = [it for it in card.items if it.score is not None]
            self.kinds["E"].update({fmt_number(sum((it.points for it in scored), Decimal(0))),
                                    str(len(card.items) - len(scored)), fmt_number(100 - card.max_total),
                                    fmt_number(sum((it.score for it in scored), Decimal(0)))})
            for it in scored:
                if it.points is not None:
                    self.kinds["E"].add(fmt_number(it.points - it.score))
        if card.scaled_total is not None:
            self.kinds["E"].add(s2(card.scaled_total))

    def _quotes(self) -> None:
        q = self.quoted
        for fid, f in INPUTS.items():
            x = self.values.get(fid)
            if x is None:
                continue
            if fid.startswith("narrative."):
                q.extend(line.strip() for line in str(x).splitlines() if line.strip())
            elif f.type in (FieldType.TEXT, FieldType.ENUM, FieldType.LONGTEXT):
                q.append(str(x))
        prof = PROFILES[self.profile]
        q.extend([prof.name, " ".join(prof.notes.split()), prof.id, self.card.explanation])
        q.extend(it.explanation for it in self.card.items)
        sheet = score_rows(self.card)
        if sheet is not None:
            q.extend(r.reason for r in sheet.rows)
        for f in self.findings:
            q.extend([f.message, f.rule_id])
            c = f.primary
            if c is not None and c.sheet and c.address:
                q.append(f"{c.sheet}!{c.address}")
        q.extend(label for _, label in FUNCTION_CLASSES)
        q.extend(r.label for r in SPEND_ROWS)
        q.extend(DEFINITIONS)
        self.quoted = sorted({s for s in q if s}, key=len, reverse=True)

    def all(self) -> set[str]:
        return set().union(*self.kinds.values())


def unexplained_numbers(docx: Path, allowed: Allowed) -> list[tuple[str, str]]:
    """(number, context) for every number in the document that is none of the allowed kinds."""
    ok = allowed.all()
    paras, tables = docx_cells(docx)
    bad = []

    def scan(text: str) -> None:
        for s in allowed.quoted:
            if s in text:
                text = text.replace(s, "〔引〕")
        text = re.sub(r"^\s*\d+[.、．](?!\d)", "", text, flags=re.M)  # D: list ordinal at the start ("1.主要职能", not "98.73")
        text = re.sub(r"附表[12]", "附表", text)  # D: annex numbering
        for m in NUMBER.finditer(text):
            token = m.group(0)
            if token not in ok and token.lstrip("-") not in ok:
                bad.append((token, text[max(0, m.start() - 25): m.end() + 10]))

    for p in paras:
        scan(p)
    for head, rows in tables:
        for ri, row in enumerate(rows):
            for ci, c in enumerate(row):
                if head == "序号" and ci == 0 and ri > 0 and c.strip():
                    assert c.strip() == str(ri), f"序号 {c!r} in row {ri}"  # D: must be the row number
                    continue
                scan(c)
    return bad


# -- (1) every number accounted for ---------------------------------------------------


@pytest.mark.parametrize("stem", ["seed_furong_2020", "synthetic", "hunan_unit_2018"])
def test_every_number_is_accounted_for(reports, stem):
    allowed = Allowed(stem)
    bad = unexplained_numbers(reports[stem], allowed)
    assert not bad, "numbers not found in or computed from the workbook:\n" + "\n".join(f"{n}  …{c}…" for n, c in bad)


def test_allowed_kinds_are_strict():
    """The accounting rejects what it should: a typed rate, a made-up amount, an unrounded share."""
    allowed = Allowed("seed_furong_2020")
    ok = allowed.all()
    assert "71.23" in ok and "24.4" in ok  # the seed's stated 降幅 and 完成预算比例: the only figures held for them
    assert "116.94" in ok and "116.9" not in ok  # a stated rate the workbook can compute is computed
    assert "2278.10" not in ok  # 1641.81 + 636.29: may appear only inside the checker's quoted message
    assert "132.74" in ok and "0.01" in ok  # the asset roll-forward, recomputed
    assert "85.25" in ok  # 1941.98 / 2278.09
    assert "85.24" not in ok  # a truncated share would not pass


def test_seed_report_figures(reports):
    """The seed report's figures (domain.md §4.1), from the workbook: computed, or stated where only stated."""
    text = all_text(reports["seed_furong_2020"])
    title = "2020年度长沙市芙蓉区人民政府办公室部门整体支出绩效评价报告"
    assert open_docx(str(reports["seed_furong_2020"])).core_properties.title == title
    assert "2020年度长沙市芙蓉区人民政府办公室\n部门整体支出绩效评价报告" in text  # broken between name and 报告
    assert "内设机构5个：文电会务科、区政府总值班室、研究室、督查室、行政事务科" in text
    assert "下属单位1个：优化营商环境协调事务中心" in text
    assert "实际在编在岗55人（其中行政人员37人、事业人员14人、工勤人员4人）" in text
    assert "其他人员7人（其中政府雇员2人、临聘人员5人）" in text
    assert "核定编制" not in text  # blank: the clause is left out, not "（未填报）", not 0
    assert "收入合计2467.08万元" in text and "均为一般公共预算财政拨款收入" in text
    assert "一般公共服务支出1941.98万元，占85.25%" in text
    assert "一般公共服务支出（201类）\t1941.98\t85.25%" in text  # 附表1 keeps the 类 code
    assert "基本支出1641.81万元，占本年支出合计的72.07%" in text
    assert "部门整体支出绩效目标2278.09万元" in text and "与本年支出合计一致" not in text
    assert "完成年初预算的116.94%" in text  # 2250.76 / 1924.71
    assert "年末固定资产132.75万元" in text and "应为" not in text
    assert "共实施项目7个：重点工作及项目经费" in text
    # the stated 三公 figures reach the text, and the quote is whole
    assert "2020年“三公”经费合计支出决算为0.61万元" in text
    assert "公务接待费支出决算为0.61万元，完成预算的24.4%，与上年相比减少1.51万元，下降71.23%" in text
    assert "公务用车购置及运行维护费预算和支出决算均为0，与上年相比减少6.60万元" in text
    assert "98.7%" in text and "98.73%" not in text  # 155 / 157 = 98.73 agrees with the stated 98.7: one figure
    assert "建议提案按时办结率：计划123件，完成率100%" in text and "督办事项办结率98%" in text
    for heading in ("一、部门概况", "二、部门整体支出管理及使用情况", "三、部门项目组织实施情况", "四、资产管理情况",
                    "五、部门整体支出绩效情况", "六、存在的主要问题", "七、改进措施和有关建议",
                    "附表1　部门整体支出绩效评价基础数据表", "部门整体支出绩效评价指标得分表"):
        assert heading in text
    # the narrative headings (一)…(四) of 绩效情况 are followed by the computed sections (五)(六)
    assert "（五）履职产出情况" in text and "（六）绩效评价指标得分情况" in text
    assert "已评 0 / 100 分，尚有 8 项待评" in text  # 6 computed rows lack their inputs, 2 evaluator rows await the 评价组


def test_synthetic_report_changes_and_scores(reports):
    text = all_text(reports["synthetic"])
    assert "“三公”经费合计预算为23.00万元，支出决算为19.80万元，完成预算的86.09%，较预算节约3.20万元，节约率13.91%，与上年相比减少2.90万元，下降12.78%" in text
    assert "政府采购预算为420.00万元，支出决算为405.60万元，完成预算的96.57%，与上年相比增加25.60万元，增长6.74%" in text
    assert "在职人员控制率为93.33%" in text
    assert "已评 33 / 100 分" in text and "已评指标得分31分（满分33分）" in text
    assert "过程\t预算执行\t预算控制率\t5\t3\t预算控制率 10.34%，超过 10%、不超过 20%，按评分标准得 3 分，扣 2 分" in text  # 扣分理由
    assert "未通过校验" not in text  # the synthetic example has no 错误
    assert "农村人居环境整治\t300.00\t320.00\t318.30\t99.47%\t96%\t部分村组延至次年验收" in text  # 目标完成率, 说明


# -- (3) LibreOffice renders it with Chinese glyphs ----------------------------------


def test_pdf_with_embedded_cjk_font(tmp_path):
    out = tmp_path / "报告.docx"
    assert generate(EXAMPLES / "synthetic.xlsx", out, "--pdf") == 0
    pdf = tmp_path / "报告.pdf"
    assert pdf.is_file() and pdf.stat().st_size > 10_000
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines()
           if re.search(r"WenQuanYi|Noto\w*CJK|SourceHan|SimSun|SimHei|FangSong|KaiTi|仿宋|黑体", line)]
    assert cjk, fonts
    assert all(" yes " in line for line in cjk), fonts  # embedded
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = text.splitlines()
    torn = [(a[-10:], b[:6]) for a, b in zip(lines, lines[1:]) if re.search(r"[\d万]$", a) and re.match(r"^[万元%]", b)]
    assert not torn, torn  # a figure stays with its unit: "1.30万元" never breaks as "1.30万 / 元"
    text = re.sub(r"\s+", "", text)  # lines wrap anywhere in Chinese text
    # the synthetic example has no narratives: 三、部门项目组织实施情况 is left out and the numbering closes up
    for heading in ("部门整体支出绩效评价报告", "一、部门概况", "四、部门整体支出绩效情况", "六、改进措施和有关建议",
                    "附表1", "“三公”经费", "农业产业发展科"):
        assert heading in text
    assert "本年支出合计3100.00万元" in text


# -- (4) refusal on 错误, and the 未通过校验 notice with --force -------------------------


@pytest.fixture()
def broken_workbook(tmp_path, example_values):
    from perfeval_xl.template.writer import build_template

    values = dict(example_values["synthetic"])
    values["inc.total_year"] = Decimal("3180.00")  # the eight sources add up to 3080.00
    values["assets.fixed.closing"] = Decimal("600.00")  # 520.00 + 35.40 − 12.60 = 542.80
    path = build_template(tmp_path / "bad.xlsx", profile="V1", values=values)
    errors = [f for f in check_path(path).findings if f.severity is Severity.ERROR]
    assert errors, "the broken workbook should have 错误"
    return path, errors


def test_refuses_workbook_with_errors(broken_workbook, tmp_path, capsys):
    path, errors = broken_workbook
    out = tmp_path / "r.docx"
    assert generate(path, out) == 2
    err = capsys.readouterr().err
    assert f"有 {len(errors)} 项错误" in err
    assert "perfeval check" in err and "--force" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_force_publish_body_has_no_tool_wording(broken_workbook, tmp_path, capsys):
    """发布 + --force: the errors go to the terminal and 待补充.txt, never into the body."""
    path, errors = broken_workbook
    out = tmp_path / "r.docx"
    assert generate(path, out, "--force") == 0
    printed = capsys.readouterr().out
    todo = (tmp_path / "r.待补充.txt").read_text(encoding="utf-8")
    text = all_text(out)
    for f in errors:
        assert f.message in printed and f.message in todo
        assert f.message not in text and f.rule_id not in text
    assert "未通过校验" not in text and "--force" not in text


def test_force_review_writes_the_unchecked_notice(broken_workbook, tmp_path):
    path, errors = broken_workbook
    out = tmp_path / "r.docx"
    assert generate(path, out, "--force", "--mode", "审核") == 0
    paras, tables = docx_cells(out)
    # the notice is the first table, before the first section heading
    body = open_docx(str(out)).element.body
    first_tbl = next(i for i, el in enumerate(body) if el.tag.endswith("}tbl"))
    first_h1 = next(i for i, p in enumerate(body) if p.tag.endswith("}p") and "一、部门概况" in "".join(p.itertext()))
    assert first_tbl < first_h1
    notice = "\n".join(tables[0][1][0])
    assert f"未通过校验：所依据的工作簿有{len(errors)}项错误" in notice
    for f in errors:
        assert f.message in notice and f.rule_id in notice
    text = all_text(out)
    assert "审核附件" in text and "（一）校验结果" in text and "（三）待补充" in text
    assert f"{errors[0].primary.sheet}!{errors[0].primary.address}" in text  # findings with their cells


def test_bad_arguments(tmp_path, capsys):
    assert generate(EXAMPLES / "synthetic.xlsx", tmp_path / "r.pdf") == 2
    assert "须为 .docx" in capsys.readouterr().err
    assert generate(EXAMPLES / "synthetic.xlsx", tmp_path / "r.docx", "--profile", "X9") == 2
    assert "未知的评分方案" in capsys.readouterr().err
    assert generate(tmp_path / "missing.xlsx", tmp_path / "r.docx") == 2
    assert "找不到工作簿" in capsys.readouterr().err


def test_profile_option(tmp_path):
    out = tmp_path / "r.docx"
    assert generate(EXAMPLES / "synthetic.xlsx", out, "--profile", "N53") == 0
    text = all_text(out)
    assert "本方案只计算指标值，不计分、不评定等级" in text


# -- (5) empty narrative: left out in 发布, placeholder in 审核, always in 待补充 ----------


def test_empty_narrative_left_out_in_publish_placeholder_in_review():
    _, values = typed_values(EXAMPLES / "seed_furong_2020.xlsx")
    values = dict(values)
    assert values.pop("narrative.project_mgmt")
    published = build_report(values, score(values, "V1"), [])
    assert "（二）项目管理情况" not in published.text() and "【待填写" not in published.text()
    assert "文字说明：项目管理情况" in published.gaps
    review = build_report(values, score(values, "V1"), [], mode="审核")
    blocks = review.blocks
    i = next(k for k, b in enumerate(blocks) if isinstance(b, Heading) and b.text == "（二）项目管理情况")
    nxt = blocks[i + 1]
    assert isinstance(nxt, Paragraph) and nxt.text == "【待填写：项目管理情况】"
    assert [r.mark for r in nxt.runs] == ["placeholder"]
    assert "部分项目立项依据不足" in review.text()  # the other narratives are untouched


def test_placeholder_is_highlighted_in_review(tmp_path):
    out = tmp_path / "r.docx"
    assert generate(EXAMPLES / "synthetic.xlsx", out, "--mode", "审核") == 0
    doc = open_docx(str(out))
    runs = [r for p in doc.paragraphs for r in p.runs if "【待填写：主要职能】" in r.text]
    assert runs and all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in runs)
