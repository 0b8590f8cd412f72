"""The 评价报告 as a structured document, computed from typed values, a score card and findings.

Pure: no I/O library. ``build_report`` returns a ``Document`` (cover, headings, paragraphs made
of marked runs, tables, charts) that ``docx_writer`` lays out. Every figure comes from a field
value, is computed from field values by ``phrases``, or is the stated figure (``stated``);
paragraphs no figure can write come from the ``narrative.*`` fields — the report never invents
prose, except the 问题与建议 it drafts from the data, marked as a draft for the author.

Two modes (``reading.MODES``):
* 发布 — the text a department publishes: a sentence whose figures are missing is left out and
  the gap goes to ``Document.gaps`` (待补充, printed on the terminal and in 待补充.txt); no check
  output, no cell addresses, no 应为.
* 审核 — the same text, placeholders where narratives are missing, and a reviewer's annex:
  findings with their cells, the figures the text derived, the 待补充 list.

Section order follows the published reports (domain.md §4.1, seed 2020 芙蓉区政府办):
封面 · 一 部门概况 · 二 部门整体支出管理及使用情况 · 三 部门项目组织实施情况 · 四 资产管理情况 ·
五 部门整体支出绩效情况 · 六 存在的主要问题 · 七 改进措施和有关建议 · 附表.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Mapping, Sequence

from ..schema import INPUTS, precision
from ..schema.sheets.finance import FISCAL_SOURCES, FUNCTION_CLASSES, INCOME_SOURCES
from . import phrases as P
from .annex import annex_blocks, review_annex
from .drafts import drafted_sections
from .model import Block, Chart, Cover, Document, Heading, Notice, PageBreak, Paragraph, Table, para, published, runs_of
from .outline import published_outline
from .performance import performance_blocks
from .reading import (
    ONPOST_PARTS, OTHER_PARTS, PUBLISH, QUOTA_PARTS, RETIRED_PARTS, Ctx, Values, breakdown, narrative_blocks,
    finding_line, narrative_lines, severity_of, total_of, year_text,
)
from .spending import spending_blocks
from .stated import resolve


def report_title(v: Values) -> str:
    year = v.d("report.year")
    dept = v.s("dept.name") or ""
    y = f"{P.num(year, 0)}年度" if year is not None else ""
    return f"{y}{dept}部门整体支出绩效评价报告"


def build_report(
    values: Mapping[str, object],
    scorecard=None,
    findings: Sequence = (),
    *,
    mode: str = PUBLISH,
) -> Document:
    """The report for typed ``values`` (field id → value), a ``ScoreCard`` and check findings."""
    with P.money_as(precision.money_unit(values), precision.money_decimals(values)):
        return _build_report(values, scorecard, findings, mode)


def _build_report(values: Mapping[str, object], scorecard, findings: Sequence, mode: str) -> Document:
    v = Values(values)
    year_d = v.d("report.year")
    year = int(year_d) if year_d is not None else None
    ctx = Ctx(v, year, mode)
    doc = Document(report_title(v), dept=v.s("dept.name") or "", year=year, mode=mode)
    b = doc.blocks
    b.append(cover(ctx, doc.title))
    b.append(PageBreak())
    if ctx.review:
        b.extend(_unchecked_notice(findings))
    b.extend(_overview(ctx))
    b.extend(spending_blocks(ctx))
    b.extend(_implementation(ctx))
    b.extend(_assets(ctx))
    b.extend(performance_blocks(ctx, scorecard))
    problems, suggestions = drafted_sections(ctx, scorecard)
    b.append(Heading("六、存在的主要问题", 1))
    b.extend(problems)
    b.append(Heading("七、改进措施和有关建议", 1))
    b.extend(suggestions)
    b.extend(_signature(ctx))
    b.append(PageBreak())
    b.extend(annex_blocks(ctx, scorecard))
    if ctx.review:
        b.append(PageBreak())
        b.extend(review_annex(ctx, findings))
    if not ctx.review:
        doc.blocks = _published_blocks(doc.blocks)
    doc.gaps = list(ctx.gaps)
    return doc


def _published_blocks(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Table):
            b = published(b)
            if not b.header:
                continue
        out.append(b)
    return published_outline(out)


def _unchecked_notice(findings: Sequence) -> list[Block]:
    errors = [f for f in findings if severity_of(f) == "error"]
    if not errors:
        return []
    return [Notice(
        f"未通过校验：所依据的工作簿有{len(errors)}项错误，本报告按 --force 强制生成，相关数字在修正前不得作为正式结论使用。",
        tuple(f"{i}. {finding_line(f)}" for i, f in enumerate(errors, 1)),
        "error",
    )]


def _date(x: object) -> str:
    if isinstance(x, dt.datetime):
        x = x.date()
    if isinstance(x, dt.date):
        return f"{x.year}年{x.month}月{x.day}日"
    return ""


def cover(ctx: Ctx, title: str) -> Cover:
    """封面 as bureaus issue it: 部门（单位）名称, 预算编码, 评价方式, 评价机构, 报告日期, "XX财政局（制）"."""
    v = ctx.v
    issued = _date(v("report.issued")) or _date(v("report.date"))
    lines = []
    for label, value, fid in (
        ("部门（单位）名称", v.s("dept.name"), "dept.name"),
        ("预算编码", v.s("dept.code"), "dept.code"),
        ("评价方式", v.s("eval.method"), "eval.method"),
        ("评价机构", v.s("eval.org"), "eval.org"),
        ("报告日期", issued, "report.issued"),
    ):
        if not value:
            ctx.gap(f"封面：{label}")
        lines.append((label, value or ""))
    bureau = v.s("report.bureau")
    if not bureau:
        ctx.gap("封面：财政局名称（封面落款“XX财政局（制）”）")
    return Cover(title, tuple(lines), f"{bureau}（制）" if bureau else "")


def section(heading: Heading, blocks: list[Block]) -> list[Block]:
    """A heading with its blocks, or nothing when there is nothing under it."""
    return [heading, *blocks] if blocks else []


def _overview(ctx: Ctx) -> list[Block]:
    v = ctx.v
    out: list[Block] = [Heading("一、部门概况", 1), Heading("（一）部门基本情况", 2)]
    out.extend(section(Heading("1.主要职能", 3), narrative_blocks(ctx, "narrative.functions")[0]))

    org: list[Block] = []
    dept = v.s("dept.name") or "本部门"
    internal, subunit = v.names("org.internal", 15), v.names("org.subunit", 10)
    sentences = []
    if internal:
        sentences.append(f"{dept}{P.listing('内设机构', internal)}")
    elif v.d("org.internal.count") is not None:
        sentences.append(f"{dept}内设机构{P.num(v.d('org.internal.count'), 0)}个" if v.d("org.internal.count") else f"{dept}无内设机构")
    else:
        ctx.gap("内设机构")
    if subunit:
        sentences.append(P.listing("下属单位", subunit))
    elif v.d("org.subunit.count") == 0:
        sentences.append("无下属单位")
    elif v.d("org.subunit.count") is not None:
        sentences.append(f"下属单位{P.num(v.d('org.subunit.count'), 0)}个")
    if sentences:
        org.append(para("。".join(sentences) + "。"))
    for line in narrative_lines(v, "narrative.institutions"):
        org.append(Paragraph(runs_of(line), "narrative"))
    out.extend(section(Heading("2.机构情况", 3), org))

    staff = _staff_sentence(ctx)
    out.extend(section(Heading("3.人员情况", 3), [para(staff)] if staff else []))
    out.extend(section(Heading("4.重点工作计划", 3), narrative_blocks(ctx, "narrative.work_plan")[0]))

    out.append(Heading("（二）部门年度预算收支余情况", 2))
    for text in (_income_sentence(ctx), _expense_sentence(ctx)):
        if text:
            out.append(para(text))
    chart = composition_chart(ctx)
    if chart is not None:
        out.append(chart)

    out.append(Heading("（三）绩效目标设定情况", 2))
    out.extend(narrative_blocks(ctx, "narrative.goal_setting", optional=True)[0])
    goals = _goals_sentence(ctx)
    if goals:
        out.append(para(goals))
    elif not narrative_lines(v, "narrative.goal_setting"):
        out.pop()  # neither figures nor text: no empty heading
    return out


def _people(v: Values, label: str, total_id: str, parts) -> str | None:
    total, _ = total_of(v, total_id, [f for f, _ in parts])
    if total is None:
        return None
    detail = breakdown(v, parts, P.persons)
    return f"{label}{P.persons(total)}" + (f"（其中{detail}）" if detail else "")


def _staff_sentence(ctx: Ctx) -> str:
    v = ctx.v
    clauses = []
    quota = _people(v, "核定编制", "staff.quota.total", QUOTA_PARTS)
    onpost = _people(v, "实际在编在岗", "staff.onpost.total", ONPOST_PARTS)
    if quota:
        clauses.append(quota)
    else:
        ctx.gap("人员：编制数")
    q, o = total_of(v, "staff.quota.total", [f for f, _ in QUOTA_PARTS])[0], total_of(v, "staff.onpost.total", [f for f, _ in ONPOST_PARTS])[0]
    rate = resolve(P.share(o, q), v.d("staff.control_rate"))
    control = f"在职人员控制率为{P.rate_text(rate.value, rate.source == 'stated')}" if rate is not None else ""
    if onpost:
        clauses.append(f"{year_text(ctx.year)}底{onpost}" + (f"，{control}" if control else ""))
    else:
        ctx.gap("人员：实际在编在岗人数")
        if control:
            clauses.append(control)
    for label, tid, parts in (("其他人员", "staff.other.total", OTHER_PARTS), ("离退休人员", "staff.retired.total", RETIRED_PARTS)):
        text = _people(v, label, tid, parts)
        if text:
            clauses.append(text)
    return "；".join(clauses) + "。" if clauses else ""


def _income_sentence(ctx: Ctx) -> str:
    v = ctx.v
    total = v.d("inc.total_year")
    if total is None:
        ctx.gap("收入：本年收入合计")
        return ""
    parts = []
    for key, label in INCOME_SOURCES:
        x = v.d(f"inc.{key}")
        if x is None or x == 0:
            continue
        sh = P.share_phrase(x, total)
        parts.append(f"{_clean(label)}{P.money(x)}" + (f"，{sh}" if sh else ""))  # no stated income shares
    text = f"{year_text(ctx.year)}收入合计{P.money(total)}" + year_change(ctx, "inc", "收入合计")
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
    extra = [f"{label}{P.money(v.d(fid))}" for fid, label in (
        ("inc.non_fiscal_balance_used", "使用非财政拨款结余"), ("inc.carryover_begin", "年初结转和结余"),
        ("inc.grand_total", "收入总计")) if v.d(fid) is not None]
    if extra:
        text += "；".join(extra) + "。"
    return text


def _clean(label: str) -> str:
    from .reading import clean_label

    return clean_label(label)


def _function_name(label: str) -> str:
    return re.sub(r"（\d+类）$", "", label)  # the 类 code stays in 附表1, the prose reads like the seed


def _expense_sentence(ctx: Ctx) -> str:
    v = ctx.v
    total = v.d("exp.total_year")
    if total is None:
        ctx.gap("支出：本年支出合计")
        return ""
    text = f"本年支出合计{P.money(total)}" + year_change(ctx, "exp", "支出合计")
    funcs = []
    for key, label in FUNCTION_CLASSES:
        x = v.d(f"exp.func.{key}")
        item = share_item(ctx, _function_name(label), x, total, f"exp.share.{key}")
        if item:
            funcs.append(item)
    if funcs:
        text += "。按支出功能分类：" + "；".join(funcs)
    else:
        ctx.gap("支出：按功能分类的支出")
    nature = []
    for fid, label in (("exp.basic", "基本支出"), ("exp.project", "项目支出"), ("exp.upper", "上缴上级支出"),
                       ("exp.operating", "经营支出"), ("exp.affiliate", "对附属单位补助支出")):
        x = v.d(fid)
        if x == 0 and fid not in ("exp.basic", "exp.project"):
            continue
        item = share_item(ctx, label, x, total, f"exp.share.{fid[4:]}")
        if item:
            nature.append(item)
    if nature:
        text += "。按支出性质：" + "；".join(nature)
    text += "。"
    extra = [f"{label}{P.money(v.d(fid))}" for fid, label in (
        ("exp.surplus_distribution", "结余分配"), ("exp.carryover_end", "年末结转和结余"),
        ("exp.grand_total", "支出总计")) if v.d(fid) is not None]
    if extra:
        text += "；".join(extra) + "。"
    return text


def year_change(ctx: Ctx, key: str, label: str) -> str:
    """"，比上年增加120.00万元，增长5.1%" for 本年收入/支出合计 against 上年 (entered, or stated as a change)."""
    v = ctx.v
    total, prior = v.d(f"{key}.total_year"), v.d(f"{key}.total_prior")
    amount = resolve(P.change(total, prior).amount, v.d(f"{key}.change_amount"), money=True)
    stated_rate = v.d(f"{key}.change_rate")
    rate = resolve(P.change(total, prior).rate if prior is not None or stated_rate is None else None, stated_rate)
    for fig, what in ((amount, "增减额"), (rate, "增减率")):
        if fig is not None and fig.conflict is not None:
            ctx.derive(f"{label}较上年{what}：按填报数计算为{P.num(fig.value)}，报告所述为{P.num(fig.conflict)}（正文用计算数，见校验结果）")
    clause = P.versus("比上年", amount.value if amount else None, rate.value if rate else None,
                      rate_stated=bool(rate and rate.source == "stated"))
    if prior is not None and clause:
        return f"，上年{label}{P.money(prior)}，{clause}"
    return f"，{clause}" if clause else ""


def share_item(ctx: Ctx, label: str, x: Decimal | None, total: Decimal | None, share_id: str) -> str:
    """"基本支出1641.81万元，占72.07%": the share computed, or the stated one when the figures are not there."""
    if x == 0:
        return ""
    sh = resolve(P.share(x, total), ctx.v.d(share_id) if share_id in INPUTS else None)
    if sh is not None and sh.conflict is not None:
        ctx.derive(f"{label}占比：按填报数计算为{P.num(sh.value)}%，报告所述为{P.num(sh.conflict)}%（正文用计算数）")
    share = f"占{P.rate_text(sh.value, sh.source == 'stated')}" if sh is not None else ""
    if x is None:
        return f"{label}{share}" if share else ""
    return f"{label}{P.money(x)}" + (f"，{share}" if share else "")


def composition_chart(ctx: Ctx) -> Chart | None:
    """支出构成 by 功能分类 (or 基本/项目 when no 功能分类 is filled): a pie a reader takes in at a glance."""
    v = ctx.v
    items = [(_function_name(label), v.d(f"exp.func.{key}")) for key, label in FUNCTION_CLASSES]
    items = [(n, x) for n, x in items if x is not None and x > 0]
    title = "支出按功能分类构成"
    if len(items) < 2:
        items = [(n, v.d(f)) for f, n in (("exp.basic", "基本支出"), ("exp.project", "项目支出"))]
        items = [(n, x) for n, x in items if x is not None and x > 0]
        title = "支出按性质构成"
    if len(items) < 2:
        return None
    return Chart(f"{year_text(ctx.year)}{title}（{P.money_unit()}）", "pie",
                 tuple(n for n, _ in items), (("支出", tuple(x for _, x in items)),), unit=P.money_unit())


def _goals_sentence(ctx: Ctx) -> str:
    v = ctx.v
    clauses = []
    if v.d("goals.dept_amount") is not None:
        clauses.append(f"部门整体支出绩效目标{P.money(v.d('goals.dept_amount'))}")
    count, amount = v.d("goals.project_count"), v.d("goals.project_amount")
    if count is not None or amount is not None:
        text = "项目支出绩效目标"
        if count is not None:
            text += f"申报{P.persons(count, '个')}"
        if amount is not None:
            text += f"{'，' if count is not None else ''}资金{P.money(amount)}"
        clauses.append(text)
    if v.d("goals.key_project_amount") is not None:
        clauses.append(f"其中重点项目支出{P.money(v.d('goals.key_project_amount'))}")
    if not clauses:
        ctx.gap("绩效目标：部门整体及项目支出绩效目标金额")
        return ""
    return f"{year_text(ctx.year)}" + "；".join(clauses) + "。"


def _implementation(ctx: Ctx) -> list[Block]:
    out: list[Block] = [Heading("三、部门项目组织实施情况", 1)]
    out.extend(section(Heading("（一）项目组织情况", 2), narrative_blocks(ctx, "narrative.project_org")[0]))
    out.extend(section(Heading("（二）项目管理情况", 2), narrative_blocks(ctx, "narrative.project_mgmt")[0]))
    return out


def asset_sentence(ctx: Ctx) -> str:
    """年初 + 增加 − 减少 = 年末 in words; a blank 年末 is computed, a stated one is printed as stated
    (a disagreement is the checker's finding, listed in the 审核 annex, not a second figure here)."""
    v = ctx.v
    o, a, d, c = (v.d(f"assets.fixed.{k}") for k in ("opening", "added", "disposed", "closing"))
    if None not in (o, a, d):
        expected = o + a - d
        if c is None:
            c = expected
            ctx.derive(f"年末固定资产 = 年初{P.num(o)} + 本年增加{P.num(a)} − 本年减少{P.num(d)} = {P.num(expected)}{P.money_unit()}（填报数空白，正文用计算数）")
        elif c != expected:
            ctx.derive(f"年末固定资产：年初 + 本年增加 − 本年减少 = {P.num(expected)}{P.money_unit()}，填报{P.num(c)}{P.money_unit()}，正文用填报数")
    clauses = [f"{label}{P.money(x)}" for label, x in (("年初固定资产", o), ("本年增加", a), ("本年减少", d), ("年末固定资产", c))
               if x is not None]
    if not clauses:
        ctx.gap("固定资产：年初数、本年增减及年末数")
    text = f"{year_text(ctx.year)}" + "，".join(clauses) + "。" if clauses else ""
    in_use = v.d("assets.fixed.in_use")
    rate = resolve(P.share(in_use, c), v.d("assets.fixed.use_rate"))
    use = f"固定资产利用率为{P.rate_text(rate.value, rate.source == 'stated')}" if rate is not None else ""
    if in_use is not None:
        text += f"年末在用固定资产{P.money(in_use)}" + (f"，{use}。" if use else "。")
    elif use:
        text += use + "。"
    return text


def _assets(ctx: Ctx) -> list[Block]:
    out: list[Block] = [Heading("四、资产管理情况", 1)]
    out.extend(narrative_blocks(ctx, "narrative.asset_mgmt")[0])
    text = asset_sentence(ctx)
    if text:
        out.append(para(text))
    return out


def _signature(ctx: Ctx) -> list[Block]:
    v = ctx.v
    out: list[Block] = []
    if v.s("dept.name"):
        out.append(para(v.s("dept.name"), "signature"))
    date = _date(v("report.issued")) or _date(v("report.date"))
    if date:
        out.append(para(date, "signature"))
    return out


__all__ = ["Document", "Heading", "Paragraph", "build_report", "report_title", "cover", "asset_sentence"]
