"""六、存在的主要问题 and 七、改进措施和有关建议: the author's text, then problems drafted from the data.

Each drafted problem is a paragraph with its figures (扣分, 预算控制率 over 30%, 三公 increases,
超编, project overspend, low execution) and a matching suggestion. The data can say *that*
something happened, not *why*: drafts are marked for the author to confirm (highlighted, with a
Word comment), and the reasons come from the 文字说明 inputs (三公增减原因, 超预算原因) when filled.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import phrases as P
from .model import Block, Heading, Paragraph, Run, runs_of
from .reading import ONPOST_PARTS, QUOTA_PARTS, Ctx, narrative_blocks, narrative_lines, total_of, year_text
from .scoretable import points_text, score_rows
from .spending import SANGGONG_PARTS, project_budget, projects_of, spend_facts

DRAFT_NOTE = "草稿：本段由工作簿数据生成，请核实数字、补充原因后定稿，并删除本批注。"
CONTROL_LIMIT = Decimal(30)  # 预算控制率 (追加 ÷ 年初) above which the adjustment is a problem in itself
LOW_EXECUTION = Decimal(90)  # 执行率 below which a project is 执行进度偏低


@dataclass(frozen=True)
class Draft:
    title: str
    problem: str
    suggestion_title: str
    suggestion: str


def _reason(ctx: Ctx, fid: str) -> str:
    lines = narrative_lines(ctx.v, fid)
    return "".join(lines)


def drafts(ctx: Ctx, scorecard) -> list[Draft]:
    v = ctx.v
    out: list[Draft] = []
    sheet = score_rows(scorecard)
    control = P.share(v.d("budget.added"), v.d("budget.initial"))
    if control is not None and control > CONTROL_LIMIT:
        out.append(Draft(
            "预算调整幅度较大",
            f"{year_text(ctx.year)}年初预算{P.money(v.d('budget.initial'))}，本年追加预算{P.money(v.d('budget.added'))}，"
            f"预算控制率（追加预算÷年初预算）为{P.pct(control)}，超过30%，年初预算编制的完整性和准确性有待提高。",
            "提高预算编制的准确性",
            "细化年初预算编制，将可预见的支出足额编入年初预算，从严控制年中追加，确需追加的事项应履行审批程序。",
        ))
    if sheet is not None:
        for r in sheet.rows:
            if r.deducted and r.deducted > 0 and not (r.level3 == "预算控制率" and out and out[0].title == "预算调整幅度较大"):
                name = r.level3 if "“" in r.level3 else f"“{r.level3}”"  # no doubled quotes: ““三公经费”变动率”
                out.append(Draft(
                    f"{r.level3}指标扣分",
                    f"{name}指标分值{points_text(r.points)}分，{_deduction_text(r.reason, r.deducted)}。",
                    f"改进{r.level3}",
                    f"针对{name}指标扣分的原因逐项整改，在下一年度预算编制和执行中落实。",
                ))
    up = [f for f in (spend_facts(ctx, r) for r in ("sanggong", *SANGGONG_PARTS)) if f.increased]
    if up:
        parts = []
        for f in up:
            clause = P.change_clause(f.amount.value if f.amount else None, f.rate.value if f.rate else None, f.prior,
                                     rate_stated=bool(f.rate and f.rate.source == "stated"))
            parts.append(f"{f.label}{clause}")
        reason = _reason(ctx, "narrative.sanggong_reason")
        out.append(Draft(
            "“三公”经费有所增加",
            "；".join(parts) + "。" + (f"增加的原因：{reason}" if reason else ""),
            "严格控制“三公”经费",
            "落实中央八项规定精神和厉行节约要求，从严控制公务接待、公务用车等支出，确保“三公”经费只减不增。",
        ))
    quota = total_of(v, "staff.quota.total", [f for f, _ in QUOTA_PARTS])[0]
    onpost = total_of(v, "staff.onpost.total", [f for f, _ in ONPOST_PARTS])[0]
    if quota is not None and onpost is not None and onpost > quota:
        out.append(Draft(
            "实际在编人数超过编制数",
            f"{year_text(ctx.year)}底实际在编在岗{P.persons(onpost)}，核定编制{P.persons(quota)}，超编{P.persons(onpost - quota)}，"
            f"在职人员控制率为{P.pct(P.share(onpost, quota))}。",
            "严格编制管理",
            "按核定编制配备人员，逐步消化超编人员，人员经费预算按编制内人数核定。",
        ))
    projects = projects_of(ctx)
    over = [p for p in projects if p["actual"] is not None and project_budget(p) is not None and p["actual"] > project_budget(p)]
    if over:
        reason = _reason(ctx, "narrative.overspend_reason")
        out.append(Draft(
            "部分项目支出超预算",
            "；".join(f"{p['name']}预算{P.money(project_budget(p))}，实际支出{P.money(p['actual'])}，超预算{P.money(p['actual'] - project_budget(p))}"
                     for p in over) + "。" + (f"超预算的原因：{reason}" if reason else ""),
            "严格按预算执行项目支出",
            "项目支出严格控制在批复预算以内，确需超支的应先按程序调整预算。",
        ))
        if not reason:
            ctx.gap("文字说明：超预算原因")
    low = [p for p in projects if p["actual"] is not None and p["adjusted"] not in (None, Decimal(0))
           and P.completion(p["actual"], p["adjusted"]) < LOW_EXECUTION]
    if low:
        out.append(Draft(
            "部分项目资金执行进度偏低",
            "；".join(f"{p['name']}调整后预算{P.money(p['adjusted'])}，实际支出{P.money(p['actual'])}，执行率{P.pct(P.completion(p['actual'], p['adjusted']))}"
                     for p in low) + "。",
            "加快项目资金执行",
            "建立项目支出进度台账，按月跟踪执行情况；对执行缓慢的项目及时分析原因，必要时调整或收回预算。",
        ))
    return out


def _draft_blocks(n: int, title: str, text: str) -> list[Block]:
    heading = Paragraph((Run(f"{P.cn_ordinal(n)}{title}", "draft", DRAFT_NOTE),), "draft_heading")
    return [heading, Paragraph((Run(text, "draft"),), "narrative")]


def _deduction_text(reason: str, deducted) -> str:
    """The reviewer's 扣分理由 already ends "…，扣 N 分"; an evaluator's reason gets the amount added."""
    reason = reason.rstrip("。")
    return reason if reason.endswith("分") and "扣" in reason else f"扣{points_text(deducted)}分（{reason}）"


def drafted_sections(ctx: Ctx, scorecard) -> tuple[list[Block], list[Block]]:
    """(六 问题, 七 建议): the author's paragraphs first, then the drafts, numbered on from them."""
    items = drafts(ctx, scorecard)
    sections = []
    for fid, pick in (("narrative.problems", lambda d: (d.title, d.problem)),
                      ("narrative.suggestions", lambda d: (d.suggestion_title, d.suggestion))):
        has_text = bool(narrative_lines(ctx.v, fid))
        blocks, last = narrative_blocks(ctx, fid, headings=True, optional=bool(items))
        if not has_text and items and ctx.review:
            blocks = [Paragraph(runs_of(f"以下{len(items)}条由数据生成，待作者核实："), "note")]
        for i, d in enumerate(items, last + 1):
            blocks.extend(_draft_blocks(i, *pick(d)))
        sections.append(blocks)
    return sections[0], sections[1]
