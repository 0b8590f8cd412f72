"""附表1 (the 基础数据表 as tables) and the 审核 annex (findings with cells, derived figures, 待补充)."""

from __future__ import annotations

from decimal import Decimal
from typing import Sequence

from ..schema.sheets.expenses import SPEND_ROWS
from ..schema.sheets.finance import FUNCTION_CLASSES, INCOME_SOURCES
from . import phrases as P
from .model import Block, Heading, NOT_COMPUTABLE, Table, cell, cell_pct, para
from .spending import spend_facts
from .reading import BUDGET_ITEMS, ONPOST_PARTS, OTHER_PARTS, QUOTA_PARTS, RETIRED_PARTS, Ctx, Values, breakdown, clean_label, severity_of, spend_row, total_of, year_text


def annex_blocks(ctx: Ctx, scorecard=None) -> list[Block]:
    """附表1: the 基础数据表 as tables (in 发布 mode pruned to what is filled, see ``model.published``)."""
    v = ctx.v
    out: list[Block] = [Heading("附表1　部门整体支出绩效评价基础数据表", 1)]
    out.append(para(f"金额单位：{P.money_unit()}。占比、完成率、增减额、增减率、合计等按基础数据计算；“—”表示无数据或不适用。", "note"))
    out.append(_staff_table(v, ctx.year))
    out.append(_finance_table(v))
    out.append(_spend_table(ctx))
    out.append(_budget_table(v))
    out.append(_asset_table(v, ctx.review))
    return out


def review_annex(ctx: Ctx, findings: Sequence) -> list[Block]:
    """审核附件: the checker's findings with their cells, the figures the text derived, the 待补充 list."""
    out: list[Block] = [Heading("审核附件（供审核使用，发布时不含本附件）", 1)]
    out.append(Heading("（一）校验结果", 2))
    if findings:
        rows = tuple((str(i), _SEVERITY.get(severity_of(f), severity_of(f)), f.rule_id, _where(f), f.message)
                     for i, f in enumerate(findings, 1))
        out.append(Table("", ("序号", "级别", "规则", "单元格", "说明"), rows, widths=(0.6, 0.7, 1.3, 1.9, 5.3)))
    else:
        out.append(para("校验未发现问题。"))
    out.append(Heading("（二）正文推算与核对的数字", 2))
    if ctx.derived:
        out.extend(para(f"{i}. {line}", "note") for i, line in enumerate(ctx.derived, 1))
    else:
        out.append(para("正文数字均直接取自填报数或按填报数计算，无推算。", "note"))
    out.append(Heading("（三）待补充", 2))
    if ctx.gaps:
        out.extend(para(f"{i}. {line}", "note") for i, line in enumerate(ctx.gaps, 1))
    else:
        out.append(para("无。", "note"))
    return out


_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


def _where(f) -> str:
    c = getattr(f, "primary", None)
    return f"{c.sheet}!{c.address}" if c is not None and c.sheet and c.address else ""


def _staff_table(v: Values, year: int | None) -> Table:
    rows: list[tuple[str, ...]] = []

    def row(label: str, total_id: str, parts) -> Decimal | None:
        total, _ = total_of(v, total_id, [f for f, _ in parts])
        rows.append((label, cell(total, 0), breakdown(v, parts, lambda x: P.num(x, 0))))
        return total

    quota = row("编制数（人）", "staff.quota.total", QUOTA_PARTS)
    onpost = row(f"{year_text(year)}底实际在编在岗人数（人）", "staff.onpost.total", ONPOST_PARTS)
    rows.append(("在职人员控制率", cell_pct(P.share(onpost, quota)), "在编在岗人数 ÷ 编制数 × 100%"))
    row("其他人员（人）", "staff.other.total", OTHER_PARTS)
    row("离退休人员（人）", "staff.retired.total", RETIRED_PARTS)
    for prefix, label, n in (("org.internal", "内设机构（个）", 15), ("org.subunit", "下属单位（个）", 10)):
        names = v.names(prefix, n)
        rows.append((label, str(len(names)) if names else cell(v.d(f"{prefix}.count"), 0), "、".join(names)))
    return Table("（一）人员与机构", ("项目", "数量", "构成"), tuple(rows), numeric=(1,), widths=(3.6, 1.1, 4.6))


def _finance_table(v: Values) -> Table:
    rows: list[tuple[str, ...]] = []
    totals: list[int] = []
    inc_total = v.d("inc.total_year")
    for key, label in INCOME_SOURCES:
        x = v.d(f"inc.{key}")
        if x is not None:
            rows.append(("收入", clean_label(label), cell(x), cell_pct(P.share(x, inc_total))))
    totals.append(len(rows))
    rows.append(("收入", "本年收入合计", cell(inc_total), cell_pct(P.share(inc_total, inc_total))))
    for fid, label in (("inc.fiscal_total", "其中：财政拨款收入"), ("inc.non_fiscal_balance_used", "使用非财政拨款结余"),
                       ("inc.carryover_begin", "年初结转和结余"), ("inc.grand_total", "收入总计")):
        if v.d(fid) is not None:
            rows.append(("收入", label, cell(v.d(fid)),
                         cell_pct(P.share(v.d(fid), inc_total)) if fid == "inc.fiscal_total" else ""))
    exp_total = v.d("exp.total_year")
    for key, label in FUNCTION_CLASSES:
        x = v.d(f"exp.func.{key}")
        if x is not None:
            rows.append(("功能分类支出", label, cell(x), cell_pct(P.share(x, exp_total))))
    totals.append(len(rows))
    rows.append(("支出", "本年支出合计", cell(exp_total), cell_pct(P.share(exp_total, exp_total))))
    for fid, label in (("exp.basic", "基本支出"), ("exp.personnel", "　其中：人员经费"), ("exp.public", "　　　　公用经费"),
                       ("exp.project", "项目支出"), ("exp.upper", "上缴上级支出"), ("exp.operating", "经营支出"),
                       ("exp.affiliate", "对附属单位补助支出")):
        x = v.d(fid)
        if x is None and fid not in ("exp.basic", "exp.project"):
            continue
        rows.append(("性质分类支出", label, cell(x), cell_pct(P.share(x, exp_total))))
    for fid, label in (("exp.surplus_distribution", "结余分配"), ("exp.carryover_end", "年末结转和结余"), ("exp.grand_total", "支出总计")):
        if v.d(fid) is not None:
            rows.append(("支出", label, cell(v.d(fid)), ""))
    return Table(
        f"（二）收入支出情况（单位：{P.money_unit()}）", ("类别", "项目", "金额", "占比"), tuple(rows), numeric=(2, 3),
        widths=(2.0, 4.4, 1.6, 1.3),
        notes=("仅列示填有数据的收入来源和功能分类科目；占比 = 该项 ÷ 本年收入（支出）合计 × 100%。",),
        total_rows=tuple(totals),
    )


def _grid_label(label: str) -> str:
    """A 其中 row of the grid, indented by one space instead of the form's "其中：" column."""
    if label.startswith("　"):
        return "　" + clean_label(label)
    return label


def _spend_table(ctx: Ctx) -> Table:
    rows = []
    for r in SPEND_ROWS:
        s = spend_row(ctx.v, r.key)
        f = spend_facts(ctx, r.key)
        amount = P.num(f.amount.value) if f.amount else NOT_COMPUTABLE
        if f.rate is not None:
            rate = P.rate_text(f.rate.value, f.rate.source == "stated")
        else:
            rate = "上年为0" if f.prior == 0 and f.amount and f.amount.value != 0 else NOT_COMPUTABLE
        done = P.rate_text(f.completion.value, f.completion.source == "stated") if f.completion else NOT_COMPUTABLE
        rows.append((
            _grid_label(r.label), cell(s["prior_budget"]), cell(f.prior), cell(s["budget"]),
            cell(s["final"]), amount, rate, done,
        ))
    return Table(
        f"（三）“三公”经费、公用经费与政府采购（单位：{P.money_unit()}）",
        ("项目", "上年预算", "上年决算", "本年预算", "本年决算", "增减额", "增减率", "完成预算"),
        tuple(rows),
        numeric=(1, 2, 3, 4, 5, 6, 7),
        widths=(2.6, 1.15, 1.15, 1.15, 1.15, 1.1, 1.15, 1.15),
        notes=("增减额 = 本年决算 − 上年决算；增减率 = 增减额 ÷ 上年决算 × 100%（上年为0时不计算）；"
               "完成预算 = 本年决算 ÷ 本年预算 × 100%（预算为0时不计算）。",),
        total_rows=(0,),
    )


def _budget_table(v: Values) -> Table:
    rows = [(label, cell(v.d(fid))) for fid, label in BUDGET_ITEMS]
    rows.append(("预算执行率（支出决算 ÷ 调整后预算）", cell_pct(P.completion(v.d("budget.final"), v.d("budget.adjusted")))))
    rows.append(("财政拨款支出年初预算", cell(v.d("budget.fiscal_initial"))))
    rows.append(("财政拨款支出决算", cell(v.d("budget.fiscal_final"))))
    rows.append(("完成年初预算（财政拨款支出决算 ÷ 年初预算）",
                 cell_pct(P.completion(v.d("budget.fiscal_final"), v.d("budget.fiscal_initial")))))
    rows.append(("部门整体支出绩效目标金额", cell(v.d("goals.dept_amount"))))
    rows.append(("项目支出绩效目标个数（个）", cell(v.d("goals.project_count"), 0)))
    rows.append(("项目支出绩效目标金额", cell(v.d("goals.project_amount"))))
    rows.append(("重点项目支出", cell(v.d("goals.key_project_amount"))))
    return Table(f"（四）预算执行与绩效目标（单位：{P.money_unit()}）", ("项目", "数值"), tuple(rows), numeric=(1,), widths=(6.0, 2.0))


def _asset_table(v: Values, review: bool) -> Table:
    """年初 + 增加 − 减少 = 年末; the computed 年末 and its 差异 only for the reviewer (发布 prints one 年末)."""
    o, a, d, c = (v.d(f"assets.fixed.{k}") for k in ("opening", "added", "disposed", "closing"))
    expected = None if None in (o, a, d) else o + a - d
    if not review:
        return Table(f"（五）固定资产（单位：{P.money_unit()}）", ("年初数", "本年增加", "本年减少", "年末数"),
                     ((cell(o), cell(a), cell(d), cell(c if c is not None else expected)),),
                     numeric=(0, 1, 2, 3), widths=(1.5, 1.5, 1.5, 1.5))
    diff = None if expected is None or c is None else c - expected
    rows = [(cell(o), cell(a), cell(d), cell(c), P.num(expected) if expected is not None else NOT_COMPUTABLE,
             P.num(diff) if diff is not None else NOT_COMPUTABLE)]
    return Table(
        f"（五）固定资产（单位：{P.money_unit()}）",
        ("年初数", "本年增加", "本年减少", "年末数（填报）", "年末数（计算）", "差异"),
        tuple(rows),
        numeric=(0, 1, 2, 3, 4, 5),
        widths=(1.4, 1.4, 1.4, 1.6, 1.6, 1.2),
        notes=("年末数（计算）= 年初数 + 本年增加 − 本年减少；差异 = 填报数 − 计算数。",),
    )
