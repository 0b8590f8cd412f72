"""五、部门整体支出绩效情况: 预算执行, the author's 成效 text, 履职产出 and the score table."""

from __future__ import annotations

from ..schema.sheets.outputs import OUTPUT_TABLE
from . import phrases as P
from .model import Block, Heading, Table, cell, para
from .reading import BUDGET_ITEMS, Ctx, narrative_blocks
from .scoretable import score_rows, score_sentence, score_table
from .stated import resolve, stated_id


def fiscal_sentence(ctx: Ctx) -> str:
    v = ctx.v
    init, final = v.d("budget.fiscal_initial"), v.d("budget.fiscal_final")
    done = resolve(P.completion(final, init), v.d(stated_id("fiscal", "completion")))
    if init is None and final is None:
        ctx.gap("财政拨款支出年初预算数、决算数")
        if done is None:
            return ""
    y = f"{ctx.year}年度" if ctx.year is not None else "本年度"
    clauses = [f"{label}{P.money(x)}" for label, x in (("财政拨款支出年初预算数为", init), ("支出决算数为", final)) if x is not None]
    if done is not None:
        # 完成年初预算 over 100% is ordinary (追加 during the year): the seed's wording, not 超预算
        clauses.append(f"{'' if clauses else '财政拨款支出'}完成年初预算的{P.rate_text(done.value, done.source == 'stated')}")
    return y + "，".join(clauses) + "。"


def budget_sentence(ctx: Ctx) -> str:
    v = ctx.v
    items = {fid: v.d(fid) for fid, _ in BUDGET_ITEMS}
    final, adjusted = items["budget.final"], items["budget.adjusted"]
    execution = resolve(P.completion(final, adjusted), v.d("budget.exec_rate"))
    gap = resolve(P.change(final, adjusted).amount, v.d("budget.gap"), money=True)
    gap_rate = resolve(P.share(P.change(final, adjusted).amount, adjusted), v.d("budget.gap_rate"))
    for fig, what in ((execution, "预算执行率"), (gap, "决算较预算增减额"), (gap_rate, "决算较预算增减率")):
        if fig is not None and fig.conflict is not None:
            ctx.derive(f"{what}：按填报数计算为{P.num(fig.value)}，报告所述为{P.num(fig.conflict)}（正文用计算数，见校验结果）")
    filled = [(label, items[fid]) for fid, label in BUDGET_ITEMS if items[fid] is not None]
    if not filled and execution is None and gap is None and gap_rate is None:
        ctx.gap("部门预算执行情况（上年结转、年初预算、追加追减、调整后预算、支出决算、年末结余）")
        return ""
    text = "部门预算执行情况：" + "，".join(f"{label}{P.money(x)}" for label, x in filled) + "。" if filled else ""
    if execution is not None:
        text += f"预算执行率为{P.rate_text(execution.value, execution.source == 'stated')}"
    # the gap is printed when stated: computed it only restates 执行率
    if v.d("budget.gap") is not None or v.d("budget.gap_rate") is not None:
        clause = P.versus("支出决算较调整后预算", gap.value if gap and v.d("budget.gap") is not None else None,
                          gap_rate.value if gap_rate and v.d("budget.gap_rate") is not None else None,
                          rate_stated=bool(gap_rate and gap_rate.source == "stated"), up=P.OVER, down=P.UNDER)
        text += ("，" if execution is not None else "") + (clause or "")
    if execution is not None or v.d("budget.gap") is not None or v.d("budget.gap_rate") is not None:
        text += "。"
    control = P.share(items["budget.added"], items["budget.initial"])
    if control is not None:
        text += f"本年追加预算占年初预算的{P.pct(control)}。"
    return text


def output_rows(ctx: Ctx) -> list[dict]:
    """履职产出 rows with one 完成率 each: computed from 计划/实际, or the stated rate (建议提案 100%)."""
    v = ctx.v
    rows = []
    for i in range(1, OUTPUT_TABLE.n_rows + 1):
        fid = lambda k: OUTPUT_TABLE.field_id(i, k)  # noqa: E731
        name = v.s(fid("name"))
        plan, actual = v.d(fid("plan")), v.d(fid("actual"))
        rate = resolve(P.completion(actual, plan), v.d(fid("rate")))
        if not name and plan is None and actual is None and rate is None:
            continue
        if rate is not None and rate.conflict is not None:
            ctx.derive(f"{name}完成率：按计划值、实际值计算为{P.num(rate.value)}%，报告所述为{P.num(rate.conflict)}%（正文用计算数）")
        rows.append({"name": name or f"指标{i}", "unit": v.s(fid("unit")) or "", "plan": plan, "actual": actual, "rate": rate})
    return rows


def _rate(r: dict) -> str:
    rate = r["rate"]
    return "" if rate is None else P.rate_text(rate.value, rate.source == "stated")


def output_sentence(rows: list[dict]) -> str:
    clauses = []
    for r in rows:
        unit = r["unit"]
        figures = [f"{label}{P.quantity(x)}{unit}" for label, x in (("计划", r["plan"]), ("实际完成", r["actual"])) if x is not None]
        rate = _rate(r)
        if figures and rate:
            clauses.append(f"{r['name']}：" + "、".join(figures) + f"，完成率{rate}")
        elif rate:
            clauses.append(f"{r['name']}{rate}")
        elif figures:
            clauses.append(f"{r['name']}：" + "、".join(figures))
    return "；".join(clauses) + "。" if clauses else ""


def output_table(rows: list[dict]) -> Table:
    return Table(
        "履职产出指标完成情况",
        ("序号", "指标名称", "计量单位", "计划值", "实际值", "完成率"),
        tuple((str(i), r["name"], r["unit"], P.quantity(r["plan"]) if r["plan"] is not None else cell(None),
               P.quantity(r["actual"]) if r["actual"] is not None else cell(None), _rate(r) or cell(None))
              for i, r in enumerate(rows, 1)),
        numeric=(3, 4, 5),
        widths=(0.8, 4.0, 1.2, 1.3, 1.3, 1.3),
    )


def performance_blocks(ctx: Ctx, scorecard) -> list[Block]:
    out: list[Block] = [Heading("五、部门整体支出绩效情况", 1)]
    text = fiscal_sentence(ctx) + budget_sentence(ctx)
    if text:
        out.append(para(text))
    narrative, last = narrative_blocks(ctx, "narrative.performance", headings=True)
    out.extend(narrative)
    n = last + 1
    rows = output_rows(ctx)
    if rows:
        out.append(Heading(f"{P.cn_ordinal(n)}履职产出情况", 2))
        out.append(para(f"履职产出指标{len(rows)}项。" + output_sentence(rows)))
        out.append(output_table(rows))
        n += 1
    else:
        ctx.gap("履职产出指标")
    sheet = score_rows(scorecard)
    if scorecard is not None and sheet is None:
        out.append(Heading(f"{P.cn_ordinal(n)}绩效评价指标情况", 2))
        out.append(para(f"按《{scorecard.profile.name}》计算，本方案只计算指标值，不计分、不评定等级。"))
    if sheet is not None:
        out.append(Heading(f"{P.cn_ordinal(n)}绩效评价指标得分情况", 2))
        out.append(para(score_sentence(sheet)))
        out.append(score_table(sheet))
        if sheet.pending:
            ctx.gap(f"评分：{sheet.pending}项指标待评（" + "、".join(r.level3 for r in sheet.rows if r.score is None) + "）")
    return out
