"""The 评价报告 as a structured document, computed from typed values, a score card and findings.

Pure: no I/O library. ``build_report`` returns a ``Document`` (headings, paragraphs made of
marked runs, tables, notices) that ``docx_writer`` lays out. Every figure comes from a field
value or is computed from field values by ``phrases``; paragraphs no figure can write come
from the ``narrative.*`` fields, and an empty one shows a visible placeholder
"【待填写：…】" — the report never invents prose.

Section order follows the published reports (domain.md §4.1, seed 2020 芙蓉区政府办):
一 部门概况 · 二 部门整体支出管理及使用情况 · 三 部门项目组织实施情况 · 四 资产管理情况 ·
五 部门整体支出绩效情况 · 六 存在的主要问题 · 七 改进措施和有关建议 · 附表.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Mapping, Sequence

from ..schema.sheets.expenses import SPEND_ROWS
from ..schema.sheets.finance import FISCAL_SOURCES, FUNCTION_CLASSES, INCOME_SOURCES
from ..schema.sheets.outputs import OUTPUT_TABLE
from ..schema.sheets.projects import PROJECT_TABLE
from . import phrases as P
from .phrases import MISSING
from .model import Block, Document, Heading, MISSING_CELL, NOT_COMPUTABLE, Notice, PageBreak, Paragraph, Table, cell, cell_pct, para, runs_of
from .reading import BUDGET_ITEMS, ONPOST_PARTS, OTHER_PARTS, QUOTA_PARTS, RETIRED_PARTS, Values, breakdown, clean_label, score_text, severity_of, spend_row, sum_known, total_of, year_text, finding_line, narrative_blocks, narrative_lines
from .annex import _annex




def report_title(v: Values) -> str:
    year = v.d("report.year")
    dept = v.s("dept.name") or MISSING
    y = f"{P.num(year, 0)}年度" if year is not None else f"评价年度{MISSING}"
    return f"{y}{dept}部门整体支出绩效评价报告"


def build_report(
    values: Mapping[str, object],
    scorecard=None,
    findings: Sequence = (),
) -> Document:
    """The report for typed ``values`` (field id → value), a ``ScoreCard`` and check findings."""
    v = Values(values)
    year_d = v.d("report.year")
    year = int(year_d) if year_d is not None else None
    doc = Document(report_title(v), dept=v.s("dept.name") or "", year=year)
    b = doc.blocks
    b.extend(_front(v, findings))
    b.extend(_overview(v, year))
    b.extend(_spending(v, year))
    b.extend(_implementation(v))
    b.extend(_assets(v, year))
    b.extend(_performance(v, year, scorecard))
    b.append(Heading("六、存在的主要问题", 1))
    b.extend(narrative_blocks(v, "narrative.problems", headings=True)[0])
    b.append(Heading("七、改进措施和有关建议", 1))
    b.extend(narrative_blocks(v, "narrative.suggestions", headings=True)[0])
    b.extend(_signature(v))
    b.append(PageBreak())
    b.extend(_annex(v, year, scorecard, findings))
    return doc


def _front(v: Values, findings: Sequence) -> list[Block]:
    out: list[Block] = []
    meta = []
    for fid, label in (("eval.method", "评价方式"), ("eval.org", "评价机构"), ("dept.code", "预算编码")):
        if v.s(fid):
            meta.append(f"{label}：{v.s(fid)}")
    if meta:
        out.append(para("　".join(meta), "meta"))
    errors = [f for f in findings if severity_of(f) == "error"]
    if errors:
        lines = tuple(f"{i}. {finding_line(f)}" for i, f in enumerate(errors, 1))
        out.append(
            Notice(
                f"未通过校验：所依据的工作簿有{len(errors)}项错误，本报告按 --force 强制生成，"
                "相关数字在修正前不得作为正式结论使用。",
                lines + ("请运行 perfeval check 查看详情并修正工作簿后重新生成报告。",),
                "error",
            )
        )
    return out


def _overview(v: Values, year: int | None) -> list[Block]:
    out: list[Block] = [Heading("一、部门概况", 1), Heading("（一）部门基本情况", 2)]
    out.append(Heading("1.主要职能", 3))
    out.extend(narrative_blocks(v, "narrative.functions")[0])

    out.append(Heading("2.机构情况", 3))
    dept = v.s("dept.name") or "本部门"
    internal = P.listing("内设机构", v.names("org.internal", 15), stated=v("org.internal.count"))
    subunit = P.listing("下属单位", v.names("org.subunit", 10), stated=v("org.subunit.count"))
    out.append(para(f"{dept}{internal}。{subunit}。"))
    for line in narrative_lines(v, "narrative.institutions"):  # optional supplement: no placeholder
        out.append(Paragraph(runs_of(line), "narrative"))

    out.append(Heading("3.人员情况", 3))
    out.append(para(_staff_sentence(v, year)))

    out.append(Heading("4.重点工作计划", 3))
    out.extend(narrative_blocks(v, "narrative.work_plan")[0])

    out.append(Heading("（二）部门年度预算收支余情况", 2))
    out.append(para(_income_sentence(v, year)))
    out.append(para(_expense_sentence(v)))

    out.append(Heading("（三）绩效目标设定情况", 2))
    out.append(para(_goals_sentence(v)))
    return out


def _people(v: Values, label: str, total_id: str, parts) -> tuple[str, Decimal | None]:
    total, computed = total_of(v, total_id, [f for f, _ in parts])
    detail = breakdown(v, parts, P.persons)
    text = f"{label}{P.persons(total)}"
    if detail:
        text += f"（其中{detail}）"
    return text, total


def _staff_sentence(v: Values, year: int | None) -> str:
    quota_text, quota = _people(v, "核定编制", "staff.quota.total", QUOTA_PARTS)
    onpost_text, onpost = _people(v, "实际在编在岗", "staff.onpost.total", ONPOST_PARTS)
    other_text, _ = _people(v, "其他人员", "staff.other.total", OTHER_PARTS)
    retired_text, _ = _people(v, "离退休人员", "staff.retired.total", RETIRED_PARTS)
    rate = P.share(onpost, quota)
    control = f"，在职人员控制率（在编在岗人数÷编制数）为{P.pct(rate)}" if rate is not None else ""
    return f"{quota_text}；{year_text(year)}底{onpost_text}{control}；{other_text}；{retired_text}。"


def _income_sentence(v: Values, year: int | None) -> str:
    total = v.d("inc.total_year")
    parts = []
    for key, label in INCOME_SOURCES:
        x = v.d(f"inc.{key}")
        if x is None or x == 0:
            continue
        sh = P.share_phrase(x, total)
        parts.append(f"{clean_label(label)}{P.money(x)}" + (f"，{sh}" if sh else ""))
    text = f"{year_text(year)}收入合计{P.money(total)}"
    if parts:
        text += "，其中：" + "；".join(parts)
    text += "。"
    fiscal, _ = total_of(v, "inc.fiscal_total", [f"inc.{k}" for k in FISCAL_SOURCES])
    if fiscal is not None:
        others = [v.d(f"inc.{k}") for k in FISCAL_SOURCES[1:]]
        general = v.d("inc.general_budget")
        text += f"财政拨款收入{P.money(fiscal)}"
        if general is not None and general == fiscal and all(x is None or x == 0 for x in others) and fiscal != 0:
            text += "，均为一般公共预算财政拨款收入"
        else:
            sh = P.share_phrase(fiscal, total, "收入合计")
            text += f"，{sh}" if sh else ""
        text += "。"
    extra = []
    for fid, label in (
        ("inc.non_fiscal_balance_used", "使用非财政拨款结余"),
        ("inc.carryover_begin", "年初结转和结余"),
        ("inc.grand_total", "收入总计"),
    ):
        if v.d(fid) is not None:
            extra.append(f"{label}{P.money(v.d(fid))}")
    if extra:
        text += "；".join(extra) + "。"
    return text


def _expense_sentence(v: Values) -> str:
    total = v.d("exp.total_year")
    text = f"本年支出合计{P.money(total)}"
    funcs = []
    for key, label in FUNCTION_CLASSES:
        x = v.d(f"exp.func.{key}")
        if x is None or x == 0:
            continue
        sh = P.share_phrase(x, total)
        name = re.sub(r"（\d+类）$", "", label)  # the 类 code stays in 附表1, the prose reads like the seed
        funcs.append(f"{name}{P.money(x)}" + (f"，{sh}" if sh else ""))
    text += ("。按支出功能分类：" + "；".join(funcs)) if funcs else f"。按支出功能分类的支出{MISSING}"
    nature = []
    for fid, label in (("exp.basic", "基本支出"), ("exp.project", "项目支出"), ("exp.upper", "上缴上级支出"),
                       ("exp.operating", "经营支出"), ("exp.affiliate", "对附属单位补助支出")):
        x = v.d(fid)
        if x is None or (x == 0 and fid not in ("exp.basic", "exp.project")):
            continue
        sh = P.share_phrase(x, total)
        nature.append(f"{label}{P.money(x)}" + (f"，{sh}" if sh else ""))
    text += ("。按支出性质：" + "；".join(nature)) if nature else f"。按支出性质的支出{MISSING}"
    text += "。"
    extra = []
    for fid, label in (
        ("exp.surplus_distribution", "结余分配"),
        ("exp.carryover_end", "年末结转和结余"),
        ("exp.grand_total", "支出总计"),
    ):
        if v.d(fid) is not None:
            extra.append(f"{label}{P.money(v.d(fid))}")
    if extra:
        text += "；".join(extra) + "。"
    return text


def _compare_clause(stated: Decimal | None, other: Decimal | None, other_label: str) -> str:
    if stated is None or other is None:
        return ""
    diff = stated - other
    if diff == 0:
        return f"，与{other_label}一致"
    return f"，较{other_label}{'多' if diff > 0 else '少'}{P.money(abs(diff))}"


def _goals_sentence(v: Values) -> str:
    dept_amount = v.d("goals.dept_amount")
    text = f"部门整体支出绩效目标金额{P.money(dept_amount)}"
    text += _compare_clause(dept_amount, v.d("exp.total_year"), "本年支出合计")
    text += f"；项目支出绩效目标{P.persons(v.d('goals.project_count'), '个')}，金额{P.money(v.d('goals.project_amount'))}"
    text += _compare_clause(v.d("goals.project_amount"), v.d("exp.project"), "项目支出")
    if v.d("goals.key_project_amount") is not None:
        text += f"；其中重点项目支出{P.money(v.d('goals.key_project_amount'))}"
    return text + "。"


SPEND_LABEL = {r.key: clean_label(r.label).strip("“”") for r in SPEND_ROWS}


def spend_sentence(v: Values, row: str, label: str | None = None) -> str:
    """One row of the 三公/公用/采购 grid in words: 决算, 预算 and 完成率, 增减 against 上年决算."""
    s = spend_row(v, row)
    label = label or SPEND_LABEL[row]
    if all(x is None for x in s.values()):
        return f"{label}{MISSING}"
    if all(x is not None for x in s.values()) and all(x == 0 for x in s.values()):
        return f"{label}本年预算、决算及上年预算、决算均为0"
    parts = [f"{label}支出决算{P.money(s['final'])}"]
    if s["budget"] is None:
        parts.append(f"预算数{MISSING}")
    else:
        parts.append(f"预算{P.money(s['budget'])}")
        if s["final"] is not None:
            parts.append(P.completion_phrase(s["final"], s["budget"]))
    text = "，".join(parts)
    if s["prior_final"] is None and s["final"] is not None:
        text += f"；上年决算数{MISSING}，无法计算增减变动"
    elif s["final"] is not None:
        text += f"；上年决算{P.money(s['prior_final'])}，" + P.change_phrase(s["final"], s["prior_final"])
    return text


PUBLIC_PARTS = ("office", "utilities_travel", "meeting", "training")


def _filled(v: Values, row: str) -> bool:
    return any(x is not None for x in spend_row(v, row).values())


def _other_spend_sentence(v: Values) -> str:
    """公用经费 (with its 其中 rows) and 政府采购, or one "（未填报）" for what is blank."""
    clauses, blank = [], []
    if _filled(v, "public"):
        clauses.append(spend_sentence(v, "public"))
    parts = [r for r in PUBLIC_PARTS if _filled(v, r)]
    if parts:
        lead = "公用经费中，" if _filled(v, "public") else f"公用经费合计{MISSING}，其中："
        clauses.append(lead + "；".join(spend_sentence(v, r) for r in parts))
    elif not _filled(v, "public"):
        blank.append(SPEND_LABEL["public"])
    if _filled(v, "procurement"):
        clauses.append(spend_sentence(v, "procurement"))
    else:
        blank.append(SPEND_LABEL["procurement"])
    if blank:
        clauses.append("、".join(blank) + MISSING)
    return "；".join(clauses) + "。"


def _spending(v: Values, year: int | None) -> list[Block]:
    out: list[Block] = [Heading("二、部门整体支出管理及使用情况", 1), Heading("（一）基本支出", 2)]
    basic = v.d("exp.basic")
    total = v.d("exp.total_year")
    text = f"基本支出{P.money(basic)}"
    sh = P.share_phrase(basic, total, "本年支出合计")
    if sh:
        text += f"，{sh}"
    personnel, public = v.d("exp.personnel"), v.d("exp.public")
    if personnel is None and public is None:
        text += f"，其中人员经费、公用经费{MISSING}"
    else:
        text += f"，其中人员经费{P.money(personnel)}、公用经费{P.money(public)}"
    out.append(para(text + "。"))
    out.extend(narrative_blocks(v, "narrative.basic_use")[0])

    # 三公经费: the total, then each component
    lines = [f"{year_text(year)}{spend_sentence(v, 'sanggong')}。"]
    comps = []
    for row in ("abroad", "reception", "vehicle"):
        comps.append(spend_sentence(v, row))
    lines.append("其中：" + "；".join(comps) + "。")
    sub = [r for r in ("vehicle_purchase", "vehicle_operation") if _filled(v, r)]
    if sub:
        lines.append("公务用车购置及运行维护费中，" + "；".join(spend_sentence(v, r) for r in sub) + "。")
    out.append(para("".join(lines)))

    out.append(para(_other_spend_sentence(v)))

    out.append(Heading("（二）项目支出", 2))
    out.append(Heading("1.项目资金安排落实、总投入等情况分析", 3))
    projects = _projects(v)
    project = v.d("exp.project")
    text = f"{year_text(year)}项目支出{P.money(project)}"
    sh = P.share_phrase(project, total, "本年支出合计")
    if sh:
        text += f"，{sh}"
    text += "。"
    text += _project_summary(projects, project)
    out.append(para(text))
    if projects:
        out.append(_project_table(projects))
    out.append(Heading("2.项目资金（主要指财政资金）实际使用情况分析", 3))
    names = [p["name"] for p in projects]
    lead = f"{year_text(year)}共实施{P.listing('项目', names, stated=v('projects.count'))}。" if names else (
        f"{year_text(year)}实施项目{P.persons(v.d('projects.count'), '个')}（项目明细{MISSING}）。"
    )
    out.append(para(lead + "项目主要内容为："))
    out.extend(narrative_blocks(v, "narrative.project_use")[0])
    return out


def _projects(v: Values) -> list[dict]:
    rows = []
    for i in range(1, PROJECT_TABLE.n_rows + 1):
        cell = {c.key: v(PROJECT_TABLE.field_id(i, c.key)) for c in PROJECT_TABLE.columns}
        name = (str(cell["name"]).strip() if cell["name"] is not None else "")
        if not name and all(cell[k] is None for k in ("initial", "adjusted", "actual")):
            continue
        cell["name"] = name or MISSING
        for k in ("initial", "adjusted", "actual", "goal_rate"):
            cell[k] = P.dec(cell[k])
        rows.append(cell)
    return rows


def _project_summary(projects: list[dict], project_total: Decimal | None) -> str:
    if not projects:
        return f"项目支出明细{MISSING}。"
    n = len(projects)
    text = f"项目支出明细共列{n}个项目"
    sources = {p["source"] for p in projects}
    if None not in sources and len(sources) == 1:
        text += f"，资金来源{'均' if n > 1 else ''}为{sources.pop()}"
    sums = {k: sum_known([p[k] for p in projects]) for k in ("initial", "adjusted", "actual")}
    if all(x is None for x in sums.values()):
        text += f"；各项目预算及支出金额{MISSING}。"
        return text
    pieces = []
    for k, label in (("initial", "年初预算"), ("adjusted", "调整后预算"), ("actual", "实际支出")):
        label = label + ("合计" if n > 1 else "")
        if sums[k] is not None:
            pieces.append(f"{label}{P.money(sums[k])}")
        elif all(p[k] is None for p in projects):
            pieces.append(f"{label}{MISSING}")
        else:
            pieces.append(f"{label}部分项目未填报，不合计")
    text += "；" + "，".join(pieces)
    if sums["actual"] is not None and sums["adjusted"] is not None:
        text += f"，{P.completion_phrase(sums['actual'], sums['adjusted'], budget_label='调整后预算', verb='执行率')}"
    text += _compare_clause(sums["actual"], project_total, "项目支出")
    return text + "。"


def _project_table(projects: list[dict]) -> Table:
    rows = []
    for i, p in enumerate(projects, 1):
        rows.append((
            str(i), p["name"], p["source"] or MISSING_CELL, cell(p["initial"]), cell(p["adjusted"]), cell(p["actual"]),
            cell_pct(P.completion(p["actual"], p["adjusted"])), p["key"] or "",
        ))
    sums = [sum_known([p[k] for p in projects]) for k in ("initial", "adjusted", "actual")]
    totals: tuple[int, ...] = ()
    if len(projects) > 1 and any(x is not None for x in sums):
        rows.append(("", "合计", "", *[cell(x) if x is not None else NOT_COMPUTABLE for x in sums],
                     cell_pct(P.completion(sums[2], sums[1])), ""))
        totals = (len(rows) - 1,)
    return Table(
        "项目支出明细（单位：万元）",
        ("序号", "项目名称", "资金来源", "年初预算", "调整后预算", "实际支出", "执行率", "重点项目"),
        tuple(rows),
        numeric=(3, 4, 5, 6),
        widths=(0.7, 3.2, 1.4, 1.35, 1.35, 1.35, 1.25, 0.9),
        notes=("执行率 = 实际支出 ÷ 调整后预算 × 100%；合计仅在各项目均已填报时计算；“—”表示无法计算。",),
        total_rows=totals,
    )


def _implementation(v: Values) -> list[Block]:
    out: list[Block] = [Heading("三、部门项目组织实施情况", 1), Heading("（一）项目组织情况", 2)]
    out.extend(narrative_blocks(v, "narrative.project_org")[0])
    out.append(Heading("（二）项目管理情况", 2))
    out.extend(narrative_blocks(v, "narrative.project_mgmt")[0])
    return out


def asset_sentence(v: Values, year: int | None) -> str:
    o, a, d, c = (v.d(f"assets.fixed.{k}") for k in ("opening", "added", "disposed", "closing"))
    if all(x is None for x in (o, a, d, c)):
        return f"固定资产年初、本年增减及年末数{MISSING}。"
    text = (f"{year_text(year)}年初固定资产{P.money(o)}，本年增加{P.money(a)}，本年减少{P.money(d)}，"
            f"年末固定资产{P.money(c)}。")
    if None not in (o, a, d):
        expected = o + a - d
        if c is None:
            text += f"按“年初＋本年增加－本年减少”计算，年末应为{P.money(expected)}。"
        elif expected == c:
            text += "年初数、本年增减数与年末数勾稽一致。"
        else:
            text += (f"按“年初＋本年增加－本年减少”计算，年末应为{P.money(expected)}，"
                     f"与填报的年末数相差{P.money(abs(c - expected))}。")
    in_use = v.d("assets.fixed.in_use")
    if in_use is not None:
        text += f"年末在用固定资产{P.money(in_use)}"
        rate = P.share(in_use, c)
        text += f"，固定资产利用率（在用÷年末）为{P.pct(rate)}。" if rate is not None else "。"
    return text


def _assets(v: Values, year: int | None) -> list[Block]:
    out: list[Block] = [Heading("四、资产管理情况", 1)]
    out.extend(narrative_blocks(v, "narrative.asset_mgmt")[0])
    out.append(para(asset_sentence(v, year)))
    return out


def fiscal_sentence(v: Values, year: int | None) -> str:
    init, final = v.d("budget.fiscal_initial"), v.d("budget.fiscal_final")
    y = f"{year}年度" if year is not None else "本年度"
    text = f"{y}财政拨款支出年初预算数为{P.money(init)}，支出决算数为{P.money(final)}"
    if init is not None and final is not None:
        text += "，" + P.completion_phrase(final, init, budget_label="年初预算数", verb="完成年初预算的")
    return text + "。"


def budget_sentence(v: Values) -> str:
    items = {fid: v.d(fid) for fid, _ in BUDGET_ITEMS}
    if all(x is None for x in items.values()):
        return f"部门预算执行情况（上年结转、年初预算、追加追减、调整后预算、支出决算、年末结余）{MISSING}。"
    text = "部门预算执行：" + "，".join(f"{label}{P.money(items[fid])}" for fid, label in BUDGET_ITEMS) + "。"
    init, added, reduced, adjusted = (items[k] for k in ("budget.initial", "budget.added", "budget.reduced", "budget.adjusted"))
    if init is not None and adjusted is not None:
        expected = init + (added or 0) - (reduced or 0)
        if added is not None or reduced is not None:
            if expected != adjusted:
                text += f"按“年初＋追加－追减”计算，调整后预算应为{P.money(expected)}，与填报数相差{P.money(abs(adjusted - expected))}。"
    if items["budget.final"] is not None and adjusted is not None:
        text += "预算执行率（支出决算÷调整后预算）" + (
            f"为{P.pct(P.completion(items['budget.final'], adjusted))}" if adjusted != 0 else "无法计算（调整后预算为0）"
        ) + "。"
    return text


def output_table(v: Values) -> Table | None:
    rows = []
    for i in range(1, OUTPUT_TABLE.n_rows + 1):
        name = v.s(OUTPUT_TABLE.field_id(i, "name"))
        plan, actual = v.d(OUTPUT_TABLE.field_id(i, "plan")), v.d(OUTPUT_TABLE.field_id(i, "actual"))
        if not name and plan is None and actual is None:
            continue
        rows.append((
            str(len(rows) + 1), name or MISSING_CELL, v.s(OUTPUT_TABLE.field_id(i, "unit")) or "",
            _qcell(plan), _qcell(actual), cell_pct(P.completion(actual, plan)),
        ))
    if not rows:
        return None
    return Table(
        "履职产出指标完成情况",
        ("序号", "指标名称", "计量单位", "计划值", "实际值", "完成率"),
        tuple(rows),
        numeric=(3, 4, 5),
        widths=(0.8, 4.0, 1.2, 1.3, 1.3, 1.3),
        notes=("完成率 = 实际值 ÷ 计划值 × 100%，按填报的计划值、实际值计算；“—”表示无法计算。",),
    )


def _qcell(x: Decimal | None) -> str:
    return MISSING_CELL if x is None else P.quantity(x)


def score_summary(scorecard) -> str:
    if scorecard is None:
        return f"指标评分{MISSING}。"
    prof = scorecard.profile
    text = f"按《{prof.name}》（方案 {prof.id}）计算"
    if not prof.scored:
        return text + "，本方案只计算指标值，不计分、不评定等级。"
    if scorecard.total is None:
        return text + f"：{scorecard.explanation}。各项指标的计算与扣分说明见附表2。"
    text += f"，已纳入计分的指标满分{score_text(scorecard.max_total)}分，得分{score_text(scorecard.total)}分"
    if scorecard.max_total != 100 and scorecard.scaled_total is not None:
        text += f"，折算百分制{P.num(scorecard.scaled_total)}分"
    text += f"，评价等级为“{scorecard.grade}”。各项指标的计算与扣分说明见附表2。"
    return text


def _performance(v: Values, year: int | None, scorecard) -> list[Block]:
    out: list[Block] = [Heading("五、部门整体支出绩效情况", 1)]
    out.append(para(fiscal_sentence(v, year) + budget_sentence(v)))
    narrative, last = narrative_blocks(v, "narrative.performance", headings=True)
    out.extend(narrative)
    n = last + 1
    table = output_table(v)
    out.append(Heading(f"{P.cn_ordinal(n)}履职产出情况", 2))
    if table is not None:
        out.append(para(f"履职产出指标{len(table.rows)}项，完成情况如下表。"))
        out.append(table)
    else:
        out.append(para(f"履职产出指标{MISSING}。"))
    out.append(Heading(f"{P.cn_ordinal(n + 1)}绩效评价指标得分情况", 2))
    out.append(para(score_summary(scorecard)))
    if scorecard is not None:
        for item in scorecard.items:
            out.append(para(_item_outcome(item)))
    return out


def _item_outcome(item) -> str:
    """The engine's explanation as a sentence, led by the indicator's name."""
    expl = item.explanation.strip().rstrip("。")
    if not expl.startswith(item.title):
        expl = f"{item.title}：{expl}"
    return expl + "。"


def _signature(v: Values) -> list[Block]:
    out: list[Block] = [para(v.s("dept.name") or MISSING, "signature")]
    date = v("report.date")
    if isinstance(date, dt.datetime):
        date = date.date()
    if isinstance(date, dt.date):
        out.append(para(f"{date.year}年{date.month}月{date.day}日", "signature"))
    return out
