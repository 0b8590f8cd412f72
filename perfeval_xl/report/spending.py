"""二、部门整体支出管理及使用情况: 基本支出, “三公”经费, 公用经费, 政府采购, 项目支出 in words and tables."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from ..schema import SCHEMA
from ..schema.sheets.expenses import SPEND_ROWS
from ..schema.sheets.projects import PROJECT_TABLE
from . import phrases as P
from .model import Block, Chart, Heading, Paragraph, Table, cell, cell_pct, para, runs_of
from .reading import Ctx, clean_label, narrative_blocks, narrative_lines, spend_row, sum_known, year_text
from .stated import Figure, direction_sign, resolve, stated_id

# the row labels as prose reads them: "“三公”经费合计", "公务接待费", "公务用车购置费"
SPEND_LABEL = {r.key: clean_label(r.label) for r in SPEND_ROWS}
SANGGONG_PARTS = ("abroad", "reception", "vehicle")
PUBLIC_PARTS = ("office", "utilities_travel", "meeting", "training")


# the facts a row prints only when the workbook states them (they restate its base figures)
MONEY_FACTS = ("gap", "budget_change", "budget_vs_prior_final")
EXTRA_FACTS = ("share", "gap", "gap_rate", "budget_change", "budget_change_rate", "budget_vs_prior_final",
               "budget_vs_prior_final_rate")


@dataclass(frozen=True)
class SpendFacts:
    """One row of the 三公/公用/采购 grid, with the stated figures folded in (``stated.resolve``)."""

    label: str
    budget: Decimal | None
    final: Decimal | None
    prior: Decimal | None  # 上年决算, entered or derived from 本年决算 − stated 增减额
    amount: Figure | None  # 增减额, signed
    rate: Figure | None  # 增减率, signed percentage points
    completion: Figure | None  # 完成预算比例
    extra: dict[str, Figure] = field(default_factory=dict)  # EXTRA_FACTS the workbook states

    @property
    def empty(self) -> bool:
        return (self.final is None and self.budget is None and self.amount is None and self.rate is None
                and self.completion is None and not self.extra)

    @property
    def increased(self) -> bool:
        x = self.amount.value if self.amount else (self.rate.value if self.rate else None)
        return x is not None and x > 0

    @property
    def overspent(self) -> Decimal | None:
        if self.final is not None and self.budget is not None and self.final > self.budget:
            return self.final - self.budget
        return None


def _diff(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return a - b if a is not None and b is not None else None


def _extra_computed(v, final, budget, prior_budget, prior) -> dict[str, Decimal | None]:
    gap = _diff(final, budget)
    return {
        "share": P.share(final, v.d("spend.sanggong.final")),
        "gap": gap,
        "gap_rate": P.share(gap, budget),
        "budget_change": _diff(budget, prior_budget),
        "budget_change_rate": P.change(budget, prior_budget).rate,
        "budget_vs_prior_final": _diff(budget, prior),
        "budget_vs_prior_final_rate": P.change(budget, prior).rate,
    }


def spend_facts(ctx: Ctx, row: str) -> SpendFacts:
    v = ctx.v
    s = spend_row(v, row)
    label = SPEND_LABEL[row]
    final, budget, prior = s["final"], s["budget"], s["prior_final"]
    entered_prior = prior

    def stated(fact: str) -> Decimal | None:
        fid = stated_id(row, fact)
        if not fid:
            return None
        x = v.d(fid)
        sign = direction_sign(v, fid) or (direction_sign(v, fid[: -len("_rate")]) if fid.endswith("_rate") else None)
        return abs(x) * sign if x is not None and sign else x

    computed_amount = final - prior if final is not None and prior is not None else None
    amount = resolve(computed_amount, stated("amount"), money=True)
    if prior is None and final is not None and amount is not None:
        prior = final - amount.value
        ctx.derive(f"{label}上年决算 = 本年决算{P.num(final)} − 增减额（{P.num(amount.value)}） = {P.num(prior)}{P.money_unit()}")
    # a 上年 derived from the stated 增减额 is no base figure: the stated 增减率 stands beside it
    rate_base = P.change(final, prior).rate if entered_prior is not None or stated("rate") is None else None
    rate = resolve(rate_base, stated("rate"))
    completion = resolve(P.completion(final, budget), stated("completion"))
    checked = [(amount, "增减额"), (rate, "增减率"), (completion, "完成预算比例")]
    extra: dict[str, Figure] = {}
    computed = _extra_computed(v, final, budget, s["prior_budget"], entered_prior)
    for fact in EXTRA_FACTS:
        st = stated(fact)
        if st is None:
            continue
        fig = resolve(computed[fact], st, money=fact in MONEY_FACTS)
        assert fig is not None
        extra[fact] = fig
        checked.append((fig, SCHEMA[stated_id(row, fact)].column_label.replace("（报告所述）", "")))
    for fig, what in checked:
        if fig is not None and fig.conflict is not None:
            ctx.derive(f"{label}{what}：按填报数计算为{P.num(fig.value)}，报告所述为{P.num(fig.conflict)}（正文用计算数，见校验结果）")
    return SpendFacts(label, budget, final, prior, amount, rate, completion, extra)


def _value(fig: Figure | None) -> Decimal | None:
    return fig.value if fig else None


def _stated(fig: Figure | None) -> bool:
    return bool(fig and fig.source == "stated")


def _extra_clauses(f: SpendFacts, over_printed: bool) -> tuple[list[str], list[str]]:
    """(clauses against the budget, clauses on the budget's own change) from the stated extra facts."""
    x = f.extra
    budget_side: list[str] = []
    if "gap" in x or "gap_rate" in x:
        if over_printed:  # "超预算X万元" already says the amount
            if "gap_rate" in x:
                budget_side.append(f"超支率{P.rate_text(abs(x['gap_rate'].value), _stated(x['gap_rate']))}")
        else:
            budget_side.append(P.versus("较预算", _value(x.get("gap")), _value(x.get("gap_rate")),
                                        rate_stated=_stated(x.get("gap_rate")), up=P.OVER, down=P.UNDER) or "")
    changes = [P.versus(lead, _value(x.get(a)), _value(x.get(r)), rate_stated=_stated(x.get(r)))
               for lead, a, r in (("本年预算较上年预算", "budget_change", "budget_change_rate"),
                                  ("本年预算较上年决算", "budget_vs_prior_final", "budget_vs_prior_final_rate"))]
    return [c for c in budget_side if c], [c for c in changes if c]


def spend_sentence(ctx: Ctx, row: str, label: str | None = None) -> str | None:
    """One grid row in words, e.g. "公务接待费支出决算为0.61万元，完成预算的24.4%，与上年相比减少1.51万元，
    下降71.23%"; None (and a 待补充 item) when the row holds no figure."""
    f = spend_facts(ctx, row)
    label = label or f.label
    if f.empty:
        ctx.gap(f"“三公”经费、公用经费：{f.label}")
        return None
    if f.final == 0 and f.budget in (None, Decimal(0)) and all(x.value == 0 for x in f.extra.values()):
        if f.prior == 0:
            return f"{label}上年和本年均无支出"
        f = replace(f, extra={})  # 较预算持平, 占0%: what "均为0" already says
    parts = []
    over_printed = False
    if f.budget == 0 and f.final == 0:
        parts.append("预算和支出决算均为0")
    else:
        if f.budget is not None:
            parts.append(f"预算为{P.money(f.budget)}")
        if f.final is not None:
            parts.append(f"支出决算为{P.money(f.final)}")
        share = f.extra.get("share")
        if share is not None and not (row == "sanggong" and share.value == 100):
            parts.append(f"占“三公”经费的{P.rate_text(share.value, _stated(share))}")
        if f.final is not None and f.budget is not None:
            against = P.spent_against_budget(f.final, f.budget)
            over_printed = bool(against and "超预算" in against)
            parts.append(against)
        elif f.completion is not None:
            parts.append(f"完成预算的{P.rate_text(f.completion.value, f.completion.source == 'stated')}")
    budget_side, budget_changes = _extra_clauses(f, over_printed)
    parts.extend(budget_side)
    change = P.change_clause(
        f.amount.value if f.amount else None, f.rate.value if f.rate else None, f.prior,
        rate_stated=bool(f.rate and f.rate.source == "stated"),
    )
    if change:
        parts.append(change)
    parts.extend(budget_changes)
    missing = [w for w, x in (("本年预算数", f.budget if f.completion is None else 0), ("上年决算数", f.prior if change is None else 0),
                              ("本年决算数", f.final)) if x is None]
    if missing:
        ctx.gap(f"“三公”经费、公用经费：{f.label}的" + "、".join(missing))
    parts = [p for p in parts if p]
    if not parts:
        return None
    return label + "，".join(parts)


def _filled(ctx: Ctx, row: str) -> bool:
    return not spend_facts(ctx, row).empty


def sanggong_blocks(ctx: Ctx) -> list[Block]:
    lines = []
    total = spend_sentence(ctx, "sanggong")
    if total:
        lines.append(f"{year_text(ctx.year)}{total}。")
    comps = [t for t in (spend_sentence(ctx, r) for r in SANGGONG_PARTS) if t]
    if comps:
        lines.append(("其中：" if total else "") + "；".join(comps) + "。")
    sub = [t for t in (spend_sentence(ctx, r) for r in ("vehicle_purchase", "vehicle_operation") if _filled(ctx, r)) if t]
    if sub:
        lines.append("公务用车购置及运行维护费中，" + "；".join(sub) + "。")
    prior2 = prior2_sentence(ctx)
    if prior2:
        lines.append(prior2)
    out: list[Block] = []
    if lines:
        out.append(para("".join(lines)))
    reason = narrative_lines(ctx.v, "narrative.sanggong_reason")
    if reason:
        out.extend(Paragraph(runs_of(line), "narrative") for line in reason)
    elif any(spend_facts(ctx, r).increased or (spend_facts(ctx, r).amount and spend_facts(ctx, r).amount.value < 0)
             for r in ("sanggong", *SANGGONG_PARTS)):
        ctx.gap("文字说明：“三公”经费增减原因")
    chart = sanggong_chart(ctx)
    if chart is not None:
        out.append(chart)
    return out


def prior2_of(ctx: Ctx, row: str) -> Decimal | None:
    return ctx.v.d(f"history.{row}.prior2_final")


def prior2_sentence(ctx: Ctx) -> str:
    """前年 “三公” 决算, the first of the three years the chart compares."""
    total = prior2_of(ctx, "sanggong")
    parts = [f"{SPEND_LABEL[r]}{P.money(prior2_of(ctx, r))}" for r in SANGGONG_PARTS if prior2_of(ctx, r) is not None]
    if total is None and not parts:
        return ""
    year = f"{ctx.year - 2}年" if ctx.year is not None else "前年"
    head = f"{year}“三公”经费决算" + (f"为{P.money(total)}" if total is not None else "")
    detail = "、".join(parts)
    return head + (f"（其中{detail}）" if total is not None and detail else (f"：{detail}" if detail else "")) + "。"


def sanggong_chart(ctx: Ctx) -> Chart | None:
    """三公 by component over three years of 决算 (前年, 上年, 本年) and the 本年预算, as far as the workbook holds them."""
    facts = [spend_facts(ctx, r) for r in SANGGONG_PARTS]
    y = ctx.year
    names = (f"{y - 2}年决算" if y else "前年决算", f"{y - 1}年决算" if y else "上年决算",
             f"{y}年预算" if y else "本年预算", f"{y}年决算" if y else "本年决算")
    series = ((names[0], tuple(prior2_of(ctx, r) for r in SANGGONG_PARTS)), (names[1], tuple(f.prior for f in facts)),
              (names[2], tuple(f.budget for f in facts)), (names[3], tuple(f.final for f in facts)))
    filled = sum(1 for _, xs in series for x in xs if x is not None)
    if filled < 3 or all(x in (None, 0) for _, xs in series for x in xs):
        return None
    series = tuple((n, xs) for n, xs in series if any(x is not None for x in xs))
    shown = [n for n, _ in series]
    if sum(1 for n in shown if n.endswith("决算")) == 3:
        title = "“三公”经费近三年决算" + ("及本年预算" if any(n.endswith("预算") for n in shown) else "")
    else:
        title = "“三公”经费" + ("、".join(shown[:-1]) + "与" if len(shown) > 1 else "") + shown[-1]
    return Chart(f"{title}（{P.money_unit()}）", "bars", tuple(f.label for f in facts), series, unit=P.money_unit())


def other_spend_blocks(ctx: Ctx) -> list[Block]:
    """公用经费 with its 其中 rows, then 政府采购 in its own paragraph (it is not part of 公用经费)."""
    out: list[Block] = []
    public = spend_sentence(ctx, "public") if _filled(ctx, "public") else None
    parts = [t for t in (spend_sentence(ctx, r) for r in PUBLIC_PARTS if _filled(ctx, r)) if t]
    if public or parts:
        lead = "其中：" if public else "公用经费中，"  # no dangling "其中" when the 公用经费 total is blank
        text = (public + "。" if public else "") + (lead + "；".join(parts) + "。" if parts else "")
        out.append(para(text))
    else:
        ctx.gap("公用经费（本年预算、决算及上年决算）")
    procurement = spend_sentence(ctx, "procurement", "政府采购") if _filled(ctx, "procurement") else None
    if procurement:
        out.append(para(procurement.replace("政府采购支出决算为", "政府采购实际执行", 1) + "。"))
    else:
        ctx.gap("政府采购金额（本年预算、决算）")
    building = building_sentence(ctx)
    if building:
        out.append(para(building))
    return out


def building_sentence(ctx: Ctx) -> str:
    """楼堂馆所 of the year: areas and investment against what was approved, with the control rates."""
    v = ctx.v
    clauses = []
    for approved, actual, stated, what, unit in (
        ("building.approved_area", "building.actual_area", "building.area_rate", "面积", "㎡"),
        ("building.approved_invest", "building.actual_invest", "building.invest_rate", "投资", P.money_unit()),
    ):
        a, b = v.d(approved), v.d(actual)
        rate = resolve(P.completion(b, a), v.d(stated))
        figures = [f"{label}{P.quantity(x) + unit if unit == '㎡' else P.money(x)}"
                   for label, x in ((f"批复{'建设面积' if unit == '㎡' else '概算投资'}", a),
                                    (f"实际{'建设面积' if unit == '㎡' else '投资'}", b)) if x is not None]
        if rate is not None:
            figures.append(f"{what}{'控制率' if unit == '㎡' else '概算控制率'}{P.rate_text(rate.value, rate.source == 'stated')}")
        if figures:
            clauses.append("，".join(figures))
    status = v.s("building.status")
    if not clauses:
        return "本年无完工的新建楼堂馆所项目。" if status and status.startswith("不适用") else ""
    return "楼堂馆所：" + "；".join(clauses) + "。"


def projects_of(ctx: Ctx) -> list[dict]:
    v = ctx.v
    rows = []
    for i in range(1, PROJECT_TABLE.n_rows + 1):
        c = {col.key: v(PROJECT_TABLE.field_id(i, col.key)) for col in PROJECT_TABLE.columns}
        name = str(c["name"]).strip() if c["name"] is not None else ""
        if not name and all(c[k] is None for k in ("initial", "adjusted", "actual")):
            continue
        c["name"] = name or f"项目{i}"
        for k in ("initial", "adjusted", "actual", "goal_rate"):
            c[k] = P.dec(c[k])
        c["note"] = str(c["note"]).strip() if c.get("note") else ""
        rows.append(c)
    return rows


def project_budget(p: dict) -> Decimal | None:
    return p["adjusted"] if p["adjusted"] is not None else p["initial"]


def _project_summary(ctx: Ctx, projects: list[dict]) -> str:
    if not projects:
        return ""
    n = len(projects)
    text = f"项目支出明细共列{n}个项目"
    sources = {p["source"] for p in projects}
    if None not in sources and len(sources) == 1:
        text += f"，资金来源{'均' if n > 1 else ''}为{sources.pop()}"
    sums = {k: sum_known([p[k] for p in projects]) for k in ("initial", "adjusted", "actual")}
    pieces = [f"{label}{'合计' if n > 1 else ''}{P.money(sums[k])}"
              for k, label in (("initial", "年初预算"), ("adjusted", "调整后预算"), ("actual", "实际支出")) if sums[k] is not None]
    if pieces:
        text += "；" + "，".join(pieces)
        if sums["actual"] is not None and sums["adjusted"] is not None and sums["adjusted"] != 0:
            text += f"，执行率{P.pct(P.completion(sums['actual'], sums['adjusted']))}"
    else:
        ctx.gap("项目支出明细：各项目年初预算、调整后预算、实际支出")
    return text + "。"


def project_table(projects: list[dict]) -> Table:
    """预算, 实际, 执行率, 绩效目标完成率, 说明 per project (and a 合计 row when every row is filled)."""
    rows = []
    for i, p in enumerate(projects, 1):
        rows.append((
            str(i), p["name"], cell(p["initial"]), cell(p["adjusted"]), cell(p["actual"]),
            cell_pct(P.completion(p["actual"], p["adjusted"])),
            P.pct_as_stated(p["goal_rate"]) if p["goal_rate"] is not None else cell(None), p["note"],
        ))
    sums = [sum_known([p[k] for p in projects]) for k in ("initial", "adjusted", "actual")]
    totals: tuple[int, ...] = ()
    if len(projects) > 1 and any(x is not None for x in sums):
        rows.append(("", "合计", *[cell(x) for x in sums], cell_pct(P.completion(sums[2], sums[1])), "", ""))
        totals = (len(rows) - 1,)
    return Table(
        f"项目支出明细（单位：{P.money_unit()}）",
        ("序号", "项目名称", "年初预算", "调整后预算", "实际支出", "执行率", "绩效目标完成率", "说明"),
        tuple(rows),
        numeric=(2, 3, 4, 5, 6),
        widths=(0.55, 2.3, 1.3, 1.3, 1.3, 1.15, 1.15, 1.6),
        notes=("执行率 = 实际支出 ÷ 调整后预算 × 100%。",),
        total_rows=totals,
    )


def spending_blocks(ctx: Ctx) -> list[Block]:
    v = ctx.v
    out: list[Block] = [Heading("二、部门整体支出管理及使用情况", 1), Heading("（一）基本支出", 2)]
    basic, total = v.d("exp.basic"), v.d("exp.total_year")
    if basic is not None:
        text = f"基本支出{P.money(basic)}"
        sh = P.share_phrase(basic, total, "本年支出合计")
        if sh:
            text += f"，{sh}"
        personnel, public = v.d("exp.personnel"), v.d("exp.public")
        split = "、".join(f"{label}{P.money(x)}" for label, x in (("人员经费", personnel), ("公用经费", public)) if x is not None)
        if split:
            text += f"，其中{split}"
        else:
            ctx.gap("基本支出：人员经费、公用经费")
        out.append(para(text + "。"))
    else:
        ctx.gap("支出：基本支出")
    out.extend(narrative_blocks(ctx, "narrative.basic_use")[0])
    out.extend(sanggong_blocks(ctx))
    out.extend(other_spend_blocks(ctx))

    out.append(Heading("（二）项目支出", 2))
    out.append(Heading("1.项目资金安排落实、总投入等情况分析", 3))
    projects = projects_of(ctx)
    project = v.d("exp.project")
    text = ""
    if project is not None:
        text = f"{year_text(ctx.year)}项目支出{P.money(project)}"
        sh = P.share_phrase(project, total, "本年支出合计")
        text += f"，{sh}。" if sh else "。"
    else:
        ctx.gap("支出：项目支出")
    text += _project_summary(ctx, projects)
    if text:
        out.append(para(text))
    if projects:
        out.append(project_table(projects))
    else:
        ctx.gap("项目支出明细")
    out.append(Heading("2.项目资金（主要指财政资金）实际使用情况分析", 3))
    names = [p["name"] for p in projects]
    lead = ""
    if names:
        lead = f"{year_text(ctx.year)}共实施{P.listing('项目', names)}。"
    elif v.d("projects.count") is not None:
        lead = f"{year_text(ctx.year)}共实施项目{P.persons(v.d('projects.count'), '个')}。"
    use = narrative_blocks(ctx, "narrative.project_use")[0]
    if lead:
        out.append(para(lead + ("项目主要内容为：" if use else "")))
    out.extend(use)
    return out
